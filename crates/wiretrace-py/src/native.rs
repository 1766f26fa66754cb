//! The native API: `scan`, `check`, `Fingerprinter`, `Fingerprint`,
//! `Edge`, `verify`, `cluster`, `report`. Each is the core's function of
//! the same name (`wiretrace::pipeline::scan`, `Fingerprinter`,
//! `verify::pair`, `cluster::cluster_with_cores`, `report::write_report`),
//! so Python gets the CLI's answers. Batch calls release the GIL.

use crate::errors::IntoPy;
use crate::records::{self, Texts};
use crate::settings::Settings;
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchIterator, StringArray, UInt32Array};
use arrow_schema::{DataType, Field, Schema};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyDict};
use std::path::PathBuf;
use std::sync::Arc;
use wiretrace::cluster::{cluster_with_cores, FingerprintCores};
use wiretrace::fingerprint::Input;
use wiretrace::report::{Mode, Output, Report, ReportFormat};
use wiretrace::verify::{self as wv, PairContext};
use wiretrace::{pipeline, Scan};

/// Everything a scan found: assignments, clusters, skipped records.
#[pyclass(name = "Result", module = "wiretrace", frozen)]
pub struct PyScan {
    scan: Arc<Scan>,
}

#[pymethods]
impl PyScan {
    /// `(id, cluster)` for every article in input order: the CLI's
    /// `--assignments` lines.
    #[getter]
    fn assignments(&self) -> Vec<(String, u32)> {
        let s = &self.scan;
        s.docs
            .iter()
            .zip(&s.clusters.of)
            .map(|(d, &c)| (d.id.clone(), c))
            .collect()
    }

    /// Each article's cluster id, in input order.
    #[getter]
    fn cluster_of(&self) -> Vec<u32> {
        self.scan.clusters.of.clone()
    }

    /// Article ids in input order.
    #[getter]
    fn ids(&self) -> Vec<String> {
        self.scan.docs.iter().map(|d| d.id.clone()).collect()
    }

    /// Clusters of two or more articles as lists of ids (input order),
    /// largest first, ties by cluster id (the CLI's `-o` order).
    #[getter]
    fn clusters(&self) -> Vec<Vec<String>> {
        let s = &self.scan;
        let mut multi: Vec<(u32, Vec<u32>)> = s
            .clusters
            .members()
            .into_iter()
            .enumerate()
            .filter(|(_, m)| m.len() >= 2)
            .map(|(c, m)| (c as u32, m))
            .collect();
        multi.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        multi
            .into_iter()
            .map(|(_, m)| m.iter().map(|&i| s.docs[i as usize].id.clone()).collect())
            .collect()
    }

    /// Verified pairs as `Edge`s between article indices (input order).
    #[getter]
    fn edges(&self) -> Vec<PyEdge> {
        self.scan.edges.iter().map(|&e| PyEdge(e)).collect()
    }

    /// Records and files not scanned, as `"file:line: why"`.
    #[getter]
    fn skipped(&self) -> Vec<String> {
        self.scan.skipped.iter().map(|s| s.to_string()).collect()
    }

    /// Records not scanned, counted exactly (`skipped` lists each file's
    /// first `max_errors`).
    #[getter]
    fn skipped_count(&self) -> u64 {
        self.scan.stats.skipped
    }

    fn __len__(&self) -> usize {
        self.scan.docs.len()
    }

    /// The assignments as an Arrow stream (columns `id`, `cluster`), for
    /// `pyarrow.table(result)`, polars or duckdb: the Arrow PyCapsule
    /// interface. `requested_schema` is not used.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let s = &self.scan;
        let ids = StringArray::from_iter_values(s.docs.iter().map(|d| d.id.as_str()));
        let clusters = UInt32Array::from(s.clusters.of.clone());
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("cluster", DataType::UInt32, false),
        ]));
        let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(ids), Arc::new(clusters)])
            .map_err(|e| PyValueError::new_err(format!("Arrow output: {e}")))?;
        let reader = RecordBatchIterator::new(vec![Ok(batch)], schema);
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    fn __repr__(&self) -> String {
        let multi = self
            .scan
            .clusters
            .members()
            .iter()
            .filter(|m| m.len() >= 2)
            .count();
        format!(
            "<wiretrace.Result: {} articles, {} clusters of two or more, {} skipped>",
            self.scan.docs.len(),
            multi,
            self.scan.stats.skipped
        )
    }
}

/// What `check` found: the report of the stories holding an original.
#[pyclass(name = "CheckResult", module = "wiretrace", frozen)]
pub struct PyCheck {
    check: wiretrace::check::Check,
    scan: Py<PyScan>,
}

#[pymethods]
impl PyCheck {
    /// The scan of originals and corpus (assignments, clusters, skipped).
    #[getter]
    fn scan(&self, py: Python<'_>) -> Py<PyScan> {
        self.scan.clone_ref(py)
    }

    /// One flag per scanned article: whether it is an original.
    #[getter]
    fn originals(&self) -> Vec<bool> {
        self.check.originals.clone()
    }

    /// Copies that credit neither the original nor their parent.
    #[getter]
    fn unattributed(&self) -> usize {
        self.check.unattributed()
    }

    /// Copies of the originals found.
    #[getter]
    fn copies(&self) -> usize {
        self.check.report.summary.copies
    }

    /// Ids of the originals nobody republished.
    #[getter]
    fn not_republished(&self) -> Vec<String> {
        self.check
            .report
            .summary
            .not_republished
            .clone()
            .unwrap_or_default()
    }

    /// `"unattributed"` (only with `fail_on_unattributed`), `"skipped"` or
    /// `"clean"`: the CLI's exit codes 3, 1, 0.
    #[pyo3(signature = (fail_on_unattributed = false))]
    fn verdict(&self, fail_on_unattributed: bool) -> &'static str {
        match self.check.verdict(fail_on_unattributed) {
            wiretrace::check::Verdict::Unattributed => "unattributed",
            wiretrace::check::Verdict::Skipped => "skipped",
            wiretrace::check::Verdict::Clean => "clean",
        }
    }
}

/// Scans `source` (a path, a list of paths, an iterable of dicts, or a
/// pyarrow Table / RecordBatch with the CLI's field names) with `settings`
/// (the CLI's flags in snake_case). Releases the GIL while it runs.
#[pyfunction]
#[pyo3(signature = (source, **settings))]
pub fn scan(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyScan> {
    let s = Settings::from_kwargs(py, settings)?;
    let src = records::source(source, &s.config)?;
    let cfg = &s.config;
    let scan = py
        .detach(|| {
            s.install(|| match src {
                records::Source::Paths(p) => pipeline::scan(cfg, &p, &pipeline::NoProgress),
                other => other
                    .open()
                    .and_then(|inputs| pipeline::scan_inputs(cfg, inputs, &pipeline::NoProgress)),
            })
        })?
        .py_err()?;
    Ok(PyScan {
        scan: Arc::new(scan),
    })
}

fn paths(obj: &Bound<'_, PyAny>, cfg: &wiretrace::Config) -> PyResult<Vec<PathBuf>> {
    match records::source(obj, cfg) {
        Ok(records::Source::Paths(p)) => Ok(p),
        Ok(_) => Err(PyTypeError::new_err(
            "check reads files: give a path or a list of paths",
        )),
        Err(e) => Err(e),
    }
}

/// `wiretrace check`: scans `originals` and `corpus` (paths) and reports
/// who republished the originals, and whether they credited them.
#[pyfunction]
#[pyo3(signature = (originals, corpus, **settings))]
pub fn check(
    py: Python<'_>,
    originals: &Bound<'_, PyAny>,
    corpus: &Bound<'_, PyAny>,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyCheck> {
    let s = Settings::from_kwargs(py, settings)?;
    let (originals, corpus) = (paths(originals, &s.config)?, paths(corpus, &s.config)?);
    let cfg = &s.config;
    let (scan, check) = py
        .detach(|| {
            s.install(|| wiretrace::check::run(cfg, &originals, &corpus, &pipeline::NoProgress))
        })?
        .py_err()?;
    let scan = Py::new(
        py,
        PyScan {
            scan: Arc::new(scan),
        },
    )?;
    Ok(PyCheck { check, scan })
}

fn report_format(path: Option<&PathBuf>, format: Option<&str>) -> PyResult<ReportFormat> {
    match format {
        Some("json") => Ok(ReportFormat::Json),
        Some("markdown") | Some("md") => Ok(ReportFormat::Markdown),
        Some("html") => Ok(ReportFormat::Html),
        Some("csv") => Ok(ReportFormat::Csv),
        Some(f) => Err(PyValueError::new_err(format!(
            "format={f:?}: expected \"json\", \"markdown\", \"html\" or \"csv\""
        ))),
        None => Ok(path
            .and_then(|p| ReportFormat::from_path(p))
            .unwrap_or(ReportFormat::Json)),
    }
}

/// Writes the lineage report of `result` (a `Result` or a `CheckResult`)
/// to `path` in `format` (`"json"`, `"markdown"`, `"html"`, `"csv"`;
/// default: from the extension, else JSON), atomically; with `path=None`
/// returns it as a str. Overwrites an existing file (the CLI's `--force`).
#[pyfunction]
#[pyo3(signature = (result, path = None, format = None))]
pub fn report(
    py: Python<'_>,
    result: &Bound<'_, PyAny>,
    path: Option<PathBuf>,
    format: Option<&str>,
) -> PyResult<Option<String>> {
    let f = report_format(path.as_ref(), format)?;
    let owned;
    let rep: &Report = if let Ok(c) = result.cast::<PyCheck>() {
        owned = c.get().check.report.clone();
        &owned
    } else if let Ok(r) = result.cast::<PyScan>() {
        let scan = r.get().scan.clone();
        owned = py.detach(|| {
            let traced = wiretrace::lineage::trace_scan(&scan);
            Report::new(&scan, traced, Mode::Scan, None)
        });
        &owned
    } else {
        return Err(PyTypeError::new_err(
            "report: expected a Result (from scan) or a CheckResult (from check)",
        ));
    };
    match path {
        Some(p) => {
            py.detach(|| {
                Output::resolve(&p, true)
                    .and_then(|out| wiretrace::report::write_report(rep, out, f))
            })
            .py_err()?;
            Ok(None)
        }
        None => {
            let mut buf = Vec::new();
            wiretrace::report::render_report(rep, f, &mut buf)
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
        }
    }
}

/// What `__reduce__` returns: a callable and its arguments.
type Reduce<'py, A> = (Bound<'py, PyAny>, A);

/// A verified pair: articles `a` < `b` (indices), their (estimated)
/// Jaccard similarity and containment.
#[pyclass(name = "Edge", module = "wiretrace", frozen, eq)]
#[derive(Clone, Copy, PartialEq)]
pub struct PyEdge(pub wv::Edge);

#[pymethods]
impl PyEdge {
    #[new]
    #[pyo3(signature = (a, b, jaccard = 1.0, containment = 1.0))]
    fn new(a: u32, b: u32, jaccard: f64, containment: f64) -> Self {
        PyEdge(wv::Edge::new(a.min(b), a.max(b), jaccard, containment))
    }
    /// The smaller article index.
    #[getter]
    fn a(&self) -> u32 {
        self.0.a
    }
    /// The larger article index.
    #[getter]
    fn b(&self) -> u32 {
        self.0.b
    }
    /// Jaccard similarity of the shingle sets (estimated).
    #[getter]
    fn jaccard(&self) -> f32 {
        self.0.jaccard
    }
    /// Share of the smaller shingle set found in the larger.
    #[getter]
    fn containment(&self) -> f32 {
        self.0.containment
    }
    fn __repr__(&self) -> String {
        format!(
            "Edge(a={}, b={}, jaccard={:.3}, containment={:.3})",
            self.0.a, self.0.b, self.0.jaccard, self.0.containment
        )
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduce<'py, (u32, u32, f32, f32)>> {
        let e = slf.get().0;
        Ok((
            slf.get_type().into_any(),
            (e.a, e.b, e.jaccard, e.containment),
        ))
    }
}

/// One article's fingerprint: MinHash signature, lede signature, shingle
/// count, anchor and figure sketches, header. Made by a `Fingerprinter`;
/// stored in bytes (`to_bytes`), compared with `verify`.
#[pyclass(name = "Fingerprint", module = "wiretrace", frozen)]
pub struct PyFingerprint {
    pub fp: wiretrace::Fingerprint,
    pub settings: Arc<Settings>,
}

#[pymethods]
impl PyFingerprint {
    /// The fingerprint as bytes (`docs/fingerprint.md`: 481 bytes at
    /// num_perm=128).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.fp.to_bytes())
    }

    /// The fingerprint `data` holds (from `to_bytes`), with `settings` for
    /// its band keys and verification (those it was made with). Raises
    /// `ValueError` for bytes that are not a fingerprint.
    #[staticmethod]
    #[pyo3(signature = (data, **settings))]
    fn from_bytes(
        py: Python<'_>,
        data: &[u8],
        settings: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let s = Settings::from_kwargs(py, settings)?;
        let fp = wiretrace::Fingerprint::from_bytes(data)
            .map_err(|e| PyValueError::new_err(format!("not a fingerprint: {e}")))?;
        if fp.signature().len() != s.config.num_perm {
            return Err(PyValueError::new_err(format!(
                "the fingerprint has {} signature values but the settings say num_perm={}: load it with the settings it was made with",
                fp.signature().len(),
                s.config.num_perm
            )));
        }
        Ok(PyFingerprint { fp, settings: s })
    }

    /// `(band, key)` for each LSH band the fingerprint is in (none for an
    /// article shorter than `min_shingles`): fingerprints sharing a pair
    /// are the candidates a scan verifies. `lede=True`: the lede bands
    /// (openings), none when the settings say `lede=False`.
    #[pyo3(signature = (lede = false))]
    fn band_keys(&self, lede: bool) -> Vec<(usize, u64)> {
        let banding = if lede {
            self.settings.lede.as_ref()
        } else {
            Some(&self.settings.banding)
        };
        banding
            .map(|b| b.keys(&self.fp).collect())
            .unwrap_or_default()
    }

    /// The MinHash signature (low 16 bits of each minimum).
    #[getter]
    fn signature(&self) -> Vec<u16> {
        self.fp.signature().to_vec()
    }

    /// Distinct shingles of the normalized text.
    #[getter]
    fn shingle_count(&self) -> u32 {
        self.fp.shingle_count()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyFingerprint>()
            .is_ok_and(|o| o.get().fp == self.fp)
    }

    fn __repr__(&self) -> String {
        format!(
            "<wiretrace.Fingerprint: {} shingles>",
            self.fp.shingle_count()
        )
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<Reduce<'py, (Bound<'py, PyBytes>, Py<PyDict>)>> {
        let restore = py.import("wiretrace")?.getattr("_fingerprint_from_state")?;
        let me = slf.get();
        Ok((restore, (me.to_bytes(py), me.settings.kwargs.clone_ref(py))))
    }
}

/// Makes fingerprints with `settings` (the CLI's flags in snake_case:
/// `shingle="word:5"`, `num_perm=64`, `boilerplate=[...]`).
#[pyclass(name = "Fingerprinter", module = "wiretrace", frozen)]
pub struct PyFingerprinter {
    inner: wiretrace::Fingerprinter,
    settings: Arc<Settings>,
}

fn timestamp(v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<i64>> {
    let Some(v) = v else { return Ok(None) };
    if v.is_none() {
        return Ok(None);
    }
    if let Ok(n) = v.extract::<i64>() {
        return Ok(Some(n));
    }
    let text: String = if v.hasattr("isoformat")? {
        v.call_method0("isoformat")?.extract()?
    } else {
        v.extract()?
    };
    wiretrace::ingest::parse_timestamp(&text).map(Some).ok_or_else(|| {
        PyValueError::new_err(format!(
            "published={text:?}: expected seconds since the epoch, an RFC 3339 date-time or YYYY-MM-DD"
        ))
    })
}

fn optional_column(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
    n: usize,
) -> PyResult<Option<Texts>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    let t = Texts::extract(obj, what)?;
    let len = t.rows().len();
    if len != n {
        return Err(PyValueError::new_err(format!(
            "{what}: {len} given for {n} texts"
        )));
    }
    Ok(Some(t))
}

#[pymethods]
impl PyFingerprinter {
    #[new]
    #[pyo3(signature = (**settings))]
    fn new(py: Python<'_>, settings: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let s = Settings::from_kwargs(py, settings)?;
        let inner = wiretrace::Fingerprinter::new(&s.config).py_err()?;
        Ok(PyFingerprinter { inner, settings: s })
    }

    /// The fingerprint of one article: body `text`, headline `title`,
    /// outlet `source`, `published` (seconds since the epoch, a datetime or
    /// an ISO 8601 str).
    #[pyo3(signature = (text, title = None, source = None, published = None))]
    fn fingerprint(
        &self,
        text: &str,
        title: Option<&str>,
        source: Option<&str>,
        published: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyFingerprint> {
        let fp = self
            .inner
            .fingerprint(title, text, source, timestamp(published)?);
        Ok(PyFingerprint {
            fp,
            settings: self.settings.clone(),
        })
    }

    /// The fingerprints of `texts` (a list of str, or an Arrow string
    /// array read in place), in order, with optional `titles`, `sources`
    /// and `published` (as for `fingerprint`) alongside. Made in parallel
    /// on Rust threads with the GIL released.
    #[pyo3(signature = (texts, titles = None, sources = None, published = None))]
    fn fingerprint_batch(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        titles: Option<&Bound<'_, PyAny>>,
        sources: Option<&Bound<'_, PyAny>>,
        published: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<PyFingerprint>> {
        let texts = Texts::extract(texts, "texts")?;
        let rows = texts.rows();
        let titles = optional_column(titles, "titles", rows.len())?;
        let sources = optional_column(sources, "sources", rows.len())?;
        let times: Option<Vec<Option<i64>>> = match published.filter(|p| !p.is_none()) {
            None => None,
            Some(p) => {
                let t = p
                    .try_iter()?
                    .map(|x| timestamp(Some(&x?)))
                    .collect::<PyResult<Vec<_>>>()?;
                if t.len() != rows.len() {
                    return Err(PyValueError::new_err(format!(
                        "published: {} given for {} texts",
                        t.len(),
                        rows.len()
                    )));
                }
                Some(t)
            }
        };
        let fps = py.detach(|| {
            let title_rows = titles.as_ref().map(|t| t.rows());
            let source_rows = sources.as_ref().map(|t| t.rows());
            let inputs: Vec<Input<'_>> = rows
                .iter()
                .enumerate()
                .map(|(i, t)| Input {
                    title: title_rows.as_ref().and_then(|r| r[i]),
                    text: t.unwrap_or(""),
                    outlet: source_rows.as_ref().and_then(|r| r[i]),
                    published: times.as_ref().and_then(|t| t[i]),
                })
                .collect();
            self.settings
                .install(|| self.inner.fingerprint_batch(&inputs))
        })?;
        Ok(fps
            .into_iter()
            .map(|fp| PyFingerprint {
                fp,
                settings: self.settings.clone(),
            })
            .collect())
    }

    /// The signature length (`num_perm`).
    #[getter]
    fn num_perm(&self) -> usize {
        self.inner.k()
    }
}

/// Whether fingerprints `a` and `b` are copies, decided as a scan decides
/// a pair its bands meet (headline words all weigh 1: no corpus counts).
/// Give them in corpus order (`a` read first). Returns an `Edge` whose
/// `a`, `b` are `indices` (default `(0, 1)`), or `None`.
#[pyfunction]
#[pyo3(signature = (a, b, indices = (0, 1)))]
pub fn verify(a: &PyFingerprint, b: &PyFingerprint, indices: (u32, u32)) -> Option<PyEdge> {
    wv::pair(&a.fp, &b.fp, &a.settings.rules, &PairContext::default()).map(|e| {
        let (x, y) = indices;
        PyEdge(wv::Edge {
            a: x.min(y),
            b: x.max(y),
            ..e
        })
    })
}

/// Cluster ids (`0..count`) of `n` articles joined by `edges` (`Edge`s
/// or `(a, b)` pairs of indices). With `fingerprints` (one per article)
/// clusters as the scan does: strongest edges first, joining two clusters
/// only when their cores are alike; without, the connected components.
#[pyfunction]
#[pyo3(signature = (n, edges, fingerprints = None))]
pub fn cluster(
    py: Python<'_>,
    n: usize,
    edges: &Bound<'_, PyAny>,
    fingerprints: Option<Vec<PyRef<'_, PyFingerprint>>>,
) -> PyResult<Vec<u32>> {
    let mut es = Vec::new();
    for item in edges.try_iter()? {
        let item = item?;
        let e = if let Ok(e) = item.cast::<PyEdge>() {
            e.get().0
        } else if let Ok((a, b)) = item.extract::<(u32, u32)>() {
            wv::Edge::new(a.min(b), a.max(b), 1.0, 1.0)
        } else {
            return Err(PyTypeError::new_err(
                "edges: expected Edge objects or (a, b) pairs",
            ));
        };
        if e.b as usize >= n || e.a == e.b {
            return Err(PyValueError::new_err(format!(
                "edge ({}, {}): indices must differ and be below n={n}",
                e.a, e.b
            )));
        }
        es.push(e);
    }
    match fingerprints {
        None => Ok(py.detach(|| wiretrace::cluster::cluster(n, &es).of)),
        Some(f) => {
            if f.len() != n {
                return Err(PyValueError::new_err(format!(
                    "fingerprints: {} given for n={n} articles",
                    f.len()
                )));
            }
            let rules = f.first().map(|x| x.settings.rules);
            let fps: Vec<wiretrace::Fingerprint> = f.iter().map(|x| x.fp.clone()).collect();
            Ok(py.detach(|| match rules {
                Some(r) => cluster_with_cores(n, &es, &FingerprintCores::of(&fps, &r)).of,
                None => Vec::new(),
            }))
        }
    }
}

/// `Fingerprint.__reduce__`'s loader: bytes and the settings as given.
#[pyfunction]
#[pyo3(signature = (data, settings))]
pub fn _fingerprint_from_state(
    py: Python<'_>,
    data: &[u8],
    settings: &Bound<'_, PyDict>,
) -> PyResult<PyFingerprint> {
    PyFingerprint::from_bytes(py, data, Some(settings))
}

/// Adds the native API to `m`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyScan>()?;
    m.add_class::<PyCheck>()?;
    m.add_class::<PyEdge>()?;
    m.add_class::<PyFingerprint>()?;
    m.add_class::<PyFingerprinter>()?;
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(cluster, m)?)?;
    m.add_function(wrap_pyfunction!(_fingerprint_from_state, m)?)?;
    Ok(())
}
