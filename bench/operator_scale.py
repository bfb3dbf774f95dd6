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
Writes docs/bench/operator-scale.{json,md,png}.

  python operator_scale.py          run the benchmark, then the report
  python operator_scale.py report   only turn operator-scale.json into the .md and .png

Where the numbers come from:
  - Ready: a watch on the TcpServices (one admin client); a TcpService counts as Ready at a
    generation when status.observedGeneration is that generation, Ready=True and Progressing=False
    (rolled out: during a rollout Ready stays True, it means capacity, so Progressing tells the end).
  - reconciles, reconcile duration, failures: the operator's /q/metrics (JOSDK Micrometer metrics).
  - API requests: the API server's own metrics, through a FlowSchema that matches only the
    operator's ServiceAccount (apiserver_flowcontrol_dispatched_requests_total of that schema).
  - RSS: VmRSS of the operator process (psutil), sampled every half second.
  - CPU per process: /proc/PID/stat of each control plane component (e2e/cluster/.state/pids), the
    operator and this client, at the start and the end of each phase.
"""

import base64
import contextlib
import http.client
import ipaddress
import json
import os
import re
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from process_stats import command_line, cpu_model, cpu_seconds, loadavg, pids_running, rss_kib

ROOT = Path(__file__).resolve().parent.parent
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


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def run(*argv, **kw):
    return subprocess.run(argv, check=True, capture_output=True, text=True, timeout=kw.pop("timeout", 300), **kw).stdout


def kubectl(*args, stdin=None, timeout=300):
    return run("kubectl", "--kubeconfig", str(KUBECONFIG), *args, input=stdin, timeout=timeout)


# --- the API server, as the admin, over HTTPS with the kubeconfig's client certificate -----------


class Api:
    def __init__(self, kubeconfig):
        cfg = json.loads(
            run("kubectl", "config", "view", "--raw", "--flatten", "-o", "json", "--kubeconfig", str(kubeconfig))
        )
        cluster, user = cfg["clusters"][0]["cluster"], cfg["users"][0]["user"]
        self.host, self.port = re.match(r"https://([^:/]+):(\d+)", cluster["server"]).groups()
        self.ssl = ssl.create_default_context(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
        with tempfile.TemporaryDirectory() as d:  # ssl loads a client key from files only
            cert, key = Path(d, "crt"), Path(d, "key")
            cert.write_bytes(base64.b64decode(user["client-certificate-data"]))
            key.write_bytes(base64.b64decode(user["client-key-data"]))
            self.ssl.load_cert_chain(cert, key)
            # The controller manager serves a self-signed certificate; it is on loopback.
            self.component_ssl = ssl._create_unverified_context()
            self.component_ssl.load_cert_chain(cert, key)
        self.local = threading.local()

    def component_metrics(self, port):
        """/metrics of a control plane component (kube-controller-manager) on loopback, as the admin."""
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=self.component_ssl, timeout=30)
        try:
            conn.request("GET", "/metrics")
            return conn.getresponse().read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            return ""
        finally:
            conn.close()

    def connect(self, timeout=60):
        return http.client.HTTPSConnection(self.host, int(self.port), context=self.ssl, timeout=timeout)

    def request(self, method, path, body=None, content_type="application/json"):
        """One request on this thread's keep-alive connection; the status and the parsed body."""
        data = json.dumps(body).encode() if body is not None else None
        for attempt in range(2):  # once more on a connection the server closed
            conn = getattr(self.local, "conn", None) or self.connect()
            self.local.conn = conn
            try:
                conn.request(method, path, body=data, headers={"Content-Type": content_type} if data else {})
                resp = conn.getresponse()
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw[:1] == b"{" else raw.decode())
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt:
                    raise

    def text(self, path):
        status, body = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {body}")
        return body


# --- Prometheus text format ----------------------------------------------------------------------


def parse(text, *families):
    """The samples of the metric families whose names start with one of `families` in a /metrics answer (Prometheus
    text format), read by prometheus_client's parser: {sample name: [(labels, value)]}."""
    # Only the lines that name a wanted family go to the parser (a hand-written filter): parsing all of the
    # operator's metrics took 4-8 ms of this client's CPU each second of a phase, its reconcile lines 0.2 ms.
    wanted = "\n".join(line for line in text.splitlines() if any(family in line for family in families))
    out = {}
    for family in text_string_to_metric_families(wanted):
        for sample in family.samples:
            if sample.name.startswith(families):
                out.setdefault(sample.name, []).append((sample.labels, float(sample.value)))
    return out


def samples(metrics, name):
    """(labels, value) of every sample `name` of parsed metrics."""
    return metrics.get(name, [])


def total(metrics, name, **match):
    return sum(v for labels, v in samples(metrics, name) if all(labels.get(k) == w for k, w in match.items()))


def buckets(metrics, name, **match):
    """Cumulative histogram buckets {le: count}, summed over the other labels."""
    out = {}
    for labels, v in samples(metrics, name + "_bucket"):
        if all(labels.get(k) == w for k, w in match.items()):
            le = float(labels["le"])
            out[le] = out.get(le, 0) + v
    return out


def quantile(q, before, after):
    """Like PromQL histogram_quantile over the increase between two scrapes: linear within a bucket."""
    les = sorted(after)
    counts = [after[le] - before.get(le, 0) for le in les]
    if not counts or counts[-1] <= 0:
        return None
    rank, lower, below = q * counts[-1], 0.0, 0.0
    for le, c in zip(les, counts):
        if c >= rank:
            if le == float("inf"):
                return lower  # above the largest finite bucket: its bound, as histogram_quantile does
            return lower + (le - lower) * (rank - below) / max(c - below, 1e-9)
        lower, below = le, c
    return lower


# --- the control plane and the operator ----------------------------------------------------------


def cluster_up():
    """Starts the local control plane unless it runs; True when this call started it."""
    running = subprocess.run(["bash", str(CLUSTER / "up.sh"), "--check"]).returncode == 0
    if not running:
        # Without the real node: its kube-proxy would program rules for every one of the thousands
        # of Services, and its kubelet and CoreDNS watch them too, none of which this measures.
        log("starting the local control plane without its real node (e2e/cluster/up.sh)")
        run("bash", str(CLUSTER / "up.sh"), timeout=600, env={**os.environ, "TCPFLEET_CLUSTER_REAL_NODE": "0"})
    elif (CLUSTER / ".state" / "node.enabled").exists():
        log(
            "warning: the running control plane has its real node, whose kube-proxy, kubelet and CoreDNS"
            " also watch the benchmark's Services; stop it (e2e/cluster/down.sh) for the numbers of docs/bench"
        )
    return not running


def stop_cluster_unless_used():
    """Stops the control plane this run started, unless someone else has started to use it meanwhile
    (up.sh reuses a running cluster: a test may have namespaces in it now)."""
    system = {"default", "kube-system", "kube-public", "kube-node-lease", NS, OPERATOR_NS}
    others = [n for n in kubectl("get", "namespaces", "-o", "name").split() if n.split("/")[1] not in system]
    if others:
        log(f"leaving the control plane up: it is in use ({', '.join(others)})")
        return
    log("stopping the control plane this run started (e2e/cluster/down.sh)")
    run("bash", str(CLUSTER / "down.sh"))


def manifest_json(*files):
    """YAML manifests as JSON objects, through kubectl (no YAML parser in the standard library)."""
    args = [a for f in files for a in ("-f", str(f))]
    text, objs, pos = kubectl("create", "--dry-run=client", "-o", "json", *args), [], 0
    decoder = json.JSONDecoder()
    while text[pos:].strip():  # one object, a List, or several objects one after the other
        obj, end = decoder.raw_decode(text, pos + len(text[pos:]) - len(text[pos:].lstrip()))
        objs += obj["items"] if obj.get("kind") == "List" else [obj]
        pos = end
    return objs


def apply(*objs):
    kubectl(
        "apply",
        "--server-side",
        "--force-conflicts",
        "-f",
        "-",
        stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": list(objs)}),
    )


def install(api):
    """CRD, namespaces, the operator's ServiceAccount bound to deploy/'s ClusterRole, and a FlowSchema
    that singles out the operator's requests in the API server's metrics."""
    kubectl("apply", "--server-side", "--force-conflicts", "-f", str(ROOT / "crds"))
    kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/tcpservices.tcpfleet.io")
    for ns in (NS, OPERATOR_NS, FLOOR_NS):
        if api.request("GET", f"/api/v1/namespaces/{ns}")[0] == 200:
            log(f"namespace {ns} is left from an earlier run: deleting it first")
            if ns != OPERATOR_NS:
                purge(api, ns)
            delete_namespace(ns)
    election = manifest_json(ROOT / "deploy" / "rbac" / "leader-election.yaml")
    for obj in election:
        obj["metadata"]["namespace"] = OPERATOR_NS
        for s in obj.get("subjects", []):
            s["namespace"] = OPERATOR_NS
    apply(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS, "labels": RESTRICTED}},
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": OPERATOR_NS}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": ACCOUNT, "namespace": OPERATOR_NS}},
        *manifest_json(ROOT / "deploy" / "rbac" / "clusterrole.yaml"),
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": f"{ACCOUNT}-{NS}"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": ACCOUNT},
            "subjects": [{"kind": "ServiceAccount", "name": ACCOUNT, "namespace": OPERATOR_NS}],
        },
        *election,
        {
            "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
            "kind": "FlowSchema",
            "metadata": {"name": FLOW_SCHEMA},
            "spec": {
                "matchingPrecedence": 1000,  # before "service-accounts" (9000); same priority level
                "priorityLevelConfiguration": {"name": "workload-low"},
                "distinguisherMethod": {"type": "ByUser"},
                "rules": [
                    {
                        "subjects": [
                            {"kind": "ServiceAccount", "serviceAccount": {"name": ACCOUNT, "namespace": OPERATOR_NS}}
                        ],
                        "resourceRules": [
                            {
                                "verbs": ["*"],
                                "apiGroups": ["*"],
                                "resources": ["*"],
                                "clusterScope": True,
                                "namespaces": ["*"],
                            }
                        ],
                        "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
                    }
                ],
            },
        },
    )
    kubectl("wait", "--for=jsonpath={.status.phase}=Active", f"namespace/{NS}", "--timeout=60s")


def uninstall(api):
    purge(api)
    for ns in (NS, OPERATOR_NS):
        delete_namespace(ns)
    kubectl(
        "delete",
        "--ignore-not-found",
        "--timeout=300s",
        f"clusterrolebinding/{ACCOUNT}-{NS}",
        f"flowschema/{FLOW_SCHEMA}",
        timeout=360,
    )


def purge(api, ns=NS):
    """Deletes the benchmark's objects as the admin before the namespace: left to the namespace controller
    and the garbage collector (kube-controller-manager, 20 requests/s) 1,000 TcpServices take minutes."""
    collections = [
        "/apis/tcpfleet.io/v1alpha1/namespaces/{}/tcpservices",
        "/apis/apps/v1/namespaces/{}/deployments",
        "/apis/apps/v1/namespaces/{}/replicasets",
        "/api/v1/namespaces/{}/pods",
        "/apis/policy/v1/namespaces/{}/poddisruptionbudgets",
        "/api/v1/namespaces/{}/events",
        "/apis/discovery.k8s.io/v1/namespaces/{}/endpointslices",
        "/api/v1/namespaces/{}/endpoints",
    ]
    for path in collections:
        api.request("DELETE", path.format(ns))
    status, services = api.request("GET", f"/api/v1/namespaces/{ns}/services")
    if status == 200:  # Services have no collection delete
        with ThreadPoolExecutor(32) as pool:
            list(
                pool.map(
                    lambda s: api.request("DELETE", f"/api/v1/namespaces/{ns}/services/{s['metadata']['name']}"),
                    services["items"],
                )
            )


def delete_namespace(ns):
    kubectl("delete", "namespace", ns, "--ignore-not-found", "--timeout=600s", timeout=660)


def service_cluster_ips(api):
    """ClusterIPs the API server can hand out: the sizes of its ServiceCIDRs."""
    status, cidrs = api.request("GET", "/apis/networking.k8s.io/v1/servicecidrs")
    if status != 200:
        raise RuntimeError(f"cannot list ServiceCIDRs: HTTP {status}")
    return sum(ipaddress.ip_network(c).num_addresses - 2 for x in cidrs["items"] for c in x["spec"]["cidrs"])


def component_flags(component, **defaults):
    """Flags of a running control plane component from its command line (name with underscores: value),
    the given defaults for those it does not set; None when it does not run."""
    try:
        argv = command_line((CLUSTER / ".state" / "pids" / f"{component}.pid").read_text().strip())
    except OSError:
        return None
    if argv is None:
        return None

    def flag(name, default):
        return next((a.split("=", 1)[1] for a in argv if a.startswith(f"--{name.replace('_', '-')}=")), default)

    return {name: flag(name, d) for name, d in defaults.items()}


def client_limits(component, default):
    """--kube-api-qps/--kube-api-burst of a running control plane component, from its command line."""
    f = component_flags(component, kube_api_qps=default[0], kube_api_burst=default[1])
    return f"{f['kube_api_qps']} qps, burst {f['kube_api_burst']}" if f else "unknown"


def controller_manager_syncs():
    """How many Deployments and ReplicaSets kube-controller-manager syncs at once (its defaults: 5 and 5)."""
    f = component_flags("kube-controller-manager", concurrent_deployment_syncs="5", concurrent_replicaset_syncs="5")
    return (
        f"{f['concurrent_deployment_syncs']} Deployments, {f['concurrent_replicaset_syncs']} ReplicaSets"
        if f
        else "unknown"
    )


def pod_capacity():
    nodes = json.loads(kubectl("get", "nodes", "-o", "json"))["items"]
    return {n["metadata"]["name"]: quantity(n["status"]["allocatable"]["pods"]) for n in nodes}


def quantity(q):
    """A Kubernetes quantity without a fraction ("110", "1M", "1Ki") as a number."""
    m = re.fullmatch(r"(\d+)([kKMGT]i?)?", q)
    if not m:
        raise ValueError(f"unexpected quantity {q}")
    suffix = m.group(2) or ""
    power = "KMGT".index(suffix[0].upper()) + 1 if suffix else 0
    return int(m.group(1)) * (1024 if suffix.endswith("i") else 1000) ** power


def deployment_settings():
    """The environment (literal values: JAVA_TOOL_OPTIONS, MALLOC_ARENA_MAX, the server image...) and the memory
    limit of the operator's container in deploy/."""
    container = manifest_json(DEPLOYMENT)[0]["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"] if "value" in e}
    return {"env": env, "memory_limit": container["resources"]["limits"]["memory"]}


def service_account_kubeconfig(api, path):
    token = kubectl("create", "token", ACCOUNT, "-n", OPERATOR_NS, "--duration=2h").strip()
    cfg = json.loads(
        run("kubectl", "config", "view", "--raw", "--flatten", "-o", "json", "--kubeconfig", str(KUBECONFIG))
    )
    cluster = cfg["clusters"][0]["cluster"]
    path.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": ACCOUNT,
                "clusters": [
                    {
                        "name": "local",
                        "cluster": {
                            "server": cluster["server"],
                            "certificate-authority-data": cluster["certificate-authority-data"],
                        },
                    }
                ],
                "users": [{"name": ACCOUNT, "user": {"token": token}}],
                "contexts": [
                    {"name": ACCOUNT, "context": {"cluster": "local", "user": ACCOUNT, "namespace": OPERATOR_NS}}
                ],
            }
        )
    )
    path.chmod(0o600)


class Operator:
    """The packaged operator, prod profile, as its ServiceAccount, with deploy/'s JVM options and the
    JVM sized for deploy/'s memory limit (-XX:MaxRAM), pinned to one CPU like a pod with a one-CPU limit."""

    def __init__(self, api, settings):
        LOGS.mkdir(parents=True, exist_ok=True)
        kubeconfig = LOGS / "operator.kubeconfig"
        service_account_kubeconfig(api, kubeconfig)
        self.port = free_port()
        limit = settings["memory_limit"].replace("Mi", "m").replace("Gi", "g")
        self.argv = (["taskset", "-c", OPERATOR_CPU] if OPERATOR_CPU else []) + [
            "java",
            f"-XX:MaxRAM={limit}",
            "-jar",
            str(OPERATOR_JAR),
        ]
        env = {
            **os.environ,
            **settings["env"],
            "KUBECONFIG": str(kubeconfig),
            "QUARKUS_HTTP_HOST": "127.0.0.1",
            "QUARKUS_HTTP_PORT": str(self.port),
            "POD_NAMESPACE": OPERATOR_NS,
            "POD_NAME": "tcpfleet-operator-bench",
            # Only the benchmark's namespace: TcpServices of a demo or a test on the same cluster stay out.
            "QUARKUS_OPERATOR_SDK_CONTROLLERS_TCPSERVICE_NAMESPACES": NS,
        }
        self.logfile = open(LOGS / "operator.log", "w")  # noqa: SIM115 (open while the operator runs, closed by stop)
        self.proc = subprocess.Popen(self.argv, env=env, stdout=self.logfile, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid  # taskset execs java: same pid
        deadline = time.time() + 180
        while self.get("/q/health/ready")[0] != 200:
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"the operator did not become ready, see {LOGS / 'operator.log'}")
            time.sleep(0.5)

    def get(self, path):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.read().decode()
        except OSError:
            return 0, ""

    def metrics(self):
        status, body = self.get("/q/metrics")
        if status != 200:
            raise RuntimeError(f"/q/metrics answered {status}")
        return body

    def rss_kib(self):
        return rss_kib(self.pid, gone=0)

    def cpu_s(self):
        return cpu_seconds(self.pid, gone=0)

    def heap_after_gc(self):
        """Live and committed heap after a full GC (jcmd), in MiB; empty when jcmd is not there."""
        try:
            run("jcmd", str(self.pid), "GC.run", timeout=120)
            info = run("jcmd", str(self.pid), "GC.heap_info", timeout=60)
        except (OSError, subprocess.SubprocessError):
            return {}
        spaces = re.findall(r"^ (?!Metaspace|class space)\S.*?total (\d+)K, used (\d+)K", info, re.M)
        return {
            "live_heap_mib": round(sum(int(u) for _, u in spaces) / 1024, 1),
            "heap_committed_mib": round(sum(int(t) for t, _ in spaces) / 1024, 1),
        }

    def thread_dump(self, name):
        """jstack-like dump into the log directory (for profiling a slow run); best effort."""
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            (LOGS / name).write_text(run("jcmd", str(self.pid), "Thread.print", timeout=60))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.logfile.close()

    def errors_logged(self):
        return self.lines_logged(r"\bERROR\b")

    def conflicts_logged(self):
        """Status patches the API server refused because the TcpService changed during the reconcile
        (TcpServiceReconciler.statusPatch): JOSDK counts each as a failed reconcile and retries it."""
        return self.lines_logged(r"Conflict during reconciliation")

    def lines_logged(self, pattern):
        return sum(
            1 for line in (LOGS / "operator.log").read_text(errors="replace").splitlines() if re.search(pattern, line)
        )


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def other_operators(own_pid):
    """Other tcpfleet operators on this machine: they may reconcile too, or load the API server."""
    return pids_running("quarkus-run.jar", but=own_pid)


# --- watching readiness --------------------------------------------------------------------------


class Readiness:
    """A watch on the TcpServices: when each first reached, at each generation, reconciled (status of
    that generation), Ready=True, and rolled out (also Progressing=False); and who was Degraded."""

    def __init__(self, api, path=f"/apis/tcpfleet.io/v1alpha1/namespaces/{NS}/tcpservices"):
        self.api, self.path = api, path
        self.lock = threading.Lock()
        self.reconciled, self.ready, self.rolled_out = {}, {}, {}  # generation -> {name: monotonic time}
        self.degraded = set()
        self.stopped = False
        threading.Thread(target=self.loop, daemon=True).start()

    def count(self, table, generation):
        with self.lock:
            return len(table.get(generation, {}))

    def see(self, obj, now):
        meta, status = obj["metadata"], obj.get("status") or {}
        gen, name = meta.get("generation"), meta["name"]
        if status.get("observedGeneration") != gen:
            return
        conds = {c["type"]: c["status"] for c in status.get("conditions", [])}
        with self.lock:
            self.reconciled.setdefault(gen, {}).setdefault(name, now)
            if conds.get("Ready") == "True":
                self.ready.setdefault(gen, {}).setdefault(name, now)
                if conds.get("Progressing") == "False":
                    self.rolled_out.setdefault(gen, {}).setdefault(name, now)
            if conds.get("Degraded") == "True":
                self.degraded.add(name)

    def loop(self):
        base = self.path
        while not self.stopped:
            try:
                status, listing = self.api.request("GET", base)
                for obj in listing["items"]:
                    self.see(obj, time.monotonic())
                conn = self.api.connect(timeout=None)
                conn.request(
                    "GET",
                    f"{base}?watch=true&timeoutSeconds=3600&resourceVersion={listing['metadata']['resourceVersion']}",
                )
                resp = conn.getresponse()
                while not self.stopped:
                    line = resp.readline()
                    if not line:
                        break
                    event = json.loads(line)
                    if event["type"] == "ERROR":  # e.g. 410 Gone: list again
                        break
                    if event["type"] in ("ADDED", "MODIFIED"):
                        self.see(event["object"], time.monotonic())
                conn.close()
            except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
                log(f"watch restarts after {type(e).__name__}: {e}")
                time.sleep(1)


class Rollouts(Readiness):
    """A watch on the Deployments of a namespace: when each was rolled out at each generation (its only
    ReplicaSet's pods updated and available), for the control plane without the operator."""

    def see(self, obj, now):
        meta, status = obj["metadata"], obj.get("status") or {}
        want = obj["spec"].get("replicas", 1)
        if (
            status.get("observedGeneration") == meta["generation"]
            and status.get("updatedReplicas") == status.get("availableReplicas") == status.get("replicas") == want
        ):
            with self.lock:
                self.rolled_out.setdefault(meta["generation"], {}).setdefault(meta["name"], now)


# --- the benchmark -------------------------------------------------------------------------------


class Sampler:
    """Every half second: RSS, CPU, Ready counts; the operator's reconcile counter every second."""

    def __init__(self, operator, readiness):
        self.op, self.rd = operator, readiness
        self.points = []
        self.t0 = time.monotonic()
        self.stopped = False
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        started, tick = None, 0
        while not self.stopped:
            if tick % 2 == 0:
                with contextlib.suppress(RuntimeError, OSError):
                    started = total(
                        parse(self.op.metrics(), "reconciliations_started"), "reconciliations_started_total"
                    )
            self.points.append(
                {
                    "t": round(time.monotonic() - self.t0, 2),
                    "rss_mib": round(self.op.rss_kib() / 1024, 1),
                    "cpu_s": self.op.cpu_s(),
                    "reconciles": started,
                    "rolled_out_g1": self.rd.count(self.rd.rolled_out, 1),
                    "rolled_out_g2": self.rd.count(self.rd.rolled_out, 2),
                }
            )
            tick += 1
            time.sleep(0.5)


def snapshot(api, op):
    return {
        "t": time.monotonic(),
        "op": op.metrics(),
        "api": api.text("/metrics"),
        "kcm": api.component_metrics(control_plane_port("CONTROLLER_MANAGER_PORT")),
        "cpu": cpu_by_process(op),
    }


COMPONENTS = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")
CPU_COLUMNS = {
    "kube-apiserver": "kube-apiserver",
    "etcd": "etcd",
    "kube-controller-manager": "controller manager",
    "kube-scheduler": "scheduler",
    "kwok": "kwok",
    "operator": "operator",
    "client": "benchmark client",
}


def cpu_by_process(op=None):
    """CPU seconds so far of each control plane component, the operator and this client (its watch and requests)."""
    out = {c: cpu_seconds((CLUSTER / ".state" / "pids" / f"{c}.pid").read_text().strip(), gone=0) for c in COMPONENTS}
    out["operator"] = op.cpu_s() if op else 0
    out["client"] = cpu_seconds(os.getpid())
    return out


def cpu_spent(before, after):
    return {k: round(after[k] - before.get(k, 0), 1) for k in after}


def control_plane_port(name):
    text = (CLUSTER / ".state" / "ports.env").read_text()
    return int(re.search(rf"^{name}=(\d+)$", text, re.M).group(1))


def tcpservice(template, i):
    obj = json.loads(json.dumps(template))
    obj["metadata"] = {"name": f"echo-{i:04d}", "namespace": NS, "labels": {"tcpfleet.io/bench": "operator-scale"}}
    obj["spec"]["replicas"] = 1
    return obj


def send(name, api, requests, parallel):
    """Sends the requests, `parallel` at a time; the seconds it took. Any refused one ends the run."""
    t0 = time.monotonic()
    with ThreadPoolExecutor(parallel) as pool:
        answers = list(pool.map(lambda r: api.request(*r)[0], requests))
    sent = time.monotonic() - t0
    refused = [s for s in answers if s >= 300]
    if refused:
        raise RuntimeError(f"{name}: {len(refused)} requests refused, e.g. status {refused[0]}")
    log(f"{name}: all sent in {sent:.1f}s")
    return sent


def phase(name, api, op, rd, sampler, generation, requests):
    """Sends the requests (PARALLEL at a time), waits until every TcpService is rolled out at
    `generation`, and measures what it took."""
    log(f"{name}: {len(requests)} requests, {PARALLEL} in parallel")
    before = snapshot(api, op)
    conflicts_before = op.conflicts_logged()
    t0 = before["t"]
    sent = send(name, api, requests, PARALLEL)
    deadline, next_log = t0 + TIMEOUT, time.monotonic()
    while rd.count(rd.rolled_out, generation) < COUNT and time.monotonic() < deadline:
        if time.monotonic() >= next_log:
            log(
                f"{name}: {rd.count(rd.rolled_out, generation)}/{COUNT} rolled out, "
                f"{rd.count(rd.reconciled, generation)} reconciled, RSS {op.rss_kib() / 1024:.0f} MiB"
            )
            next_log = time.monotonic() + 5
        time.sleep(0.2)
    after = snapshot(api, op)
    conflicts = op.conflicts_logged() - conflicts_before
    heap = op.heap_after_gc()  # after the measurements: a full GC must not show in them
    done = rd.count(rd.rolled_out, generation)
    if done < COUNT:
        op.thread_dump(f"threads-{name}-timeout.txt")
        log(f"{name}: only {done}/{COUNT} rolled out after {TIMEOUT:.0f}s")

    def last_time(table):
        with rd.lock:
            times = table.get(generation, {}).values()
            return max(times) - t0 if len(times) == COUNT else None

    elapsed = after["t"] - t0
    ob, oa = parse(before["op"], "reconciliations_"), parse(after["op"], "reconciliations_")
    api_families = (
        "apiserver_flowcontrol_dispatched_requests",
        "apiserver_flowcontrol_request_wait_duration_seconds",
        "apiserver_flowcontrol_rejected_requests",
    )
    api_before, api_after = parse(before["api"], *api_families), parse(after["api"], *api_families)
    throttled = "rest_client_rate_limiter_duration_seconds"
    kcm_before, kcm_after = parse(before["kcm"], throttled), parse(after["kcm"], throttled)
    started = total(oa, "reconciliations_started_total") - total(ob, "reconciliations_started_total")
    dur = "reconciliations_execution_duration_seconds"
    hb, ha = buckets(ob, dur), buckets(oa, dur)
    count = total(oa, dur + "_count") - total(ob, dur + "_count")
    requests_made = total(
        api_after, "apiserver_flowcontrol_dispatched_requests_total", flow_schema=FLOW_SCHEMA
    ) - total(api_before, "apiserver_flowcontrol_dispatched_requests_total", flow_schema=FLOW_SCHEMA)
    wait = "apiserver_flowcontrol_request_wait_duration_seconds"
    waits = total(api_after, wait + "_count", flow_schema=FLOW_SCHEMA) - total(
        api_before, wait + "_count", flow_schema=FLOW_SCHEMA
    )
    waited = total(api_after, wait + "_sum", flow_schema=FLOW_SCHEMA) - total(
        api_before, wait + "_sum", flow_schema=FLOW_SCHEMA
    )
    window = [p for p in sampler.points if t0 - sampler.t0 <= p["t"] <= after["t"] - sampler.t0]
    result = {
        "phase": name,
        "tcpservices": COUNT,
        "start_t": round(t0 - sampler.t0, 2),
        "end_t": round(after["t"] - sampler.t0, 2),
        "generation": generation,
        "parallel_requests": PARALLEL,
        "requests_sent_s": round(sent, 2),
        "all_reconciled_s": last_time(rd.reconciled),
        "all_ready_condition_s": last_time(rd.ready),
        "all_ready_s": last_time(rd.rolled_out),
        "ready_count": done,
        "elapsed_s": round(elapsed, 2),
        "reconciles": started,
        "reconciles_per_s": round(started / elapsed, 1),
        "reconcile_p50_s": quantile(0.5, hb, ha),
        "reconcile_p99_s": quantile(0.99, hb, ha),
        "reconcile_mean_s": (total(oa, dur + "_sum") - total(ob, dur + "_sum")) / count if count else None,
        "reconcile_buckets_s": sorted(le for le in ha if le != float("inf")),
        # JOSDK's failed reconciles, less the refused status patches it retried: those are no error.
        "reconcile_failures": total(oa, "reconciliations_failure_total")
        - total(ob, "reconciliations_failure_total")
        - conflicts,
        "reconcile_conflicts": conflicts,
        "reconcile_retries": total(oa, "reconciliations_retries_total") - total(ob, "reconciliations_retries_total"),
        "degraded": len(rd.degraded),
        "api_requests": requests_made,
        "api_requests_per_tcpservice": round(requests_made / COUNT, 2),
        "api_priority_wait_mean_ms": round(1000 * waited / waits, 2) if waits else None,
        "api_rejected": (
            total(api_after, "apiserver_flowcontrol_rejected_requests_total", flow_schema=FLOW_SCHEMA)
            - total(api_before, "apiserver_flowcontrol_rejected_requests_total", flow_schema=FLOW_SCHEMA)
        ),
        "operator_cpu_s": round(after["cpu"]["operator"] - before["cpu"]["operator"], 1),
        "cpu_s_by_process": cpu_spent(before["cpu"], after["cpu"]),
        # Seconds kube-controller-manager's controllers waited on their own client rate limiters (all clients summed).
        "controller_manager_throttled_s": round(
            total(kcm_after, "rest_client_rate_limiter_duration_seconds_sum")
            - total(kcm_before, "rest_client_rate_limiter_duration_seconds_sum"),
            1,
        ),
        "rss_peak_mib": max((p["rss_mib"] for p in window), default=None),
        "rss_end_mib": round(op.rss_kib() / 1024, 1),
        **heap,
        "ready_curve": ready_curve(rd, generation, t0),
        "api_server_latency": api_latency(before["api"], after["api"]),
    }
    log(f"{name}: " + json.dumps({k: v for k, v in result.items() if k not in ("ready_curve", "reconcile_buckets_s")}))
    return result


# --- the control plane alone: the operator's children applied by a client that does nothing else ---

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
    t0, api0, cpu0 = time.monotonic(), api.text("/metrics"), cpu_by_process()
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
        "cpu_s_by_process": cpu_spent(cpu0, cpu_by_process()),
        "api_server_latency": api_latency(api0, api.text("/metrics")),
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


def api_latency(before, after, top=8):
    """The API server's busiest request kinds over the phase (all clients): count and mean duration."""

    def by_kind(text):
        out = {}
        for suffix in ("_count", "_sum"):
            for labels, v in samples(
                parse(text, "apiserver_request_duration_seconds"), "apiserver_request_duration_seconds" + suffix
            ):
                if labels.get("verb") not in ("WATCH", "CONNECT"):
                    kind = " ".join(
                        x for x in (labels["verb"], labels.get("resource", ""), labels.get("subresource", "")) if x
                    )
                    out.setdefault(kind, [0, 0])[suffix == "_sum"] += v
        return out

    b, a = by_kind(before), by_kind(after)
    rows = [(k, c - b.get(k, [0, 0])[0], s - b.get(k, [0, 0])[1]) for k, (c, s) in a.items()]
    return [
        {"request": k, "count": int(c), "mean_ms": round(1000 * s / c, 1)}
        for k, c, s in sorted(rows, key=lambda r: -r[1])[:top]
        if c > 0
    ]


def ready_curve(rd, generation, t0):
    """Seconds after the phase start at which each TcpService was reconciled / rolled out, sorted."""
    with rd.lock:
        return {
            k: sorted(round(t - t0, 2) for t in table.get(generation, {}).values())
            for k, table in (("reconciled", rd.reconciled), ("rolled_out", rd.rolled_out))
        }


def machine(settings, op_argv):
    def cmd(*argv):
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
            return (r.stdout.strip() or r.stderr.strip()).splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError) as e:
            return f"unavailable ({e})"

    pom = (ROOT / "pom.xml").read_text()

    def version(prop):
        return (re.search(rf"<{prop}>([^<]+)</{prop}>", pom) or [None, "?"])[1]

    server = json.loads(kubectl("version", "-o", "json")).get("serverVersion", {}).get("gitVersion", "?")
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "loadavg_start": loadavg(),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "kernel": os.uname().release,
        "java": cmd("java", "-version"),
        "kubernetes": server,
        "kwok": cmd(str(CLUSTER / "bin" / "kwok"), "--version"),
        "quarkus": version("quarkus.version"),
        "quarkus_operator_sdk": version("quarkus-operator-sdk.version"),
        "fabric8": version("fabric8.version"),
        "controller_manager_client_limits": client_limits("kube-controller-manager", ("20", "30")),
        "controller_manager_concurrent_syncs": controller_manager_syncs(),
        "scheduler_client_limits": client_limits("kube-scheduler", ("50", "100")),
        "operator_command": " ".join(op_argv),
        "operator_java_tool_options": settings["env"]["JAVA_TOOL_OPTIONS"],
        "operator_env": {
            k: v
            for k, v in settings["env"].items()
            if k
            not in (
                "JAVA_TOOL_OPTIONS",
                "TCPFLEET_OPERATOR_SERVER_IMAGE",
                "QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS",
            )
        },
        "operator_memory_limit": settings["memory_limit"],
        "operator_cpu": OPERATOR_CPU or "not pinned",
        "concurrent_reconciliation_threads": settings["env"].get(
            "QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS"
        )
        or os.environ.get("QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS")
        or app_property("quarkus.operator-sdk.concurrent-reconciliation-threads"),
    }


def app_property(key):
    text = (ROOT / "operator" / "src" / "main" / "resources" / "application.properties").read_text()
    m = re.search(rf"^{re.escape(key)}=(.*)$", text, re.M)
    return m.group(1).strip() if m else "default"


def run_bench():
    OUT.mkdir(parents=True, exist_ok=True)
    started_cluster = cluster_up()
    api = Api(KUBECONFIG)
    op = None
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
        op = Operator(api, settings)
        log(f"operator pid {op.pid} on http://127.0.0.1:{op.port}, log {LOGS / 'operator.log'}")
        results = {
            "machine": machine(settings, op.argv),
            "pod_capacity": capacity,
            "started_control_plane": started_cluster,
            "other_operators": other_operators(op.pid),
            "monitoring_crds": [
                c
                for c in ("servicemonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com")
                if api.request("GET", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{c}")[0] == 200
            ],
            "update": UPDATE,
        }
        rd = Readiness(api)
        time.sleep(5)  # the operator idle after start-up: its informers synced, the JIT quiet
        sampler = Sampler(op, rd)
        template = manifest_json(ROOT / "examples" / "echo.yaml")[0]
        base = f"/apis/tcpfleet.io/v1alpha1/namespaces/{NS}/tcpservices"
        create = [("POST", base, tcpservice(template, i)) for i in range(COUNT)]
        update = [("PATCH", f"{base}/echo-{i:04d}", UPDATE, "application/merge-patch+json") for i in range(COUNT)]
        results["phases"] = [phase("create", api, op, rd, sampler, 1, create)]
        created = children(api, "echo-0000")
        results["phases"].append(phase("update", api, op, rd, sampler, 2, update))
        updated = children(api, "echo-0000")
        sampler.stopped = rd.stopped = True
        results["operator_errors_logged"] = op.errors_logged()
        results["series"] = sampler.points
        if FLOOR:
            op.stop()
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
        if op:
            op.stop()
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


def headline(r):
    return {
        "date": r["machine"]["date"],
        "loadavg_start": r["machine"]["loadavg_start"],
        **{
            p["phase"]: {
                k: p[k]
                for k in (
                    "all_ready_s",
                    "reconciles_per_s",
                    "reconcile_p99_s",
                    "api_requests_per_tcpservice",
                    "rss_peak_mib",
                )
            }
            for p in r["phases"]
        },
    }


# --- the report ----------------------------------------------------------------------------------


def half(p, key):
    """When half of the phase's TcpServices (or Deployments) had reached `key`, from its ready curve."""
    xs = p.get("ready_curve", {}).get(key, [])
    return xs[(p["tcpservices"] - 1) // 2] if len(xs) >= (p["tcpservices"] + 1) // 2 else None


def fmt_s(v, unit="s"):
    if v is None:
        return "–"
    return f"{v * 1000:.0f} ms" if unit == "ms" else f"{v:.1f} s"


def verdict(ok):
    return "**met**" if ok else "**not met**"


def report():
    r = json.loads((OUT / "operator-scale.json").read_text())
    m, phases = r["machine"], r["phases"]
    lines = [
        "## Operator at scale",
        "",
        f"Generated by `bash bench/run.sh operator` (bench/operator_scale.py) on {m['date']}; raw numbers in "
        "[operator-scale.json](operator-scale.json). The operator against the local control plane "
        f"(Kubernetes {m['kubernetes']}, kwok fake nodes, everything on this {m['nproc']}-CPU machine): "
        f"{phases[0]['tcpservices']:,} TcpServices created, then all of them changed.",
        "",
        "| phase | TcpServices | time to all Ready | all reconciled once | reconciles/s | reconcile p50 / p99 "
        "| reconcile errors | peak RSS | API requests per TcpService |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in phases:
        ready = (
            fmt_s(p["all_ready_s"])
            if p["all_ready_s"] is not None
            else f"not all: {p['ready_count']:,} after {p['elapsed_s']:.0f} s"
        )
        lines.append(
            f"| {p['phase']} | {p['tcpservices']:,} | {ready} | {fmt_s(p['all_reconciled_s'])} "
            f"| {p['reconciles_per_s']:.0f} | {fmt_s(p['reconcile_p50_s'], 'ms')} / "
            f"{fmt_s(p['reconcile_p99_s'], 'ms')} | {p['reconcile_failures']:.0f} "
            f"({p.get('reconcile_conflicts', 0)} status patches refused for a concurrent change, retried) "
            f"| {p['rss_peak_mib']:.0f} MiB | {p['api_requests_per_tcpservice']:.1f} |"
        )
    worst_ready = max((p["all_ready_s"] if p["all_ready_s"] is not None else float("inf")) for p in phases)
    peak = max(p["rss_peak_mib"] for p in phases)
    errors = sum(p["reconcile_failures"] + p["degraded"] for p in phases)
    floor = r.get("floor", [])
    if floor:
        lines += [
            "",
            "The same children without the operator (*control plane alone*, after the operator's phases and "
            "with the operator stopped): the Deployment, both Services and the PodDisruptionBudget the operator "
            f"had applied for one TcpService, server-side applied for all {floor[0]['tcpservices']:,} by a client "
            f"with {floor[0]['parallel_requests']} concurrent requests (the operator's reconcile threads) in a "
            "namespace of their own; for the update only what the operator's update changed (the Deployment). "
            "Time until every Deployment is rolled out, seen through a watch; no status, no Events, no "
            "reconcile. CPU seconds of each process over the phase:",
            "",
            "| run | phase | half Ready / rolled out | all Ready / rolled out | "
            + " | ".join(CPU_COLUMNS.values())
            + " | all processes (share of both CPUs) |",
            "|---|---|---|---|" + "---|" * (len(CPU_COLUMNS) + 1),
        ]
        for run, rows in (("operator", phases), ("control plane alone", floor)):
            for p in rows:
                cpu = p.get("cpu_s_by_process", {})
                spent = sum(cpu.values())
                ready = (
                    fmt_s(p["all_ready_s"]) if p["all_ready_s"] is not None else f"not all after {p['elapsed_s']:.0f} s"
                )
                lines.append(
                    f"| {run} | {p['phase']} | {fmt_s(half(p, 'rolled_out'))} | {ready} | "
                    + " | ".join(f"{cpu[k]:.0f}" if k in cpu else "–" for k in CPU_COLUMNS)
                    + f" | {spent:.0f} s ({100 * spent / (m['nproc'] * p['elapsed_s']):.0f} %) |"
                )
    floor_note = (
        (
            "; the control plane alone took "
            + " / ".join(f"{fmt_s(p['all_ready_s'])}" for p in floor)
            + " (create / update) for the same children"
        )
        if floor
        else ""
    )
    lines += [
        "",
        "| target (issue 7) | measured | verdict |",
        "|---|---|---|",
        f"| {phases[0]['tcpservices']:,} TcpServices Ready in ≤ {TARGET_READY_S} s (create and update) | "
        f"{'not all Ready' if worst_ready == float('inf') else f'{worst_ready:.1f} s'} (slowest phase){floor_note} | "
        f"{verdict(worst_ready <= TARGET_READY_S)} |",
        f"| operator RSS ≤ {TARGET_RSS_MIB} MB | {peak:.0f} MiB peak | {verdict(peak * 1.048576 <= TARGET_RSS_MIB)} |",
        f"| no reconcile error | {errors:.0f} failed reconciles or Degraded TcpServices, "
        f"{r['operator_errors_logged']} ERROR lines in the operator log | "
        f"{verdict(errors == 0 and r['operator_errors_logged'] == 0)} |",
        "",
        "![Ready TcpServices over time, operator RSS and reconciles per second](operator-scale.png)",
        "",
    ]
    lines += [
        f"- **Machine**: {m['nproc']} × {m['cpu']}, load average {' '.join(m['loadavg_start'])} at the start and "
        f"{' '.join(m['loadavg_end'])} at the end (control plane, operator and client share the machine; "
        "other work on it shows up here).",
        f"- **Operator**: the packaged jar (Quarkus {m['quarkus']}, quarkus-operator-sdk "
        f"{m['quarkus_operator_sdk']}, Fabric8 {m['fabric8']}, {m['java']}), prod profile (leader election on), "
        f"as its own ServiceAccount with deploy/'s ClusterRole (a TokenRequest token), "
        f"{m['concurrent_reconciliation_threads']} reconcile threads; JVM options and environment of deploy/ "
        f"(`{m['operator_java_tool_options']}`"
        + "".join(f", `{k}={v}`" for k, v in m.get("operator_env", {}).items())
        + f") sized for its memory limit {m['operator_memory_limit']} "
        f"(`-XX:MaxRAM`), pinned to CPU {m['operator_cpu']} (`taskset`), as in a pod with a one-CPU limit: "
        f"`{m['operator_command']}`. It watches only the benchmark's namespace.",
        f"- **TcpServices**: examples/echo.yaml with `replicas: 1` ({sum(r['pod_capacity'].values()):,} pods fit on "
        f"the {len(r['pod_capacity'])} kwok nodes), created with {phases[0]['parallel_requests']} concurrent POSTs "
        f"through the API; the update is a merge patch `{json.dumps(r['update'])}` on each, which changes the pods' "
        "environment and so rolls every Deployment (maxSurge 1, maxUnavailable 0).",
        "- **Time to all Ready**: from the first request until the last TcpService reports, for the new "
        "generation, `status.observedGeneration` current, `Ready=True` and `Progressing=False` (rolled out: "
        "during a rollout Ready stays True, so Progressing says when it is over), seen through a watch. It "
        "includes the control plane's work (Deployment and ReplicaSet controllers, scheduler, kwok turning pods "
        "Ready). *All reconciled once*: until every TcpService had a status for that generation, the "
        "operator's own part.",
        "- **Reconciles/s, p50/p99**: increase of JOSDK's `reconciliations_started_total` over the phase; "
        "p50/p99 interpolated (as PromQL `histogram_quantile`) in the increase of "
        "`reconciliations_execution_duration_seconds_bucket`, whose buckets are JOSDK's fixed ones "
        f"({', '.join(f'{b:g}' for b in phases[0]['reconcile_buckets_s'])} s): coarse, the mean is "
        + ", ".join(f"{fmt_s(p['reconcile_mean_s'], 'ms')} ({p['phase']})" for p in phases)
        + ".",
        "- **Errors**: increase of `reconciliations_failure_total`, TcpServices seen with `Degraded=True`, and "
        "ERROR lines in the operator's log. A status patch the API server refused because the TcpService "
        "changed during its reconcile (the INFO line `Conflict during reconciliation`) is retried by JOSDK and "
        "counted apart, not as an error.",
        "- **API requests per TcpService**: increase of the API server's "
        "`apiserver_flowcontrol_dispatched_requests_total` for a FlowSchema that matches only the operator's "
        "ServiceAccount, over the phase, divided by the number of TcpServices (status patches, server-side "
        "applies, Events, lease renewals, watches). Mean wait in the API server's priority queues: "
        + ", ".join(f"{p['api_priority_wait_mean_ms']} ms ({p['phase']})" for p in phases)
        + ".",
        "- **RSS**: VmRSS of the operator process every 0.5 s; peak per phase, "
        + ", ".join(f"{p['rss_end_mib']:.0f} MiB at the end of {p['phase']}" for p in phases)
        + ". Operator CPU: "
        + ", ".join(
            f"{p['operator_cpu_s']:.0f} s in {p['phase']} ({100 * p['operator_cpu_s'] / p['elapsed_s']:.0f} % "
            "of its core)"
            for p in phases
        )
        + ".",
    ]
    busiest = {
        p["phase"]: sorted(p.get("api_server_latency", []), key=lambda x: -x["count"] * x["mean_ms"])[:5]
        for p in phases
    }
    lines.append(
        "- **Where the API server spent its time** (all clients; requests × mean duration): "
        + "; ".join(
            f"{ph}: " + ", ".join(f"{x['request']} {x['count']:,} × {x['mean_ms']:,.0f} ms" for x in xs)
            for ph, xs in busiest.items()
        )
        + "."
    )
    services = next((x for x in phases[0].get("api_server_latency", []) if x["request"] == "APPLY services"), None)
    if services:
        lines.append(
            f"- **Services**: the {services['count']:,} Service applies of the create phase took "
            f"{services['mean_ms']:,.0f} ms each on average. The API server allocates ClusterIPs one at a "
            "time (kube-apiserver's `MetaAllocator` holds a mutex across the IPAddress write); only the "
            "client Service of a TcpService needs one, its `-metrics` Service is headless (it had a "
            "ClusterIP too until 2026-12-01, when these applies averaged 1,875 ms and held the operator's "
            "first pass over 1,000 TcpServices to 241.5 s). The operator's first pass took "
            f"{fmt_s(phases[0]['all_reconciled_s'])} with its {m['concurrent_reconciliation_threads']} "
            "reconcile threads."
        )
    if floor:

        def cpu(p):
            return sum(p["cpu_s_by_process"].values())

        lines.append(
            "- **Control plane alone**: "
            + "; ".join(
                f"{f['phase']}: {fmt_s(f['all_ready_s'])} and {cpu(f):.0f} CPU seconds without the operator, "
                f"{fmt_s(p['all_ready_s'])} and {cpu(p):.0f} with it "
                f"({p['all_ready_s'] / f['all_ready_s']:.2f}× the time; the operator's own "
                f"{p['operator_cpu_s']:.0f} s and the API server's {p['cpu_s_by_process']['kube-apiserver'] - f['cpu_s_by_process']['kube-apiserver']:+.0f} s for its requests and watches)"
                for p, f in zip(phases, floor)
                if p.get("cpu_s_by_process") and f["all_ready_s"] and p["all_ready_s"]
            )
            + f". Both runs kept both CPUs busy, so time follows CPU: within {TARGET_READY_S} s the control plane "
            "alone would keep at least "
            + " / ".join(f"{cpu(f) / TARGET_READY_S:.1f}" for f in floor)
            + f" CPUs busy (create / update) of this kind, this machine has {m['nproc']}; the target is out of reach here "
            "whatever the operator does, and the operator's share is the gap between the two rows. The "
            "control plane's runs come after the operator's, in the same control plane (not interleaved)."
        )
        p, f = phases[0], floor[0]
        lines.append(
            f"- **Half Ready**: in create, half of the TcpServices were Ready after {fmt_s(half(p, 'rolled_out'))}, "
            f"where the control plane alone had half of the Deployments rolled out after {fmt_s(half(f, 'rolled_out'))}; "
            f"half had their first status (reconciled once) after {fmt_s(half(p, 'reconciled'))}, and most turned Ready "
            f"only after the last first pass ({fmt_s(p['all_reconciled_s'])}). JOSDK runs the reconciles of "
            "different TcpServices in the order their events came: the reconcile that reports a Deployment "
            "available waits behind the first passes of the TcpServices created after it. The slowest TcpService, "
            "and so the time to all Ready, is bound by the first passes either way."
        )
    heaps = [p for p in phases if p.get("live_heap_mib")]
    if heaps:
        lines.append(
            "- **Live heap** after a full GC at the end of each phase (`jcmd GC.run`, after the measurements): "
            + ", ".join(
                f"{p['live_heap_mib']:.0f} MiB of {p['heap_committed_mib']:.0f} MiB committed ({p['phase']})"
                for p in heaps
            )
            + "; the rest of the RSS is the heap the JVM keeps committed on top of the live objects (young "
            "generation and free space, bounded by deploy/'s JVM options), metaspace, code and thread stacks."
        )
    limits = m.get("controller_manager_client_limits", "20 qps, burst 30")
    lines.append(
        "- **Control plane throttling**: kube-controller-manager's controllers (Deployment, ReplicaSet, "
        f"endpoints...; {m.get('controller_manager_concurrent_syncs', '5 Deployments, 5 ReplicaSets')} "
        "synced at once) waited on their client-side rate limiters "
        f"({limits} per controller, "
        "e2e/cluster/up.sh; client-go's default is 20, burst 30; the scheduler's "
        f"{m.get('scheduler_client_limits', '50 qps, burst 100')}) for "
        + ", ".join(f"{p.get('controller_manager_throttled_s', float('nan')):,.0f} s in {p['phase']}" for p in phases)
        + " (`rest_client_rate_limiter_duration_seconds`, summed over its clients)."
    )
    if r.get("monitoring_crds"):
        lines.append(f"- The monitoring CRDs were installed ({', '.join(r['monitoring_crds'])}).")
    else:
        lines.append(
            "- The Prometheus Operator's CRDs were not installed: every TcpService reports monitoring "
            "skipped; the operator watches those two CRDs by name instead of requeueing each TcpService "
            "to look for them (it did so every 10 s until 2026-12-01)."
        )
    if r.get("other_operators"):
        lines.append(
            f"- Other tcpfleet operator processes ran on the machine during the run "
            f"(pids {r['other_operators']}), loading the same API server."
        )
    if r.get("previous_runs"):
        lines.append(
            "- Earlier runs (time to all Ready create / update, peak RSS): "
            + "; ".join(
                f"{p['date']} (load {p['loadavg_start'][0]}): "
                f"{fmt_s(p['create']['all_ready_s'])} / {fmt_s(p['update']['all_ready_s'])}, "
                f"{max(p['create']['rss_peak_mib'], p['update']['rss_peak_mib']):.0f} MiB"
                for p in r["previous_runs"]
            )
            + "."
        )
    (OUT / "operator-scale.md").write_text("\n".join(lines) + "\n")
    plot(r)
    print("\n".join(lines))


def plot(r):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b, c) = plt.subplots(1, 3, figsize=(15, 4.2))
    for p, color in zip(r["phases"], ("#1f77b4", "#ff7f0e")):
        for key, style in (("rolled_out", "-"), ("reconciled", ":")):
            xs = p["ready_curve"][key]
            a.step(
                [0] + xs,
                range(len(xs) + 1),
                style,
                color=color,
                where="post",
                label=f"{p['phase']}: {'Ready' if key == 'rolled_out' else 'reconciled once'}",
            )
    for p, color in zip(r.get("floor", []), ("#1f77b4", "#ff7f0e")):
        xs = p.get("ready_curve", {}).get("rolled_out", [])
        if xs:
            a.step(
                [0] + xs,
                range(len(xs) + 1),
                "--",
                color=color,
                alpha=0.6,
                where="post",
                label=f"{p['phase']}: control plane alone",
            )
    a.axvline(TARGET_READY_S, color="#7f7f7f", ls="--", lw=1, label=f"target {TARGET_READY_S} s")
    a.set(xlabel="seconds since the first request", ylabel="TcpServices", title="TcpServices Ready")
    a.legend(fontsize=8)
    s = r["series"]
    b.plot([p["t"] for p in s], [p["rss_mib"] for p in s], color="#2ca02c")
    b.axhline(TARGET_RSS_MIB / 1.048576, color="#7f7f7f", ls="--", lw=1, label=f"target {TARGET_RSS_MIB} MB")
    b.set(xlabel="seconds", ylabel="MiB", title="operator RSS", ylim=(0, None))
    b.legend(fontsize=8)
    pts = [p for p in s if p["reconciles"] is not None]
    rate = [
        (q["t"], (q["reconciles"] - p["reconciles"]) / (q["t"] - p["t"]))
        for p, q in zip(pts[::2], pts[2::2])
        if q["t"] > p["t"]
    ]
    c.plot([t for t, _ in rate], [v for _, v in rate], color="#d62728")
    c.set(xlabel="seconds", ylabel="reconciles/s", title="reconciles per second", ylim=(0, None))
    for ax in (b, c):
        for p, color in zip(r["phases"], ("#1f77b4", "#ff7f0e")):
            ax.axvspan(p["start_t"], p["end_t"], color=color, alpha=0.12, label=p["phase"])
    c.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(OUT / "operator-scale.png", dpi=110)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "all"
    if mode == "all":
        run_bench()
        if not VARIANT:
            report()
    elif mode == "report":
        report()
    else:
        sys.exit("usage: operator_scale.py [all|report]")
