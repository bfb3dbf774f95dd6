#!/usr/bin/env bash
# `make demo-down`: stops what `make demo` started: the server process, the operator process
# (exactly the pids in .demo/ whose command line is still ours), then the local control plane.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
demo="$root/.demo"
source "$root/e2e/demo/lib.sh"
cd "$root"

step "stopping the demo server and operator"
stop_pidfile "$demo/server.pid" tcpfleet-server.jar 45
# The operator exits within seconds of SIGTERM; if it ever does not, killing it is safe: it
# holds no state (the Lease simply expires).
stop_pidfile "$demo/operator.pid" quarkus-run.jar 20
rm -f "$demo/operator.kubeconfig"

step "stopping the local control plane: make cluster-down"
make --no-print-directory cluster-down
echo "demo stopped (logs kept in .demo/)"
