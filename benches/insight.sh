#!/usr/bin/env bash
# Throughput of the insight queries through the HTTP endpoint under load, next to the bare
# /health endpoint in the same run (wrk, 64 connections). Not run by CI or `cargo test`.
#
#   cargo build --release
#   ./target/release/retex generate --seed 42 --out target/bench/national.db \
#       --collectivities-from ../shared/data/decoupage-administratif
#   benches/insight.sh [store] [seconds per endpoint]
#
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-target/bench/national.db}
SECONDS_EACH=${2:-15}
ADDR=127.0.0.1:${RETEX_BENCH_PORT:-18180}
BIN=./target/release/retex
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN" --log warn --store "$STORE" serve --no-seed --listen "$ADDR" &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "http://$ADDR/health" >/dev/null && break; sleep 0.2; done

query() { # name, GraphQL query
  printf '%s' "$2" | python3 -c 'import json,sys; print(json.dumps({"query": sys.stdin.read()}))' >"$WORK/$1.json"
  cat >"$WORK/$1.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$WORK/$1.json"); wrk.body = f:read("*a"); f:close()
LUA
}
query experience '{ experience(need: "need:video-conferencing", for: "collectivity:fr-commune-38169", first: 10) { totalCount solutions { solution { id name kind } counts { adoptions byOutcome { kind count } } peerAdopters score { total parts { name points } } } } }'
query paths '{ adoptionPaths(from: "solution:synthetic-solution-0001", for: "collectivity:fr-commune-38169", first: 10) { totalCount from { solution { id } risk { level } } paths { alternative { solution { id name } link { kind } score { total } } adopters { collectivity { id } outcomeKinds } } walk { edges { from to relation } } } }'
query peers '{ peers(of: "collectivity:fr-commune-38151", need: "need:video-conferencing", first: 10) { collectivity { id name } similarity { score { total parts { name points } } } adoptions { solution { id } status outcomeKinds } } }'
query selection '{ selectionAdvice(collectivity: "collectivity:fr-commune-38151", need: "need:desktop-operating-system") { conclusion steps { kind options { solution { id } score { total } } } } }'

# Warm-up: the first query builds the analysis index.
curl -fs -X POST -H 'Content-Type: application/json' --data @"$WORK/experience.json" "http://$ADDR/graphql" >/dev/null

run() { # label, wrk args...
  local label=$1; shift
  local rps
  rps=$(wrk -t2 -c64 -d"${SECONDS_EACH}s" --latency "$@" | tee "$WORK/$label.txt" | awk '/Requests\/sec/ {print $2}')
  local p50 p99
  p50=$(awk '$1=="50%" {print $2}' "$WORK/$label.txt")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/$label.txt")
  printf '%-18s %10s req/s   p50 %8s   p99 %8s\n' "$label" "$rps" "$p50" "$p99"
  echo "$rps" >"$WORK/$label.rps"
}
run health "http://$ADDR/health"
for q in experience paths peers selection; do
  run "$q" -s "$WORK/$q.lua" "http://$ADDR/graphql"
done
health=$(cat "$WORK/health.rps")
for q in experience paths peers selection; do
  python3 -c "print(f'{\"$q\":<18} {100*float(\"$(cat "$WORK/$q.rps")\")/float(\"$health\"):6.1f} % of /health')"
done
