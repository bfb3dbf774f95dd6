//go:build tools

// Pins kustomize for ../../build.sh.
package tools

import _ "sigs.k8s.io/kustomize/kustomize/v5"
