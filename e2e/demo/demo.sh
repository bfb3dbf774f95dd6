#!/usr/bin/env bash
# `make demo`: tcpfleet end to end on this machine, no Docker and no cloud.
#  1. builds the server jar and the operator (Maven, -DskipTests)
#  2. starts the local control plane (make cluster-up: real etcd/kube-apiserver/controllers + kwok)
#  3. applies crds/ and the RBAC part of deploy/ (namespace, ServiceAccount, roles, bindings)
#  4. runs the operator as a local process with its own ServiceAccount's token
#  5. applies examples/echo.yaml in namespace tcpfleet-demo and waits for Ready
#  6. prints kubectl get/describe, then starts ONE real tcpfleet server on loopback with exactly
#     the environment the operator put in the pod, does an echo round trip and shows its metrics.
# Everything it starts keeps running; `make demo-down` stops it. Logs and pids: .demo/
#
# Environment: TCPFLEET_DEMO_SKIP_BUILD=1 reuses the jars already built;
#              TCPFLEET_MVN_LOCK (default /tmp/tcpfleet-mvn.lock) serialises Maven runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
demo="$root/.demo"
ns=tcpfleet-demo
system_ns=tcpfleet-system
server_jar="$root/server/target/tcpfleet-server.jar"
operator_jar="$root/operator/target/quarkus-app/quarkus-run.jar"
source "$root/e2e/demo/lib.sh"

cd "$root"
mkdir -p "$demo"
for tool in java mvn kubectl curl make; do
  command -v "$tool" >/dev/null || fail "$tool not found on PATH (see README 'Prerequisites')"
done

# --- 1. build --------------------------------------------------------------------------------
if [[ "${TCPFLEET_DEMO_SKIP_BUILD:-}" == 1 ]]; then
  step "1/6 build: skipped (TCPFLEET_DEMO_SKIP_BUILD=1)"
else
  step "1/6 build: mvn package -DskipTests (server and operator; log in .demo/build.log)"
  mvn_cmd=(mvn -B -ntp -DskipTests -pl server,operator -am package)
  if command -v flock >/dev/null; then
    mvn_cmd=(flock "${TCPFLEET_MVN_LOCK:-/tmp/tcpfleet-mvn.lock}" "${mvn_cmd[@]}")
  fi
  "${mvn_cmd[@]}" >"$demo/build.log" 2>&1 || { tail -40 "$demo/build.log" >&2; fail "build failed (see .demo/build.log)"; }
fi
[[ -f "$server_jar" ]] || fail "$server_jar missing after the build"
[[ -f "$operator_jar" ]] || fail "$operator_jar missing after the build"

# --- 2. cluster ------------------------------------------------------------------------------
step "2/6 local control plane: make cluster-up"
make --no-print-directory cluster-up
export KUBECONFIG="$root/e2e/cluster/.state/kubeconfig"
[[ -f "$KUBECONFIG" ]] || fail "no kubeconfig at $KUBECONFIG after make cluster-up"
kubectl get nodes

# --- 3. CRDs and RBAC ------------------------------------------------------------------------
step "3/6 apply crds/ and deploy/ RBAC"
kubectl apply --server-side --force-conflicts -f crds/
kubectl wait --for=condition=Established --timeout=60s crd/tcpservices.tcpfleet.io
kubectl apply --server-side --force-conflicts -f deploy/operator/namespace.yaml -f deploy/operator/serviceaccount.yaml
kubectl apply --server-side --force-conflicts -k deploy/rbac

# --- 4. operator -----------------------------------------------------------------------------
step "4/6 operator: a local process with the tcpfleet-operator ServiceAccount's token"
stop_pidfile "$demo/operator.pid" quarkus-run.jar
operator_kubeconfig="$demo/operator.kubeconfig"
write_serviceaccount_kubeconfig "$system_ns" tcpfleet-operator "$operator_kubeconfig"
operator_http_port="$(free_port)"
(
  export KUBECONFIG="$operator_kubeconfig"
  export QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$operator_http_port"
  export POD_NAMESPACE="$system_ns" POD_NAME="tcpfleet-operator-demo"
  exec java -jar "$operator_jar"
) >"$demo/operator.log" 2>&1 </dev/null &
echo $! >"$demo/operator.pid"
echo "operator pid $(cat "$demo/operator.pid"), http://127.0.0.1:$operator_http_port/q/health, log .demo/operator.log"
wait_http "http://127.0.0.1:$operator_http_port/q/health/ready" 120 "$demo/operator.pid" "$demo/operator.log" \
  || fail "the operator did not become ready (see .demo/operator.log)"

# --- 5. the example --------------------------------------------------------------------------
step "5/6 kubectl apply examples/echo.yaml in namespace $ns, wait for Ready"
kubectl apply --server-side -f examples/namespace.yaml
kubectl apply --server-side -n "$ns" -f examples/echo.yaml
kubectl wait --for=condition=Ready --timeout=180s -n "$ns" tcps/echo
echo
echo "\$ kubectl get tcps -n $ns"
kubectl get tcps -n "$ns"
echo
echo "\$ kubectl describe tcps echo -n $ns"
kubectl describe tcps echo -n "$ns"

# --- 6. one real server with the pod's environment -------------------------------------------
step "6/6 one real tcpfleet server on loopback, with the environment of the echo pod"
stop_pidfile "$demo/server.pid" tcpfleet-server.jar
pod_env="$(kubectl get deployment echo -n "$ns" \
  -o jsonpath='{range .spec.template.spec.containers[0].env[*]}{.name}{"="}{.value}{"\n"}{end}')"
[[ -n "$pod_env" ]] || fail "deployment $ns/echo has no container environment"
echo "environment the operator set on the server container:"
sed 's/^/  /' <<<"$pod_env"

port="$(free_port)"
admin_port="$(free_port)"
server_env=()
while IFS= read -r line; do
  [[ -n "$line" ]] && server_env+=("$line")
done <<<"$pod_env"
overrides=("TCPFLEET_BIND=127.0.0.1" "TCPFLEET_ADMIN_BIND=127.0.0.1"
           "TCPFLEET_PORT=$port" "TCPFLEET_ADMIN_PORT=$admin_port")
echo "overridden for this machine (loopback only, free ports; everything else exactly as in the pod):"
printf '  %s\n' "${overrides[@]}"

# Only the pod's environment plus the overrides: any TCPFLEET_* of this shell is dropped.
(
  for v in $(compgen -e); do [[ "$v" == TCPFLEET_* ]] && unset "$v"; done
  exec env "${server_env[@]}" "${overrides[@]}" java -jar "$server_jar"
) >"$demo/server.log" 2>&1 </dev/null &
echo $! >"$demo/server.pid"
wait_http "http://127.0.0.1:$admin_port/health/ready" 60 "$demo/server.pid" "$demo/server.log" \
  || fail "the server did not become ready (see .demo/server.log)"
echo "server pid $(cat "$demo/server.pid"), tcp 127.0.0.1:$port, admin http://127.0.0.1:$admin_port, log .demo/server.log"

message="hello tcpfleet $(date +%s)"
reply="$(echo_round_trip 127.0.0.1 "$port" "$message")" || fail "echo round trip to 127.0.0.1:$port failed"
echo
echo "echo round trip: sent '$message', got '$reply'"
[[ "$reply" == "$message" ]] || fail "the server answered '$reply', expected '$message'"

echo
echo "\$ curl -s http://127.0.0.1:$admin_port/metrics | grep ^tcpfleet_"
curl -fsS "http://127.0.0.1:$admin_port/metrics" | grep -E '^tcpfleet_(connections_(accepted_total|active|closed_total)|bytes_(received|sent)_total)' | head -12

cat <<DONE

tcpfleet demo is running:
  cluster   KUBECONFIG=$KUBECONFIG kubectl get tcps -A
  operator  pid $(cat "$demo/operator.pid"), log .demo/operator.log
  server    pid $(cat "$demo/server.pid"), tcp 127.0.0.1:$port, metrics http://127.0.0.1:$admin_port/metrics
Try: kubectl scale tcps/echo -n $ns --replicas=3; kubectl get tcps -n $ns -w
Stop everything with: make demo-down
DONE
