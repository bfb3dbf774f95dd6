#!/usr/bin/env bash
# Refreshes src/main/resources/io/tcpfleet/operator/api/v1alpha1/kubernetes-descriptions.json: the
# Kubernetes wording (descriptions only) of the core types TcpService embeds, taken from a
# kube-apiserver's OpenAPI v3 (/openapi/v3/api/v1). SchemaDescriptions copies it into the CRD at
# build time, so `kubectl explain tcps.spec.pod.affinity...` reads like `kubectl explain pod.spec...`.
#
#   bash operator/kubernetes-descriptions.sh [KUBECONFIG] [TYPE...]
#
# KUBECONFIG: default the local cluster's (e2e/cluster/.state/kubeconfig). TYPEs: the Kubernetes
# types to keep (simple names, as fabric8 names them); default: every io.fabric8.kubernetes.api.model
# class the API classes import. Every type they reference is kept too. Run it when an API class gets
# a field of a new Kubernetes type (CrdDescriptionsTest names its bare nodes), then `mvn package` and
# copy the CRD to crds/ and charts/tcpfleet/crds/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kubeconfig=${1:-$here/../e2e/cluster/.state/kubeconfig}
shift || true
roots=("$@")
if [ ${#roots[@]} -eq 0 ]; then
    mapfile -t roots < <(sed -n 's/^import io\.fabric8\.kubernetes\.api\.model\.\([A-Z][A-Za-z]*\);$/\1/p' \
        "$here"/src/main/java/io/tcpfleet/operator/api/v1alpha1/*.java | sort -u)
fi
out=$here/src/main/resources/io/tcpfleet/operator/api/v1alpha1/kubernetes-descriptions.json

version=$(kubectl --kubeconfig "$kubeconfig" version -o json | jq -r .serverVersion.gitVersion)
kubectl --kubeconfig "$kubeconfig" get --raw /openapi/v3/api/v1 \
    | jq --sort-keys --arg version "$version" --args '
        # Keep what names and links: descriptions, properties, items, map values and references.
        def trim:
            {description, "$ref": .["$ref"],
             allOf: (if .allOf then .allOf | map(trim) else null end),
             items: (if .items then .items | trim else null end),
             additionalProperties: (if (.additionalProperties | type) == "object"
                                    then .additionalProperties | trim else null end),
             properties: (if .properties then .properties | map_values(trim) else null end)}
            | with_entries(select(.value != null));
        def name: sub("^#/components/schemas/"; "");
        .components.schemas as $all
        | ($all | keys | map(select(split(".") | last | IN($ARGS.positional[])))) as $start
        | {kept: [], next: $start}
        | until(.next == [];
            .kept += .next
            | .kept as $kept
            | .next = ([.next[] | $all[.] | .. | objects | .["$ref"]? // empty | name] | unique
                       | map(select(IN($kept[]) | not))))
        | {source: ("kube-apiserver " + $version + " /openapi/v3/api/v1"),
           schemas: (.kept | map({key: ., value: ($all[.] | trim)}) | from_entries)}
    ' "${roots[@]}" >"$out"
echo "wrote $out ($(jq '.schemas | length' "$out") types from $version)"
