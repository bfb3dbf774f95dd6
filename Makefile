# tcpfleet: the two commands a user needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
MVN ?= mvn -B -ntp

.PHONY: build deps images test clean

## build: compile every module and package the server jar (no tests)
build:
	$(MVN) -DskipTests package

## deps: the Debian packages that make test and make demo use, installed when missing (root):
## openssl and curl (local control plane), prometheus (promtool for the alert rules), mmdebstrap
## (image base), iptables and conntrack (kube-proxy), libseccomp-dev (runc)
DEBS := openssl curl prometheus mmdebstrap iptables conntrack libseccomp-dev gcc libc6-dev
deps:
	@source e2e/cluster/packages.sh && need_debs $(DEBS)

## images: the server and operator images as OCI image archives in target/images/, with no Docker
## engine and no registry (e2e/images/build.sh); the real node of the local cluster imports them
images: deps
	$(MVN) -DskipTests -pl server,operator -am package
	bash e2e/images/build.sh

## test: every test tier (unit, integration, end to end, real pods on the real node). Tests start
## the local control plane when they need it (LocalCluster); make test stops it afterwards unless
## it was already running, into which it imports the images just built (the real node would
## otherwise run those of the cluster's start).
test: deps lint cluster-build tools images upgrade-fixture
	@was_up=0; bash e2e/cluster/up.sh --check && was_up=1; \
	if [ $$was_up = 0 ]; then trap 'bash e2e/cluster/down.sh' EXIT; \
	elif [ -f e2e/cluster/.state/node.enabled ]; then bash e2e/cluster/import-images.sh; fi; \
	$(MVN) verify

clean:
	$(MVN) -q clean

## fmt: format the tree: Java with Spotless (palantir-java-format), bench/'s Python with ruff
fmt:
	$(MVN) -q spotless:apply
	bash bench/lint.sh --fix

## lint: fail on a format difference or a lint finding, before anything is built (Error Prone
## runs inside every compile, so make build and make test fail on its findings too)
lint:
	$(MVN) -q spotless:check
	bash bench/lint.sh

.PHONY: fmt lint

## demo: build the images, start the local control plane with its real node, install the operator
## from deploy/ and run the echo example on real pods (see README)
demo: deps
	bash e2e/demo/demo.sh

## demo-down: stop the demo and the local control plane
demo-down:
	bash e2e/demo/demo-down.sh

.PHONY: demo demo-down

## tools: build helm (the chart's tests run it), argocd-health (runs the Argo CD health check in
## gopher-lua as Argo CD does), kstatus (KstatusE2E reads TcpServices with it) and Argo CD's
## application controller and repo server (ArgoCdSyncE2E) from the Go modules pinned in e2e/tools
## (a no-op when up to date)
tools:
	bash e2e/tools/build.sh

.PHONY: tools

## upgrade-fixture: the next release that UpgradeE2E upgrades to: this tree with
## e2e/upgrade/next-release.patch (a new optional field and server setting), its CRD and images in
## target/upgrade/ (a no-op when up to date)
upgrade-fixture: images
	bash e2e/upgrade/build-next.sh

.PHONY: upgrade-fixture

## release: the release artifacts of VERSION in dist/ (make release VERSION=x.y.z): the CRDs file,
## tcpfleet.yaml (deploy/ with both images pinned by digest), the image archives, the packaged Helm
## chart and SHA256SUMS (e2e/release/release.sh; docs/release.md). VERSION must be the version in
## e2e/images/images.env. Not part of test: ReleaseInstallE2E runs the script into a temporary directory.
release:
	bash e2e/release/release.sh --check "$(VERSION)"
	$(MAKE) images tools
	bash e2e/release/release.sh "$(VERSION)"

.PHONY: release

## cluster-build: build etcd, kube-apiserver, -controller-manager, -scheduler, kwok and the real
## node (kubelet, kube-proxy, containerd, runc, CNI plugins, crictl) from the Go modules pinned in
## e2e/cluster (slow the first time; a no-op when up to date)
cluster-build: deps
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
