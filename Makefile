# netconform — the two commands a newcomer needs are `make conformance` and `make test`.
MVN ?= mvn -B
JAR := scenarios/target/netconform.jar
ARGS ?=

.PHONY: conformance test jar e2e e2e-lab soak-lab report bench bench-harness deps clean help

help:
	@echo "make conformance  run the suites against your kubeconfig (or embedded K3s with Docker); ARGS='--include-tags dns'"
	@echo "make test         the project's own tests: no cluster, no Docker"
	@echo "make e2e          the suites on embedded K3s via Testcontainers (needs Docker; skips with a reason otherwise)"
	@echo "make e2e-lab      the suites end to end on ../shared/lab (root; brings the lab up and always down)"
	@echo "make soak-lab     five full runs on the lab, one beside a second run: no false failure, no leftover (root)"
	@echo "make report       reports/allure-results -> one self-contained HTML file in reports/allure-report"
	@echo "make bench        CNI benchmarks against your cluster; make bench-harness: the harness's own benchmarks"
	@echo "make deps         install the Debian packages the probe-lab tests and the report check use (root)"

# make turns any failure into its own exit 2: say the tool's code, which ./netconform returns unchanged (0/1/2)
conformance:
	@./netconform run $(ARGS) || { rc=$$?; echo "netconform exited $$rc (1: a check failed, 2: could not run); ./netconform run keeps that code for CI"; exit $$rc; }

test:
	$(MVN) test

jar $(JAR):
	$(MVN) -q package -DskipTests

# Surefire's console says only "Skipped: 1"; the reason (e.g. no Docker engine) is in its XML reports: print it.
e2e:
	@stamp=$$(mktemp); $(MVN) test -Dgroups=e2e -DexcludedGroups=; status=$$?; \
	find . -path '*/target/surefire-reports/TEST-*.xml' -newer $$stamp -exec grep -h -A1 '<testcase ' {} + \
	  | grep -B1 '<skipped message=' \
	  | sed -n 's/.*<testcase name="\([^"]*\)" classname="\([^"]*\)".*/\2.\1/p; s/.*<skipped message="\([^"]*\)".*/  SKIPPED: \1/p'; \
	rm -f $$stamp; exit $$status

e2e-lab:
	bash scripts/e2e-lab.sh

report:
	bash scripts/report.sh

bench:
	./netconform bench $(ARGS)

bench-harness:
	$(MVN) test -pl harness,scenarios -Dgroups=benchmark -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false
	@echo "results: reports/bench-harness/"

deps:
	bash scripts/install-deps.sh

clean:
	$(MVN) -q clean

# Five full runs back to back on the lab, one sharing the cluster with a second run: no false failure, no leftover.
soak-lab:
	bash scripts/soak-lab.sh
