#!/usr/bin/env python3
"""Input-format throughput, side by side in one run (issue 17).

Scans one corpus as plain JSON Lines, .jsonl.gz and .jsonl.zst, alternating
the three ROUNDS times (the machine is shared: only ratios within one run
mean anything), and reports each one's best wall time, MB/s of decompressed
JSON Lines and its ratio to plain. Then reads HTML pages from a WARC
(`wiretrace read`, main-text extraction included) and reports pages/s.

  python3 scripts/bench-formats.py [CORPUS.jsonl] [--articles N] [--pages N]

Default corpus: target/compare/corpus-100000-s1/corpus.jsonl if present,
else a generated one (wiretrace gen). Needs a release build
(cargo build --release) and the gzip and zstd commands.
"""
import argparse, gzip, html, io, json, os, subprocess, sys, tempfile, time, uuid

ap = argparse.ArgumentParser()
ap.add_argument("corpus", nargs="?")
ap.add_argument("--articles", type=int, default=30000, help="articles of the corpus to scan")
ap.add_argument("--pages", type=int, default=3000, help="HTML pages in the WARC")
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--bin", default="target/release/wiretrace")
a = ap.parse_args()

tmp = tempfile.mkdtemp(prefix="wt-bench-formats-")
src = a.corpus or "target/compare/corpus-100000-s1/corpus.jsonl"
if not os.path.exists(src):
    subprocess.run([a.bin, "gen", "--out", tmp, "--articles", str(a.articles)], check=True, stdout=subprocess.DEVNULL)
    src = os.path.join(tmp, "corpus.jsonl")
plain = os.path.join(tmp, "c.jsonl")
with open(src) as f, open(plain, "w") as out:
    for i, line in enumerate(f):
        if i >= a.articles:
            break
        out.write(line)
size = os.path.getsize(plain)
subprocess.run(f"gzip -6 -k -c {plain} > {plain}.gz", shell=True, check=True)
subprocess.run(["zstd", "-q", "-3", "-k", plain, "-o", plain + ".zst"], check=True)

def run(args):
    t = time.perf_counter()
    r = subprocess.run([a.bin] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t
    if r.returncode not in (0, 1):
        sys.exit(f"{args}: exit {r.returncode}: {r.stderr.decode()[-500:]}")
    return dt

best = {}
for _ in range(a.rounds):
    for name, path in [("jsonl", plain), ("jsonl.gz", plain + ".gz"), ("jsonl.zst", plain + ".zst")]:
        dt = run(["scan", path, "-q"])
        best[name] = min(best.get(name, dt), dt)
print(f"scan of {a.articles} articles ({size/1e6:.1f} MB of JSON Lines), best of {a.rounds}, {os.cpu_count()} cores:")
for name in ["jsonl", "jsonl.gz", "jsonl.zst"]:
    print(f"  {name:<10} {best[name]:6.2f} s  {size/1e6/best[name]:7.1f} MB/s  {best['jsonl']/best[name]*100:5.1f}% of plain")

# HTML pages in a WARC (one gzip member per record, as crawls ship).
pages = io.BytesIO()
n = 0
with open(plain) as f:
    for line in f:
        if n >= a.pages:
            break
        art = json.loads(line)
        paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in art["text"].split("\n") if p.strip())
        body = (f"<!DOCTYPE html><html><head><title>{html.escape(art.get('title',''))}</title>"
                f"<meta property=\"article:published_time\" content=\"{art.get('published','')}\"></head><body>"
                "<nav class=\"menu\"><a>Home</a> <a>World</a> <a>Sport</a></nav>"
                f"<article><h1>{html.escape(art.get('title',''))}</h1>{paras}</article>"
                "<aside class=\"related\"><a>More stories</a></aside><footer>Copyright</footer></body></html>").encode()
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
        head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
                f"WARC-Date: 2024-07-01T00:00:00Z\r\nWARC-Target-URI: {art.get('url','')}\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
        pages.write(gzip.compress(head + http + b"\r\n\r\n", 6))
        n += 1
warc = os.path.join(tmp, "pages.warc.gz")
open(warc, "wb").write(pages.getvalue())
bt = min(run(["read", warc, "-o", os.path.join(tmp, "r.jsonl"), "--force"]) for _ in range(a.rounds))
print(f"WARC of {n} HTML pages ({os.path.getsize(warc)/1e6:.1f} MB gzip): read with extraction {bt:.2f} s, {n/bt:.0f} pages/s")
st = min(run(["scan", warc, "-q"]) for _ in range(a.rounds))
print(f"  scan of the same WARC: {st:.2f} s, {n/st:.0f} pages/s")
