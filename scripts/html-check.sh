#!/usr/bin/env bash
# Opens the HTML report of a small hostile corpus in headless Chromium
# (Debian's package, and playwright-core from npm to drive it; both
# installed if missing) and checks what an editor does with it: the table
# is drawn, copy URLs are links (http(s) only, rel="noreferrer nofollow"),
# sorting and filters work by keyboard, a story opens with its timeline and
# legend, its side-by-side view shows the shared passages highlighted, the
# payloads in the articles render as text, and no request leaves the page.
# Then takes the screenshot of the demo corpus's report (outlet view and
# table). Not part of CI; needs root for apt-get and the npm registry.
#
#   scripts/html-check.sh [SCREENSHOT.png]   (default: docs/report.png)
set -euo pipefail
cd "$(dirname "$0")/.."
shot=${1:-docs/report.png}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}

if ! command -v chromium >/dev/null; then
    apt-get update && apt-get install -y --no-install-recommends chromium
fi
# playwright-core (no browser download: it drives Debian's chromium).
pw=${WIRETRACE_PLAYWRIGHT:-$HOME/.cache/wiretrace-browser}
if [ ! -d "$pw/node_modules/playwright-core" ]; then
    mkdir -p "$pw" && (cd "$pw" && npm init -y >/dev/null && npm install --no-audit --no-fund playwright-core@1 >/dev/null)
fi
export NODE_PATH=$pw/node_modules
cargo build --quiet
bin=$CARGO_TARGET_DIR/debug/wiretrace

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The seed story (original, verbatim republication, excerpt) plus the hostile corpus.
cat testdata/lineage/seeds-originals.jsonl testdata/lineage/seeds-corpus.jsonl \
    testdata/lineage/hostile.jsonl >"$work/corpus.jsonl"
"$bin" scan -q "$work/corpus.jsonl" --report "$work/report.html"

fail=0
node scripts/html-check.cjs check "$work/report.html" || fail=1
# The same as a directory report: index, pages, a story found on its page.
"$bin" scan -q "$work/corpus.jsonl" --report "$work/dir/"
node scripts/html-check.cjs dir "$work/dir/index.html" || fail=1

# The screenshot: the demo corpus's report, outlet view and table.
"$bin" scan -q testdata/demo/corpus.jsonl --report "$work/demo.html"
node scripts/html-check.cjs shot "$work/demo.html" "$work/shot.png"
mkdir -p "$(dirname "$shot")"
cp "$work/shot.png" "$shot"
echo "screenshot: $shot ($(wc -c <"$shot") bytes)"
exit $fail
