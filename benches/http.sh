#!/usr/bin/env bash
# Every request of the speed targets as a share of the HTTP floor measured in the same run:
# the floor is a route that touches nothing (`/robots.txt`, a static answer), then `/health`,
# a lookup, a nested query, a search and the three analyses, each computed for every request
# from the store (`--response-cache-mb 0 --node-cache-entries 0`), computed from the nodes kept
# by earlier requests (`--response-cache-mb 0`: nodes read at this store revision are kept) and
# kept (the default: the same request repeated is answered from its bytes). wrk, 2 threads, 64
# connections, on loopback. Not run by CI or `cargo test`.
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
WORK=$(mktemp -d)
SERVER=
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

start_server() { # extra serve arguments...
  "$BIN" --log warn --store "$STORE" serve --no-seed --listen "$ADDR" "$@" &
  SERVER=$!
  for _ in $(seq 1 300); do curl -fs "http://$ADDR/health" >/dev/null && break; sleep 0.2; done
  # The first analysis builds the index: wait for it before measuring.
  warm_up "$WORK" "$ADDR"
}
stop_server() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}

source benches/requests.sh
write_requests "$WORK" "$STORE"

run() { # label, wrk args...
  local label=$1; shift
  wrk -t2 -c64 -d"${SECONDS_EACH}s" --latency "$@" >"$WORK/$label.txt"
  awk '/Requests\/sec/ {print $2}' "$WORK/$label.txt" >"$WORK/$label.rps"
  awk '$1=="50%" {print $2}' "$WORK/$label.txt" >"$WORK/$label.p50"
  awk '$1=="99%" {print $2}' "$WORK/$label.txt" >"$WORK/$label.p99"
  if grep -q "Non-2xx" "$WORK/$label.txt"; then echo "warning: $label had non-2xx answers" >&2; fi
}

echo "== computed (--response-cache-mb 0 --node-cache-entries 0)" >&2
start_server --response-cache-mb 0 --node-cache-entries 0
for q in $QUERIES; do post "$WORK" "$ADDR" "$q" | grep -q '"errors"' && echo "warning: $q answers errors" >&2; done
run floor "http://$ADDR/robots.txt"
run health "http://$ADDR/health"
for q in $QUERIES; do run "$q" -s "$WORK/$q.lua" "http://$ADDR/graphql"; done
stop_server

echo "== computed from kept nodes (--response-cache-mb 0)" >&2
start_server --response-cache-mb 0
run floor-nodes "http://$ADDR/robots.txt"
for q in $QUERIES; do run "$q-nodes" -s "$WORK/$q.lua" "http://$ADDR/graphql"; done
stop_server

echo "== kept (default)" >&2
start_server
for q in $QUERIES; do post "$WORK" "$ADDR" "$q" >/dev/null; done
run floor-kept "http://$ADDR/robots.txt"
for q in $QUERIES; do run "$q-kept" -s "$WORK/$q.lua" "http://$ADDR/graphql"; done
stop_server

python3 - "$WORK" $QUERIES <<'PY'
import sys, pathlib
work = pathlib.Path(sys.argv[1]); queries = sys.argv[2:]
read = lambda name: (work / name).read_text().strip() if (work / name).exists() else "-"
floor = float(read("floor.rps"))
floor_nodes = float(read("floor-nodes.rps"))
floor_kept = float(read("floor-kept.rps"))
print(f"floor (/robots.txt): {floor:,.0f} req/s in the computed run, {floor_nodes:,.0f} in the kept-nodes run, {floor_kept:,.0f} in the kept run")
print()
print("| request | computed req/s | p50 | p99 | share | from kept nodes req/s | p50 | p99 | share | kept req/s | p50 | p99 | share |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
h = float(read("health.rps"))
print(f"| `/health` | {h:,.0f} | {read('health.p50')} | {read('health.p99')} | {h/floor:.2f} | | | | | | | | |")
def cells(name, base):
    r = float(read(f"{name}.rps"))
    return f"{r:,.0f} | {read(name+'.p50')} | {read(name+'.p99')} | {r/base:.2f}"
for q in queries:
    print(f"| {q} | {cells(q, floor)} | {cells(q+'-nodes', floor_nodes)} | {cells(q+'-kept', floor_kept)} |")
PY
