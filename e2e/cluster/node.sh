# The real worker node of the local control plane, sourced by up.sh and down.sh: containerd (with
# runc and the CNI plugins), kubelet and kube-proxy on this machine, beside the kwok nodes.
#
# Addresses (none may ever leave this machine):
#   node      10.250.0.1/32 on lo (kubelet refuses a loopback node IP); the rest of 10.250.0.0/16
#             is unreachable
#   pods      10.244.0.0/24 on the bridge cni0; the rest of 10.244.0.0/16 is unreachable
#   Services  10.0.0.0/16 routed as local on lo: kube-proxy's DNAT turns a ClusterIP into a pod
#             address before routing, and a ClusterIP with no pod behind it is answered here
#             (connection refused), never sent out
# Nothing is forwarded between cni0 and any other interface (mangle FORWARD), so a pod cannot
# reach beyond this machine. The API server listens on every address (pods reach it through the
# kubernetes Service at the node IP), but only lo and cni0 may connect to it (filter INPUT).
#
# Scheduling: the node carries the taint tcpfleet.io/real-node=true:NoSchedule and the label
# tcpfleet.io/node=real, so pods land on it only when they ask. A namespace asks for all of its
# pods with two annotations (the PodNodeSelector and PodTolerationRestriction admission plugins):
# `kubectl annotate ns NS "$real_node_annotations"`; tests use RealNode in the testkit.
# shellcheck shell=bash

node_name=tcpfleet-node
node_ip=10.250.0.1
pod_subnet=10.244.0.0/24
pod_gateway=10.244.0.1
pod_range=10.244.0.0/16
service_range=10.0.0.0/16
kwok_pod_range=10.0.0.0/24 # kwok's default, inside service_range: routed to lo with it
node_range=10.250.0.0/16
node_bin="$bin/node"
node_state="$state/node"
node_components=(node/containerd node/coredns node/kubelet node/kube-proxy)
containerd_sock="$node_state/containerd.sock"
pause_image=tcpfleet.local/pause:1
real_node_annotations=(scheduler.alpha.kubernetes.io/node-selector=tcpfleet.io/node=real
  'scheduler.alpha.kubernetes.io/defaultTolerations=[{"key":"tcpfleet.io/real-node","operator":"Exists","effect":"NoSchedule"}]')

# True when the real node's binaries were built and TCPFLEET_CLUSTER_REAL_NODE is not 0.
node_wanted() {
  [[ "${TCPFLEET_CLUSTER_REAL_NODE:-1}" != 0 && -x "$node_bin/kubelet" ]]
}

crictl_() { "$node_bin/crictl" --runtime-endpoint "unix://$containerd_sock" "$@"; }
ctr_() { "$node_bin/ctr" --address "$containerd_sock" --namespace k8s.io "$@"; }

# iptables rules of ours live in chains of our own, so that removing them is exact.
guard_rules() {
  local api_port="$1"
  iptables -t mangle -N TCPFLEET-FORWARD 2>/dev/null || iptables -t mangle -F TCPFLEET-FORWARD
  iptables -t mangle -A TCPFLEET-FORWARD -i cni0 -o cni0 -j RETURN
  iptables -t mangle -A TCPFLEET-FORWARD -i cni0 -j DROP
  iptables -t mangle -A TCPFLEET-FORWARD -o cni0 -j DROP
  iptables -t mangle -C FORWARD -j TCPFLEET-FORWARD 2>/dev/null || iptables -t mangle -I FORWARD -j TCPFLEET-FORWARD
  iptables -N TCPFLEET-INPUT 2>/dev/null || iptables -F TCPFLEET-INPUT
  iptables -A TCPFLEET-INPUT -i lo -j RETURN
  iptables -A TCPFLEET-INPUT -i cni0 -j RETURN
  iptables -A TCPFLEET-INPUT -p tcp --dport "$api_port" -j DROP
  iptables -A TCPFLEET-INPUT -d "$node_ip" -j DROP
  iptables -C INPUT -j TCPFLEET-INPUT 2>/dev/null || iptables -I INPUT -j TCPFLEET-INPUT
}

# node_network API_PORT: addresses, routes, the bridge and the guards, before anything listens.
node_network() {
  [[ $EUID -eq 0 ]] || fail "the real node needs root (routes, bridge, iptables); TCPFLEET_CLUSTER_REAL_NODE=0 runs without it"
  need_debs iptables conntrack
  sysctl -qw net.ipv4.ip_forward=1
  [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] \
    || fail "no /proc/sys/net/bridge: the kernel lacks br_netfilter, which kube-proxy needs for pod-to-Service traffic"
  sysctl -qw net.bridge.bridge-nf-call-iptables=1
  guard_rules "$1"
  ip addr replace "$node_ip/32" dev lo
  ip link show cni0 >/dev/null 2>&1 || ip link add cni0 type bridge
  ip addr replace "$pod_gateway/24" dev cni0
  ip link set cni0 up
  ip route replace local "$service_range" dev lo
  ip route replace unreachable "$pod_range"
  ip route replace unreachable "$node_range"
}

node_network_down() {
  ip route del local "$service_range" dev lo 2>/dev/null || true
  ip route del unreachable "$pod_range" 2>/dev/null || true
  ip route del unreachable "$node_range" 2>/dev/null || true
  ip link del cni0 2>/dev/null || true
  ip addr del "$node_ip/32" dev lo 2>/dev/null || true
  iptables -t mangle -D FORWARD -j TCPFLEET-FORWARD 2>/dev/null || true
  iptables -t mangle -X TCPFLEET-FORWARD 2>/dev/null || iptables -t mangle -F TCPFLEET-FORWARD 2>/dev/null || true
  iptables -t mangle -X TCPFLEET-FORWARD 2>/dev/null || true
  iptables -D INPUT -j TCPFLEET-INPUT 2>/dev/null || true
  iptables -F TCPFLEET-INPUT 2>/dev/null || true
  iptables -X TCPFLEET-INPUT 2>/dev/null || true
  # The kubelet's own chains (kube-proxy --cleanup removed kube-proxy's).
  local cmd table chain
  for cmd in iptables ip6tables; do
    command -v "$cmd" >/dev/null || continue
    "$cmd" -D INPUT -j KUBE-FIREWALL 2>/dev/null || true
    "$cmd" -D OUTPUT -j KUBE-FIREWALL 2>/dev/null || true
    for table in filter nat mangle; do
      for chain in KUBE-FIREWALL KUBE-KUBELET-CANARY KUBE-IPTABLES-HINT; do
        "$cmd" -t "$table" -F "$chain" 2>/dev/null && "$cmd" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

# node_certs: the kubelet's, kube-proxy's and CoreDNS's client certificates (up.sh's sign and CA).
node_certs() {
  sign kubelet "/O=system:nodes/CN=system:node:$node_name" "$client_ext"
  sign kube-proxy "/CN=system:kube-proxy" "$client_ext"
  sign coredns "/CN=tcpfleet:coredns" "$client_ext"
  write_kubeconfig "$state/kubelet.kubeconfig" kubelet
  write_kubeconfig "$state/kube-proxy.kubeconfig" kube-proxy
  write_kubeconfig "$state/coredns.kubeconfig" coredns
}

node_up() {
  local kubelet_port=10250 proxy_health_port proxy_metrics_port
  free_port; proxy_health_port=$REPLY; free_port; proxy_metrics_port=$REPLY
  mkdir -p "$node_state"/{containerd,cni,cni-ipam,kubelet,pod-logs} "$pids/node" "$logs/node"
  (( ${#containerd_sock} < 100 )) || fail "socket path $containerd_sock is too long for a unix socket: use a shorter checkout path"

  cat >"$node_state/containerd.toml" <<EOF
version = 3
root = "$node_state/containerd/root"
state = "$node_state/containerd/state"
[grpc]
  address = "$containerd_sock"
[ttrpc]
  address = "$containerd_sock.ttrpc"
[plugins.'io.containerd.cri.v1.runtime']
  # This sandbox has no CAP_SYS_RESOURCE: runc cannot lower a process's oom_score_adj (kubelet asks
  # for -998 for the sandbox), so containerd keeps each one at least at its own.
  restrict_oom_score_adj = true
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = "$node_bin/runc"
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["$node_bin/cni"]
    conf_dir = "$node_state/cni"
[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.registry]
    config_path = "$node_state/registries"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "$pause_image"
[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
EOF
  cat >"$node_state/cni/10-tcpfleet.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "tcpfleet",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$node_state/cni-ipam",
              "ranges": [[{"subnet": "$pod_subnet", "gateway": "$pod_gateway"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  # No registry is reachable from here, and none may be tried: every registry host resolves to a
  # closed loopback port, so a missing image fails at once (ErrImagePull) without leaving the machine.
  mkdir -p "$node_state/registries/_default"
  cat >"$node_state/registries/_default/hosts.toml" <<EOF
server = "http://127.0.0.1:1"
[host."http://127.0.0.1:1"]
  capabilities = ["pull", "resolve"]
EOF
  # The shim is looked up on PATH.
  PATH="$node_bin:$PATH" launch node/containerd --config "$node_state/containerd.toml" --log-level warn
  wait_for "containerd" crictl_ info

  # Cluster DNS on the node IP: Services and their namespaces by name. Nothing else is answered
  # (NXDOMAIN), so no name lookup ever leaves this machine.
  cat >"$node_state/Corefile" <<EOF
cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
    bind $node_ip
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $state/coredns.kubeconfig tcpfleet-local
        pods disabled
        fallthrough in-addr.arpa ip6.arpa
        ttl 5
    }
}
.:53 {
    bind $node_ip
    template ANY ANY {
        rcode NXDOMAIN
    }
}
EOF
  launch node/coredns -conf "$node_state/Corefile"
  node_import "$node_bin/pause.tar"
  local images="${TCPFLEET_IMAGES:-$here/../../target/images}" image
  for image in "$images"/*.tar; do [[ -f "$image" ]] && node_import "$image"; done

  cat >"$node_state/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine has cgroup v1 only and no systemd.
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$containerd_sock
address: $node_ip
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
clusterDNS: [$node_ip]
clusterDomain: cluster.local
registerWithTaints:
- {key: tcpfleet.io/real-node, value: "true", effect: NoSchedule}
podLogsDir: $node_state/pod-logs
failSwapOn: false
hairpinMode: hairpin-veth
maxPods: 110
# A developer's disk, not a node's: evict only when it is really full, and keep images.
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
EOF
  launch node/kubelet --config="$node_state/kubelet.yaml" --kubeconfig="$state/kubelet.kubeconfig" \
    --root-dir="$node_state/kubelet" --cert-dir="$node_state/kubelet/pki" \
    --hostname-override="$node_name" --node-ip="$node_ip" --node-labels=tcpfleet.io/node=real --v=1
  wait_for "the real node $node_name Ready" kctl wait --for=condition=Ready "node/$node_name" --timeout=5s

  cat >"$node_state/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $state/kube-proxy.kubeconfig}
hostnameOverride: $node_name
clusterCIDR: $pod_range
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:$proxy_health_port
metricsBindAddress: 127.0.0.1:$proxy_metrics_port
nodePortAddresses: ["$node_ip/32"]
iptables: {localhostNodePorts: false}
# Leave the machine's conntrack table size and timeouts as they are (a sandbox refuses to set them).
conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  launch node/kube-proxy --config="$node_state/kube-proxy.yaml" --v=1
  wait_for "kube-proxy /healthz" curl -fsS "http://127.0.0.1:$proxy_health_port/healthz"
  echo "PROXY_HEALTH_PORT=$proxy_health_port" >>"$state/ports.env"
}

# node_import ARCHIVE: an OCI image archive into the node's containerd (no registry here).
node_import() {
  ctr_ images import "$1" >>"$logs/node/import.log" 2>&1 \
    || fail "importing $1 into the node's containerd failed (log: $logs/node/import.log)"
}

# Objects the real node needs in the API: the API server's rights on kubelets (logs, exec,
# port-forward), CoreDNS's reads, and the kubernetes Service's endpoint (pods reach the API server
# at the node IP).
node_api_objects() {
  local api_port="$1"
  kctl apply -f - >/dev/null <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "tcpfleet:coredns"}
rules:
- apiGroups: [""]
  resources: [services, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "tcpfleet:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "tcpfleet:coredns"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: "tcpfleet:coredns"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "tcpfleet:apiserver-kubelet-client"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:kubelet-api-admin"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: kube-apiserver-kubelet-client}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kubernetes
  namespace: default
  labels: {kubernetes.io/service-name: kubernetes}
addressType: IPv4
endpoints:
- addresses: ["$node_ip"]
  conditions: {ready: true}
ports:
- {name: https, port: $api_port, protocol: TCP}
EOF
}

# node_down: pods, containers and mounts first, then the processes, then the network.
node_down() {
  stop node/kubelet
  if our_pid node/containerd >/dev/null; then crictl_ rmp --all --force >/dev/null 2>&1 || true; fi
  stop node/kube-proxy
  [[ -x "$node_bin/kube-proxy" ]] && "$node_bin/kube-proxy" --cleanup >/dev/null 2>&1 || true
  stop node/coredns
  stop node/containerd
  local pid
  for pid in $(pgrep -f "^$node_bin/containerd-shim-runc-v2" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  node_unmount
  node_network_down
}

# Unmounts everything under the node's state (kubelet's volumes, containerd's rootfs and netns),
# deepest first; down.sh refuses to delete the state while anything is still mounted there.
node_unmount() {
  local m
  [[ -d "$node_state" ]] || return 0
  for m in $(awk -v d="$node_state" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  ! awk -v d="$node_state" 'index($2, d) == 1 {found=1} END {exit !found}' /proc/mounts \
    || fail "mounts remain under $node_state (see /proc/mounts): not deleting it"
}
