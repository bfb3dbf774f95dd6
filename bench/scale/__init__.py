"""The operator at scale (bench/operator_scale.py runs it), one job a module:

settings          paths, BENCH_SCALE_* settings, names, targets
shell             log lines, kubectl and other commands
kube_api          the API server over HTTPS, as the admin
metrics           /metrics answers (prometheus_client's parser), histogram quantiles
cluster           the local control plane: up, down, what the benchmark installs in it
operator_process  the packaged operator as a process
watches           watches on TcpServices or Deployments: when each was reconciled, Ready, rolled out
sampling          the operator's RSS, CPU and reconciles over time; metrics and CPU at each phase's ends
phases            create and update, with the operator and with the control plane alone
machine           the versions and settings of what ran
benchmark         the whole run, into docs/bench/operator-scale.json
report, plot      operator-scale.json into operator-scale.md and operator-scale.png
"""
