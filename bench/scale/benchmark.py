"""The whole run: control plane, operator, both phases, the floor, and the results in operator-scale.json."""

import json
import time

from process_stats import loadavg
from scale.cluster import (
    cluster_up,
    deployment_settings,
    install,
    manifest_json,
    pod_capacity,
    service_cluster_ips,
    stop_cluster_unless_used,
    uninstall,
)
from scale.kube_api import Api
from scale.machine import machine
from scale.operator_process import Operator, other_operators
from scale.phases import children, floor_requests, phase, run_floor, tcpservice
from scale.sampling import Sampler
from scale.settings import COUNT, FLOOR, FLOOR_NS, KUBECONFIG, LOGS, NS, OUT, PARALLEL, ROOT, UPDATE, VARIANT
from scale.shell import log
from scale.watches import Readiness


def run_bench():
    OUT.mkdir(parents=True, exist_ok=True)
    started_cluster = cluster_up()
    api = Api(KUBECONFIG)
    operator = None
    try:
        capacity = pod_capacity()
        if sum(capacity.values()) < COUNT + PARALLEL:
            raise RuntimeError(
                f"the nodes take {sum(capacity.values())} pods, {COUNT} TcpServices need more: "
                "add nodes (TCPFLEET_CLUSTER_NODES) or lower BENCH_SCALE_COUNT"
            )
        cluster_ips = service_cluster_ips(api)
        if cluster_ips < 2 * COUNT + 100:
            raise RuntimeError(
                f"the control plane's Service ranges hold {cluster_ips:,} ClusterIPs, {COUNT} TcpServices "
                "need two each: it was started by an older up.sh, restart it "
                "(e2e/cluster/down.sh, then up.sh) for a /16"
            )
        install(api)
        settings = deployment_settings()
        operator = Operator(api, settings)
        log(f"operator pid {operator.pid} on http://127.0.0.1:{operator.port}, log {LOGS / 'operator.log'}")
        results = {
            "machine": machine(settings, operator.argv),
            "pod_capacity": capacity,
            "started_control_plane": started_cluster,
            "other_operators": other_operators(operator.pid),
            "monitoring_crds": [
                crd
                for crd in ("servicemonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com")
                if api.request("GET", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd}")[0] == 200
            ],
            "update": UPDATE,
        }
        readiness = Readiness(api)
        time.sleep(5)  # the operator idle after start-up: its informers synced, the JIT quiet
        sampler = Sampler(operator, readiness)
        template = manifest_json(ROOT / "examples" / "echo.yaml")[0]
        base = f"/apis/tcpfleet.io/v1alpha1/namespaces/{NS}/tcpservices"
        create = [("POST", base, tcpservice(template, i)) for i in range(COUNT)]
        update = [("PATCH", f"{base}/echo-{i:04d}", UPDATE, "application/merge-patch+json") for i in range(COUNT)]
        results["phases"] = [phase("create", api, operator, readiness, sampler, 1, create)]
        created = children(api, "echo-0000")
        results["phases"].append(phase("update", api, operator, readiness, sampler, 2, update))
        updated = children(api, "echo-0000")
        sampler.stopped = readiness.stopped = True
        results["operator_errors_logged"] = operator.errors_logged()
        results["series"] = sampler.points
        if FLOOR:
            operator.stop()
            uninstall(api)
            threads = int(results["machine"]["concurrent_reconciliation_threads"])
            changed = [obj for obj in updated if obj not in created]  # the operator leaves the others alone too
            results["floor"] = run_floor(
                api,
                floor_requests(created, "echo-0000", FLOOR_NS),
                floor_requests(changed, "echo-0000", FLOOR_NS),
                threads,
            )
        results["machine"]["loadavg_end"] = loadavg()
    finally:
        if operator:
            operator.stop()
        uninstall(api)
        if started_cluster:
            stop_cluster_unless_used()
    if VARIANT:  # a tuning experiment: kept out of docs/
        (LOGS / f"{VARIANT}.json").write_text(json.dumps(results, indent=1))
        log(f"wrote {LOGS / f'{VARIANT}.json'}")
        return
    previous = OUT / "operator-scale.json"
    if previous.exists():  # earlier runs' headline numbers, to show how much they vary
        old = json.loads(previous.read_text())
        results["previous_runs"] = (old.get("previous_runs", []) + [headline(old)])[-4:]
    previous.write_text(json.dumps(results, indent=1))
    log(f"wrote {previous}")


def headline(results):
    """A run's numbers that the next run's report shows next to its own."""
    return {
        "date": results["machine"]["date"],
        "loadavg_start": results["machine"]["loadavg_start"],
        **{
            measured["phase"]: {
                key: measured[key]
                for key in (
                    "all_ready_s",
                    "reconciles_per_s",
                    "reconcile_p99_s",
                    "api_requests_per_tcpservice",
                    "rss_peak_mib",
                )
            }
            for measured in results["phases"]
        },
    }
