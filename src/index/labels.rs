//! Each article's cluster between changes: its label is the global number
//! of its cluster's first member, kept in one file per generation
//! (4 bytes per article, checksummed, named by the manifest).
//!
//! After an `add` (or a `remove`) only the stories it touched change: the
//! connected components, over every stored edge, that hold a new (or
//! removed) article's neighbours. Those components are clustered again
//! with [`cluster_with_cores`] and the scan's cores. The chaining guard
//! works within a component (a union needs an edge, and edges never leave
//! their component), with edges strongest first and ties by article order
//! (which renumbering a component in order keeps), so clustering each
//! component alone gives what clustering all the stored edges at once
//! gives.

use super::manifest::{write_synced, LabelsEntry};
use super::{bad, Index};
use crate::cluster::{cluster_with_cores, FingerprintCores, UnionFind};
use crate::error::Error;
use crate::fingerprint::Fingerprint;
use crate::verify::{Edge, Rules};
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

impl Index {
    /// Labels of every article ever added (its own number where no labels
    /// file exists yet, or past its end).
    pub(crate) fn load_labels(&self) -> Result<Vec<u32>, Error> {
        let total = self.total();
        let mut labels: Vec<u32> = (0..total).collect();
        if let Some(l) = &self.manifest.labels {
            let path = self.dir.join(&l.file);
            let b = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            if b.len() != 4 * l.count as usize || xxh3_64(&b) != l.sum {
                return Err(super::segment::corrupt(
                    &path,
                    "the labels file fails its checksum or length",
                ));
            }
            for (i, c) in b.chunks_exact(4).enumerate().take(total as usize) {
                labels[i] = u32::from_le_bytes(c.try_into().unwrap());
            }
        }
        Ok(labels)
    }

    /// Every stored edge whose two articles are live.
    pub(crate) fn stored_edges(&self) -> Result<Vec<Edge>, Error> {
        let mut out = Vec::new();
        for s in &self.segments {
            out.extend(
                s.edges()?
                    .into_iter()
                    .filter(|e| !self.is_removed(e.a) && !self.is_removed(e.b)),
            );
        }
        Ok(out)
    }
}

/// Writes `labels` as generation `gen`'s labels file in `dir`.
pub(crate) fn store_labels(dir: &Path, gen: u64, labels: &[u32]) -> Result<LabelsEntry, Error> {
    let file = format!("labels-{gen:06}.bin");
    let mut b = Vec::with_capacity(4 * labels.len());
    for l in labels {
        b.extend_from_slice(&l.to_le_bytes());
    }
    let tmp = dir.join(format!("{file}.tmp"));
    write_synced(&tmp, &b)?;
    let path = dir.join(&file);
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
    Ok(LabelsEntry {
        file,
        count: labels.len() as u32,
        sum: xxh3_64(&b),
    })
}

/// Clusters again the components of `edges` (live articles only) that
/// hold any of `seeds`, and sets their articles' labels; `removed`
/// articles get `u32::MAX`. `fetch` gives a fingerprint by global number.
pub(crate) fn recluster(
    labels: &mut [u32],
    removed: &dyn Fn(u32) -> bool,
    edges: &[Edge],
    seeds: &[u32],
    rules: &Rules,
    fetch: &dyn Fn(u32) -> Result<Fingerprint, Error>,
) -> Result<(), Error> {
    let n = labels.len();
    let mut uf = UnionFind::new(n);
    for e in edges {
        uf.union(e.a, e.b);
    }
    let mut hit = vec![false; n];
    for &s in seeds {
        if (s as usize) < n {
            let r = uf.find(s) as usize;
            hit[r] = true;
        }
    }
    let affected: Vec<u32> = (0..n as u32)
        .filter(|&g| !removed(g) && hit[uf.find(g) as usize])
        .collect();
    let local = |g: u32| affected.binary_search(&g).ok().map(|i| i as u32);
    let local_edges: Vec<Edge> = edges
        .iter()
        .filter_map(|e| {
            Some(Edge {
                a: local(e.a)?,
                b: local(e.b)?,
                ..*e
            })
        })
        .collect();
    let fps = affected
        .iter()
        .map(|&g| fetch(g))
        .collect::<Result<Vec<_>, _>>()?;
    let clusters = cluster_with_cores(
        affected.len(),
        &local_edges,
        &FingerprintCores::of(&fps, rules),
    );
    let mut first = vec![u32::MAX; clusters.count];
    for (i, &c) in clusters.of.iter().enumerate() {
        if first[c as usize] == u32::MAX {
            first[c as usize] = affected[i];
        }
        labels[affected[i] as usize] = first[c as usize];
    }
    for (g, l) in labels.iter_mut().enumerate() {
        if removed(g as u32) {
            *l = u32::MAX;
        }
    }
    Ok(())
}

/// Cluster numbers as a scan of the live articles numbers them (by first
/// member, in order), per global article; `u32::MAX` for removed ones.
pub(crate) fn numbering(labels: &[u32], removed: &dyn Fn(u32) -> bool) -> Vec<u32> {
    let mut number = vec![u32::MAX; labels.len()];
    let mut next = 0u32;
    for g in 0..labels.len() {
        if removed(g as u32) {
            continue;
        }
        let l = labels[g] as usize;
        if l == g {
            number[g] = next;
            next += 1;
        } else if let Some(&n) = number.get(l) {
            number[g] = n;
        }
    }
    number
}

/// Fails when a label points at no article before it (a labels file of
/// another index).
pub(crate) fn check_labels(dir: &Path, labels: &[u32]) -> Result<(), Error> {
    for (g, &l) in labels.iter().enumerate() {
        if l != u32::MAX && l as usize > g {
            return Err(bad(
                dir,
                format!("labels file: article #{g} is labelled with a later article; the index is corrupt"),
            ));
        }
    }
    Ok(())
}
