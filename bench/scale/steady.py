"""The operator's recurring cost of the connection-aware features (issue 22) at BENCH_SCALE_COUNT TcpServices:
operator CPU and API requests per minute over a quiet window, first with the TcpServices as examples/echo.yaml has
them, then with spec.autoscaling and spec.rebalance on every one of them (readyFor and cooldown 0s: the rebalancer
reads every 15 s, its most). The extra per TcpService is the difference.

Every pod's admin port must answer, or the operator would read nothing: kwok's pods have addresses in 10.0.0.0/24,
inside the Service range that e2e/cluster routes to this machine's loopback, so one tcpfleet server with its admin
port on 0.0.0.0:9090 answers for all of them (with 0 connections: no scale and no round, only the reads).
Writes docs/bench/operator-connection-aware.{json,md}.
"""

import json
import subprocess
import time

from process_stats import cpu_seconds, loadavg
from scale.cluster import cluster_up, deployment_settings, install, manifest_json, stop_cluster_unless_used, uninstall
from scale.kube_api import Api
from scale.machine import machine
from scale.metrics import increase, parse
from scale.operator_process import Operator
from scale.phases import phase, send, tcpservice
from scale.sampling import Sampler, snapshot
from scale.settings import COUNT, FLOW_SCHEMA, KUBECONFIG, LOGS, NS, OUT, PARALLEL, ROOT
from scale.shell import log
from scale.watches import Readiness

WINDOW_S = 180
SETTLE_TIMEOUT_S = 900
CONNECTION_AWARE = {
    "spec": {
        "autoscaling": {"minReplicas": 2, "maxReplicas": 4, "targetConnectionsPerPod": 1000},
        "rebalance": {"readyFor": "0s", "cooldown": "0s"},
    }
}
STAND_IN_JAR = ROOT / "server" / "target" / "tcpfleet-server.jar"


def window(name, api, operator, stand_in):
    """A quiet WINDOW_S: what the operator spent in CPU and API requests, per minute."""
    before, stand_in_before = snapshot(api, operator), cpu_seconds(stand_in.pid)
    time.sleep(WINDOW_S)
    after, stand_in_after = snapshot(api, operator), cpu_seconds(stand_in.pid)
    minutes = (after["t"] - before["t"]) / 60
    family = "apiserver_flowcontrol_dispatched_requests"
    requests = increase(
        parse(before["api_server"], family),
        parse(after["api_server"], family),
        family + "_total",
        flow_schema=FLOW_SCHEMA,
    )
    reconciles = increase(
        parse(before["operator"], "reconciliations_started"),
        parse(after["operator"], "reconciliations_started"),
        "reconciliations_started_total",
    )
    result = {
        "window": name,
        "seconds": round(after["t"] - before["t"], 1),
        "operator_cpu_s_per_min": round((after["cpu"]["operator"] - before["cpu"]["operator"]) / minutes, 2),
        "api_requests_per_min": round(requests / minutes, 1),
        "reconciles_per_min": round(reconciles / minutes, 1),
        "stand_in_cpu_s_per_min": round((stand_in_after - stand_in_before) / minutes, 2),
        "api_server_cpu_s_per_min": round(
            (after["cpu"]["kube-apiserver"] - before["cpu"]["kube-apiserver"]) / minutes, 2
        ),
    }
    log(f"{name}: {json.dumps(result)}")
    return result


def run_steady():
    OUT.mkdir(parents=True, exist_ok=True)
    started_cluster = cluster_up()
    api = Api(KUBECONFIG)
    operator = stand_in = None
    LOGS.mkdir(parents=True, exist_ok=True)
    try:
        stand_in = subprocess.Popen(
            ["java", "-jar", str(STAND_IN_JAR), "--port", "0", "--admin-bind", "0.0.0.0", "--admin-port", "9090"],
            stdout=open(LOGS / "stand-in.log", "w"),  # noqa: SIM115 (the process's for its life)
            stderr=subprocess.STDOUT,
        )
        install(api)
        settings = deployment_settings()
        operator = Operator(api, settings)
        readiness = Readiness(api)
        time.sleep(5)
        sampler = Sampler(operator, readiness)
        template = manifest_json(ROOT / "examples" / "echo.yaml")[0]
        base = f"/apis/tcpfleet.io/v1alpha1/namespaces/{NS}/tcpservices"
        create = [("POST", base, tcpservice(template, i)) for i in range(COUNT)]
        results = {"machine": machine(settings, operator.argv), "tcpservices": COUNT, "window_s": WINDOW_S}
        results["create"] = {
            k: v
            for k, v in phase("create", api, operator, readiness, sampler, 1, create).items()
            if k in ("all_ready_s", "operator_cpu_s", "api_requests_per_tcpservice")
        }
        results["windows"] = [window("plain", api, operator, stand_in)]
        patch = [
            ("PATCH", f"{base}/echo-{i:04d}", CONNECTION_AWARE, "application/merge-patch+json") for i in range(COUNT)
        ]
        t0 = time.monotonic()
        send("connection-aware", api, patch, PARALLEL)
        # Generation 2 is the patch (the pods gain the annotations volume: a rollout), 3 the autoscaler's 1 -> 2.
        while readiness.count(readiness.rolled_out, 3) < COUNT and time.monotonic() < t0 + SETTLE_TIMEOUT_S:
            time.sleep(1)
        results["settled_s"] = round(time.monotonic() - t0, 1)
        results["settled"] = readiness.count(readiness.rolled_out, 3)
        log(f"connection-aware: {results['settled']}/{COUNT} scaled to 2 and rolled out in {results['settled_s']}s")
        results["windows"].append(window("autoscaling + rebalance", api, operator, stand_in))
        sampler.stopped = readiness.stopped = True
        results["operator_errors_logged"] = operator.errors_logged()
        results["machine"]["loadavg_end"] = loadavg()
    finally:
        if operator:
            operator.stop()
        if stand_in:
            stand_in.terminate()
        uninstall(api)
        if started_cluster:
            stop_cluster_unless_used()
    (OUT / "operator-connection-aware.json").write_text(json.dumps(results, indent=1))
    report(results)


def report(results):
    plain, aware = results["windows"]
    n = results["tcpservices"]

    def extra(key):
        return aware[key] - plain[key]

    rows = "\n".join(
        f"| {w['window']} | {w['reconciles_per_min']:,.0f} | {w['api_requests_per_min']:,.1f} |"
        f" {w['operator_cpu_s_per_min']:.2f} | {w['api_server_cpu_s_per_min']:.2f} | {w['stand_in_cpu_s_per_min']:.2f} |"
        for w in results["windows"]
    )
    m = results["machine"]
    text = f"""## Operator: the cost of autoscaling and rebalancing

Generated by `bash bench/run.sh operator-steady` (bench/scale/steady.py) on {m["date"]}; raw numbers in
[operator-connection-aware.json](operator-connection-aware.json). {n:,} TcpServices (examples/echo.yaml) on the
local control plane (kwok nodes), the operator as in [operator-scale.md](operator-scale.md) (pinned to one CPU,
deploy/'s JVM options). Two quiet windows of {results["window_s"]} s: the TcpServices as created (1 pod each), then
with `spec.autoscaling` (minReplicas 2) and `spec.rebalance` (`readyFor: 0s`, `cooldown: 0s`, so that the
rebalancer reads every 15 s, its most) on all of them, after the autoscaler had scaled each to 2 pods and the
rollout for the pods' annotations volume was over ({results["settled"]:,} of {n:,} in {results["settled_s"]:.0f} s).
Every pod's admin port is answered by one tcpfleet server on this machine (kwok's pod addresses are routed to
loopback), with 0 connections: nothing scales and no round starts, what remains is the reading.

| window | reconciles/min | operator API requests/min | operator CPU s/min | API server CPU s/min | answering server CPU s/min |
|---|---|---|---|---|---|
{rows}

Per TcpService, the extra of autoscaling and rebalancing: **{extra("api_requests_per_min") / n:.3f} API requests
a minute** and **{1000 * extra("operator_cpu_s_per_min") / n:.1f} ms of operator CPU a minute**
({extra("operator_cpu_s_per_min") / 60:.2f} of a CPU for all {n:,}), for {extra("reconciles_per_min") / n:.1f} more
reconciles a minute (each TcpService requeued every 15 s) and 2 pods x 2 readers x 4 = 16 scrapes a minute
({16 * n:,} for all; the answering server spent {aware["stand_in_cpu_s_per_min"]:.2f} CPU s/min on them). The pods
come from the operator's watch cache, so a read costs no API request; a decision costs one write (`/scale`, or
one pod patch per shedding pod), only when it changes something. Load average {" ".join(m["loadavg_start"])} at the start,
{" ".join(m["loadavg_end"])} at the end; the operator logged {results["operator_errors_logged"]} ERROR lines.

The requeue asks for {4 * n:,} reconciles a minute; the operator ran {aware["reconciles_per_min"]:,.0f}
({aware["reconciles_per_min"] / (4 * n):.0%}), its one CPU {aware["operator_cpu_s_per_min"] / 60:.0%} busy: at this
scale the reads are bound by the operator's CPU, not by the API server. Each periodic reconcile cost
{1000 * extra("operator_cpu_s_per_min") / extra("reconciles_per_min"):.0f} ms of operator CPU (the whole workflow:
every child compared with its desired state, the status computed, then up to two scrapes of each pod); at the
intended rate that is about {4 * extra("operator_cpu_s_per_min") / extra("reconciles_per_min"):.2f} CPU-seconds
a minute per TcpService.
"""
    (OUT / "operator-connection-aware.md").write_text(text)
    log(f"wrote {OUT / 'operator-connection-aware.md'}")
