# Shared by up.sh and down.sh: paths of the local control plane and of its state.
# shellcheck shell=bash

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/bin"
state="$here/.state"
pki="$state/pki"
logs="$state/logs"
pids="$state/pids"
kubeconfig="$state/kubeconfig"
# Start order; down.sh stops them in reverse.
components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
source "$here/node.sh"
source "$here/packages.sh"
# up.sh records whether it started the real node; its processes then count as components too.
if [[ -f "$state/node.enabled" ]]; then components+=("${node_components[@]}"); fi

fail() { echo "$(basename "$0"): $*" >&2; exit 1; }
say() { echo "$(basename "$0"): $*" >&2; }

# Serialises up.sh and down.sh of this checkout (bin/ outlives .state/).
take_lock() {
  mkdir -p "$bin"
  exec 9>"$bin/.cluster.lock"
  flock 9
}

# The pid recorded for a component, if that process still runs our bin/ binary (also when
# build.sh has since replaced the file: its exe then reads "... (deleted)"). Used to stop it.
our_pid() {
  local name="$1" pid
  [[ -f "$pids/$name.pid" ]] || return 1
  pid="$(cat "$pids/$name.pid")"
  case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in
    "$bin/$name" | "$bin/$name (deleted)") echo "$pid" ;;
    *) return 1 ;;
  esac
}

# Like our_pid, but only while it runs the current binary: a stale one is not reused.
live_pid() {
  local name="$1" pid
  pid="$(our_pid "$name")" || return 1
  [[ "$(readlink "/proc/$pid/exe")" == "$bin/$name" ]] || return 1
  echo "$pid"
}

# stop NAME: SIGTERM to our process NAME, SIGKILL after 10 s.
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

kctl() { kubectl --kubeconfig "$kubeconfig" "$@"; }

# True when every component runs and the API server answers /readyz.
healthy() {
  local c
  [[ -f "$kubeconfig" ]] || return 1
  for c in "${components[@]}"; do live_pid "$c" >/dev/null || return 1; done
  [[ "$(kctl get --raw /readyz 2>/dev/null)" == "ok" ]]
}
