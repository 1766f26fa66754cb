#!/usr/bin/env bash
# Builds an index in daily batches and prints, per batch: the add's time,
# the index's size on disk and the add's peak RSS; then the scan of the
# same articles for comparison, a `check --index` of 1,000 articles, and
# whether the export equals the scan.
#
#   scripts/index-bench.sh [ARTICLES] [BATCH] [WORKDIR]
#
# ARTICLES (default 100000) are generated (`wiretrace gen`, seed 1) plus
# one more BATCH (default 10000): the index is built from ARTICLES in
# batches of BATCH, then the last batch is added and timed against a scan
# of all ARTICLES + BATCH. Needs GNU time (/usr/bin/time) for peak RSS.
# Figures are machine-dependent: compare ratios within one run.
set -euo pipefail
N=${1:-100000}
BATCH=${2:-10000}
WORK=${3:-target/index-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/target/release/wiretrace"
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --release -p wiretrace-cli)
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
TOTAL=$((N + BATCH))
CORPUS="$WORK/corpus-$TOTAL"
if [ ! -f "$CORPUS/corpus.jsonl" ]; then
  "$BIN" gen --out "$CORPUS" --articles "$TOTAL" --seed 1 >/dev/null
fi
DAYS="$WORK/days-$TOTAL-$BATCH"
if [ ! -d "$DAYS" ]; then
  mkdir -p "$DAYS"
  split -d -a 4 -l "$BATCH" --additional-suffix=.jsonl "$CORPUS/corpus.jsonl" "$DAYS/day-"
fi
IX="$WORK/index-$TOTAL-$BATCH"
rm -rf "$IX"
measure() { # prints "seconds peak_rss_mb" of the command
  local rc=0
  /usr/bin/time -f '%e %M' -o "$WORK/.time" "$@" >/dev/null 2>"$WORK/.err" || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then cat "$WORK/.err" >&2; echo "failed ($rc): $*" >&2; exit 1; fi
  awk '{printf "%s %.0f\n", $1, $2/1024}' "$WORK/.time"
}
files=("$DAYS"/day-*.jsonl)
last=${files[${#files[@]}-1]}
echo "batch  indexed  add_s  index_MB  bytes/article  add_peak_RSS_MB"
i=0
for f in "${files[@]}"; do
  [ "$f" = "$last" ] && break
  read -r secs rss < <(measure "$BIN" index add "$IX" "$f" -q)
  i=$((i + 1))
  bytes=$(du -sb "$IX" | cut -f1)
  indexed=$((i * BATCH))
  printf "%5d %8d %6s %9.1f %14.0f %16s\n" "$i" "$indexed" "$secs" "$(echo "$bytes/1000000" | bc -l)" \
    "$(echo "$bytes/$indexed" | bc -l)" "$rss"
done
# The batch's own needs: the same batch added to an empty index.
rm -rf "$WORK/empty-ix"
read -r e_secs e_rss < <(measure "$BIN" index add "$WORK/empty-ix" "$last" -q)
rm -rf "$WORK/empty-ix"
# check --index of 1,000 articles of the last batch (not yet indexed).
head -n 1000 "$last" > "$WORK/check-1000.jsonl"
read -r c_secs c_rss < <(measure "$BIN" check --index "$IX" "$WORK/check-1000.jsonl" -q)
read -r a_secs a_rss < <(measure "$BIN" index add "$IX" "$last" -q)
bytes=$(du -sb "$IX" | cut -f1)
read -r s_secs s_rss < <(measure "$BIN" scan "${files[@]}" -q --assignments "$WORK/scan.jsonl" --force)
read -r x_secs x_rss < <(measure "$BIN" index export "$IX" --assignments "$WORK/export.jsonl" --force)
same=$(cmp -s "$WORK/scan.jsonl" "$WORK/export.jsonl" && echo yes || echo NO)
echo
echo "index of $N + $BATCH articles: $(echo "$bytes/1000000" | bc -l | xargs printf '%.1f') MB, $(echo "$bytes/$TOTAL" | bc -l | xargs printf '%.0f') bytes/article"
echo "add of $BATCH to $N:            ${a_secs} s, peak RSS ${a_rss} MB (into an empty index: ${e_secs} s, ${e_rss} MB)"
echo "scan of all $TOTAL:          ${s_secs} s, peak RSS ${s_rss} MB"
echo "add / scan:                       $(echo "$a_secs/$s_secs*100" | bc -l | xargs printf '%.1f')%"
echo "check --index of 1000:            ${c_secs} s, peak RSS ${c_rss} MB"
echo "export:                           ${x_secs} s, peak RSS ${x_rss} MB; export == scan assignments: $same"
