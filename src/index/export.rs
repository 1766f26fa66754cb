//! `export`: the clusters of every live article, as one `scan` of them
//! (in the order they were added) gives.
//!
//! A scan's answer depends on the whole corpus in three ways, and the
//! export recomputes each over the whole index rather than trusting what
//! each `add` decided with the index of its day:
//!
//! - **Buckets**: a band's bucket of more than `max_bucket` articles pairs
//!   each with its next few only; a bucket grows as batches come, so the
//!   pairs are taken again from the stored runs, merged over all segments
//!   in article order (a k-way merge of sorted runs: one block per segment
//!   in memory).
//! - **Headline counts**: the headline test weighs a word by how many
//!   headlines of the corpus hold it ([`crate::verify::HeadlineCounts`]);
//!   every pair is verified under the counts of every live article.
//! - **Clustering**: the chaining guard joins clusters strongest edge
//!   first, over all edges; it runs once over all of them, with the cores
//!   of every article.
//!
//! The lede pass's exact counts read the two texts again from their files.
//! What an export holds in memory is every live article's fingerprint and
//! metadata (about 0.6 KB each) and the edges.

use super::add::{bucket_pairs, union, verify_pairs};
use super::query::meta_of;
use super::texts::{ArchiveTexts, TextRef};
use super::Index;
use crate::cluster::{cluster_with_cores, Clusters, FingerprintCores};
use crate::error::Error;
use crate::fingerprint::{Fingerprint, Fingerprinter};
use crate::ingest::{Meta, ReadOptions};
use crate::verify::{Edge, PairContext};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Every live article of an index with its cluster.
pub struct Export {
    /// Every live article's metadata, in the order added (`loc.file`
    /// indexes `files`).
    pub docs: Vec<Meta>,
    /// The files articles were added from.
    pub files: Vec<String>,
    /// Their texts, re-read from those files.
    pub texts: ArchiveTexts,
    /// Their fingerprints.
    pub fingerprints: Vec<Fingerprint>,
    /// Each article's cluster, numbered by first member.
    pub clusters: Clusters,
    /// Verified edges, sorted by `(a, b)` (export numbering).
    pub edges: Vec<Edge>,
    /// Per article: too short to fingerprint.
    pub too_short: Vec<bool>,
    /// Per article: its id is on another live article too.
    pub duplicate_id: Vec<bool>,
    /// Per article: its global number in the index.
    pub numbers: Vec<u32>,
}

impl Index {
    /// The clusters of every live article, computed as a scan of them
    /// would compute them (see the module docs). Fails on an I/O error or
    /// a corrupt segment (named).
    pub fn export(&self) -> Result<Export, Error> {
        let mut numbers = Vec::with_capacity(self.live() as usize);
        let mut fps = Vec::with_capacity(self.live() as usize);
        let mut docs = Vec::with_capacity(self.live() as usize);
        let mut refs = Vec::with_capacity(self.live() as usize);
        let mut files: Vec<String> = Vec::new();
        let mut file_no: HashMap<String, u32> = HashMap::new();
        for s in &self.segments {
            let metas = s.metas()?;
            let first = s.first;
            s.for_each_fingerprint(|i, fp| {
                let g = first + i;
                if self.is_removed(g) {
                    return Ok(());
                }
                let m = &metas[i as usize];
                let path = s
                    .dir
                    .files
                    .get(m.file as usize)
                    .cloned()
                    .unwrap_or_default();
                let f = *file_no.entry(path.clone()).or_insert_with(|| {
                    files.push(path.clone());
                    files.len() as u32 - 1
                });
                numbers.push(g);
                docs.push(meta_of(m, f));
                refs.push(TextRef::stored(m, path));
                fps.push(fp);
                Ok(())
            })?;
        }
        let live_of = |g: u32| numbers.binary_search(&g).ok().map(|i| i as u32);
        let ctx = PairContext::of_fingerprints(&fps);
        let rules = self.rules();
        let fper = Fingerprinter::new(&self.cfg)?;
        let texts = ArchiveTexts::new(refs, ReadOptions::from_config(&self.cfg));

        let (main, lede) = self.bandings();
        let nmain = main.band_count();
        let mut jobs: Vec<(bool, usize, usize)> =
            (0..nmain).map(|b| (false, b, main.max_bucket)).collect();
        if let Some(l) = lede {
            jobs.extend((0..l.params.bands).map(|b| (true, nmain + b, l.max_bucket)));
        }
        let (mp, lp) = jobs
            .par_iter()
            .map(|&(is_lede, run, max_bucket)| {
                let mut readers = self
                    .segments
                    .iter()
                    .map(|s| s.run(run))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut heap = BinaryHeap::new();
                for (i, r) in readers.iter_mut().enumerate() {
                    if let Some((k, l)) = r.next_entry()? {
                        heap.push(Reverse((k, self.segments[i].first + l, i)));
                    }
                }
                let mut pairs = Vec::new();
                let mut members: Vec<u32> = Vec::new();
                let mut key = None;
                while let Some(Reverse((k, g, i))) = heap.pop() {
                    if key != Some(k) {
                        bucket_pairs(&members, 0, max_bucket, &mut pairs);
                        members.clear();
                        key = Some(k);
                    }
                    if let Some(l) = live_of(g) {
                        members.push(l);
                    }
                    if let Some((k2, l2)) = readers[i].next_entry()? {
                        heap.push(Reverse((k2, self.segments[i].first + l2, i)));
                    }
                }
                bucket_pairs(&members, 0, max_bucket, &mut pairs);
                pairs.sort_unstable();
                pairs.dedup();
                Ok(if is_lede {
                    (Vec::new(), pairs)
                } else {
                    (pairs, Vec::new())
                })
            })
            .try_reduce(
                || (Vec::new(), Vec::new()),
                |x, y| Ok((union(x.0, y.0), union(x.1, y.1))),
            )?;
        let fp = |i: u32| fps.get(i as usize).map(std::borrow::Cow::Borrowed);
        let text = |i: u32| texts.get(i).ok();
        let edges = verify_pairs(&mp, &lp, &fp, &text, &fper, &rules, &ctx);
        let clusters = cluster_with_cores(fps.len(), &edges, &FingerprintCores::of(&fps, &rules));
        let too_short = fps
            .iter()
            .map(|f| !main.admits(f.shingle_count()))
            .collect();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut duplicate_id = vec![false; docs.len()];
        for (i, d) in docs.iter().enumerate() {
            if let Some(&j) = seen.get(d.id.as_str()) {
                duplicate_id[i] = true;
                duplicate_id[j] = true;
            } else {
                seen.insert(&d.id, i);
            }
        }
        Ok(Export {
            docs,
            files,
            texts,
            fingerprints: fps,
            clusters,
            edges,
            too_short,
            duplicate_id,
            numbers,
        })
    }
}

impl Export {
    /// Writes `{"id", "cluster"}` per article, as `scan --assignments`
    /// writes them (`"at"` on records whose id is shared, `"too_short"`).
    pub fn write_assignments(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        for (i, (d, &c)) in self.docs.iter().zip(&self.clusters.of).enumerate() {
            let at = self.duplicate_id[i].then(|| {
                let path = self
                    .files
                    .get(d.loc.file as usize)
                    .map(String::as_str)
                    .unwrap_or("");
                crate::ingest::location_text(path, d.loc.line)
            });
            write_assignment(w, &d.id, c, at, self.too_short[i])?;
        }
        Ok(())
    }

    /// Writes the clusters of two or more articles as one JSON document:
    /// `{"articles", "clusters": [{"cluster", "size", "members": [{"id",
    /// "source", "published", "title", "location"}], "pairs": [{"a", "b",
    /// "jaccard", "containment"}]}]}`.
    pub fn write_clusters(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let members = self.clusters.members();
        let mut pairs: Vec<Vec<&Edge>> = vec![Vec::new(); self.clusters.count];
        for e in &self.edges {
            let c = self.clusters.of[e.a as usize];
            if c == self.clusters.of[e.b as usize] {
                pairs[c as usize].push(e);
            }
        }
        let clusters: Vec<serde_json::Value> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.len() > 1)
            .map(|(c, m)| {
                let ms: Vec<serde_json::Value> = m
                    .iter()
                    .map(|&i| {
                        let d = &self.docs[i as usize];
                        let path = self
                            .files
                            .get(d.loc.file as usize)
                            .map(String::as_str)
                            .unwrap_or("");
                        let mut m = serde_json::json!({
                            "id": d.id,
                            "source": d.source,
                            "published": d.published.map(crate::ingest::format_timestamp),
                            "title": d.title,
                            "location": crate::ingest::location_text(path, d.loc.line),
                        });
                        // As the scan's clusters file: named only when not
                        // the record's field.
                        if d.published.is_some() && !d.date_from.is_field() {
                            m["date_from"] = serde_json::json!(d.date_from);
                        }
                        m
                    })
                    .collect();
                let ps: Vec<serde_json::Value> = pairs[c]
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "a": self.docs[e.a as usize].id,
                            "b": self.docs[e.b as usize].id,
                            "jaccard": e.jaccard,
                            "containment": e.containment,
                        })
                    })
                    .collect();
                serde_json::json!({"cluster": c, "size": m.len(), "members": ms, "pairs": ps})
            })
            .collect();
        serde_json::to_writer_pretty(
            &mut *w,
            &serde_json::json!({"articles": self.docs.len(), "clusters": clusters}),
        )?;
        w.write_all(b"\n")
    }
}

#[derive(serde::Serialize)]
struct AssignmentLine<'a> {
    id: &'a str,
    cluster: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    too_short: bool,
}

/// Writes one assignment line as `scan --assignments` does:
/// `{"id", "cluster"}`, then `"at"` and `"too_short"` where given.
pub fn write_assignment(
    w: &mut dyn std::io::Write,
    id: &str,
    cluster: u32,
    at: Option<String>,
    too_short: bool,
) -> std::io::Result<()> {
    serde_json::to_writer(
        &mut *w,
        &AssignmentLine {
            id,
            cluster,
            at,
            too_short,
        },
    )?;
    w.write_all(b"\n")
}
