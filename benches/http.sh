#!/usr/bin/env bash
# Every request of the speed targets as a share of the HTTP floor measured in the same run:
# the floor is a route that touches nothing (`/robots.txt`, a static answer), then `/health`,
# a lookup, a nested query, a search and the three analyses, each computed for every request
# (`--response-cache-mb 0`) and kept (the default: the same request repeated is answered from
# its bytes). wrk, 2 threads, 64 connections, on loopback. Not run by CI or `cargo test`.
#
#   cargo build --release
#   ./target/release/retex generate --seed 42 --out target/bench/national.db \
#       --collectivities-from ../shared/data/decoupage-administratif
#   benches/http.sh [store] [seconds per request]
#
# Needs wrk (Debian: apt-get install wrk) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-target/bench/national.db}
SECONDS_EACH=${2:-8}
ADDR=127.0.0.1:${RETEX_BENCH_PORT:-18181}
BIN=${RETEX_BIN:-./target/release/retex}
FOR=${RETEX_BENCH_FOR:-collectivity:fr-commune-38169}
WORK=$(mktemp -d)
SERVER=
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

start_server() { # extra serve arguments...
  "$BIN" --log warn --store "$STORE" serve --no-seed --listen "$ADDR" "$@" &
  SERVER=$!
  for _ in $(seq 1 300); do curl -fs "http://$ADDR/health" >/dev/null && break; sleep 0.2; done
  # The first analysis builds the index: wait for it before measuring.
  post experience >/dev/null
}
stop_server() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}

# name query: one request body per name.
query() {
  python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$2" >"$WORK/$1.json"
  cat >"$WORK/$1.lua" <<LUA
local f = io.open("$WORK/$1.json"); local body = f:read("*a"); f:close()
request = function()
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
LUA
}
post() { curl -fs -X POST -H 'Content-Type: application/json' --data @"$WORK/$1.json" "http://$ADDR/graphql"; }

SOLUTION=$(python3 - "$STORE" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
# A typical solution (20 to 100 adoptions), not the most adopted one: paging over the 43,000
# adoptions of the largest synthetic solution costs far more (reported apart in the README).
row = db.execute("SELECT solution_id FROM adoptions GROUP BY solution_id HAVING count(*) BETWEEN 20 AND 100 ORDER BY solution_id LIMIT 1").fetchone()
print(row[0] if row else "solution:bigbluebutton")
PY
)
query lookup '{ solution(id: "solution:bigbluebutton") { id name licence kind } }'
query nested "{ solution(id: \"$SOLUTION\") { adoptions(first: 20) { edges { node { status collectivity { name population } outcomes { kind date } } } } } }"
query search '{ search(text: "visio") { kind label } }'
query experience "{ experience(need: \"need:video-conferencing\", for: \"$FOR\", first: 10) { totalCount solutions { solution { id name kind } counts { adoptions } peerAdopters score { total parts { name points } } } } }"
query paths "{ adoptionPaths(from: \"solution:microsoft-teams\", for: \"$FOR\", first: 10) { totalCount paths { alternative { solution { id name } score { total } } adopters { collectivity { id } outcomeKinds } } } }"
query peers "{ peers(of: \"$FOR\", need: \"need:video-conferencing\", first: 10) { collectivity { id name } similarity { score { total } } adoptions { solution { id } status outcomeKinds } } }"
QUERIES="lookup nested search experience paths peers"

run() { # label, wrk args...
  local label=$1; shift
  wrk -t2 -c64 -d"${SECONDS_EACH}s" --latency "$@" >"$WORK/$label.txt"
  awk '/Requests\/sec/ {print $2}' "$WORK/$label.txt" >"$WORK/$label.rps"
  awk '$1=="50%" {print $2}' "$WORK/$label.txt" >"$WORK/$label.p50"
  awk '$1=="99%" {print $2}' "$WORK/$label.txt" >"$WORK/$label.p99"
  if grep -q "Non-2xx" "$WORK/$label.txt"; then echo "warning: $label had non-2xx answers" >&2; fi
}

echo "== computed (--response-cache-mb 0)" >&2
start_server --response-cache-mb 0
for q in $QUERIES; do post "$q" | grep -q '"errors"' && echo "warning: $q answers errors" >&2; done
run floor "http://$ADDR/robots.txt"
run health "http://$ADDR/health"
for q in $QUERIES; do run "$q" -s "$WORK/$q.lua" "http://$ADDR/graphql"; done
stop_server

echo "== kept (default)" >&2
start_server
for q in $QUERIES; do post "$q" >/dev/null; done
run floor-kept "http://$ADDR/robots.txt"
for q in $QUERIES; do run "$q-kept" -s "$WORK/$q.lua" "http://$ADDR/graphql"; done
stop_server

python3 - "$WORK" $QUERIES <<'PY'
import sys, pathlib
work = pathlib.Path(sys.argv[1]); queries = sys.argv[2:]
read = lambda name: (work / name).read_text().strip() if (work / name).exists() else "-"
floor = float(read("floor.rps"))
floor_kept = float(read("floor-kept.rps"))
print(f"floor (/robots.txt): {floor:,.0f} req/s in the computed run, {floor_kept:,.0f} in the kept run")
print()
print("| request | computed req/s | p50 | p99 | share of the floor | kept req/s | p50 | p99 | share of the floor |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
h = float(read("health.rps"))
print(f"| `/health` | {h:,.0f} | {read('health.p50')} | {read('health.p99')} | {h/floor:.2f} | | | | |")
for q in queries:
    c = float(read(f"{q}.rps")); k = float(read(f"{q}-kept.rps"))
    print(f"| {q} | {c:,.0f} | {read(q+'.p50')} | {read(q+'.p99')} | {c/floor:.2f} | {k:,.0f} | {read(q+'-kept.p50')} | {read(q+'-kept.p99')} | {k/floor_kept:.2f} |")
PY
