"""Operator at scale (issue 7): 1,000 TcpServices against the local control plane.

Run through `bash bench/run.sh operator` (it builds the operator jar and the control plane binaries,
then calls this). Starts the local control plane if it is not up (and stops it again at the end,
only then), runs the packaged operator as a process with its own ServiceAccount's token (a
TokenRequest, as e2e/demo/demo.sh does) and deploy/'s JVM options and memory limit, creates
BENCH_SCALE_COUNT TcpServices (examples/echo.yaml with replicas 1), waits until all are Ready,
changes a setting of all of them (a rollout each), waits again. Then, with the operator stopped, the
control plane alone: the children the operator made for one TcpService, server-side applied for all of
them in a namespace of their own, created and then changed as the operator changed them, each until
every Deployment is rolled out (the floor any operator stands on here; BENCH_SCALE_FLOOR=0 skips it).
Writes docs/bench/operator-scale.{json,md,png}. The code is in bench/scale/, one job a module.

  python operator_scale.py          run the benchmark, then the report
  python operator_scale.py report   only turn operator-scale.json into the .md and .png
  python operator_scale.py steady   the recurring cost of autoscaling and rebalancing instead (scale/steady.py)

Where the numbers come from:
  - Ready: a watch on the TcpServices (one admin client); a TcpService counts as Ready at a
    generation when status.observedGeneration is that generation, Ready=True and Progressing=False
    (rolled out: during a rollout Ready stays True, it means capacity, so Progressing tells the end).
  - reconciles, reconcile duration, failures: the operator's /q/metrics (JOSDK Micrometer metrics).
  - API requests: the API server's own metrics, through a FlowSchema that matches only the
    operator's ServiceAccount (apiserver_flowcontrol_dispatched_requests_total of that schema).
  - RSS: VmRSS of the operator process (psutil), sampled every half second.
  - CPU per process: user and system CPU seconds (psutil) of each control plane component
    (e2e/cluster/.state/pids), the operator and this client, at the start and the end of each phase.
"""

import sys

from scale.benchmark import run_bench
from scale.report import report
from scale.settings import VARIANT
from scale.steady import run_steady

if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "all"
    if mode == "all":
        run_bench()
        if not VARIANT:
            report()
    elif mode == "report":
        report()
    elif mode == "steady":
        run_steady()
    else:
        sys.exit("usage: operator_scale.py [all|report|steady]")
