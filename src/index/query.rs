//! A batch read from files, and `check --index`: a batch matched against
//! the index without changing it.

use super::add::{candidates, stored_meta, verify_pairs};
use super::segment::StoredMeta;
use super::texts::{ArchiveTexts, TextRef};
use super::Index;
use crate::cluster::{cluster_with_cores, Clusters, FingerprintCores};
use crate::error::{Error, Skipped};
use crate::fingerprint::{Fingerprint, Fingerprinter, Input};
use crate::ingest::{self, Meta, ReadOptions};
use crate::verify::{Edge, PairContext};
use crate::Config;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Articles read from files for `add` or `check --index`.
#[derive(Debug, Default)]
pub struct Batch {
    /// Each article's metadata (`loc.file` indexes `files`).
    pub metas: Vec<Meta>,
    /// Each article's text.
    pub texts: Vec<String>,
    /// Each article's metadata as a segment keeps it.
    pub stored: Vec<StoredMeta>,
    /// The files read, as absolute paths.
    pub files: Vec<String>,
    /// Per article: the index of the input argument its file came from.
    pub args: Vec<usize>,
    /// Records skipped, listed (the first `max_errors`).
    pub skipped: Vec<Skipped>,
    /// Records skipped, counted.
    pub skipped_count: u64,
}

fn absolute(p: &Path) -> String {
    if p.as_os_str() == "-" {
        return "<stdin>".into();
    }
    let abs = std::fs::canonicalize(p)
        .or_else(|_| std::env::current_dir().map(|d| d.join(p)))
        .unwrap_or_else(|_| p.to_owned());
    crate::error::path_text(&abs).into_owned()
}

impl Batch {
    /// Reads every article of `paths` (as `scan` reads them) with `cfg`'s
    /// field names. Fails when nothing at all could be read, or with
    /// `strict` at the first bad record.
    pub fn read(paths: &[PathBuf], cfg: &Config) -> Result<Batch, Error> {
        let inputs = ingest::open(paths)?;
        let opts = ReadOptions::from_config(cfg);
        let mut b = Batch {
            files: inputs.files.iter().map(|f| absolute(&f.path)).collect(),
            ..Default::default()
        };
        let mut bad = inputs.skipped.clone();
        for p in ingest::read(&inputs, &opts) {
            match p {
                Ok((a, _)) => {
                    b.stored.push(stored_meta(&a.meta, &a.text));
                    b.args.push(
                        inputs
                            .files
                            .get(a.meta.loc.file as usize)
                            .map_or(0, |f| f.arg),
                    );
                    b.metas.push(a.meta);
                    b.texts.push(a.text);
                }
                Err(s) => bad.push(s),
            }
        }
        if cfg.strict {
            if let Some(s) = bad.into_iter().next() {
                return Err(Error::BadRecord {
                    at: s.at,
                    reason: s.reason,
                });
            }
            bad = Vec::new();
        }
        b.skipped_count = bad.len() as u64;
        bad.truncate(cfg.max_errors);
        b.skipped = bad;
        if b.metas.is_empty() && b.skipped_count == 0 {
            return Err(Error::NoArticles);
        }
        Ok(b)
    }

    /// Whether no article was read.
    pub fn is_empty(&self) -> bool {
        self.metas.is_empty()
    }

    /// The fingerprints of the batch's articles, in order.
    pub fn fingerprints(&self, fper: &Fingerprinter) -> Vec<Fingerprint> {
        let inputs: Vec<Input> = self
            .metas
            .iter()
            .zip(&self.texts)
            .map(|(m, t)| Input {
                title: m.title.as_deref(),
                text: t,
                outlet: m.source.as_deref(),
                published: m.published,
            })
            .collect();
        fper.fingerprint_batch(&inputs)
    }
}

/// What `check --index` found: a small corpus (the archived articles of
/// the stories the batch met, then the batch) clustered, ready for a
/// report ([`crate::report::Report::from_clusters`]).
pub struct QueryOutcome {
    /// The corpus's articles: archived ones (in index order), then the batch's.
    pub docs: Vec<Meta>,
    /// File names `docs[i].loc.file` indexes.
    pub files: Vec<String>,
    /// Their texts.
    pub texts: ArchiveTexts,
    /// Their clusters.
    pub clusters: Clusters,
    /// Per article: whether it is in the index (else in the batch).
    pub archived: Vec<bool>,
    /// Per article of the batch: its input argument.
    pub batch_args: Vec<usize>,
    /// Edges between the corpus's articles (corpus numbering).
    pub edges: Vec<Edge>,
    /// Records of the batch skipped, counted.
    pub skipped_count: u64,
    /// Records of the batch skipped, listed.
    pub skipped: Vec<Skipped>,
}

impl Index {
    /// Matches `batch` against the index (candidates, verification under
    /// the headline counts of the index with the batch), takes in the
    /// stories of the archived articles it matched (every live member, by
    /// the labels of the last change, with the stored edges among them),
    /// and clusters the lot. Changes nothing on disk.
    pub fn query(&self, batch: Batch) -> Result<QueryOutcome, Error> {
        let fper = Fingerprinter::new(&self.cfg)?;
        let fps = batch.fingerprints(&fper);
        let base = self.total();
        let (main_pairs, lede_pairs, _) = candidates(self, &fps, base)?;
        let ctx = PairContext::new(self.counts_with(&fps)?);
        let fp = self.getter(&fps, base);
        let files = ArchiveTexts::new(Vec::new(), ReadOptions::from_config(&self.cfg));
        let text = self.text_getter(&batch.texts, base, &files);
        let rules = self.rules();
        let edges = verify_pairs(&main_pairs, &lede_pairs, &fp, &text, &fper, &rules, &ctx);
        drop(fp);
        drop(text);

        // The stories of the archived articles matched.
        let matched: Vec<u32> = edges
            .iter()
            .flat_map(|e| [e.a, e.b])
            .filter(|&g| g < base)
            .collect();
        let mut members: Vec<u32> = Vec::new();
        let mut stored = Vec::new();
        if !matched.is_empty() {
            let labels = self.load_labels()?;
            let mut wanted: Vec<u32> = matched.iter().map(|&g| labels[g as usize]).collect();
            wanted.sort_unstable();
            wanted.dedup();
            members = (0..base)
                .filter(|&g| {
                    !self.is_removed(g) && wanted.binary_search(&labels[g as usize]).is_ok()
                })
                .collect();
            stored = self.stored_edges()?;
        }
        // An article of the batch that is in the index already (the same
        // id and text: your originals, indexed yesterday) is one article,
        // not its own copy: the batch's record stands for it.
        let in_batch: std::collections::HashSet<(&str, u64)> = batch
            .stored
            .iter()
            .map(|m| (m.id.as_str(), m.text))
            .collect();
        let mut member_metas = Vec::with_capacity(members.len());
        for (g, sm, path) in self.metas_of(&members)? {
            if !in_batch.contains(&(sm.id.as_str(), sm.text)) {
                member_metas.push((g, sm, path));
            }
        }
        let members: Vec<u32> = member_metas.iter().map(|x| x.0).collect();
        let local_old = |g: u32| members.binary_search(&g).ok().map(|i| i as u32);
        let m = members.len() as u32;
        let local = |g: u32| {
            if g >= base {
                Some(m + g - base)
            } else {
                local_old(g)
            }
        };
        let mut all: Vec<Edge> = stored
            .iter()
            .chain(&edges)
            .filter_map(|e| {
                Some(Edge {
                    a: local(e.a)?,
                    b: local(e.b)?,
                    ..*e
                })
            })
            .collect();
        all.sort_unstable_by_key(|e| (e.a, e.b));
        all.dedup_by_key(|e| (e.a, e.b));

        let mut files: Vec<String> = Vec::new();
        let mut file_no: HashMap<String, u32> = HashMap::new();
        let mut file_of = |p: &str| -> u32 {
            *file_no.entry(p.to_owned()).or_insert_with(|| {
                files.push(p.to_owned());
                files.len() as u32 - 1
            })
        };
        let mut docs = Vec::with_capacity(members.len() + batch.metas.len());
        let mut refs = Vec::with_capacity(docs.capacity());
        let mut all_fps = Vec::with_capacity(docs.capacity());
        for (g, sm, path) in member_metas {
            let f = file_of(&path);
            docs.push(meta_of(&sm, f));
            refs.push(TextRef::stored(&sm, path));
            all_fps.push(self.fingerprint(g)?);
        }
        for (i, meta) in batch.metas.iter().enumerate() {
            let path = batch
                .files
                .get(meta.loc.file as usize)
                .cloned()
                .unwrap_or_default();
            let f = file_of(&path);
            let mut meta = meta.clone();
            meta.loc.file = f;
            docs.push(meta);
            refs.push(TextRef {
                path,
                loc: Default::default(),
                hash: 0,
                held: Some(Arc::from(batch.texts[i].as_str())),
            });
        }
        all_fps.extend(fps);
        let clusters =
            cluster_with_cores(docs.len(), &all, &FingerprintCores::of(&all_fps, &rules));
        let archived = (0..docs.len()).map(|i| (i as u32) < m).collect();
        Ok(QueryOutcome {
            docs,
            files,
            texts: ArchiveTexts::new(refs, ReadOptions::from_config(&self.cfg)),
            clusters,
            archived,
            batch_args: batch.args,
            edges: all,
            skipped_count: batch.skipped_count,
            skipped: batch.skipped,
        })
    }
}

/// An ingest [`Meta`] from stored metadata, in file `file` of a corpus.
pub(crate) fn meta_of(m: &StoredMeta, file: u32) -> Meta {
    Meta {
        id: m.id.clone(),
        title: m.title.clone(),
        source: m.source.clone(),
        url: m.url.clone(),
        published: m.published,
        loc: ingest::RecordLoc {
            file,
            line: m.line,
            start: m.start,
            end: m.end,
        },
        date_from: m.date_from,
    }
}
