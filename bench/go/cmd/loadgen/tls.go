package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// TLS for the ping-pong and bulk modes (-tls) and the handshake mode, against servers that present
// the certificate of bench/go/cmd/gencert: the client verifies it against -tls-ca, as a real client
// would. Versions and cipher suites are crypto/tls's defaults (TLS 1.3 with AES-GCM on this CPU);
// the result names what was negotiated.

func clientTLS(o options, cache tls.ClientSessionCache) (*tls.Config, error) {
	pem, err := os.ReadFile(o.tlsCA)
	if err != nil {
		return nil, fmt.Errorf("-tls-ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("-tls-ca %s: no PEM certificate", o.tlsCA)
	}
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return nil, err
	}
	return &tls.Config{RootCAs: pool, ServerName: host, ClientSessionCache: cache}, nil
}

// negotiated names a connection's version and cipher suite, e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256".
func negotiated(c *tls.Conn) string {
	s := c.ConnectionState()
	return tls.VersionName(s.Version) + " " + tls.CipherSuiteName(s.CipherSuite)
}

type handshakeResult struct {
	Mode       string  `json:"mode"`
	Resume     bool    `json:"resume"`
	Conns      int     `json:"conns"`
	Seconds    float64 `json:"seconds"`
	Handshakes int64   `json:"handshakes"`
	PerSecond  float64 `json:"handshakes_per_s"`
	Resumed    float64 `json:"resumed_fraction"`
	TLS        string  `json:"tls"`
	ClientCPU  float64 `json:"client_cpu_percent"`
}

// handshakes: o.conns workers, each in a loop connect, TLS handshake, one size-byte round trip (a
// TLS 1.3 client only reads the server's session ticket with its first application data), close.
// Without -tls-resume every handshake is a full one (a new tls.Config without a session cache);
// with it all workers share one ClientSessionCache, so after the first each one resumes from a
// ticket (the result says what fraction did).
func handshakes(o options) (any, error) {
	var cache tls.ClientSessionCache
	if o.tlsResume {
		cache = tls.NewLRUClientSessionCache(64)
	}
	if _, err := clientTLS(o, cache); err != nil {
		return nil, err
	}
	var count, resumed atomic.Int64
	var measuring, stop atomic.Bool
	var suite atomic.Value
	errc := make(chan error, o.conns)
	var wg sync.WaitGroup
	for i := 0; i < o.conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg, in := make([]byte, o.size), make([]byte, o.size)
			for !stop.Load() {
				cfg, _ := clientTLS(o, cache) // a fresh config: no state carried over unless cache
				raw, err := dial(o)
				if err != nil {
					errc <- err
					return
				}
				c := tls.Client(raw, cfg)
				err = c.Handshake()
				if err == nil {
					_, err = c.Write(msg)
				}
				if err == nil {
					_, err = readFullConn(c, in)
				}
				if err == nil && measuring.Load() {
					count.Add(1)
					if c.ConnectionState().DidResume {
						resumed.Add(1)
					}
					suite.Store(negotiated(c))
				}
				c.Close()
				if err != nil && !stop.Load() {
					errc <- fmt.Errorf("handshake: %w", err)
					return
				}
			}
		}()
	}
	time.Sleep(o.warmup)
	measuring.Store(true)
	w := startWindow()
	var err error
	select {
	case err = <-errc:
	case <-time.After(o.duration):
	}
	measuring.Store(false)
	n, r := count.Load(), resumed.Load()
	seconds, cpu := w.end()
	stop.Store(true)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("no handshake completed")
	}
	name, _ := suite.Load().(string)
	return handshakeResult{"handshake", o.tlsResume, o.conns, seconds, n, float64(n) / seconds,
		float64(r) / float64(n), name, cpu}, nil
}

func readFullConn(c net.Conn, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := c.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// fdConn is a net.Conn over a blocking socket, read(2) and write(2) on the caller's thread, so that
// crypto/tls runs over the same client loop as plain ping-pong (no netpoller; see pingpong.go).
type fdConn struct{ fd int }

func (c fdConn) Read(b []byte) (int, error) {
	for {
		n, err := syscall.Read(c.fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, fmt.Errorf("read: connection closed by the server")
		}
		return n, nil
	}
}

func (c fdConn) Write(b []byte) (int, error) {
	if err := writeAll(c.fd, b); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (c fdConn) Close() error                     { return syscall.Close(c.fd) }
func (c fdConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c fdConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c fdConn) SetDeadline(time.Time) error      { return nil }
func (c fdConn) SetReadDeadline(time.Time) error  { return nil }
func (c fdConn) SetWriteDeadline(time.Time) error { return nil }

// proxyV2 is a PROXY protocol v2 header (PROXY command, TCP over IPv4) naming a made-up client
// 192.0.2.1:40000 and the server: what a load balancer sends at the start of each connection.
func proxyV2(server string) ([]byte, error) {
	ap, err := net.ResolveTCPAddr("tcp4", server)
	if err != nil {
		return nil, err
	}
	h := []byte("\r\n\r\n\x00\r\nQUIT\n")
	h = append(h, 0x21, 0x11, 0, 12) // v2 PROXY, TCP over IPv4, 12 address bytes
	h = append(h, 192, 0, 2, 1)
	h = append(h, ap.IP.To4()...)
	h = binary.BigEndian.AppendUint16(h, 40000)
	h = binary.BigEndian.AppendUint16(h, uint16(ap.Port))
	return h, nil
}
