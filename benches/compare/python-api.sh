#!/usr/bin/env bash
# The Python package's targets, side by side (see python_api.py):
# fingerprint_batch against the CLI's read+fingerprint stage, and
# wiretrace.datasketch against datasketch on the same shingles.
#
#   benches/compare/python-api.sh [--articles N] [--seed S] [-- python_api.py flags]
#
# Builds the CLI (release) and the package into a virtual environment
# ($CARGO_TARGET_DIR/compare/py-api-venv) with datasketch from PyPI, makes
# the corpus with `wiretrace gen` if it is not there, and runs python_api.py.
# Not part of CI: it installs from PyPI and takes minutes (datasketch alone
# takes about 3 minutes for 100,000 articles).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
articles=100000
seed=1
while [ $# -gt 0 ]; do
    case "$1" in
        --articles) articles="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "python-api.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
target="${CARGO_TARGET_DIR:-$root/target}"
work="$target/compare"
mkdir -p "$work"
(cd "$root" && cargo build --release --quiet)
wt="$target/release/wiretrace"
venv="$work/py-api-venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet datasketch
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$root/crates/wiretrace-py"
corpus_dir="$work/corpus-$articles-s$seed"
if [ ! -s "$corpus_dir/corpus.jsonl" ]; then
    "$wt" gen --out "$corpus_dir" --articles "$articles" --seed "$seed" >/dev/null
fi
echo "corpus: $corpus_dir/corpus.jsonl; machine: $(nproc) cores, $(uname -m); commit $(git -C "$root" rev-parse --short HEAD)"
"$venv/bin/python" "$here/python_api.py" "$corpus_dir/corpus.jsonl" --wiretrace "$wt" "$@"
