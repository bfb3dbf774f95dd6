//go:build tools

// Package tools pins kwok, whose command ../build.sh compiles.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
