#!/usr/bin/env bash
# End-to-end on the real two-node Kubernetes 1.20 cluster in ../shared/lab: bring it up, run the lab-tagged
# tests (they drive the netconform jar the way a user does and read its outputs), and ALWAYS bring it down.
set -euo pipefail
cd "$(dirname "$0")/.."
LAB_DIR=${LAB_DIR:-$(cd ../shared/lab && pwd)}
export K8SLAB_HOME=${K8SLAB_HOME:-$HOME/.cache/k8slab}
mkdir -p "$K8SLAB_HOME"   # up.sh logs there before creating it
down() { echo "== lab down"; bash "$LAB_DIR/down.sh" || true; }
trap down EXIT
trap 'exit 130' INT TERM
echo "== lab up"
bash "$LAB_DIR/up.sh"
mvn -B -q package -DskipTests
mvn -B test -pl scenarios -am -Dgroups=lab -DexcludedGroups= -Dtest='LabEndToEndTest,LabWatchTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dnetconform.lab.kubeconfig="$K8SLAB_HOME/kubeconfig" -Dnetconform.lab.dir="$LAB_DIR" \
  -Dnetconform.jar="$PWD/scenarios/target/netconform.jar" -Dnetconform.watch.inject="$PWD/scripts/watch-lab-inject.sh"
# The report people open: the strict run's Allure results as one HTML file, rendered in headless Chromium.
strict=scenarios/target/e2e-lab/strict
if [ -d "$strict/allure-results" ]; then
  bash scripts/report.sh "$strict/allure-results" "$strict/allure-report"
  bash scripts/check-report.sh "$strict/allure-report/index.html" connectivity dns mtu
fi
