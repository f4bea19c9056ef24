#!/usr/bin/env bash
# Benchmarks: builds the release binary, prepares a Python venv with
# bm25-jieba (the library a Python developer would reach for instead), then
# runs scripts/bench.py, which prints the table and writes BENCHMARKS.md.
#
#   bash scripts/bench.sh                          # 10k, 100k and 1M articles
#   BENCH_SIZES="10000 100000" bash scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked --workspace

venv=target/bench/venv
if [ ! -x "$venv/bin/python" ]; then
    mkdir -p target/bench
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet bm25-jieba==0.2.2
fi

exec "$venv/bin/python" scripts/bench.py "$@"
