#!/usr/bin/env bash
# Imports OCI image archives into the running real node's containerd (there is no registry here),
# by default every archive in target/images/ (make images). up.sh imports them when it starts the
# node; run this after rebuilding the images of a running cluster. Pods then start them with
# imagePullPolicy IfNotPresent (the image is present) or Never.
#   import-images.sh [ARCHIVE...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -f "$state/node.enabled" ]] && our_pid node/containerd >/dev/null \
  || fail "no real node is running (make cluster-up starts one when make cluster-build built it)"
(($#)) || set -- "$here/../../target/images"/*.tar
for archive in "$@"; do
  [[ -f "$archive" ]] || fail "$archive: no such archive (make images writes them)"
  node_import "$archive"
  say "imported $archive"
done
