package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
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
	ZeroCopy   bool    `json:"zero_copy"`
	TLS        string  `json:"tls,omitempty"`
}

// stream keeps every connection busy in both directions: a writer and a reader per connection.
// pipeline: 64 B messages written batch at a time, at most window messages in flight per
// connection (the reader hands credit back as echoes arrive), like a pipelining client; with
// -window 0 there is no bound (-batch 1 -window 0: one write(2) per message, as fast as TCP takes
// them). bulk: size-byte writes as fast as TCP takes them; flow control is the only limit.
// bulk -tls: the writes go through crypto/tls; the reader drops the encrypted echo in the kernel
// uncounted by record, so echoed bytes include TLS's record overhead (22 B per record of up to
// 16 KiB) and the client spends its core encrypting only.
func stream(o options, pipelined bool) (any, error) {
	conns, err := dialAll(o, o.conns)
	if err != nil {
		return nil, err
	}
	writeSize := o.size
	if pipelined {
		writeSize = o.size * o.batch
	}
	reads, writes, err := endpoints(conns, writeSize, o.copy, o.copy || pipelined || o.tls)
	suite := ""
	if err == nil && o.tls {
		suite, err = tlsWriters(o, conns, writes, writeSize)
	}
	if err != nil {
		closeAll(conns)
		return nil, err
	}
	var echoed atomic.Int64
	var stop atomic.Bool
	done := make(chan struct{})
	var wg sync.WaitGroup
	errc := make(chan error, 2*len(conns))
	for i := range conns {
		wg.Add(2)
		bounded := pipelined && o.window > 0
		credit := make(chan struct{}, max(1, o.window/o.batch))
		if bounded {
			for i := 0; i < cap(credit); i++ {
				credit <- struct{}{}
			}
		}
		go func(write func() error) { // writer
			defer wg.Done()
			for !stop.Load() {
				if bounded {
					select {
					case <-credit:
					case <-done:
						return
					}
				}
				if err := write(); err != nil {
					if !stop.Load() {
						errc <- fmt.Errorf("write: %w", err)
					}
					return
				}
			}
		}(writes[i])
		go func(read func() (int, error)) { // reader
			defer wg.Done()
			batchBytes := o.size * o.batch
			pending := 0
			for {
				n, err := read()
				if n > 0 {
					echoed.Add(int64(n))
					if bounded {
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
		}(reads[i])
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
	r.ZeroCopy = !o.copy
	r.TLS = suite
	return r, nil
}

// tlsWriters does a TLS handshake on each connection and makes its writes go through it.
func tlsWriters(o options, conns []net.Conn, writes []func() error, writeSize int) (string, error) {
	cfg, err := clientTLS(o, nil)
	if err != nil {
		return "", err
	}
	suite := ""
	for i, raw := range conns {
		c := tls.Client(raw, cfg)
		if err := c.Handshake(); err != nil {
			return "", fmt.Errorf("TLS handshake: %w", err)
		}
		buf := make([]byte, writeSize)
		writes[i] = func() error { _, err := c.Write(buf); return err }
		suite = negotiated(c)
	}
	return suite, nil
}

// endpoints gives each connection its read and write function: reads drop the echoed bytes in
// the kernel unless copyReads, writes send a page-cache file with sendfile(2) unless copyWrites
// (see zerocopy.go).
func endpoints(conns []net.Conn, writeSize int, copyReads, copyWrites bool) ([]func() (int, error), []func() error, error) {
	reads := make([]func() (int, error), len(conns))
	writes := make([]func() error, len(conns))
	var payload *os.File
	if !copyWrites {
		f, err := payloadFile(writeSize)
		if err != nil {
			return nil, nil, err
		}
		payload = f
	}
	for i, c := range conns {
		var err error
		if payload != nil {
			writes[i], err = sender(c, payload, writeSize)
		} else {
			buf := make([]byte, writeSize)
			writes[i] = func() error { _, err := c.Write(buf); return err }
		}
		if err != nil {
			return nil, nil, err
		}
		if copyReads {
			buf := make([]byte, 64<<10)
			reads[i] = func() (int, error) { return c.Read(buf) }
		} else if reads[i], err = discarder(c); err != nil {
			return nil, nil, err
		}
	}
	return reads, writes, nil
}
