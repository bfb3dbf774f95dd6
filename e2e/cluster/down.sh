#!/usr/bin/env bash
# Stops the local control plane started by up.sh (exactly the pids recorded in .state/pids whose
# executable is still our bin/ binary) and removes .state/. Safe to run when nothing is running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# up.sh calls us with --locked while it already holds the lock.
[[ "${1:-}" == "--locked" ]] || take_lock

stop() {
  local name="$1" pid
  pid="$(our_pid "$name")" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    our_pid "$name" >/dev/null || return 0
    sleep 0.1
  done
  say "$name (pid $pid) ignored SIGTERM for 10s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

for ((i = ${#components[@]} - 1; i >= 0; i--)); do stop "${components[i]}"; done
rm -rf "$state"
say "stopped"
