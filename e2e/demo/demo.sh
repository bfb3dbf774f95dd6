#!/usr/bin/env bash
# `make demo`: tcpfleet end to end on this machine, in real pods, no Docker and no cloud.
#  1. builds the server and the operator, and their images as OCI archives (make images), while
#     the local control plane and its real node build (make cluster-build) beside it
#  2. starts the local control plane with its real node (make cluster-up) and imports the images
#  3. installs tcpfleet as a user does: kubectl apply --server-side -f crds/, then -k deploy/
#     (the operator runs as two pods of deploy/'s Deployment, leader-elected)
#  4. applies examples/ (namespace tcpfleet-demo, the echo service) and waits for Ready
#  5. shows the pods, an echo round trip through the Service's ClusterIP and the metrics
# The namespaces tcpfleet-system and tcpfleet-demo are annotated to put their pods on the real
# node (e2e/cluster/node.sh); the kwok nodes take the pods of every other namespace.
# Everything keeps running; `make demo-down` stops it. Logs: .demo/
#
# Environment: TCPFLEET_DEMO_SKIP_BUILD=1 reuses the images already in target/images;
#              TCPFLEET_MVN_LOCK (default /tmp/tcpfleet-mvn.lock) serialises Maven runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
demo="$root/.demo"
ns=tcpfleet-demo
system_ns=tcpfleet-system
source "$root/e2e/cluster/lib.sh"   # node_name, real_node_annotations
source "$root/e2e/demo/lib.sh"

cd "$root"
mkdir -p "$demo"
for tool in java mvn go kubectl curl make; do
  command -v "$tool" >/dev/null || fail "$tool not found on PATH (see README.md 'Prerequisites')"
done
started=$SECONDS

# --- 1. build --------------------------------------------------------------------------------
# The Go builds of the cluster and the Maven build overlap: a cold Maven build waits mostly on
# downloads, the Go builds mostly on the CPU.
step "1/5 build: e2e/cluster/build.sh (log in .demo/cluster-build.log), beside the images"
bash e2e/cluster/build.sh >"$demo/cluster-build.log" 2>&1 &
cluster_build=$!
if [[ "${TCPFLEET_DEMO_SKIP_BUILD:-}" == 1 ]]; then
  echo "images: skipped (TCPFLEET_DEMO_SKIP_BUILD=1)"
else
  echo "images: mvn package -DskipTests, then e2e/images/build.sh (log in .demo/build.log)"
  mvn_cmd=(mvn -B -ntp -DskipTests -pl server,operator -am package)
  if command -v flock >/dev/null; then
    mvn_cmd=(flock "${TCPFLEET_MVN_LOCK:-/tmp/tcpfleet-mvn.lock}" "${mvn_cmd[@]}")
  fi
  { "${mvn_cmd[@]}" && bash e2e/images/build.sh; } >"$demo/build.log" 2>&1 \
    || { tail -40 "$demo/build.log" >&2; fail "build failed (see .demo/build.log)"; }
  cat target/images/digests
fi
[[ -f target/images/server.tar && -f target/images/operator.tar ]] \
  || fail "target/images/ has no server.tar and operator.tar: run without TCPFLEET_DEMO_SKIP_BUILD"
wait "$cluster_build" || { tail -30 "$demo/cluster-build.log" >&2; fail "cluster build failed (see .demo/cluster-build.log)"; }
tail -1 "$demo/cluster-build.log"

# --- 2. cluster ------------------------------------------------------------------------------
step "2/5 local control plane with its real node: make cluster-up, import the images"
make --no-print-directory cluster-up
export KUBECONFIG="$root/e2e/cluster/.state/kubeconfig"
[[ -f "$KUBECONFIG" ]] || fail "no kubeconfig at $KUBECONFIG after make cluster-up"
kubectl get node "$node_name" >/dev/null 2>&1 \
  || fail "the cluster has no real node $node_name (was it started with TCPFLEET_CLUSTER_REAL_NODE=0?)"
# A running cluster keeps the images it imported at start: import the ones just built.
bash e2e/cluster/import-images.sh
kubectl get nodes -o wide

# --- 3. install ------------------------------------------------------------------------------
step "3/5 install: kubectl apply --server-side -f crds/ and -k deploy/"
kubectl apply --server-side --force-conflicts -f crds/
kubectl wait --for=condition=Established --timeout=60s crd/tcpservices.tcpfleet.io
kubectl apply --server-side --force-conflicts -f deploy/operator/namespace.yaml -f examples/namespace.yaml
echo "putting the pods of $system_ns and $ns on the real node $node_name:"
kubectl annotate --overwrite namespace "$system_ns" "$ns" "${real_node_annotations[@]}"
kubectl apply --server-side --force-conflicts -k deploy/
kubectl rollout status deployment/tcpfleet-operator -n "$system_ns" --timeout=180s \
  || { kubectl describe pods -n "$system_ns" | tail -30 >&2; fail "the operator pods did not become ready"; }
kubectl get pods -n "$system_ns" -o wide

# --- 4. the example --------------------------------------------------------------------------
step "4/5 kubectl apply examples/echo.yaml in namespace $ns, wait for Ready"
kubectl apply --server-side -n "$ns" -f examples/echo.yaml
kubectl wait --for=condition=Ready --timeout=180s -n "$ns" tcps/echo \
  || { kubectl describe tcps echo -n "$ns" | tail -30 >&2; fail "tcps/echo did not become Ready"; }
echo
echo "\$ kubectl get tcps,pods -n $ns -o wide"
kubectl get tcps,pods -n "$ns" -o wide
echo
echo "\$ kubectl describe tcps echo -n $ns"
kubectl describe tcps echo -n "$ns"

# --- 5. traffic and metrics ------------------------------------------------------------------
step "5/5 an echo round trip through the Service, and the metrics"
cluster_ip="$(kubectl get service echo -n "$ns" -o jsonpath='{.spec.clusterIP}')"
port="$(kubectl get service echo -n "$ns" -o jsonpath='{.spec.ports[0].port}')"
message="hello tcpfleet $(date +%s)"
reply="$(echo_round_trip "$cluster_ip" "$port" "$message")" || fail "echo round trip to $cluster_ip:$port failed"
echo "echo round trip through the Service $cluster_ip:$port (kube-proxy picks a pod): sent '$message', got '$reply'"
[[ "$reply" == "$message" ]] || fail "the server answered '$reply', expected '$message'"

stop_pidfile "$demo/port-forward.pid" port-forward
metrics_port="$(free_port)"
kubectl port-forward -n "$ns" svc/echo-metrics "$metrics_port:metrics" >"$demo/port-forward.log" 2>&1 </dev/null &
echo $! >"$demo/port-forward.pid"
wait_http "http://127.0.0.1:$metrics_port/metrics" 30 "$demo/port-forward.pid" "$demo/port-forward.log" \
  || fail "kubectl port-forward to svc/echo-metrics did not answer (see .demo/port-forward.log)"
echo
echo "\$ kubectl port-forward -n $ns svc/echo-metrics $metrics_port:metrics &"
echo "\$ curl -s http://127.0.0.1:$metrics_port/metrics | grep ^tcpfleet_"
curl -fsS "http://127.0.0.1:$metrics_port/metrics" | grep -E '^tcpfleet_(connections_(accepted_total|active|closed_total)|bytes_(received|sent)_total)' | head -12
pod="$(kubectl get pods -n "$ns" -l tcpfleet.io/service=echo -o jsonpath='{.items[0].metadata.name}')"

cat <<DONE

tcpfleet demo is running on real pods ($((SECONDS - started)) s):
  export KUBECONFIG=$KUBECONFIG
  kubectl get tcps,pods -n $ns -o wide
  echo hi | nc -q1 $cluster_ip $port          # the echo Service, through kube-proxy
  kubectl logs -n $ns $pod
  kubectl exec -n $ns $pod -- /opt/tcpfleet/bin/drain   # drain it (the pod then restarts)
  kubectl delete pod -n $ns $pod                        # the preStop hook drains; see its log
  kubectl scale tcps/echo -n $ns --replicas=3
  curl -s http://127.0.0.1:$metrics_port/metrics      # svc/echo-metrics through kubectl port-forward
  operator: kubectl logs -n $system_ns deploy/tcpfleet-operator
Stop everything with: make demo-down
DONE
