//! `remove`, `compact` and `stats`.

use super::labels::{check_labels, recluster, store_labels};
use super::manifest::SegmentEntry;
use super::segment::{self, NewSegment, StoredMeta};
use super::{bad, Index};
use crate::error::Error;
use crate::fingerprint::Fingerprint;
use crate::verify::Edge;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Figures of an index.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Format version.
    pub format: u32,
    /// Generation of the manifest.
    pub generation: u64,
    /// Articles ever added.
    pub added: u32,
    /// Articles live.
    pub live: u32,
    /// Articles removed (not yet compacted away).
    pub removed: u32,
    /// Segments.
    pub segments: usize,
    /// Bytes of the index directory's files.
    pub bytes: u64,
    /// Bytes per live article.
    pub bytes_per_article: f64,
    /// Stored edges between live articles.
    pub edges: usize,
    /// Stories of two or more live articles (after the last change).
    pub stories: usize,
    /// Live articles in them.
    pub in_stories: usize,
    /// With `verify`: bytes whose checksums were verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_bytes: Option<u64>,
}

/// What a compaction did.
#[derive(Debug, Clone, Serialize)]
pub struct CompactOutcome {
    /// Segments before.
    pub segments_before: usize,
    /// Removed articles dropped.
    pub dropped: u32,
    /// Bytes before and after.
    pub bytes_before: u64,
    /// Bytes after.
    pub bytes_after: u64,
}

fn dir_bytes(ix: &Index) -> u64 {
    std::fs::read_dir(&ix.dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

impl Index {
    /// Figures; with `verify`, every checksum of every segment is checked
    /// too (a corrupt segment is then named).
    pub fn stats(&self, verify: bool) -> Result<IndexStats, Error> {
        let labels = self.load_labels()?;
        check_labels(&self.dir, &labels)?;
        let mut size: HashMap<u32, usize> = HashMap::new();
        for (g, &l) in labels.iter().enumerate() {
            if !self.is_removed(g as u32) {
                *size.entry(l).or_insert(0) += 1;
            }
        }
        let verified_bytes = if verify {
            let mut n = 0;
            for s in &self.segments {
                n += s.verify()?;
            }
            Some(n)
        } else {
            None
        };
        let bytes = dir_bytes(self);
        Ok(IndexStats {
            format: self.manifest.format,
            generation: self.manifest.generation,
            added: self.total(),
            live: self.live(),
            removed: self.manifest.removed.len() as u32,
            segments: self.segments.len(),
            bytes,
            bytes_per_article: bytes as f64 / self.live().max(1) as f64,
            edges: self.stored_edges()?.len(),
            stories: size.values().filter(|&&n| n > 1).count(),
            in_stories: size.values().filter(|&&n| n > 1).sum(),
            verified_bytes,
        })
    }

    /// Removes the live articles whose id is one of `ids` (retractions,
    /// takedowns): they no longer match and are in no export. Their
    /// stories are clustered again without them. Returns the ids found
    /// none of (not in the index, or removed already).
    pub fn remove(&mut self, ids: &[String]) -> Result<Vec<String>, Error> {
        self.require_writer()?;
        let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let mut found: HashSet<String> = HashSet::new();
        let mut gone = Vec::new();
        for s in &self.segments {
            for (i, m) in s.metas()?.into_iter().enumerate() {
                let g = s.first + i as u32;
                if !self.is_removed(g) && wanted.contains(m.id.as_str()) {
                    gone.push(g);
                    found.insert(m.id);
                }
            }
        }
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| !found.contains(*id))
            .cloned()
            .collect();
        if gone.is_empty() {
            return Ok(missing);
        }
        let mut labels = self.load_labels()?;
        let hit: HashSet<u32> = gone.iter().map(|&g| labels[g as usize]).collect();
        let mut now_removed = self.removed.clone();
        for &g in &gone {
            now_removed[g as usize] = true;
        }
        let seeds: Vec<u32> = (0..self.total())
            .filter(|&g| !now_removed[g as usize] && hit.contains(&labels[g as usize]))
            .collect();
        let edges: Vec<Edge> = self
            .stored_edges()?
            .into_iter()
            .filter(|e| !now_removed[e.a as usize] && !now_removed[e.b as usize])
            .collect();
        let rules = self.rules();
        let removed = |g: u32| now_removed[g as usize];
        let fetch = |g: u32| self.fingerprint(g);
        recluster(&mut labels, &removed, &edges, &seeds, &rules, &fetch)?;
        let gen = self.manifest.generation + 1;
        let entry = store_labels(&self.dir, gen, &labels)?;
        let mut m = self.manifest.clone();
        m.generation = gen;
        m.removed.extend(gone);
        m.removed.sort_unstable();
        m.removed.dedup();
        let old = m.labels.replace(entry);
        self.commit(m)?;
        if let Some(l) = old {
            let _ = std::fs::remove_file(self.dir.join(l.file));
        }
        Ok(missing)
    }

    /// Merges every segment into one, dropping removed articles (their
    /// fingerprints, metadata and edges leave the disk) and renumbering
    /// the live ones in order. Readers that opened the index before keep
    /// reading the old segments (open files); new readers see the new one.
    pub fn compact(&mut self) -> Result<CompactOutcome, Error> {
        self.require_writer()?;
        let bytes_before = dir_bytes(self);
        let segments_before = self.segments.len();
        let dropped = self.manifest.removed.len() as u32;
        let labels = self.load_labels()?;
        let mut fps: Vec<Fingerprint> = Vec::with_capacity(self.live() as usize);
        let mut metas: Vec<StoredMeta> = Vec::with_capacity(self.live() as usize);
        let mut new_of: Vec<u32> = vec![u32::MAX; self.total() as usize];
        let mut files: Vec<String> = Vec::new();
        let mut file_no: HashMap<String, u32> = HashMap::new();
        for s in &self.segments {
            let sm = s.metas()?;
            let first = s.first;
            s.for_each_fingerprint(|i, fp| {
                let g = first + i;
                if self.is_removed(g) {
                    return Ok(());
                }
                let mut m = sm[i as usize].clone();
                let path = s
                    .dir
                    .files
                    .get(m.file as usize)
                    .cloned()
                    .unwrap_or_default();
                m.file = *file_no.entry(path.clone()).or_insert_with(|| {
                    files.push(path);
                    files.len() as u32 - 1
                });
                new_of[g as usize] = fps.len() as u32;
                fps.push(fp);
                metas.push(m);
                Ok(())
            })?;
        }
        let edges: Vec<Edge> = self
            .stored_edges()?
            .into_iter()
            .map(|e| Edge {
                a: new_of[e.a as usize],
                b: new_of[e.b as usize],
                ..e
            })
            .collect();
        let new_labels: Vec<u32> = (0..self.total() as usize)
            .filter(|&g| new_of[g] != u32::MAX)
            .map(|g| match new_of.get(labels[g] as usize) {
                Some(&l) if l != u32::MAX => Ok(l),
                _ => Err(bad(
                    &self.dir,
                    format!("labels: article #{g} is labelled with a removed article"),
                )),
            })
            .collect::<Result<_, _>>()?;
        let (runs, lede_bands) = self.band_runs(&fps);
        let name = format!("seg-{:06}.wts", self.manifest.next_segment);
        let tmp = self.dir.join(format!("{name}.tmp"));
        let bytes = segment::write(
            &tmp,
            NewSegment {
                first: 0,
                k: self.cfg.num_perm,
                fingerprints: &fps,
                metas: &metas,
                files: &files,
                runs,
                lede_bands,
                edges: &edges,
            },
        )?;
        super::hook("compact-segment-written");
        let path = self.dir.join(&name);
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        super::manifest::sync_dir(&self.dir)?;
        let gen = self.manifest.generation + 1;
        let entry = store_labels(&self.dir, gen, &new_labels)?;
        let mut m = self.manifest.clone();
        let old_files: Vec<String> = m
            .segments
            .iter()
            .map(|s| s.file.clone())
            .chain(m.labels.as_ref().map(|l| l.file.clone()))
            .collect();
        m.generation = gen;
        m.next_segment += 1;
        m.segments = if fps.is_empty() {
            Vec::new()
        } else {
            vec![SegmentEntry {
                file: name.clone(),
                articles: fps.len() as u32,
                first: 0,
                bytes,
            }]
        };
        m.removed = Vec::new();
        m.labels = Some(entry);
        self.commit(m)?;
        super::hook("compact-committed");
        for f in old_files {
            let _ = std::fs::remove_file(self.dir.join(f));
        }
        if fps.is_empty() {
            let _ = std::fs::remove_file(path);
        }
        Ok(CompactOutcome {
            segments_before,
            dropped,
            bytes_before,
            bytes_after: dir_bytes(self),
        })
    }
}
