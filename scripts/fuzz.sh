#!/usr/bin/env bash
# The fuzz campaign: every parser that takes outside input (seed YAML, each dataset importer,
# the release watch's feeds, GraphQL requests) fed mutated real samples for a set time, all
# targets at once on their own threads (see tests/fuzz/main.rs).
#
#   scripts/fuzz.sh [seconds-per-target]     # default: $RETEX_FUZZ_SECONDS or 60
#
# Environment: RETEX_FUZZ_SECONDS (time per target), RETEX_FUZZ_TARGETS (comma-separated
# subset), RETEX_FUZZ_SEED, RETEX_FUZZ_PROFILE (cargo profile: dev by default, release for
# more iterations per second). Prints per target: iterations, failures (panics or broken
# properties) and seconds; failing inputs land in target/fuzz-found/<target>/, to be moved to
# tests/fixtures/fuzz/<target>/ (replayed by `cargo test --test fuzz`) once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
export RETEX_FUZZ_SECONDS="${1:-${RETEX_FUZZ_SECONDS:-60}}"
profile="${RETEX_FUZZ_PROFILE:-dev}"
cargo test --profile "$profile" --test fuzz --no-run
cargo test --profile "$profile" --test fuzz -- --ignored --exact campaign --nocapture \
  --test-threads 1
