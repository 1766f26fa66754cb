#!/usr/bin/env bash
# Side-by-side: wiretrace against datasketch, rensa and gaoya on one
# generated corpus, same shingles (word 5-grams), 128 permutations,
# threshold 0.5. Prints one table; see README.md in this directory.
#
#   benches/compare/run.sh [--articles N] [--seed S] [--tools "datasketch rensa gaoya"]
#                          [--work DIR] [--threads N]
#
# Needs: python3 (with venv), /usr/bin/time (GNU time, for peak RSS), cargo.
# Not part of CI: it installs from PyPI and takes minutes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
articles=100000
seed=1
tools="datasketch rensa gaoya"
work=""
threads=""
while [ $# -gt 0 ]; do
    case "$1" in
        --articles) articles="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --tools) tools="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
target="${CARGO_TARGET_DIR:-$root/target}"
work="${work:-$target/compare}"
mkdir -p "$work"
run="$work/run-$articles-s$seed"
mkdir -p "$run"
results="$run/results.jsonl"
: > "$results"

if [ ! -x /usr/bin/time ]; then
    echo "run.sh: /usr/bin/time (GNU time) is needed for peak RSS: apt-get install time" >&2
    exit 2
fi

# 1. wiretrace, release build.
wt="${WIRETRACE:-}"
if [ -z "$wt" ]; then
    (cd "$root" && cargo build --release --quiet)
    wt="$target/release/wiretrace"
fi

# 2. Python environment: check each package downloads as a wheel or sdist
#    for this machine before installing it; go on without the ones that fail.
venv="$work/venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
fi
have=""
for t in $tools; do
    if "$venv/bin/python" -c "import $t" 2>/dev/null; then
        have="$have $t"
    elif "$venv/bin/pip" download --quiet --no-deps -d "$work/wheels" "$t" \
        && "$venv/bin/pip" install --quiet "$t"; then
        have="$have $t"
    else
        echo "run.sh: $t does not install on this machine; going on without it" >&2
        echo "{\"tool\":\"$t\",\"error\":\"does not install\"}" >> "$results"
    fi
done
# datasketch also supplies the LSH parameter choice to compare.py.
"$venv/bin/python" -c "import datasketch" 2>/dev/null \
    || "$venv/bin/pip" install --quiet datasketch
for t in $have; do
    "$venv/bin/python" -c "import importlib.metadata as m; print('$t', m.version('$t'))"
done

# 3. The corpus (deterministic: same articles and seed, same bytes).
corpus_dir="$work/corpus-$articles-s$seed"
if [ ! -s "$corpus_dir/truth.jsonl" ]; then
    "$wt" gen --out "$corpus_dir" --articles "$articles" --seed "$seed" >/dev/null
fi
corpus="$corpus_dir/corpus.jsonl"
truth="$corpus_dir/truth.jsonl"
bytes=$(stat -c %s "$corpus")
echo "corpus: $corpus ($articles articles, $bytes bytes); machine: $(nproc) cores, $(uname -m)"

# 4. Runs. Each one under GNU time for wall seconds and peak RSS, then scored.
run_one() {
    local name="$1"; shift
    local pred="$run/pred-$name.jsonl" tv="$run/time-$name.txt"
    echo "== $name: $*" >&2
    if ! /usr/bin/time -v -o "$tv" "$@" >"$run/out-$name.txt" 2>&1; then
        echo "run.sh: $name failed; see $run/out-$name.txt" >&2
        echo "{\"tool\":\"$name\",\"error\":\"failed\"}" >> "$results"
        return 0
    fi
    "$wt" eval --truth "$truth" "$pred" --json > "$run/eval-$name.json"
    python3 - "$name" "$tv" "$run/eval-$name.json" "$articles" "$bytes" >> "$results" <<'EOF'
import json, sys
name, tv, ev, articles, nbytes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
wall = rss_kb = None
for line in open(tv):
    line = line.strip()
    if line.startswith("Elapsed (wall clock) time"):
        parts = [float(p) for p in line.rsplit(" ", 1)[1].split(":")]
        wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    elif line.startswith("Maximum resident set size"):
        rss_kb = int(line.rsplit(" ", 1)[1])
e = json.load(open(ev))
pw = e["pairwise"]
print(json.dumps({
    "tool": name, "seconds": wall, "articles_per_s": articles / wall,
    "mb_per_s": nbytes / 1e6 / wall, "peak_rss_mb": rss_kb / 1024,
    "precision": pw["precision"], "recall": pw["recall"], "f1": pw["f1"],
    "bcubed_f1": e["bcubed"]["f1"],
}))
EOF
}

py="$venv/bin/python"
for t in $have; do
    run_one "$t" "$py" "$here/compare.py" "$t" "$corpus" "$run/pred-$t.jsonl" \
        --num-perm 128 --threshold 0.5 --ngram 5
done
jobs=()
if [ -n "$threads" ]; then jobs=(--threads "$threads"); fi
run_one "wiretrace-word5" "$wt" scan "$corpus" -q --force "${jobs[@]}" \
    --shingle word:5 --threshold 0.5 --num-perm 128 \
    --assignments "$run/pred-wiretrace-word5.jsonl"
run_one "wiretrace-word5-jaccard-only" "$wt" scan "$corpus" -q --force "${jobs[@]}" \
    --shingle word:5 --threshold 0.5 --num-perm 128 --containment 2 --anchor-containment 0 \
    --assignments "$run/pred-wiretrace-word5-jaccard-only.jsonl"
run_one "wiretrace-defaults" "$wt" scan "$corpus" -q --force "${jobs[@]}" \
    --assignments "$run/pred-wiretrace-defaults.jsonl"

# 5. The table.
python3 - "$results" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
hdr = ["tool", "seconds", "articles/s", "MB/s", "peak RSS MB", "precision", "recall", "F1", "B3 F1"]
print()
print("| " + " | ".join(hdr) + " |")
print("|" + "|".join(["---"] + ["---:"] * (len(hdr) - 1)) + "|")
for r in rows:
    if "error" in r:
        print(f"| {r['tool']} | {r['error']} |" + " |" * (len(hdr) - 2))
        continue
    print(f"| {r['tool']} | {r['seconds']:.2f} | {r['articles_per_s']:,.0f} | {r['mb_per_s']:.1f} "
          f"| {r['peak_rss_mb']:,.0f} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} "
          f"| {r['bcubed_f1']:.3f} |")
EOF
echo
echo "results (JSON lines): $results"
