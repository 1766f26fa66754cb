//! A persistent index on disk: articles added batch by batch, each new
//! batch matched against everything indexed before, never rescanned.
//!
//! An index is a directory:
//!
//! ```text
//! INDEX/
//!   MANIFEST          format version, settings, live segments, removed articles, labels file
//!   LOCK              held (flock) by the one writer
//!   seg-000001.wts    immutable segments: fingerprints, metadata, band runs, counts, edges
//!   labels-000007.bin each article's cluster (its first member) after the last change
//! ```
//!
//! [`Index::add`] fingerprints a batch ([`crate::Fingerprinter`]), looks
//! its band keys up in every segment's sorted runs (`runs.rs`: a
//! merge-join of the batch's sorted keys against each run, block by block),
//! applies the scan's bucket rule over the archive's and the batch's
//! members together, verifies each pair with [`crate::verify::pair`] (and
//! the lede pass) under the headline counts of the whole index, and writes
//! one new segment, a new labels file, then the manifest that names them
//! (`manifest.rs`): a crash at any point leaves the manifest of before,
//! and what was half written is removed at the next writer's open.
//! The clusters of the stories the batch touched are recomputed from the
//! stored edges with the scan's chaining guard (`labels.rs`).
//!
//! [`Index::export`] answers with the partition a `scan` of every live
//! article, in the order they were added, gives: it recomputes the
//! candidate pairs from the stored runs with the bucket rule over the whole
//! index, verifies them under the headline counts of the whole index (the
//! corpus-wide statistics a scan uses), runs the lede pass, and clusters
//! with the cores of every article (`export.rs`). Nothing of this depends
//! on how the articles were split into batches. Texts for lineage and for
//! the lede pass's exact counts are re-read from the files they were added
//! from (checked against a hash kept in the index: a changed file's text
//! counts as unreadable, never as another article's).
//!
//! [`Index::query`] is `check --index`: a batch matched against the index
//! without changing it.

mod add;
mod export;
mod labels;
mod lock;
mod maintain;
mod manifest;
mod query;
mod runs;
mod segment;
mod texts;

pub use add::{AddOutcome, AddedArticle};
pub use export::{write_assignment, Export};
pub use lock::WriterLock;
pub use maintain::{CompactOutcome, IndexStats};
pub use manifest::{Manifest, SegmentEntry, Settings, FORMAT_VERSION, MANIFEST, OLDEST_FORMAT};
pub use query::{Batch, QueryOutcome};
pub use segment::{Segment, StoredMeta};
pub use texts::ArchiveTexts;

use crate::config::Config;
use crate::error::Error;
use crate::fingerprint::Fingerprint;
use crate::lsh::Banding;
use crate::verify::{HeadlineCounts, Rules};
use std::path::{Path, PathBuf};

/// The error for something wrong with the index at `path`.
pub(crate) fn bad(path: &Path, why: String) -> Error {
    Error::Input {
        path: path.to_owned(),
        why,
    }
}

/// Test hooks at the steps of a write: when `WIRETRACE_INDEX_CRASH_AT`
/// names `point`, the process aborts there (the crash-safety tests kill
/// writers at each step); when `WIRETRACE_INDEX_PAUSE_AT` names it, the
/// writer waits there for 3 seconds (the tests run a second writer and a
/// reader meanwhile).
pub(crate) fn hook(point: &str) {
    if std::env::var_os("WIRETRACE_INDEX_CRASH_AT").is_some_and(|at| at == point) {
        std::process::abort();
    }
    if std::env::var_os("WIRETRACE_INDEX_PAUSE_AT").is_some_and(|at| at == point) {
        std::thread::sleep(std::time::Duration::from_secs(3));
    }
}

/// An open index: its manifest, its live segments, and (for a writer)
/// the lock.
#[derive(Debug)]
pub struct Index {
    dir: PathBuf,
    manifest: Manifest,
    segments: Vec<Segment>,
    /// Per global article number: removed.
    removed: Vec<bool>,
    cfg: Config,
    lock: Option<WriterLock>,
}

impl Index {
    /// Opens the index at `dir` for reading (export, check, stats); takes
    /// no lock, so it works while a writer runs. `run` gives the settings
    /// that only say how a run reports (`strict`, `max_errors`); the rest
    /// come from the index.
    ///
    /// Fails when `dir` holds no index, its manifest is of a newer format
    /// version, or a segment is missing, truncated or corrupt.
    pub fn open(dir: &Path, run: &Config) -> Result<Index, Error> {
        // A compaction may remove the segments of the manifest just read:
        // read it again then.
        let mut last = None;
        for _ in 0..3 {
            let m = Manifest::load(dir)?.ok_or_else(|| no_index(dir))?;
            match Index::with_manifest(dir, m, run, None) {
                Ok(ix) => return Ok(ix),
                Err(e) => {
                    let again = Manifest::load(dir)?.map(|m| m.generation);
                    last = Some(e);
                    if again.is_none() {
                        break;
                    }
                }
            }
        }
        Err(last.unwrap_or_else(|| no_index(dir)))
    }

    /// Opens the index at `dir` for writing, creating it with the settings
    /// of `cfg` when there is none. Takes the writer's lock (fails at once
    /// when another writer holds it) and removes what a killed writer left
    /// (temporary files, segments no manifest names).
    ///
    /// When the index exists, `given(name)` says whether the setting
    /// `name` (a [`Settings`] field) was given by the caller: a given
    /// setting that differs from the stored one is refused, naming both.
    pub fn open_writer(
        dir: &Path,
        cfg: &Config,
        given: &dyn Fn(&str) -> bool,
    ) -> Result<Index, Error> {
        let settings = Settings::from_config(cfg)?;
        let existing = Manifest::load(dir)?;
        if existing.is_none() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let lock = WriterLock::acquire(dir)?;
        let manifest = match Manifest::load(dir)? {
            Some(m) => {
                refuse_conflicts(dir, &m.settings, &settings, given)?;
                m
            }
            None => {
                crate::fingerprint::Fingerprinter::new(cfg)?;
                let m = Manifest::new(settings);
                m.store(dir)?;
                m
            }
        };
        clean(dir, &manifest)?;
        Index::with_manifest(dir, manifest, cfg, Some(lock))
    }

    fn with_manifest(
        dir: &Path,
        manifest: Manifest,
        run: &Config,
        lock: Option<WriterLock>,
    ) -> Result<Index, Error> {
        let cfg = manifest.settings.to_config(run)?;
        cfg.validate()?;
        let mut segments = Vec::with_capacity(manifest.segments.len());
        for s in &manifest.segments {
            let seg = Segment::open(&dir.join(&s.file), s.bytes, s.articles, s.first)?;
            if seg.dir.k != cfg.num_perm {
                return Err(segment::corrupt(
                    seg.path(),
                    "its signature length differs from the index's",
                ));
            }
            segments.push(seg);
        }
        let mut removed = vec![false; manifest.total() as usize];
        for &r in &manifest.removed {
            if let Some(x) = removed.get_mut(r as usize) {
                *x = true;
            }
        }
        Ok(Index {
            dir: dir.to_owned(),
            manifest,
            segments,
            removed,
            cfg,
            lock,
        })
    }

    /// The index's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The config the index was built with.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The manifest read at open.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Articles ever added (removed included).
    pub fn total(&self) -> u32 {
        self.manifest.total()
    }

    /// Articles live (added and not removed).
    pub fn live(&self) -> u32 {
        self.total() - self.manifest.removed.len() as u32
    }

    pub(crate) fn is_removed(&self, g: u32) -> bool {
        self.removed.get(g as usize).copied().unwrap_or(false)
    }

    /// The segment holding global article `g`, and `g` within it.
    pub(crate) fn locate(&self, g: u32) -> Option<(&Segment, u32)> {
        let i = self.segments.partition_point(|s| s.first + s.len() <= g);
        let s = self.segments.get(i)?;
        (g >= s.first).then_some((s, g - s.first))
    }

    /// The fingerprint of global article `g`.
    pub fn fingerprint(&self, g: u32) -> Result<Fingerprint, Error> {
        let (s, i) = self
            .locate(g)
            .ok_or_else(|| bad(&self.dir, format!("no article #{g} in the index")))?;
        s.fingerprint(i)
    }

    /// The metadata of global articles `gs` (ascending).
    pub(crate) fn metas_of(&self, gs: &[u32]) -> Result<Vec<(u32, StoredMeta, String)>, Error> {
        let mut out = Vec::with_capacity(gs.len());
        let mut i = 0;
        while i < gs.len() {
            let (s, _) = self
                .locate(gs[i])
                .ok_or_else(|| bad(&self.dir, format!("no article #{} in the index", gs[i])))?;
            let mut j = i;
            while j < gs.len() && gs[j] < s.first + s.len() {
                j += 1;
            }
            let locals: Vec<u32> = gs[i..j].iter().map(|g| g - s.first).collect();
            for (g, m) in gs[i..j].iter().zip(s.metas_of(&locals)?) {
                let path = s
                    .dir
                    .files
                    .get(m.file as usize)
                    .cloned()
                    .unwrap_or_default();
                out.push((*g, m, path));
            }
            i = j;
        }
        Ok(out)
    }

    /// Headline counts of every live article: each segment's counts, less
    /// those of its removed articles.
    pub(crate) fn headline_counts(&self) -> Result<HeadlineCounts, Error> {
        let mut words: hashbrown::HashMap<u32, i64> = hashbrown::HashMap::new();
        let mut titled = 0i64;
        for s in &self.segments {
            let c = s.headlines()?;
            titled += c.titled() as i64;
            for (w, n) in c.to_sorted_vec() {
                *words.entry(w).or_insert(0) += n as i64;
            }
        }
        for (g, _) in self.removed.iter().enumerate().filter(|(_, &r)| r) {
            let fp = self.fingerprint(g as u32)?;
            let hw = fp.header().headline_words();
            titled -= i64::from(!hw.is_empty());
            for w in hw {
                *words.entry(*w).or_insert(0) -= 1;
            }
        }
        Ok(HeadlineCounts::from_counts(
            titled.max(0) as u64,
            words
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(w, n)| (w, n.min(u32::MAX as i64) as u32)),
        ))
    }

    pub(crate) fn bandings(&self) -> (Banding, Option<Banding>) {
        (
            Banding::from_config(&self.cfg),
            Banding::lede_from_config(&self.cfg),
        )
    }

    /// A new segment's runs: for each main band, then each lede band, the
    /// (band key, article in the segment) of every fingerprint, unsorted;
    /// and how many of them are lede bands (the last ones).
    pub(crate) fn band_runs(&self, fps: &[Fingerprint]) -> (Vec<Vec<(u64, u32)>>, usize) {
        let (main, lede) = self.bandings();
        let mut runs: Vec<Vec<(u64, u32)>> = vec![Vec::new(); main.band_count()];
        let mut lede_runs: Vec<Vec<(u64, u32)>> =
            vec![Vec::new(); lede.as_ref().map_or(0, |l| l.params.bands)];
        for (i, fp) in fps.iter().enumerate() {
            for (b, k) in main.keys(fp) {
                runs[b].push((k, i as u32));
            }
            if let Some(l) = &lede {
                for (b, k) in l.keys(fp) {
                    lede_runs[b].push((k, i as u32));
                }
            }
        }
        let lede_bands = lede_runs.len();
        runs.extend(lede_runs);
        (runs, lede_bands)
    }

    pub(crate) fn rules(&self) -> Rules {
        Rules::from_config(&self.cfg)
    }

    fn require_writer(&self) -> Result<(), Error> {
        match self.lock {
            Some(_) => Ok(()),
            None => Err(bad(
                &self.dir,
                "opened for reading; open it with Index::open_writer to change it".into(),
            )),
        }
    }

    /// Replaces the manifest with `m` (atomically) and reopens on it.
    fn commit(&mut self, m: Manifest) -> Result<(), Error> {
        m.store(&self.dir)?;
        let lock = self.lock.take();
        let run = self.cfg.clone();
        *self = Index::with_manifest(&self.dir.clone(), m, &run, lock)?;
        Ok(())
    }
}

/// Fails when a setting `given` names differs between `stored` and
/// `wanted`, naming each such setting with both values.
pub fn refuse_conflicts(
    dir: &Path,
    stored: &Settings,
    wanted: &Settings,
    given: &dyn Fn(&str) -> bool,
) -> Result<(), Error> {
    let diff: Vec<String> = stored
        .differences(wanted)
        .into_iter()
        .filter(|(field, _)| given(field))
        .map(|(_, why)| why)
        .collect();
    if diff.is_empty() {
        return Ok(());
    }
    Err(bad(
        dir,
        format!(
            "the index was made with other settings ({}); leave them out to use the index's, \
             or make another index for these (the index was left unchanged)",
            diff.join("; ")
        ),
    ))
}

fn no_index(dir: &Path) -> Error {
    bad(
        dir,
        "no index here (no MANIFEST); create one with `wiretrace index add INDEX FILES...`".into(),
    )
}

/// Removes what a killed writer left in `dir`: temporary files, and
/// segment and labels files the manifest does not name.
fn clean(dir: &Path, m: &Manifest) -> Result<(), Error> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in rd.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let named = m.segments.iter().any(|s| s.file == name)
            || m.labels.as_ref().is_some_and(|l| l.file == name);
        let ours = name.ends_with(".tmp")
            || ((name.starts_with("seg-") && name.ends_with(".wts"))
                || (name.starts_with("labels-") && name.ends_with(".bin")))
                && !named;
        if ours {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
