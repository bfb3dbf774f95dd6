package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"sort"
	"sync"
	"syscall"
	"time"
)

// Percentiles reported for latency curves.
var percentiles = []float64{1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99}

type pingPongResult struct {
	Mode       string             `json:"mode"`
	Conns      int                `json:"conns"`
	Size       int                `json:"size"`
	Seconds    float64            `json:"seconds"`
	RoundTrips int64              `json:"round_trips"`
	PerSecond  float64            `json:"round_trips_per_s"`
	LatencyUs  map[string]float64 `json:"latency_us"`
	MaxUs      float64            `json:"max_us"`
	ClientCPU  float64            `json:"client_cpu_percent"`
	TLS        string             `json:"tls,omitempty"`
	ProxyV2    bool               `json:"proxy_v2,omitempty"`
}

// pingPong sends one message per connection and waits for all of it to come back before the
// next: the latency of a round trip, every sample kept (no histogram rounding). Each connection is
// a blocking socket on its own OS thread, read(2) and write(2) and nothing else, as sockperf's
// client does: Go's netpoller would add a park, an epoll_wait and a wake-up to every round trip
// and so to every server's latency alike, hiding the differences between servers. -proxy-v2
// starts each connection with a PROXY protocol v2 header, -tls runs crypto/tls over the same
// blocking sockets.
func pingPong(o options) (any, error) {
	fds, err := dialBlocking(o.addr, o.conns)
	if err != nil {
		return nil, err
	}
	defer closeFds(fds)
	conns := make([]io.ReadWriter, len(fds))
	suite := ""
	for i, fd := range fds {
		conns[i] = fdConn{fd}
		if o.proxyV2 {
			h, err := proxyV2(o.addr)
			if err == nil {
				err = writeAll(fd, h)
			}
			if err != nil {
				return nil, err
			}
		}
		if o.tls {
			cfg, err := clientTLS(o, nil)
			if err != nil {
				return nil, err
			}
			c := tls.Client(fdConn{fd}, cfg)
			if err := c.Handshake(); err != nil {
				return nil, fmt.Errorf("TLS handshake: %w", err)
			}
			conns[i], suite = c, negotiated(c)
		}
	}
	runFor(conns, o.size, o.interval, o.warmup, nil)

	samples := make([][]time.Duration, len(conns))
	w := startWindow()
	if err := runFor(conns, o.size, o.interval, o.duration, samples); err != nil {
		return nil, err
	}
	seconds, cpu := w.end()

	var all []time.Duration
	for _, s := range samples {
		all = append(all, s...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no round trip completed")
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	lat := map[string]float64{}
	for _, p := range percentiles {
		idx := int(p / 100 * float64(len(all)-1))
		lat[fmt.Sprintf("p%g", p)] = us(all[idx])
	}
	return pingPongResult{"pingpong", o.conns, o.size, seconds, int64(len(all)),
		float64(len(all)) / seconds, lat, us(all[len(all)-1]), cpu, suite, o.proxyV2}, nil
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }

// runFor runs the ping-pong loop on every connection for d; samples (if not nil) get the latencies.
func runFor(conns []io.ReadWriter, size int, interval, d time.Duration, samples [][]time.Duration) error {
	var wg sync.WaitGroup
	errs := make([]error, len(conns))
	deadline := time.Now().Add(d)
	for i, c := range conns {
		wg.Add(1)
		go func(i int, c io.ReadWriter) {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			msg := make([]byte, size)
			in := make([]byte, size)
			var local []time.Duration
			if samples != nil {
				local = make([]time.Duration, 0, 1<<21)
			}
			next := time.Now()
			for {
				if interval > 0 {
					next = next.Add(interval)
					time.Sleep(time.Until(next))
				}
				t0 := time.Now()
				if !t0.Before(deadline) {
					break
				}
				if _, err := c.Write(msg); err != nil {
					errs[i] = err
					return
				}
				if _, err := io.ReadFull(c, in); err != nil {
					errs[i] = err
					return
				}
				if samples != nil {
					local = append(local, time.Since(t0))
				}
			}
			if samples != nil {
				samples[i] = local
			}
		}(i, c)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// dialBlocking opens n TCP connections as plain blocking sockets with TCP_NODELAY (as net.Dial sets it).
func dialBlocking(addr string, n int) ([]int, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().Is4() {
		return nil, fmt.Errorf("-addr %q is not an IPv4 address:port", addr)
	}
	fds := make([]int, 0, n)
	for i := 0; i < n; i++ {
		fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
		if err == nil {
			fds = append(fds, fd)
			err = syscall.Connect(fd, &syscall.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()})
		}
		if err == nil {
			err = syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
		}
		if err != nil {
			closeFds(fds)
			return nil, fmt.Errorf("connect %s: %w", addr, err)
		}
	}
	return fds, nil
}

func writeAll(fd int, b []byte) error {
	for len(b) > 0 {
		n, err := syscall.Write(fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("write: %w", err)
		}
		b = b[n:]
	}
	return nil
}

func closeFds(fds []int) {
	for _, fd := range fds {
		syscall.Close(fd)
	}
}
