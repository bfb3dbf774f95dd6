// Command goecho is the classic Go TCP echo server that tcpfleet is measured against:
// net.Listen, one goroutine per connection, io.Copy(c, c). Nothing is tuned. With -tls-cert and
// -tls-key it is the classic crypto/tls echo: tls.NewListener over the same listener, the
// package's defaults (TLS 1.2 and 1.3, session tickets on).
//
// The one addition is SIGUSR1, on which it collects garbage and prints its memory statistics as
// one JSON line on stdout, so the benchmark can report live heap next to RSS. It runs on its
// own goroutine and never touches a connection.
package main

import (
	"crypto/tls"
	"encoding/json"
	"flag"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7000", "listen address")
	certFile := flag.String("tls-cert", "", "PEM certificate chain: speak TLS (needs -tls-key)")
	keyFile := flag.String("tls-key", "", "PEM private key")
	flag.Parse()

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			log.Fatal(err)
		}
		l = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{cert}})
	}
	go reportMemoryOnSignal()
	log.Printf("goecho listening on %s", l.Addr())
	for {
		c, err := l.Accept()
		if err != nil {
			// Out of file descriptors, for example: back off as net/http does, then go on.
			log.Print(err)
			time.Sleep(5 * time.Millisecond)
			continue
		}
		go func(c net.Conn) {
			defer c.Close()
			io.Copy(c, c)
		}(c)
	}
}

func reportMemoryOnSignal() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	enc := json.NewEncoder(os.Stdout)
	for range sig {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		enc.Encode(map[string]uint64{
			"heap_alloc":  m.HeapAlloc,
			"heap_inuse":  m.HeapInuse,
			"stack_inuse": m.StackInuse,
			"sys":         m.Sys,
			"goroutines":  uint64(runtime.NumGoroutine()),
		})
	}
}
