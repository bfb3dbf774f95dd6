// goecho is the classic Go echo server: one goroutine per connection, io.Copy, no signal handling.
// On SIGTERM the Go runtime exits at once and the kernel closes every connection: what a server
// without drain does during a rollout. The reliability tests build it with `go build` and run it
// beside tcpfleet to show what drain prevents.
package main

import (
	"flag"
	"io"
	"log"
	"net"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:7000", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go func(c net.Conn) {
			defer c.Close()
			io.Copy(c, c)
		}(conn)
	}
}
