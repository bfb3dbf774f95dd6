# tcpfleet: the two commands a user needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
MVN ?= mvn -B -ntp

.PHONY: build test clean

## build: compile every module and package the server jar (no tests)
build:
	$(MVN) -DskipTests package

## test: every test tier (unit, integration, end to end). Tests start the local control plane
## when they need it (LocalCluster); make test stops it afterwards unless it was already running.
test: cluster-build
	@was_up=0; bash e2e/cluster/up.sh --check && was_up=1; \
	if [ $$was_up = 0 ]; then trap 'bash e2e/cluster/down.sh' EXIT; fi; \
	$(MVN) verify

clean:
	$(MVN) -q clean

## demo: build, start the local control plane, run the operator and one real server (see README)
demo:
	bash e2e/demo/demo.sh

## demo-down: stop the demo's server and operator and the local control plane
demo-down:
	bash e2e/demo/demo-down.sh

.PHONY: demo demo-down

## cluster-build: build etcd, kube-apiserver, -controller-manager, -scheduler and kwok from the
## Go modules pinned in e2e/cluster (slow the first time; a no-op when up to date)
cluster-build:
	bash e2e/cluster/build.sh

## cluster-up: start (or reuse) the local control plane; prints the admin kubeconfig path
cluster-up: cluster-build
	bash e2e/cluster/up.sh

## cluster-down: stop the local control plane and remove its state
cluster-down:
	bash e2e/cluster/down.sh

.PHONY: cluster-build cluster-up cluster-down

## bench: tcpfleet against the classic Go echo server and the loopback ceilings (iperf3, sockperf);
## writes docs/bench/results.md and plots. Not part of test; run it on an otherwise idle machine.
bench:
	bash bench/run.sh

.PHONY: bench
