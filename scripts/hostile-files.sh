#!/usr/bin/env bash
# Times `union-news-bot ingest` on each hostile file alone (issue 18): wall
# time, peak memory of the whole process tree (the reader child included),
# what it said, and how many articles were stored (should be 0).
# Usage: scripts/hostile-files.sh [BIN_DIR]   (default target/release)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin/union-news-tools" hostile "$dir/files" >/dev/null
printf '%-16s %8s %10s %8s  %s\n' file seconds peak_MB stored said
for file in "$dir"/files/*; do
  data="$dir/data-$(basename "$file")"
  mkdir -p "$data"
  out=$( { /usr/bin/time -f '%e %M' "$bin/union-news-bot" --data-dir "$data" ingest "$file" 2>&1; } || true)
  said=$(printf '%s\n' "$out" | grep -E '跳过|新增' | head -1 | sed 's/^.*: //' | cut -c1-60)
  read -r seconds kb < <(printf '%s\n' "$out" | tail -1)
  stored=$(PAGES_DIR=/nonexistent "$bin/union-news-bot" --data-dir "$data" stats | sed -n 's/^报道：\([0-9]*\).*/\1/p')
  printf '%-16s %8s %10s %8s  %s\n' "$(basename "$file")" "$seconds" "$((kb / 1024))" "$stored" "$said"
done
