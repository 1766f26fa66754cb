//! Clusters -> Lineage: origin, parent, lag, copy type, credit.
//!
//! A cluster says "these articles are one story"; lineage says who published
//! it first, who copied whom, how fast, how much, how faithfully, and with
//! what credit. For one cluster's members (full text loaded), [`trace`]:
//!
//! 1. **Finds the original.** The earliest `published` date wins, unless
//!    the text says otherwise. A member whose text credits another member
//!    (names its outlet, URL or domain) or carries a republication line
//!    ("Read original article here") is a copy whatever its date says, so
//!    it is set aside; among members sharing the earliest date, or all
//!    undated, an excerpt (nearly all of it found in a fuller member) is set
//!    aside too, because an excerpt cannot be the source of the fuller text
//!    it is contained in. Undated members are taken to come after dated ones
//!    unless such evidence says otherwise. The [`Evidence`] that decided is
//!    recorded with a sentence naming the members involved.
//! 2. **Finds each copy's parent**: the earlier member (chronological order,
//!    original first) whose text contains most of the copy, measured as the
//!    share of the copy's word 3-grams found in it. The earliest candidate
//!    is kept unless a later one beats it by [`LineageConfig::margin`](crate::lineage::LineageConfig::margin): a
//!    copy of a copy is traced to the intermediate copy only when it is
//!    clearly closer to it (it carries that copy's edits), not on noise.
//! 3. **Measures and labels the copy** against its parent ([`Figures`],
//!    [`CopyType`]), finds the passages they share ([`Span`], aligned on
//!    word 5-grams, robust to reordered paragraphs), and looks for credit
//!    to the original or the parent ([`Attribution`]).
//! 4. **Sets the outlets' own versions apart**: a member with the same
//!    canonical URL or outlet as the original or its parent is a
//!    [`Version`] (an AMP or print page, an update), not a copy.
//!
//! Figures are computed on the text the scan fingerprints: boilerplate lines
//! (credits, share prompts) and datelines left out, words folded as in
//! `normalize`; offsets point into the original text.
//!
//! Work is capped for stories copied thousands of times: each copy is
//! compared with at most [`LineageConfig::max_candidates`](crate::lineage::LineageConfig::max_candidates) earlier members
//! (half the earliest, half those just before it), and the original is
//! sought among that many earliest members; [`Lineage::capped`](crate::lineage::Lineage::capped) says so.
//!
//! Whole corpora are traced by [`trace_clusters`], from plain data: a
//! [`Corpus`] (every article's [`Meta`] and a
//! [`TextSource`](crate::ingest::TextSource) for the texts) and its
//! [`Clusters`], wherever they came from. [`trace_scan`] is that on a scan.
//!
//! ```
//! use wiretrace::{cluster::Clusters, ingest::{Corpus, Meta}, lineage};
//!
//! let story = "Dock workers at the northern port walked off the job on Monday morning, \
//!              halting the loading of grain ships bound for three countries.";
//! let docs = vec![
//!     Meta { id: "wire".into(), published: Some(1_700_000_000), ..Default::default() },
//!     Meta { id: "copy".into(), published: Some(1_700_003_600), ..Default::default() },
//! ];
//! let texts = vec![story.to_string(), format!("{story}\n\nRead original article here")];
//! let clusters = Clusters { of: vec![0, 0], count: 1 };
//! let corpus = Corpus::new(&docs, &[], &texts);
//! let traced = lineage::trace_clusters(&corpus, &clusters, &Default::default(), None).unwrap();
//! let chain = &traced[0].lineage;
//! assert_eq!(traced[0].members[chain.origin].id, "wire");
//! assert_eq!(chain.copies[0].copy_type, lineage::CopyType::Verbatim);
//! ```

mod align;
mod credit;
mod text;

pub use align::{merge_ranges, Span};
pub use credit::{canonical_url, domain_of, same_publisher, Credit, CreditKind};

use crate::cluster::Clusters;
use crate::error::Error;
use crate::ingest::{self, Article, Corpus, InputTexts, Meta, ReadOptions};
use crate::normalize::Boilerplate;
use crate::pipeline::Scan;
use credit::Needles;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use text::{intersection, shingle_set, tokenize_kept, Token};

/// Settings of lineage tracing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineageConfig {
    /// Extra boilerplate patterns, as in the scan (patterns that do not
    /// compile are ignored here: the scan has already rejected them).
    pub boilerplate: Vec<String>,
    /// Words per shingle for the figures (3, as the scan's default).
    pub shingle: usize,
    /// Shortest shared passage, in words. Five words rarely repeat by
    /// chance in news prose, yet survive a spinner's sparse word swaps.
    pub passage: usize,
    /// Most earlier members a copy is compared with, and most members
    /// considered as the original.
    pub max_candidates: usize,
    /// How much more of a copy (share of its 3-grams) a later candidate
    /// must contain to be its parent instead of an earlier one.
    pub margin: f64,
}

impl Default for LineageConfig {
    fn default() -> Self {
        LineageConfig {
            boilerplate: Vec::new(),
            shingle: 3,
            passage: 5,
            max_candidates: 32,
            margin: 0.05,
        }
    }
}

impl LineageConfig {
    /// Defaults with the scan's boilerplate patterns.
    pub fn from_config(cfg: &crate::Config) -> Self {
        LineageConfig {
            boilerplate: cfg.boilerplate.clone(),
            ..Default::default()
        }
    }
}

/// What decided which member is the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Named by the caller (`wiretrace check --originals`).
    Given,
    /// The one earliest publication date.
    EarliestDate,
    /// An earlier-dated member names another member's outlet: it is a copy.
    Attribution,
    /// An earlier-dated member links to another member (URL, domain, or a
    /// "Read original article here" line).
    Link,
    /// Dates tie or are missing; the others are excerpts of it.
    Containment,
    /// Nothing told them apart: the first in input order. Weak.
    InputOrder,
}

/// How a copy relates to its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyType {
    /// The parent's text, whole.
    Verbatim,
    /// Part of the parent, little else.
    Excerpt,
    /// The parent with material added (update, local angle, more quotes).
    Expanded,
    /// The parent's story in other words (spun).
    Reworded,
    /// Passages (a paragraph or a few) taken word for word inside a
    /// different article: an op-ed or an analysis quoting a report.
    Quoted,
}

impl CopyType {
    /// The lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CopyType::Verbatim => "verbatim",
            CopyType::Excerpt => "excerpt",
            CopyType::Expanded => "expanded",
            CopyType::Reworded => "reworded",
            CopyType::Quoted => "quoted",
        }
    }
}

/// Both texts whole: at most a sentence or two changed. One changed word
/// kills up to 3 word 3-grams, so 0.9 allows a handful of edits (a
/// corrected name, a local spelling) in a 300-word story, while an excerpt
/// of 90% already shows.
pub const VERBATIM: f64 = 0.9;
/// An excerpt: this share of the copy's 3-grams comes from the parent.
/// Below 0.9 so a trimmed copy with a new intro line is still an excerpt.
pub const EXCERPT_FROM_PARENT: f64 = 0.8;
/// Expanded: the copy keeps this share of the parent's 3-grams and adds
/// text of its own. Anything that keeps less of the parent, and is not an
/// excerpt, had its wording changed: reworded. (Spinners that replace one
/// content word in three leave long verbatim runs between the swaps, so the
/// share of text in shared passages does not tell spun text from expanded
/// text; the share of the parent's 3-grams kept does: each swap kills three.)
pub const EXPANDED_KEEPS: f64 = 0.8;
/// Quoted: at most this share of the copy's words lies in passages shared
/// with the parent, so at least 40% is the copy's own article (a column
/// quoting three paragraphs of a report is mostly the columnist's words; a
/// spun copy is the parent's story throughout, only with words swapped).
pub const QUOTED_OWN: f64 = 0.6;
/// Quoted: passages of at least this many words are "long". News
/// paragraphs run one to three sentences, 15 to 60 words, and a quotation
/// lifts whole paragraphs, so its passages are long; a spinner that swaps
/// one content word in five leaves runs of about four words between swaps,
/// and a run of 12 untouched words is rare (0.8^12 < 7%).
pub const QUOTED_RUN: usize = 12;
/// Quoted: this share of the copy's words in shared passages is in long
/// passages (word for word). Spun text at a 20% swap rate keeps about a
/// third of its aligned words in long runs; a quotation keeps nearly all.
pub const QUOTED_LONG: f64 = 0.8;
/// An excerpt cannot be the source of a text holding this share of it...
pub const EXCERPT_CONTAINED: f64 = 0.9;
/// ...when it is at most this fraction of that text's size.
pub const EXCERPT_SIZE: f64 = 0.8;

/// The figures behind a copy's label, copy against parent; shares in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Jaccard similarity of the word 3-gram sets.
    pub jaccard: f64,
    /// Share of the copy's 3-grams found in the parent.
    pub copy_in_parent: f64,
    /// Share of the parent's 3-grams found in the copy: coverage, the share
    /// of the parent reproduced.
    pub parent_in_copy: f64,
    /// Share of the copy's words inside shared passages.
    pub aligned_copy: f64,
    /// Share of the parent's words inside shared passages.
    pub aligned_parent: f64,
    /// Share of the copy's words in shared passages that lie in passages of
    /// at least [`QUOTED_RUN`] words (0 when nothing is shared): how much of
    /// what was taken was taken word for word, in whole sentences.
    pub long_passages: f64,
}

/// The label for a copy's figures (rules: see the constants and
/// `docs/report-schema.md`). In order: verbatim, excerpt, expanded; then a
/// copy that is mostly its own text and took what it took in long
/// word-for-word passages is quoted; anything else is reworded.
pub fn classify(f: &Figures) -> CopyType {
    if f.copy_in_parent >= VERBATIM && f.parent_in_copy >= VERBATIM {
        CopyType::Verbatim
    } else if f.copy_in_parent >= EXCERPT_FROM_PARENT && f.parent_in_copy < VERBATIM {
        CopyType::Excerpt
    } else if f.parent_in_copy >= EXPANDED_KEEPS {
        CopyType::Expanded
    } else if f.aligned_copy > 0.0 && f.aligned_copy <= QUOTED_OWN && f.long_passages >= QUOTED_LONG
    {
        CopyType::Quoted
    } else {
        CopyType::Reworded
    }
}

/// Share of the words of `spans` that are in spans of [`QUOTED_RUN`] words
/// or more.
pub fn long_passage_share(spans: &[Span]) -> f64 {
    let all: usize = spans.iter().map(|s| s.words).sum();
    let long: usize = spans
        .iter()
        .filter(|s| s.words >= QUOTED_RUN)
        .map(|s| s.words)
        .sum();
    share(long, all)
}

/// Whether and how a copy credits where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// Credits the original or its parent (or shares an outlet with one).
    pub attributed: bool,
    /// The credit names the original itself (its outlet, URL or domain).
    pub names_origin: bool,
    /// What shows it; `None` when unattributed.
    pub credit: Option<Credit>,
}

/// One copy in a chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Copy {
    /// The copy (index into the members).
    pub member: usize,
    /// Its likely source (index into the members).
    pub parent: usize,
    /// Steps from the original (1 = copied from the original).
    pub depth: usize,
    /// Seconds from the parent's publication to the copy's; `None` when a
    /// date is missing. Negative when the copy's date precedes its parent's
    /// (a wrong date: the evidence placed it later).
    pub lag_seconds: Option<i64>,
    /// The label.
    pub copy_type: CopyType,
    /// The figures behind it.
    pub figures: Figures,
    /// Credit.
    pub attribution: Attribution,
    /// Passages shared with the parent, in copy order.
    pub shared: Vec<Span>,
    /// Earlier members it was compared with.
    pub candidates: usize,
}

/// Why a member is the same outlet's own version of another member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionReason {
    /// The same outlet (by name; by domain where a name is missing).
    SameOutlet,
    /// The same canonical URL ([`canonical_url`]): an AMP, print or mobile
    /// page of one article.
    SameUrl,
}

/// A member that is an outlet's own second page of an article it already
/// published (an AMP or print page, an update, a correction): a version,
/// not a republication, so it is not counted as a copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// The version (index into the members).
    pub member: usize,
    /// The member it is a version of: the original, or a copy published by
    /// the same outlet as this version.
    pub of: usize,
    /// What shows it.
    pub reason: VersionReason,
    /// Seconds after `of`; `None` when a date is missing.
    pub lag_seconds: Option<i64>,
}

/// Whether `a` is the same outlet's version of `b` (see [`Version`]).
///
/// Outlets publish one article at several addresses (AMP, print, mobile,
/// the same story updated later) and under the same name; another outlet's
/// page is a republication even on a shared platform (MSN, Yahoo News host
/// many outlets under one domain), so names decide when both are given and
/// the domain only when a name is missing.
pub fn version_reason(a: &Meta, b: &Meta) -> Option<VersionReason> {
    let url = |m: &Meta| m.url.as_deref().and_then(canonical_url);
    if let (Some(x), Some(y)) = (url(a), url(b)) {
        if x == y {
            return Some(VersionReason::SameUrl);
        }
    }
    same_publisher(a, b).then_some(VersionReason::SameOutlet)
}

/// One cluster's syndication chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lineage {
    /// The original (index into the members).
    pub origin: usize,
    /// What decided it.
    pub evidence: Evidence,
    /// The same in words, naming the members involved.
    pub evidence_note: String,
    /// Every other member that is not a [`Version`], in the order traced
    /// (original's date order).
    pub copies: Vec<Copy>,
    /// The outlets' own second pages of the original or of a copy; not
    /// copies. A copy's parent may be a version (it was taken from the
    /// AMP page, say).
    pub versions: Vec<Version>,
    /// Whether the cluster exceeded `max_candidates`, so copies were
    /// compared with a subset of earlier members.
    pub capped: bool,
    /// The cap in force.
    pub max_candidates: usize,
}

/// A member's text prepared for comparison.
struct Prepared {
    tokens: Vec<Token>,
    set: Vec<u64>,
    lower: String,
    needles: Needles,
    republication: Option<Credit>,
    /// Its passages indexed for [`align`], built the first time it is a
    /// parent (the original is the parent of most copies).
    table: std::sync::OnceLock<align::Table>,
}

fn boilerplate(cfg: &LineageConfig) -> Boilerplate {
    Boilerplate::new(&cfg.boilerplate)
        .or_else(|_| Boilerplate::new(&[]))
        .expect("built-in boilerplate patterns compile")
}

/// Traces one cluster: `articles` are its members with full text, in any
/// order. Never fails; a single article is its own original with no copies.
pub fn trace(articles: &[Article], cfg: &LineageConfig) -> Lineage {
    trace_given(articles, cfg, &[])
}

/// [`trace`], with `given[i]` marking members known to be originals (an
/// editor's own articles): the earliest of them is the origin.
pub fn trace_given(articles: &[Article], cfg: &LineageConfig, given: &[bool]) -> Lineage {
    trace_prepared(articles, cfg, given, &boilerplate(cfg))
}

/// [`trace_given`] with the boilerplate rules already compiled: compiling
/// the regex set costs milliseconds, so a scan compiles it once, not once
/// per story.
fn trace_prepared(
    articles: &[Article],
    cfg: &LineageConfig,
    given: &[bool],
    bp: &Boilerplate,
) -> Lineage {
    let n = articles.len();
    let cap = cfg.max_candidates.max(2);
    let prep: Vec<Prepared> = articles
        .par_iter()
        .map(|a| {
            // The lines are found once, for the words and the credit lines.
            let kept = bp.kept(&a.text);
            let tokens = tokenize_kept(&a.text, &kept);
            let removed = Boilerplate::removed_of(&a.text, &kept);
            Prepared {
                set: shingle_set(&tokens, cfg.shingle),
                tokens,
                lower: a.text.to_ascii_lowercase(),
                needles: Needles::of(&a.meta),
                republication: credit::republication_line_in(&a.text, &removed),
                table: std::sync::OnceLock::new(),
            }
        })
        .collect();
    let date = |i: usize| articles[i].meta.published;
    let mut chrono: Vec<usize> = (0..n).collect();
    chrono.sort_by_key(|&i| (date(i).is_none(), date(i), i));

    let (origin, evidence, evidence_note) = match chrono
        .iter()
        .find(|&&i| given.get(i).copied().unwrap_or(false))
    {
        Some(&g) => (
            g,
            Evidence::Given,
            format!("`{}` is given as the original", articles[g].meta.id),
        ),
        None if n == 0 => (0, Evidence::InputOrder, String::new()),
        None => choose_origin(articles, &prep, &chrono[..n.min(cap)]),
    };

    let mut order = vec![origin];
    order.extend(chrono.iter().copied().filter(|&i| i != origin));
    let mut copies: Vec<Copy> = (1..order.len())
        .into_par_iter()
        .map(|k| {
            let c = order[k];
            let cands: Vec<usize> = if k <= cap {
                order[..k].to_vec()
            } else {
                let head = cap / 2;
                order[..head]
                    .iter()
                    .chain(&order[k - (cap - head)..k])
                    .copied()
                    .collect()
            };
            let share_in =
                |p: usize| share(intersection(&prep[c].set, &prep[p].set), prep[c].set.len());
            let (mut parent, mut best) = (cands[0], share_in(cands[0]));
            for &p in &cands[1..] {
                let s = share_in(p);
                if s > best + cfg.margin {
                    (parent, best) = (p, s);
                }
            }
            let inter = intersection(&prep[c].set, &prep[parent].set);
            let (sc, sp) = (prep[c].set.len(), prep[parent].set.len());
            let table = prep[parent]
                .table
                .get_or_init(|| align::Table::new(&prep[parent].tokens, cfg.passage));
            let (shared, aligned_copy, aligned_parent) =
                align::align_with(&prep[c].tokens, &prep[parent].tokens, table);
            let figures = Figures {
                jaccard: share(inter, sc + sp - inter),
                copy_in_parent: share(inter, sc),
                parent_in_copy: share(inter, sp),
                aligned_copy,
                aligned_parent,
                long_passages: long_passage_share(&shared),
            };
            Copy {
                member: c,
                parent,
                depth: 0,
                // Saturating: ingest reads dates only in years 0000-9999,
                // but a Meta built elsewhere may hold any i64.
                lag_seconds: date(c).zip(date(parent)).map(|(a, b)| a.saturating_sub(b)),
                copy_type: classify(&figures),
                figures,
                attribution: attribution(articles, &prep, c, origin, parent),
                shared,
                candidates: cands.len(),
            }
        })
        .collect();
    // Versions: the original's outlet again, or a copy's outlet again.
    let mut versions = Vec::new();
    let mut depth = vec![0usize; n];
    copies.retain_mut(|cp| {
        let meta = |i: usize| &articles[i].meta;
        let of = [origin, cp.parent]
            .into_iter()
            .find_map(|o| version_reason(meta(cp.member), meta(o)).map(|r| (o, r)));
        if let Some((of, reason)) = of {
            depth[cp.member] = depth[of];
            versions.push(Version {
                member: cp.member,
                of,
                reason,
                lag_seconds: date(cp.member)
                    .zip(date(of))
                    .map(|(a, b)| a.saturating_sub(b)),
            });
            return false;
        }
        cp.depth = depth[cp.parent] + 1;
        depth[cp.member] = cp.depth;
        true
    });
    Lineage {
        origin,
        evidence,
        evidence_note,
        copies,
        versions,
        capped: n > cap,
        max_candidates: cap,
    }
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Whether `i` is an excerpt of `j` (see [`EXCERPT_CONTAINED`]).
fn excerpt_of(prep: &[Prepared], i: usize, j: usize) -> Option<f64> {
    let (a, b) = (&prep[i].set, &prep[j].set);
    let c = share(intersection(a, b), a.len());
    (c >= EXCERPT_CONTAINED && (a.len() as f64) <= EXCERPT_SIZE * b.len() as f64).then_some(c)
}

/// The original among `pool` (members in date order, undated last), the
/// evidence that decided, and a sentence saying so.
fn choose_origin(
    articles: &[Article],
    prep: &[Prepared],
    pool0: &[usize],
) -> (usize, Evidence, String) {
    let id = |i: usize| articles[i].meta.id.as_str();
    let date = |i: usize| articles[i].meta.published;
    let mut set_aside: Vec<Option<(Evidence, String)>> = vec![None; articles.len()];
    // Credits and links to another member: a copy, whatever its date says.
    for &i in pool0 {
        for &j in pool0 {
            if i == j || credit::same_outlet(&articles[i].meta, &articles[j].meta) {
                continue;
            }
            if let Some(c) = credit::names(&articles[i].text, &prep[i].lower, &prep[j].needles) {
                let ev = if c.kind == CreditKind::Outlet {
                    Evidence::Attribution
                } else {
                    Evidence::Link
                };
                let note = format!("`{}` credits `{}`: \"{}\"", id(i), id(j), c.snippet);
                set_aside[i] = Some((ev, note));
                break;
            }
        }
    }
    for &i in pool0 {
        if let (None, Some(c)) = (&set_aside[i], &prep[i].republication) {
            let note = format!("`{}` says it is a republication: \"{}\"", id(i), c.snippet);
            set_aside[i] = Some((Evidence::Link, note));
        }
    }
    let mut pool: Vec<usize> = pool0
        .iter()
        .copied()
        .filter(|&i| set_aside[i].is_none())
        .collect();
    if pool.is_empty() {
        // Every member credits another: the evidence cancels out; dates decide.
        pool = pool0.to_vec();
        set_aside.iter_mut().for_each(|s| *s = None);
    }
    let tied: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| date(i) == date(pool[0]))
        .collect();
    let mut survivors = tied.clone();
    if tied.len() > 1 {
        survivors.retain(|&i| {
            let fuller = tied
                .iter()
                .find_map(|&j| (j != i).then(|| excerpt_of(prep, i, j).map(|c| (j, c))).flatten());
            if let Some((j, c)) = fuller {
                let note = format!(
                    "`{}` is an excerpt of `{}` ({:.0}% of it is found there), so it cannot be its source",
                    id(i),
                    id(j),
                    c * 100.0
                );
                set_aside[i] = Some((Evidence::Containment, note));
            }
            fuller.is_none()
        });
        if survivors.is_empty() {
            survivors = tied.clone();
        }
    }
    let origin = survivors[0];
    let default = pool0[0];
    if origin == default {
        let unique =
            date(default).is_some() && pool0.get(1).is_none_or(|&k| date(k) != date(default));
        if unique {
            let when = date(default)
                .map(ingest::format_timestamp)
                .unwrap_or_default();
            return (
                origin,
                Evidence::EarliestDate,
                format!("`{}` has the earliest date, {when}", id(origin)),
            );
        }
        if survivors.len() < tied.len() {
            let note = tied
                .iter()
                .filter_map(|&i| set_aside[i].as_ref().map(|s| s.1.clone()))
                .collect::<Vec<_>>()
                .join("; ");
            return (origin, Evidence::Containment, note);
        }
        let why = if date(default).is_some() {
            "several members share the earliest date"
        } else {
            "no member has a date"
        };
        return (
            origin,
            Evidence::InputOrder,
            format!(
                "{why} and no credit, link or containment tells them apart: `{}` is first in input order",
                id(origin)
            ),
        );
    }
    match set_aside[default].clone() {
        Some((ev, note)) => (origin, ev, note),
        None => (
            origin,
            Evidence::InputOrder,
            format!("`{}` is first in input order", id(origin)),
        ),
    }
}

/// Credit in copy `c` to the original `o`, else to its parent `p`.
fn attribution(
    articles: &[Article],
    prep: &[Prepared],
    c: usize,
    o: usize,
    p: usize,
) -> Attribution {
    let meta = |i: usize| &articles[i].meta;
    let same = |i: usize| {
        credit::same_outlet(meta(c), meta(i)).then(|| Credit {
            kind: CreditKind::SameOutlet,
            snippet: meta(i)
                .source
                .clone()
                .or_else(|| meta(i).url.as_deref().and_then(domain_of))
                .unwrap_or_default(),
            start: 0,
            end: 0,
        })
    };
    let names = |i: usize| credit::names(&articles[c].text, &prep[c].lower, &prep[i].needles);
    if let Some(cr) = same(o).or_else(|| names(o)) {
        return Attribution {
            attributed: true,
            names_origin: true,
            credit: Some(cr),
        };
    }
    let other = if p != o {
        same(p).or_else(|| names(p))
    } else {
        None
    };
    let credit = other.or_else(|| prep[c].republication.clone());
    Attribution {
        attributed: credit.is_some(),
        names_origin: false,
        credit,
    }
}

/// A traced cluster: its members' records, texts and lineage.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterLineage {
    /// Cluster id (as in the assignments).
    pub cluster: u32,
    /// Corpus article index of each member.
    pub docs: Vec<u32>,
    /// Each member's attributes; lineage indices point here.
    pub members: Vec<Meta>,
    /// Each member's full text (for reports that show it).
    #[serde(skip)]
    pub texts: Vec<String>,
    /// Members whose text could not be fetched (input changed since the
    /// scan, or missing from the [`TextSource`](crate::ingest::TextSource)); left out of the lineage.
    pub unreadable: usize,
    /// The chain.
    pub lineage: Lineage,
}

/// Traces every cluster of two or more articles of `scan`, with settings
/// from its config; largest clusters first (ties by id).
pub fn trace_scan(scan: &Scan) -> Vec<ClusterLineage> {
    trace_scan_with(scan, &LineageConfig::from_config(&scan.config), None)
}

/// [`trace_scan`] with explicit settings; with `originals` (one flag per
/// scan article), only clusters holding an original are traced, each from
/// its earliest original.
///
/// A thin wrapper over [`trace_clusters`]: the scan's articles, with texts
/// re-read from its inputs ([`InputTexts`]), and its clusters.
///
/// # Panics
///
/// When `scan.clusters` does not fit `scan.docs`, which a scan never
/// makes (the fields are public, so a hand-edited `Scan` could).
pub fn trace_scan_with(
    scan: &Scan,
    cfg: &LineageConfig,
    originals: Option<&[bool]>,
) -> Vec<ClusterLineage> {
    let texts = InputTexts::new(
        &scan.inputs,
        &scan.docs,
        ReadOptions::from_config(&scan.config),
    );
    let files = ingest::file_names(&scan.inputs);
    let corpus = Corpus::new(&scan.docs, &files, &texts);
    // A scan's clusters are numbered over its own articles by `cluster`, so
    // they always fit its corpus.
    trace_clusters(&corpus, &scan.clusters, cfg, originals)
        .expect("a scan's clusters cover its articles")
}

/// Traces every cluster of two or more articles of `corpus` (with
/// `originals`, one flag per article: only clusters holding an original,
/// each from its earliest original); largest clusters first, ties by id.
///
/// `clusters` may come from anywhere (a scan, an index, a Spark job's
/// assignments): `clusters.of[i]` is article `i`'s cluster. Member texts
/// are fetched from `corpus.texts`, clusters in parallel, and kept in the
/// result (reports show them), so memory grows with the text of the
/// articles in clusters; a member whose text cannot be fetched is left out
/// and counted in [`ClusterLineage::unreadable`].
///
/// Fails with [`Error::Data`] when `clusters` is not one cluster per
/// article of `corpus` with ids below `clusters.count` (a list built for
/// another corpus): a report on such a pairing would name wrong articles.
pub fn trace_clusters(
    corpus: &Corpus,
    clusters: &Clusters,
    cfg: &LineageConfig,
    originals: Option<&[bool]>,
) -> Result<Vec<ClusterLineage>, Error> {
    trace_clusters_keeping(corpus, clusters, cfg, originals, true)
}

/// [`trace_clusters`], keeping no texts ([`ClusterLineage::texts`] is
/// empty): memory then holds one cluster's texts per thread at a time, not
/// every clustered article's, and a report fetches them again page by page
/// (`report::html::write_dir`).
pub fn trace_clusters_without_texts(
    corpus: &Corpus,
    clusters: &Clusters,
    cfg: &LineageConfig,
    originals: Option<&[bool]>,
) -> Result<Vec<ClusterLineage>, Error> {
    trace_clusters_keeping(corpus, clusters, cfg, originals, false)
}

fn trace_clusters_keeping(
    corpus: &Corpus,
    clusters: &Clusters,
    cfg: &LineageConfig,
    originals: Option<&[bool]>,
    keep_texts: bool,
) -> Result<Vec<ClusterLineage>, Error> {
    let listed = clusters_to_trace(corpus, clusters, originals)?;
    let mut out = Tracer::new(corpus, cfg, originals).trace(&listed, keep_texts);
    // (`listed` is in this order by cluster size; sorted again by the
    // members read, in case a text could not be.)
    out.sort_by(|a, b| {
        b.docs
            .len()
            .cmp(&a.docs.len())
            .then(a.cluster.cmp(&b.cluster))
    });
    Ok(out)
}

/// The clusters [`trace_clusters`] traces, as `(cluster id, member
/// article indices)`: every cluster of two or more articles (with
/// `originals`, those holding one), largest first, ties by id. A report
/// written page by page traces them a slice at a time with [`Tracer`].
///
/// Fails as [`trace_clusters`] does when `clusters` does not fit `corpus`.
pub fn clusters_to_trace(
    corpus: &Corpus,
    clusters: &Clusters,
    originals: Option<&[bool]>,
) -> Result<Vec<(u32, Vec<u32>)>, Error> {
    check_fit(corpus, clusters)?;
    let is_original = |i: u32| is_flagged(originals, i);
    let mut picked: Vec<(u32, Vec<u32>)> = clusters
        .members()
        .into_iter()
        .enumerate()
        .filter(|(_, m)| m.len() >= 2 && (originals.is_none() || m.iter().any(|&i| is_original(i))))
        .map(|(c, m)| (c as u32, m))
        .collect();
    picked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    Ok(picked)
}

fn is_flagged(originals: Option<&[bool]>, i: u32) -> bool {
    originals.is_some_and(|o| o.get(i as usize).copied().unwrap_or(false))
}

/// Traces clusters of one corpus a batch at a time, the boilerplate rules
/// compiled once (see [`clusters_to_trace`]).
pub struct Tracer<'a> {
    corpus: &'a Corpus<'a>,
    cfg: &'a LineageConfig,
    originals: Option<&'a [bool]>,
    bp: Boilerplate,
}

impl<'a> Tracer<'a> {
    /// A tracer of `corpus`'s clusters with `cfg`; with `originals` (one
    /// flag per article) each cluster is traced from its earliest original.
    pub fn new(
        corpus: &'a Corpus<'a>,
        cfg: &'a LineageConfig,
        originals: Option<&'a [bool]>,
    ) -> Self {
        Tracer {
            corpus,
            cfg,
            originals,
            bp: boilerplate(cfg),
        }
    }

    /// Traces `listed` clusters (cluster id, member article indices, as
    /// [`clusters_to_trace`] gives them), in parallel, in the given order,
    /// with member texts fetched from the corpus; `keep_texts` keeps them
    /// in the result. A member whose text cannot be fetched is left out
    /// and counted in [`ClusterLineage::unreadable`].
    ///
    /// # Panics
    ///
    /// When a member index is not an article of the corpus (lists from
    /// [`clusters_to_trace`] on the same corpus never hold one).
    pub fn trace(&self, listed: &[(u32, Vec<u32>)], keep_texts: bool) -> Vec<ClusterLineage> {
        let (corpus, cfg, bp) = (self.corpus, self.cfg, &self.bp);
        let originals = self.originals;
        listed
            .par_iter()
            .map(|(cluster, m)| {
                let read: Vec<(u32, Article)> = m
                    .par_iter()
                    .filter_map(|&i| {
                        // The metadata comes from the corpus and only the text
                        // from the source: a scan's reloaded record parses to
                        // the same `Meta` it kept, and other sources give text
                        // alone.
                        let text = corpus.texts.text(i).ok()?.into_owned();
                        let meta = corpus.docs[i as usize].clone();
                        Some((i, Article { meta, text }))
                    })
                    .collect();
                let unreadable = m.len() - read.len();
                let (docs, articles): (Vec<u32>, Vec<Article>) = read.into_iter().unzip();
                let given: Vec<bool> = docs.iter().map(|&i| is_flagged(originals, i)).collect();
                let lineage = trace_prepared(&articles, cfg, &given, bp);
                let (members, mut texts): (Vec<Meta>, Vec<String>) =
                    articles.into_iter().map(|a| (a.meta, a.text)).unzip();
                if !keep_texts {
                    texts = Vec::new();
                }
                ClusterLineage {
                    cluster: *cluster,
                    docs,
                    members,
                    texts,
                    unreadable,
                    lineage,
                }
            })
            .collect()
    }
}

/// Whether `clusters` assigns every article of `corpus` a cluster below
/// its count (what [`Clusters::members`] indexes by).
fn check_fit(corpus: &Corpus, clusters: &Clusters) -> Result<(), Error> {
    if clusters.of.len() != corpus.len() {
        return Err(Error::Data(format!(
            "the clusters assign {} articles, the corpus holds {}",
            clusters.of.len(),
            corpus.len()
        )));
    }
    if let Some((i, &c)) = clusters
        .of
        .iter()
        .enumerate()
        .find(|(_, &c)| c as usize >= clusters.count)
    {
        return Err(Error::Data(format!(
            "article {i} is in cluster {c}, but there are {} clusters",
            clusters.count
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
