#!/usr/bin/env bash
# Where the server's CPU goes for one kind of request: the server built with its symbols
# (`--profile profiling`) is loaded by wrk on loopback while `perf record` samples it, then
# the hottest functions are printed (self time, and with their callees). Not run by CI.
#
#   cargo build --profile profiling
#   benches/profile.sh <store> <floor|health|lookup|nested|search|experience|paths|peers> \
#       [computed|kept] [seconds]
#
# Needs wrk, perf (Debian: apt-get install wrk linux-perf) and python3; the report is also
# left in target/profile/<request>-<mode>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:?a store file}
WHAT=${2:?a request name}
MODE=${3:-computed}
SECONDS_EACH=${4:-8}
ADDR=127.0.0.1:${RETEX_BENCH_PORT:-18182}
BIN=${RETEX_BIN:-./target/profiling/retex}
OUT=target/profile
mkdir -p "$OUT"
WORK=$(mktemp -d)
SERVER=
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The request bodies of benches/http.sh.
source benches/requests.sh
write_requests "$WORK" "$STORE"

cache=()
[ "$MODE" = computed ] && cache=(--response-cache-mb 0)
"$BIN" --log warn --store "$STORE" serve --no-seed --listen "$ADDR" "${cache[@]}" &
SERVER=$!
for _ in $(seq 1 300); do curl -fs "http://$ADDR/health" >/dev/null && break; sleep 0.2; done
warm_up "$WORK" "$ADDR"
case $WHAT in
  floor) target=(http://$ADDR/robots.txt) ;;
  health) target=(http://$ADDR/health) ;;
  *) post "$WORK" "$ADDR" "$WHAT" >/dev/null; target=(-s "$WORK/$WHAT.lua" "http://$ADDR/graphql") ;;
esac
wrk -t2 -c64 -d"${SECONDS_EACH}s" "${target[@]}" >"$WORK/wrk.txt" &
WRK=$!
sleep 1
perf record -F 999 -g --call-graph dwarf,16384 -p "$SERVER" -o "$WORK/perf.data" -- sleep "$((SECONDS_EACH - 2))" 2>/dev/null
wait "$WRK"
grep 'Requests/sec' "$WORK/wrk.txt"
report="$OUT/$WHAT-$MODE.txt"
perf report -i "$WORK/perf.data" --no-children --percent-limit 0.7 --stdio -g none 2>/dev/null \
  | grep -v '^#' | grep -v '^$' >"$report.self"
perf report -i "$WORK/perf.data" --children --percent-limit 2 --stdio -g none 2>/dev/null \
  | grep -v '^#' | grep -v '^$' >"$report"
echo "== self time"; head -40 "$report.self"
echo "== with callees"; head -60 "$report"
