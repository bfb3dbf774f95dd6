package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"syscall"
)

// The pipeline and bulk modes only count the bytes that come back, so the client need not copy
// them: a load generator that spends its core on memcpy measures itself, not the server (the
// first runs of this benchmark were client-bound). Reads drop the bytes in the kernel with
// recv(MSG_TRUNC); bulk writes send a page-cache file with sendfile(2). Both servers under test
// still read and write every byte through their own sockets.

// discarder returns a read function that drops up to 1 MiB of received bytes per call without
// copying them and reports how many there were (io.EOF at the end of the stream).
func discarder(c net.Conn) (func() (int, error), error) {
	rc, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		return nil, err
	}
	sink := make([]byte, 1<<20) // never written: MSG_TRUNC only uses its length
	return func() (int, error) {
		var n int
		var rerr error
		err := rc.Read(func(fd uintptr) bool {
			n, _, rerr = syscall.Recvfrom(int(fd), sink, syscall.MSG_TRUNC|syscall.MSG_DONTWAIT)
			return rerr != syscall.EAGAIN
		})
		switch {
		case err != nil:
			return 0, err
		case rerr != nil:
			return 0, rerr
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}, nil
}

// payloadFile is a size-byte file in /dev/shm (page cache only), unlinked at once.
func payloadFile(size int) (*os.File, error) {
	f, err := os.CreateTemp("/dev/shm", "loadgen-payload-")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name())
	if _, err := f.Write(make([]byte, size)); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// sender returns a write function that sends the whole payload file on c with sendfile(2).
func sender(c net.Conn, payload *os.File, size int) (func() error, error) {
	rc, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		return nil, err
	}
	in := int(payload.Fd())
	return func() error {
		var off int64
		var werr error
		err := rc.Write(func(fd uintptr) bool {
			for off < int64(size) {
				n, err := syscall.Sendfile(int(fd), in, &off, size-int(off))
				if err == syscall.EAGAIN {
					return false
				}
				if err != nil {
					werr = err
					return true
				}
				if n == 0 {
					werr = fmt.Errorf("sendfile: no progress at offset %d", off)
					return true
				}
			}
			return true
		})
		runtime.KeepAlive(payload) // the closure owns the file: collecting it would close in
		if err != nil {
			return err
		}
		return werr
	}, nil
}
