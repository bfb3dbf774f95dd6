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
