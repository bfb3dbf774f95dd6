// Command loadgen is the one client that drives every server in the benchmark (tcpfleet, the Go
// echo server, the proxy, sockperf's peer excepted). It prints one JSON object on stdout with the
// measured numbers and its own CPU use, so a reader can see that it was not the bottleneck.
//
//	loadgen -mode pingpong -addr 127.0.0.1:7000 -conns 1  -size 64    -warmup 3s -duration 15s
//	loadgen -mode pipeline -addr 127.0.0.1:7000 -conns 16 -size 64    ...
//	loadgen -mode bulk     -addr 127.0.0.1:7000 -conns 4  -size 65536 ...
//	loadgen -mode pipeline -batch 1 -window 0 ...  (one write(2) per message, no bound in flight)
//	loadgen -mode pingpong|bulk -tls -tls-ca cert.pem ...
//	loadgen -mode handshake -tls-ca cert.pem -conns 8 [-tls-resume]
//	loadgen -mode pingpong -proxy-v2 ...  (a PROXY protocol v2 header first)
//	loadgen -mode idle     -addr 127.0.0.1:7000 -sources 127.0.0.10-127.0.0.17
//	        (reads "open N" / "quit" lines on stdin, answers one JSON line per command)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
)

type options struct {
	mode      string
	addr      string
	conns     int
	size      int
	batch     int
	window    int
	warmup    time.Duration
	duration  time.Duration
	sources   string
	perConn   int
	interval  time.Duration
	copy      bool
	tls       bool
	tlsCA     string
	tlsResume bool
	proxyV2   bool
}

func main() {
	var o options
	flag.StringVar(&o.mode, "mode", "pingpong", "pingpong | pipeline | bulk | handshake | idle")
	flag.StringVar(&o.addr, "addr", "127.0.0.1:7000", "server address")
	flag.IntVar(&o.conns, "conns", 1, "connections")
	flag.IntVar(&o.size, "size", 64, "message size in bytes (bulk: bytes per write)")
	flag.IntVar(&o.batch, "batch", 16, "pipeline: messages per write")
	flag.IntVar(&o.window, "window", 256, "pipeline: messages in flight per connection at most (0: no bound)")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "load before measuring, not counted")
	flag.DurationVar(&o.duration, "duration", 15*time.Second, "measured time")
	flag.StringVar(&o.sources, "sources", "127.0.0.10-127.0.0.17", "idle: source addresses, first-last in 127.0.0.0/24")
	flag.IntVar(&o.perConn, "ping-per-idle", 1, "idle: round trips on each new connection before it goes idle")
	flag.DurationVar(&o.interval, "interval", 0, "pingpong: start a round trip at most this often (0: back to back), for CPU at light load")
	flag.BoolVar(&o.copy, "copy", false, "pipeline, bulk: plain read(2)/write(2) instead of recv(MSG_TRUNC) and sendfile(2) (costs the client a copy each way)")
	flag.BoolVar(&o.tls, "tls", false, "pingpong, bulk: speak TLS (crypto/tls), verifying the server against -tls-ca")
	flag.StringVar(&o.tlsCA, "tls-ca", "", "PEM certificate the TLS server's must chain to (-tls, handshake)")
	flag.BoolVar(&o.tlsResume, "tls-resume", false, "handshake: resume sessions from a shared ClientSessionCache")
	flag.BoolVar(&o.proxyV2, "proxy-v2", false, "start each connection with a PROXY protocol v2 header")
	flag.Parse()

	var (
		out any
		err error
	)
	switch o.mode {
	case "pingpong":
		out, err = pingPong(o)
	case "pipeline":
		out, err = stream(o, true)
	case "bulk":
		out, err = stream(o, false)
	case "handshake":
		out, err = handshakes(o)
	case "idle":
		err = idle(o)
	default:
		err = fmt.Errorf("-mode %q is not pingpong, pipeline, bulk, handshake or idle", o.mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	if out != nil {
		json.NewEncoder(os.Stdout).Encode(out)
	}
}

// cpuClock reads this process's user+system CPU time.
func cpuClock() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// window measures wall and CPU time of the measured phase.
type window struct {
	wall0 time.Time
	cpu0  time.Duration
}

func startWindow() window { return window{time.Now(), cpuClock()} }

// end returns the elapsed wall seconds and the client's CPU in percent of one core.
func (w window) end() (seconds, cpuPercent float64) {
	seconds = time.Since(w.wall0).Seconds()
	cpuPercent = 100 * (cpuClock() - w.cpu0).Seconds() / seconds
	return
}

func dialAll(o options, n int) ([]net.Conn, error) {
	conns := make([]net.Conn, 0, n)
	for i := 0; i < n; i++ {
		c, err := dial(o)
		if err != nil {
			closeAll(conns)
			return nil, err
		}
		conns = append(conns, c)
	}
	return conns, nil
}

// dial connects to the server, first sending a PROXY protocol v2 header with -proxy-v2.
func dial(o options) (net.Conn, error) {
	c, err := net.Dial("tcp", o.addr)
	if err != nil || !o.proxyV2 {
		return c, err
	}
	h, err := proxyV2(o.addr)
	if err == nil {
		_, err = c.Write(h)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}
