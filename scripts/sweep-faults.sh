#!/usr/bin/env bash
# The sweep against the lab enforcer's fault modes (../shared/lab/README.md "Fault modes"): per mode, a second
# enforcer with that fault enforces the sweep's namespaces (swf<i>-x, -y, -z) while the usual one skips them, and one
# sweep runs there. Prints the table: fault -> wrong cases, the tags every wrong case shares, run time.
#
# Why the usual enforcer must skip them: both enforcers' chains only RETURN or DROP, so a packet must pass both; a
# fault that makes the second one MORE permissive (ignore-except, peer-and-as-or, no-egress, ...) would be hidden by
# the correct one. Skipping means restarting it, which changes the shared lab: so the whole table runs under the
# exclusive lab lock, and the usual enforcer is restarted exactly as it was (its settings file) on every exit.
# Needs: the lab up with its enforcer, root, the jar (make jar). Not in CI: ~2-4 min per mode.
#   CASES=40 SEED=7 PARALLEL=2 FAULTS="none no-egress delay=3" bash scripts/sweep-faults.sh
#   SWEEP_ARGS="--confirm 2s" bash scripts/sweep-faults.sh     # extra sweep options, for every fault
set -euo pipefail
cd "$(dirname "$0")/.."
LAB_DIR=${LAB_DIR:-$(cd ../shared/lab && pwd)}
export K8SLAB_HOME=${K8SLAB_HOME:-$HOME/.cache/k8slab}
export KUBECONFIG=$K8SLAB_HOME/kubeconfig
CASES=${CASES:-40}
SEED=${SEED:-7}
PARALLEL=${PARALLEL:-2}
FAULTS=${FAULTS:-"none ignore-except egress-named-port-from-source peer-and-as-or ignore-protocol no-egress stale-pod-labels empty-from-denies policytypes-ignored delay=3"}
OUT=${OUT:-$PWD/reports/sweep-faults}
SWEEP_ARGS=${SWEEP_ARGS:-}
JAR=${JAR:-$PWD/scenarios/target/netconform.jar}
LOCK=/tmp/k8slab-disrupt.lock
[ -f "$JAR" ] || { echo "no $JAR: run make jar first"; exit 2; }
[ -f "$KUBECONFIG" ] || { echo "the lab is not up ($KUBECONFIG missing)"; exit 2; }

if [ "${SWEEP_FAULTS_LOCKED:-}" != 1 ]; then
  echo "== waiting for the exclusive lab lock ($LOCK)"
  exec env SWEEP_FAULTS_LOCKED=1 flock -o -x "$LOCK" bash "$0" "$@"
fi

settings=$(cat "$K8SLAB_HOME/k8s/netpol/settings" 2>/dev/null || echo "")
case "$settings" in *"namespaces=all"*) ;; *) echo "the usual enforcer is not enforcing every namespace ('$settings'): not touching it"; exit 2;; esac
cnp=0; [[ "$settings" == *"cnp=on"* ]] && cnp=1
faults_before=$(sed -n 's/.*faults=\([^ ]*\).*/\1/p' <<<"$settings"); [ "$faults_before" = none ] && faults_before=
restore() {
  for pidf in /tmp/npf*/pid; do [ -f "$pidf" ] && kill "$(cat "$pidf")" 2>/dev/null || true; done
  for i in $(seq 1 20); do python3 -B "$LAB_DIR/netpol.py" --chain-prefix "NPF$i-" --cleanup >/dev/null 2>&1 || true; done
  echo "== restoring the usual enforcer: $settings"
  K8SLAB_CNP=$cnp K8SLAB_NETPOL=1 K8SLAB_NETPOL_FAULTS=$faults_before bash "$LAB_DIR/netpol.sh" start
}
trap restore EXIT
trap 'exit 130' INT TERM
echo "== the usual enforcer skips ^swf namespaces for the duration"
K8SLAB_CNP=$cnp K8SLAB_NETPOL=1 K8SLAB_NETPOL_FAULTS=$faults_before K8SLAB_NETPOL_NAMESPACES='^(?!swf)' bash "$LAB_DIR/netpol.sh" start
mkdir -p "$OUT"

one() {  # one() INDEX FAULT: a faulty enforcer on swfINDEX-*, a sweep there, the enforcer removed
  local i=$1 fault=$2 dir=/tmp/npf$1 name=${2//=/-}
  rm -rf "$dir"; mkdir -p "$dir"
  python3 -B "$LAB_DIR/netpol.py" --kubeconfig "$KUBECONFIG" --chain-prefix "NPF$i-" --namespaces "^swf$i-" \
    --state-dir "$dir" --faults "$([ "$fault" = none ] || echo "$fault")" > "$dir/netpol.log" 2>&1 &
  echo $! > "$dir/pid"
  for _ in $(seq 150); do [ -s "$dir/status.json" ] && break; sleep 0.2; done
  local t0=$SECONDS
  java -jar "$JAR" sweep --kubeconfig "$KUBECONFIG" --run-id "swf$i" --seed "$SEED" --cases "$CASES" \
    --reports "$OUT/$name" --netshoot-image k8s.lab/netshoot:lab --nginx-image k8s.lab/nginx:lab \
    --busybox-image k8s.lab/busybox:lab $SWEEP_ARGS > "$OUT/$name.log" 2>&1 || true
  echo "$((SECONDS - t0))" > "$OUT/$name.seconds"
  kill "$(cat "$dir/pid")" 2>/dev/null || true; wait "$(cat "$dir/pid")" 2>/dev/null || true
  python3 -B "$LAB_DIR/netpol.py" --chain-prefix "NPF$i-" --cleanup > /dev/null 2>&1 || true
  echo "   done: $fault ($((SECONDS - t0)) s)"
}

i=0
for fault in $FAULTS; do
  i=$((i + 1))
  echo "== fault $fault (enforcer NPF$i-, namespaces swf$i-*)"
  one "$i" "$fault" &
  while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do sleep 2; done
done
wait

echo
printf '%-32s %-14s %-9s %s\n' "FAULT" "WRONG CASES" "TIME" "TAGS OF WRONG CASES (wrong/cases, every case with the tag first)"
for fault in $FAULTS; do
  name=${fault//=/-}; j="$OUT/$name/sweep.json"
  if [ ! -f "$j" ]; then printf '%-32s %s\n' "$fault" "no sweep.json: see $OUT/$name.log"; continue; fi
  printf '%-32s %-14s %-9s %s\n' "$fault" "$(jq -r '"\(.wrongCases) of \(.cases)"' "$j")" "$(cat "$OUT/$name.seconds")s" \
    "$(jq -r '[.byTag[] | select(.wrong > 0)] | sort_by(-(.wrong / .cases), -.wrong) | .[0:5]
               | map("\(.tag) \(.wrong)/\(.cases)") | join(", ")' "$j")"
  grep -h "converged after\|every wrong case has" "$OUT/$name.log" | sed 's/^/    /' || true
done
