#!/usr/bin/env bash
# Measures the judged question set (tests/judged/questions.yaml) on the real datasets: imports
# them (`RETEX_SHARED_DATA`, default ../shared/data) into a temporary store, asks every question
# through the GraphQL endpoint, and prints each question's precision@3 and nDCG@5, then the
# means, next to the committed figures (tests/judged/figures.yaml).
#
#   scripts/judged.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --test judged -- --nocapture --test-threads 1 2>&1 \
  | grep -E '^(question|judged|[a-z0-9-]+ \|)|panicked|FAILED|test result'
