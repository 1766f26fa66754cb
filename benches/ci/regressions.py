#!/usr/bin/env python3
"""Compare two criterion baselines and fail on throughput regressions.

    regressions.py CRITERION_DIR BASE NEW [--max-regression 0.10]

Walks CRITERION_DIR (target/criterion, or $CRITERION_HOME) for benchmarks
that have both BASE/ and NEW/ results (saved with `--save-baseline`), and
compares their median times. Throughput is work / time, so a throughput drop
of more than 10% is a median time above base / 0.9. To keep runner noise
from failing a PR, a benchmark counts as regressed only when, in addition,
the confidence intervals of the two means do not overlap (criterion's
95% bootstrap intervals, in estimates.json).

Benchmarks only in one of the two baselines (added or removed by the PR)
are listed and never fail the check. Exit status: 0 when nothing regressed,
1 when something did, 2 when no benchmark could be compared.
"""

import argparse
import json
import os
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def find(root, base, new):
    """Yields (bench_dir, base_dir, new_dir) for every benchmark directory."""
    for dirpath, dirnames, _ in os.walk(root):
        if base in dirnames or new in dirnames:
            yield dirpath, os.path.join(dirpath, base), os.path.join(dirpath, new)


def name_of(bench_dir, result_dir, root):
    b = load(os.path.join(result_dir, "benchmark.json"))
    if b and b.get("full_id"):
        return b["full_id"]
    return os.path.relpath(bench_dir, root)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("criterion_dir")
    p.add_argument("base")
    p.add_argument("new")
    p.add_argument("--max-regression", type=float, default=0.10)
    args = p.parse_args()

    rows, regressed, only = [], [], []
    for bench_dir, bdir, ndir in sorted(find(args.criterion_dir, args.base, args.new)):
        be = load(os.path.join(bdir, "estimates.json"))
        ne = load(os.path.join(ndir, "estimates.json"))
        if be is None or ne is None:
            which = args.new if be is None else args.base
            only.append((name_of(bench_dir, ndir if be is None else bdir, args.criterion_dir), which))
            continue
        name = name_of(bench_dir, ndir, args.criterion_dir)
        bt, nt = be["median"]["point_estimate"], ne["median"]["point_estimate"]
        if bt <= 0 or nt <= 0:
            continue
        change = bt / nt - 1.0  # throughput change: + faster, - slower
        b_hi = be["mean"]["confidence_interval"]["upper_bound"]
        n_lo = ne["mean"]["confidence_interval"]["lower_bound"]
        bad = change < -args.max_regression and n_lo > b_hi
        rows.append((name, bt, nt, change, bad))
        if bad:
            regressed.append(name)

    if not rows:
        print(f"regressions.py: no benchmark has both {args.base!r} and {args.new!r} results "
              f"under {args.criterion_dir}", file=sys.stderr)
        return 2
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {args.base + ' ms':>12}  {args.new + ' ms':>12}  throughput")
    for name, bt, nt, change, bad in rows:
        flag = "  REGRESSION" if bad else ""
        print(f"{name:<{width}}  {bt / 1e6:>12.3f}  {nt / 1e6:>12.3f}  {change:+10.1%}{flag}")
    for name, which in only:
        print(f"{name}: only in {which} (not compared)")
    if regressed:
        print(f"\n{len(regressed)} benchmark(s) lost more than {args.max_regression:.0%} "
              f"throughput: {', '.join(regressed)}", file=sys.stderr)
        return 1
    print(f"\nno throughput regression above {args.max_regression:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
