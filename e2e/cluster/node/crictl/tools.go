//go:build tools

// Package tools pins crictl, for debugging the real node's containers (../../build.sh).
package tools

import _ "sigs.k8s.io/cri-tools/cmd/crictl"
