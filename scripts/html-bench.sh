#!/usr/bin/env bash
# The HTML report at scale (issue 19): on the generated corpus
# `gen --articles N --seed 3` (default N = 50000), side by side in one run,
# alternating, ROUNDS times each:
#   scan      scan alone (--assignments)
#   csv       scan + tracing + the CSV report (the tracing cost, smallest writer)
#   html      scan + tracing + the single-file HTML report
#   dir       scan + tracing + --report DIR/ (texts re-read page by page)
# wall seconds and peak RSS of each (GNU time), the report's size, and the
# HTML page opened in headless Chromium: milliseconds until the table is
# shown, a sort over every row, and opening the largest story
# (scripts/html-check.cjs load). Not part of CI; needs chromium and
# playwright-core (scripts/html-check.sh installs both).
#
#   scripts/html-bench.sh [ARTICLES] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50000}
rounds=${2:-2}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --release --quiet -p wiretrace-cli
bin=$CARGO_TARGET_DIR/release/wiretrace
work=${WORK:-$CARGO_TARGET_DIR/html-bench}
mkdir -p "$work"
corpus=$work/g$n/corpus.jsonl
[ -f "$corpus" ] || "$bin" gen --out "$work/g$n" --articles "$n" --seed 3 >/dev/null

run() { # name, args...
    local name=$1; shift
    /usr/bin/time -f "$name %e %M %U %S" -o "$work/time.txt" "$bin" scan -q "$corpus" "$@" --force >/dev/null
    cat "$work/time.txt" >>"$work/times.txt"
}
: >"$work/times.txt"
for _ in $(seq "$rounds"); do
    run scan --assignments "$work/a.jsonl"
    run csv --report "$work/r.csv"
    run html --report "$work/r.html"
    run dir --report "$work/rdir/"
done
echo "corpus: $corpus ($(du -m "$corpus" | cut -f1) MB)"
# The fastest round of each: the machine is shared, and contention only
# ever adds time.
awk '{ if (!($1 in t) || $2 < t[$1]) t[$1] = $2; if ($3 > m[$1]) m[$1] = $3; c = $4 + $5; if (!($1 in u) || c < u[$1]) u[$1] = c }
     END { for (k in t) printf "%-5s  %6.2f s (fastest of the rounds)  %7.0f MB peak RSS\n", k, t[k], m[k] / 1024;
           s = t["scan"];
           printf "report step / scan time: csv %.2fx, html %.2fx, dir %.2fx (report step = run - scan)\n",
             (t["csv"] - s) / s, (t["html"] - s) / s, (t["dir"] - s) / s;
           printf "HTML rendering alone (html - csv): %.2f s = %.2fx the scan\n", t["html"] - t["csv"], (t["html"] - t["csv"]) / s;
           printf "peak RSS / scan: html %.2fx, dir %.2fx\n", m["html"] / m["scan"], m["dir"] / m["scan"];
           # CPU time (user + sys, fewest of the rounds): what other work on a
           # shared machine disturbs least.
           c = u["scan"];
           printf "CPU seconds: scan %.2f, csv %.2f, html %.2f, dir %.2f; report step / scan (CPU): csv %.2fx, html %.2fx, dir %.2fx\n",
             c, u["csv"], u["html"], u["dir"], (u["csv"] - c) / c, (u["html"] - c) / c, (u["dir"] - c) / c }' \
    "$work/times.txt"
echo "html: $(du -m "$work/r.html" | cut -f1) MB ($(stat -c %s "$work/r.html") bytes); dir: $(ls "$work/rdir" | wc -l) files, index $(du -m "$work/rdir/index.html" | cut -f1) MB, largest page $(ls -S "$work/rdir" | head -1) $(du -m "$work/rdir/$(ls -S "$work/rdir" | head -1)" | cut -f1) MB"

pw=${WIRETRACE_PLAYWRIGHT:-$HOME/.cache/wiretrace-browser}
if command -v chromium >/dev/null && [ -d "$pw/node_modules/playwright-core" ]; then
    export NODE_PATH=$pw/node_modules
    for f in r.html rdir/index.html rdir/stories-0001.html "rdir/$(ls -S "$work/rdir" | grep '^stories-' | head -1)"; do
        for _ in 1 2 3; do
            echo "chromium $f: $(node scripts/html-check.cjs load "$work/$f")"
        done
    done
else
    echo "chromium or playwright-core missing: run scripts/html-check.sh once"
fi
