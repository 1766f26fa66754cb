"""The native API: scan equals the CLI, records and Arrow in, fingerprints
round trip, verify/cluster, reports, errors, and the GIL released."""

import json
import pickle
import subprocess
import threading
import time

import pytest

import wiretrace
from conftest import ROOT

STORY = (
    "The central bank raised its main interest rate by half a point on Tuesday, "
    "citing stubborn inflation in food and energy prices across the region, "
    "and said further increases could follow before the end of the year."
)
OTHER = (
    "A football match was won late on Sunday by the visiting side after "
    "a penalty in the last minute of stoppage time."
)


def cli_assignments(cli, path, tmp_path, *flags):
    out = tmp_path / "assignments.jsonl"
    subprocess.run([cli, "scan", str(path), "-q", "--force", "--assignments", str(out), *flags],
                   check=True, capture_output=True)
    return [(r["id"], r["cluster"]) for r in map(json.loads, out.read_text().splitlines())]


def read_jsonl(path):
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


# --- equality with the CLI ---------------------------------------------------

def test_scan_equals_cli_on_the_demo_corpus(cli, demo, tmp_path):
    result = wiretrace.scan(str(demo))
    assert result.assignments == cli_assignments(cli, demo, tmp_path)
    assert len(result) == 300
    assert result.skipped == []


def test_scan_equals_cli_on_a_generated_corpus(cli, generated, tmp_path):
    result = wiretrace.scan(generated)  # a pathlib.Path
    assert result.assignments == cli_assignments(cli, generated, tmp_path)
    assert len(result.clusters) > 100


def test_settings_reach_the_scan_as_flags_do(cli, demo, tmp_path):
    result = wiretrace.scan(str(demo), shingle="word:5", threshold=0.5, lede=False)
    flags = ["--shingle", "word:5", "--threshold", "0.5", "--no-lede"]
    assert result.assignments == cli_assignments(cli, demo, tmp_path, *flags)
    assert result.assignments != wiretrace.scan(str(demo)).assignments


# --- records in ----------------------------------------------------------------

def test_dict_records_scan_as_the_file_does(demo):
    records = read_jsonl(demo)
    assert wiretrace.scan(records).assignments == wiretrace.scan(str(demo)).assignments
    # A generator works too.
    assert wiretrace.scan(r for r in records).assignments == wiretrace.scan(str(demo)).assignments


def test_arrow_table_and_record_batch_scan_as_the_file_does(demo):
    pa = pytest.importorskip("pyarrow")
    records = read_jsonl(demo)
    table = pa.Table.from_pylist(records)
    want = wiretrace.scan(str(demo)).assignments
    assert wiretrace.scan(table).assignments == want
    batches = table.to_batches(max_chunksize=64)
    assert len(batches) > 1
    assert wiretrace.scan(pa.Table.from_batches(batches)).assignments == want
    one = table.combine_chunks().to_batches()[0]
    assert wiretrace.scan(one).assignments == want


def test_arrow_large_strings_and_extra_columns(demo):
    pa = pytest.importorskip("pyarrow")
    records = read_jsonl(demo)
    table = pa.Table.from_pylist(records)
    table = table.cast(pa.schema([
        pa.field(f.name, pa.large_string() if f.type == pa.string() else f.type) for f in table.schema
    ]))
    # A column the scan does not read may be of any type.
    table = table.append_column("tags", pa.array([[1, 2]] * len(records)))
    assert wiretrace.scan(table).assignments == wiretrace.scan(str(demo)).assignments


def test_arrow_timestamps_are_dates():
    pa = pytest.importorskip("pyarrow")
    import datetime as dt
    when = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
    table = pa.table({
        "id": ["a", "b"],
        "text": [STORY, STORY + " Read the original article here."],
        "published": pa.array([when, when + dt.timedelta(hours=2)], pa.timestamp("ms", tz="UTC")),
    })
    result = wiretrace.scan(table)
    assert result.clusters == [["a", "b"]]
    as_dicts = wiretrace.scan([{"id": "a", "text": STORY, "published": when},
                               {"id": "b", "text": STORY + " Read the original article here.",
                                "published": when + dt.timedelta(hours=2)}])
    assert as_dicts.assignments == result.assignments


def test_assignments_out_as_arrow(demo):
    pa = pytest.importorskip("pyarrow")
    result = wiretrace.scan(str(demo))
    table = pa.table(result)
    assert table.column_names == ["id", "cluster"]
    assert list(zip(table["id"].to_pylist(), table["cluster"].to_pylist())) == result.assignments


def test_records_with_other_field_names():
    records = [{"key": 1, "body": STORY}, {"key": 2, "body": STORY}, {"key": 3, "body": OTHER}]
    result = wiretrace.scan(records, id_field="key", text_field="body")
    assert result.ids == ["1", "2", "3"]
    assert result.clusters == [["1", "2"]]


# --- fingerprints, verify, cluster ----------------------------------------------

def test_fingerprint_round_trip_and_band_keys():
    fper = wiretrace.Fingerprinter()
    a = fper.fingerprint(STORY, title="Central bank raises rates")
    data = a.to_bytes()
    assert isinstance(data, bytes) and len(data) == 481
    b = wiretrace.Fingerprint.from_bytes(data)
    assert a == b
    assert a.band_keys() == b.band_keys() and len(a.band_keys()) > 0
    assert all(isinstance(band, int) and isinstance(key, int) for band, key in a.band_keys())
    assert pickle.loads(pickle.dumps(a)) == a
    # Settings travel with a pickled fingerprint.
    f64 = wiretrace.Fingerprinter(num_perm=64).fingerprint(STORY)
    back = pickle.loads(pickle.dumps(f64))
    assert back == f64 and back.band_keys() == f64.band_keys()
    with pytest.raises(ValueError, match="num_perm"):
        wiretrace.Fingerprint.from_bytes(f64.to_bytes())


def test_verify_and_cluster():
    fper = wiretrace.Fingerprinter()
    a = fper.fingerprint(STORY, title="Central bank raises rates", source="Wire")
    b = fper.fingerprint(STORY + "\n\nRead the original article here.", title="Bank lifts rates", source="Gazette")
    c = fper.fingerprint(OTHER)
    assert set(a.band_keys()) & set(b.band_keys())
    e = wiretrace.verify(a, b)
    assert isinstance(e, wiretrace.Edge) and (e.a, e.b) == (0, 1) and e.jaccard > 0.8
    assert wiretrace.verify(a, c) is None
    e = wiretrace.verify(a, b, indices=(0, 1))
    assert wiretrace.cluster(3, [e]) == [0, 0, 1]
    assert wiretrace.cluster(3, [(1, 2)]) == [0, 1, 1]
    assert wiretrace.cluster(3, [e], fingerprints=[a, b, c]) == [0, 0, 1]
    assert pickle.loads(pickle.dumps(e)) == e


def test_fingerprint_batch_equals_one_by_one(demo):
    records = read_jsonl(demo)
    texts = [r["text"] for r in records]
    titles = [r.get("title") or "" for r in records]
    sources = [r.get("source") for r in records]
    published = [r.get("published") for r in records]
    assert sum(p is not None for p in published) > 200
    fper = wiretrace.Fingerprinter()
    batch = fper.fingerprint_batch(texts, titles=titles, sources=sources, published=published)
    assert len(batch) == len(texts)
    for fp, t, h, s, p in zip(batch, texts, titles, sources, published):
        assert fp == fper.fingerprint(t, title=h, source=s, published=p)
    # The header (outlet, time) is part of the fingerprint.
    assert fper.fingerprint_batch(texts) != batch


def test_fingerprint_batch_of_arrow_strings_equals_the_list(demo):
    pa = pytest.importorskip("pyarrow")
    texts = [r["text"] for r in read_jsonl(demo)]
    fper = wiretrace.Fingerprinter(threads=2)
    want = fper.fingerprint_batch(texts)
    assert fper.fingerprint_batch(pa.array(texts)) == want
    assert fper.fingerprint_batch(pa.chunked_array([texts[:100], texts[100:]])) == want
    assert fper.fingerprint_batch(pa.array(texts, pa.large_string())) == want


def test_the_api_path_finds_the_scans_pairs(demo):
    """Fingerprints grouped by band keys and verified give edges the scan
    also has (the scan adds lede-pass edges and corpus headline counts)."""
    records = read_jsonl(demo)
    fper = wiretrace.Fingerprinter(lede=False)
    fps = fper.fingerprint_batch([r["text"] for r in records], titles=[r.get("title") or "" for r in records])
    groups = {}
    for i, fp in enumerate(fps):
        for key in fp.band_keys():
            groups.setdefault(key, []).append(i)
    pairs = {(x, y) for m in groups.values() for i, x in enumerate(m) for y in m[i + 1:]}
    edges = [e for e in (wiretrace.verify(fps[a], fps[b], indices=(a, b)) for a, b in sorted(pairs)) if e]
    scan = wiretrace.scan(str(demo), lede=False)
    scan_pairs = {(e.a, e.b) for e in scan.edges}
    found = {(e.a, e.b) for e in edges}
    assert len(found) > 50
    assert len(found & scan_pairs) >= 0.95 * len(found)


# --- reports and check ----------------------------------------------------------

def test_report_to_a_file_and_to_a_string(demo, tmp_path):
    result = wiretrace.scan(str(demo))
    out = tmp_path / "report.html"
    assert wiretrace.report(result, out) is None
    html = out.read_text()
    assert html.lstrip().lower().startswith("<!doctype html")
    js = json.loads(wiretrace.report(result, format="json"))
    assert js["summary"]["stories"] > 0
    md = wiretrace.report(result, tmp_path / "r.md")
    assert md is None and (tmp_path / "r.md").read_text().startswith("#")
    with pytest.raises(ValueError, match="format"):
        wiretrace.report(result, format="pdf")


def test_report_escapes_hostile_text():
    hostile = ROOT / "testdata" / "lineage" / "hostile.jsonl"
    html = wiretrace.report(wiretrace.scan(str(hostile)), format="html")
    assert "alert('t')" in html.replace("&#39;", "'") or "alert(&#x27;t&#x27;)" in html
    for payload in ["<script>alert('t')</script>", "<script>alert('pwned')</script>", "<img src=x onerror"]:
        assert payload not in html


def test_check_finds_the_republished_original():
    root = ROOT / "testdata" / "lineage"
    c = wiretrace.check(str(root / "seeds-originals.jsonl"), str(root / "seeds-corpus.jsonl"))
    assert isinstance(c, wiretrace.CheckResult)
    assert sum(c.originals) >= 1
    assert c.copies >= 1
    assert c.verdict() in ("clean", "skipped")
    assert json.loads(wiretrace.report(c, format="json"))["summary"]["originals"] >= 1


# --- errors ---------------------------------------------------------------------

def test_errors_are_python_exceptions_with_the_rust_message(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        wiretrace.scan(str(tmp_path / "nope.jsonl"))
    with pytest.raises(ValueError, match="threshold="):
        wiretrace.scan([{"id": 1, "text": STORY}], threshold=1.5)
    with pytest.raises(TypeError, match="unknown setting `treshold`"):
        wiretrace.Fingerprinter(treshold=0.5)
    with pytest.raises(ValueError, match="shingle"):
        wiretrace.Fingerprinter(shingle="word")
    with pytest.raises(ValueError, match="bands and rows"):
        wiretrace.Fingerprinter(bands=4)
    with pytest.raises(ValueError, match="not a fingerprint"):
        wiretrace.Fingerprint.from_bytes(b"nonsense")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "a", "text": STORY}) + "\n{not json\n")
    with pytest.raises(wiretrace.WiretraceError, match=r"bad\.jsonl:2.*without strict=True"):
        wiretrace.scan(str(bad), strict=True)
    with pytest.raises(wiretrace.WiretraceError, match=r"<records>:2: no field `text`; name the right one with text_field="):
        wiretrace.scan([{"id": "a", "text": STORY}, {"id": "b"}], strict=True)
    # Without strict the record is skipped and listed with file:line.
    result = wiretrace.scan(str(bad))
    assert len(result.skipped) == 1 and "bad.jsonl:2" in result.skipped[0]
    with pytest.raises(TypeError, match="record 2"):
        wiretrace.scan([{"id": "a", "text": STORY}, ["not", "a", "dict"]])
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        wiretrace.Fingerprinter().fingerprint_batch(["ok", 3])
    with pytest.raises(ValueError, match="titles"):
        wiretrace.Fingerprinter().fingerprint_batch(["a", "b"], titles=["one"])
    with pytest.raises(wiretrace.WiretraceError, match="no articles"):
        wiretrace.scan([])


# --- the GIL ----------------------------------------------------------------------

def _progress_during(call):
    """How many times a Python thread advanced a counter while `call` ran."""
    count = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            count[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    time.sleep(0.05)
    before = count[0]
    call()
    during = count[0] - before
    stop.set()
    t.join()
    return during


def test_batch_calls_release_the_gil(demo):
    texts = [r["text"] for r in read_jsonl(demo)] * 40  # 12,000 articles
    fper = wiretrace.Fingerprinter()
    start = time.perf_counter()
    during = _progress_during(lambda: fper.fingerprint_batch(texts))
    took = time.perf_counter() - start
    # Holding the GIL, the thread could not run at all during the call
    # (a call of this length spans many 5 ms switch intervals).
    assert took > 0.05
    assert during > 1000, f"the thread advanced only {during} times in {took:.2f} s"
    assert _progress_during(lambda: wiretrace.scan(str(demo))) > 1000
