#!/usr/bin/env bash
# Builds the tools the tests run that are not part of the cluster into bin/, from the Go module
# proxy: helm (helm/go.mod pins helm.sh/helm/v4) and argocd-health (argocd-health/: Argo CD's
# gopher-lua health-check runner for deploy/argocd/resource_customizations).
#
# Does nothing when bin/ already holds binaries built from the same go.mod/go.sum files and this
# script (bin/.stamp holds their hash). A cold build takes minutes on 2 cores.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/bin"
stamp="$bin/.stamp"
binaries=(helm argocd-health)

fail() { echo "tools/build.sh: $*" >&2; exit 1; }

pins() {
  (cd "$here" && cat build.sh helm/go.mod helm/go.sum helm/tools.go \
    argocd-health/go.mod argocd-health/go.sum argocd-health/main.go) | sha256sum | cut -d' ' -f1
}

up_to_date() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$(pins)" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -s "$bin/$b" ]] || return 1; done
}

if up_to_date; then
  echo "tools/build.sh: bin/ is up to date with the pinned versions"
  exit 0
fi

command -v go >/dev/null || fail "go not found on PATH (needs Go 1.26+, see docs/local-cluster.md)"
mkdir -p "$bin"
rm -f "$stamp"

helm_version="v4.3.2"  # must match helm/go.mod; stamped into `helm version`
grep -q "helm.sh/helm/v4 $helm_version\$" "$here/helm/go.mod" \
  || fail "helm/go.mod does not pin helm.sh/helm/v4 $helm_version; update helm_version in build.sh"

start=$SECONDS
echo "tools/build.sh: building helm $helm_version"
(cd "$here/helm" && CGO_ENABLED=0 nice -n 10 go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$helm_version" \
  -o "$bin/helm" helm.sh/helm/v4/cmd/helm)

echo "tools/build.sh: building argocd-health"
(cd "$here/argocd-health" && CGO_ENABLED=0 nice -n 10 go build -trimpath -buildvcs=false -ldflags "-s -w" \
  -o "$bin/argocd-health" .)

pins >"$stamp"
echo "tools/build.sh: built ${binaries[*]} into $bin in $((SECONDS - start))s"
