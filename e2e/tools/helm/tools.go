//go:build tools

// Pins Helm for ../build.sh; the chart's tests (e2e) run the binary it builds.
package tools

import _ "helm.sh/helm/v4/cmd/helm"
