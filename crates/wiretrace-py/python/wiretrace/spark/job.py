"""The scan as a Spark job: every decision made by the Rust core (the
functions the CLI's scan calls), Spark doing the grouping and joining.

Stages (each a DataFrame; ``docs/spark.md`` gives their shuffle volumes):

1. ``articles``: each input file read and fingerprinted by the CLI's own
   reader (``mapInArrow``); an article is named by its *ordinal*
   ``file << 32 | line`` (input order; stable whatever the partitioning,
   never ``monotonically_increasing_id``). The corpus-wide headline word
   counts the verifier weighs headlines with are a Spark aggregation,
   broadcast to the verify stage.
2. ``band rows`` ``(key, tag)``: 16 bytes per (article, band), grouped by
   key (one shuffle); each key's rows split by band and pass into the
   scan's buckets, whose pairs are formed as the scan forms them (all
   pairs, or each member with its next four past ``max_bucket``).
3. ``pairs`` joined with both fingerprints and verified; the lede pass's
   excerpts counted exactly on the two texts; edges merged as the scan
   merges them (an exact count wins).
4. connected components of the edges (large-star / small-star), then the
   CLI's chaining guard per component (``applyInArrow``) and cluster ids
   numbered by first member in input order.
5. ``stories`` (only with a report): the members of every cluster of two or
   more, with the metadata and text the reader read in stage 1, grouped by
   cluster (one shuffle); each partition's clusters traced by the core's
   ``lineage::trace_clusters`` (as the CLI's report traces them), and the
   traced stories assembled on the driver into the CLI's report
   (``Report::from_parts``), in any of its formats.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence

ORD_BITS = 56
LINE_BITS = 32
# File kinds a directory walk reads: the CLI's `.jsonl` and `.ndjson` (its
# whole-file `.txt`/`.md` articles are not read by this job), and Parquet.
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".parquet")


def _json_value(v):
    """A Parquet value as JSON: times as RFC 3339 (UTC when the column has
    no zone), bytes as text."""
    import datetime

    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=datetime.timezone.utc)
        return v.isoformat().replace("+00:00", "Z")
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    raise TypeError(f"a Parquet value of type {type(v).__name__} cannot be a JSON field")


def parquet_as_jsonl(content: bytes) -> bytes:
    """A Parquet file's rows as JSON Lines, row `i` on line `i + 1`: the
    CLI's reader then reads them with its field rules (ids, dates, field
    paths, skips), and a row's location is `file:row`."""
    import io

    import pyarrow.parquet as pq

    rows = pq.read_table(io.BytesIO(content)).to_pylist()
    return b"".join(
        json.dumps(r, default=_json_value, ensure_ascii=False).encode("utf-8") + b"\n" for r in rows
    )


def _native():
    from wiretrace import _wiretrace

    return _wiretrace.spark


@dataclass
class InputFile:
    """One input file: its index in input order, its name as the user gave
    it (as the CLI names it in locations), and its URI for Spark."""

    index: int
    name: str
    uri: str


@dataclass
class SparkScan:
    """What the job found: per-file counts, the skipped records (the first
    ``max_errors`` per file, as the CLI lists them), stage times."""

    files: List[dict]
    skipped: List[str]
    articles: int
    records: int
    skipped_count: int
    clusters: int
    timings: Dict[str, float] = field(default_factory=dict)
    shuffle: Dict[str, int] = field(default_factory=dict)
    stages: List[dict] = field(default_factory=list)


def session(master: Optional[str] = None, partitions: int = 8, app: str = "wiretrace"):
    """A SparkSession: `master` if given; under `spark-submit` the one it
    configures; else local mode on every core."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    b = SparkSession.builder.appName(app)
    if master:
        b = b.master(master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        b = b.master("local[*]")
    b = (
        b.config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "8192")
    )
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def resolve_inputs(spark, paths: Sequence[str]) -> List[InputFile]:
    """The input files in the CLI's order: arguments in order, a directory's
    `.jsonl`/`.ndjson`/`.parquet` files in name order (hidden ones left out), on any
    Hadoop filesystem Spark can read. A file named twice is read once."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    out: List[InputFile] = []
    seen = set()
    for arg in paths:
        p = jvm.org.apache.hadoop.fs.Path(arg)
        fs = p.getFileSystem(conf)
        if not fs.exists(p):
            raise FileNotFoundError(f"{arg}: no such file or directory; check the path")
        st = fs.getFileStatus(p)
        found = []
        if st.isDirectory():
            root = fs.makeQualified(p).toString().rstrip("/")
            it = fs.listFiles(p, True)
            while it.hasNext():
                f = it.next()
                uri = f.getPath().toString()
                rel = uri[len(root) :].lstrip("/")
                parts = rel.split("/")
                if any(x.startswith(".") for x in parts):
                    continue
                if not rel.endswith(JSONL_SUFFIXES):
                    continue
                found.append((parts, os.path.join(arg, *parts), uri))
            found.sort(key=lambda x: x[0])
        else:
            found.append(([], arg, fs.makeQualified(p).toString()))
        for _, name, uri in found:
            if uri in seen:
                continue
            seen.add(uri)
            out.append(InputFile(len(out), name, uri))
    if not out:
        raise FileNotFoundError(
            f"no .jsonl, .ndjson or .parquet files under {', '.join(paths)}; name the files to read"
        )
    return out


def _schema(text: str):
    from pyspark.sql.types import _parse_datatype_string

    return _parse_datatype_string(text)


ARTICLES = (
    "file int, line long, ord long, ok boolean, id string, fp binary, "
    "too_short boolean, words array<long>, text string, title string, source string, "
    "url string, published long, reason string"
)

# The `--report-format` names, as the CLI's; the extensions that imply them.
REPORT_FORMATS = ("json", "jsonl", "md", "html", "csv")
_EXTENSIONS = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
}


def report_format(path: str, given: Optional[str] = None) -> str:
    """The report format for `path`, as the CLI resolves it: `given`
    (``--report-format``), else the extension's."""
    if given:
        if given not in REPORT_FORMATS:
            raise ValueError(f"--report-format {given}: give one of {', '.join(REPORT_FORMATS)}")
        return given
    if path.endswith("/") or os.path.isdir(path):
        raise ValueError(
            f"{path}: the Spark job writes a report file, not a directory of HTML pages; "
            "name a .html file (or run the CLI for --report DIR/)"
        )
    ext = os.path.splitext(path)[1].lower()
    if ext not in _EXTENSIONS:
        raise ValueError(
            f"{path}: cannot tell the report format from the extension; use .json, .jsonl, .md, "
            ".html or .csv, or pass --report-format"
        )
    return _EXTENSIONS[ext]


def _parse_batches(files: Dict[str, tuple], settings: dict):
    import pyarrow as pa

    def run(batches: Iterator["pa.RecordBatch"]):
        native = _native()
        for batch in batches:
            paths = batch.column("path").to_pylist()
            contents = batch.column("content")
            for i, uri in enumerate(paths):
                if uri not in files:
                    raise ValueError(f"{uri}: read by Spark but not among the inputs")
                index, name = files[uri]
                content = contents[i].as_py()
                if name.endswith(".parquet"):
                    content = parquet_as_jsonl(content)
                cols = native.parse_file(name, index, content, **settings)
                n = len(cols["line"])
                yield pa.RecordBatch.from_pydict(
                    {
                        "file": pa.array([index] * n, pa.int32()),
                        "line": pa.array(cols["line"], pa.int64()),
                        "ord": pa.array(cols["ord"], pa.int64()),
                        "ok": pa.array(cols["ok"], pa.bool_()),
                        "id": pa.array(cols["id"], pa.string()),
                        "fp": pa.array(cols["fp"], pa.binary()),
                        "too_short": pa.array(cols["too_short"], pa.bool_()),
                        "words": pa.array(cols["words"], pa.list_(pa.int64())),
                        "text": pa.array(cols["text"], pa.string()),
                        "title": pa.array(cols["title"], pa.string()),
                        "source": pa.array(cols["source"], pa.string()),
                        "url": pa.array(cols["url"], pa.string()),
                        "published": pa.array(cols["published"], pa.int64()),
                        "reason": pa.array(cols["reason"], pa.string()),
                    }
                )

    return run


def _band_batches(settings: dict):
    import pyarrow as pa

    def run(batches):
        native = _native()
        for batch in batches:
            keys, tags = native.band_rows(
                batch.column("fp").to_pylist(), batch.column("ord").to_pylist(), **settings
            )
            yield pa.RecordBatch.from_pydict(
                {"key": pa.array(keys, pa.int64()), "tag": pa.array(tags, pa.int64())}
            )

    return run


def _pair_batches(settings: dict):
    import pyarrow as pa

    def run(batches):
        # A bucket's rows may span batches: the partition (every row of its
        # keys) is gathered first.
        keys: list = []
        tags: list = []
        for batch in batches:
            keys.extend(batch.column("key").to_pylist())
            tags.extend(batch.column("tag").to_pylist())
        if not keys:
            return
        a, b, lede = _native().bucket_pairs(keys, tags, **settings)
        step = 1 << 16
        for s in range(0, len(a), step):
            yield pa.RecordBatch.from_pydict(
                {
                    "a": pa.array(a[s : s + step], pa.int64()),
                    "b": pa.array(b[s : s + step], pa.int64()),
                    "lede": pa.array(lede[s : s + step], pa.bool_()),
                }
            )

    return run


def _verify_batches(settings: dict, counts, titled: int):
    import pyarrow as pa

    def run(batches):
        native = _native()
        packed = counts.value
        for batch in batches:
            verdict, j, c = native.verify_pairs(
                batch.column("fa").to_pylist(),
                batch.column("fb").to_pylist(),
                batch.column("lede").to_pylist(),
                packed,
                titled,
                **settings,
            )
            yield pa.RecordBatch.from_pydict(
                {
                    "a": batch.column("a"),
                    "b": batch.column("b"),
                    "verdict": pa.array(verdict, pa.int32()),
                    "j": pa.array(j, pa.float32()),
                    "c": pa.array(c, pa.float32()),
                }
            )

    return run


def _exact_batches(settings: dict, counts, titled: int):
    import pyarrow as pa

    def run(batches):
        native = _native()
        packed = counts.value
        for batch in batches:
            ok, j, c = native.exact_pairs(
                batch.column("fa").to_pylist(),
                batch.column("fb").to_pylist(),
                batch.column("ta").to_pylist(),
                batch.column("tb").to_pylist(),
                packed,
                titled,
                **settings,
            )
            yield pa.RecordBatch.from_pydict(
                {
                    "a": batch.column("a"),
                    "b": batch.column("b"),
                    "ok": pa.array(ok, pa.bool_()),
                    "j": pa.array(j, pa.float32()),
                    "c": pa.array(c, pa.float32()),
                }
            )

    return run


def _cluster_partitions(settings: dict):
    import pyarrow as pa

    def run(batches):
        # Every row of a partition's components (members, kind 0, and
        # edges, kind 1) is gathered first; Rust splits them by component.
        t = pa.Table.from_batches(list(batches))
        if t.num_rows == 0:
            return
        import pyarrow.compute as pc

        m = t.filter(pc.equal(t.column("kind"), 0))
        e = t.filter(pc.equal(t.column("kind"), 1))
        ords = m.column("ord").to_pylist()
        reps = _native().cluster_components(
            m.column("comp").to_pylist(),
            ords,
            m.column("fp").to_pylist(),
            e.column("comp").to_pylist(),
            e.column("a").to_pylist(),
            e.column("b").to_pylist(),
            e.column("j").to_pylist(),
            e.column("c").to_pylist(),
            **settings,
        )
        yield pa.RecordBatch.from_pydict(
            {"ord": pa.array(ords, pa.int64()), "rep": pa.array(reps, pa.int64())}
        )

    return run


def _line_batches(names: List[str]):
    import pyarrow as pa

    def run(batches):
        native = _native()
        for batch in batches:
            d = batch.to_pydict()
            at = [
                f"{names[o >> LINE_BITS]}:{o & ((1 << LINE_BITS) - 1)}" if dup else None
                for o, dup in zip(d["ord"], d["dup"])
            ]
            lines = native.assignment_lines(d["id"], d["cluster"], at, d["too_short"])
            top = max(d["cluster"], default=-1)
            yield pa.RecordBatch.from_pydict({"top": [top], "lines": [lines]})

    return run


def _story_partitions(settings: dict, keep_texts: bool):
    import pyarrow as pa

    def run(batches):
        # Every member of a partition's clusters is gathered first (the
        # shuffle by cluster puts a cluster in one partition); Rust traces
        # them, clusters in parallel, in one call.
        t = pa.Table.from_batches(list(batches))
        if t.num_rows == 0:
            return
        d = t.to_pydict()
        blobs = _native().trace_stories(
            d["cluster"], d["ord"], d["id"], d["title"], d["source"], d["url"], d["published"],
            d["text"], keep_texts, **settings,
        )
        yield pa.RecordBatch.from_pydict({"story": pa.array(blobs, pa.binary())})

    return run


def _stages(spark) -> Dict[int, dict]:
    """Completed stages with their shuffle figures, from the Spark UI's REST
    API (empty when the UI is off or unreachable)."""
    import urllib.request

    sc = spark.sparkContext
    url = sc.uiWebUrl
    if not url:
        return {}
    try:
        with urllib.request.urlopen(
            f"{url}/api/v1/applications/{sc.applicationId}/stages?status=complete", timeout=10
        ) as r:
            stages = json.load(r)
    except (OSError, ValueError):
        return {}
    return {
        s["stageId"]: {
            "stage": s["stageId"],
            "name": s.get("name", ""),
            "shuffle_write_bytes": s.get("shuffleWriteBytes", 0),
            "shuffle_write_records": s.get("shuffleWriteRecords", 0),
            "run_seconds": round(s.get("executorRunTime", 0) / 1000, 3),
        }
        for s in stages
    }


def connected_components(edges, spark, max_rounds: int = 100):
    """Labels ``(node, comp)`` of the nodes of ``edges`` (columns ``a``,
    ``b``): ``comp`` is the smallest node of its component. Alternating
    large-star and small-star (Kiveris et al., "Connected Components in
    MapReduce and Beyond", 2014) on DataFrames, until an round changes
    nothing; O(log n) rounds, each a few shuffles of the edge list."""
    from pyspark.sql import functions as F

    def both(e):
        return e.select(F.col("a").alias("u"), F.col("b").alias("v")).unionByName(
            e.select(F.col("b").alias("u"), F.col("a").alias("v"))
        )

    def large_star(e):
        d = both(e)
        m = d.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
        return (
            d.join(m, "u")
            .where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("a"), F.col("m").alias("b"))
            .distinct()
        )

    def small_star(e):
        d = e.select(F.greatest("a", "b").alias("u"), F.least("a", "b").alias("v"))
        m = d.groupBy("u").agg(F.min("v").alias("m"))
        linked = d.join(m, "u").where(F.col("v") != F.col("m")).select(
            F.col("v").alias("a"), F.col("m").alias("b")
        )
        return linked.unionByName(m.select(F.col("u").alias("a"), F.col("m").alias("b"))).distinct()

    e = edges.select("a", "b").localCheckpoint()
    size = e.count()
    for _ in range(max_rounds):
        nxt = small_star(large_star(e)).localCheckpoint()
        # Converged: a star (every node tied to its component's smallest)
        # is left as it is by both operations.
        n = nxt.count()
        if n == size and nxt.exceptAll(e).isEmpty():
            e = nxt
            break
        e, size = nxt, n
    else:
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    d = both(e)
    return d.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("comp")).withColumnRenamed(
        "u", "node"
    )


def scan(
    spark,
    paths: Sequence[str],
    assignments: str,
    partitions: int = 8,
    settings: Optional[dict] = None,
    report: Optional[str] = None,
    log=None,
    metrics: bool = False,
    report_format_name: Optional[str] = None,
    metrics_out: Optional[str] = None,
) -> SparkScan:
    """Runs the scan on `paths` and writes the CLI's ``--assignments`` to
    `assignments` (one JSON Lines file, written whole or not at all).
    With `report`, also the CLI's lineage report there (format from
    `report_format_name` or the extension, as the CLI's ``--report``);
    with `metrics_out`, per-file counts, skipped records, stage times
    and shuffle figures (JSON).
    With `metrics`, the result's ``stages`` lists every Spark stage with its
    shuffle volume (from the UI's REST API)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    settings = dict(settings or {})
    if settings.get("exact"):
        raise ValueError(
            "exact=true: the Spark job verifies on the estimates (the CLI's default); "
            "run the CLI for --exact"
        )
    t0 = time.time()
    timings: Dict[str, float] = {}
    seen_stages = set(_stages(spark)) if metrics else set()
    stage_log: List[dict] = []

    def lap(name):
        nonlocal t0
        now = time.time()
        timings[name] = round(now - t0, 3)
        t0 = now
        if metrics:
            for sid, st in sorted(_stages(spark).items()):
                if sid not in seen_stages:
                    seen_stages.add(sid)
                    stage_log.append(dict(st, phase=name))
        if log:
            log(f"{name}: {timings[name]:.2f} s")

    fmt = report_format(report, report_format_name) if report else None
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    files = resolve_inputs(spark, paths)
    by_uri = {f.uri: (f.index, f.name) for f in files}
    names = [f.name for f in files]
    raw = spark.read.format("binaryFile").load([f.uri for f in files]).select("path", "content")
    parsed = raw.mapInArrow(_parse_batches(by_uri, settings), _schema(ARTICLES)).persist(
        StorageLevel.MEMORY_AND_DISK
    )

    # Per-file counts, as the CLI counts records (articles + skipped), the
    # skipped records and the headlines with words, in one pass.
    per_file = (
        parsed.groupBy("file")
        .agg(
            F.count("*").alias("records"),
            F.sum(F.col("ok").cast("long")).alias("articles"),
            F.sum((F.col("ok") & (F.size("words") > 0)).cast("long")).alias("titled"),
            F.collect_list(
                F.when(~F.col("ok"), F.struct("line", "reason"))
            ).alias("skips"),
        )
        .collect()
    )
    counts_of = {r["file"]: (r["records"], r["articles"]) for r in per_file}
    titled = sum(r["titled"] for r in per_file)
    max_errors = int(settings.get("max_errors", 1000))
    listed: List[str] = []
    n_skipped = 0
    for r in sorted(per_file, key=lambda r: r["file"]):
        skips = sorted((x["line"], x["reason"]) for x in r["skips"])
        n_skipped += len(skips)
        listed.extend(reason for _, reason in skips[:max_errors])
    file_counts = []
    for f in files:
        rec, art = counts_of.get(f.index, (0, 0))
        file_counts.append(
            {"path": f.name, "records": rec, "articles": art, "skipped": rec - art}
        )
    if settings.get("strict") and listed:
        raise ValueError(f"{listed[0]} (strict: the first bad record stops the scan)")
    articles = parsed.where(F.col("ok")).drop("reason")
    n_articles = sum(c["articles"] for c in file_counts)
    if n_articles == 0 and not n_skipped:
        raise ValueError("no articles in the input: is it JSON Lines with a `text` field?")
    lap("read+fingerprint")

    # Headline word counts over the corpus (each headline's words as the
    # scan counts them), broadcast to the verifiers.
    words = (
        articles.select(F.explode("words").alias("w")).groupBy("w").count().orderBy("w").collect()
    )
    import struct

    packed = b"".join(struct.pack("<II", int(r["w"]) & 0xFFFFFFFF, int(r["count"])) for r in words)
    counts_b = spark.sparkContext.broadcast(packed)
    lap("headline counts")

    # Band rows, grouped by key: one shuffle of (key, tag), 16 bytes a row.
    bands = articles.select("fp", "ord").mapInArrow(_band_batches(settings), _schema("key long, tag long"))
    pairs = (
        bands.repartition(partitions, "key")
        .mapInArrow(_pair_batches(settings), _schema("a long, b long, lede boolean"))
        .distinct()
    )
    fps = articles.select("ord", "fp")
    joined = (
        pairs.join(fps.select(F.col("ord").alias("a"), F.col("fp").alias("fa")), "a")
        .join(fps.select(F.col("ord").alias("b"), F.col("fp").alias("fb")), "b")
        .select("a", "b", "lede", "fa", "fb")
    )
    verdicts = joined.mapInArrow(
        _verify_batches(settings, counts_b, titled),
        _schema("a long, b long, verdict int, j float, c float"),
    ).persist(StorageLevel.MEMORY_AND_DISK)
    estimated = verdicts.where(F.col("verdict") == 1).select(
        "a", "b", "j", "c", F.lit(False).alias("exact")
    )
    texts = articles.select("ord", "fp", "text")
    to_count = verdicts.where(F.col("verdict") == 2).select("a", "b").distinct()
    exact = (
        to_count.join(texts.select(F.col("ord").alias("a"), F.col("fp").alias("fa"), F.col("text").alias("ta")), "a")
        .join(texts.select(F.col("ord").alias("b"), F.col("fp").alias("fb"), F.col("text").alias("tb")), "b")
        .select("a", "b", "fa", "fb", "ta", "tb")
        .mapInArrow(
            _exact_batches(settings, counts_b, titled),
            _schema("a long, b long, ok boolean, j float, c float"),
        )
        .where(F.col("ok"))
        .select("a", "b", "j", "c", F.lit(True).alias("exact"))
    )
    # One edge per pair; where the lede pass counted it exactly, the exact
    # figures (verify::merge_edges).
    edges = (
        estimated.unionByName(exact)
        .groupBy("a", "b")
        .agg(F.max_by(F.struct("j", "c"), F.col("exact")).alias("e"))
        .select("a", "b", F.col("e.j").alias("j"), F.col("e.c").alias("c"))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    n_edges = edges.count()
    lap("bands+pairs+verify")

    labels = connected_components(edges, spark)
    lap("connected components")

    members = labels.join(fps, labels.node == fps.ord).select(
        "comp", F.lit(0).alias("kind"), "ord", "fp",
        F.lit(None).cast("long").alias("a"), F.lit(None).cast("long").alias("b"),
        F.lit(None).cast("float").alias("j"), F.lit(None).cast("float").alias("c"),
    )
    comp_edges = edges.join(labels, edges.a == labels.node).select(
        "comp", F.lit(1).alias("kind"), F.lit(None).cast("long").alias("ord"),
        F.lit(None).cast("binary").alias("fp"), "a", "b", "j", "c",
    )
    # Grouped by component: one shuffle of members and edges by `comp`,
    # then each partition's components clustered in one call (a call per
    # component, as applyInArrow makes, cost ~3 ms each: 130 s for the
    # 41,000 components of the 100k corpus).
    reps = (
        members.unionByName(comp_edges)
        .repartition(partitions, "comp")
        .mapInArrow(_cluster_partitions(settings), _schema("ord long, rep long"))
    )
    # Every article's cluster: its component's answer, else itself; ids
    # numbered by first member in input order.
    firsts = (
        articles.select("ord", "id", "too_short")
        .join(reps, "ord", "left")
        .withColumn("rep", F.coalesce("rep", "ord"))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    numbered = (
        firsts.select("rep").distinct().orderBy("rep").rdd.map(lambda r: r[0]).zipWithIndex()
        .toDF(["rep", "cluster"])
    )
    dups = articles.groupBy("id").count().where(F.col("count") > 1).select("id", F.lit(True).alias("dup"))
    final = (
        firsts.join(numbered, "rep")
        .join(dups, "id", "left")
        .select("ord", "id", F.col("cluster").cast("int"), F.coalesce("dup", F.lit(False)).alias("dup"), "too_short")
        .orderBy("ord")
    )
    if report:
        final = final.persist(StorageLevel.MEMORY_AND_DISK)
    blobs = final.mapInArrow(_line_batches(names), _schema("top long, lines binary"))
    tmp = f"{assignments}.tmp-{os.getpid()}"
    n_clusters = 0
    with open(tmp, "wb") as out:
        # Partitions in order, the next fetched while this one is written.
        for row in blobs.toLocalIterator(prefetchPartitions=True):
            out.write(row["lines"])
            n_clusters = max(n_clusters, row["top"] + 1)
    os.replace(tmp, assignments)
    lap("cluster+number+write")
    skipped_count = n_skipped
    result = SparkScan(
        files=file_counts,
        skipped=listed,
        articles=n_articles,
        records=sum(c["records"] for c in file_counts),
        skipped_count=skipped_count,
        clusters=n_clusters,
        timings=timings,
    )
    result.shuffle["edges"] = n_edges
    result.stages = stage_log
    if report:
        # Stage 5: the members of every cluster of two or more, with what
        # the reader read in stage 1, shuffled by cluster and traced per
        # partition; the stories are assembled on the driver.
        big = final.groupBy("cluster").count().where(F.col("count") >= 2).select("cluster")
        members = (
            final.select("ord", "cluster", "id")
            .join(big, "cluster")
            .join(articles.select("ord", "title", "source", "url", "published", "text"), "ord")
            .select("cluster", "ord", "id", "title", "source", "url", "published", "text")
        )
        stories = (
            members.repartition(partitions, "cluster")
            .mapInArrow(_story_partitions(settings, fmt == "html"), _schema("story binary"))
            .collect()
        )
        body = _native().story_report(
            [r["story"] for r in stories], names, n_articles, fmt, **settings
        )
        tmp = f"{report}.tmp-{os.getpid()}"
        with open(tmp, "wb") as out:
            out.write(body)
        os.replace(tmp, report)
        result.shuffle["stories"] = len(stories)
        final.unpersist()
        lap("stories+report")
        result.timings = timings
        result.stages = stage_log
    if metrics_out:
        with open(metrics_out, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "files": file_counts,
                    "summary": {
                        "records": result.records,
                        "articles": n_articles,
                        "skipped": skipped_count,
                        "clusters": n_clusters,
                        "edges": n_edges,
                    },
                    "skipped": listed,
                    "timings": timings,
                    "stages": stage_log,
                },
                out,
                indent=2,
            )
    parsed.unpersist()
    return result
