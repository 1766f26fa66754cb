#!/usr/bin/env python3
"""Input-format throughput, side by side in one run (issue 17).

Scans one corpus as plain JSON Lines, .jsonl.gz and .jsonl.zst, alternating
the three ROUNDS times (the machine is shared: only ratios within one run
mean anything), and reports each one's best wall time, MB/s of decompressed
JSON Lines and its ratio to plain. Then reads HTML pages from a WARC
(`wiretrace read`, main-text extraction included) and reports pages/s.

  python3 scripts/bench-formats.py [CORPUS.jsonl] [--articles N] [--pages N]
      [--against OLD_BINARY] [--scan-arg=--no-lede]

With --against, the scans alternate the two binaries as well (the same
rounds) and a second table gives each one's best wall time, least CPU time
(user + sys: what a loaded machine disturbs least) and peak RSS, per input.

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
ap.add_argument("--against", help="another wiretrace binary to compare, side by side")
ap.add_argument("--scan-arg", action="append", default=[], help="extra argument of every scan")
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

def measure(binary, args):
    """Wall seconds, CPU seconds (user + sys) and peak RSS (MB) of one run."""
    t = time.perf_counter()
    p = subprocess.Popen([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{binary} {args}: exit {code}: {err.decode()[-500:]}")
    return dt, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024

def run(args):
    return measure(a.bin, args)[0]

inputs = [("jsonl", plain), ("jsonl.gz", plain + ".gz"), ("jsonl.zst", plain + ".zst")]
bins = [("this", a.bin)] + ([("against", a.against)] if a.against else [])
best, side = {}, {}
for _ in range(a.rounds):
    for label, binary in bins:
        for name, path in inputs:
            w, c, m = measure(binary, ["scan", path, "-q"] + a.scan_arg)
            if label == "this":
                best[name] = min(best.get(name, w), w)
            o = side.setdefault((label, name), [w, c, m])
            side[(label, name)] = [min(o[0], w), min(o[1], c), max(o[2], m)]
print(f"scan of {a.articles} articles ({size/1e6:.1f} MB of JSON Lines), best of {a.rounds}, {os.cpu_count()} cores:")
for name in ["jsonl", "jsonl.gz", "jsonl.zst"]:
    print(f"  {name:<10} {best[name]:6.2f} s  {size/1e6/best[name]:7.1f} MB/s  {best['jsonl']/best[name]*100:5.1f}% of plain")
if a.against:
    print(f"side by side ({a.bin} = this, {a.against} = against), load {os.getloadavg()[0]:.1f} at the end:")
    for label, _ in bins:
        for name, _ in inputs:
            w, c, m = side[(label, name)]
            pw, pc = side[(label, "jsonl")][:2]
            print(f"  {label:<8} {name:<10} wall {w:5.2f} s ({pw/w*100:5.1f}%)  cpu {c:5.2f} s ({pc/c*100:5.1f}%)  peak {m:4.0f} MB")

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
