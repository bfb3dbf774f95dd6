# Helpers of demo.sh and demo-down.sh.
# shellcheck shell=bash

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "demo: $*" >&2; exit 1; }

# A TCP port on 127.0.0.1 that nothing listens on right now, below the kernel's ephemeral range
# (a client connection cannot take it before the demo binds it).
free_port() {
  local p low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  (( low > 21000 )) || low=50000
  while true; do
    p=$((20000 + RANDOM % (low - 20000)))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# True while the pid in pidfile runs a command line containing pattern (so a recycled pid is
# never taken for ours).
pidfile_alive() {
  local pidfile="$1" pattern="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"
}

# Stops the process of pidfile (SIGTERM, then SIGKILL after graceful_seconds) and removes pidfile.
stop_pidfile() {
  local pidfile="$1" pattern="$2" graceful_seconds="${3:-45}" pid i
  if pidfile_alive "$pidfile" "$pattern"; then
    pid="$(cat "$pidfile")"
    echo "stopping $pattern (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < graceful_seconds * 10; i++)); do
      pidfile_alive "$pidfile" "$pattern" || break
      sleep 0.1
    done
    if pidfile_alive "$pidfile" "$pattern"; then
      echo "$pattern (pid $pid) still running after ${graceful_seconds}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

# wait_http URL SECONDS PIDFILE LOG: waits for a 2xx from URL while the process still runs.
wait_http() {
  local url="$1" seconds="$2" pidfile="$3" log="$4" i
  for ((i = 0; i < seconds * 2; i++)); do
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "the process exited; last lines of $log:" >&2
      tail -20 "$log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "no answer from $url after ${seconds}s; last lines of $log:" >&2
  tail -20 "$log" >&2
  return 1
}

# Sends one line to host:port over bash's /dev/tcp and prints the line that comes back.
echo_round_trip() {
  local host="$1" port="$2" message="$3" reply fd
  exec {fd}<>"/dev/tcp/$host/$port" || return 1
  printf '%s\n' "$message" >&"$fd"
  IFS= read -r -t 10 reply <&"$fd" || { exec {fd}>&-; return 1; }
  exec {fd}>&-
  printf '%s' "$reply"
}
