#!/usr/bin/env bash
# make release VERSION=x.y.z: the release artifacts in dist/ (or OUT), from the images make images
# built, with no registry:
#   tcpfleet.crds.yaml           the CRDs (crds/), applied first
#   tcpfleet.yaml                what `kubectl kustomize deploy/` renders, both images by digest
#   tcpfleet-{server,operator}-VERSION.tar   the OCI image archives
#   tcpfleet-VERSION.tgz         the Helm chart, its values pinning both images by digest
#   SHA256SUMS                   for `sha256sum -c`
# VERSION is the version the images are tagged with (e2e/images/images.env); the pom carries
# VERSION-SNAPSHOT until the release commit sets VERSION. A release is of that one version, so any
# other VERSION is refused rather than relabelled.
#   release.sh VERSION [OUT]
#   release.sh --check VERSION    only the checks of VERSION (make release runs them before building)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fail() { echo "release: $*" >&2; exit 1; }

check_only=0
if [[ "${1:-}" == --check ]]; then check_only=1; shift; fi
version="${1:-}"
out="${2:-$root/dist}"
images="${TCPFLEET_IMAGES_OUT:-$root/target/images}"
helm="${HELM:-$root/e2e/tools/bin/helm}"
kubectl="${KUBECTL:-kubectl}"
source "$root/e2e/images/images.env"

# Semantic version without build metadata: a container image tag cannot hold a '+'.
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
[[ -n "$version" ]] || fail "usage: make release VERSION=x.y.z (the version in e2e/images/images.env: ${SERVER_IMAGE##*:})"
[[ "$version" =~ $semver ]] || fail "VERSION=$version is not a semantic version (x.y.z or x.y.z-pre)"
for ref in "$SERVER_IMAGE" "$OPERATOR_IMAGE"; do
  [[ "${ref##*:}" == "$version" ]] \
    || fail "VERSION=$version differs from the image tag in e2e/images/images.env ($ref): change both in the release commit"
done
pom="$(sed -n '/<artifactId>tcpfleet-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;}' "$root/pom.xml")"
[[ "$pom" == "$version" || "$pom" == "$version-SNAPSHOT" ]] \
  || fail "VERSION=$version does not match the pom's version $pom (want $version or $version-SNAPSHOT)"
((check_only == 0)) || exit 0
[[ -x "$helm" ]] || fail "$helm missing: make tools builds it"

# digests: one line per image, "archive name digest" (e2e/images/build.sh).
[[ -f "$images/digests" ]] || fail "$images/digests missing: make images first"
digest_of() { # REF -> sha256:..., checking that the archive is there
  local archive name digest
  while read -r archive name digest; do
    if [[ "$name" == "$1" ]]; then
      [[ -f "$archive" ]] || fail "$archive missing: make images again"
      echo "$digest"
      return
    fi
  done <"$images/digests"
  fail "$images/digests names no image $1: make images again"
}
server_digest="$(digest_of "$SERVER_IMAGE")"
operator_digest="$(digest_of "$OPERATOR_IMAGE")"
server_pinned="${SERVER_IMAGE%:*}@$server_digest"
operator_pinned="${OPERATOR_IMAGE%:*}@$operator_digest"

# OUT is replaced whole, so it must be a previous release's directory or empty.
[[ ! -d "$out" || -f "$out/SHA256SUMS" || -z "$(ls -A "$out")" ]] \
  || fail "$out holds something other than a release (no SHA256SUMS): not replacing it"
rm -rf "$out" && mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The CRDs, one file.
for crd in "$root"/crds/*.yml; do echo "---"; cat "$crd"; done >"$out/tcpfleet.crds.yaml"

# The install manifest: deploy/ rendered, each image reference replaced by its digest reference.
pin() { # stdin -> stdout, both image references pinned
  sed -e "s|${SERVER_IMAGE//./\\.}\$|$server_pinned|" -e "s|${OPERATOR_IMAGE//./\\.}\$|$operator_pinned|"
}
"$kubectl" kustomize "$root/deploy" | pin >"$out/tcpfleet.yaml"
for ref in "$server_pinned" "$operator_pinned"; do
  grep -q "$ref\$" "$out/tcpfleet.yaml" || fail "tcpfleet.yaml does not name $ref: deploy/ and images.env disagree"
done
! grep -qE "(${SERVER_IMAGE//./\\.}|${OPERATOR_IMAGE//./\\.})\$" "$out/tcpfleet.yaml" \
  || fail "tcpfleet.yaml still names an image by tag"

# The image archives, each naming its image twice: by tag and by digest. A registry-less node
# (ctr images import, kind load image-archive) then has the image under the name tcpfleet.yaml
# uses; a registry push (skopeo copy oci-archive:...) keeps the tag.
archive() { # NAME REF DIGEST
  local dir="$work/$1" tar
  tar="$(awk -v ref="$2" '$2 == ref {print $1}' "$images/digests")"
  mkdir "$dir" && tar -xf "$tar" -C "$dir"
  jq -c --arg name "${2%:*}@$3" \
    '.manifests += [.manifests[0] | .annotations["io.containerd.image.name"] = $name
                                  | del(.annotations["org.opencontainers.image.ref.name"])]' \
    "$dir/index.json" >"$dir/index.json.new" && mv "$dir/index.json.new" "$dir/index.json"
  (cd "$dir" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) \
    | tar -C "$dir" --no-recursion --owner=0 --group=0 --numeric-owner --mode=0644 --format=ustar \
      --mtime=@0 -cf "$out/tcpfleet-$1-$version.tar" -T -
}
archive server "$SERVER_IMAGE" "$server_digest"
archive operator "$OPERATOR_IMAGE" "$operator_digest"

# The chart, its values pinning both images (the image block first, then serverImage).
cp -r "$root/charts/tcpfleet" "$work/chart"
sed -i -e "/^image:/,/^[^ #]/s|^  digest: \"\"|  digest: \"$operator_digest\"|" \
  -e "/^serverImage:/,/^[^ #]/s|^  digest: \"\"|  digest: \"$server_digest\"|" "$work/chart/values.yaml"
[[ "$(grep -c '^  digest: "sha256:' "$work/chart/values.yaml")" == 2 ]] \
  || fail "could not pin both digests in charts/tcpfleet/values.yaml (its image.digest and serverImage.digest)"
HELM_CONFIG_HOME="$work/helm" HELM_CACHE_HOME="$work/helm" HELM_DATA_HOME="$work/helm" \
  "$helm" package "$work/chart" --version "$version" --app-version "$version" -d "$out" >/dev/null

(cd "$out" && sha256sum -- * >SHA256SUMS)
echo "release: $version in $out" >&2
ls -1 "$out"
