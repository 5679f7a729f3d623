#!/usr/bin/env bash
# Reads never wait behind writers: mixed analysis reads (peers, experience, adoption paths,
# selection advice) through HTTP with wrk, first alone, then with 16 concurrent writers (each
# a loop of createSource mutations with an admin token, about one a second). Prints the read
# throughput of both runs, their ratio, wrk's timeouts and the server's peak RSS.
# Not run by CI or `cargo test`.
#
#   cargo build --release
#   benches/load-mixed.sh [store] [seconds] [connections] [writers]
#
# Without a store, a fresh copy of the seed is used (retex serve loads it).
# RETEX_BENCH_SERVE_ARGS adds serve flags (`--response-cache-mb 0`: every read computed in
# both runs, which isolates the analysis index from the answer cache). Needs wrk
# (Debian: apt-get install wrk), curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-}
SECONDS_RUN=${2:-60}
CONNECTIONS=${3:-256}
WRITERS=${4:-16}
ADDR=127.0.0.1:${RETEX_BENCH_PORT:-18181}
BIN=${RETEX_BIN:-./target/release/retex}
WORK=$(mktemp -d)
SERVER=
trap 'rm -f "$WORK/writing"; kill "$SERVER" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [ -z "$STORE" ]; then
  STORE=$WORK/seed.db
  SEED_ARGS=()
else
  cp "$STORE" "$WORK/store.db"
  STORE=$WORK/store.db
  SEED_ARGS=(--no-seed)
fi

"$BIN" --log warn --store "$STORE" --token-secret bench-secret-0123456789 serve "${SEED_ARGS[@]}" \
  --listen "$ADDR" --writes-per-minute 0 ${RETEX_BENCH_SERVE_ARGS:-} &
SERVER=$!
for _ in $(seq 1 300); do curl -fs "http://$ADDR/health" >/dev/null && break; sleep 0.2; done
TOKEN=$("$BIN" --log warn --store "$STORE" --token-secret bench-secret-0123456789 \
  token create --scope admin --label load-mixed | grep -o 'rtx_[A-Za-z0-9_-]*' | head -1)

# The reads: four analyses, asked in turn for collectivities of the store.
COLLECTIVITIES=$(curl -fs -X POST -H 'Content-Type: application/json' \
  --data '{"query":"{ collectivities(first: 50) { edges { node { id } } } }"}' "http://$ADDR/graphql" |
  python3 -c 'import json,sys; print(" ".join(e["node"]["id"] for e in json.load(sys.stdin)["data"]["collectivities"]["edges"]))')
# shellcheck disable=SC2086
python3 - "$WORK/reads.bodies" $COLLECTIVITIES <<'PY'
import json, sys
queries = [
    '{ peers(of: "@C@", first: 10) { collectivity { id } similarity { score { total } } } }',
    '{ experience(need: "need:video-conferencing", for: "@C@", first: 10) { totalCount solutions { solution { id } score { total } } } }',
    '{ adoptionPaths(from: "solution:microsoft-office", for: "@C@", first: 5) { totalCount paths { alternative { solution { id } score { total } } } } }',
    '{ selectionAdvice(collectivity: "@C@", need: "need:desktop-operating-system") { conclusion steps { kind options { solution { id } } } } }',
]
with open(sys.argv[1], "w") as out:
    for c in sys.argv[2:]:
        for q in queries:
            print(json.dumps({"query": q.replace("@C@", c)}), file=out)
PY
cat >"$WORK/reads.lua" <<LUA
local bodies = {}
for line in io.lines("$WORK/reads.bodies") do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json" }, bodies[i])
end
LUA

writer() { # n
  local n=$1 i=0
  while [ -e "$WORK/writing" ]; do
    i=$((i + 1))
    curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $TOKEN" \
      --data "{\"query\":\"mutation { createSource(input: {id: \\\"source:load-$n-$i-$$\\\", title: \\\"Load $n $i\\\", kind: ARTICLE}) { id } }\"}" \
      "http://$ADDR/graphql" >>"$WORK/writes.$n" || true
    sleep 0.8
  done
}

run() { # label
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --timeout 10s --latency -s "$WORK/reads.lua" \
    "http://$ADDR" >"$WORK/$1.txt"
  local rps timeouts p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.txt")
  timeouts=$(awk '/Socket errors/ {for (i = 1; i <= NF; i++) if ($i == "timeout") print $(i - 1)}' "$WORK/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/$1.txt")
  printf '%-18s %10s req/s   p99 %8s   timeouts %s\n' "$1" "$rps" "$p99" "${timeouts:-0}"
  echo "$rps" >"$WORK/$1.rps"
}

# Warm-up: the first analysis builds the index.
curl -fs -X POST -H 'Content-Type: application/json' --data "$(head -1 "$WORK/reads.bodies")" "http://$ADDR/graphql" >/dev/null
run reads-only
touch "$WORK/writing"
for n in $(seq 1 "$WRITERS"); do writer "$n" & done
run reads-with-writes
rm -f "$WORK/writing"
wait $(jobs -p | grep -v "^$SERVER\$") 2>/dev/null || true
WRITES=$(cat "$WORK"/writes.* | grep -c '^200$' || true)
FAILED=$(cat "$WORK"/writes.* | grep -vc '^200$' || true)
RSS=$(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$SERVER/status")
python3 -c "print(f'reads with writers: {100*float(\"$(cat "$WORK/reads-with-writes.rps")\")/float(\"$(cat "$WORK/reads-only.rps")\"):.1f} % of reads alone')"
echo "writes: $WRITES answered 200 ($((WRITES / SECONDS_RUN))/s), $FAILED other; server peak RSS: $RSS"
