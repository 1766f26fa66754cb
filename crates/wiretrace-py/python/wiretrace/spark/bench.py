"""Side by side: the CLI and the Spark job on one corpus, alternated, with
the Spark job's per-stage shuffle volume and task time per article (the
figures docs/spark.md scales to 10^9 articles).

    python -m wiretrace.spark.bench CORPUS [--cli target/release/wiretrace]
        [--master local[2]] [--partitions 8] [--rounds 2]

Each round runs the CLI (``--threads`` = the master's cores) then the job
in a fresh Spark (``python -m wiretrace.spark``, ``--metrics``), checks the
two assignments are byte-identical and prints both wall times. Set
``PYSPARK_SUBMIT_ARGS="--driver-memory 8g pyspark-shell"`` for 10^5 articles
in local mode.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import time


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m wiretrace.spark.bench")
    p.add_argument("corpus")
    p.add_argument("--cli", default="target/release/wiretrace")
    p.add_argument("--master", default="local[2]")
    p.add_argument("--partitions", type=int, default=8)
    p.add_argument("--rounds", type=int, default=2)
    a = p.parse_args(argv)
    m = re.fullmatch(r"local\[(\d+)\]", a.master)
    threads = m.group(1) if m else "2"
    out = pathlib.Path(tempfile.mkdtemp(prefix="wiretrace-spark-bench-"))
    articles = sum(1 for line in open(a.corpus, "rb") if line.strip())
    for r in range(1, a.rounds + 1):
        t = time.time()
        subprocess.run(
            [a.cli, "scan", a.corpus, "--threads", threads, "--assignments", str(out / "cli.jsonl"), "-q", "--force"],
            check=True,
        )
        cli = time.time() - t
        t = time.time()
        subprocess.run(
            [sys.executable, "-m", "wiretrace.spark", "scan", a.corpus, "--assignments", str(out / "spark.jsonl"),
             "--metrics", str(out / "report.json"), "--master", a.master, "--partitions", str(a.partitions), "-q"],
            check=False,
        )
        spark = time.time() - t
        same = (out / "cli.jsonl").read_bytes() == (out / "spark.jsonl").read_bytes()
        print(f"round {r}: cli {cli:.1f} s, spark {spark:.1f} s ({spark / cli:.1f}x), identical: {same}")
        rep = json.loads((out / "report.json").read_text())
        print("  phase wall seconds:", rep["timings"])
        phases = {}
        for s in rep["stages"]:
            ph = phases.setdefault(s["phase"], [0, 0.0])
            ph[0] += s["shuffle_write_bytes"]
            ph[1] += s["run_seconds"]
        for name, (b, sec) in phases.items():
            print(f"  {name:24} shuffle {b / articles:8.0f} B/article, task time {sec / articles * 1e6:7.0f} us/article")
        print("  largest stages:")
        for s in sorted(rep["stages"], key=lambda s: -s["run_seconds"])[:4]:
            recs = s["shuffle_write_records"]
            per = f", {s['shuffle_write_bytes'] / recs:.1f} B/row" if recs else ""
            print(f"    stage {s['stage']} ({s['phase']}): {s['run_seconds']} task-s, "
                  f"{s['shuffle_write_bytes']} B / {recs} rows{per}")
        band = [s for s in rep["stages"] if s["shuffle_write_records"] and s["phase"].startswith("bands")]
        if band:
            b = band[0]
            print(f"  band-key shuffle: {b['shuffle_write_bytes'] / articles:.0f} B/article, "
                  f"{b['shuffle_write_records'] / articles:.1f} rows/article, "
                  f"{b['shuffle_write_bytes'] / max(b['shuffle_write_records'], 1):.1f} B/row")
    return 0


if __name__ == "__main__":
    sys.exit(main())
