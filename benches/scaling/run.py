#!/usr/bin/env python3
"""Thread scaling of `wiretrace scan`: one corpus, 1..N threads, one table.

    python3 benches/scaling/run.py [--bin target/release/wiretrace]
        [--articles 100000] [--articles 1000000] [--threads 1,2,4,8,16]
        [--repeat 3] [--dir /tmp/wiretrace-scaling] [--json results.jsonl]

For each corpus size it generates the corpus once (`wiretrace gen --seed 1`,
reused while the file exists), then runs `wiretrace scan --threads T
--assignments ...` for every thread count, `--repeat` rounds, the thread
counts interleaved in each round (so a slow spell of a shared machine
touches every count alike). It reports per thread count the median of each
stage's wall seconds (from the scan's own summary), MB/s, the speed-up
over the smallest thread count, parallel efficiency and the largest peak
RSS (from wait4, so the scan process alone). The assignments of every run
must be byte-identical across thread counts: the cluster ids are fixed by
input order, so a difference is a bug, and the script fails on it.

Standard library only, so it runs on a bare machine with python3. The
input is read from the page cache (the corpus was just written); the first
round's first run warms it.
"""

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import time

STAGE_RE = re.compile(r"^\s{4,6}(\S[^\d]*?)\s+([0-9.]+) s( cpu)?")


def parse_summary(text):
    """Stage name -> seconds, from the summary the scan prints on stdout."""
    stages = {}
    for line in text.splitlines():
        m = STAGE_RE.match(line)
        if m:
            name = m.group(1).strip() + (" (cpu)" if m.group(3) else "")
            stages[name] = float(m.group(2))
    return stages


def run_scan(binary, corpus, threads, pred):
    cmd = [binary, "scan", corpus, "--threads", str(threads),
           "--assignments", pred, "--force"]
    start = time.perf_counter()
    # The summary goes to stdout; stderr (skipped-record messages) to a file
    # so that neither pipe can fill up while the other is read.
    with open(pred + ".stderr", "w+") as errf:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errf, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        errf.seek(0)
        err = out + errf.read()
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"scaling: {' '.join(cmd)} exited {code}:\n{err}")
    stages = parse_summary(err)
    if "total" not in stages:
        sys.exit(f"scaling: no summary from {' '.join(cmd)}:\n{err}")
    return {"wall": wall, "stages": stages, "peak_rss_mb": usage.ru_maxrss / 1024.0}


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="target/release/wiretrace")
    ap.add_argument("--articles", type=int, action="append")
    ap.add_argument("--threads", default="1,2,4,8,16")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", default="/tmp/wiretrace-scaling")
    ap.add_argument("--json", help="append one JSON object per size and thread count")
    args = ap.parse_args()
    sizes = args.articles or [100_000]
    threads = [int(t) for t in args.threads.split(",")]
    cores = os.cpu_count()
    print(f"machine: {cores} logical CPUs; binary {args.bin}", flush=True)
    for n in sizes:
        work = os.path.join(args.dir, f"g{n}-s{args.seed}")
        corpus = os.path.join(work, "corpus.jsonl")
        if not os.path.exists(corpus):
            t0 = time.perf_counter()
            subprocess.run([args.bin, "gen", "--out", work, "--articles", str(n),
                            "--seed", str(args.seed), "--force"], check=True,
                           stdout=subprocess.DEVNULL)
            print(f"generated {n} articles in {time.perf_counter() - t0:.1f} s", flush=True)
        mb = os.path.getsize(corpus) / 1e6
        runs = {t: [] for t in threads}
        digests = {}
        for r in range(args.repeat):
            for t in threads:
                pred = os.path.join(work, f"pred-t{t}.jsonl")
                res = run_scan(args.bin, corpus, t, pred)
                runs[t].append(res)
                d = digest(pred)
                digests.setdefault(d, []).append(t)
                print(f"  {n} articles, {t:>2} threads, round {r + 1}: "
                      f"{res['stages']['total']:.3f} s", flush=True)
        if len(digests) != 1:
            sys.exit(f"scaling: assignments differ between thread counts: {digests}")
        table(n, mb, threads, runs, args.json)


def table(n, mb, threads, runs, json_path):
    base_t = min(threads)
    base = statistics.median(r["stages"]["total"] for r in runs[base_t])
    names = [s for s in runs[base_t][0]["stages"] if s != "total"]
    print(f"\n{n} articles, {mb:.1f} MB; medians of {len(runs[base_t])} runs; "
          f"assignments identical across thread counts; speed-up over {base_t} thread(s)")
    head = f"{'threads':>7} {'total s':>8} {'MB/s':>7} {'speed-up':>8} {'eff.':>5} " \
        + " ".join(f"{s[:18]:>18}" for s in names) + f" {'peak RSS MB':>11}"
    print(head)
    for t in threads:
        total = statistics.median(r["stages"]["total"] for r in runs[t])
        med = {s: statistics.median(r["stages"].get(s, 0.0) for r in runs[t]) for s in names}
        rss = max(r["peak_rss_mb"] for r in runs[t])
        # Speed-up and efficiency relative to the smallest thread count run
        # (one thread, when it is in the sweep).
        speed = base / total
        print(f"{t:>7} {total:>8.3f} {mb / total:>7.1f} {speed:>7.2f}x {speed * base_t / t:>5.2f} "
              + " ".join(f"{med[s]:>18.3f}" for s in names) + f" {rss:>11.0f}")
        if json_path:
            with open(json_path, "a") as f:
                f.write(json.dumps({"articles": n, "mb": mb, "threads": t,
                                    "total_s": total, "speedup": speed,
                                    "stages_median_s": med, "peak_rss_mb": rss,
                                    "runs": [r["stages"]["total"] for r in runs[t]]}) + "\n")
    print(flush=True)


if __name__ == "__main__":
    main()
