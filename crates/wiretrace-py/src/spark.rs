//! The Rust half of the Spark job (`python -m wiretrace.spark`): one
//! function per stage, each taking the columns of one Arrow batch (as
//! Python lists and bytes) and giving columns back. Spark does the
//! grouping, joining and shuffling; every decision is made here by the
//! very functions the CLI's scan calls (the public path `tests/api.rs`
//! checks against the scan), so the job's assignments are the CLI's.
//!
//! Articles are named by an *ordinal*, `file << 32 | line` (the file's
//! index in input order, the record's 1-based line): unique, stable across
//! runs and partitionings, and sorted in input order, which is what the
//! CLI's article indices are (its numbering of clusters by first member
//! and its tie-breaks compare indices, so any order-preserving numbering
//! decides alike).
//!
//! Registered as the submodule `wiretrace._wiretrace.spark`.

use crate::settings::Settings;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyDict};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use wiretrace::cluster::{cluster_with_cores, Clusters, FingerprintCores};
use wiretrace::fingerprint::Input;
use wiretrace::ingest::{self, Inputs, ReadOptions};
use wiretrace::ingest::{Corpus, Meta, RecordLoc};
use wiretrace::lineage::{self, ClusterLineage, Lineage, LineageConfig};
use wiretrace::lsh::{Banding, CAPPED_WINDOW};
use wiretrace::report::{render_report, Mode, Report, ReportFormat, Settings as ReportSettings};
use wiretrace::verify::{self, Edge, HeadlineCounts, LedeVerdict, PairContext};
use wiretrace::{Fingerprint, Fingerprinter};

/// Bits of an ordinal's line number; the file index sits above them.
const LINE_BITS: u32 = 32;
/// Bits of a band tag's ordinal; the pass (1 bit: lede) and band (7 bits)
/// sit above them.
const ORD_BITS: u32 = 56;

/// Registers the submodule `spark`.
pub fn register(parent: &Bound<'_, PyModule>) -> PyResult<()> {
    let m = PyModule::new(parent.py(), "spark")?;
    m.add_function(wrap_pyfunction!(parse_file, &m)?)?;
    m.add_function(wrap_pyfunction!(band_rows, &m)?)?;
    m.add_function(wrap_pyfunction!(bucket_pairs, &m)?)?;
    m.add_function(wrap_pyfunction!(verify_pairs, &m)?)?;
    m.add_function(wrap_pyfunction!(exact_pairs, &m)?)?;
    m.add_function(wrap_pyfunction!(cluster_components, &m)?)?;
    m.add_function(wrap_pyfunction!(assignment_lines, &m)?)?;
    m.add_function(wrap_pyfunction!(trace_stories, &m)?)?;
    m.add_function(wrap_pyfunction!(story_report, &m)?)?;
    m.add("LINE_BITS", LINE_BITS)?;
    m.add("ORD_BITS", ORD_BITS)?;
    parent.add_submodule(&m)?;
    Ok(())
}

fn fingerprint_of(bytes: &[u8]) -> PyResult<Fingerprint> {
    Fingerprint::from_bytes(bytes).map_err(|e| {
        PyValueError::new_err(format!(
            "a fingerprint column holds bytes that are not a fingerprint ({e}); \
             the job's stages must run with one wiretrace version"
        ))
    })
}

fn fingerprints(col: &[PyBackedBytes]) -> PyResult<Vec<Fingerprint>> {
    col.iter().map(|b| fingerprint_of(b)).collect()
}

/// Reads one input file as the CLI reads it (`name` is the path as the
/// user named it: it appears in skip reasons and `"at"` locations) and
/// fingerprints its articles. `file` is the file's index in input order.
///
/// Returns a dict of columns, one row per record (articles and skipped
/// records, in line order): `line`, `ord` (`file << 32 | line`), `ok`,
/// `id`, `fp` (`Fingerprint::to_bytes`), `too_short`, `words` (headline
/// words, for the corpus-wide counts), `text` (for the lede pass's exact
/// counts), `title`, `source`, `url`, `published` (the metadata lineage
/// reads, for the report stage) and `reason` (why a record was skipped, as the CLI says it).
#[pyfunction]
#[pyo3(signature = (name, file, content, **settings))]
fn parse_file<'py>(
    py: Python<'py>,
    name: &str,
    file: u32,
    content: Vec<u8>,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let s = Settings::from_kwargs(py, settings)?;
    let cfg = &s.config;
    let fper = Fingerprinter::new(cfg).map_err(crate::errors::to_py)?;
    let opts = ReadOptions::from_config(cfg);
    let inputs = Inputs::from_jsonl(name, content);
    let banding = s.banding;
    let rows = py.detach(|| {
        s.install(|| {
            let parsed = ingest::read(&inputs, &opts);
            let texts: Vec<Input> = parsed
                .iter()
                .filter_map(|p| p.as_ref().ok())
                .map(|(a, _)| Input {
                    title: a.meta.title.as_deref(),
                    text: &a.text,
                    outlet: a.meta.source.as_deref(),
                    published: a.meta.published,
                })
                .collect();
            let fps = fper.fingerprint_batch(&texts);
            (parsed, fps)
        })
    })?;
    let (parsed, fps) = rows;
    let mut fps = fps.into_iter();
    let n = parsed.len();
    let (mut line, mut ord, mut ok) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::new());
    let (mut id, mut fp, mut short) = (Vec::new(), Vec::new(), Vec::new());
    let (mut words, mut text, mut reason) = (Vec::new(), Vec::new(), Vec::new());
    let (mut title, mut source, mut url, mut published) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in parsed {
        match p {
            Ok((a, _)) => {
                let f = fps.next().expect("one fingerprint per article");
                line.push(a.meta.loc.line);
                ok.push(true);
                short.push(!banding.admits(f.shingle_count()));
                words.push(f.header().headline_words().to_vec());
                fp.push(Some(PyBytes::new(py, &f.to_bytes())));
                title.push(a.meta.title);
                source.push(a.meta.source);
                url.push(a.meta.url);
                published.push(a.meta.published);
                id.push(Some(a.meta.id));
                text.push(Some(a.text));
                reason.push(None);
            }
            Err(skip) => {
                line.push(skip.at.line);
                ok.push(false);
                id.push(None);
                short.push(false);
                words.push(Vec::new());
                fp.push(None);
                title.push(None);
                source.push(None);
                url.push(None);
                published.push(None);
                text.push(None);
                reason.push(Some(skip.to_string()));
            }
        }
        let l = *line.last().expect("pushed");
        if l >= 1 << LINE_BITS || u64::from(file) >= 1 << (ORD_BITS - LINE_BITS) {
            return Err(PyValueError::new_err(format!(
                "{name}:{l}: the Spark job names articles by file and line in 56 bits \
                 (up to 2^24 files of 2^32 lines); split the input into smaller files"
            )));
        }
        ord.push((u64::from(file) << LINE_BITS) | l);
    }
    let out = PyDict::new(py);
    out.set_item("line", line)?;
    out.set_item("ord", ord)?;
    out.set_item("ok", ok)?;
    out.set_item("id", id)?;
    out.set_item("fp", fp)?;
    out.set_item("too_short", short)?;
    out.set_item("words", words)?;
    out.set_item("text", text)?;
    out.set_item("title", title)?;
    out.set_item("source", source)?;
    out.set_item("url", url)?;
    out.set_item("published", published)?;
    out.set_item("reason", reason)?;
    Ok(out)
}

/// The band rows of a batch of fingerprints: two 8-byte columns per
/// (article, band), `key` (the band key, as i64) and `tag` (`lede << 63 |
/// band << 56 | ord`), for the main bands and, unless the lede pass is
/// off, the lede bands. Articles the banding does not admit have none
/// (as in the scan). Grouping rows by `key` and splitting each group by
/// the tag's top byte gives the scan's buckets.
#[pyfunction]
#[pyo3(signature = (fps, ords, **settings))]
fn band_rows<'py>(
    py: Python<'py>,
    fps: Vec<PyBackedBytes>,
    ords: Vec<u64>,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Vec<i64>, Vec<i64>)> {
    let s = Settings::from_kwargs(py, settings)?;
    let fps = fingerprints(&fps)?;
    if s.banding.band_count() > 128 {
        return Err(PyValueError::new_err(format!(
            "the Spark job tags rows with 7 bits of band; {} bands (the headline band included) are too many (use at most 127)",
            s.banding.band_count()
        )));
    }
    let passes: Vec<(u64, Banding)> = std::iter::once((0u64, s.banding))
        .chain(s.lede.map(|b| (1u64, b)))
        .collect();
    let (mut keys, mut tags) = (Vec::new(), Vec::new());
    for (fp, &ord) in fps.iter().zip(&ords) {
        for &(lede, banding) in &passes {
            for (band, key) in banding.keys(fp) {
                keys.push(key as i64);
                tags.push(((lede << 63) | ((band as u64) << ORD_BITS) | ord) as i64);
            }
        }
    }
    Ok((keys, tags))
}

/// The candidate pairs of the band rows of some keys (every row of each of
/// these keys: Spark groups by key first). Rows are sorted by `(key,
/// tag)`, so each bucket (one key, one band of one pass) is a run whose
/// members are in input order; a bucket of at most `max_bucket` members
/// gives all its pairs, a larger one pairs each member with its next
/// [`CAPPED_WINDOW`], as the scan does. Returns `(a, b, lede)` columns
/// with `a < b` (ordinals), one row per pair and pass, deduplicated.
#[pyfunction]
#[pyo3(signature = (keys, tags, **settings))]
fn bucket_pairs<'py>(
    py: Python<'py>,
    keys: Vec<i64>,
    tags: Vec<i64>,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Vec<i64>, Vec<i64>, Vec<bool>)> {
    let s = Settings::from_kwargs(py, settings)?;
    let max_main = s.banding.max_bucket;
    let max_lede = s.lede.map_or(max_main, |b| b.max_bucket);
    let mut pairs = py.detach(|| {
        let mut rows: Vec<(u64, u64)> = keys
            .iter()
            .zip(&tags)
            .map(|(&k, &t)| (k as u64, t as u64))
            .collect();
        rows.sort_unstable();
        let mut pairs: Vec<(u64, u64, bool)> = Vec::new();
        for run in rows.chunk_by(|x, y| x.0 == y.0 && x.1 >> ORD_BITS == y.1 >> ORD_BITS) {
            let lede = run[0].1 >> 63 == 1;
            let max = if lede { max_lede } else { max_main };
            let window = if run.len() <= max {
                run.len()
            } else {
                CAPPED_WINDOW + 1
            };
            let ord = |i: usize| run[i].1 & ((1 << ORD_BITS) - 1);
            for x in 0..run.len() {
                for y in x + 1..(x + window).min(run.len()) {
                    pairs.push((ord(x), ord(y), lede));
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    });
    let a = pairs.iter().map(|p| p.0 as i64).collect();
    let b = pairs.iter().map(|p| p.1 as i64).collect();
    let l = pairs.drain(..).map(|p| p.2).collect();
    Ok((a, b, l))
}

/// The context of the corpus's headline counts, built once per process
/// for each broadcast value (`(word, count)` pairs packed as little-endian
/// u32 pairs).
fn context(counts: &[u8], titled: u64) -> Arc<PairContext> {
    static CACHE: Mutex<Option<(u64, u64, Arc<PairContext>)>> = Mutex::new(None);
    let hash = xxhash_rust::xxh3::xxh3_64(counts);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((h, t, ctx)) = cache.as_ref() {
        if *h == hash && *t == titled {
            return ctx.clone();
        }
    }
    let pairs = counts.chunks_exact(8).map(|c| {
        (
            u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
            u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
        )
    });
    let ctx = Arc::new(PairContext::new(HeadlineCounts::from_counts(titled, pairs)));
    *cache = Some((hash, titled, ctx.clone()));
    ctx
}

/// Verifies pairs: `fa`, `fb` the two fingerprints (a read first), `lede`
/// which pass met them, `counts`/`titled` the corpus's headline counts.
/// Returns `(verdict, jaccard, containment)` columns: verdict 0 no edge,
/// 1 an edge with these figures, 2 to be counted exactly ([`exact_pairs`]).
#[pyfunction]
#[pyo3(signature = (fa, fb, pass_lede, counts, titled, **settings))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn verify_pairs<'py>(
    py: Python<'py>,
    fa: Vec<PyBackedBytes>,
    fb: Vec<PyBackedBytes>,
    pass_lede: Vec<bool>,
    counts: &[u8],
    titled: u64,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Vec<u8>, Vec<f32>, Vec<f32>)> {
    let s = Settings::from_kwargs(py, settings)?;
    let (fa, fb) = (fingerprints(&fa)?, fingerprints(&fb)?);
    let ctx = context(counts, titled);
    let rules = &s.rules;
    let out: Vec<(u8, f32, f32)> = py.detach(|| {
        s.install(|| {
            (0..fa.len())
                .into_par_iter()
                .map(|i| {
                    let (a, b) = (&fa[i], &fb[i]);
                    let found = if pass_lede[i] {
                        verify::lede_pair(a, b, rules, &ctx)
                    } else {
                        verify::pair(a, b, rules, &ctx)
                            .map_or(LedeVerdict::Rejected, LedeVerdict::Edge)
                    };
                    match found {
                        LedeVerdict::Edge(e) => (1, e.jaccard, e.containment),
                        LedeVerdict::Exact => (2, 0.0, 0.0),
                        LedeVerdict::Rejected => (0, 0.0, 0.0),
                    }
                })
                .collect()
        })
    })?;
    Ok((
        out.iter().map(|o| o.0).collect(),
        out.iter().map(|o| o.1).collect(),
        out.iter().map(|o| o.2).collect(),
    ))
}

/// The lede pass's exact decisions: the pairs [`verify_pairs`] answered 2
/// for, with both articles' texts (their shingle sets rebuilt as the scan
/// rebuilds them). Returns `(edge, jaccard, containment)` columns.
#[pyfunction]
#[pyo3(signature = (fa, fb, ta, tb, counts, titled, **settings))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn exact_pairs<'py>(
    py: Python<'py>,
    fa: Vec<PyBackedBytes>,
    fb: Vec<PyBackedBytes>,
    ta: Vec<String>,
    tb: Vec<String>,
    counts: &[u8],
    titled: u64,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Vec<bool>, Vec<f32>, Vec<f32>)> {
    let s = Settings::from_kwargs(py, settings)?;
    let fper = Fingerprinter::new(&s.config).map_err(crate::errors::to_py)?;
    let (fa, fb) = (fingerprints(&fa)?, fingerprints(&fb)?);
    let ctx = context(counts, titled);
    let rules = &s.rules;
    let out: Vec<Option<Edge>> = py.detach(|| {
        s.install(|| {
            (0..fa.len())
                .into_par_iter()
                .map(|i| {
                    let (sa, sb) = (fper.shingle_set(&ta[i]), fper.shingle_set(&tb[i]));
                    verify::lede_pair_exact(&fa[i], &fb[i], &sa, &sb, rules, &ctx)
                })
                .collect()
        })
    })?;
    Ok((
        out.iter().map(|e| e.is_some()).collect(),
        out.iter().map(|e| e.map_or(0.0, |e| e.jaccard)).collect(),
        out.iter()
            .map(|e| e.map_or(0.0, |e| e.containment))
            .collect(),
    ))
}

/// The CLI's clustering of connected components: `comp`, `ords` and
/// `fps` their members (any order), `ec`omp, `ea`/`eb`/`ej`/`ejc` their
/// edges (component, ordinals, figures), every row of each component
/// given (Spark partitions by component first). Numbered in input order
/// (ordinals sorted), a component's members meet the chaining guard of
/// [`cluster_with_cores`] exactly as in the whole corpus: it only ever
/// compares members of one component, by their fingerprints, in
/// strength-then-index order. Returns, per member (in the order given),
/// the first ordinal of its cluster.
#[pyfunction]
#[pyo3(signature = (comp, ords, fps, ecomp, ea, eb, ej, ejc, **settings))]
#[allow(clippy::too_many_arguments)]
fn cluster_components<'py>(
    py: Python<'py>,
    comp: Vec<i64>,
    ords: Vec<i64>,
    fps: Vec<PyBackedBytes>,
    ecomp: Vec<i64>,
    ea: Vec<i64>,
    eb: Vec<i64>,
    ej: Vec<f32>,
    ejc: Vec<f32>,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<i64>> {
    let s = Settings::from_kwargs(py, settings)?;
    let fps = fingerprints(&fps)?;
    let mut members: Vec<usize> = (0..ords.len()).collect();
    members.sort_unstable_by_key(|&i| (comp[i], ords[i]));
    let mut edges: Vec<usize> = (0..ea.len()).collect();
    edges.sort_unstable_by_key(|&i| (ecomp[i], ea[i], eb[i]));
    let member_runs: Vec<&[usize]> = members.chunk_by(|&x, &y| comp[x] == comp[y]).collect();
    let mut edge_runs = edges.chunk_by(|&x, &y| ecomp[x] == ecomp[y]).peekable();
    let mut out = vec![0i64; ords.len()];
    for run in member_runs {
        let c = comp[run[0]];
        while edge_runs.peek().is_some_and(|r| ecomp[r[0]] < c) {
            edge_runs.next();
        }
        let es: &[usize] = match edge_runs.peek() {
            Some(r) if ecomp[r[0]] == c => r,
            _ => &[],
        };
        let sorted: Vec<i64> = run.iter().map(|&i| ords[i]).collect();
        let local = |o: i64| -> PyResult<u32> {
            sorted.binary_search(&o).map(|i| i as u32).map_err(|_| {
                PyValueError::new_err(format!("edge end {o} is not a member of component {c}"))
            })
        };
        let mut list = Vec::with_capacity(es.len());
        for &k in es {
            list.push(Edge {
                a: local(ea[k])?,
                b: local(eb[k])?,
                jaccard: ej[k],
                containment: ejc[k],
            });
        }
        let group: Vec<Fingerprint> = run.iter().map(|&i| fps[i].clone()).collect();
        let clusters =
            cluster_with_cores(group.len(), &list, &FingerprintCores::of(&group, &s.rules));
        // Clusters are numbered by first member: the first of each.
        let mut first = vec![i64::MAX; clusters.count];
        for (i, &k) in clusters.of.iter().enumerate() {
            first[k as usize] = first[k as usize].min(sorted[i]);
        }
        for (i, &given) in run.iter().enumerate() {
            out[given] = first[clusters.of[i] as usize];
        }
    }
    Ok(out)
}

/// The `--assignments` lines of a batch of articles (in input order), as
/// the CLI writes them (`report::write_assignments`: keys `id`, `cluster`,
/// then `at` for an article whose id is shared and `too_short` for one too
/// short to fingerprint; strings escaped by the same serializer).
#[pyfunction]
fn assignment_lines<'py>(
    py: Python<'py>,
    ids: Vec<String>,
    clusters: Vec<u32>,
    at: Vec<Option<String>>,
    too_short: Vec<bool>,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut out = Vec::with_capacity(ids.len() * 32);
    let text = |s: &str| serde_json::to_string(s).map_err(|e| PyValueError::new_err(e.to_string()));
    for i in 0..ids.len() {
        out.extend_from_slice(b"{\"id\":");
        out.extend_from_slice(text(&ids[i])?.as_bytes());
        out.extend_from_slice(format!(",\"cluster\":{}", clusters[i]).as_bytes());
        if let Some(at) = &at[i] {
            out.extend_from_slice(b",\"at\":");
            out.extend_from_slice(text(at)?.as_bytes());
        }
        if too_short[i] {
            out.extend_from_slice(b",\"too_short\":true");
        }
        out.extend_from_slice(b"}\n");
    }
    Ok(PyBytes::new(py, &out))
}

/// One traced story as it travels from an executor to the driver (JSON):
/// the cluster, its members (ordinals, metadata, texts, in input order)
/// and the lineage the core traced over them.
#[derive(Serialize, Deserialize)]
struct Story {
    cluster: u32,
    ords: Vec<u64>,
    members: Vec<Member>,
    texts: Vec<String>,
    lineage: Lineage,
}

/// The metadata of a member that lineage and reports read (a JSON Lines
/// record's date always comes from its field, so `date_from` is the
/// default).
#[derive(Serialize, Deserialize)]
struct Member {
    id: String,
    title: Option<String>,
    source: Option<String>,
    url: Option<String>,
    published: Option<i64>,
}

fn loc_of(ord: u64) -> RecordLoc {
    RecordLoc {
        file: (ord >> LINE_BITS) as u32,
        line: ord & ((1 << LINE_BITS) - 1),
        ..Default::default()
    }
}

/// Stage 5 on an executor: the lineage of every cluster among a batch of
/// members (`clusters[i]` is member `i`'s cluster id; every member of a
/// cluster in the batch, as grouping by cluster gives them), traced by
/// [`lineage::trace_clusters`] as the CLI's report traces them (members in
/// input order, texts as the reader read them). Returns one JSON blob per
/// cluster of two or more, for [`story_report`] on the driver; with
/// `keep_texts` (only the HTML report shows texts) each carries its
/// members' texts.
#[pyfunction]
#[pyo3(signature = (clusters, ords, ids, titles, sources, urls, published, texts, keep_texts, **settings))]
#[allow(clippy::too_many_arguments)]
fn trace_stories<'py>(
    py: Python<'py>,
    clusters: Vec<u32>,
    ords: Vec<u64>,
    ids: Vec<String>,
    titles: Vec<Option<String>>,
    sources: Vec<Option<String>>,
    urls: Vec<Option<String>>,
    published: Vec<Option<i64>>,
    texts: Vec<String>,
    keep_texts: bool,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let n = ords.len();
    for (name, len) in [
        ("clusters", clusters.len()),
        ("ids", ids.len()),
        ("titles", titles.len()),
        ("sources", sources.len()),
        ("urls", urls.len()),
        ("published", published.len()),
        ("texts", texts.len()),
    ] {
        if len != n {
            return Err(PyValueError::new_err(format!(
                "trace_stories: {name} holds {len} values for {n} members; give one per member"
            )));
        }
    }
    let s = Settings::from_kwargs(py, settings)?;
    let cfg = LineageConfig::from_config(&s.config);
    // Members in input order (the CLI's article order, which lineage's
    // tie-breaks follow); local cluster numbers over the batch.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| ords[i]);
    let mut local: HashMap<u32, u32> = HashMap::new();
    let mut ids_of: Vec<u32> = Vec::new();
    let of: Vec<u32> = order
        .iter()
        .map(|&i| {
            *local.entry(clusters[i]).or_insert_with(|| {
                ids_of.push(clusters[i]);
                (ids_of.len() - 1) as u32
            })
        })
        .collect();
    let docs: Vec<Meta> = order
        .iter()
        .map(|&i| Meta {
            id: ids[i].clone(),
            title: titles[i].clone(),
            source: sources[i].clone(),
            url: urls[i].clone(),
            published: published[i],
            loc: loc_of(ords[i]),
            ..Default::default()
        })
        .collect();
    let sorted_ords: Vec<u64> = order.iter().map(|&i| ords[i]).collect();
    let mut texts: Vec<Option<String>> = texts.into_iter().map(Some).collect();
    let member_texts: Vec<String> = order
        .iter()
        .map(|&i| texts[i].take().unwrap_or_default())
        .collect();
    let files: Vec<String> = Vec::new();
    let groups = Clusters {
        of,
        count: ids_of.len(),
    };
    let traced = py.detach(|| {
        s.install(|| {
            let corpus = Corpus::new(&docs, &files, &member_texts);
            if keep_texts {
                lineage::trace_clusters(&corpus, &groups, &cfg, None)
            } else {
                lineage::trace_clusters_without_texts(&corpus, &groups, &cfg, None)
            }
        })
    })?;
    let traced = traced.map_err(crate::errors::to_py)?;
    traced
        .into_iter()
        .map(|c| {
            let story = Story {
                cluster: ids_of[c.cluster as usize],
                ords: c.docs.iter().map(|&d| sorted_ords[d as usize]).collect(),
                members: c
                    .members
                    .into_iter()
                    .map(|m| Member {
                        id: m.id,
                        title: m.title,
                        source: m.source,
                        url: m.url,
                        published: m.published,
                    })
                    .collect(),
                texts: c.texts,
                lineage: c.lineage,
            };
            let bytes = serde_json::to_vec(&story)
                .map_err(|e| PyValueError::new_err(format!("a story did not encode: {e}")))?;
            Ok(PyBytes::new(py, &bytes))
        })
        .collect()
}

/// Stage 5 on the driver: the CLI's lineage report from the stories of
/// [`trace_stories`] (any order), `names` (the input files as the user
/// named them, for locations) and `articles` (every article the job read,
/// for the summary), rendered as `format` (`json`, `jsonl`, `md`, `html`,
/// `csv`: the CLI's `--report-format`). Stories are ordered as the CLI
/// orders them (largest first, ties by cluster id), and the report is
/// built by the CLI's [`Report::from_parts`].
#[pyfunction]
#[pyo3(signature = (stories, names, articles, format, **settings))]
fn story_report<'py>(
    py: Python<'py>,
    stories: Vec<PyBackedBytes>,
    names: Vec<String>,
    articles: u64,
    format: &str,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let format = match format {
        "json" => ReportFormat::Json,
        "jsonl" => ReportFormat::JsonLines,
        "md" => ReportFormat::Markdown,
        "html" => ReportFormat::Html,
        "csv" => ReportFormat::Csv,
        other => {
            return Err(PyValueError::new_err(format!(
                "report format {other:?}: give json, jsonl, md, html or csv"
            )))
        }
    };
    let s = Settings::from_kwargs(py, settings)?;
    let mut docs: Vec<Meta> = Vec::new();
    let mut traced: Vec<ClusterLineage> = Vec::with_capacity(stories.len());
    for b in &stories {
        let st: Story = serde_json::from_slice(b).map_err(|e| {
            PyValueError::new_err(format!(
                "a traced story did not decode ({e}); the job's stages must run with one \
                 wiretrace version"
            ))
        })?;
        let first = docs.len() as u32;
        let n = st.members.len() as u32;
        docs.extend(st.members.into_iter().zip(&st.ords).map(|(m, &o)| Meta {
            id: m.id,
            title: m.title,
            source: m.source,
            url: m.url,
            published: m.published,
            loc: loc_of(o),
            ..Default::default()
        }));
        traced.push(ClusterLineage {
            cluster: st.cluster,
            docs: (first..first + n).collect(),
            members: docs[first as usize..].to_vec(),
            texts: st.texts,
            unreadable: 0,
            lineage: st.lineage,
        });
    }
    // As `lineage::trace_clusters` orders them.
    traced.sort_by(|a, b| {
        b.docs
            .len()
            .cmp(&a.docs.len())
            .then(a.cluster.cmp(&b.cluster))
    });
    let no_texts: Vec<String> = Vec::new();
    let corpus = Corpus::new(&docs, &names, &no_texts);
    let mut report = Report::from_parts(
        &corpus,
        ReportSettings::from_config(&s.config),
        traced,
        Mode::Scan,
        None,
    );
    // The corpus above holds the clustered articles only; a scan's report
    // counts every article read.
    report.summary.articles = articles;
    let mut out = Vec::new();
    render_report(&report, format, &mut out)
        .map_err(|e| PyValueError::new_err(format!("the report did not render: {e}")))?;
    Ok(PyBytes::new(py, &out))
}
