#!/usr/bin/env bash
# The answer path at one archive size, this commit beside another, in one run:
# both binaries answer the same questions over the same generated archive,
# alternating rounds so a noisy neighbour hits both alike.
#
#   bash scripts/bench-before-after.sh a7c75d0            # 100,000 articles
#   BENCH_ARTICLES=10000 bash scripts/bench-before-after.sh a7c75d0
#
# Prints one JSON line per round and binary, then the medians of p50 and p99
# and their ratios (after ÷ before).
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: bench-before-after.sh COMMIT}
articles=${BENCH_ARTICLES:-100000}
rounds=${BENCH_ROUNDS:-3}
work=${BENCH_DIR:-target/bench}/before-after
mkdir -p "$work"

cargo build --release --locked --workspace
tree=${BENCH_BEFORE_TREE:-$work/tree-$before}
if [ ! -d "$tree" ]; then
    git worktree add --detach "$tree" "$before"
fi
(cd "$tree" && CARGO_TARGET_DIR="$PWD/target" cargo build --release --locked --workspace)

corpus="$work/corpus-$articles"
if [ ! -f "$corpus/.done" ]; then
    rm -rf "$corpus"
    target/release/union-news-tools gen-corpus --articles "$articles" --out "$corpus" --seed 1
    touch "$corpus/.done"
fi
questions=("$corpus/queries.tsv" tests/data/heldout-members.tsv tests/data/heldout-members-2.tsv
    tests/data/heldout-guangdong.tsv)
if [ -f ../shared/corpus/dev/questions.tsv ]; then
    questions+=(../shared/corpus/dev/questions.tsv)
fi

for side in before after; do
    bin=target/release
    [ "$side" = before ] && bin="$tree/target/release"
    data="$work/data-$side-$articles"
    if [ ! -f "$data/.done" ]; then
        rm -rf "$data"
        "$bin/union-news-bot" --data-dir "$data" ingest "$corpus" >/dev/null
        touch "$data/.done"
    fi
done

results="$work/results-$articles.jsonl"
: > "$results"
for round in $(seq "$rounds"); do
    for side in before after; do
        bin=target/release
        [ "$side" = before ] && bin="$tree/target/release"
        line=$("$bin/union-news-tools" --data-dir "$work/data-$side-$articles" \
            bench answers "${questions[@]}" --rounds 1 2>/dev/null)
        echo "{\"side\":\"$side\",\"round\":$round,${line#\{}" | tee -a "$results"
    done
done

python3 - "$results" "$before" "$articles" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(side, key):
    return statistics.median(r[key] for r in rows if r["side"] == side)
print(f"\n{int(sys.argv[3]):,} articles, {rows[0]['count']} answers a round, median of rounds:")
for key in ("p50_ms", "p99_ms"):
    b, a = med("before", key), med("after", key)
    print(f"  {key}: before ({sys.argv[2]}) {b:.2f}, after {a:.2f}, after/before {a / b:.2f}")
PY
