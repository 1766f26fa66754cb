#!/usr/bin/env bash
# Detection quality on real wire text: scans the Reuters dev half
# (../shared/eval/reuters-dev, see its README) with the default settings and
# prints pairwise P/R/F1 and the largest false merges (with headlines).
#
#   scripts/real-eval.sh [--min-f1 F] [-- extra scan flags]
#
# --min-f1 F: exit 1 if pairwise F1 is below F (CI passes the README's
# figure minus 0.02). The corpora are never copied into the repository; in a
# clone without ../shared/eval this script says so and exits 0 unless
# --require is given (then 2).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${WIRETRACE_EVAL_DIR:-../shared/eval}/reuters-dev"
min_f1="" require=0
while [ $# -gt 0 ]; do
  case "$1" in
    --min-f1) min_f1="$2"; shift 2 ;;
    --require) require=1; shift ;;
    --) shift; break ;;
    *) echo "real-eval: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ ! -f "$dir/docs.jsonl" ]; then
  echo "real-eval: $dir/docs.jsonl not found: the evaluation corpora live beside the"
  echo "repository in ../shared/eval (or set WIRETRACE_EVAL_DIR); nothing to measure."
  [ "$require" = 1 ] && exit 2
  exit 0
fi
bin="${WIRETRACE_BIN:-target/release/wiretrace}"
[ -x "$bin" ] || cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" scan "$dir/docs.jsonl" --assignments "$out/pred.jsonl" -q --force "$@"
"$bin" eval --truth "$dir/truth.jsonl" "$out/pred.jsonl" --corpus "$dir/docs.jsonl" | tee "$out/eval.txt"
"$bin" eval --truth "$dir/truth.jsonl" "$out/pred.jsonl" --json > "$out/eval.json"
python3 - "$out/eval.json" "$min_f1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
p = s["pairwise"]
largest = max((m["stories"] for m in s["false_merges"]), default=1)
print(f"\nreuters-dev: P {p['precision']:.4f} R {p['recall']:.4f} F1 {p['f1']:.4f}; "
      f"largest predicted cluster holds {largest} true stories")
if sys.argv[2]:
    floor = float(sys.argv[2])
    if p["f1"] < floor:
        print(f"real-eval: F1 {p['f1']:.4f} is below {floor:.4f}", file=sys.stderr)
        sys.exit(1)
PY
