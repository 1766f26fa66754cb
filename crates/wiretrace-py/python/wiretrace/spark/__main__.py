"""``python -m wiretrace.spark scan INPUT... --assignments OUT [--report OUT]
[--report-format FMT] [--metrics OUT] [--partitions N] [--master URL] [--set KEY=VALUE ...]``.

Exit codes as the CLI's: 0 all records read, 1 some records skipped (the
first are listed on stderr), 2 an error.
"""

from __future__ import annotations

import argparse
import json
import sys


def _value(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return text


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m wiretrace.spark",
        description="The wiretrace scan on Apache Spark, with the CLI's assignments.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scan", help="cluster the articles of INPUT (JSON Lines files or directories)")
    s.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories, on any filesystem Spark reads")
    s.add_argument("--assignments", required=True, metavar="OUT", help="write {id, cluster} per article (JSON Lines), as the CLI does")
    s.add_argument("--report", metavar="OUT", help="write the CLI's lineage report (format from the extension: .json, .jsonl, .md, .html, .csv)")
    s.add_argument("--report-format", choices=["json", "jsonl", "md", "html", "csv"], help="the report's format, whatever its extension")
    s.add_argument("--metrics", metavar="OUT", help="write per-file counts, skipped records, shuffle figures and stage times (JSON)")
    s.add_argument("--partitions", type=int, default=8, metavar="N", help="shuffle partitions (default 8)")
    s.add_argument("--master", metavar="URL", help="Spark master (default: local[*], or spark-submit's)")
    s.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a scan setting, as the CLI's flag in snake_case (max_bucket=100, lede=false, threshold=0.6)",
    )
    s.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    a = p.parse_args(argv)
    if a.partitions < 1:
        p.error("--partitions: give at least 1")
    settings = {}
    for kv in a.set:
        if "=" not in kv:
            p.error(f"--set {kv}: write KEY=VALUE, as in --set max_bucket=100")
        k, v = kv.split("=", 1)
        settings[k.strip()] = _value(v.strip())
    log = None if a.quiet else (lambda m: print(f"wiretrace.spark: {m}", file=sys.stderr))
    try:
        from wiretrace.spark.job import scan, session
    except ImportError as e:  # pragma: no cover - depends on the install
        print(f"wiretrace.spark: {e}; install pyspark: pip install pyspark", file=sys.stderr)
        return 2
    try:
        spark = session(a.master, a.partitions)
    except Exception as e:  # noqa: BLE001 - any failure to start Spark
        print(f"wiretrace.spark: could not start Spark ({e}); is Java 17+ on PATH?", file=sys.stderr)
        return 2
    try:
        r = scan(
            spark, a.inputs, a.assignments, a.partitions, settings, a.report, log,
            metrics=a.metrics is not None, report_format_name=a.report_format, metrics_out=a.metrics,
        )
    except (OSError, ValueError, TypeError) as e:
        print(f"wiretrace.spark: {e}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    if not a.quiet:
        print(
            f"wiretrace.spark: {r.records} records, {r.articles} articles, "
            f"{r.skipped_count} skipped, {r.clusters} clusters -> {a.assignments}",
            file=sys.stderr,
        )
    for line in r.skipped:
        print(f"skipped {line}", file=sys.stderr)
    return 1 if r.skipped_count else 0


if __name__ == "__main__":
    sys.exit(main())
