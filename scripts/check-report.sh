#!/usr/bin/env bash
# Renders an Allure HTML report in headless Chromium and checks that it shows what it should.
#   scripts/check-report.sh [REPORT_HTML] [TEXT...]    (default report: reports/allure-report/index.html)
# Passes when the rendered page contains "Allure" and every TEXT (e.g. test names, on the Suites tab).
# Leaves overview.png and suites.png next to the report for a look by eye. Exit 1 on a failed check.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
html=$(realpath -m "${1:-$root/reports/allure-report/index.html}")
shift || true
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "check-report: no chromium on PATH (Debian: apt-get install chromium)" >&2
  exit 2
fi
if [ ! -s "$html" ]; then
  echo "check-report: no report at $html (run scripts/report.sh first)" >&2
  exit 2
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chrome() {
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" --window-size=1280,900 \
    --virtual-time-budget=10000 "$@" 2>/dev/null
}
dir=$(dirname "$html")
chrome --screenshot="$dir/overview.png" "file://$html" > /dev/null
chrome --screenshot="$dir/suites.png" "file://$html#suites" > /dev/null
# the page text: tags stripped from the rendered DOM of the overview and the suites tree
text=$( { chrome --dump-dom "file://$html"; chrome --dump-dom "file://$html#suites"; } | sed -e 's/<[^>]*>/ /g')

missing=0
for want in "Allure" "$@"; do
  if ! grep -qF -- "$want" <<< "$text"; then
    echo "check-report: rendered report does not show \"$want\" ($html)" >&2
    missing=1
  fi
done
if [ "$missing" -ne 0 ]; then
  exit 1
fi
echo "check-report: $html renders and shows: Allure $*"
echo "screenshots: $dir/overview.png $dir/suites.png"
