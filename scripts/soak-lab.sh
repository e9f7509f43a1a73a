#!/usr/bin/env bash
# make soak-lab: five full default runs back to back on the two-node lab (../shared/lab), the third one while a
# second run shares the cluster. Passes when no run has a FAILED or BROKEN check (on a healthy lab every one would be
# a false failure), every run exits 0, and no namespace of any run is left behind. Prints the spread of run times and
# writes reports/soak/<time>/soak.json. Root only; not part of CI (it takes about 5-10 minutes).
# A lab that was already up is used as it is and left running; one this script started is always brought down.
set -uo pipefail
cd "$(dirname "$0")/.."
LAB_DIR=${LAB_DIR:-$(cd ../shared/lab && pwd)}
export K8SLAB_HOME=${K8SLAB_HOME:-$HOME/.cache/k8slab}
RUNS=${SOAK_RUNS:-5}
kubeconfig="$K8SLAB_HOME/kubeconfig"
jar=scenarios/target/netconform.jar
images=(--netshoot-image k8s.lab/netshoot:lab --nginx-image k8s.lab/nginx:lab --busybox-image k8s.lab/busybox:lab)

started=0
if ! kubectl --kubeconfig "$kubeconfig" get nodes >/dev/null 2>&1; then
  mkdir -p "$K8SLAB_HOME"
  echo "== lab up"
  bash "$LAB_DIR/up.sh" || exit 2
  started=1
fi
down() { if [ "$started" = 1 ]; then echo "== lab down"; bash "$LAB_DIR/down.sh" || true; fi; }
trap down EXIT
trap 'exit 130' INT TERM

mvn -B -q package -DskipTests || exit 2
out="reports/soak/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

one() { # name: one full default run; writes its exit code and wall time next to its reports
  local dir="$out/$1" t0 rc
  mkdir -p "$dir"
  t0=$(date +%s.%N)
  java -jar "$jar" run --kubeconfig "$kubeconfig" --reports "$PWD/$dir" "${images[@]}" > "$dir/console.txt" 2>&1
  rc=$?
  echo "$rc $t0 $(date +%s.%N)" > "$dir/exit-and-times"
  echo "   $1: exit $rc"
}

for i in $(seq 1 "$RUNS"); do
  if [ "$i" = 3 ]; then
    echo "== run $i of $RUNS, with a second run sharing the cluster"
    one "run-$i" & one "run-$i-concurrent" & wait
  else
    echo "== run $i of $RUNS"
    one "run-$i"
  fi
done

# every namespace a soak run created must be gone (runs wait for deletion with a bound; give stragglers 2 minutes)
python3 - "$out" "$kubeconfig" <<'PY'
import json, os, statistics, subprocess, sys, time
out, kubeconfig = sys.argv[1], sys.argv[2]
runs = []
for name in sorted(os.listdir(out)):
    d = os.path.join(out, name)
    if not os.path.isfile(os.path.join(d, "exit-and-times")):
        continue
    rc, t0, t1 = open(os.path.join(d, "exit-and-times")).read().split()
    run = {"name": name, "exit": int(rc), "seconds": round(float(t1) - float(t0), 1), "runId": None, "counts": {}, "bad": []}
    summary = os.path.join(d, "summary.json")
    if os.path.isfile(summary):
        s = json.load(open(summary))
        run["runId"] = s["runId"]
        for c in s["checks"]:
            run["counts"][c["status"]] = run["counts"].get(c["status"], 0) + 1
            if c["status"] in ("FAILED", "BROKEN"):
                run["bad"].append(f'{c["status"]} {c.get("kind")} {c["suite"]} / {c["name"]}: {(c.get("message") or "").splitlines()[0][:200]}')
    runs.append(run)

def leftovers():
    ids = {r["runId"] for r in runs if r["runId"]}
    got = subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "get", "ns", "-l", "app.kubernetes.io/managed-by=netconform",
                          "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.netconform\\.io/run}{\"\\n\"}{end}"],
                         capture_output=True, text=True)
    return [l.split()[0] for l in got.stdout.splitlines() if len(l.split()) == 2 and l.split()[1] in ids]

deadline = time.time() + 120
left = leftovers()
while left and time.time() < deadline:
    time.sleep(5)
    left = leftovers()
times = [r["seconds"] for r in runs]
ok = all(r["exit"] == 0 and not r["bad"] for r in runs) and not left and len(runs) >= 1
print("\n%-22s %5s %8s  %s" % ("run", "exit", "seconds", "checks"))
for r in runs:
    print("%-22s %5d %8.1f  %s" % (r["name"], r["exit"], r["seconds"], " ".join(f"{k.lower()}={v}" for k, v in sorted(r["counts"].items()))))
    for b in r["bad"]:
        print("    " + b)
print("\nrun time: min %.1f s, median %.1f s, max %.1f s over %d runs" % (min(times), statistics.median(times), max(times), len(times)))
print("leftover namespaces: %d%s" % (len(left), (" " + " ".join(left)) if left else ""))
json.dump({"runs": runs, "leftoverNamespaces": left, "seconds": {"min": min(times), "median": statistics.median(times),
           "max": max(times)}, "passed": ok}, open(os.path.join(out, "soak.json"), "w"), indent=2)
print(("soak passed" if ok else "soak FAILED") + ": " + os.path.join(out, "soak.json"))
sys.exit(0 if ok else 1)
PY
