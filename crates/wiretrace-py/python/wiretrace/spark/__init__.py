"""wiretrace on Apache Spark: ``python -m wiretrace.spark scan INPUT...
--assignments OUT`` (or ``spark-submit`` of this module) gives the CLI's
``wiretrace scan --assignments`` byte for byte, at any number of
partitions. Needs pyspark (``pip install pyspark``); see docs/spark.md.

From Python::

    from wiretrace.spark import session, scan
    spark = session("local[2]", partitions=8)
    result = scan(spark, ["corpus.jsonl"], "assignments.jsonl", partitions=8)
"""

from wiretrace.spark.job import SparkScan, connected_components, resolve_inputs, scan, session

__all__ = ["SparkScan", "connected_components", "resolve_inputs", "scan", "session"]
