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
SERVER=
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Two servers in turn on the same store: first with answers not kept (--response-cache-mb 0),
# so every request computes its answer (the same query repeated: the analysis, GraphQL
# execution and serialisation); then with the default answer cache, each query asked for 200
# different collectivities in turn (popular questions: the first asking of each computes it).
start_server() { # extra serve arguments...
  "$BIN" --log warn --store "$STORE" serve --no-seed --listen "$ADDR" "$@" &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "http://$ADDR/health" >/dev/null && break; sleep 0.2; done
}
stop_server() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}

# query name template: the GraphQL query with @C@ where a collectivity id goes.
template() {
  printf '%s' "$2" >"$WORK/$1.template"
}
template experience '{ experience(need: "need:video-conferencing", for: "@C@", first: 10) { totalCount solutions { solution { id name kind } counts { adoptions byOutcome { kind count } } peerAdopters score { total parts { name points } } } } }'
template paths '{ adoptionPaths(from: "solution:synthetic-solution-0001", for: "@C@", first: 10) { totalCount from { solution { id } risk { level } } paths { alternative { solution { id name } link { kind } score { total } } adopters { collectivity { id } outcomeKinds } } walk { edges { from to relation } } } }'
template peers '{ peers(of: "@C@", need: "need:video-conferencing", first: 10) { collectivity { id name } similarity { score { total parts { name points } } } adoptions { solution { id } status outcomeKinds } } }'
template selection '{ selectionAdvice(collectivity: "@C@", need: "need:desktop-operating-system") { conclusion steps { kind options { solution { id } score { total } } } } }'

# bodies name collectivity...: one JSON request body per line.
bodies() {
  local name=$1; shift
  python3 - "$WORK/$name.template" "$@" >"$WORK/$name.bodies" <<'PY'
import json, sys
template = open(sys.argv[1]).read()
for c in sys.argv[2:]:
    print(json.dumps({"query": template.replace("@C@", c)}))
PY
  cat >"$WORK/$name.lua" <<LUA
local bodies = {}
for line in io.lines("$WORK/$name.bodies") do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, bodies[i])
end
LUA
}

run() { # label, wrk args...
  local label=$1; shift
  local rps
  rps=$(wrk -t2 -c64 -d"${SECONDS_EACH}s" --latency "$@" | tee "$WORK/$label.txt" | awk '/Requests\/sec/ {print $2}')
  local p50 p99
  p50=$(awk '$1=="50%" {print $2}' "$WORK/$label.txt")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/$label.txt")
  printf '%-24s %10s req/s   p50 %8s   p99 %8s\n' "$label" "$rps" "$p50" "$p99"
  echo "$rps" >"$WORK/$label.rps"
}
QUERIES="experience paths peers selection"

echo "== answers computed for every request (--response-cache-mb 0)"
start_server --response-cache-mb 0
for q in $QUERIES; do
  bodies "$q" "collectivity:fr-commune-38169"
done
# Warm-up: the first query builds the analysis index.
curl -fs -X POST -H 'Content-Type: application/json' --data "$(head -1 "$WORK/experience.bodies")" "http://$ADDR/graphql" >/dev/null
run health "http://$ADDR/health"
for q in $QUERIES; do
  run "$q" -s "$WORK/$q.lua" "http://$ADDR/graphql"
done
COMMUNES=$(curl -fs -X POST -H 'Content-Type: application/json' \
  --data '{"query":"{ collectivities(filter: {kind: [COMMUNE]}, sort: NAME, first: 100) { edges { node { id } } } }"}' \
  "http://$ADDR/graphql" | python3 -c 'import json,sys; print(" ".join(e["node"]["id"] for e in json.load(sys.stdin)["data"]["collectivities"]["edges"]))')
stop_server

echo "== answers kept per revision (default), 100 collectivities in turn"
start_server
curl -fs -X POST -H 'Content-Type: application/json' --data "$(head -1 "$WORK/experience.bodies")" "http://$ADDR/graphql" >/dev/null
run health-kept "http://$ADDR/health"
for q in $QUERIES; do
  # shellcheck disable=SC2086
  bodies "$q" $COMMUNES
  run "$q-kept" -s "$WORK/$q.lua" "http://$ADDR/graphql"
done
stop_server

echo "== share of /health in the same server"
for q in $QUERIES; do
  python3 -c "print(f'{\"$q\":<24} {100*float(\"$(cat "$WORK/$q.rps")\")/float(\"$(cat "$WORK/health.rps")\"):6.1f} % computed   {100*float(\"$(cat "$WORK/$q-kept.rps")\")/float(\"$(cat "$WORK/health-kept.rps")\"):6.1f} % kept')"
done
