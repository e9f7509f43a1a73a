#!/usr/bin/env bash
# make report: turn Allure results into one self-contained HTML file that opens from disk.
#   scripts/report.sh [RESULTS_DIR] [REPORT_DIR]     (defaults: reports/allure-results, reports/allure-report)
# Also refreshes reports/history (next to RESULTS_DIR), which the next run copies into its results for trends.
# Extra Maven flags (e.g. -o) via MVN_ARGS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
results=$(realpath -m "${1:-$root/reports/allure-results}")
report=$(realpath -m "${2:-$root/reports/allure-report}")

if ! compgen -G "$results/*-result.json" > /dev/null; then
  echo "report: no Allure results (*-result.json) in $results; run the suites first" >&2
  exit 2
fi

generate() { # $1 = report dir, $2 = single file?
  (cd "$root" && mvn -q ${MVN_ARGS:-} -N -Preport allure:report \
      -Dnetconform.allure.results="$results" -Dnetconform.allure.report="$1" -Dnetconform.allure.singleFile="$2")
}

# the single-file report has no history/: build a throwaway multi-file one to carry the trend forward
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
generate "$scratch/report" false
if [ -d "$scratch/report/history" ]; then
  rm -rf "$(dirname "$results")/history"
  cp -r "$scratch/report/history" "$(dirname "$results")/history"
fi

rm -rf "$report"
generate "$report" true
if [ ! -s "$report/index.html" ]; then
  echo "report: Allure did not write $report/index.html (see the Maven output above)" >&2
  exit 1
fi
echo "report: $report/index.html"
