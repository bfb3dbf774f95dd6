package main

import (
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

type streamResult struct {
	Mode       string  `json:"mode"`
	Conns      int     `json:"conns"`
	Size       int     `json:"size"`
	Batch      int     `json:"batch,omitempty"`
	Window     int     `json:"window,omitempty"`
	Seconds    float64 `json:"seconds"`
	BytesBack  int64   `json:"bytes_echoed"`
	MsgsPerSec float64 `json:"messages_per_s"`
	Gbits      float64 `json:"echoed_gbit_per_s"`
	ClientCPU  float64 `json:"client_cpu_percent"`
}

// stream keeps every connection busy in both directions: a writer and a reader per connection.
// pipeline: 64 B messages written batch at a time, at most window messages in flight per
// connection (the reader hands credit back as echoes arrive), like a pipelining client.
// bulk: size-byte writes as fast as TCP takes them; flow control is the only limit.
func stream(o options, pipelined bool) (any, error) {
	conns, err := dialAll(o.addr, o.conns)
	if err != nil {
		return nil, err
	}
	var echoed atomic.Int64
	var stop atomic.Bool
	done := make(chan struct{})
	var wg sync.WaitGroup
	errc := make(chan error, 2*len(conns))
	for _, c := range conns {
		wg.Add(2)
		credit := make(chan struct{}, max(1, o.window/o.batch))
		if pipelined {
			for i := 0; i < cap(credit); i++ {
				credit <- struct{}{}
			}
		}
		go func(c net.Conn) { // writer
			defer wg.Done()
			n := o.size
			if pipelined {
				n = o.size * o.batch
			}
			buf := make([]byte, n)
			for !stop.Load() {
				if pipelined {
					select {
					case <-credit:
					case <-done:
						return
					}
				}
				if _, err := c.Write(buf); err != nil {
					if !stop.Load() {
						errc <- fmt.Errorf("write: %w", err)
					}
					return
				}
			}
		}(c)
		go func(c net.Conn) { // reader
			defer wg.Done()
			buf := make([]byte, 64<<10)
			batchBytes := o.size * o.batch
			pending := 0
			for {
				n, err := c.Read(buf)
				if n > 0 {
					echoed.Add(int64(n))
					if pipelined {
						pending += n
						for pending >= batchBytes {
							pending -= batchBytes
							credit <- struct{}{}
						}
					}
				}
				if err != nil {
					if !stop.Load() {
						errc <- fmt.Errorf("read: %w", err)
					}
					return
				}
			}
		}(c)
	}

	time.Sleep(o.warmup)
	start := echoed.Load()
	w := startWindow()
	select {
	case err := <-errc:
		stop.Store(true)
		close(done)
		closeAll(conns)
		return nil, err
	case <-time.After(o.duration):
	}
	bytes := echoed.Load() - start
	seconds, cpu := w.end()
	stop.Store(true)
	close(done)
	closeAll(conns)
	wg.Wait()

	r := streamResult{Mode: o.mode, Conns: o.conns, Size: o.size, Seconds: seconds, BytesBack: bytes,
		MsgsPerSec: float64(bytes) / float64(o.size) / seconds,
		Gbits:      float64(bytes) * 8 / seconds / 1e9, ClientCPU: cpu}
	if pipelined {
		r.Batch, r.Window = o.batch, o.window
	}
	return r, nil
}
