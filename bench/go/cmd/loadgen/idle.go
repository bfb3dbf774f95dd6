package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// idle opens connections on command and holds them, spreading them over several source
// addresses so that no source runs out of ephemeral ports. Each new connection does one round
// trip first, so that the server has really set it up, then stays silent.
// stdin: "open N" (answers {"open": total, "failed": n, "error": "..."}) or "quit".
func idle(o options) error {
	sources, err := parseSources(o.sources)
	if err != nil {
		return err
	}
	var held []net.Conn
	enc := json.NewEncoder(os.Stdout)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		f := strings.Fields(in.Text())
		if len(f) == 0 {
			continue
		}
		if f[0] == "quit" {
			break
		}
		n, err := strconv.Atoi(f[len(f)-1])
		if f[0] != "open" || len(f) != 2 || err != nil {
			return fmt.Errorf("unknown command %q", in.Text())
		}
		opened, failed, firstErr := openIdle(o.addr, sources, len(held), n, o.perConn)
		held = append(held, opened...)
		msg := ""
		if firstErr != nil {
			msg = firstErr.Error()
		}
		enc.Encode(map[string]any{"open": len(held), "failed": failed, "error": msg})
	}
	closeAll(held)
	return nil
}

func openIdle(addr string, sources []net.IP, already, n, pings int) ([]net.Conn, int, error) {
	const parallel = 32
	var (
		mu       sync.Mutex
		opened   []net.Conn
		failed   atomic.Int64
		firstErr error
		next     atomic.Int64
		wg       sync.WaitGroup
	)
	for g := 0; g < parallel; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 64)
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				src := sources[(already+i)%len(sources)]
				d := net.Dialer{LocalAddr: &net.TCPAddr{IP: src}}
				c, err := d.Dial("tcp", addr)
				if err == nil {
					for p := 0; p < pings && err == nil; p++ {
						if _, err = c.Write(buf); err == nil {
							_, err = io.ReadFull(c, buf)
						}
					}
					if err != nil {
						c.Close()
					}
				}
				mu.Lock()
				if err != nil {
					failed.Add(1)
					if firstErr == nil {
						firstErr = err
					}
				} else {
					opened = append(opened, c)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return opened, int(failed.Load()), firstErr
}

func parseSources(s string) ([]net.IP, error) {
	first, last, ok := strings.Cut(s, "-")
	a, b := net.ParseIP(first).To4(), net.ParseIP(last).To4()
	if !ok || a == nil || b == nil || a[0] != 127 || a[1] != b[1] || a[2] != b[2] || a[3] > b[3] {
		return nil, fmt.Errorf("-sources %q is not first-last within one 127.x.y.0/24", s)
	}
	var ips []net.IP
	for i := int(a[3]); i <= int(b[3]); i++ {
		ips = append(ips, net.IPv4(a[0], a[1], a[2], byte(i)))
	}
	return ips, nil
}
