#!/usr/bin/env bash
# The next release, for UpgradeE2E: this tree with next-release.patch applied (a new optional
# TcpService field, spec.connections.exampleNewSetting, and the server setting it maps to,
# --example-new-setting / TCPFLEET_EXAMPLE_NEW_SETTING, as a release adds them), built into
# target/upgrade/: its CRD, and its server and operator images on the base layers make images
# kept. Its images are tagged :next; the operator's default server image stays images.env's, as
# in a release that ships a new operator and leaves running fleets alone.
# A no-op when neither the tree nor the images changed. Run after make images.
#
# When the patch no longer applies (server/ or operator/ changed where it edits), write it again:
# apply the same edits to a copy of the two modules and `diff -ruN` them (paths a/..., b/...).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/e2e/upgrade"
images="${TCPFLEET_IMAGES_OUT:-$root/target/images}"
out="$root/target/upgrade"
fail() { echo "upgrade: $*" >&2; exit 1; }
source "$root/e2e/images/images.env"
[[ -f "$images/digests" && -d "$images/base/rootfs" ]] || fail "$images has no images and base layers: run make images"

# What the next release is built from: the working tree's files, the patch and the base images.
key="$(cd "$root" && { git ls-files -s; git diff HEAD; cat "$here/next-release.patch" "$images/digests"; } | sha256sum)"
if [[ -f "$out/stamp" && "$(cat "$out/stamp")" == "$key" ]]; then
  echo "upgrade: next release up to date in $out" >&2
  exit 0
fi

rm -rf "$out" && mkdir -p "$out/src" "$out/images" "$out/crds"
(cd "$root" && git ls-files -z | tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$out/src"
patch -s -d "$out/src" -p1 --no-backup-if-mismatch <"$here/next-release.patch" \
  || fail "next-release.patch no longer applies to this tree; write it again (see the top of $0)"

echo "upgrade: building the next release (server, operator)" >&2
(cd "$out/src" && ${MVN:-mvn -B -ntp} -q -Dmaven.test.skip=true -Dspotless.check.skip=true \
  -pl server,operator -am package)
cp "$out/src/operator/target/kubernetes/tcpservices.tcpfleet.io-v1.yml" "$out/crds/"

export SOURCE_DATE_EPOCH="$(git -C "$root" log -1 --format=%ct)"
build() { # NAME MODULE IMAGE_REF
  "$images/base/ocibuild" -spec "$out/src/$2/src/main/image/image.json" -dir "$out/src/$2" -name "$3" \
    -out "$out/images/$1.tar" -layer "$images/base/rootfs:/" -layer "$images/base/java:/opt/java" \
    -annotation "org.opencontainers.image.version=next"
}
build server server "${SERVER_IMAGE%:*}:next"
build operator operator "${OPERATOR_IMAGE%:*}:next"
rm -rf "$out/src"
echo "$key" >"$out/stamp"
echo "upgrade: next release in $out (crds/, images/)" >&2
