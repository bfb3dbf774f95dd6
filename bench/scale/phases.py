"""The benchmark's phases: TcpServices created, then changed, with the operator; the same children applied with the
control plane alone (the floor)."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

from scale.cluster import apply, delete_namespace, purge
from scale.metrics import api_latency, buckets, increase, parse, quantile
from scale.sampling import cpu_by_process, cpu_spent, snapshot
from scale.settings import COUNT, FLOOR_NS, FLOW_SCHEMA, NS, PARALLEL, RESTRICTED, TIMEOUT
from scale.shell import kubectl, log
from scale.watches import Rollouts, ready_curve


def tcpservice(template, i):
    obj = json.loads(json.dumps(template))
    obj["metadata"] = {"name": f"echo-{i:04d}", "namespace": NS, "labels": {"tcpfleet.io/bench": "operator-scale"}}
    obj["spec"]["replicas"] = 1
    return obj


def send(name, api, requests, parallel):
    """Sends the requests, `parallel` at a time; the seconds it took. Any refused one ends the run."""
    t0 = time.monotonic()
    with ThreadPoolExecutor(parallel) as pool:
        answers = list(pool.map(lambda request: api.request(*request)[0], requests))
    sent = time.monotonic() - t0
    refused = [status for status in answers if status >= 300]
    if refused:
        raise RuntimeError(f"{name}: {len(refused)} requests refused, e.g. status {refused[0]}")
    log(f"{name}: all sent in {sent:.1f}s")
    return sent


def phase(name, api, operator, readiness, sampler, generation, requests):
    """Sends the requests (PARALLEL at a time), waits until every TcpService is rolled out at
    `generation`, and measures what it took."""
    log(f"{name}: {len(requests)} requests, {PARALLEL} in parallel")
    before = snapshot(api, operator)
    conflicts_before = operator.conflicts_logged()
    t0 = before["t"]
    sent = send(name, api, requests, PARALLEL)
    deadline, next_log = t0 + TIMEOUT, time.monotonic()
    while readiness.count(readiness.rolled_out, generation) < COUNT and time.monotonic() < deadline:
        if time.monotonic() >= next_log:
            log(
                f"{name}: {readiness.count(readiness.rolled_out, generation)}/{COUNT} rolled out, "
                f"{readiness.count(readiness.reconciled, generation)} reconciled, RSS {operator.rss_kib() / 1024:.0f} MiB"
            )
            next_log = time.monotonic() + 5
        time.sleep(0.2)
    after = snapshot(api, operator)
    conflicts = operator.conflicts_logged() - conflicts_before
    heap = operator.heap_after_gc()  # after the measurements: a full GC must not show in them
    done = readiness.count(readiness.rolled_out, generation)
    if done < COUNT:
        operator.thread_dump(f"threads-{name}-timeout.txt")
        log(f"{name}: only {done}/{COUNT} rolled out after {TIMEOUT:.0f}s")

    def last_time(table):
        with readiness.lock:
            times = table.get(generation, {}).values()
            return max(times) - t0 if len(times) == COUNT else None

    elapsed = after["t"] - t0
    operator_before, operator_after = (
        parse(before["operator"], "reconciliations_"),
        parse(after["operator"], "reconciliations_"),
    )
    api_families = (
        "apiserver_flowcontrol_dispatched_requests",
        "apiserver_flowcontrol_request_wait_duration_seconds",
        "apiserver_flowcontrol_rejected_requests",
    )
    api_server_before, api_server_after = (
        parse(before["api_server"], *api_families),
        parse(after["api_server"], *api_families),
    )
    throttled = "rest_client_rate_limiter_duration_seconds"
    controller_manager_before, controller_manager_after = (
        parse(before["controller_manager"], throttled),
        parse(after["controller_manager"], throttled),
    )

    def operator_increase(name):
        return increase(operator_before, operator_after, name)

    started = operator_increase("reconciliations_started_total")
    duration = "reconciliations_execution_duration_seconds"
    durations_before, durations_after = buckets(operator_before, duration), buckets(operator_after, duration)
    finished = operator_increase(duration + "_count")

    def api_server_increase(name):
        """Of the operator's requests: the FlowSchema's series only."""
        return increase(api_server_before, api_server_after, name, flow_schema=FLOW_SCHEMA)

    requests_made = api_server_increase("apiserver_flowcontrol_dispatched_requests_total")
    wait = "apiserver_flowcontrol_request_wait_duration_seconds"
    waits, waited = api_server_increase(wait + "_count"), api_server_increase(wait + "_sum")
    window = [point for point in sampler.points if t0 - sampler.t0 <= point["t"] <= after["t"] - sampler.t0]
    result = {
        "phase": name,
        "tcpservices": COUNT,
        "start_t": round(t0 - sampler.t0, 2),
        "end_t": round(after["t"] - sampler.t0, 2),
        "generation": generation,
        "parallel_requests": PARALLEL,
        "requests_sent_s": round(sent, 2),
        "all_reconciled_s": last_time(readiness.reconciled),
        "all_ready_condition_s": last_time(readiness.ready),
        "all_ready_s": last_time(readiness.rolled_out),
        "ready_count": done,
        "elapsed_s": round(elapsed, 2),
        "reconciles": started,
        "reconciles_per_s": round(started / elapsed, 1),
        "reconcile_p50_s": quantile(0.5, durations_before, durations_after),
        "reconcile_p99_s": quantile(0.99, durations_before, durations_after),
        "reconcile_mean_s": operator_increase(duration + "_sum") / finished if finished else None,
        "reconcile_buckets_s": sorted(le for le in durations_after if le != float("inf")),
        # JOSDK's failed reconciles, less the refused status patches it retried: those are no error.
        "reconcile_failures": operator_increase("reconciliations_failure_total") - conflicts,
        "reconcile_conflicts": conflicts,
        "reconcile_retries": operator_increase("reconciliations_retries_total"),
        "degraded": len(readiness.degraded),
        "api_requests": requests_made,
        "api_requests_per_tcpservice": round(requests_made / COUNT, 2),
        "api_priority_wait_mean_ms": round(1000 * waited / waits, 2) if waits else None,
        "api_rejected": api_server_increase("apiserver_flowcontrol_rejected_requests_total"),
        "operator_cpu_s": round(after["cpu"]["operator"] - before["cpu"]["operator"], 1),
        "cpu_s_by_process": cpu_spent(before["cpu"], after["cpu"]),
        # Seconds kube-controller-manager's controllers waited on their own client rate limiters (all clients summed).
        "controller_manager_throttled_s": round(
            increase(controller_manager_before, controller_manager_after, throttled + "_sum"), 1
        ),
        "rss_peak_mib": max((point["rss_mib"] for point in window), default=None),
        "rss_end_mib": round(operator.rss_kib() / 1024, 1),
        **heap,
        "ready_curve": ready_curve(readiness, generation, t0),
        "api_server_latency": api_latency(before["api_server"], after["api_server"]),
    }
    log(f"{name}: " + json.dumps({k: v for k, v in result.items() if k not in ("ready_curve", "reconcile_buckets_s")}))
    return result


CHILD_PATHS = {
    "Deployment": ("apps/v1", "/apis/apps/v1/namespaces/{}/deployments"),
    "Service": ("v1", "/api/v1/namespaces/{}/services"),
    "PodDisruptionBudget": ("policy/v1", "/apis/policy/v1/namespaces/{}/poddisruptionbudgets"),
}


def children(api, name):
    """What the operator applied for TcpService `name` (its Deployment, Services, PodDisruptionBudget, found by
    their tcpfleet.io/service label), as apply bodies: without what the API server filled in (status, ids, the
    owner, the revision, an allocated ClusterIP)."""
    out = []
    for kind, (api_version, path) in CHILD_PATHS.items():
        status, listing = api.request("GET", path.format(NS) + f"?labelSelector=tcpfleet.io%2Fservice%3D{name}")
        if status != 200:
            raise RuntimeError(f"GET {path.format(NS)}: {status} {listing}")
        for obj in listing["items"]:
            meta = obj["metadata"]
            annotations = {
                k: v for k, v in meta.get("annotations", {}).items() if k != "deployment.kubernetes.io/revision"
            }
            spec = obj["spec"]
            if spec.get("clusterIP") not in (None, "None"):
                spec = {k: v for k, v in spec.items() if k not in ("clusterIP", "clusterIPs")}
            out.append(
                {
                    "apiVersion": api_version,
                    "kind": kind,
                    "spec": spec,
                    "metadata": {"name": meta["name"], "labels": meta.get("labels", {}), "annotations": annotations},
                }
            )
    return out


def floor_requests(template, name, ns):
    """Server-side applies of the children of `name` for each of COUNT TcpServices, in namespace `ns`."""
    text = json.dumps(template)
    requests = []
    for i in range(COUNT):
        for obj in json.loads(text.replace(name, f"echo-{i:04d}")):
            path = f"{CHILD_PATHS[obj['kind']][1].format(ns)}/{obj['metadata']['name']}?fieldManager=bench-floor&force=true"
            requests.append(("PATCH", path, obj, "application/apply-patch+yaml"))
    return requests


def floor_phase(name, api, rollouts, generation, requests, threads):
    """The control plane alone: applies the operator's children with `threads` concurrent requests (its
    reconcile threads) and waits until every Deployment is rolled out at `generation`."""
    log(f"{name}: {len(requests)} applies, {threads} in parallel")
    t0, api_server_before, cpu_before = time.monotonic(), api.text("/metrics"), cpu_by_process()
    sent = send(name, api, requests, threads)
    deadline = t0 + TIMEOUT
    while rollouts.count(rollouts.rolled_out, generation) < COUNT and time.monotonic() < deadline:
        time.sleep(0.2)
    done = rollouts.count(rollouts.rolled_out, generation)
    curve = ready_curve(rollouts, generation, t0)
    result = {
        "phase": name,
        "tcpservices": COUNT,
        "applies": len(requests),
        "parallel_requests": threads,
        "requests_sent_s": round(sent, 2),
        "all_ready_s": curve["rolled_out"][-1] if done == COUNT else None,
        "ready_count": done,
        "elapsed_s": round(time.monotonic() - t0, 2),
        "cpu_s_by_process": cpu_spent(cpu_before, cpu_by_process()),
        "api_server_latency": api_latency(api_server_before, api.text("/metrics")),
        "ready_curve": curve,
    }
    log(f"{name}: " + json.dumps({k: v for k, v in result.items() if k != "ready_curve"}))
    return result


def run_floor(api, create, update, threads):
    """Both phases of the control plane alone in a namespace of their own, then that namespace deleted."""
    apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": FLOOR_NS, "labels": RESTRICTED}})
    kubectl("wait", "--for=jsonpath={.status.phase}=Active", f"namespace/{FLOOR_NS}", "--timeout=60s")
    rollouts = Rollouts(api, f"/apis/apps/v1/namespaces/{FLOOR_NS}/deployments")
    try:
        return [
            floor_phase("create", api, rollouts, 1, create, threads),
            floor_phase("update", api, rollouts, 2, update, threads),
        ]
    finally:
        rollouts.stopped = True
        purge(api, FLOOR_NS)
        delete_namespace(FLOOR_NS)
