//! Traced clusters -> `Report`: the one data model every report format renders.
//!
//! The JSON report is this model serialized; its schema is documented in
//! `docs/report-schema.md` and versioned by [`SCHEMA`]: fields may be added
//! within a version, never renamed or removed.

use crate::cluster::Clusters;
use crate::config::Config;
use crate::error::Error;
use crate::ingest::{format_timestamp, Corpus, DateFrom, Meta};
use crate::lineage::{
    trace_clusters, Attribution, ClusterLineage, CopyType, Evidence, Figures, LineageConfig, Span,
    VersionReason,
};
use crate::pipeline::Scan;
use serde::Serialize;

/// Schema version of the JSON report.
pub const SCHEMA: &str = "wiretrace-report/1";

/// What produced the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// `wiretrace scan --report`: every cluster of two or more.
    Scan,
    /// `wiretrace check --originals`: clusters holding an editor's article.
    Check,
}

/// Settings that reproduce the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Seed of every hash.
    pub seed: u64,
    /// Jaccard threshold of the scan.
    pub threshold: f64,
    /// Containment threshold of the scan.
    pub containment: f64,
    /// Smallest excerpt share of the scan.
    pub min_excerpt: f64,
    /// Shingle kinds of the scan (`word:3`).
    pub shingles: Vec<String>,
    /// Lineage settings.
    pub lineage: LineageConfig,
}

/// Counts over the whole report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Articles scanned.
    pub articles: u64,
    /// Stories (clusters) reported.
    pub stories: usize,
    /// Copies (members other than the original).
    pub copies: usize,
    /// Copies by type.
    pub verbatim: usize,
    /// Copies by type.
    pub excerpt: usize,
    /// Copies by type.
    pub expanded: usize,
    /// Copies by type.
    pub reworded: usize,
    /// Copies by type.
    pub quoted: usize,
    /// Outlets' own second pages (AMP, print, updates): not copies.
    pub versions: usize,
    /// Copies crediting the original or their parent.
    pub attributed: usize,
    /// Copies with no credit found.
    pub unattributed: usize,
    /// Clusters where the candidate cap applied.
    pub capped_stories: usize,
    /// `check` only: the editor's articles read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub originals: Option<usize>,
    /// `check` only: ids of the editor's articles with no copy found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_republished: Option<Vec<String>>,
}

impl Summary {
    /// Counts one more story: its copies by type and credit, its
    /// versions, whether it was capped. (`articles`, `stories` and the
    /// `check` fields are the caller's.)
    pub fn add_story(&mut self, s: &StoryReport) {
        self.capped_stories += s.capped as usize;
        self.versions += s.versions.len();
        for c in &s.copies {
            self.copies += 1;
            match c.copy_type {
                CopyType::Verbatim => self.verbatim += 1,
                CopyType::Excerpt => self.excerpt += 1,
                CopyType::Expanded => self.expanded += 1,
                CopyType::Reworded => self.reworded += 1,
                CopyType::Quoted => self.quoted += 1,
            }
            if c.attribution.attributed {
                self.attributed += 1;
            } else {
                self.unattributed += 1;
            }
        }
    }
}

/// A member of a story.
#[derive(Debug, Clone, Serialize)]
pub struct MemberReport {
    /// Index in the story's `members`.
    pub index: usize,
    /// Article id.
    pub id: String,
    /// Outlet.
    pub source: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication time, RFC 3339 UTC.
    pub published: Option<String>,
    /// Where `published` came from: `field` (the record's date field),
    /// `page` (the HTML page's own metadata) or `crawl` (a WARC record's
    /// crawl date, for a page that gave no date); null when undated. A
    /// crawl follows publication, often by days, so a lag computed from one
    /// is an upper bound, and reports mark it.
    pub date_from: Option<DateFrom>,
    /// `file:line` of the record.
    pub location: String,
}

impl MemberReport {
    /// Whether its date is a crawl date, not a publication date.
    pub fn crawl_dated(&self) -> bool {
        self.date_from == Some(DateFrom::Crawl)
    }

    /// Outlet, else the URL's domain, else "unknown outlet".
    pub fn outlet(&self) -> String {
        self.source
            .clone()
            .or_else(|| self.url.as_deref().and_then(crate::lineage::domain_of))
            .unwrap_or_else(|| "unknown outlet".into())
    }
}

/// One copy and how it came about.
#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    /// Index of the copy in `members`.
    pub member: usize,
    /// Its id.
    pub id: String,
    /// Index of its parent in `members`.
    pub parent: usize,
    /// The parent's id.
    pub parent_id: String,
    /// Steps from the original.
    pub depth: usize,
    /// Seconds after the parent; null when a date is missing.
    pub lag_seconds: Option<i64>,
    /// `verbatim`, `excerpt`, `expanded` or `reworded`.
    #[serde(rename = "type")]
    pub copy_type: CopyType,
    /// Figures against the parent, rounded to 4 decimals.
    pub figures: Figures,
    /// Credit.
    pub attribution: Attribution,
    /// Passages shared with the parent (byte offsets into each text).
    pub shared: Vec<Span>,
    /// Earlier members compared.
    pub candidates: usize,
}

/// An outlet's own second page of a member (see
/// [`Version`](crate::lineage::Version)).
#[derive(Debug, Clone, Serialize)]
pub struct VersionReport {
    /// Index of the version in `members`.
    pub member: usize,
    /// Its id.
    pub id: String,
    /// Index in `members` of the page it is a version of.
    pub of: usize,
    /// That page's id.
    pub of_id: String,
    /// `same_outlet` or `same_url`.
    pub reason: VersionReason,
    /// Seconds after `of`; null when a date is missing.
    pub lag_seconds: Option<i64>,
}

/// How often one outlet copied another.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Taken {
    /// The outlet copied from (the copies' parents' outlet).
    pub outlet: String,
    /// Copies taken from it.
    pub copies: usize,
}

/// What one copying outlet took: a row of the outlet view.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutletReport {
    /// The copying outlet ([`MemberReport::outlet`]).
    pub outlet: String,
    /// Its copies.
    pub copies: usize,
    /// Stories it copied.
    pub stories: usize,
    /// Copies crediting their source.
    pub credited: usize,
    /// `credited / copies`, rounded to 4 decimals.
    pub credited_share: f64,
    /// Median lag after the parent, seconds (dated copies only).
    pub median_lag_seconds: Option<i64>,
    /// Copies by type, in the order verbatim, excerpt, expanded, reworded, quoted.
    pub types: TypeCounts,
    /// Whom it copied from, most copies first (ties by name).
    pub from: Vec<Taken>,
}

/// Copies by type.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct TypeCounts {
    /// Whole text.
    pub verbatim: usize,
    /// Part of it.
    pub excerpt: usize,
    /// With material added.
    pub expanded: usize,
    /// In other words.
    pub reworded: usize,
    /// Passages inside another article.
    pub quoted: usize,
}

impl TypeCounts {
    /// Counts one copy of type `t`.
    pub fn add(&mut self, t: CopyType) {
        match t {
            CopyType::Verbatim => self.verbatim += 1,
            CopyType::Excerpt => self.excerpt += 1,
            CopyType::Expanded => self.expanded += 1,
            CopyType::Reworded => self.reworded += 1,
            CopyType::Quoted => self.quoted += 1,
        }
    }
}

/// One story: its original and its copies.
#[derive(Debug, Clone, Serialize)]
pub struct StoryReport {
    /// Cluster id (as in the assignments).
    pub cluster: u32,
    /// Members traced.
    pub size: usize,
    /// Index of the original in `members`.
    pub origin: usize,
    /// What decided the original.
    pub evidence: Evidence,
    /// The same in words.
    pub evidence_note: String,
    /// Whether the candidate cap applied.
    pub capped: bool,
    /// The cap.
    pub max_candidates: usize,
    /// Members whose text could not be re-read (left out).
    pub unreadable: usize,
    /// Every member.
    pub members: Vec<MemberReport>,
    /// Copies in traced (date) order.
    pub copies: Vec<CopyReport>,
    /// Outlets' own second pages of a member; not copies.
    pub versions: Vec<VersionReport>,
    /// Member texts, for the HTML side-by-side view (empty when traced
    /// without them; see [`StoryReport::docs`]).
    #[serde(skip)]
    pub texts: Vec<String>,
    /// Corpus article index of each member (to fetch the texts again).
    #[serde(skip)]
    pub docs: Vec<u32>,
}

/// A whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// Version of wiretrace that wrote it.
    pub wiretrace: &'static str,
    /// What produced it.
    pub mode: Mode,
    /// Settings.
    pub settings: Settings,
    /// Counts.
    pub summary: Summary,
    /// Per copying outlet, most copies first (ties by name): the outlet
    /// view, and with each outlet's `from` the who-copies-whom matrix.
    pub outlets: Vec<OutletReport>,
    /// Stories, largest first.
    pub stories: Vec<StoryReport>,
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn member(corpus: &Corpus, index: usize, doc: u32, m: &Meta) -> MemberReport {
    MemberReport {
        index,
        id: m.id.clone(),
        source: m.source.clone(),
        url: m.url.clone(),
        title: m.title.clone(),
        published: m.published.map(format_timestamp),
        date_from: m.published.map(|_| m.date_from),
        location: corpus.location(doc),
    }
}

impl Settings {
    /// The settings of a scan (or of whatever produced the clusters) under
    /// `cfg`, lineage's included ([`LineageConfig::from_config`]).
    pub fn from_config(cfg: &Config) -> Self {
        Settings {
            seed: cfg.seed,
            threshold: cfg.threshold,
            containment: cfg.containment,
            min_excerpt: cfg.min_excerpt,
            shingles: cfg.shingles.iter().map(|s| s.to_string()).collect(),
            lineage: LineageConfig::from_config(cfg),
        }
    }
}

impl Report {
    /// Builds the report of `traced` clusters of `scan`. In `Check` mode,
    /// `originals` flags the editor's articles among the scan's.
    ///
    /// A thin wrapper over [`Report::from_parts`]: the scan's articles and
    /// files, and settings from its config.
    pub fn new(
        scan: &Scan,
        traced: Vec<ClusterLineage>,
        mode: Mode,
        originals: Option<&[bool]>,
    ) -> Self {
        // Texts are not fetched here: the traced clusters carry them.
        let files = crate::ingest::file_names(&scan.inputs);
        let no_texts: Vec<String> = Vec::new();
        let corpus = Corpus::new(&scan.docs, &files, &no_texts);
        Report::from_parts(
            &corpus,
            Settings::from_config(&scan.config),
            traced,
            mode,
            originals,
        )
    }

    /// Traces `clusters` of `corpus` with `settings.lineage` and builds the
    /// report: in [`Mode::Scan`] without `originals`, every cluster of two
    /// or more; in [`Mode::Check`] with them (one flag per article), the
    /// clusters holding an original, each traced from it.
    ///
    /// This is the whole of a report from plain data (see the [module
    /// docs](crate::report) for an example). Fails as
    /// [`lineage::trace_clusters`](crate::lineage::trace_clusters) does,
    /// when `clusters` does not fit `corpus`.
    pub fn from_clusters(
        corpus: &Corpus,
        clusters: &Clusters,
        settings: Settings,
        originals: Option<&[bool]>,
    ) -> Result<Self, Error> {
        let traced = trace_clusters(corpus, clusters, &settings.lineage, originals)?;
        let mode = if originals.is_some() {
            Mode::Check
        } else {
            Mode::Scan
        };
        Ok(Report::from_parts(
            corpus, settings, traced, mode, originals,
        ))
    }

    /// Builds the report of `traced` clusters of `corpus` (as
    /// [`trace_clusters`] gives them), echoing `settings`. In `Check` mode,
    /// `originals` flags the editor's articles (one flag per article of
    /// `corpus`); the summary lists those with no copy.
    ///
    /// Only metadata and locations are read from `corpus`: the texts come
    /// with `traced`.
    pub fn from_parts(
        corpus: &Corpus,
        settings: Settings,
        traced: Vec<ClusterLineage>,
        mode: Mode,
        originals: Option<&[bool]>,
    ) -> Self {
        let mut summary = Summary {
            // A scan counts every article it read, as `docs` holds them.
            articles: corpus.len() as u64,
            stories: traced.len(),
            ..Default::default()
        };
        let origin_docs: std::collections::HashSet<u32> = traced
            .iter()
            .filter(|c| !c.lineage.copies.is_empty())
            .filter_map(|c| c.docs.get(c.lineage.origin).copied())
            .collect();
        let stories: Vec<StoryReport> = traced
            .into_iter()
            .map(|c| {
                let members: Vec<MemberReport> = c
                    .members
                    .iter()
                    .zip(&c.docs)
                    .enumerate()
                    .map(|(i, (m, &d))| member(corpus, i, d, m))
                    .collect();
                let l = c.lineage;
                let copies = l
                    .copies
                    .into_iter()
                    .map(|cp| {
                        let f = cp.figures;
                        CopyReport {
                            id: members[cp.member].id.clone(),
                            parent_id: members[cp.parent].id.clone(),
                            member: cp.member,
                            parent: cp.parent,
                            depth: cp.depth,
                            lag_seconds: cp.lag_seconds,
                            copy_type: cp.copy_type,
                            figures: Figures {
                                jaccard: round4(f.jaccard),
                                copy_in_parent: round4(f.copy_in_parent),
                                parent_in_copy: round4(f.parent_in_copy),
                                aligned_copy: round4(f.aligned_copy),
                                aligned_parent: round4(f.aligned_parent),
                                long_passages: round4(f.long_passages),
                            },
                            attribution: cp.attribution,
                            shared: cp.shared,
                            candidates: cp.candidates,
                        }
                    })
                    .collect();
                let versions = l
                    .versions
                    .into_iter()
                    .map(|v| VersionReport {
                        member: v.member,
                        id: members[v.member].id.clone(),
                        of: v.of,
                        of_id: members[v.of].id.clone(),
                        reason: v.reason,
                        lag_seconds: v.lag_seconds,
                    })
                    .collect();
                StoryReport {
                    cluster: c.cluster,
                    size: members.len(),
                    origin: l.origin,
                    evidence: l.evidence,
                    evidence_note: l.evidence_note,
                    capped: l.capped,
                    max_candidates: l.max_candidates,
                    unreadable: c.unreadable,
                    members,
                    copies,
                    versions,
                    texts: c.texts,
                    docs: c.docs,
                }
            })
            .collect();
        for s in &stories {
            summary.add_story(s);
        }
        if let Some(o) = originals {
            summary.originals = Some(o.iter().filter(|&&b| b).count());
            summary.not_republished = Some(
                (0..o.len())
                    .filter(|&i| o[i] && !origin_docs.contains(&(i as u32)))
                    .filter_map(|i| corpus.docs.get(i).map(|d| d.id.clone()))
                    .collect(),
            );
        }
        Report {
            schema: SCHEMA,
            wiretrace: env!("CARGO_PKG_VERSION"),
            mode,
            settings,
            summary,
            outlets: outlets(&stories),
            stories,
        }
    }
}

/// The outlet view of `stories`: per copying outlet, what it took from whom.
pub fn outlets(stories: &[StoryReport]) -> Vec<OutletReport> {
    let mut tally = OutletTally::default();
    for s in stories {
        tally.add(s);
    }
    tally.finish()
}

/// The outlet view built a story at a time ([`outlets`] of every story
/// added), so a report written page by page need not hold its stories:
/// per outlet it keeps counts, the lags (one number per copy) and whom it
/// copied from.
#[derive(Debug, Default)]
pub struct OutletTally {
    by: std::collections::HashMap<String, OutletAcc>,
    stories: usize,
}

#[derive(Debug, Default)]
struct OutletAcc {
    copies: usize,
    stories: usize,
    last_story: Option<usize>,
    credited: usize,
    lags: Vec<i64>,
    types: TypeCounts,
    from: std::collections::HashMap<String, usize>,
}

impl OutletTally {
    /// Counts the copies of one more story.
    pub fn add(&mut self, s: &StoryReport) {
        let k = self.stories;
        self.stories += 1;
        for c in &s.copies {
            let a = self.by.entry(s.members[c.member].outlet()).or_default();
            a.copies += 1;
            if a.last_story != Some(k) {
                a.stories += 1;
                a.last_story = Some(k);
            }
            a.credited += c.attribution.attributed as usize;
            a.lags.extend(c.lag_seconds);
            a.types.add(c.copy_type);
            *a.from.entry(s.members[c.parent].outlet()).or_default() += 1;
        }
    }

    /// The outlet view: most copies first, ties by name.
    pub fn finish(self) -> Vec<OutletReport> {
        let mut out: Vec<OutletReport> = self
            .by
            .into_iter()
            .map(|(outlet, mut a)| {
                a.lags.sort_unstable();
                let mut from: Vec<Taken> = a
                    .from
                    .into_iter()
                    .map(|(outlet, copies)| Taken { outlet, copies })
                    .collect();
                from.sort_by(|x, y| {
                    y.copies
                        .cmp(&x.copies)
                        .then_with(|| x.outlet.cmp(&y.outlet))
                });
                OutletReport {
                    outlet,
                    copies: a.copies,
                    stories: a.stories,
                    credited: a.credited,
                    credited_share: round4(a.credited as f64 / a.copies.max(1) as f64),
                    median_lag_seconds: (!a.lags.is_empty()).then(|| a.lags[a.lags.len() / 2]),
                    types: a.types,
                    from,
                }
            })
            .collect();
        out.sort_by(|x, y| {
            y.copies
                .cmp(&x.copies)
                .then_with(|| x.outlet.cmp(&y.outlet))
        });
        out
    }
}

/// [`format_lag`] of a lag between `a` and `b`, with " (from a crawl date)"
/// when either date is one: the lag then says when the page was fetched,
/// not when it was published.
pub fn format_lag_between(lag: Option<i64>, a: &MemberReport, b: &MemberReport) -> String {
    let text = format_lag(lag);
    if lag.is_some() && (a.crawl_dated() || b.crawl_dated()) {
        format!("{text} (from a crawl date)")
    } else {
        text
    }
}

/// "+4h 30m", "+2d 3h", "-15m", "+0m"; "undated" for `None`.
pub fn format_lag(lag: Option<i64>) -> String {
    let Some(s) = lag else {
        return "undated".into();
    };
    let sign = if s < 0 { "-" } else { "+" };
    let m = s.unsigned_abs() / 60;
    let (d, h, m) = (m / 1440, (m / 60) % 24, m % 60);
    match (d, h) {
        (0, 0) => format!("{sign}{m}m"),
        (0, _) => format!("{sign}{h}h {m}m"),
        _ => format!("{sign}{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lags() {
        assert_eq!(format_lag(None), "undated");
        assert_eq!(format_lag(Some(0)), "+0m");
        assert_eq!(format_lag(Some(4 * 3600 + 1800)), "+4h 30m");
        assert_eq!(format_lag(Some(-900)), "-15m");
        assert_eq!(format_lag(Some(2 * 86400 + 3 * 3600)), "+2d 3h");
    }
}
