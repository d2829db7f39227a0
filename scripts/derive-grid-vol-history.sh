#!/usr/bin/env bash
# Derives samples/grid/deribit-vol-history.csv (the embedded default of `cryptomargin calibrate-grid`) from the raw
# daily Deribit snapshots: every snapshot's BTC and ETH mark vols sampled at DTE 1, 3, 7, 14, 30, 60, 90, 180 and
# standardised moneyness −0.5, −0.25, 0, 0.25, 0.5 (TenorVolSampler), written by the command itself (vol-history.csv).
#   scripts/derive-grid-vol-history.sh [SNAPSHOT_DIR]   (default ../shared/data/deribit-options-snapshots/daily)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
chains=${1:-$here/../shared/data/deribit-options-snapshots/daily}
[[ -d "$chains" ]] || { echo "derive-grid-vol-history: no snapshot folder at $chains" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build -c Release "$here/src/CryptoMargin.Cli" >/dev/null
dotnet "$here/src/CryptoMargin.Cli/bin/Release/net10.0/CryptoMargin.Cli.dll" calibrate-grid --chains "$chains" --out "$out" --json >/dev/null
cp "$out/vol-history.csv" "$here/samples/grid/deribit-vol-history.csv"
sha256sum "$here/samples/grid/deribit-vol-history.csv"
