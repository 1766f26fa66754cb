#!/usr/bin/env bash
# Renders the HTML report of a small hostile corpus in headless Chromium
# (Debian's package, installed if missing), takes a screenshot, and checks
# that the payloads in the articles render as text: no injected elements,
# and no request leaves the page. Not part of CI; needs root for apt-get.
#
#   scripts/html-check.sh [SCREENSHOT.png]   (default: docs/report.png)
set -euo pipefail
cd "$(dirname "$0")/.."
shot=${1:-docs/report.png}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}

if ! command -v chromium >/dev/null; then
    apt-get update && apt-get install -y --no-install-recommends chromium
fi
cargo build --quiet
bin=$CARGO_TARGET_DIR/debug/wiretrace

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The seed story (original, verbatim republication, excerpt) plus the hostile corpus.
cat testdata/lineage/seeds-originals.jsonl testdata/lineage/seeds-corpus.jsonl \
    testdata/lineage/hostile.jsonl >"$work/corpus.jsonl"
"$bin" scan -q "$work/corpus.jsonl" --report "$work/report.html"

chrome() {
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$(mktemp -d -p "$work")" "$@"
}

# Open every <details> so the side-by-side views are in the DOM dump and the shot.
sed 's/<details>/<details open>/' "$work/report.html" >"$work/open.html"
chrome --virtual-time-budget=3000 --dump-dom "file://$work/open.html" >"$work/dom.html" \
    2>"$work/chrome.log"
# The shot opens the first side-by-side view to show the highlighted passages.
sed '0,/<details>/s//<details open>/' "$work/report.html" >"$work/first.html"
chrome --window-size=1280,1500 --hide-scrollbars --screenshot="$work/shot.png" \
    "file://$work/first.html" 2>>"$work/chrome.log"

fail=0
check() { if ! grep -qF -- "$2" "$work/dom.html"; then echo "FAIL: $1"; fail=1; else echo "ok:   $1"; fi; }
reject() { if grep -qF -- "$2" "$work/dom.html"; then echo "FAIL: $1"; fail=1; else echo "ok:   $1"; fi; }
check  "<script> payload shows as text"      "&lt;script&gt;alert('t')&lt;/script&gt;"
check  "attribute break-out shows as text"   "\"&gt;&lt;img src=x onerror=alert(1)&gt;"
reject "no injected <img> element"           "<img"
check  "table filter script ran"             "copies shown"
scripts=$(grep -o "<script" "$work/dom.html" | wc -l)
[ "$scripts" -eq 1 ] && echo "ok:   one script element (the page's own)" || { echo "FAIL: $scripts script elements"; fail=1; }
if grep -iE "console|Uncaught|net::|Refused" "$work/chrome.log" | grep -v -iE "dbus|gpu|sandbox|crashpad|fontconfig"; then
    echo "FAIL: console errors or blocked requests (above)"; fail=1
else
    echo "ok:   no console errors or requests in the Chromium log"
fi

mkdir -p "$(dirname "$shot")"
cp "$work/shot.png" "$shot"
echo "screenshot: $shot ($(wc -c <"$shot") bytes)"
exit $fail
