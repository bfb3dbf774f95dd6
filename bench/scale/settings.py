"""What the operator benchmark runs against and how much: paths, the BENCH_SCALE_* settings, the names it
gives its namespaces and objects, the targets of issue 7."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # bench/scale/settings.py
OUT = ROOT / "docs" / "bench"
LOGS = ROOT / "bench" / ".out" / "operator-scale"
CLUSTER = ROOT / "e2e" / "cluster"
KUBECONFIG = CLUSTER / ".state" / "kubeconfig"
# run.sh copies operator/target/quarkus-app here, so a rebuild during the run cannot change it.
OPERATOR_JAR = ROOT / "bench" / ".build" / "operator-app" / "quarkus-run.jar"
DEPLOYMENT = ROOT / "deploy" / "operator" / "operator-deployment.yaml"

COUNT = int(os.environ.get("BENCH_SCALE_COUNT", "1000"))
PARALLEL = int(os.environ.get("BENCH_SCALE_PARALLEL", "8"))  # concurrent create/patch requests
TIMEOUT = float(os.environ.get("BENCH_SCALE_TIMEOUT", "600"))  # per phase
OPERATOR_CPU = os.environ.get("BENCH_OPERATOR_CPU", "0")  # taskset -c; empty: not pinned
# The same children applied without the operator after its phases, for the control plane's own time (0: skip).
FLOOR = os.environ.get("BENCH_SCALE_FLOOR", "1") != "0"
# A name for a tuning experiment (e.g. with QUARKUS_OPERATOR_SDK_* in the environment, which the operator
# inherits): results go to bench/.out/operator-scale/NAME.json instead of docs/bench/.
VARIANT = os.environ.get("BENCH_SCALE_VARIANT", "")

NS = "bench-scale"  # the TcpServices
FLOOR_NS = "bench-scale-floor"  # the same children without the operator
RESTRICTED = {"pod-security.kubernetes.io/enforce": "restricted"}  # both namespaces, as examples/namespace.yaml
OPERATOR_NS = "bench-scale-system"  # the operator's ServiceAccount and Lease
ACCOUNT = "tcpfleet-operator"
FLOW_SCHEMA = "tcpfleet-bench-operator"
UPDATE = {"spec": {"connections": {"idleTimeout": "4m"}}}  # examples/echo.yaml has 5m: rolls every Deployment

TARGET_READY_S = 60
TARGET_RSS_MIB = 300
