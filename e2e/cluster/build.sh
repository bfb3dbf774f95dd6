#!/usr/bin/env bash
# Builds the local control plane from published Go modules at the versions pinned in
# k8s/go.mod (kube-apiserver, kube-controller-manager, kube-scheduler), etcd/go.mod (etcd)
# and kwok/go.mod (kwok), into bin/. Also writes bin/kwok-stages.yaml from the pinned kwok
# module's own default stages (nodes turn Ready, pods turn Running/Ready).
# The real node's parts go to bin/node/: kubelet and kube-proxy (k8s/go.mod), containerd, its runc
# shim and ctr (node/containerd), runc (node/runc, with seccomp: restricted pods ask for
# RuntimeDefault), the CNI plugins (node/cni), crictl (node/crictl), CoreDNS with the plugins
# node.sh's Corefile uses (node/coredns: the cluster DNS, so pods find Services by name), and the
# sandbox image
# node/pause.tar: a static pause binary (node/pause.c) as an OCI archive (../images/ocibuild).
#
# Does nothing when bin/ already holds binaries built from the same go.mod/go.sum files and
# this script (bin/.stamp holds their hash). A cold build takes a long time on 2 cores.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/bin"
stamp="$bin/.stamp"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok kwok-stages.yaml
  node/kubelet node/kube-proxy node/containerd node/containerd-shim-runc-v2 node/ctr node/runc
  node/crictl node/coredns node/pause node/pause.tar node/cni/bridge node/cni/host-local node/cni/loopback node/cni/portmap)

fail() { echo "build.sh: $*" >&2; exit 1; }

pins() {
  (cd "$here" && cat build.sh k8s/go.mod k8s/go.sum etcd/go.mod etcd/go.sum etcd/main.go \
    kwok/go.mod kwok/go.sum node/*/go.mod node/*/go.sum node/coredns/main.go node/pause.c node/pause.json \
    ../images/ocibuild/go.mod ../images/ocibuild/go.sum ../images/ocibuild/main.go) | sha256sum | cut -d' ' -f1
}

up_to_date() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$(pins)" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -s "$bin/$b" ]] || return 1; done
}

if up_to_date; then
  echo "build.sh: bin/ is up to date with the pinned versions"
  exit 0
fi

command -v go >/dev/null || fail "go not found on PATH (needs Go 1.26+, see docs/local-cluster.md)"
source "$here/packages.sh"
need_debs libseccomp-dev gcc libc6-dev  # runc's seccomp (cgo) and the static pause binary
mkdir -p "$bin/node/cni"
rm -f "$stamp"

gobuild() { nice -n 10 go build -trimpath -buildvcs=false "$@"; }

k8s_version="v1.37.2"  # must match k8s/go.mod; stamped into the binaries' version info
grep -q "k8s.io/kubernetes $k8s_version\$" "$here/k8s/go.mod" \
  || fail "k8s/go.mod does not pin k8s.io/kubernetes $k8s_version; update k8s_version in build.sh"
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$k8s_version"
ldflags+=" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=37"
ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"

start=$SECONDS
echo "build.sh: building kube-apiserver, kube-controller-manager, kube-scheduler $k8s_version"
(cd "$here/k8s" && gobuild -ldflags "$ldflags" -o "$bin/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler)

echo "build.sh: building kubelet and kube-proxy $k8s_version (the real node)"
(cd "$here/k8s" && gobuild -ldflags "$ldflags" -o "$bin/node/" \
  k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy)

echo "build.sh: building containerd, runc, the CNI plugins, crictl and CoreDNS"
(cd "$here/node/containerd" && CGO_ENABLED=0 gobuild -tags "no_btrfs no_devmapper no_zfs" \
  -ldflags "-s -w" -o "$bin/node/" github.com/containerd/containerd/v2/cmd/containerd \
  github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 github.com/containerd/containerd/v2/cmd/ctr)
(cd "$here/node/runc" && CGO_ENABLED=1 gobuild -tags seccomp -ldflags "-s -w" -o "$bin/node/runc" \
  github.com/opencontainers/runc)
(cd "$here/node/cni" && CGO_ENABLED=0 gobuild -ldflags "-s -w" -o "$bin/node/cni/" \
  github.com/containernetworking/plugins/plugins/main/bridge \
  github.com/containernetworking/plugins/plugins/main/loopback \
  github.com/containernetworking/plugins/plugins/ipam/host-local \
  github.com/containernetworking/plugins/plugins/meta/portmap)
(cd "$here/node/crictl" && CGO_ENABLED=0 gobuild -ldflags "-s -w" -o "$bin/node/crictl" \
  sigs.k8s.io/cri-tools/cmd/crictl)
(cd "$here/node/coredns" && CGO_ENABLED=0 gobuild -ldflags "-s -w" -o "$bin/node/coredns" .)
gcc -static -Os -s -o "$bin/node/pause" "$here/node/pause.c"
(cd "$here/../images/ocibuild" && gobuild -o "$bin/node/ocibuild" .)
SOURCE_DATE_EPOCH=0 "$bin/node/ocibuild" -spec "$here/node/pause.json" -dir "$bin/node" \
  -name tcpfleet.local/pause:1 -out "$bin/node/pause.tar" >/dev/null

echo "build.sh: building etcd"
(cd "$here/etcd" && gobuild -ldflags "-s -w" -o "$bin/etcd" .)

echo "build.sh: building kwok"
(cd "$here/kwok" && gobuild -ldflags "-s -w" -o "$bin/kwok" sigs.k8s.io/kwok/cmd/kwok)

# kwok runs with no stages unless given some: take the defaults that ship in the pinned module.
kwok_dir="$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
[[ -d "$kwok_dir/kustomize/stage" ]] || fail "kwok module has no kustomize/stage in $kwok_dir"
{
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    echo "---"
    cat "$kwok_dir/kustomize/stage/$f"
  done
} >"$bin/kwok-stages.yaml.tmp"
mv "$bin/kwok-stages.yaml.tmp" "$bin/kwok-stages.yaml"

pins >"$stamp"
echo "build.sh: built ${binaries[*]} into $bin in $((SECONDS - start))s"
