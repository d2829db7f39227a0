#!/usr/bin/env bash
# Every comparison of docs/options/peer-comparison.md in one run on one machine (timings are compared as ratios
# within this run). Usage: scripts/peers/run_all.sh OUTDIR   (from the repository root; needs the Debian packages
# of scripts/peers/README.md and the .NET SDK). Not part of CI.
set -euo pipefail
out=${1:?usage: run_all.sh OUTDIR}
mkdir -p "$out/heston"
here=scripts/peers
py=/usr/bin/python3
ref=tests/CryptoMargin.Tests/Pricing/data/iv-reference.csv
chain=samples/options/deribit_options_snapshot_20260822T093536Z.csv.gz
harness="dotnet $here/PeerHarness/bin/Release/net10.0/PeerHarness.dll"

{ git log -1 --format='commit %H %s'; date -u; nproc; uptime; dpkg -l quantlib-python libquantlib0-dev libquantlib0v5 | grep '^ii'; dotnet --version; g++ --version | head -1; } > "$out/environment.txt"
[ -f "$out/iv-cases.csv" ] || $py $here/make_iv_cases.py "$out/iv-cases.csv"
g++ -O2 -std=c++17 $here/iv_quantlib_csv.cpp -o "$out/iv_quantlib_csv" $(pkg-config --cflags --libs quantlib)
dotnet build -c Release $here/PeerHarness >/dev/null
dotnet build -c Release src/CryptoMargin.Cli >/dev/null

# (1), (2): two alternating rounds of native QuantLib and ours on the same CSVs, then QuantLib's Python.
for round in 1 2; do
  "$out/iv_quantlib_csv" "$out/iv-cases.csv" --repeat 7 --greeks-out "$out/ql-greeks.csv" > "$out/iv-ql-cpp-$round.json"
  $harness iv "$out/iv-cases.csv" --repeat 7 --greeks-ql "$out/ql-greeks.csv" > "$out/iv-ours-$round.json"
  "$out/iv_quantlib_csv" $ref --repeat 7 > "$out/ivref-ql-cpp-$round.json"
  $harness iv $ref --repeat 7 > "$out/ivref-ours-$round.json"
done
$py $here/iv_quantlib_csv.py "$out/iv-cases.csv" --repeat 3 > "$out/iv-ql-python.json"
$py $here/iv_quantlib_csv.py $ref --repeat 3 > "$out/ivref-ql-python.json"

# (3) Heston prices on a grid: QuantLib adaptive Gauss-Lobatto (reference) and its default Gauss-Laguerre.
for e in adaptive laguerre; do
  $py $here/heston_grid_quantlib.py "$out/heston/grid-$e.csv" --engine $e > "$out/heston/grid-$e-ql.json"
  $harness heston-grid "$out/heston/grid-$e.csv" > "$out/heston/grid-$e-compare.json"
done

# (3) Heston calibration on the shipped BTC chain: same cleaned quotes for both.
$harness heston-chain $chain "$out/heston" --repeat 3 > "$out/heston/ours.json"
spot=$($py -c "import json,sys; print(json.load(open(sys.argv[1]))['spot'])" "$out/heston/ours.json")
$py /work/shared/peers/heston_quantlib.py "$out/heston/heston-quotes.csv" --spot "$spot" --rate-curve "$out/heston/heston-rate-curve.csv" \
  --eval-date 2026-08-22 --repeat 3 > "$out/heston/ql.json"
qlp=$($py -c "import json,sys; p=json.load(open(sys.argv[1]))['params']; print(','.join(repr(p[k]) for k in ['v0','kappa','theta','sigma','rho']))" "$out/heston/ql.json")
$harness heston-chain $chain "$out/heston" --repeat 3 --ql-params "$qlp" > "$out/heston/ours-with-ql-params.json"
# QuantLib started from our optimum (integer-day fit): same objective question from the other side.
ourp=$($py -c "import json,sys; p=json.load(open(sys.argv[1]))['integer_days_t']['params']; print(','.join(repr(p[k]) for k in ['v0','kappa','theta','sigma','rho']))" "$out/heston/ours.json")
$py /work/shared/peers/heston_quantlib.py "$out/heston/heston-quotes.csv" --spot "$spot" --rate-curve "$out/heston/heston-rate-curve.csv" \
  --eval-date 2026-08-22 --init "$ourp" > "$out/heston/ql-from-ours.json"
# How much of each optimum's RMSE is QuantLib's order-64 Gauss-Laguerre engine? Both optima under 3 QuantLib engines.
for which in ql ours; do
  p=$([ $which = ql ] && echo "$qlp" || echo "$ourp")
  $py $here/heston_quantlib_engine_check.py "$out/heston/heston-quotes.csv" --spot "$spot" --rate-curve "$out/heston/heston-rate-curve.csv" \
    --eval-date 2026-08-22 --params "$p" > "$out/heston/engine-check-at-$which-params.json"
done
for i in 1 2 3; do
  src/CryptoMargin.Cli/bin/Release/net10.0/CryptoMargin.Cli fit-surface --model heston --json > "$out/heston/cli-fit-surface-$i.json"
done
uptime >> "$out/environment.txt"
echo "done: $out"
