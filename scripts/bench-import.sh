#!/usr/bin/env bash
# Import throughput: `retex import --all` of the shared data into a fresh store, then again
# (the no-op re-import), with the release build. Prints the summary lines (rows, seconds,
# rows/s). Usage: scripts/bench-import.sh [shared-data-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-${RETEX_SHARED_DATA:-../shared/data}}"
cargo build --release -q
store="$(mktemp -d)/bench.db"
for run in first again; do
  echo "== import --all ($run)"
  RETEX_LOG=warn ./target/release/retex --store "$store" import --all "$data" | grep -E "rows/s|nothing changed"
done
rm -f "$store" "$store"-wal "$store"-shm
