#!/usr/bin/env bash
# Starts the local control plane on loopback: etcd, kube-apiserver (Node,RBAC authorization,
# PodSecurity admission), kube-controller-manager, kube-scheduler and kwok with fake nodes whose
# pods turn Running/Ready, and, when build.sh built it, one real node (node.sh: containerd, runc,
# kubelet, kube-proxy) that runs the pods meant for it in real containers. Waits for /readyz, Ready
# nodes and the default ServiceAccount, prints the admin kubeconfig path and exits 0, leaving the
# processes running (pids and logs in .state/).
# A second run reuses a healthy cluster; a broken one is stopped and started afresh.
#
#   up.sh            start (or reuse) the cluster
#   up.sh --check    exit 0 when a healthy cluster is running, 1 otherwise; changes nothing
#
# Environment: TCPFLEET_CLUSTER_NODES (fake nodes, default 3),
#              TCPFLEET_CLUSTER_REAL_NODE (0: no real node even when built; default 1),
#              TCPFLEET_CLUSTER_TIMEOUT (seconds to wait for each step, default 90),
#              TCPFLEET_IMAGES (OCI archives to import into the real node, default target/images).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

nodes="${TCPFLEET_CLUSTER_NODES:-3}"
timeout="${TCPFLEET_CLUSTER_TIMEOUT:-90}"
[[ "$nodes" =~ ^[1-9]$ ]] || fail "TCPFLEET_CLUSTER_NODES must be 1..9, got '$nodes'"
[[ "$timeout" =~ ^[1-9][0-9]*$ ]] || fail "TCPFLEET_CLUSTER_TIMEOUT must be whole seconds, got '$timeout'"

if [[ "${1:-}" == "--check" ]]; then
  healthy && exit 0 || exit 1
fi
[[ $# -eq 0 ]] || fail "unknown argument '$1' (usage: up.sh [--check])"

for tool in kubectl openssl flock curl; do
  command -v "$tool" >/dev/null || fail "$tool not found on PATH (see docs/local-cluster.md)"
done
for c in "${components[@]}"; do
  [[ -x "$bin/$c" ]] || fail "$bin/$c missing: run e2e/cluster/build.sh (make cluster-build) first"
done

take_lock
if healthy; then
  say "reusing the running cluster"
  echo "$kubeconfig"
  exit 0
fi
if [[ -d "$state" ]]; then
  say "found a stopped or broken cluster in $state: stopping it first"
  "$here/down.sh" --locked
fi
started=$SECONDS

# --- ports -----------------------------------------------------------------------------------
# Listen ports come from below the kernel's ephemeral range: a port from inside it can be taken by
# one of the components' own client connections between the pick and the bind. free_port sets
# REPLY (not echo: in a $(...) subshell used_ports would not remember the picks).
used_ports=" "
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
(( ephemeral_low > 21000 )) || ephemeral_low=50000
free_port() {
  local p
  while true; do
    p=$((20000 + RANDOM % (ephemeral_low - 20000)))
    [[ "$used_ports" == *" $p "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    used_ports+="$p "
    REPLY=$p
    return
  done
}
free_port; etcd_port=$REPLY; free_port; etcd_peer_port=$REPLY; free_port; api_port=$REPLY
free_port; kcm_port=$REPLY; free_port; sched_port=$REPLY; free_port; kwok_port=$REPLY
mkdir -p "$pki" "$logs" "$pids"
api_bind=127.0.0.1
if node_wanted; then
  # Pods reach the API server at the node IP: listen on every address, guarded first.
  node_network "$api_port"
  touch "$state/node.enabled"
  components+=("${node_components[@]}")
  api_bind=0.0.0.0
elif [[ $EUID -eq 0 ]]; then
  # kwok's pods get addresses in $kwok_pod_range, inside the Service range, and the operator connects to
  # pod addresses (it scrapes their admin ports): without the real node to route them, keep them here.
  ip route replace local "$service_range" dev lo
  touch "$state/routes.enabled"
else
  say "warning: not root, so $service_range (Services, kwok's pods) is not routed to this machine"
fi
cat >"$state/ports.env" <<EOF
ETCD_PORT=$etcd_port
APISERVER_PORT=$api_port
CONTROLLER_MANAGER_PORT=$kcm_port
SCHEDULER_PORT=$sched_port
KWOK_PORT=$kwok_port
EOF

# --- certificates and keys -------------------------------------------------------------------
# One CA signs the API server's serving cert and each client's cert; the subject names the user
# (CN) and groups (O) that RBAC sees.
openssl_quiet() { openssl "$@" 2>>"$logs/openssl.log" >/dev/null; }
openssl_quiet req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=tcpfleet-local-ca" \
  -keyout "$pki/ca.key" -out "$pki/ca.crt"
# sign NAME SUBJECT EXTENSIONS
sign() {
  openssl_quiet req -newkey rsa:2048 -nodes -subj "$2" -keyout "$pki/$1.key" -out "$pki/$1.csr"
  openssl_quiet x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 365 -out "$pki/$1.crt" -extfile <(printf '%s\n' "$3")
  rm -f "$pki/$1.csr"
}
client_ext="keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
sign apiserver "/CN=kube-apiserver" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,IP:$node_ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
sign admin "/O=system:masters/CN=tcpfleet-admin" "$client_ext"
sign kube-controller-manager "/CN=system:kube-controller-manager" "$client_ext"
sign kube-scheduler "/CN=system:kube-scheduler" "$client_ext"
sign kwok "/CN=tcpfleet:kwok-controller" "$client_ext"
sign apiserver-kubelet-client "/CN=kube-apiserver-kubelet-client" "$client_ext"
# The API server's own client cert for aggregated APIs, under a CA of its own (as kubeadm does).
openssl_quiet req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=tcpfleet-front-proxy-ca" \
  -keyout "$pki/front-proxy-ca.key" -out "$pki/front-proxy-ca.crt"
openssl_quiet req -newkey rsa:2048 -nodes -subj "/CN=front-proxy-client" \
  -keyout "$pki/front-proxy-client.key" -out "$pki/front-proxy-client.csr"
openssl_quiet x509 -req -in "$pki/front-proxy-client.csr" -CA "$pki/front-proxy-ca.crt" \
  -CAkey "$pki/front-proxy-ca.key" -CAcreateserial -days 365 -out "$pki/front-proxy-client.crt" \
  -extfile <(printf '%s\n' "$client_ext")
rm -f "$pki/front-proxy-client.csr"
openssl_quiet genrsa -out "$pki/sa.key" 2048
openssl_quiet rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
chmod 600 "$pki"/*.key

# write_kubeconfig FILE CLIENT
write_kubeconfig() {
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: tcpfleet-local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(base64 -w0 "$pki/$2.crt")
    client-key-data: $(base64 -w0 "$pki/$2.key")
contexts:
- name: tcpfleet-local
  context: {cluster: tcpfleet-local, user: $2}
current-context: tcpfleet-local
EOF
  chmod 600 "$1"
}
for c in kube-controller-manager kube-scheduler kwok; do write_kubeconfig "$state/$c.kubeconfig" "$c"; done
if [[ -f "$state/node.enabled" ]]; then node_certs; fi

# --- processes -------------------------------------------------------------------------------
# launch NAME ARGS...: runs bin/NAME detached (own session, no inherited stdio) and records its pid.
launch() {
  local name="$1"; shift
  # The daemons must not inherit (and so hold for their lifetime) any open descriptor beyond
  # stdio: neither take_lock's nor one of a caller's (`flock LOCK make test` would stay locked).
  (
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      if (( fd > 2 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "$bin/$name" "$@" </dev/null >"$logs/$name.log" 2>&1
  ) &
  echo $! >"$pids/$name.pid"
}

# wait_for WHAT COMMAND...: retries COMMAND until it succeeds, failing after $timeout seconds.
wait_for() {
  local what="$1" deadline=$((SECONDS + timeout)); shift
  until "$@" >/dev/null 2>&1; do
    local c
    for c in "${components[@]}"; do
      if [[ -f "$pids/$c.pid" ]] && ! live_pid "$c" >/dev/null; then
        tail -n 20 "$logs/$c.log" >&2 || true
        fail "$c exited while waiting for $what (log: $logs/$c.log)"
      fi
    done
    ((SECONDS < deadline)) || fail "timed out after ${timeout}s waiting for $what (logs: $logs)"
    sleep 0.5
  done
}

launch etcd --name=tcpfleet --data-dir="$state/etcd" \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster="tcpfleet=http://127.0.0.1:$etcd_peer_port" \
  --unsafe-no-fsync=true --quota-backend-bytes=2147483648 --log-level=warn
wait_for "etcd" curl -fsS "http://127.0.0.1:$etcd_port/health"

# PodSecurity is on by default at level "privileged" cluster-wide; namespaces opt into
# "restricted" with the pod-security.kubernetes.io/enforce label. The endpoint reconciler is off:
# it refuses a loopback address; with the real node, node.sh writes the kubernetes Service's
# endpoint (the node IP) itself.
# Services get a /16 (65,534 ClusterIPs), so a thousand TcpServices (two Services each) fit.
launch kube-apiserver --bind-address="$api_bind" --advertise-address=127.0.0.1 --secure-port="$api_port" \
  --etcd-servers="http://127.0.0.1:$etcd_port" \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" \
  --requestheader-client-ca-file="$pki/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$pki/front-proxy-client.crt" --proxy-client-key-file="$pki/front-proxy-client.key" \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$pki/apiserver-kubelet-client.key" --kubelet-preferred-address-types=InternalIP \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --authorization-mode=Node,RBAC \
  --enable-admission-plugins=NodeRestriction,PodSecurity,PodNodeSelector,PodTolerationRestriction \
  --service-cluster-ip-range=10.0.0.0/16 --allow-privileged=true --endpoint-reconciler-type=none \
  --profiling=false --v=1
write_kubeconfig "$kubeconfig" admin
wait_for "kube-apiserver /readyz" bash -c "[[ \"\$(kubectl --kubeconfig '$kubeconfig' get --raw /readyz)\" == ok ]]"

# kwok's own rights: watch nodes and pods, write their status, renew node leases.
kctl apply -f - >/dev/null <<'EOF'
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "tcpfleet:kwok-controller"}
rules:
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, update, patch, delete]
- apiGroups: [""]
  resources: [nodes/status, pods/status]
  verbs: [update, patch]
- apiGroups: [""]
  resources: [events]
  verbs: [create, update, patch]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [get, list, watch, create, update, patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "tcpfleet:kwok-controller"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "tcpfleet:kwok-controller"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: "tcpfleet:kwok-controller"}
EOF

# Client rate limits as on a large production cluster (client-go's defaults, 20 qps with a burst of
# 30 per controller, hold a thousand-TcpService rollout back in the Deployment, ReplicaSet and
# endpoints controllers' own limiters, not in the API server). The scheduler's likewise (50/100).
# Deployment and ReplicaSet workers likewise raised from 5 to 25: with 5, rolling 1,000 Deployments
# at once queues in those two controllers (bench/operator_scale.py, update phase: the last TcpService
# rolled out 246 s after the change with 5, 172 s with 25, the operator's own part being done by 60-80 s).
launch kube-controller-manager --kubeconfig="$state/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig="$state/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig="$state/kube-controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$kcm_port" \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --use-service-account-credentials=true \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --controllers='*' --kube-api-qps=200 --kube-api-burst=400 \
  --concurrent-deployment-syncs=25 --concurrent-replicaset-syncs=25 --leader-elect=false --profiling=false --v=1

launch kube-scheduler --kubeconfig="$state/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig="$state/kube-scheduler.kubeconfig" \
  --authorization-kubeconfig="$state/kube-scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$sched_port" \
  --kube-api-qps=200 --kube-api-burst=400 --leader-elect=false --profiling=false --v=1

# Nodes carry 127.0.0.1 as their address, so nothing ever dials off the machine for them.
launch kwok --kubeconfig="$state/kwok.kubeconfig" --config="$bin/kwok-stages.yaml" \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake --cidr="$kwok_pod_range" \
  --node-ip=127.0.0.1 --node-port="$kwok_port" --server-address="127.0.0.1:$kwok_port" \
  --node-lease-duration-seconds=40

for ((i = 0; i < nodes; i++)); do
  kctl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    type: kwok
    topology.kubernetes.io/zone: zone-$((i % 3))
EOF
done

if [[ -f "$state/node.enabled" ]]; then
  node_api_objects "$api_port"
  node_up
fi
wait_for "Ready nodes" kctl wait --for=condition=Ready node --all --timeout=5s
wait_for "the default ServiceAccount" kctl get serviceaccount default --namespace default
wait_for "kube-controller-manager /healthz" curl -fsSk "https://127.0.0.1:$kcm_port/healthz"
wait_for "kube-scheduler /healthz" curl -fsSk "https://127.0.0.1:$sched_port/healthz"

real=""; [[ -f "$state/node.enabled" ]] && real=" and the real node $node_name"
say "cluster ready in $((SECONDS - started))s ($nodes kwok nodes$real, API server https://127.0.0.1:$api_port)"
echo "$kubeconfig"
