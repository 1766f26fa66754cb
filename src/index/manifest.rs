//! The manifest: the format version, the settings of the index, its live
//! segments and its removed articles, in one small JSON file replaced
//! atomically (written to a temporary file, synced, renamed over
//! `MANIFEST`, the directory synced). A reader that reads `MANIFEST` sees
//! one whole generation of the index, never half of one: segments are
//! written and synced before the manifest that names them.

use super::bad;
use crate::config::{Config, FieldNames, ShingleSpec};
use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// The manifest's file name inside an index directory.
pub const MANIFEST: &str = "MANIFEST";

/// The index format this build writes and reads. An index of a newer
/// version is refused (its segments may hold what this build cannot read),
/// and one older than [`OLDEST_FORMAT`] too.
pub const FORMAT_VERSION: u32 = 2;

/// The oldest index format this build reads: 2. Version 1 indexes have no
/// run for the headline band (`lsh::headline`), so their articles would
/// never meet a re-filing: they are refused with a note to rebuild.
pub const OLDEST_FORMAT: u32 = 2;

/// The settings an index was created with: every setting that changes a
/// fingerprint, a band key or a verdict. Stored in the manifest; later
/// `add`s and `check`s reuse them, and refuse settings that differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Field names of JSON Lines input (id, text, title, source, url, date).
    pub fields: [String; 6],
    /// Invalid UTF-8 replaced instead of skipped.
    pub lossy: bool,
    /// Extra boilerplate patterns.
    pub boilerplate: Vec<String>,
    /// Shingle kinds, as `word:N` / `char:N`.
    pub shingles: Vec<String>,
    /// MinHash signature length.
    pub num_perm: usize,
    /// Seed of every hash.
    pub seed: u64,
    /// Jaccard threshold.
    pub threshold: f64,
    /// Containment threshold.
    pub containment: f64,
    /// Smallest excerpt share.
    pub min_excerpt: f64,
    /// Anchor containment.
    pub anchor_containment: f64,
    /// Anchors before the anchor rule applies.
    pub min_anchors: u32,
    /// Shared shingles before similarity is trusted alone.
    pub min_shared: f64,
    /// Headline agreement of short pairs.
    pub title_agreement: f64,
    /// Recurrence days.
    pub recurrence_days: f64,
    /// Figure agreement.
    pub figure_agreement: f64,
    /// LSH bands and rows, if set.
    pub bands: Option<(usize, usize)>,
    /// Lede pass on.
    pub lede: bool,
    /// Largest bucket paired in full.
    pub max_bucket: usize,
    /// Smallest article fingerprinted.
    pub min_shingles: usize,
}

impl Settings {
    /// The settings of `cfg`. Fails for `exact` (the index verifies from
    /// stored fingerprints; exact verification would need every text).
    pub fn from_config(cfg: &Config) -> Result<Settings, Error> {
        if cfg.exact {
            return Err(Error::Config(
                "--exact cannot be used with an index: it verifies from stored fingerprints; \
                 scan with --exact instead"
                    .into(),
            ));
        }
        let f = &cfg.fields;
        Ok(Settings {
            fields: [
                f.id.clone(),
                f.text.clone(),
                f.title.clone(),
                f.source.clone(),
                f.url.clone(),
                f.date.clone(),
            ],
            lossy: cfg.lossy,
            boilerplate: cfg.boilerplate.clone(),
            shingles: cfg.shingles.iter().map(|s| s.to_string()).collect(),
            num_perm: cfg.num_perm,
            seed: cfg.seed,
            threshold: cfg.threshold,
            containment: cfg.containment,
            min_excerpt: cfg.min_excerpt,
            anchor_containment: cfg.anchor_containment,
            min_anchors: cfg.min_anchors,
            min_shared: cfg.min_shared,
            title_agreement: cfg.title_agreement,
            recurrence_days: cfg.recurrence_days,
            figure_agreement: cfg.figure_agreement,
            bands: cfg.bands,
            lede: cfg.lede,
            max_bucket: cfg.max_bucket,
            min_shingles: cfg.min_shingles,
        })
    }

    /// The config these settings describe (`strict` and `max_errors` from
    /// `run`, which only say how a run reports bad records).
    pub fn to_config(&self, run: &Config) -> Result<Config, Error> {
        let [id, text, title, source, url, date] = self.fields.clone();
        let shingles = self
            .shingles
            .iter()
            .map(|s| s.parse::<ShingleSpec>().map_err(Error::Config))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Config {
            fields: FieldNames {
                id,
                text,
                title,
                source,
                url,
                date,
            },
            lossy: self.lossy,
            strict: run.strict,
            boilerplate: self.boilerplate.clone(),
            shingles,
            num_perm: self.num_perm,
            seed: self.seed,
            threshold: self.threshold,
            containment: self.containment,
            min_excerpt: self.min_excerpt,
            anchor_containment: self.anchor_containment,
            min_anchors: self.min_anchors,
            min_shared: self.min_shared,
            title_agreement: self.title_agreement,
            recurrence_days: self.recurrence_days,
            figure_agreement: self.figure_agreement,
            bands: self.bands,
            exact: false,
            lede: self.lede,
            max_bucket: self.max_bucket,
            min_shingles: self.min_shingles,
            max_errors: run.max_errors,
            // How files are read is the run's, not the index's: the same
            // articles may arrive as JSON Lines one day and gzip the next.
            input_format: run.input_format,
        })
    }

    /// The settings that differ between `self` (stored) and `given`, as
    /// `(field, "name: the index has X, given Y")`, in field order.
    pub fn differences(&self, given: &Settings) -> Vec<(String, String)> {
        let (a, b) = (
            serde_json::to_value(self).unwrap_or_default(),
            serde_json::to_value(given).unwrap_or_default(),
        );
        let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
            return Vec::new();
        };
        a.iter()
            .filter(|(k, v)| b.get(*k) != Some(v))
            .map(|(k, v)| {
                let shown = match k.as_str() {
                    "fields" => "fields (--id-field, --text-field, ...)".to_owned(),
                    "lede" => "lede (--no-lede)".to_owned(),
                    "bands" => "bands (--bands, --rows)".to_owned(),
                    _ => format!("--{}", k.replace('_', "-")),
                };
                (
                    k.clone(),
                    format!(
                        "{shown}: the index has {}, given {}",
                        v,
                        b.get(k).cloned().unwrap_or_default()
                    ),
                )
            })
            .collect()
    }
}

/// One live segment, as the manifest names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentEntry {
    /// File name inside the index directory.
    pub file: String,
    /// Articles in it.
    pub articles: u32,
    /// Global number of its first article (articles are numbered in the
    /// order they were added, over all segments).
    pub first: u32,
    /// Length of the file in bytes (a shorter file is truncated).
    pub bytes: u64,
}

/// The manifest's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version ([`FORMAT_VERSION`]).
    pub format: u32,
    /// Generation: one more at each change.
    pub generation: u64,
    /// The settings.
    pub settings: Settings,
    /// Live segments, in the order their articles were added.
    pub segments: Vec<SegmentEntry>,
    /// Global numbers of removed articles, sorted.
    pub removed: Vec<u32>,
    /// Number of the next segment file.
    pub next_segment: u64,
    /// Each article's cluster after the last change (`labels.rs`).
    #[serde(default)]
    pub labels: Option<LabelsEntry>,
}

/// The labels file of a generation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelsEntry {
    /// File name inside the index directory.
    pub file: String,
    /// Labels in it (one per article ever added).
    pub count: u32,
    /// xxh3 of its bytes.
    pub sum: u64,
}

impl Manifest {
    /// A new, empty index's manifest.
    pub fn new(settings: Settings) -> Manifest {
        Manifest {
            format: FORMAT_VERSION,
            generation: 0,
            settings,
            segments: Vec::new(),
            removed: Vec::new(),
            next_segment: 1,
            labels: None,
        }
    }

    /// Articles ever added (removed ones included): the next global number.
    pub fn total(&self) -> u32 {
        self.segments.last().map_or(0, |s| s.first + s.articles)
    }

    /// Reads `dir`'s manifest; `Ok(None)` when there is none (no index yet).
    /// Fails on a manifest that is not one, or of a newer format version.
    pub fn load(dir: &Path) -> Result<Option<Manifest>, Error> {
        let path = dir.join(MANIFEST);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| bad(&path, format!("not an index manifest ({e})")))?;
        let format = value.get("format").and_then(|f| f.as_u64()).unwrap_or(0);
        if format > FORMAT_VERSION as u64 {
            return Err(bad(
                &path,
                format!(
                    "index format version {format}; this wiretrace reads version {FORMAT_VERSION} and older: \
                     use a newer wiretrace (the index was left unchanged)"
                ),
            ));
        }
        if format < OLDEST_FORMAT as u64 {
            return Err(bad(
                &path,
                format!(
                    "index format version {format} was written by an older wiretrace whose bands \
                     this one no longer uses (it reads versions {OLDEST_FORMAT} to {FORMAT_VERSION}): \
                     build a new index from the archive's articles with `wiretrace index add` \
                     (the old index was left unchanged)"
                ),
            ));
        }
        let m: Manifest = serde_json::from_value(value)
            .map_err(|e| bad(&path, format!("malformed index manifest ({e})")))?;
        Ok(Some(m))
    }

    /// Writes the manifest atomically into `dir`: a temporary file, synced,
    /// renamed over `MANIFEST`, then the directory synced.
    pub fn store(&self, dir: &Path) -> Result<(), Error> {
        let tmp = dir.join(format!("{MANIFEST}.tmp"));
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| bad(&tmp, e.to_string()))?;
        write_synced(&tmp, &bytes)?;
        super::hook("manifest-temp");
        let path = dir.join(MANIFEST);
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        sync_dir(dir)
    }
}

/// Writes `bytes` to `path` (created or truncated) and syncs it.
pub fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut f = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| Error::io(path, e))
}

/// Syncs a directory, so renames and new files in it are durable.
pub fn sync_dir(dir: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        let d = std::fs::File::open(dir).map_err(|e| Error::io(dir, e))?;
        d.sync_all().map_err(|e| Error::io(dir, e))?;
    }
    let _ = dir;
    Ok(())
}
