#!/usr/bin/env bash
# Render check: screenshot a report.html with headless Debian chromium.
#   scripts/render-report.sh REPORT.html OUT.png [WIDTHxHEIGHT]
# With no REPORT, or REPORT "--sample", a synthetic sample is written first by the reporting tests
# (CRYPTOMARGIN_REPORT_SAMPLE hook).
set -euo pipefail
html=${1:---sample}
out=${2:-report.png}
size=${3:-1280,4000}
here=$(cd "$(dirname "$0")/.." && pwd)
if [[ "$html" == "--sample" ]]; then
  html=$(mktemp --suffix=.html)
  CRYPTOMARGIN_REPORT_SAMPLE="$html" dotnet test --project "$here/tests/CryptoMargin.Reporting.Tests" >/dev/null
fi
[[ -s "$html" ]] || { echo "render-report: no report at $html" >&2; exit 2; }
command -v chromium >/dev/null || { echo "render-report: chromium not installed (apt-get install chromium)" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
abs=$(realpath "$html")
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$profile" --hide-scrollbars --window-size="$size" \
  --screenshot="$(realpath -m "$out")" "file://$abs" >/dev/null 2>&1
[[ -s "$out" ]] || { echo "render-report: chromium wrote no screenshot" >&2; exit 1; }
echo "$out"
