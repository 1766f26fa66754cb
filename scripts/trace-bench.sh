#!/usr/bin/env bash
# Lineage tracing, two (or more) binaries side by side (issue 19): on the
# generated corpus `gen --articles N --seed 3`, alternating the binaries
# ROUNDS times, each runs the scan alone (--assignments) and the scan with
# the CSV report (tracing + the smallest writer). Prints the fastest wall
# time and the fewest CPU seconds (user + sys, what other work on a shared
# machine disturbs least) of each, and the report step (run - scan) over
# the scan. Build the old binary first and copy it aside, for example:
#
#   git stash; cargo build --release; cp target/release/wiretrace /tmp/wt-old; git stash pop
#   cargo build --release
#   scripts/trace-bench.sh 50000 3 /tmp/wt-old target/release/wiretrace
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1; rounds=$2; shift 2
work=${WORK:-${CARGO_TARGET_DIR:-$PWD/target}/html-bench}
mkdir -p "$work"
corpus=$work/g$n/corpus.jsonl
[ -f "$corpus" ] || "$1" gen --out "$work/g$n" --articles "$n" --seed 3 >/dev/null
times=$work/trace-times.txt
: >"$times"
for _ in $(seq "$rounds"); do
    for b in "$@"; do
        /usr/bin/time -f "$b scan %e %U %S" -a -o "$times" "$b" scan -q "$corpus" --assignments "$work/t.jsonl" --force
        /usr/bin/time -f "$b csv %e %U %S" -a -o "$times" "$b" scan -q "$corpus" --report "$work/t.csv" --force
    done
done
awk '{ k = $1 " " $2; c = $4 + $5
       if (!(k in t) || $3 < t[k]) t[k] = $3; if (!(k in u) || c < u[k]) u[k] = c; b[$1] = 1 }
     END { for (x in b) printf "%s\n  scan %.2f s (%.2f s CPU), scan + CSV report %.2f s (%.2f s CPU); report step / scan: %.2fx wall, %.2fx CPU\n",
             x, t[x " scan"], u[x " scan"], t[x " csv"], u[x " csv"],
             (t[x " csv"] - t[x " scan"]) / t[x " scan"], (u[x " csv"] - u[x " scan"]) / u[x " scan"] }' "$times"
