#!/usr/bin/env bash
# Seeds the fuzz corpora: the readers' targets from the testkit's seeds
# (Word files, web pages, PDFs, encoded text, pastes, pages, fetched
# responses: union_news_testkit::fuzz_seeds), message_reply from the
# held-out questions and the shipped pages.
# Run from anywhere; corpora go to fuzz/corpus/<target>/ (not committed),
# or to DIR/<target>/ with `seed.sh DIR`.
set -euo pipefail
cd "$(dirname "$0")"
corpus="$(mkdir -p "${1:-corpus}" && cd "${1:-corpus}" && pwd)"
cargo run -q --locked --manifest-path ../Cargo.toml -p union-news-testkit \
  --example fuzz_seeds -- "$corpus"
mkdir -p "$corpus/message_reply" "$corpus/html_render"
n=0
seed() { # seed <sender byte> <text>
  n=$((n + 1))
  { printf "\\x$(printf %02x "$1")"; printf '%s' "$2"; } > "$corpus/message_reply/seed-$n"
}
# Questions as members (sender byte 2) and as a member paging (3).
while IFS=$'\t' read -r _id _kind question _rest; do
  [[ -z "$question" || "$question" == query ]] && continue
  seed 2 "$question"
  seed 3 "$question"
done < ../tools/tests/heldout-questions.tsv
for command in "/start" "/help" "/city 湛江" "/city zhanjiang" "/city 吴川" "/latest" \
  "/subscribe 湛江" "/unsubscribe 湛江" "/subscriptions" "/article 1a2b3c4d" "/delete 1a2b3c4d"; do
  seed 2 "$command"
  seed 0 "$command"
done
# Pushes by an admin (sender byte 1): each shipped page.
for page in ../data/pages/*.md; do
  seed 1 "/push
$(cat "$page")"
done
echo "seeded $corpus: $(ls "$corpus/message_reply" | wc -l) messages"
