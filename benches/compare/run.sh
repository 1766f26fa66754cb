#!/usr/bin/env bash
# Side-by-side: wiretrace against datasketch, rensa and gaoya on one
# generated corpus, same shingles (word 5-grams), 128 permutations,
# threshold 0.5. Prints one table; see README.md in this directory.
#
#   benches/compare/run.sh [--articles N] [--seed S] [--tools "datasketch rensa gaoya"]
#                          [--work DIR] [--threads N] [--repeat N]
#
# Each tool runs --repeat times (default 3), the tools taking turns round
# by round; the table gives each tool's best and median seconds.
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
repeat=3
while [ $# -gt 0 ]; do
    case "$1" in
        --articles) articles="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --tools) tools="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
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
#    A 2-second run on a shared machine moves by 5-10% from one run to the
#    next (outside load, and a run that needs both cores loses more to it
#    than one that runs on one), so every tool runs `repeat` times, in
#    turns, and the table gives the best and the median of each.
round=1
run_one() {
    local name="$1"; shift
    local pred="$run/pred-$name.jsonl" tv="$run/time-$name-$round.txt"
    echo "== $name (run $round of $repeat): $*" >&2
    if ! /usr/bin/time -v -o "$tv" "$@" >"$run/out-$name.txt" 2>&1; then
        echo "run.sh: $name failed; see $run/out-$name.txt" >&2
        echo "{\"tool\":\"$name\",\"error\":\"failed\"}" >> "$results"
        return 0
    fi
    "$wt" eval --truth "$truth" "$pred" --json > "$run/eval-$name.json"
    python3 - "$name" "$tv" "$run/eval-$name.json" "$articles" "$bytes" "$round" >> "$results" <<'EOF'
import json, sys
name, tv, ev, articles, nbytes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
run = int(sys.argv[6])
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
    "tool": name, "run": run, "seconds": wall, "articles_per_s": articles / wall,
    "mb_per_s": nbytes / 1e6 / wall, "peak_rss_mb": rss_kb / 1024,
    "precision": pw["precision"], "recall": pw["recall"], "f1": pw["f1"],
    "bcubed_f1": e["bcubed"]["f1"],
}))
EOF
}

py="$venv/bin/python"
jobs=()
if [ -n "$threads" ]; then jobs=(--threads "$threads"); fi
for round in $(seq 1 "$repeat"); do
    for t in $have; do
        run_one "$t" "$py" "$here/compare.py" "$t" "$corpus" "$run/pred-$t.jsonl" \
            --num-perm 128 --threshold 0.5 --ngram 5
    done
    run_one "wiretrace-word5" "$wt" scan "$corpus" -q --force "${jobs[@]}" \
        --shingle word:5 --threshold 0.5 --num-perm 128 \
        --assignments "$run/pred-wiretrace-word5.jsonl"
    run_one "wiretrace-word5-jaccard-only" "$wt" scan "$corpus" -q --force "${jobs[@]}" \
        --shingle word:5 --threshold 0.5 --num-perm 128 --containment 2 --anchor-containment 0 \
        --assignments "$run/pred-wiretrace-word5-jaccard-only.jsonl"
    run_one "wiretrace-defaults" "$wt" scan "$corpus" -q --force "${jobs[@]}" \
        --assignments "$run/pred-wiretrace-defaults.jsonl"
done

# 5. The table: per tool, the best and the median of its runs' seconds
#    (rates from the best), the largest peak RSS, and the scores (each tool
#    is deterministic, so they are the same in every run; a difference is
#    flagged), then wiretrace's speed against each other tool's.
python3 - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
tools, runs, errors = [], {}, {}
for r in rows:
    if r["tool"] not in tools:
        tools.append(r["tool"])
    if "error" in r:
        errors.setdefault(r["tool"], r["error"])
    else:
        runs.setdefault(r["tool"], []).append(r)
hdr = ["tool", "best s", "median s", "runs (s)", "articles/s", "MB/s", "peak RSS MB",
       "precision", "recall", "F1", "B3 F1"]
print()
print("| " + " | ".join(hdr) + " |")
print("|" + "|".join(["---"] + ["---:"] * (len(hdr) - 1)) + "|")
times = {}
for t in tools:
    rs = runs.get(t, [])
    if not rs:
        print(f"| {t} | {errors.get(t, 'failed')} |" + " |" * (len(hdr) - 2))
        continue
    secs = [r["seconds"] for r in rs]
    b = min(rs, key=lambda r: r["seconds"])
    times[t] = (b["seconds"], statistics.median(secs))
    same = len({(r["precision"], r["recall"], r["f1"]) for r in rs}) == 1
    flag = "" if same else " (scores differ between runs)"
    print(f"| {t}{flag} | {b['seconds']:.2f} | {statistics.median(secs):.2f} "
          f"| {', '.join(f'{s:.2f}' for s in secs)} "
          f"| {b['articles_per_s']:,.0f} | {b['mb_per_s']:.1f} "
          f"| {max(r['peak_rss_mb'] for r in rs):,.0f} | {b['precision']:.3f} "
          f"| {b['recall']:.3f} | {b['f1']:.3f} | {b['bcubed_f1']:.3f} |")
print()
for other in [t for t in times if not t.startswith("wiretrace")]:
    for w in [t for t in times if t.startswith("wiretrace")]:
        (ob, om), (wb, wm) = times[other], times[w]
        print(f"{w} against {other}: {ob / wb:.1f}x best against best, "
              f"{om / wm:.1f}x median against median")
EOF
echo
echo "results (JSON lines): $results"
