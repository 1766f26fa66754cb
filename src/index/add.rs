//! `add`: a batch fingerprinted, matched against the index, verified,
//! written as a new segment.

use super::labels::{numbering, recluster, store_labels};
use super::manifest::SegmentEntry;
use super::query::Batch;
use super::segment::{self, NewSegment, StoredMeta};
use super::texts::{ArchiveTexts, TextRef};
use super::Index;
use crate::error::{Error, Skipped};
use crate::fingerprint::{Fingerprint, Fingerprinter};
use crate::ingest::ReadOptions;
use crate::lsh::{Banding, CAPPED_WINDOW};
use crate::verify::{self, Edge, HeadlineCounts, LedeVerdict, PairContext, Rules};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

/// One article of an added batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedArticle {
    /// Its id.
    pub id: String,
    /// Its global number (order of addition).
    pub number: u32,
    /// Its cluster, numbered as `export` numbers them now.
    pub cluster: u32,
    /// When its story held an article indexed before this batch: the id of
    /// that story's first article.
    pub joined: Option<String>,
    /// Too short to fingerprint (a singleton by rule).
    pub too_short: bool,
}

/// What an `add` did.
#[derive(Debug, Clone)]
pub struct AddOutcome {
    /// The batch's articles, in order.
    pub added: Vec<AddedArticle>,
    /// Records skipped (the first `max_errors` per file are listed in `skipped`).
    pub skipped_count: u64,
    /// Skipped records, listed.
    pub skipped: Vec<Skipped>,
    /// The new segment's file name (none when the batch had no article).
    pub segment: Option<String>,
    /// Edges verified (new with old, new with new).
    pub edges: usize,
    /// Candidate pairs verified.
    pub pairs: usize,
    /// Bytes of runs read in the candidate search.
    pub run_bytes: u64,
    /// Seconds.
    pub seconds: f64,
}

/// `(band key, article)` entries of one band.
type Keyed = Vec<(u64, u32)>;

/// Article pairs `(a, b)`.
pub(crate) type Pairs = Vec<(u32, u32)>;

/// Pairs of a bucket `members` (global numbers, ascending) whose second
/// article is at position `new_from` or later: all pairs when the bucket
/// holds at most `max_bucket`, else each member with the
/// [`CAPPED_WINDOW`] before it, as the scan pairs a large bucket.
pub(crate) fn bucket_pairs(
    members: &[u32],
    new_from: usize,
    max_bucket: usize,
    out: &mut Vec<(u32, u32)>,
) {
    let n = members.len();
    let full = n <= max_bucket;
    for y in new_from.max(1)..n {
        let lo = if full {
            0
        } else {
            y.saturating_sub(CAPPED_WINDOW)
        };
        for x in lo..y {
            out.push((members[x], members[y]));
        }
    }
}

/// Candidate pairs `(a, b)`, `a < b`, sorted and unique, of a batch whose
/// article `i` has global number `base + i`: in the main bands and in the
/// lede bands. The runs' bytes read come third.
pub(crate) fn candidates(
    ix: &Index,
    fps: &[Fingerprint],
    base: u32,
) -> Result<(Pairs, Pairs, u64), Error> {
    let (main, lede) = ix.bandings();
    let nmain = main.band_count();
    // Every band's keys of the batch, computed once per article.
    let mut jobs: Vec<(Banding, usize, Keyed)> = (0..nmain)
        .map(|b| (main, b, Vec::with_capacity(fps.len())))
        .collect();
    if let Some(l) = lede {
        jobs.extend((0..l.params.bands).map(|b| (l, nmain + b, Vec::new())));
    }
    for (i, fp) in fps.iter().enumerate() {
        let g = base + i as u32;
        for (b, k) in main.keys(fp) {
            jobs[b].2.push((k, g));
        }
        if let Some(l) = &lede {
            for (b, k) in l.keys(fp) {
                jobs[nmain + b].2.push((k, g));
            }
        }
    }
    jobs.into_par_iter()
        .map(|(banding, run, mut keys)| {
            keys.sort_unstable();
            let distinct: Vec<u64> = {
                let mut d: Vec<u64> = keys.iter().map(|k| k.0).collect();
                d.dedup();
                d
            };
            // Each segment's run merge-joined with the batch's keys once.
            let mut old: Vec<Vec<u32>> = vec![Vec::new(); distinct.len()];
            let mut bytes = 0;
            for s in &ix.segments {
                let mut r = s.run(run)?;
                r.join(&distinct, |d, l| {
                    let g = s.first + l;
                    if !ix.is_removed(g) {
                        old[d].push(g);
                    }
                })?;
                bytes += r.bytes_read;
            }
            let mut pairs = Vec::new();
            let mut members = Vec::new();
            let mut at = 0;
            for (d, &k) in distinct.iter().enumerate() {
                members.clear();
                members.extend_from_slice(&old[d]);
                let from = members.len();
                while at < keys.len() && keys[at].0 == k {
                    members.push(keys[at].1);
                    at += 1;
                }
                bucket_pairs(&members, from, banding.max_bucket, &mut pairs);
            }
            pairs.sort_unstable();
            pairs.dedup();
            Ok(if banding.lede {
                (Vec::new(), pairs, bytes)
            } else {
                (pairs, Vec::new(), bytes)
            })
        })
        // Merged as bands finish, each band's pairs sorted and unique: a
        // pair met in many bands is held once, not once per band.
        .try_reduce(
            || (Vec::new(), Vec::new(), 0),
            |x, y| Ok((union(x.0, y.0), union(x.1, y.1), x.2 + y.2)),
        )
}

/// The union of two sorted, unique lists, sorted and unique.
pub(crate) fn union(a: Pairs, b: Pairs) -> Pairs {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// A fingerprint by article number: borrowed from memory or read from a
/// segment; `None` when it cannot be had.
pub(crate) type Getter<'f> = dyn Fn(u32) -> Option<Cow<'f, Fingerprint>> + Sync + 'f;

/// Verifies candidate pairs as the scan does: `main` with
/// [`verify::pair`], `lede` with [`verify::lede_pair`] (exact counts on
/// the texts `text` gives where it asks for them); merged as the scan
/// merges ([`verify::merge_edges`]).
///
/// Pairs are sorted, so those of one first article come together: its
/// fingerprint is got once for them all and dropped after, so memory holds
/// a few fingerprints per thread, not every archived article a batch
/// meets.
pub(crate) fn verify_pairs(
    main: &[(u32, u32)],
    lede: &[(u32, u32)],
    fp: &Getter<'_>,
    text: &(dyn Fn(u32) -> Option<String> + Sync),
    fper: &Fingerprinter,
    rules: &Rules,
    ctx: &PairContext,
) -> Vec<Edge> {
    let numbered = |e: Edge, a: u32, b: u32| Edge { a, b, ..e };
    let by_first = |pairs: &[(u32, u32)]| -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < pairs.len() {
            let mut j = i + 1;
            while j < pairs.len() && pairs[j].0 == pairs[i].0 {
                j += 1;
            }
            out.push(i..j);
            i = j;
        }
        out
    };
    let mut edges: Vec<Edge> = by_first(main)
        .into_par_iter()
        .flat_map_iter(|r| {
            let group = &main[r];
            let fa = fp(group[0].0);
            group
                .iter()
                .filter_map(|&(a, b)| {
                    verify::pair(fa.as_deref()?, &*fp(b)?, rules, ctx).map(|e| numbered(e, a, b))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let verdicts: Vec<(u32, u32, LedeVerdict)> = by_first(lede)
        .into_par_iter()
        .flat_map_iter(|r| {
            let group = &lede[r];
            let fa = fp(group[0].0);
            group
                .iter()
                .filter_map(|&(a, b)| {
                    Some((
                        a,
                        b,
                        verify::lede_pair(fa.as_deref()?, &*fp(b)?, rules, ctx),
                    ))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut exact_pairs = Vec::new();
    for (a, b, v) in verdicts {
        match v {
            LedeVerdict::Edge(e) => edges.push(numbered(e, a, b)),
            LedeVerdict::Exact => exact_pairs.push((a, b)),
            LedeVerdict::Rejected => {}
        }
    }
    // Group by the larger article, whose set is built once per group (an
    // original meets each of its excerpts), as the scan's rebuild does.
    let mut keyed: Vec<(u32, (u32, u32))> = exact_pairs
        .iter()
        .map(|&(a, b)| {
            let size = |i: u32| fp(i).map_or(0, |f| f.shingle_count());
            (if size(a) >= size(b) { a } else { b }, (a, b))
        })
        .collect();
    keyed.sort_unstable();
    let groups: Vec<&[(u32, (u32, u32))]> = keyed.chunk_by(|x, y| x.0 == y.0).collect();
    let set = |i: u32| text(i).map(|t| fper.shingle_set(&t)).unwrap_or_default();
    let exact: Vec<Edge> = groups
        .par_iter()
        .flat_map_iter(|g| {
            let l = g[0].0;
            let large = set(l);
            g.iter()
                .filter_map(|&(_, (a, b))| {
                    let other = set(if a == l { b } else { a });
                    let (sa, sb) = if a == l {
                        (&large, &other)
                    } else {
                        (&other, &large)
                    };
                    verify::lede_pair_exact(&*fp(a)?, &*fp(b)?, sa, sb, rules, ctx)
                        .map(|e| numbered(e, a, b))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    verify::merge_edges(edges, exact)
}

impl Index {
    /// The headline counts of the index with `fps` added.
    pub(crate) fn counts_with(&self, fps: &[Fingerprint]) -> Result<HeadlineCounts, Error> {
        let mut c = self.headline_counts()?;
        c.merge(&HeadlineCounts::of_headers(fps.iter().map(|f| f.header())));
        Ok(c)
    }

    /// A getter of the batch's fingerprints `fps` (numbered from `base`)
    /// and, below `base`, the index's (read when asked for).
    pub(crate) fn getter<'f>(
        &'f self,
        fps: &'f [Fingerprint],
        base: u32,
    ) -> impl Fn(u32) -> Option<Cow<'f, Fingerprint>> + Sync + 'f {
        move |g: u32| {
            if g >= base {
                fps.get((g - base) as usize).map(Cow::Borrowed)
            } else {
                self.fingerprint(g).ok().map(Cow::Owned)
            }
        }
    }

    /// A getter of texts: the batch's `texts` (numbered from `base`) and,
    /// below `base`, the index's, re-read from their files when asked for
    /// (only the lede pass's exact counts ask, for few articles).
    pub(crate) fn text_getter<'f>(
        &'f self,
        texts: &'f [String],
        base: u32,
        files: &'f ArchiveTexts,
    ) -> impl Fn(u32) -> Option<String> + Sync + 'f {
        move |g: u32| {
            if g >= base {
                return texts.get((g - base) as usize).cloned();
            }
            let (s, i) = self.locate(g)?;
            let m = s.meta(i).ok()?;
            let path = s.dir.files.get(m.file as usize).cloned()?;
            files.read(&TextRef::stored(&m, path)).ok()
        }
    }

    /// Adds the articles of `paths` (files or directories, as `scan`
    /// reads them) as one new segment; see the [module docs](super).
    ///
    /// Fails when the index was opened for reading, when nothing at all
    /// could be read, with `strict` at the first bad record, or on an I/O
    /// error; the index is then as it was.
    pub fn add(&mut self, paths: &[PathBuf]) -> Result<AddOutcome, Error> {
        self.require_writer()?;
        let started = Instant::now();
        let batch = Batch::read(paths, &self.cfg)?;
        let mut out = AddOutcome {
            added: Vec::new(),
            skipped_count: batch.skipped_count,
            skipped: batch.skipped.clone(),
            segment: None,
            edges: 0,
            pairs: 0,
            run_bytes: 0,
            seconds: 0.0,
        };
        if batch.is_empty() {
            out.seconds = started.elapsed().as_secs_f64();
            return Ok(out);
        }
        let fper = Fingerprinter::new(&self.cfg)?;
        let fps = batch.fingerprints(&fper);
        let base = self.total();
        let (main_pairs, lede_pairs, run_bytes) = candidates(self, &fps, base)?;
        let ctx = PairContext::new(self.counts_with(&fps)?);
        let fp = self.getter(&fps, base);
        let rules = self.rules();
        let files = ArchiveTexts::new(Vec::new(), ReadOptions::from_config(&self.cfg));
        let text = self.text_getter(&batch.texts, base, &files);
        let edges = verify_pairs(&main_pairs, &lede_pairs, &fp, &text, &fper, &rules, &ctx);
        drop(fp);
        drop(text);
        out.pairs = main_pairs.len() + lede_pairs.len();
        out.edges = edges.len();
        out.run_bytes = run_bytes;

        // The segment.
        let (runs, lede_bands) = self.band_runs(&fps);
        let (main, _) = self.bandings();
        let name = format!("seg-{:06}.wts", self.manifest.next_segment);
        let tmp = self.dir.join(format!("{name}.tmp"));
        let bytes = segment::write(
            &tmp,
            NewSegment {
                first: base,
                k: self.cfg.num_perm,
                fingerprints: &fps,
                metas: &batch.stored,
                files: &batch.files,
                runs,
                lede_bands,
                edges: &edges,
            },
        )?;
        super::hook("segment-written");
        let path = self.dir.join(&name);
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        super::manifest::sync_dir(&self.dir)?;
        super::hook("segment-renamed");

        // The clusters the batch touched.
        let total = base + fps.len() as u32;
        let mut labels = self.load_labels()?;
        labels.extend(base..total);
        let mut all = self.stored_edges()?;
        all.extend_from_slice(&edges);
        let seeds: Vec<u32> = (base..total).collect();
        let fetch = |g: u32| -> Result<Fingerprint, Error> {
            if g >= base {
                Ok(fps[(g - base) as usize].clone())
            } else {
                self.fingerprint(g)
            }
        };
        let removed = |g: u32| self.is_removed(g);
        recluster(&mut labels, &removed, &all, &seeds, &rules, &fetch)?;
        let gen = self.manifest.generation + 1;
        let labels_entry = store_labels(&self.dir, gen, &labels)?;
        super::hook("labels-written");

        let mut m = self.manifest.clone();
        m.generation = gen;
        m.next_segment += 1;
        m.segments.push(SegmentEntry {
            file: name.clone(),
            articles: fps.len() as u32,
            first: base,
            bytes,
        });
        let old_labels = m.labels.replace(labels_entry);
        self.commit(m)?;
        super::hook("committed");
        if let Some(l) = old_labels {
            let _ = std::fs::remove_file(self.dir.join(l.file));
        }

        let numbers = numbering(&labels, &|g| self.is_removed(g));
        let firsts: Vec<u32> = {
            let mut f: Vec<u32> = (base..total)
                .map(|g| labels[g as usize])
                .filter(|&l| l < base)
                .collect();
            f.sort_unstable();
            f.dedup();
            f
        };
        let first_ids: HashMap<u32, String> = self
            .metas_of(&firsts)?
            .into_iter()
            .map(|(g, m, _)| (g, m.id))
            .collect();
        out.added = (base..total)
            .map(|g| {
                let i = (g - base) as usize;
                let l = labels[g as usize];
                AddedArticle {
                    id: batch.stored[i].id.clone(),
                    number: g,
                    cluster: numbers[g as usize],
                    joined: (l < base).then(|| first_ids.get(&l).cloned()).flatten(),
                    too_short: !main.admits(fps[i].shingle_count()),
                }
            })
            .collect();
        out.segment = Some(name);
        out.seconds = started.elapsed().as_secs_f64();
        Ok(out)
    }
}

/// The stored metadata of an article read from file `file` of a batch.
pub(crate) fn stored_meta(m: &crate::ingest::Meta, text: &str) -> StoredMeta {
    StoredMeta {
        id: m.id.clone(),
        title: m.title.clone(),
        source: m.source.clone(),
        url: m.url.clone(),
        published: m.published,
        date_from: m.date_from,
        file: m.loc.file,
        line: m.loc.line,
        start: m.loc.start,
        end: m.loc.end,
        text: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
    }
}
