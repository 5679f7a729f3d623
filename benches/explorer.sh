#!/usr/bin/env bash
# The web explorer's page times: every page type fetched with curl 20 times after one warm-up,
# one request at a time on loopback; prints the median and the slowest of each (milliseconds)
# and the page's size (bytes, uncompressed). Not run by CI or `cargo test`.
#
#   cargo build --bin retex            # or --release, with RETEX_BIN=./target/release/retex
#   ./target/debug/retex generate --seed 42 --out target/bench/national.db \
#       --collectivities-from ../shared/data/decoupage-administratif
#   benches/explorer.sh [store] [runs]
#
# Needs curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-target/bench/national.db}
RUNS=${2:-20}
ADDR=127.0.0.1:${RETEX_BENCH_PORT:-18182}
BIN=${RETEX_BIN:-./target/debug/retex}
SERVER=
trap 'kill "$SERVER" 2>/dev/null || true' EXIT

"$BIN" --log warn --store "$STORE" serve --no-seed --listen "$ADDR" &
SERVER=$!
for _ in $(seq 1 600); do curl -fs "http://$ADDR/health" >/dev/null && break; sleep 0.2; done

# A commune, a proprietary solution with adoption paths and a source, read from the store.
read -r COMMUNE PROPRIETARY SOURCE < <(python3 - "$STORE" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
def one(sql, default):
    row = db.execute(sql).fetchone()
    return row[0].split(":", 1)[1] if row else default
print(
    one("SELECT id FROM collectivities WHERE id = 'collectivity:fr-commune-38421'", "fr-commune-38169"),
    one("SELECT solution_id FROM adoptions a JOIN solutions s ON s.id = a.solution_id "
        "WHERE json_extract(s.doc, '$.kind') = 'PROPRIETARY' GROUP BY solution_id "
        "ORDER BY count(*) DESC LIMIT 1", "microsoft-teams"),
    one("SELECT id FROM sources ORDER BY id LIMIT 1", "interview-vivant-2025"),
)
PY
)

PAGES=(
  "/"
  "/?q=visio"
  "/besoins/video-conferencing"
  "/besoins/video-conferencing?pour=$COMMUNE"
  "/besoins/video-conferencing?qui=saint-martin-d"
  "/solutions/bigbluebutton"
  "/collectivites/$COMMUNE"
  "/parcours/$PROPRIETARY"
  "/sources/"
  "/sources/$SOURCE"
  "/suggestions?qui=Saint-Martin-d"
)
printf '%-55s %9s %9s %9s\n' page median_ms max_ms bytes
for page in "${PAGES[@]}"; do
  url="http://$ADDR$page"
  curl -fs -o /dev/null "$url" # warm-up
  times=()
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -fs -o /dev/null -w '%{time_total}' "$url")")
  done
  bytes=$(curl -fs -o /dev/null -w '%{size_download}' "$url")
  python3 - "$page" "$bytes" "${times[@]}" <<'PY'
import statistics, sys
page, size, times = sys.argv[1], sys.argv[2], [float(t) * 1000 for t in sys.argv[3:]]
print(f"{page:<55} {statistics.median(times):9.1f} {max(times):9.1f} {size:>9}")
PY
done
