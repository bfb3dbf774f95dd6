#!/usr/bin/env bash
# Builds the tools the tests run that are not part of the cluster, from the Go module proxy, into
# bin/: helm (helm/go.mod pins helm.sh/helm/v4); argocd-health (argocd-health/: Argo CD's
# gopher-lua health-check runner for deploy/argocd/resource_customizations); kstatus
# (kstatus/go.mod pins sigs.k8s.io/cli-utils, whose kstatus library Flux, kpt and Config Sync read
# resources with); for ArgoCdSyncE2E, argocd-e2e (Argo CD's application controller and repo
# server, argocd/go.mod pins github.com/argoproj/argo-cd/v3), the kustomize its repo server runs
# (argocd/kustomize/go.mod) and the git-verify-wrapper.sh it runs on every commit (from the pinned
# Argo CD module, as its image installs it).
#
# Does nothing when bin/ already holds binaries built from the same go.mod/go.sum files and this
# script (bin/.stamp holds their hash). A cold build takes minutes on 2 cores (Argo CD about 8).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/bin"
stamp="$bin/.stamp"
binaries=(helm argocd-health kstatus argocd-e2e kustomize git-verify-wrapper.sh
  argocd-crds/application-crd.yaml argocd-crds/appproject-crd.yaml)

fail() { echo "tools/build.sh: $*" >&2; exit 1; }

pins() {
  (cd "$here" && cat build.sh helm/go.mod helm/go.sum helm/tools.go \
    argocd-health/go.mod argocd-health/go.sum argocd-health/main.go \
    kstatus/go.mod kstatus/go.sum kstatus/*.go \
    argocd/go.mod argocd/go.sum argocd/main.go \
    argocd/kustomize/go.mod argocd/kustomize/go.sum argocd/kustomize/tools.go) | sha256sum | cut -d' ' -f1
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

echo "tools/build.sh: building kstatus"
(cd "$here/kstatus" && CGO_ENABLED=0 nice -n 10 go build -trimpath -buildvcs=false -ldflags "-s -w" \
  -o "$bin/kstatus" .)

# Argo CD v3.6.2's go.mod says go 1.27.0; GOTOOLCHAIN=local (as set here) would refuse it.
argocd_go="go1.27.3"
argocd_version="v3.6.2"  # must match argocd/go.mod
grep -q "github.com/argoproj/argo-cd/v3 $argocd_version\$" "$here/argocd/go.mod" \
  || fail "argocd/go.mod does not pin github.com/argoproj/argo-cd/v3 $argocd_version; update argocd_version in build.sh"
echo "tools/build.sh: building Argo CD $argocd_version (application controller, repo server) and kustomize"
(cd "$here/argocd" && GOTOOLCHAIN=$argocd_go CGO_ENABLED=0 nice -n 10 go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X github.com/argoproj/argo-cd/v3/common.version=${argocd_version#v}" \
  -o "$bin/argocd-e2e" .)
(cd "$here/argocd/kustomize" && GOTOOLCHAIN=$argocd_go CGO_ENABLED=0 nice -n 10 go build -trimpath \
  -buildvcs=false -ldflags "-s -w" -o "$bin/kustomize" sigs.k8s.io/kustomize/kustomize/v5)
argocd_dir="$(cd "$here/argocd" && GOTOOLCHAIN=$argocd_go go list -m -f '{{.Dir}}' github.com/argoproj/argo-cd/v3)"
install -m 0755 "$argocd_dir/hack/git-verify-wrapper.sh" "$bin/git-verify-wrapper.sh"
mkdir -p "$bin/argocd-crds"  # Application and AppProject, as Argo CD's install applies them
install -m 0644 "$argocd_dir/manifests/crds/application-crd.yaml" "$argocd_dir/manifests/crds/appproject-crd.yaml" \
  "$bin/argocd-crds/"

pins >"$stamp"
echo "tools/build.sh: built ${binaries[*]} into $bin in $((SECONDS - start))s"
