#!/usr/bin/env python3
"""The Python package against its targets, side by side in one process.

    python_api.py CORPUS.jsonl [--articles N] [--rounds 3] [--wiretrace BIN]
                  [--part fingerprint|datasketch|both]

fingerprint: `Fingerprinter().fingerprint_batch(texts, titles, sources)` on
lists already in memory, against the `read+fingerprint` stage the CLI
prints for `wiretrace scan CORPUS` (reading and parsing the JSON
included: the CLI has no lists to start from). Rounds alternate CLI and
Python; the ratio of medians is reported (target: at most 1.3).

datasketch: datasketch 2.0's `MinHash(num_perm=128).update_batch(shingles)`,
`MinHashLSH(threshold=0.5).insert` and `.query`, against the same code
with `from wiretrace.datasketch import MinHash, MinHashLSH`, on the same
shingles (compare.py's word 5-grams, encoded to bytes once, untimed).
Articles are shingled once, 1,000 at a time, and each chunk is given to
both libraries in turn (alternating which goes first), so load on the
machine falls on both alike while each runs with its own data in cache;
only the library calls are timed, with Python's cyclic garbage collector off as `timeit`
has it (a collection of the millions of objects both libraries' results
hold would be charged to whichever call happened to allocate). Target:
wiretrace at least 20x faster.

Needs the wiretrace package and datasketch in the running Python:
python-api.sh installs both into a virtual environment and runs this.
Prints Markdown tables and one JSON line.
"""

import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from compare import shingles  # noqa: E402  (the shingles of the comparison table)


def read(path, limit):
    recs = []
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                recs.append(json.loads(line))
                if limit and len(recs) >= limit:
                    break
    return recs


def cli_stage_seconds(binary, corpus):
    """The `read+fingerprint` seconds `wiretrace scan` prints."""
    with tempfile.TemporaryDirectory() as d:
        out = subprocess.run(
            [binary, "scan", str(corpus), "--force", "--assignments", f"{d}/a.jsonl"],
            check=True, capture_output=True, text=True,
        ).stdout
    for line in out.splitlines():
        if line.strip().startswith("read+fingerprint"):
            return float(line.split()[1])
    raise SystemExit("no read+fingerprint line in the CLI's summary:\n" + out)


def part_fingerprint(args, recs):
    import wiretrace

    texts = [r.get("text") or "" for r in recs]
    titles = [r.get("title") or "" for r in recs]
    sources = [r.get("source") or "" for r in recs]
    corpus = args.corpus
    if args.articles:
        tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False)
        for r in recs:
            tmp.write(json.dumps(r) + "\n")
        tmp.close()
        corpus = tmp.name
    fper = wiretrace.Fingerprinter()
    cli, py = [], []
    for _ in range(args.rounds):
        cli.append(cli_stage_seconds(args.wiretrace, corpus))
        t = time.perf_counter()
        fps = fper.fingerprint_batch(texts, titles=titles, sources=sources)
        py.append(time.perf_counter() - t)
        assert len(fps) == len(texts)
        del fps
    ratio = statistics.median(py) / statistics.median(cli)
    return {
        "articles": len(texts),
        "cli_read_fingerprint_s": cli,
        "python_fingerprint_batch_s": [round(x, 3) for x in py],
        "ratio_python_over_cli": round(ratio, 3),
    }


def part_datasketch(args, recs):
    import datasketch
    import wiretrace.datasketch as wd

    import gc

    gc.disable()
    libs = {"datasketch": datasketch, "wiretrace": wd}
    lsh = {n: m.MinHashLSH(threshold=0.5, num_perm=128) for n, m in libs.items()}
    sigs = {n: [] for n in libs}
    update = {n: 0.0 for n in libs}
    insert = {n: 0.0 for n in libs}
    query = {n: 0.0 for n in libs}
    clock = time.perf_counter
    shingle_s = 0.0
    chunk = 1000
    for start in range(0, len(recs), chunk):
        t = clock()
        sh = [[s.encode("utf-8") for s in shingles(r.get("text") or "", 5)] for r in recs[start:start + chunk]]
        shingle_s += clock() - t
        # Each library runs the whole chunk in turn, first one then the
        # other, alternating.
        order = list(libs) if (start // chunk) % 2 == 0 else list(libs)[::-1]
        for name in order:
            lib, index, out = libs[name], lsh[name], sigs[name]
            for i, items in enumerate(sh, start):
                t0 = clock()
                m = lib.MinHash(num_perm=128)
                m.update_batch(items)
                t1 = clock()
                index.insert(i, m)
                t2 = clock()
                update[name] += t1 - t0
                insert[name] += t2 - t1
                out.append(m)
        del sh
    found = {n: 0 for n in libs}
    for start in range(0, len(recs), chunk):
        order = list(libs) if (start // chunk) % 2 == 0 else list(libs)[::-1]
        for name in order:
            index, ms = lsh[name], sigs[name]
            for i in range(start, min(start + chunk, len(recs))):
                m = ms[i]
                t0 = clock()
                hits = index.query(m)
                query[name] += clock() - t0
                found[name] += sum(1 for j in hits if j > i and m.jaccard(ms[j]) >= 0.5)
    gc.enable()
    total = {n: update[n] + insert[n] + query[n] for n in libs}
    import importlib.metadata as md
    return {
        "articles": len(recs),
        "datasketch_version": md.version("datasketch"),
        "shingle_s": round(shingle_s, 2),
        "params": {n: [lsh[n].b, lsh[n].r] for n in libs},
        "update_batch_s": {n: round(v, 2) for n, v in update.items()},
        "insert_s": {n: round(v, 2) for n, v in insert.items()},
        "query_s": {n: round(v, 2) for n, v in query.items()},
        "total_s": {n: round(v, 2) for n, v in total.items()},
        "pairs_at_0.5": found,
        "speedup": round(total["datasketch"] / total["wiretrace"], 1),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("corpus")
    p.add_argument("--articles", type=int, default=0, help="only the first N (default: all)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--wiretrace", default="target/release/wiretrace")
    p.add_argument("--part", choices=["fingerprint", "datasketch", "both"], default="both")
    args = p.parse_args()
    recs = read(args.corpus, args.articles)
    out = {}
    if args.part in ("fingerprint", "both"):
        f = out["fingerprint"] = part_fingerprint(args, recs)
        print(f"\nfingerprint_batch, {f['articles']:,} articles ({args.rounds} rounds, alternating):\n")
        print("| | seconds (each round) | median |")
        print("|---|---|---:|")
        print(f"| CLI read+fingerprint | {', '.join('%.2f' % x for x in f['cli_read_fingerprint_s'])} "
              f"| {statistics.median(f['cli_read_fingerprint_s']):.2f} |")
        print(f"| Python fingerprint_batch | {', '.join('%.2f' % x for x in f['python_fingerprint_batch_s'])} "
              f"| {statistics.median(f['python_fingerprint_batch_s']):.2f} |")
        print(f"\nratio Python / CLI: {f['ratio_python_over_cli']:.2f} (target <= 1.3)")
    if args.part in ("datasketch", "both"):
        d = out["datasketch"] = part_datasketch(args, recs)
        print(f"\nMinHash + MinHashLSH, {d['articles']:,} articles, word 5-grams, num_perm 128, threshold 0.5 "
              f"(b, r = {d['params']['wiretrace']}):\n")
        print("| library | update_batch s | insert s | query s | total s | pairs >= 0.5 |")
        print("|---|---:|---:|---:|---:|---:|")
        for n in ("datasketch", "wiretrace"):
            print(f"| {'datasketch ' + d['datasketch_version'] if n == 'datasketch' else 'wiretrace.datasketch'} "
                  f"| {d['update_batch_s'][n]:.2f} | {d['insert_s'][n]:.2f} | {d['query_s'][n]:.2f} "
                  f"| {d['total_s'][n]:.2f} | {d['pairs_at_0.5'][n]:,} |")
        print(f"\nwiretrace.datasketch is {d['speedup']}x datasketch (target >= 20x); shingling "
              f"(same for both, untimed above) took {d['shingle_s']:.1f} s")
    print("\n" + json.dumps(out))


if __name__ == "__main__":
    main()
