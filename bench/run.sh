#!/usr/bin/env bash
# make bench: tcpfleet against the classic Go echo server and this machine's loopback ceilings.
# Installs what it needs (iperf3, sockperf, gcc from Debian; bench/requirements.txt from PyPI into bench/.venv),
# builds the Go peer and load generator with the machine's Go, the C epoll echo and proxy (bench/c) and the server jar, runs
# bench.py (about 35 minutes with the defaults) and writes docs/bench/results.md and *.png.
#   BENCH_DURATION=15 BENCH_WARMUP=3 BENCH_ROUNDS=3 BENCH_SERVER_WARMUP=20  (seconds, rounds)
#   bench/run.sh tune   compares tcpfleet variants instead (BENCH_VARIANTS, see bench.py)
#   bench/run.sh tls | proxy-protocol | small-writes | data-plane   only that section (data-plane: all three),
#                       into the existing docs/bench/results.json, then the report (BENCH_BASELINE_JAR=old.jar
#                       measures a second jar next to the current one)
#   bench/run.sh paced-drain   only the paced drain (bench/paced_drain.py, BENCH_DRAIN_CONNS/RATE/INTERVAL)
#   bench/run.sh operator   the operator at scale instead (see below)
set -euo pipefail
cd "$(dirname "$0")/.."

# bench/run.sh operator: the operator at scale against the local control plane (bench/operator_scale.py):
# builds the operator jar (not with BENCH_SKIP_JAR) and the control plane binaries, runs a snapshot of
# the operator, writes docs/bench/operator-scale.{json,md,png}. BENCH_SCALE_COUNT=1000 BENCH_SCALE_PARALLEL=8
# bench/run.sh operator-steady: the operator's recurring cost of spec.autoscaling and spec.rebalance at
# BENCH_SCALE_COUNT TcpServices (bench/scale/steady.py; also builds the server jar that answers for the pods).
if [ "${1:-}" = operator ] || [ "${1:-}" = operator-steady ]; then
  for tool in kubectl taskset java go; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found on PATH" >&2; exit 1; }
  done
  bash bench/venv.sh
  if [ -z "${BENCH_SKIP_JAR:-}" ]; then
    flock /tmp/tcpfleet-mvn.lock mvn -B -ntp -q -pl operator -am -DskipTests package
  fi
  [ "$1" = operator ] || [ -f server/target/tcpfleet-server.jar ] \
    || flock /tmp/tcpfleet-mvn.lock mvn -B -ntp -q -pl server -DskipTests package
  rm -rf bench/.build/operator-app && mkdir -p bench/.build
  cp -r operator/target/quarkus-app bench/.build/operator-app  # a rebuild during the run cannot swap it
  bash e2e/cluster/build.sh
  echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) (numbers are only meaningful on an idle machine)"
  [ "$1" = operator ] && exec bench/.venv/bin/python bench/operator_scale.py
  exec bench/.venv/bin/python bench/operator_scale.py steady
fi

need=()
command -v iperf3 >/dev/null || need+=(iperf3)
command -v sockperf >/dev/null || need+=(sockperf)
command -v taskset >/dev/null || need+=(util-linux)
command -v jcmd >/dev/null || need+=(openjdk-17-jdk-headless)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
if ((${#need[@]})); then
  echo "bench: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash bench/venv.sh
if [ "$(nproc)" -lt 2 ]; then
  echo "bench: needs 2 CPUs (server on one, client on the other), this machine has $(nproc)" >&2
  exit 1
fi

(cd bench/go && go vet ./... && go build -o ../.build/ ./cmd/...)
gcc -O2 -Wall -o bench/.build/crelay bench/c/crelay.c
if [ -z "${BENCH_SKIP_JAR:-}" ]; then
  flock /tmp/tcpfleet-mvn.lock mvn -B -ntp -q -pl server -DskipTests package
fi
cp server/target/tcpfleet-server.jar bench/.build/tcpfleet-server.jar

echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) (numbers are only meaningful on an idle machine)"
case "${1:-all}" in
  tune) exec bench/.venv/bin/python bench/bench.py tune ;;
  paced-drain) exec bench/.venv/bin/python bench/paced_drain.py ;;
  all | tls | proxy-protocol | small-writes | data-plane) bench/.venv/bin/python bench/bench.py "${1:-all}" ;;
  *) echo "usage: bash bench/run.sh [tune|operator|tls|proxy-protocol|small-writes|data-plane|paced-drain]" >&2; exit 2 ;;
esac
bench/.venv/bin/python bench/report.py >/dev/null
if [ "${1:-all}" = all ]; then
  bench/.venv/bin/python bench/paced_drain.py
fi
echo "bench: wrote docs/bench/results.md, paced-drain.md and docs/bench/*.png"
