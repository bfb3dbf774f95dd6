#!/usr/bin/env bash
# `make demo-down`: stops what `make demo` started: the metrics port-forward (exactly the pid in
# .demo/ whose command line is still ours), then the local control plane with its real node and
# every pod on it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
demo="$root/.demo"
source "$root/e2e/demo/lib.sh"
cd "$root"

stop_pidfile "$demo/port-forward.pid" port-forward 5
step "stopping the local control plane and its real node: make cluster-down"
make --no-print-directory cluster-down
echo "demo stopped (logs kept in .demo/)"
