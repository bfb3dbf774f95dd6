#!/usr/bin/env bash
# make images: tcpfleet's server and operator images as OCI image archives in target/images/, with
# no Docker engine and no registry. Run after `mvn package` (make images does both).
#
# Each image is three layers:
#   1. a Debian bookworm root filesystem with only what the JVM links against (libc6, libgcc-s1,
#      libstdc++6, zlib1g) and dash for the preStop script, from Debian's archive by mmdebstrap;
#   2. a Java 17 runtime jlinked from the building JDK's jmods (modules below), at /opt/java;
#   3. the application, as the module's src/main/image/image.json says (its one definition).
# Layers 1 and 2 are the same in both images, so a node stores them once.
#
# Reproducible: timestamps are the commit's (SOURCE_DATE_EPOCH), owners root, order sorted, so the
# same commit, JDK and Debian archive give the same digests (ImageBuildE2E builds twice).
# Prints one line per image: archive, name, digest; writes target/images/digests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/e2e/images"
out="${TCPFLEET_IMAGES_OUT:-$root/target/images}"
fail() { echo "images: $*" >&2; exit 1; }
source "$root/e2e/cluster/packages.sh"
source "$here/images.env"

# One runtime for both programs, chosen wide rather than minimal (the real-pod tests run both on it);
# jdk.crypto.ec for the TLS curves an API server may offer.
modules=java.base,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql
modules+=,java.xml,java.desktop,jdk.crypto.ec,jdk.management,jdk.unsupported,jdk.zipfs,jdk.naming.dns

jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
[[ -d "$jdk/jmods" ]] || fail "$jdk has no jmods/ to jlink a runtime from (JDK 17 needed; on Debian: openjdk-17-jdk)"
"$jdk/bin/java" -version 2>&1 | grep -q 'version "17\.' || fail "$jdk is not a JDK 17"
for f in server/target/tcpfleet-server.jar operator/target/quarkus-app/quarkus-run.jar; do
  [[ -f "$root/$f" ]] || fail "$f missing: build first (mvn -DskipTests package, or make images)"
done
need_debs mmdebstrap

revision="$(git -C "$root" rev-parse HEAD)"
[[ -z "$(git -C "$root" status --porcelain)" ]] || revision+="-dirty"
export SOURCE_DATE_EPOCH="$(git -C "$root" log -1 --format=%ct)"
rm -rf "$out" && mkdir -p "$out/.work"
work="$out/.work"

echo "images: ocibuild" >&2
(cd "$here/ocibuild" && go build -trimpath -buildvcs=false -o "$work/ocibuild" .)

echo "images: base root filesystem (mmdebstrap, Debian bookworm)" >&2
# extract: the packages' files only, no maintainer scripts and no package database. Unpacked and
# pruned here of what a JVM never reads (apt's and dpkg's own files among them), with the non-root
# user and /tmp added; ocibuild then writes it with root owners and the commit's timestamps.
mmdebstrap --quiet --variant=extract --skip=output/dev \
  --include=libc6,libgcc-s1,libstdc++6,zlib1g,dash bookworm "$work/rootfs.tar"
mkdir "$work/rootfs"
tar -xf "$work/rootfs.tar" -C "$work/rootfs"
(cd "$work/rootfs" && rm -rf etc/apt etc/dpkg etc/cron.daily etc/logrotate.d var/lib/apt var/cache/apt \
  var/lib/dpkg var/log/* usr/share/doc usr/share/man usr/share/info usr/share/locale usr/share/lintian \
  usr/share/dpkg usr/lib/x86_64-linux-gnu/gconv usr/bin/dpkg* bin/tar usr/bin/tar)
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\ntcpfleet:x:10001:10001:tcpfleet:/tmp:/usr/sbin/nologin\n' \
  >"$work/rootfs/etc/passwd"
printf 'root:x:0:\ntcpfleet:x:10001:\n' >"$work/rootfs/etc/group"
mkdir -p "$work/rootfs/tmp" && chmod 1777 "$work/rootfs/tmp"

echo "images: Java runtime (jlink $("$jdk/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2))" >&2
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output "$work/java"

version="${SERVER_IMAGE##*:}"
build() { # NAME MODULE IMAGE_REF
  "$work/ocibuild" -spec "$root/$2/src/main/image/image.json" -dir "$root/$2" -name "$3" \
    -out "$out/$1.tar" -layer "$work/rootfs:/" -layer "$work/java:/opt/java" \
    -annotation "org.opencontainers.image.version=$version" \
    -annotation "org.opencontainers.image.revision=$revision" \
    -annotation "org.opencontainers.image.source=https://github.com/tcpfleet/tcpfleet" \
    -annotation "org.opencontainers.image.licenses=Apache-2.0" \
    -annotation "org.opencontainers.image.title=tcpfleet-$1" \
    -annotation "org.opencontainers.image.created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
}
{ build server server "$SERVER_IMAGE"; build operator operator "$OPERATOR_IMAGE"; } | tee "$out/digests"
# The two base layers stay for e2e/upgrade/build-next.sh, which builds the next release's images on them.
rm -rf "$out/base" && mkdir "$out/base" && mv "$work/rootfs" "$work/java" "$work/ocibuild" "$out/base/"
rm -rf "$work"
