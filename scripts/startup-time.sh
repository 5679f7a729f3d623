#!/usr/bin/env bash
# Usage: scripts/startup-time.sh target/release/retex [port]. Prints the release binary's start-up
# time from an empty folder (the built-in seed loaded) and again on the store it left.
# Time from exec to the first 200 on /health: a fresh store (seeding), then an existing one.
set -euo pipefail
bin="$(realpath "$1")"; dir="$(mktemp -d)"; port="${2:-18731}"
for run in fresh existing; do
  start=$(date +%s%N)
  (cd "$dir" && RETEX_LOG=warn "$bin" serve --listen "127.0.0.1:$port" >/dev/null 2>&1) &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.005; done
  end=$(date +%s%N)
  echo "$run store: $(( (end - start) / 1000000 )) ms to the first /health 200"
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
done
rm -rf "$dir"
