//go:build tools

// Package tools pins CoreDNS, the real node's cluster DNS (../../build.sh).
package tools

import _ "github.com/coredns/coredns"
