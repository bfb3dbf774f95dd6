package main

import (
	"fmt"
	"io"
	"net"
	"sort"
	"sync"
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
}

// pingPong sends one message per connection and waits for all of it to come back before the
// next: the latency of a round trip, every sample kept (no histogram rounding).
func pingPong(o options) (any, error) {
	conns, err := dialAll(o.addr, o.conns)
	if err != nil {
		return nil, err
	}
	defer closeAll(conns)
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
		float64(len(all)) / seconds, lat, us(all[len(all)-1]), cpu}, nil
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }

// runFor runs the ping-pong loop on every connection for d; samples (if not nil) get the latencies.
func runFor(conns []net.Conn, size int, interval, d time.Duration, samples [][]time.Duration) error {
	var wg sync.WaitGroup
	errs := make([]error, len(conns))
	deadline := time.Now().Add(d)
	for i, c := range conns {
		wg.Add(1)
		go func(i int, c net.Conn) {
			defer wg.Done()
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

func dialAll(addr string, n int) ([]net.Conn, error) {
	conns := make([]net.Conn, 0, n)
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			closeAll(conns)
			return nil, err
		}
		conns = append(conns, c)
	}
	return conns, nil
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}
