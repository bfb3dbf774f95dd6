# tcpfleet: the two commands a user needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
MVN ?= mvn -B -ntp

.PHONY: build test clean

## build: compile every module and package the server jar (no tests)
build:
	$(MVN) -DskipTests package

## test: every test tier (unit, integration, end to end)
test:
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
