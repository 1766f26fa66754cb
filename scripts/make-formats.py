#!/usr/bin/env python3
"""Writes testdata/formats/: a part of the demo corpus in every input format.

demo.jsonl (the articles of the first stories with copies in
testdata/demo), demo.jsonl.gz, demo.jsonl.zst (zstd CLI), demo.csv, and
demo-pages.warc.gz: each article as an HTML page (our own template, with
navigation, share bar and footer around it), one gzip member per WARC
record, with a warcinfo and a request record per page as crawlers write.
Run from the repository root: python3 scripts/make-formats.py
"""
import csv, gzip, html, io, json, subprocess, uuid, os

root = "testdata/formats"
arts = [json.loads(l) for l in open("testdata/demo/corpus.jsonl") if l.strip()]
truth = [json.loads(l) for l in open("testdata/demo/truth.jsonl") if l.strip()]
by_cluster = {}
for t in truth:
    by_cluster.setdefault(t["cluster"], []).append(t["id"])
keep = set()
for c, ids in sorted(by_cluster.items(), key=lambda kv: str(kv[0])):
    if len(ids) >= 2 and len(keep) < 60:
        keep.update(ids)
arts = [a for a in arts if a["id"] in keep]
lines = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in arts)
open(f"{root}/demo.jsonl", "w").write(lines)
with open(f"{root}/demo.jsonl.gz", "wb") as f:
    f.write(gzip.compress(lines.encode(), mtime=0))
subprocess.run(["zstd", "-q", "-f", "-19", f"{root}/demo.jsonl", "-o", f"{root}/demo.jsonl.zst"], check=True)
cols = ["id", "title", "source", "url", "published", "text"]
with open(f"{root}/demo.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for a in arts:
        w.writerow([a.get(c, "") for c in cols])

def page(a):
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in a["text"].split("\n") if p.strip())
    site = html.escape(a.get("source", ""))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(a.get('title',''))} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{html.escape(a.get('title',''))}">
<meta property="article:published_time" content="{a.get('published','')}">
</head><body>
<header><nav class="menu"><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/subscribe">Subscribe</a></nav></header>
<article><h1>{html.escape(a.get('title',''))}</h1>
<div class="share-bar"><a>Share on Facebook</a> <a>Share on X</a></div>
{paras}
</article>
<aside class="related"><h2>Related</h2><ul><li>More news from {site}</li></ul></aside>
<footer class="site-footer">Copyright {site}. All rights reserved. Privacy policy.</footer>
</body></html>
"""

def record(kind, uri, body, ctype, date, rid=None):
    rid = rid or f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kind + uri)}>"
    head = f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: {rid}\r\nWARC-Date: {date}\r\n"
    if uri:
        head += f"WARC-Target-URI: {uri}\r\n"
    head += f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n"
    return gzip.compress(head.encode() + body + b"\r\n\r\n", mtime=0)

out = io.BytesIO()
info = b"software: wiretrace make-formats.py\r\nformat: WARC File Format 1.1\r\n"
out.write(record("warcinfo", "", info, "application/warc-fields", "2024-07-01T00:00:00Z"))
for a in arts:
    body = page(a).encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    req = f"GET / HTTP/1.1\r\nHost: example\r\n\r\n".encode()
    out.write(record("request", a["url"], req, "application/http; msgtype=request", "2024-07-01T00:00:00Z"))
    out.write(record("response", a["url"], http, "application/http; msgtype=response", "2024-07-01T00:00:00Z"))
open(f"{root}/demo-pages.warc.gz", "wb").write(out.getvalue())
print(f"{len(arts)} articles written to {root}")
