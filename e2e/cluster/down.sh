#!/usr/bin/env bash
# Stops the local control plane started by up.sh (exactly the pids recorded in .state/pids whose
# executable is still our bin/ binary) and removes .state/. Stops the real node first: its pods,
# containers and mounts, then containerd, kubelet and kube-proxy, then its routes, bridge and
# iptables chains, so the machine is left as it was. Safe to run when nothing is running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# up.sh calls us with --locked while it already holds the lock.
[[ "${1:-}" == "--locked" ]] || take_lock

# The real node goes first, while the API server can still see its pods go; node_down fails
# rather than leave a mount under .state/ that rm -rf would walk into.
if [[ -f "$state/node.enabled" || -d "$state/node" ]]; then node_down; fi
if [[ -f "$state/routes.enabled" ]]; then ip route del local "$service_range" dev lo 2>/dev/null || true; fi
for ((i = ${#components[@]} - 1; i >= 0; i--)); do stop "${components[i]}"; done
rm -rf "$state"
say "stopped"
