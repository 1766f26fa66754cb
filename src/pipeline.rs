//! The scan: every stage in order, timed, from input paths to clusters.
//!
//! Ingest, normalize, shingle and MinHash run fused in one parallel pass per
//! file, so an article's text is dropped as soon as its signature exists:
//! memory holds signatures and metadata, not the corpus. Reports that need
//! text [`crate::ingest::reload`] it from the input files.

use crate::cluster::{self, Clusters, FingerprintCores};
use crate::config::Config;
use crate::error::{Error, Location, Skipped};
use crate::fingerprint::{Fingerprint, Fingerprinter, Scratch};
use crate::ingest::{self, Inputs, Meta, Notice, ReadOptions};
use crate::lsh::lede::{LedeSketcher, LEDE_AGREE};
use crate::lsh::{self, Banding, Candidates, LshParams};
use crate::minhash::{Backend, Signatures};
use crate::normalize::NormText;
use crate::shingle::SeenSet;
use crate::verify::{
    self, AnchorSketches, Edge, Evidence, FigureSketches, Headers, LedeVerdict, Rules,
};

pub use crate::fingerprint::{fingerprinted, MAX_FINGERPRINT_BYTES};
use rayon::prelude::*;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Receives progress from a long scan (the CLI draws a bar; tests ignore it).
pub trait Progress: Sync {
    /// A stage starts; `total` is its amount of work (bytes for reading).
    fn stage(&self, _name: &str, _total: u64) {}
    /// `n` more units of the current stage are done.
    fn advance(&self, _n: u64) {}
    /// The scan is over.
    fn finish(&self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;
impl Progress for NoProgress {}

/// Time spent in one stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageTime {
    /// Stage name.
    pub stage: &'static str,
    /// Wall-clock seconds (0 for stages fused into another: see `cpu_seconds`).
    pub seconds: f64,
    /// CPU seconds summed over threads, for stages that run fused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_seconds: Option<f64>,
}

/// The records of one input: `records == articles + skipped`.
///
/// A file that could not be read at all (unreadable, vanished, gzip) counts
/// as one skipped record at line 0, so the totals still add up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileCount {
    /// The file as named (or as found under a named directory).
    #[serde(serialize_with = "crate::error::serialize_path")]
    pub path: PathBuf,
    /// Records (non-blank lines; 1 for a whole-file article or an unread file).
    pub records: u64,
    /// Records read as articles.
    pub articles: u64,
    /// Records skipped (the first `Config::max_errors` are listed in
    /// `Scan::skipped`).
    pub skipped: u64,
    /// Skipped records counted but not listed (past `Config::max_errors`).
    pub skipped_unlisted: u64,
    /// Notices about this file's records.
    pub notices: u64,
    /// Notices counted but not listed (past `Config::max_errors`).
    pub notices_unlisted: u64,
    /// Articles whose id also appears on another record.
    pub duplicate_ids: u64,
}

/// Figures of a scan.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Input files read.
    pub files: usize,
    /// Input bytes.
    pub bytes: u64,
    /// Records read (articles plus skipped records).
    pub records: u64,
    /// Articles fingerprinted.
    pub articles: u64,
    /// Records skipped (see `Scan::skipped`).
    pub skipped: u64,
    /// Articles too short to fingerprint: kept as singletons.
    pub too_short: u64,
    /// Articles whose id also appears on another record (both kept).
    pub duplicate_ids: u64,
    /// Per input file: records read = articles + skipped. Files read come
    /// first, in reading order, then files that could not be read.
    /// (Written as the top-level `files` of the `-o` JSON.)
    #[serde(skip)]
    pub per_file: Vec<FileCount>,
    /// Files under named directories that are not read (other kinds,
    /// hidden, not regular, this run's outputs), with why: listed here (and
    /// as the top-level `ignored` and `ignored_reasons` of the `-o` JSON).
    #[serde(skip)]
    pub ignored: Vec<ingest::Ignored>,
    /// LSH bands and rows used.
    pub lsh: LshParams,
    /// Candidate generation figures.
    pub candidates: Candidates,
    /// Candidate pairs checked, counted once per band they collide in
    /// (`candidates.checks`).
    pub pair_checks: u64,
    /// Verified edges.
    pub edges: u64,
    /// MinHash backend.
    pub backend: Backend,
    /// Threads used.
    pub threads: usize,
    /// Per-stage times.
    pub timings: Vec<StageTime>,
    /// Total wall-clock seconds.
    pub seconds: f64,
}

/// Everything a scan found.
#[derive(Debug)]
pub struct Scan {
    /// The settings used.
    pub config: Config,
    /// The inputs, for reloading article text.
    pub inputs: Inputs,
    /// Every article read, in input order; indices are article ids below.
    pub docs: Vec<Meta>,
    /// Distinct shingles per article.
    pub sizes: Vec<u32>,
    /// Articles too short to fingerprint (singletons by rule).
    pub too_short: Vec<bool>,
    /// Articles whose id also appears on another record: both are kept,
    /// told apart by their location.
    pub duplicate_id: Vec<bool>,
    /// Signatures, one row per article.
    pub signatures: Signatures,
    /// Anchor sketches (names and numbers), one per article.
    pub anchors: AnchorSketches,
    /// Figure sketches (runs of words with a digit), one per article.
    pub figures: FigureSketches,
    /// Headlines, outlets and times as verification sees them.
    pub headers: Headers,
    /// Verified edges, sorted by `(a, b)`.
    pub edges: Vec<Edge>,
    /// Each article's cluster.
    pub clusters: Clusters,
    /// Files and records not scanned, with why: each file's first
    /// `Config::max_errors` (the counts in `stats` are exact; see
    /// `FileCount::skipped_unlisted`).
    pub skipped: Vec<Skipped>,
    /// Problems with records that were still read, each file's first
    /// `Config::max_errors` likewise.
    pub notices: Vec<Notice>,
    /// Figures.
    pub stats: Stats,
}

/// Records fingerprinted per parallel batch: bounds the memory of results
/// waiting to be appended (about 1 KB each) to a few megabytes, whatever the
/// size of the file.
const CHUNK: usize = 8192;

/// One record read in the fused pass: its metadata, fingerprint and notices.
struct Record {
    meta: Meta,
    fp: Fingerprint,
    notice: Option<Notice>,
    truncated: Option<Notice>,
}

#[derive(Default)]
struct CpuClock {
    normalize: AtomicU64,
    shingle: AtomicU64,
    minhash: AtomicU64,
}

impl CpuClock {
    /// Adds the sub-stage times a fingerprinter noted in `scratch`.
    fn add(&self, scratch: &mut Scratch) {
        let n = scratch.take_nanos();
        self.normalize.fetch_add(n.normalize, Ordering::Relaxed);
        self.shingle.fetch_add(n.shingle, Ordering::Relaxed);
        self.minhash.fetch_add(n.minhash, Ordering::Relaxed);
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Scans `paths` with `cfg`.
///
/// Fails on an invalid config, unreadable stdin, when nothing at all could
/// be read, or (with `cfg.strict`) at the first bad record.
pub fn scan(cfg: &Config, paths: &[PathBuf], progress: &dyn Progress) -> Result<Scan, Error> {
    scan_excluding(cfg, paths, &[], progress)
}

/// [`scan`], not reading the files `exclude` names where a directory walk
/// finds them (the run's existing outputs: see [`ingest::open_excluding`]).
pub fn scan_excluding(
    cfg: &Config,
    paths: &[PathBuf],
    exclude: &[PathBuf],
    progress: &dyn Progress,
) -> Result<Scan, Error> {
    cfg.validate()?;
    let inputs = ingest::open_with(paths, exclude, &ingest::OpenOptions::from_config(cfg))?;
    scan_inputs(cfg, inputs, progress)
}

/// Scans inputs already opened (in-memory corpora, tests, benches).
pub fn scan_inputs(
    cfg: &Config,
    mut inputs: Inputs,
    progress: &dyn Progress,
) -> Result<Scan, Error> {
    cfg.validate()?;
    // Reloads (the lede pass, `--exact`, reports) slice a compressed JSON
    // Lines file's records from the blocks of this pass rather than decode
    // the file again, within a bound on memory (`Inputs::keep_decoded`).
    inputs.keep_decoded(ingest::keep_budget());
    let started = Instant::now();
    let fingerprinter = Fingerprinter::new(cfg)?;
    let opts = ReadOptions::from_config(cfg);
    let mut skipped = inputs.skipped.clone();
    if cfg.strict {
        if let Some(s) = skipped.first() {
            return Err(Error::BadRecord {
                at: s.at.clone(),
                reason: s.reason.clone(),
            });
        }
    }

    // Stage 1: read + normalize + shingle + sign, fused.
    let clock = CpuClock::default();
    progress.stage("fingerprint", inputs.total_bytes());
    let t = Instant::now();
    let mut docs = Vec::new();
    let mut sizes = Vec::new();
    let mut signatures = Signatures::new(cfg.num_perm);
    let mut ledes = LedeSketcher::table();
    let mut anchors = AnchorSketches::new();
    let mut headers = Headers::new();
    let mut figures = FigureSketches::new();
    // Notices of opening (files read once, loops not followed) come first.
    let mut notices = inputs.notices.clone();
    let mut records = 0u64;
    let mut reserved = false;
    let mut ids = Ids::default();
    let mut per_file: Vec<FileCount> = inputs
        .files
        .iter()
        .map(|file| FileCount {
            path: file.path.clone(),
            records: 0,
            articles: 0,
            skipped: 0,
            skipped_unlisted: 0,
            notices: 0,
            notices_unlisted: 0,
            duplicate_ids: 0,
        })
        .collect();
    // Listing every bad record of a file of bad lines would cost memory per
    // line (see `config::DEFAULT_MAX_ERRORS`): each file's first
    // `max_errors` skips and notices are kept, the rest only counted.
    let max_errors = cfg.max_errors as u64;
    inputs.map_records_chunked(
        &opts,
        CHUNK,
        Scratch::new,
        |scratch, loc, parsed, spare| {
            progress.advance(loc.end - loc.start + 1);
            let fingerprint = parsed.map(|(article, notice)| {
                let truncated =
                    (fingerprinted(&article.text).len() < article.text.len()).then(|| Notice {
                        at: record_location(&inputs, &article.meta),
                        message: format!(
                            "text is {:.1} MB; only its first {} MB are fingerprinted",
                            article.text.len() as f64 / 1e6,
                            MAX_FINGERPRINT_BYTES >> 20
                        ),
                    });
                let meta = &article.meta;
                let fp = fingerprinter.fingerprint_with(
                    scratch,
                    meta.title.as_deref(),
                    &article.text,
                    meta.source.as_deref(),
                    meta.published,
                );
                clock.add(scratch);
                // Done with the text: its allocation serves the next record.
                *spare = article.text;
                Record {
                    meta: article.meta,
                    fp,
                    notice,
                    truncated,
                }
            });
            (loc, fingerprint)
        },
        |results| {
            if !reserved && results.len() >= 1024 {
                // Size the per-article tables from the first batch's bytes
                // per record: doubling a vector of a million rows would
                // leave up to half of it unused at the peak.
                reserved = true;
                let bytes: u64 = results.iter().map(|(l, _)| l.end - l.start + 1).sum();
                let per = bytes as f64 / results.len() as f64;
                let n = (inputs.total_bytes() as f64 / per.max(1.0) * 1.02) as usize;
                docs.reserve(n);
                ids.first.reserve(n);
                ids.duplicate.reserve(n);
                sizes.reserve(n);
                signatures.reserve(n);
                ledes.reserve(n);
                anchors.reserve(n);
                headers.reserve(n);
                figures.reserve(n);
            }
            for (loc, r) in results {
                records += 1;
                let count = &mut per_file[loc.file as usize];
                count.records += 1;
                match r {
                    Ok(rec) => {
                        count.articles += 1;
                        let fp = &rec.fp;
                        docs.push(rec.meta);
                        sizes.push(fp.shingle_count());
                        signatures.push_values(fp.signature());
                        ledes.push_values(fp.lede_signature());
                        anchors.push_sketch(fp.anchors());
                        headers.push(fp.header());
                        figures.push(fp.figures());
                        let before = notices.len();
                        notices.extend(rec.notice);
                        notices.extend(rec.truncated);
                        ids.note_last(&inputs, &docs, &mut notices);
                        let new = (notices.len() - before) as u64;
                        if new > 0 {
                            let listed = count.notices - count.notices_unlisted;
                            let keep = max_errors.saturating_sub(listed).min(new);
                            notices.truncate(before + keep as usize);
                            count.notices += new;
                            count.notices_unlisted += new - keep;
                        }
                    }
                    Err(s) if cfg.strict => {
                        return Err(Error::BadRecord {
                            at: s.at,
                            reason: s.reason,
                        })
                    }
                    Err(s) => {
                        if count.skipped - count.skipped_unlisted < max_errors {
                            skipped.push(s)
                        } else {
                            count.skipped_unlisted += 1;
                        }
                        count.skipped += 1;
                    }
                }
            }
            Ok(())
        },
    )?;
    for s in &inputs.skipped {
        per_file.push(FileCount {
            path: s.at.path.clone(),
            records: 1,
            articles: 0,
            skipped: 1,
            skipped_unlisted: 0,
            notices: 0,
            notices_unlisted: 0,
            duplicate_ids: 0,
        });
    }
    let skipped_total: u64 = per_file.iter().map(|f| f.skipped).sum();
    let duplicate_id = ids.finish(&docs, &mut per_file);
    let fingerprint_time = t.elapsed();
    if docs.is_empty() && skipped_total == 0 {
        return Err(Error::NoArticles);
    }
    let banding = Banding::from_config(cfg);
    let too_short: Vec<bool> = sizes.iter().map(|&s| !banding.admits(s)).collect();

    // Stage 2 and 3: LSH candidates, verified as they are found.
    progress.stage("lsh+verify", 0);
    let t = Instant::now();
    let lsh_params = banding.params;
    let eligible: Vec<bool> = too_short.iter().map(|s| !s).collect();
    let rules = Rules::from_config(cfg);
    headers.count_words();
    let rebuild = Rebuild {
        inputs: &inputs,
        opts: &opts,
        fingerprinter: &fingerprinter,
        docs: &docs,
    };
    // The lede rule needs MIN_EXCERPT_SHARED shared shingles, so an article
    // with fewer is on neither side of a lede pair: short items (notices,
    // briefs, a third of a wire) stay out of the lede bands
    // (`Banding::lede_from_config` holds the bar).
    let lede_banding = Banding::lede_from_config(cfg);
    let lede_eligible: Vec<bool> = match lede_banding {
        Some(b) => sizes.iter().map(|&s| b.admits(s)).collect(),
        None => Vec::new(),
    };
    let ev = Evidence {
        sizes: &sizes,
        anchors: &anchors,
        figures: &figures,
        headers: &headers,
    };
    let (cands, mut edges, lsh_time, verify_time) = if cfg.exact {
        // Exact verification re-reads the articles of candidate pairs, so
        // it needs them all first.
        let cands = lsh::candidates(&signatures, &eligible, banding);
        let lede = lede_pass(&ledes, &lede_eligible, lede_banding, &|_, _| {
            LedeVerdict::Exact
        });
        let lsh_time = t.elapsed();
        progress.stage("verify", cands.pairs.len() as u64);
        let t = Instant::now();
        let mut refiled: Vec<(u32, u32)> = Vec::new();
        lsh::headline::for_each_pair(
            &headers,
            &eligible,
            banding,
            &|a, b, _, out: &mut Vec<(u32, u32)>| out.push((a, b)),
            |found| refiled = found,
        );
        let mut all = cands.pairs.clone();
        all.extend_from_slice(&lede.exact);
        all.extend_from_slice(&refiled);
        let sets = rebuild.sets(&all);
        drop(all);
        let set = |i: u32| sets[i as usize].as_slice();
        let mut edges = verify::exact(&cands.pairs, &set, &ev, &rules);
        edges.extend(verify::exact_ledes(&lede.exact, &set, &ev, &rules));
        edges.extend(verify::exact_refilings(&refiled, &set, &ev, &rules));
        (cands, edges, lsh_time, Some(t.elapsed()))
    } else {
        // Each pair is verified where its bucket is scanned; only edges are
        // kept. A copy collides in many bands (J = 0.9: 27 of 37), so the
        // edge list is deduplicated whenever it has doubled: at a million
        // articles it held ten times its 0.76 M unique edges otherwise.
        let mut edges: Vec<Edge> = Vec::new();
        let mut dedup_at = 1 << 16;
        let cands = lsh::for_each_pair(
            &signatures,
            &eligible,
            banding,
            &|a, b, earlier, out: &mut Vec<Edge>| {
                out.extend(verify::estimate_pair(
                    a,
                    b,
                    &signatures,
                    &ev,
                    &rules,
                    Some(earlier),
                ))
            },
            &|i| signatures.prefetch(i as usize),
            |found| {
                edges.extend(found);
                if edges.len() >= dedup_at {
                    edges.par_sort_unstable_by_key(|e| (e.a, e.b));
                    edges.dedup_by_key(|e| (e.a, e.b));
                    dedup_at = (2 * edges.len()).max(1 << 16);
                }
            },
        );
        // The lede pass (see `lsh::lede`): pairs of about the sizes the
        // whole-text rules judge are judged as in the main pass (the main
        // bands may have missed them); an excerpt shorter than
        // `min_excerpt` of the other is judged exactly, on shingle sets
        // rebuilt from the input for the few articles in such pairs.
        //
        // The headline band (see `lsh::headline`): one outlet's items
        // under one headline, judged as re-filings. One band, scanned on
        // one thread, so it runs beside the lede pass rather than after it.
        let ((lede, exact), refiled) = rayon::join(
            || {
                let lede = lede_pass(&ledes, &lede_eligible, lede_banding, &|a, b| {
                    verify::lede_estimate(a, b, &signatures, &ev, &rules)
                });
                let exact = rebuild.lede_edges(&lede.exact, &ev, &rules);
                (lede.edges, exact)
            },
            || {
                let mut refiled = Vec::new();
                lsh::headline::for_each_pair(
                    &headers,
                    &eligible,
                    banding,
                    &|a, b, _, out: &mut Vec<Edge>| {
                        out.extend(verify::refiling_estimate(a, b, &signatures, &ev, &rules))
                    },
                    |found| refiled = found,
                );
                refiled
            },
        );
        edges.extend(lede);
        edges.extend(refiled);
        (cands, verify::merge_edges(edges, exact), t.elapsed(), None)
    };
    // A pair found in several bands was verified in each (merge_edges has
    // sorted and deduplicated already; with `--exact` every edge is exact).
    edges.par_sort_unstable_by_key(|e| (e.a, e.b));
    edges.dedup_by_key(|e| (e.a, e.b));

    // Stage 4: clustering.
    let t = Instant::now();
    let cores = FingerprintCores::of_tables(&signatures, &sizes, &headers, &rules);
    let clusters = cluster::cluster_with_cores(docs.len(), &edges, &cores);
    let cluster_time = t.elapsed();
    progress.finish();

    let cpu = |a: &AtomicU64| Some(a.load(Ordering::Relaxed) as f64 / 1e9);
    let mut timings = vec![
        StageTime {
            stage: "read+fingerprint",
            seconds: secs(fingerprint_time),
            cpu_seconds: None,
        },
        StageTime {
            stage: "  normalize",
            seconds: 0.0,
            cpu_seconds: cpu(&clock.normalize),
        },
        StageTime {
            stage: "  shingle",
            seconds: 0.0,
            cpu_seconds: cpu(&clock.shingle),
        },
        StageTime {
            stage: "  minhash",
            seconds: 0.0,
            cpu_seconds: cpu(&clock.minhash),
        },
    ];
    timings.extend(match verify_time {
        Some(v) => vec![
            StageTime {
                stage: "lsh",
                seconds: secs(lsh_time),
                cpu_seconds: None,
            },
            StageTime {
                stage: "verify (exact)",
                seconds: secs(v),
                cpu_seconds: None,
            },
        ],
        None => vec![StageTime {
            stage: "lsh+verify",
            seconds: secs(lsh_time),
            cpu_seconds: None,
        }],
    });
    timings.extend([StageTime {
        stage: "cluster",
        seconds: secs(cluster_time),
        cpu_seconds: None,
    }]);
    let stats = Stats {
        files: inputs.files.len(),
        bytes: inputs.total_bytes(),
        records: records + inputs.skipped.len() as u64,
        articles: docs.len() as u64,
        skipped: skipped_total,
        too_short: too_short.iter().filter(|&&s| s).count() as u64,
        duplicate_ids: duplicate_id.iter().filter(|&&d| d).count() as u64,
        per_file,
        ignored: inputs.ignored.clone(),
        lsh: lsh_params,
        pair_checks: cands.checks,
        candidates: Candidates {
            pairs: Vec::new(),
            ..cands
        },
        edges: edges.len() as u64,
        backend: fingerprinter.hasher().backend(),
        threads: rayon::current_num_threads(),
        timings,
        seconds: secs(started.elapsed()),
    };
    Ok(Scan {
        config: cfg.clone(),
        inputs,
        docs,
        sizes,
        too_short,
        duplicate_id,
        signatures,
        anchors,
        figures,
        headers,
        edges,
        clusters,
        skipped,
        notices,
        stats,
    })
}

/// Ids seen so far, for flagging articles whose id appears more than once.
/// Filled as records are appended, beside the parallel parsing of the next
/// chunk (a pass over all ids after the read ran on one thread while the
/// others waited).
#[derive(Default)]
struct Ids {
    /// Hash of an id -> first article with it.
    first: hashbrown::HashMap<u64, u32>,
    /// Ids whose hash equals that of an earlier, different id (about one
    /// in 10^7 corpora of a million articles): looked up by the id itself.
    collided: hashbrown::HashMap<String, u32>,
    /// Per article: its id appears on another record too.
    duplicate: Vec<bool>,
}

impl Ids {
    /// Notes the id of article `docs.len() - 1`, just appended; when an
    /// earlier article has it, flags both and adds a notice to the repeat
    /// naming the first occurrence.
    fn note_last(&mut self, inputs: &Inputs, docs: &[Meta], notices: &mut Vec<Notice>) {
        let i = docs.len() - 1;
        let id = docs[i].id.as_str();
        self.duplicate.push(false);
        let hash = xxhash_rust::xxh3::xxh3_64(id.as_bytes());
        let f = match self.first.entry(hash) {
            hashbrown::hash_map::Entry::Vacant(e) => *e.insert(i as u32),
            hashbrown::hash_map::Entry::Occupied(e) if docs[*e.get() as usize].id == id => *e.get(),
            hashbrown::hash_map::Entry::Occupied(_) => {
                *self.collided.entry(id.to_owned()).or_insert(i as u32)
            }
        } as usize;
        if f != i {
            self.duplicate[f] = true;
            self.duplicate[i] = true;
            notices.push(Notice {
                at: record_location(inputs, &docs[i]),
                message: format!(
                    "duplicate id `{}`, first seen at {}; both records are kept (assignments carry \"at\" to tell them apart)",
                    id,
                    record_location(inputs, &docs[f])
                ),
            });
        }
    }

    /// The flags, with the flagged articles counted per file.
    fn finish(self, docs: &[Meta], per_file: &mut [FileCount]) -> Vec<bool> {
        for (d, _) in docs.iter().zip(&self.duplicate).filter(|(_, &x)| x) {
            if let Some(c) = per_file.get_mut(d.loc.file as usize) {
                c.duplicate_ids += 1;
            }
        }
        self.duplicate
    }
}

/// The [`Location`] of a record (`file:line`, or the file for a whole-file article).
pub fn record_location(inputs: &Inputs, meta: &Meta) -> Location {
    Location {
        path: inputs
            .files
            .get(meta.loc.file as usize)
            .map(|f| f.path.clone())
            .unwrap_or_default(),
        line: meta.loc.line,
        column: None,
    }
}

/// What the lede pass found.
#[derive(Default)]
struct LedePass {
    edges: Vec<Edge>,
    /// Pairs to judge exactly, sorted and deduplicated.
    exact: Vec<(u32, u32)>,
}

/// Bands the lede signatures (`lsh::lede`) and hands each pair whose
/// openings agree in at least [`LEDE_AGREE`] values, once, to `judge`
/// (nothing when the lede pass is off: no `banding`).
fn lede_pass(
    ledes: &Signatures,
    eligible: &[bool],
    banding: Option<Banding>,
    judge: &(dyn Fn(u32, u32) -> LedeVerdict + Sync),
) -> LedePass {
    let mut out = LedePass::default();
    let Some(banding) = banding else {
        return out;
    };
    lsh::for_each_pair(
        ledes,
        eligible,
        banding,
        &|a, b, earlier, found: &mut Vec<(u32, u32, LedeVerdict)>| {
            // Lede signatures have 8 positions: the bits always exist.
            let equal = ledes
                .equal_positions(a as usize, b as usize)
                .unwrap_or_default();
            if equal.count_ones() >= LEDE_AGREE && !earlier.visited_before_in(equal, a) {
                found.push((a, b, judge(a, b)));
            }
        },
        &|_| {},
        |found| {
            for (a, b, f) in found {
                match f {
                    LedeVerdict::Edge(e) => out.edges.push(e),
                    LedeVerdict::Exact => out.exact.push((a, b)),
                    LedeVerdict::Rejected => {}
                }
            }
        },
    );
    out.exact.sort_unstable();
    out.exact.dedup();
    out
}

/// Rebuilds articles' shingle sets from the input, for exact counts: the
/// record read again, normalized and shingled as the scan did.
struct Rebuild<'a> {
    inputs: &'a Inputs,
    opts: &'a ReadOptions,
    fingerprinter: &'a Fingerprinter,
    docs: &'a [Meta],
}

impl Rebuild<'_> {
    /// Article `i`'s sorted shingle set (empty if it cannot be read again).
    fn set(&self, i: u32) -> Vec<u64> {
        self.text(i)
            .map(|t| self.fingerprinter.shingle_set(&t))
            .unwrap_or_default()
    }

    /// Article `i`'s text read again (none if it cannot be).
    fn text(&self, i: u32) -> Option<String> {
        ingest::reload(self.inputs, self.docs[i as usize].loc, self.opts)
            .ok()
            .map(|a| a.text)
    }

    /// The sets of the articles in `pairs` (empty for the others).
    fn sets(&self, pairs: &[(u32, u32)]) -> Vec<Vec<u64>> {
        let n = self.docs.len();
        let mut involved = vec![false; n];
        for &(a, b) in pairs {
            involved[a as usize] = true;
            involved[b as usize] = true;
        }
        (0..n as u32)
            .into_par_iter()
            .map(|i| {
                if involved[i as usize] {
                    self.set(i)
                } else {
                    Vec::new()
                }
            })
            .collect()
    }

    /// The lede pass's pairs judged exactly ([`Rules::judge_lede`]),
    /// grouped by the larger article of each pair so that its shingles are
    /// made once per group and dropped after it: memory holds a few sets per
    /// thread, not every involved article's (an original meets each of its
    /// excerpts, and they meet nothing else).
    ///
    /// The larger article's shingles are held in a hash set and each
    /// excerpt's looked up in it: the counts of sorting both sets and
    /// merging them (`verify::exact_figures`), without sorting the long
    /// one or making the anchors and figures that exact counts do not read.
    fn lede_edges(&self, pairs: &[(u32, u32)], ev: &Evidence, rules: &Rules) -> Vec<Edge> {
        let sizes = ev.sizes;
        let mut by_large: Vec<(u32, u32)> = pairs
            .iter()
            .map(|&(a, b)| {
                if sizes[a as usize] >= sizes[b as usize] {
                    (a, b)
                } else {
                    (b, a)
                }
            })
            .collect();
        by_large.sort_unstable();
        let groups: Vec<&[(u32, u32)]> = by_large.chunk_by(|x, y| x.0 == y.0).collect();
        groups
            .par_iter()
            .map_init(LedeScratch::default, |x, g| {
                let LedeScratch {
                    norm,
                    large,
                    large_seen,
                    small,
                    small_seen,
                } = x;
                // An article that cannot be read again has no shingles
                // here (and so no edge), as in `Rebuild::set`.
                self.distinct(g[0].0, norm, large, large_seen);
                g.iter()
                    .filter_map(|&(l, s)| {
                        self.distinct(s, norm, small, small_seen);
                        let inter = small.iter().filter(|&&h| large_seen.contains(h)).count();
                        let (j, c) =
                            verify::exact_figures_of_counts(inter, large.len(), small.len());
                        let (a, b) = (l.min(s), l.max(s));
                        rules
                            .judge_lede(j, c, a as usize, b as usize, ev)
                            .then(|| Edge::new(a, b, j, c))
                    })
                    .collect::<Vec<_>>()
            })
            .flatten_iter()
            .collect()
    }

    /// Article `i`'s distinct shingles into `out` and `seen` (none if it
    /// cannot be read again).
    fn distinct(&self, i: u32, norm: &mut NormText, out: &mut Vec<u64>, seen: &mut SeenSet) {
        match self.text(i) {
            Some(t) => self.fingerprinter.distinct_shingles(&t, norm, out, seen),
            None => {
                out.clear();
                seen.reset(0);
            }
        }
    }
}

/// One thread's buffers for [`Rebuild::lede_edges`].
#[derive(Default)]
struct LedeScratch {
    norm: NormText,
    large: Vec<u64>,
    large_seen: SeenSet,
    small: Vec<u64>,
    small_seen: SeenSet,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprinted_cuts_long_text_at_a_char_boundary() {
        assert_eq!(fingerprinted("short"), "short");
        let long = "é".repeat(MAX_FINGERPRINT_BYTES / 2 + 10);
        let cut = fingerprinted(&long);
        assert!(cut.len() <= MAX_FINGERPRINT_BYTES && cut.len() > MAX_FINGERPRINT_BYTES - 2);
        assert!(cut.chars().all(|c| c == 'é'));
    }

    /// The scan verifies pairs as buckets are scanned; that must give the
    /// edges of listing every candidate first and verifying the list.
    #[test]
    fn fused_verification_equals_list_then_verify() {
        let corpus = std::fs::read("testdata/demo/corpus.jsonl").unwrap();
        let cfg = Config {
            lede: false,
            ..Config::default()
        };
        let scan = scan_inputs(
            &cfg,
            Inputs::from_jsonl("demo.jsonl", corpus.clone()),
            &NoProgress,
        )
        .unwrap();
        let eligible: Vec<bool> = scan.too_short.iter().map(|s| !s).collect();
        let banding = lsh::Banding::new(scan.stats.lsh, cfg.seed, cfg.max_bucket);
        let cands = lsh::candidates(&scan.signatures, &eligible, banding);
        assert!(scan.stats.pair_checks >= cands.pairs.len() as u64);
        let ev = Evidence {
            sizes: &scan.sizes,
            anchors: &scan.anchors,
            figures: &scan.figures,
            headers: &scan.headers,
        };
        let rules = Rules::from_config(&cfg);
        let mut listed = verify::estimated(&cands.pairs, &scan.signatures, &ev, &rules);
        // The headline band's pairs, judged as re-filings.
        let mut refiled = Vec::new();
        lsh::headline::for_each_pair(
            &scan.headers,
            &eligible,
            lsh::Banding::from_config(&cfg),
            &|a, b, _, out: &mut Vec<(u32, u32)>| out.push((a, b)),
            |found| refiled = found,
        );
        listed.extend(
            refiled.iter().filter_map(|&(a, b)| {
                verify::refiling_estimate(a, b, &scan.signatures, &ev, &rules)
            }),
        );
        listed.sort_by_key(|e| (e.a, e.b));
        listed.dedup_by_key(|e| (e.a, e.b));
        assert!(!listed.is_empty());
        assert_eq!(scan.edges, listed);
        // The lede pass only adds edges.
        let with = scan_inputs(
            &Config::default(),
            Inputs::from_jsonl("demo.jsonl", corpus),
            &NoProgress,
        )
        .unwrap();
        assert!(listed.iter().all(|e| with.edges.contains(e)));
    }

    #[test]
    fn per_file_counts_add_up() {
        let corpus =
            "{\"id\":1,\"text\":\"one two three\"}\nnope\n\n[1]\n{\"id\":1,\"text\":\"x\"}";
        let scan = scan_inputs(
            &Config::default(),
            Inputs::from_jsonl("t.jsonl", corpus.as_bytes().to_vec()),
            &NoProgress,
        )
        .unwrap();
        let f = &scan.stats.per_file[0];
        assert_eq!((f.records, f.articles, f.skipped), (4, 2, 2));
        assert_eq!(f.duplicate_ids, 2);
        assert_eq!(scan.duplicate_id, vec![true, true]);
        assert_eq!(scan.notices.len(), 1);
        assert!(scan.notices[0].message.contains("first seen at t.jsonl:1"));
    }

    /// Two different ids whose hashes collide are told apart by the ids
    /// themselves. The collision is planted: `b`'s hash is made to point at
    /// the article of `a`.
    #[test]
    fn colliding_id_hashes_are_not_duplicates() {
        let inputs = Inputs::from_jsonl("t.jsonl", Vec::new());
        let meta = |id: &str, line: u64| Meta {
            id: id.to_owned(),
            title: None,
            source: None,
            url: None,
            published: None,
            date_from: Default::default(),
            loc: crate::ingest::RecordLoc {
                file: 0,
                line,
                start: 0,
                end: 0,
            },
        };
        let mut ids = Ids::default();
        let (mut docs, mut notices) = (Vec::new(), Vec::new());
        for (line, id) in ["a", "b", "a", "b", "c"].iter().enumerate() {
            if *id == "b" && line == 1 {
                ids.first.insert(xxhash_rust::xxh3::xxh3_64(b"b"), 0);
            }
            docs.push(meta(id, line as u64 + 1));
            ids.note_last(&inputs, &docs, &mut notices);
        }
        let mut per_file = vec![FileCount {
            path: "t.jsonl".into(),
            records: 5,
            articles: 5,
            skipped: 0,
            skipped_unlisted: 0,
            notices: 0,
            notices_unlisted: 0,
            duplicate_ids: 0,
        }];
        assert_eq!(
            ids.finish(&docs, &mut per_file),
            vec![true, true, true, true, false]
        );
        assert_eq!(per_file[0].duplicate_ids, 4);
        assert_eq!(notices.len(), 2);
        assert!(notices[0].message.contains("`a`, first seen at t.jsonl:1"));
        assert!(notices[1].message.contains("`b`, first seen at t.jsonl:2"));
    }
}
