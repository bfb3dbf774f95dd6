// Command drainclient measures a drain from the clients' side (bench/paced_drain.py runs it): many
// long-lived connections to server A, each sending a chunk of its own byte sequence every interval
// and checking the echo; when A closes one, the client notes the time, reconnects to server B and
// resumes from the last byte echoed, resending what A had not echoed. So the close times show how
// fast A let its clients go, and the byte counts show whether any client lost a byte on the way.
//
//	drainclient -a 127.0.0.1:7000 -b 127.0.0.1:7001 -conns 5000 -size 64 -interval 5s
//
// stdin: "stop" ends the run. stdout: "ready N" once every connection has made a round trip, then
// one JSON object at the end.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type options struct {
	a, b     string
	conns    int
	size     int
	interval time.Duration
}

type result struct {
	Conns           int       `json:"conns"`
	ClosedByA       int       `json:"closed_by_a"`
	Reconnected     int       `json:"reconnected"`
	ReconnectFailed int       `json:"reconnect_failed"`
	BytesSent       int64     `json:"bytes_sent"`
	BytesEchoed     int64     `json:"bytes_echoed"`
	BytesLost       int64     `json:"bytes_lost"`
	Mismatches      int64     `json:"mismatches"`
	ClientsLosing   int       `json:"clients_losing_bytes"`
	CloseSeconds    []float64 `json:"close_seconds"` // when A closed each connection, since the start
}

// seq is the byte at offset k of client id's sequence.
func seq(id int, k int64) byte { return byte(k*131 + int64(id)*7 + k>>8) }

// client is one logical client: a sequence, sent in chunks, echoed back in order.
type client struct {
	id             int
	sent, echoed   int64
	mismatches     int64
	closedByA      bool
	closedAt       time.Duration
	reconnectError error
}

func main() {
	var o options
	flag.StringVar(&o.a, "a", "", "server being drained")
	flag.StringVar(&o.b, "b", "", "server to reconnect to")
	flag.IntVar(&o.conns, "conns", 5000, "connections (clients)")
	flag.IntVar(&o.size, "size", 64, "bytes per chunk")
	flag.DurationVar(&o.interval, "interval", 5*time.Second, "time between a client's chunks (random phase)")
	flag.Parse()
	if o.a == "" || o.b == "" {
		fmt.Fprintln(os.Stderr, "drainclient: -a and -b are required")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "drainclient:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	start := time.Now()
	var stop atomic.Bool
	clients := make([]*client, o.conns)
	conns := make([]net.Conn, o.conns)
	// Connect and make one round trip each, 32 at a time, before anything is measured.
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= o.conns {
					return
				}
				c := &client{id: i}
				clients[i] = c
				conn, err := net.Dial("tcp", o.a)
				if err == nil {
					err = c.roundTrip(conn, o.size)
				}
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				conns[i] = conn
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return fmt.Errorf("connecting to %s: %w", o.a, err)
	}
	fmt.Printf("ready %d\n", o.conns)

	var done sync.WaitGroup
	for i, c := range clients {
		done.Add(1)
		phase := time.Duration(rand.Int63n(int64(o.interval)))
		go func(c *client, conn net.Conn) {
			defer done.Done()
			c.loop(conn, o, start, phase, &stop)
		}(c, conns[i])
	}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() && in.Text() != "stop" {
	}
	stop.Store(true)
	done.Wait()

	r := result{Conns: o.conns}
	for _, c := range clients {
		r.BytesSent += c.sent
		r.BytesEchoed += c.echoed
		r.Mismatches += c.mismatches
		if c.closedByA {
			r.ClosedByA++
			r.CloseSeconds = append(r.CloseSeconds, c.closedAt.Seconds())
			if c.reconnectError == nil {
				r.Reconnected++
			}
		}
		if c.reconnectError != nil {
			r.ReconnectFailed++
		}
		if c.sent != c.echoed || c.mismatches > 0 {
			r.ClientsLosing++
		}
	}
	r.BytesLost = r.BytesSent - r.BytesEchoed
	sort.Float64s(r.CloseSeconds)
	return json.NewEncoder(os.Stdout).Encode(r)
}

// roundTrip sends the next chunk of the sequence and reads its echo.
func (c *client) roundTrip(conn net.Conn, size int) error {
	if err := c.send(conn, size); err != nil {
		return err
	}
	buf := make([]byte, size)
	for c.echoed < c.sent {
		n, err := conn.Read(buf[:c.sent-c.echoed])
		c.check(buf[:n])
		if err != nil {
			return err
		}
	}
	return nil
}

func (c *client) send(conn net.Conn, size int) error {
	chunk := make([]byte, size)
	for j := range chunk {
		chunk[j] = seq(c.id, c.sent+int64(j))
	}
	c.sent += int64(size)
	_, err := conn.Write(chunk)
	return err
}

// check compares echoed bytes with the sequence at the echoed offset.
func (c *client) check(b []byte) {
	for _, x := range b {
		if x != seq(c.id, c.echoed) {
			c.mismatches++
		}
		c.echoed++
	}
}

// loop reads all the time (so a close is seen at once) and sends a chunk every interval; on A's
// close it moves to B and resends what was not echoed. After stop it waits for the last echo.
func (c *client) loop(conn net.Conn, o options, start time.Time, phase time.Duration, stop *atomic.Bool) {
	buf := make([]byte, 4096)
	nextSend := time.Now().Add(phase)
	onA := true
	stopSeen := time.Time{}
	for {
		if stop.Load() && stopSeen.IsZero() {
			stopSeen = time.Now()
		}
		if !stopSeen.IsZero() && (c.echoed == c.sent || time.Since(stopSeen) > 10*time.Second) {
			conn.Close()
			return
		}
		deadline := nextSend
		if !stopSeen.IsZero() || deadline.Sub(time.Now()) > 100*time.Millisecond {
			deadline = time.Now().Add(100 * time.Millisecond) // look at stop now and then
		}
		conn.SetReadDeadline(deadline)
		n, err := conn.Read(buf)
		c.check(buf[:n])
		var timeout net.Error
		switch {
		case err == nil:
		case errors.As(err, &timeout) && timeout.Timeout():
			if stopSeen.IsZero() && !time.Now().Before(nextSend) {
				nextSend = nextSend.Add(o.interval)
				c.send(conn, o.size) // a failed write shows as a failed read next
			}
		case onA && (errors.Is(err, io.EOF) || isReset(err)):
			c.closedByA, c.closedAt = true, time.Since(start)
			conn.Close()
			onA = false
			conn, c.reconnectError = c.reconnect(o)
			if c.reconnectError != nil {
				return
			}
		default:
			c.reconnectError = err // B failed us: counted, the bytes not echoed count as lost
			conn.Close()
			return
		}
	}
}

// reconnect dials B and resends what A did not echo.
func (c *client) reconnect(o options) (net.Conn, error) {
	var conn net.Conn
	var err error
	for try := 0; try < 5; try++ {
		if conn, err = net.Dial("tcp", o.b); err == nil {
			break
		}
		time.Sleep(time.Duration(100<<try) * time.Millisecond)
	}
	if err != nil {
		return nil, err
	}
	resend := make([]byte, c.sent-c.echoed)
	for j := range resend {
		resend[j] = seq(c.id, c.echoed+int64(j))
	}
	_, err = conn.Write(resend)
	return conn, err
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}
