"""The local control plane: started and stopped, the benchmark's CRD, namespaces, RBAC and FlowSchema installed
and removed, and what its components and nodes are set to."""

import ipaddress
import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

from process_stats import command_line
from scale.settings import ACCOUNT, CLUSTER, DEPLOYMENT, FLOOR_NS, FLOW_SCHEMA, NS, OPERATOR_NS, RESTRICTED, ROOT
from scale.shell import kubectl, log, run


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
    others = [ns for ns in kubectl("get", "namespaces", "-o", "name").split() if ns.split("/")[1] not in system]
    if others:
        log(f"leaving the control plane up: it is in use ({', '.join(others)})")
        return
    log("stopping the control plane this run started (e2e/cluster/down.sh)")
    run("bash", str(CLUSTER / "down.sh"))


def manifest_json(*files):
    """YAML manifests as JSON objects, through kubectl (no YAML parser in the standard library)."""
    args = [arg for file in files for arg in ("-f", str(file))]
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
        for subject in obj.get("subjects", []):
            subject["namespace"] = OPERATOR_NS
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
                    lambda service: api.request(
                        "DELETE", f"/api/v1/namespaces/{ns}/services/{service['metadata']['name']}"
                    ),
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
    return sum(
        ipaddress.ip_network(cidr).num_addresses - 2 for item in cidrs["items"] for cidr in item["spec"]["cidrs"]
    )


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
        return next((arg.split("=", 1)[1] for arg in argv if arg.startswith(f"--{name.replace('_', '-')}=")), default)

    return {name: flag(name, default) for name, default in defaults.items()}


def client_limits(component, default):
    """--kube-api-qps/--kube-api-burst of a running control plane component, from its command line."""
    flags = component_flags(component, kube_api_qps=default[0], kube_api_burst=default[1])
    return f"{flags['kube_api_qps']} qps, burst {flags['kube_api_burst']}" if flags else "unknown"


def controller_manager_syncs():
    """How many Deployments and ReplicaSets kube-controller-manager syncs at once (its defaults: 5 and 5)."""
    flags = component_flags("kube-controller-manager", concurrent_deployment_syncs="5", concurrent_replicaset_syncs="5")
    return (
        f"{flags['concurrent_deployment_syncs']} Deployments, {flags['concurrent_replicaset_syncs']} ReplicaSets"
        if flags
        else "unknown"
    )


def pod_capacity():
    nodes = json.loads(kubectl("get", "nodes", "-o", "json"))["items"]
    return {node["metadata"]["name"]: quantity(node["status"]["allocatable"]["pods"]) for node in nodes}


def quantity(text):
    """A Kubernetes quantity without a fraction ("110", "1M", "1Ki") as a number."""
    match = re.fullmatch(r"(\d+)([kKMGT]i?)?", text)
    if not match:
        raise ValueError(f"unexpected quantity {text}")
    suffix = match.group(2) or ""
    power = "KMGT".index(suffix[0].upper()) + 1 if suffix else 0
    return int(match.group(1)) * (1024 if suffix.endswith("i") else 1000) ** power


def deployment_settings():
    """The environment (literal values: JAVA_TOOL_OPTIONS, MALLOC_ARENA_MAX, the server image...) and the memory
    limit of the operator's container in deploy/."""
    container = manifest_json(DEPLOYMENT)[0]["spec"]["template"]["spec"]["containers"][0]
    env = {variable["name"]: variable["value"] for variable in container["env"] if "value" in variable}
    return {"env": env, "memory_limit": container["resources"]["limits"]["memory"]}


def control_plane_port(name):
    text = (CLUSTER / ".state" / "ports.env").read_text()
    return int(re.search(rf"^{name}=(\d+)$", text, re.M).group(1))


COMPONENTS = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")
