//! Candidate pairs -> `Edge`s: only pairs confirmed similar enough.
//!
//! LSH lets through pairs by chance; verification decides. A pair is an
//! edge when its Jaccard similarity reaches the threshold, or when the
//! shorter article is contained in the longer (an excerpt: its Jaccard is
//! only its share of the original, but nearly all of it is found there) and
//! it covers at least `min_excerpt` of the longer one.
//!
//! A pair whose text passes must also agree on its anchors (names and
//! numbers, see `normalize::NormText::anchors`) when both articles have at
//! least `min_anchors` of them: the share of the smaller anchor set found in
//! the larger must reach `anchor_containment`. Copies keep names and
//! figures; templated stories (earnings, results, weather) share nearly all
//! their words and differ in exactly these.
//!
//! Evidence must be enough to be trusted. A pair that shares fewer than
//! `min_shared` shingles (estimated) is judged by exactness, not by
//! estimates: its texts must be nearly identical ([`SHORT_JACCARD`]),
//! every name and figure of the smaller must be found in the larger, and
//! where both have headlines, they must agree (`title_agreement`). Short
//! templated items (dividend notices, auction results, one-line market
//! reports) share all their words but the subject's name and its figures,
//! and the name is often only in the headline; see `headers`.
//!
//! An outlet's own identical item published again more than
//! `recurrence_seconds` later is a new story told in the same words (a
//! weekly notice), not a copy: such pairs are never edges.
//!
//! By default both figures are estimated from the signatures and the
//! shingle-set sizes: the share of agreeing positions estimates `J`, and
//! `|A ∩ B| = J (|A| + |B|) / (1 + J)` turns it into containment. With
//! `--exact` both are computed on the shingle sets, rebuilt from the input
//! for the articles that appear in candidate pairs.

mod anchors;
mod figures;
mod headers;

mod pair;

pub use anchors::{AnchorSketch, AnchorSketches, K as ANCHOR_K};
pub use figures::{FigureSketch, FigureSketches, FK};
pub use headers::{
    Header, Headers, HeadlineCounts, REFILING_MIN_WORDS, REFILING_SECONDS, TK, UNDATED,
};
pub use pair::{lede_pair, lede_pair_exact, pair, LedeVerdict, PairContext};

use crate::lsh::Earlier;
use crate::minhash::Signatures;
use rayon::prelude::*;
use serde::Serialize;

/// A verified pair of similar articles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Edge {
    /// Article index (the smaller).
    pub a: u32,
    /// Article index (the larger).
    pub b: u32,
    /// Jaccard similarity of the shingle sets (estimated unless `--exact`).
    pub jaccard: f32,
    /// Share of the smaller set found in the larger.
    pub containment: f32,
}

impl Edge {
    /// The edge of articles `a` < `b` with Jaccard `j` and containment `c`
    /// (stored as f32: an edge's figures are reported, not computed with).
    pub fn new(a: u32, b: u32, j: f64, c: f64) -> Self {
        Edge {
            a,
            b,
            jaccard: j as f32,
            containment: c as f32,
        }
    }
}

/// Thresholds an edge must meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// Jaccard at or above which a pair is an edge.
    pub threshold: f64,
    /// Containment at or above which a pair is an edge (if `min_excerpt` holds).
    pub containment: f64,
    /// Smallest size ratio (shorter/longer) for the containment rule.
    pub min_excerpt: f64,
    /// Smallest share of the smaller anchor set found in the larger.
    pub anchor_containment: f64,
    /// Anchors both articles need before the anchor rule applies.
    pub min_anchors: u32,
    /// Shingles a pair must share (estimated from Jaccard and sizes) for
    /// its Jaccard or containment to be trusted alone; pairs sharing fewer
    /// are judged by exactness (see the module doc).
    pub min_shared: f64,
    /// For pairs sharing fewer than `min_shared` shingles: the share of the
    /// smaller headline's content words that must be in the other.
    pub title_agreement: f64,
    /// An outlet's own item again after more than this many seconds is a
    /// new story, never an edge (negative: off).
    pub recurrence_seconds: i64,
    /// Share of the smaller figure set found in the larger, for pairs where
    /// both have at least [`MIN_FIGURES`] figures (0: off).
    pub figure_agreement: f64,
}

/// Figures both articles need before the figure rule applies. One: the
/// rule only ever vetoes, and a copy never changes a figure, so even a lone
/// differing figure (a daily notice's rate, `6-3/16` against `6-5/16`) is
/// evidence of another story; an added figure (a footer's year) is not,
/// since the share is of the smaller set.
pub const MIN_FIGURES: u32 = 1;

/// The Jaccard similarity a pair sharing fewer than `min_shared` shingles
/// needs: near-identity. On a dozen shingles, a MinHash estimate of 0.5
/// says only that two texts follow one template; what copies of a short
/// item share is all of it, bar a word or a line of furniture.
pub const SHORT_JACCARD: f64 = 0.8;

/// Shingles an excerpt shorter than `min_excerpt` of its original must
/// share with it (exact figures only, see [`Rules::judge`]): 40, about 50
/// words, one or two lede paragraphs. Aggregators excerpt the lede, 40 to
/// 120 words; a shared stock paragraph (a disclaimer, an "about us") sits
/// in a text that is mostly other words, so its containment stays low.
pub const MIN_EXCERPT_SHARED: f64 = 40.0;

/// Share of an excerpt's shingles that must be found in the original
/// when the two open alike (the lede rule, [`Rules::judge_lede`]): half.
/// An excerpt carries its outlet's furniture besides the lede (a header
/// line, "read more at ...", share buttons, a footer) that normalization
/// does not always strip, up to half of a 40-word teaser; what a shared
/// opening of 40 shingles cannot be, in a text mostly found in the other,
/// is chance or a stock paragraph.
pub const LEDE_CONTAINMENT: f64 = 0.5;

/// Estimated containment below which a pair whose openings agree is not
/// counted exactly: 0.3, the lede rule's [`LEDE_CONTAINMENT`] less the
/// spread of a 128-value estimate at the size ratios it is used for (a
/// third or more: about 0.2 at a Jaccard of 0.15).
pub const LEDE_ESTIMATE_FLOOR: f64 = 0.3;

/// The weighted share of the smaller headline's words that the other
/// headline must hold when two items of one outlet share a good part of
/// their text but neither is contained in the other (the containment
/// under `Rules::containment`): 0.4.
///
/// Why: an outlet's own second item on a story — an update, a re-filing,
/// a reworded version — either carries the first's text (most of the
/// shorter found in the longer) or, where it was rewritten, keeps the
/// subject its headline names: the outlet rewords its headline, not the
/// name of the company or country it is about. Two items of one of the
/// outlet's templates — two companies' debt offerings, two contractors'
/// awards, two oil companies' price postings — share a good part of their
/// bodies (the template's sentences) and headlines that agree only in the
/// template's words, which the corpus's counts weigh down
/// (`headers::word_weight`): in the Reuters dev half such pairs agree on
/// 0.16–0.39 of their headlines, while every labelled same-story pair
/// under 0.4 has its whole text in the other. Only for one outlet's
/// items: another outlet's copy carries a headline of its own, written
/// for its readers, often naming the story by another of its facts, and
/// there the text decides as before. Off where either has no headline.
pub const REWRITE_TITLE_AGREEMENT: f64 = 0.4;

/// Share of the smaller figure set a re-filing under one headline must
/// hold of the other's (see [`Rules::judge_refiling`]): 0.3, where other
/// pairs need `figure_agreement`. A later take rounds and restates its
/// first take's figures ("12,231,000" becomes "12.2 mln") and adds a
/// year's table, while it keeps some of them exactly (the per-share
/// figures, the revenue); a standing column under one headline on one day
/// (offerings filed, the day's reserve operations) lists other companies'
/// or another day's figures and shares next to none.
pub const REFILING_FIGURE_AGREEMENT: f64 = 0.3;

/// The share of an edge's bar that two clusters' cores must reach.
pub const CORE_RELAX: f64 = 0.5;

/// What verification reads of each article besides its signature.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// Distinct shingles per article.
    pub sizes: &'a [u32],
    /// Anchor sketches (names and numbers); empty: no anchor rule.
    pub anchors: &'a AnchorSketches,
    /// Figure sketches (words with digits); empty: no figure rule.
    pub figures: &'a FigureSketches,
    /// Headlines, outlets, times; empty: judged by text alone.
    pub headers: &'a Headers,
}

impl Rules {
    /// The rules of a scan's config.
    pub fn from_config(cfg: &crate::Config) -> Self {
        Rules {
            threshold: cfg.threshold,
            containment: cfg.containment,
            min_excerpt: cfg.min_excerpt,
            anchor_containment: cfg.anchor_containment,
            min_anchors: cfg.min_anchors,
            min_shared: cfg.min_shared,
            title_agreement: cfg.title_agreement,
            recurrence_seconds: if cfg.recurrence_days < 0.0 {
                -1
            } else {
                (cfg.recurrence_days * 86_400.0) as i64
            },
            figure_agreement: cfg.figure_agreement,
        }
    }

    /// The whole decision for a pair with Jaccard `j` and containment `c`
    /// of articles `a` and `b`: the text test, then the evidence tests.
    ///
    /// `exact`: `j` and `c` were counted on the shingle sets, not estimated.
    /// Only then is an excerpt shorter than `min_excerpt` of the longer text
    /// judged (a lede of 50 words in a 700-word story): a 128-value
    /// signature cannot measure containment at such a size ratio (at 1:10,
    /// one agreeing value moves it by a tenth), while exact counts can, and
    /// [`MIN_EXCERPT_SHARED`] keeps a shared stock paragraph from passing.
    pub fn judge(&self, j: f64, c: f64, a: usize, b: usize, ev: &Evidence, exact: bool) -> bool {
        self.judge_in(j, c, &InTables { ev, a, b }, exact)
    }

    /// [`Rules::judge`] on any evidence of one pair.
    #[inline]
    pub(crate) fn judge_in(&self, j: f64, c: f64, e: &impl PairEvidence, exact: bool) -> bool {
        let (sa, sb) = e.sizes();
        let shared = c * sa.min(sb) as f64;
        let lede = exact
            && self.containment <= 1.0
            && c + 1e-9 >= self.containment
            && shared + 1e-9 >= MIN_EXCERPT_SHARED;
        if !self.accepts(j, c, ratio(sa, sb)) && !lede {
            return false;
        }
        if c + 1e-9 < self.containment.min(1.0)
            && shared + 1e-9 >= self.min_shared
            && e.same_outlet()
        {
            if let Some(t) = e.title_containment() {
                if t + 1e-9 < REWRITE_TITLE_AGREEMENT {
                    return false;
                }
            }
        }
        self.evidence_agrees(j, shared, e)
    }

    /// The decision for a pair whose openings agree (the lede pass, see
    /// `lsh::lede`), with `j` and `c` counted exactly on the shingle sets:
    /// an excerpt when it shares at least [`MIN_EXCERPT_SHARED`] shingles
    /// with the other and at least [`LEDE_CONTAINMENT`] of it is found
    /// there, whatever the size ratio; otherwise as [`Rules::judge`]. Then
    /// the same evidence tests as every pair.
    pub fn judge_lede(&self, j: f64, c: f64, a: usize, b: usize, ev: &Evidence) -> bool {
        self.judge_lede_in(j, c, &InTables { ev, a, b })
    }

    /// [`Rules::judge_lede`] on any evidence of one pair.
    pub(crate) fn judge_lede_in(&self, j: f64, c: f64, e: &impl PairEvidence) -> bool {
        let (sa, sb) = e.sizes();
        let shared = c * sa.min(sb) as f64;
        let lede = c + 1e-9 >= LEDE_CONTAINMENT && shared + 1e-9 >= MIN_EXCERPT_SHARED;
        if !lede {
            return self.judge_in(j, c, e, true);
        }
        self.evidence_agrees(j, shared, e)
    }

    /// The decision for a pair met in the headline band (or any pair,
    /// as [`pair`] asks): an edge when the text test passes as in
    /// [`Rules::judge`], or when the two are one outlet's re-filing of one
    /// story under one headline (see `headers::refiling`) that is not the
    /// outlet's next recurring item and keeps [`REFILING_FIGURE_AGREEMENT`]
    /// of the smaller figure set. The text test is not asked of a
    /// re-filing: its later take may rewrite most of the body. Nor the
    /// anchor test (a later take corrects a misspelt name, adds the
    /// company's own name for its unit) or the short-pair exactness tests,
    /// which stand in for the headline evidence this has.
    ///
    /// `exact`: `j` and `c` were counted on the shingle sets (as for
    /// [`Rules::judge`]).
    pub fn judge_refiling(
        &self,
        j: f64,
        c: f64,
        a: usize,
        b: usize,
        ev: &Evidence,
        exact: bool,
    ) -> bool {
        self.judge_refiling_in(j, c, &InTables { ev, a, b }, exact)
    }

    /// [`Rules::judge_refiling`] on any evidence of one pair.
    pub(crate) fn judge_refiling_in(
        &self,
        j: f64,
        c: f64,
        e: &impl PairEvidence,
        exact: bool,
    ) -> bool {
        self.judge_in(j, c, e, exact) || (e.refiling() && self.refiling_agrees_in(e))
    }

    /// The tests after the text test: recurrence, figures, then anchors
    /// (or, below `min_shared` shared shingles, exactness).
    #[inline]
    fn evidence_agrees(&self, j: f64, shared: f64, e: &impl PairEvidence) -> bool {
        if !self.sketches_agree_in(e) {
            return false;
        }
        if shared + 1e-9 < self.min_shared {
            return self.short_pair_agrees(j, e);
        }
        self.anchors_agree_in(e)
    }

    /// The evidence tests that do not depend on how much text a pair
    /// shares: not an outlet's recurring item, figures agree. Every edge
    /// passes them, so a pair that fails is no edge however it is counted
    /// (templated items open alike and differ in their figures: at 100k
    /// generated articles, 65k of 74k pairs whose openings agree).
    pub fn sketches_agree(&self, a: usize, b: usize, ev: &Evidence) -> bool {
        self.sketches_agree_in(&InTables { ev, a, b })
    }

    #[inline]
    fn sketches_agree_in(&self, e: &impl PairEvidence) -> bool {
        !self.recurs_in(e) && self.figures_agree_in(e)
    }

    /// Whether the pair is an outlet's own item and its next recurring one
    /// (`recurrence_seconds` or more apart; never when the rule is off).
    #[inline]
    fn recurs_in(&self, e: &impl PairEvidence) -> bool {
        self.recurrence_seconds >= 0 && e.same_outlet_apart(self.recurrence_seconds)
    }

    /// What the lede pass asks before counting a pair exactly: the tests
    /// that no exact count can change. [`Rules::sketches_agree`], and the
    /// anchors: an edge from [`Rules::judge_lede`] either shares at least
    /// [`MIN_EXCERPT_SHARED`] shingles, and is judged by its anchors when
    /// that is at least `min_shared`, or shares fewer than `min_shared` and
    /// must hold every anchor of the smaller, which implies the anchor
    /// rule. (Templated stories of one outlet open alike and name other
    /// companies: at 100k generated articles 4,800 pairs were counted
    /// exactly and rejected for their anchors, as their estimate was.)
    pub fn lede_evidence_agrees(&self, a: usize, b: usize, ev: &Evidence) -> bool {
        self.lede_evidence_agrees_in(&InTables { ev, a, b })
    }

    pub(crate) fn lede_evidence_agrees_in(&self, e: &impl PairEvidence) -> bool {
        if !self.sketches_agree_in(e) {
            return false;
        }
        let anchors_decide = self.min_anchors > 0 && self.min_shared <= MIN_EXCERPT_SHARED;
        !anchors_decide || self.anchors_agree_in(e)
    }

    /// Whether two clusters' cores (see `cluster::cluster_with_cores`) are
    /// alike enough for their clusters to be one story: half the bar of an
    /// edge, in Jaccard or in containment. Half, because the cores of one
    /// story are two copies of one original (a spun copy and an excerpt
    /// share less with each other than each with the original), while the
    /// ends of a chain of different stories share next to nothing.
    pub fn cores_alike(&self, j: f64, c: f64) -> bool {
        j >= self.threshold * CORE_RELAX || c >= self.containment.min(1.0) * CORE_RELAX
    }

    /// Whether `a` and `b` agree on their figures (true when either has
    /// fewer than [`MIN_FIGURES`]).
    pub fn figures_agree(&self, figures: &FigureSketches, a: usize, b: usize) -> bool {
        let (headers, anchors) = (Headers::new(), AnchorSketches::new());
        let ev = Evidence {
            sizes: &[],
            anchors: &anchors,
            figures,
            headers: &headers,
        };
        self.figures_agree_in(&InTables { ev: &ev, a, b })
    }

    #[inline]
    fn figures_agree_in(&self, e: &impl PairEvidence) -> bool {
        self.figures_reach(e, self.figure_agreement)
    }

    /// Whether the smaller figure set's share found in the other reaches
    /// `bar` (true when the rule is off or either has too few figures).
    #[inline]
    fn figures_reach(&self, e: &impl PairEvidence, bar: f64) -> bool {
        if self.figure_agreement <= 0.0 {
            return true;
        }
        match e.figure_totals() {
            Some((ta, tb)) if ta.min(tb) >= MIN_FIGURES => e.figure_containment() + 1e-9 >= bar,
            _ => true,
        }
    }

    /// The evidence a re-filing under one headline must still carry: not
    /// the outlet's next recurring item, and some of the first take's
    /// figures, [`REFILING_FIGURE_AGREEMENT`] of them.
    fn refiling_agrees_in(&self, e: &impl PairEvidence) -> bool {
        !self.recurs_in(e)
            && self.figures_reach(e, REFILING_FIGURE_AGREEMENT.min(self.figure_agreement))
    }

    /// The exactness tests for a pair with too little shared text to trust
    /// its estimate (see the module doc).
    fn short_pair_agrees(&self, j: f64, e: &impl PairEvidence) -> bool {
        if j < SHORT_JACCARD {
            return false;
        }
        if let Some(t) = e.title_containment() {
            if t + 1e-9 < self.title_agreement {
                return false;
            }
        }
        match e.anchor_totals() {
            Some((ta, tb)) if ta.min(tb) > 0 => {
                // Short texts have few anchors, held whole by the sketch: exact.
                e.anchor_containment() >= 1.0 - 1e-9
            }
            _ => true,
        }
    }

    /// Whether the texts are similar enough; `ratio` = shorter/longer size.
    pub fn accepts(&self, jaccard: f64, containment: f64, ratio: f64) -> bool {
        jaccard >= self.threshold || (containment >= self.containment && ratio >= self.min_excerpt)
    }

    /// Whether the containment rule could accept a pair with Jaccard `j`,
    /// whatever its sizes: with shorter/longer size ratio `rho >=
    /// min_excerpt`, containment `j (1 + 1/rho) / (1 + j)` is at most
    /// `j (1 + 1/min_excerpt) / (1 + j)`. A pair below the Jaccard threshold
    /// for which this bound is short of `containment` is rejected by
    /// [`Rules::accepts`] for any sizes (the margin covers rounding).
    pub fn containment_possible(&self, j: f64) -> bool {
        if self.min_excerpt <= 0.0 {
            return true;
        }
        j * (1.0 + 1.0 / self.min_excerpt) / (1.0 + j) >= self.containment - 1e-9
    }

    /// Whether articles `a` and `b` agree on their anchors (true when either
    /// has too few to judge).
    pub fn anchors_agree(&self, anchors: &AnchorSketches, a: usize, b: usize) -> bool {
        let (headers, figures) = (Headers::new(), FigureSketches::new());
        let ev = Evidence {
            sizes: &[],
            anchors,
            figures: &figures,
            headers: &headers,
        };
        self.anchors_agree_in(&InTables { ev: &ev, a, b })
    }

    #[inline]
    fn anchors_agree_in(&self, e: &impl PairEvidence) -> bool {
        match e.anchor_totals() {
            Some((ta, tb)) if ta.min(tb) >= self.min_anchors => {
                e.anchor_containment() >= self.anchor_containment
            }
            _ => true,
        }
    }
}

/// What the rules read of one pair, wherever it is kept: the scan's
/// tables ([`InTables`]) or two fingerprints (`pair::InFingerprints`).
/// One trait, so that the decision code ([`Rules::judge`] and the tests it
/// calls) is written once and [`pair`] decides as the scan does; generic,
/// not `dyn`, so the scan's path compiles to what it was before.
pub(crate) trait PairEvidence {
    /// Distinct shingles of the two articles.
    fn sizes(&self) -> (u32, u32);
    /// Whether both are one named outlet's, both dated, `gap` seconds or
    /// more apart (false when no headers are known).
    fn same_outlet_apart(&self, gap: i64) -> bool;
    /// Distinct figures of each; `None`: no figures known (rule off).
    fn figure_totals(&self) -> Option<(u32, u32)>;
    /// Share of the smaller figure set found in the larger.
    fn figure_containment(&self) -> f64;
    /// Anchors of each; `None`: no anchors known (rule off).
    fn anchor_totals(&self) -> Option<(u32, u32)>;
    /// Share of the smaller anchor set found in the larger.
    fn anchor_containment(&self) -> f64;
    /// Weighted headline agreement; `None` when either has no headline or
    /// no headers are known.
    fn title_containment(&self) -> Option<f64>;
    /// Whether the two are one outlet's re-filing of one story by their
    /// headers (`headers::refiling`; false when no headers are known).
    fn refiling(&self) -> bool;
    /// Whether both name one outlet (false when no headers are known).
    fn same_outlet(&self) -> bool;
}

/// Articles `a` and `b` of the scan's tables.
pub(crate) struct InTables<'e, 'a> {
    pub(crate) ev: &'e Evidence<'a>,
    pub(crate) a: usize,
    pub(crate) b: usize,
}

impl PairEvidence for InTables<'_, '_> {
    #[inline]
    fn sizes(&self) -> (u32, u32) {
        (self.ev.sizes[self.a], self.ev.sizes[self.b])
    }
    #[inline]
    fn same_outlet_apart(&self, gap: i64) -> bool {
        let h = self.ev.headers;
        !h.is_empty() && h.same_outlet_apart(self.a, self.b, gap)
    }
    #[inline]
    fn figure_totals(&self) -> Option<(u32, u32)> {
        let f = self.ev.figures;
        (!f.is_empty()).then(|| (f.total(self.a), f.total(self.b)))
    }
    #[inline]
    fn figure_containment(&self) -> f64 {
        self.ev.figures.containment(self.a, self.b)
    }
    #[inline]
    fn anchor_totals(&self) -> Option<(u32, u32)> {
        let x = self.ev.anchors;
        (!x.is_empty()).then(|| (x.total(self.a), x.total(self.b)))
    }
    #[inline]
    fn anchor_containment(&self) -> f64 {
        self.ev.anchors.containment(self.a, self.b)
    }
    #[inline]
    fn title_containment(&self) -> Option<f64> {
        let h = self.ev.headers;
        if h.is_empty() {
            return None;
        }
        h.title_containment(self.a, self.b)
    }
    #[inline]
    fn refiling(&self) -> bool {
        let h = self.ev.headers;
        !h.is_empty() && h.refiling(self.a, self.b)
    }
    #[inline]
    fn same_outlet(&self) -> bool {
        let h = self.ev.headers;
        !h.is_empty() && h.same_outlet(self.a, self.b)
    }
}

/// Writes the smallest distinct values of `sorted` (ascending; repeats
/// allowed) into `slots`; returns how many were written and how many
/// distinct values `sorted` holds in all. The bottom-k sketch of the
/// figure and headline sketches, made without allocating.
pub(crate) fn bottom_k<T: PartialEq + Copy>(
    sorted: impl Iterator<Item = T>,
    slots: &mut [T],
) -> (usize, usize) {
    let (mut used, mut distinct, mut last) = (0, 0, None);
    for v in sorted {
        if last == Some(v) {
            continue;
        }
        last = Some(v);
        if used < slots.len() {
            slots[used] = v;
            used += 1;
        }
        distinct += 1;
    }
    (used, distinct)
}

/// Containment of the smaller set in the larger, from Jaccard and sizes.
pub fn containment_from_jaccard(j: f64, size_a: u32, size_b: u32) -> f64 {
    let small = size_a.min(size_b) as f64;
    if small == 0.0 {
        return 0.0;
    }
    let inter = j * (size_a as f64 + size_b as f64) / (1.0 + j);
    (inter / small).min(1.0)
}

fn ratio(a: u32, b: u32) -> f64 {
    let (lo, hi) = (a.min(b) as f64, a.max(b) as f64);
    if hi == 0.0 {
        0.0
    } else {
        lo / hi
    }
}

/// Estimates each pair's figures from signatures and sizes; keeps the edges.
pub fn estimated(
    pairs: &[(u32, u32)],
    sigs: &Signatures,
    ev: &Evidence,
    rules: &Rules,
) -> Vec<Edge> {
    pairs
        .par_iter()
        .with_min_len(256)
        .filter_map(|&(a, b)| estimate_pair(a, b, sigs, ev, rules, None))
        .collect()
}

/// One pair's figures estimated from signatures and sizes: the edge, if it
/// is one. The text test (one pass over two signatures) runs first; the
/// anchor test only for pairs that pass it.
///
/// `earlier`, from a band-by-band scan: a pair already visited in an
/// earlier band gives `None` once its signatures are read (its edge, if
/// any, was found then), so that near-copies, which meet in most bands, are
/// taken through the size and anchor tests once.
pub fn estimate_pair(
    a: u32,
    b: u32,
    sigs: &Signatures,
    ev: &Evidence,
    rules: &Rules,
    earlier: Option<&Earlier>,
) -> Option<Edge> {
    // Signatures of up to 128 positions are compared once, into bits that
    // answer both the estimate and the earlier-band question.
    let agreement = sigs.agreement(a as usize, b as usize);
    let equal = agreement.map(|(bits, _)| bits);
    let j = match agreement {
        Some((_, n)) => sigs.jaccard_of(n),
        None => sigs.jaccard(a as usize, b as usize),
    };
    if j < rules.threshold && !rules.containment_possible(j) {
        // Most pairs checked: rejected without reading their sizes (a
        // cache miss each) or anchors.
        return None;
    }
    let seen = |e: &Earlier| match equal {
        Some(m) => e.visited_before_in(m, a),
        None => e.visited_before(sigs, a, b),
    };
    if earlier.is_some_and(seen) {
        return None;
    }
    // The rest is `pair::estimate_in`, which `verify::pair` runs too.
    let c = pair::estimate_in(
        rules,
        &InTables {
            ev,
            a: a as usize,
            b: b as usize,
        },
        j,
    )?;
    Some(Edge::new(a, b, j, c))
}

/// A pair met in the headline band (see `lsh::headline`), estimated from
/// signatures and sizes and judged by [`Rules::judge_refiling`]: the edge,
/// if it is one. No early rejection: the pairs of this band are few (one
/// headline's items) and a re-filing's text test may fail.
pub fn refiling_estimate(
    a: u32,
    b: u32,
    sigs: &Signatures,
    ev: &Evidence,
    rules: &Rules,
) -> Option<Edge> {
    let j = sigs.jaccard(a as usize, b as usize);
    let e = InTables {
        ev,
        a: a as usize,
        b: b as usize,
    };
    pair::refiling_estimate_in(rules, &e, j).map(|c| Edge::new(a, b, j, c))
}

/// The lede pass's estimate step for articles `a` < `b` of the scan's
/// tables (see [`lede_pair`], which runs the same steps on fingerprints).
pub fn lede_estimate(
    a: u32,
    b: u32,
    sigs: &Signatures,
    ev: &Evidence,
    rules: &Rules,
) -> LedeVerdict {
    let j = sigs.jaccard(a as usize, b as usize);
    let e = InTables {
        ev,
        a: a as usize,
        b: b as usize,
    };
    match pair::lede_estimate_in(rules, &e, j) {
        LedeVerdict::Edge(edge) => LedeVerdict::Edge(Edge { a, b, ..edge }),
        v => v,
    }
}

/// The edges of a scan from its estimated edges (`estimated`: the main
/// bands' and the lede pass's, with repeats, in any order) and its exactly
/// counted ones (`exact`: the lede pass's excerpts), sorted by `(a, b)`,
/// one per pair: where a pair has both, the exact count is kept (a pair of
/// Jaccard above the threshold whose size ratio is below `min_excerpt`
/// passes the main estimate and is counted exactly by the lede pass too).
/// Repeats within one list carry the same figures (one decision, one
/// computation), so which of them is kept does not matter. Scans and
/// outside engines that verify with [`pair`] / [`lede_pair`] merge with
/// this and get the same list.
pub fn merge_edges(mut estimated: Vec<Edge>, mut exact: Vec<Edge>) -> Vec<Edge> {
    estimated.par_sort_unstable_by_key(|e| (e.a, e.b));
    estimated.dedup_by_key(|e| (e.a, e.b));
    if exact.is_empty() {
        return estimated;
    }
    exact.sort_unstable_by_key(|e| (e.a, e.b));
    exact.dedup_by_key(|e| (e.a, e.b));
    let mut out = Vec::with_capacity(estimated.len() + exact.len());
    let mut x = exact.into_iter().peekable();
    for e in estimated {
        while let Some(&n) = x.peek() {
            if (n.a, n.b) > (e.a, e.b) {
                break;
            }
            out.push(n);
            x.next();
        }
        if out.last().is_none_or(|l| (l.a, l.b) != (e.a, e.b)) {
            out.push(e);
        }
    }
    out.extend(x);
    out
}

/// Exact figures of two sorted, deduplicated shingle sets: (Jaccard, containment of the smaller).
pub fn exact_figures(a: &[u64], b: &[u64]) -> (f64, f64) {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    exact_figures_of_counts(inter, a.len(), b.len())
}

/// [`exact_figures`] of two sets of `a` and `b` elements sharing `inter`.
pub fn exact_figures_of_counts(inter: usize, a: usize, b: usize) -> (f64, f64) {
    let union = a + b - inter;
    let small = a.min(b);
    if union == 0 || small == 0 {
        return (0.0, 0.0);
    }
    (inter as f64 / union as f64, inter as f64 / small as f64)
}

/// Computes each pair's exact figures with `sets(i)` giving article `i`'s
/// shingle set; keeps the edges.
pub fn exact<'s>(
    pairs: &[(u32, u32)],
    sets: &(dyn Fn(u32) -> &'s [u64] + Sync),
    ev: &Evidence,
    rules: &Rules,
) -> Vec<Edge> {
    exact_with(pairs, sets, &|j, c, a, b| rules.judge(j, c, a, b, ev, true))
}

/// Pairs met in the headline band (`lsh::headline`), judged exactly by
/// [`Rules::judge_refiling`]; keeps the edges.
pub fn exact_refilings<'s>(
    pairs: &[(u32, u32)],
    sets: &(dyn Fn(u32) -> &'s [u64] + Sync),
    ev: &Evidence,
    rules: &Rules,
) -> Vec<Edge> {
    exact_with(pairs, sets, &|j, c, a, b| {
        rules.judge_refiling(j, c, a, b, ev, true)
    })
}

/// Pairs whose openings agree (the lede pass, `lsh::lede`), judged exactly
/// by [`Rules::judge_lede`] with `sets(i)` giving article `i`'s shingle
/// set; keeps the edges.
pub fn exact_ledes<'s>(
    pairs: &[(u32, u32)],
    sets: &(dyn Fn(u32) -> &'s [u64] + Sync),
    ev: &Evidence,
    rules: &Rules,
) -> Vec<Edge> {
    exact_with(pairs, sets, &|j, c, a, b| rules.judge_lede(j, c, a, b, ev))
}

/// Exact figures of each pair, kept where `judge(j, c, a, b)` says so.
fn exact_with<'s>(
    pairs: &[(u32, u32)],
    sets: &(dyn Fn(u32) -> &'s [u64] + Sync),
    judge: &(dyn Fn(f64, f64, usize, usize) -> bool + Sync),
) -> Vec<Edge> {
    pairs
        .par_iter()
        .with_min_len(64)
        .filter_map(|&(a, b)| {
            let (j, c) = exact_figures(sets(a), sets(b));
            judge(j, c, a as usize, b as usize).then(|| Edge::new(a, b, j, c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Rules = Rules {
        threshold: 0.5,
        containment: 0.8,
        min_excerpt: 0.3,
        anchor_containment: 0.5,
        min_anchors: 5,
        min_shared: 0.0,
        title_agreement: 0.6,
        recurrence_seconds: 7 * 86_400,
        figure_agreement: 0.0,
    };

    proptest::proptest! {
        /// `bottom_k` against sort, dedup, take.
        #[test]
        fn bottom_k_is_the_smallest_distinct_values(
            mut v in proptest::collection::vec(0u16..50, 0..40),
            k in 0usize..20,
        ) {
            v.sort_unstable();
            let mut slots = vec![u16::MAX; k];
            let (used, distinct) = bottom_k(v.iter().copied(), &mut slots);
            let mut want = v.clone();
            want.dedup();
            proptest::prop_assert_eq!(distinct, want.len());
            proptest::prop_assert_eq!(&slots[..used], &want[..want.len().min(k)]);
        }


        /// The early rejection in `estimate_pair` never rejects a pair
        /// that `accepts` would take, for any sizes and rules; and the
        /// bound is tight: just above it, some sizes are accepted.
        #[test]
        fn containment_bound_rejects_only_what_accepts_rejects(
            j in 0.0f64..1.0,
            sa in 1u32..100_000,
            sb in 1u32..100_000,
            threshold in 0.05f64..1.0,
            containment in 0.05f64..1.0,
            min_excerpt in 0.0f64..1.0,
        ) {
            let rules = Rules { threshold, containment, min_excerpt, ..RULES };
            if !rules.containment_possible(j) {
                let c = containment_from_jaccard(j, sa, sb);
                proptest::prop_assert!(!(c >= containment && ratio(sa, sb) >= min_excerpt));
            }
        }
    }

    #[test]
    fn containment_bound_is_tight() {
        // min_excerpt 0.25: a quarter-size excerpt wholly inside has J = 0.25
        // and containment 1; J just below the bound for containment 0.8
        // (0.8 / (5 - 0.8) = 0.1905) cannot reach it.
        let rules = Rules {
            threshold: 0.5,
            containment: 0.8,
            min_excerpt: 0.25,
            ..RULES
        };
        assert!(rules.containment_possible(0.25));
        assert!(rules.containment_possible(0.1905));
        assert!(!rules.containment_possible(0.19));
        let c = containment_from_jaccard(0.1905, 100, 400);
        assert!(c >= 0.8 - 1e-3, "{c}");
    }

    /// Judges two articles (headline, text) as `--exact` does, with the
    /// default rules: their shingle sets, anchors, figures and headlines.
    fn judge_articles(a: (&str, &str), b: (&str, &str)) -> bool {
        judge_pair(a, b, false)
    }

    /// [`judge_articles`], or (`lede`) as the lede pass judges a pair
    /// whose openings agree.
    fn judge_pair(a: (&str, &str), b: (&str, &str), lede: bool) -> bool {
        let how = if lede { How::Lede } else { How::Main };
        judge_dated((a.0, a.1, None, None), (b.0, b.1, None, None), how)
    }

    /// Which pass judges a pair in [`judge_dated`].
    #[derive(Clone, Copy)]
    enum How {
        Main,
        Lede,
        Headline,
    }

    /// One article of [`judge_dated`]: headline, text, outlet, time.
    type Dated<'a> = (&'a str, &'a str, Option<&'a str>, Option<i64>);

    /// Judges two articles with outlets and times, exactly, as the pass
    /// `how` does.
    fn judge_dated(a: Dated, b: Dated, how: How) -> bool {
        let cfg = crate::Config::default();
        let normalizer = crate::normalize::Normalizer::new(&[]).unwrap();
        let shingler = crate::shingle::Shingler::new(&cfg.shingles, cfg.seed);
        let stop = crate::shingle::stopwords::english();
        let (mut sets, mut sizes) = (Vec::new(), Vec::new());
        let (mut anchors, mut figures, mut headers) =
            (AnchorSketches::new(), FigureSketches::new(), Headers::new());
        for (title, text, outlet, at) in [a, b] {
            let norm = normalizer.normalize(text);
            let set = shingler.shingles(&norm);
            sizes.push(set.len() as u32);
            sets.push(set);
            anchors.push(&norm.anchors);
            figures.push(&FigureSketch::of(&norm.figures));
            let mut t = crate::normalize::NormText::default();
            normalizer.title_into(title, &mut t);
            headers.push(&Header::new(&mut t.words, &stop, outlet, at));
        }
        let ev = Evidence {
            sizes: &sizes,
            anchors: &anchors,
            figures: &figures,
            headers: &headers,
        };
        let (j, c) = exact_figures(&sets[0], &sets[1]);
        let rules = Rules::from_config(&cfg);
        match how {
            How::Main => rules.judge(j, c, 0, 1, &ev, true),
            How::Lede => rules.judge_lede(j, c, 0, 1, &ev),
            How::Headline => rules.judge_refiling(j, c, 0, 1, &ev, true),
        }
    }

    const FLASH: &str = "Shr profit 27 cts vs profit 51 cts\n    Net profit 6,600,000 vs profit \
        12,231,000\n    Revs 211.7 mln vs 193.4 mln\n Reuter";

    /// The later take of [`FLASH`]: figures rounded, a year's table and a
    /// note added; it shares little of the flash's word sequences.
    fn full_take() -> String {
        format!(
            "Shr profit 27 cts vs profit 51 cts\n    Net profit 6.6 mln vs profit 12.2 mln\n    \
             Revs 211.7 mln vs 193.4 mln\n    Year\n    Shr loss 17 cts vs profit 1.27 dlrs\n    \
             Net loss 4.1 mln vs profit 30.1 mln\n    NOTE: {}\n Reuter",
            prose(40, 21)
        )
    }

    const HOUR: i64 = 3600;

    #[test]
    fn an_outlets_refiling_under_its_headline_is_joined() {
        let head = "ACME WIDGETS INC <ACW> 4TH QTR NET";
        let full = full_take();
        let first = (head, FLASH, Some("Reuters"), Some(10 * HOUR));
        let later = (head, full.as_str(), Some("Reuters"), Some(13 * HOUR));
        // The text test alone fails: the later take rewrote the body.
        assert!(!judge_dated(first, later, How::Main));
        assert!(judge_dated(first, later, How::Headline));
        // Another outlet's identical headline is not a re-filing: its own
        // reporting of the event, judged by the body.
        let other = (head, full.as_str(), Some("Gazette"), Some(13 * HOUR));
        assert!(!judge_dated(first, other, How::Headline));
        // Nor is the same headline the next day, or undated.
        let next_day = (head, full.as_str(), Some("Reuters"), Some(33 * HOUR));
        assert!(!judge_dated(first, next_day, How::Headline));
        let undated = (head, full.as_str(), Some("Reuters"), None);
        assert!(!judge_dated(first, undated, How::Headline));
        // A headline naming nothing ("QTR NET") identifies no story.
        let bare = ("QTR NET", FLASH, Some("Reuters"), Some(10 * HOUR));
        let bare_later = ("QTR NET", full.as_str(), Some("Reuters"), Some(13 * HOUR));
        assert!(!judge_dated(bare, bare_later, How::Headline));
    }

    #[test]
    fn a_standing_column_under_one_headline_is_not_a_refiling() {
        // One outlet's column twice in a day under its fixed headline:
        // other companies, other figures.
        let head = "PROPOSED OFFERINGS RECENTLY FILED WITH THE SEC";
        let a = "Widget Corp - 50 mln dlrs of debentures due 1997, via Alpha Securities.\n\
                 Gadget Inc - 1,200,000 common shares, via Beta and Co.\n Reuter";
        let b = "Sprocket Corp - 75 mln dlrs of notes due 1994, via Gamma Capital.\n\
                 Cog Industries - 900,000 common shares, via Delta Inc.\n Reuter";
        assert!(!judge_dated(
            (head, a, Some("Reuters"), Some(9 * HOUR)),
            (head, b, Some("Reuters"), Some(15 * HOUR)),
            How::Headline,
        ));
    }

    #[test]
    fn two_companies_template_offerings_are_kept_apart() {
        // The same template sentences, half of each text; each company's
        // own half. Neither text is in the other.
        let template = prose(45, 31);
        let a = format!("{template}\n\n{}", prose(40, 32));
        let b = format!("{template}\n\n{}", prose(40, 33));
        let wire = Some("Reuters");
        let (a, b) = (a.as_str(), b.as_str());
        let item = |title, text| (title, text, wire, Some(HOUR));
        let atari = "ATARI CORP PLANS CONVERTIBLE DEBENTURE OFFERING";
        assert!(!judge_dated(
            item(atari, a),
            item("THERMO ELECTRON TO SELL CONVERTIBLE DEBT", b),
            How::Main,
        ));
        // The same texts under headlines naming one subject: the outlet's
        // reworded item keeps its subject's name.
        assert!(judge_dated(
            item(atari, a),
            item("ATARI TO SELL CONVERTIBLE DEBENTURES", b),
            How::Main,
        ));
        // Another outlet's copy titles the story its own way: the text
        // decides, as it does without headlines.
        assert!(judge_dated(
            item(atari, a),
            (
                "THERMO ELECTRON TO SELL CONVERTIBLE DEBT",
                b,
                Some("Gazette"),
                Some(HOUR)
            ),
            How::Main,
        ));
        assert!(judge_articles(("", a), ("", b)));
    }

    /// Running text of `n` distinct content words (no digits, no capitals:
    /// no figures or anchors), from `seed`.
    fn prose(n: usize, seed: u64) -> String {
        const SYL: [&str; 16] = [
            "ka", "lo", "mi", "ru", "te", "sa", "vo", "ne", "pi", "da", "go", "fe", "zu", "hi",
            "bo", "ly",
        ];
        (0..n as u64)
            .map(|i| {
                let h = crate::seeds::splitmix64(seed ^ i.wrapping_mul(0x9E37));
                (0..3)
                    .map(|k| SYL[(h >> (4 * k)) as usize & 15])
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    const NOTICE: &str =
        "Qtly div 25 cts vs 25 cts prior\n    Pay April 30\n    Record April 15\n Reuter";

    #[test]
    fn two_companies_dividend_notices_are_kept_apart() {
        // The same body, word for word; the company only in the headline.
        assert!(!judge_articles(
            ("OWENS AND MINOR INC <OBOD> RAISES QTLY DIVIDEND", NOTICE),
            ("TULTEX CORP <TTX> SETS QUARTERLY DIVIDEND", NOTICE),
        ));
        // Two days' notices of one template differ in their figures.
        assert!(!judge_articles(
            ("ACME CORP <ACM> SETS QUARTERLY", NOTICE),
            (
                "ACME CORP <ACM> SETS QUARTERLY",
                "Qtly div 30 cts vs 25 cts prior\n    Pay July 30\n    Record July 15\n Reuter"
            ),
        ));
    }

    #[test]
    fn the_same_notice_refiled_is_joined() {
        assert!(judge_articles(
            ("SOUTHEAST BANKING CORP <STB> SETS QUARTERLY", NOTICE),
            ("SOUTHEAST BANKING CORP <STB> DECLARES QTLY DIV", NOTICE),
        ));
        // With no headlines, identical short texts are a copy.
        assert!(judge_articles(("", NOTICE), ("", NOTICE)));
    }

    #[test]
    fn a_lede_excerpt_of_fifty_words_is_joined() {
        let story = prose(700, 1);
        let lede: Vec<&str> = story.split(' ').take(50).collect();
        let excerpt = format!("{}\n\nRead more at The Daily Courier", lede.join(" "));
        assert!(judge_articles(("", &story), ("", &excerpt)));
        // Thirty words are too few to tell a lede from a stock phrase.
        let short: Vec<&str> = story.split(' ').take(30).collect();
        assert!(!judge_articles(("", &story), ("", &short.join(" "))));
    }

    #[test]
    fn fifty_words_of_shared_boilerplate_are_kept_apart() {
        let stock = prose(50, 99);
        let a = format!("{}\n\n{stock}", prose(250, 2));
        let b = format!("{}\n\n{stock}", prose(250, 3));
        assert!(!judge_articles(("", &a), ("", &b)));
    }

    #[test]
    fn a_lede_in_its_outlets_furniture_is_joined_when_openings_agree() {
        let story = prose(700, 4);
        let lede: Vec<&str> = story.split(' ').take(60).collect();
        // A header, share prompts and a footer of the copy's own: 40 of
        // the excerpt's 100 words are not in the original.
        let excerpt = format!("{}\n\n{}\n\n{}", prose(15, 5), lede.join(" "), prose(25, 6));
        assert!(judge_pair(("", &story), ("", &excerpt), true));
        // Without the agreeing openings, containment 0.6 is too little.
        assert!(!judge_pair(("", &story), ("", &excerpt), false));
    }

    #[test]
    fn a_shared_opening_of_two_long_stories_is_not_an_excerpt() {
        let stock = prose(50, 7);
        let a = format!("{stock}\n\n{}", prose(300, 8));
        let b = format!("{stock}\n\n{}", prose(300, 9));
        assert!(!judge_pair(("", &a), ("", &b), true));
    }

    #[test]
    fn exact_figures_by_hand() {
        // A = {1,2,3,4}, B = {3,4,5}: inter 2, union 5.
        let (j, c) = exact_figures(&[1, 2, 3, 4], &[3, 4, 5]);
        assert!((j - 0.4).abs() < 1e-12);
        assert!((c - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(exact_figures(&[], &[1]), (0.0, 0.0));
    }

    #[test]
    fn excerpt_accepted_by_containment_not_jaccard() {
        // An excerpt of 40%: J = 0.4, containment 1.0, ratio 0.4.
        assert!(RULES.accepts(0.4, 1.0, 0.4));
        // A tiny fragment contained in a long text is not an excerpt of it.
        assert!(!RULES.accepts(0.1, 1.0, 0.1));
        assert!(!RULES.accepts(0.3, 0.6, 0.5));
    }

    #[test]
    fn templated_stories_are_told_apart_by_anchors() {
        let mut sigs = Signatures::new(4);
        for _ in 0..3 {
            sigs.push(&[1, 2, 3, 4]);
        }
        let h = |v: &[u64]| {
            let mut v: Vec<u64> = v.iter().map(|&x| crate::seeds::splitmix64(x)).collect();
            v.sort_unstable();
            v
        };
        let mut anchors = AnchorSketches::new();
        anchors.push(&h(&[10, 20, 30, 40, 50, 60]));
        anchors.push(&h(&[10, 20, 30, 40, 50, 70])); // a copy: same names and figures
        anchors.push(&h(&[11, 21, 31, 41, 51, 61])); // same template, other names and figures
        let (headers, figures) = (Headers::new(), FigureSketches::new());
        let ev = Evidence {
            sizes: &[100; 3],
            anchors: &anchors,
            figures: &figures,
            headers: &headers,
        };
        let edges = estimated(&[(0, 1), (0, 2)], &sigs, &ev, &RULES);
        assert_eq!(
            edges.iter().map(|e| (e.a, e.b)).collect::<Vec<_>>(),
            vec![(0, 1)]
        );
    }

    #[test]
    fn containment_from_jaccard_of_a_subset() {
        // B ⊂ A, |B| = 30, |A| = 100: J = 0.3, containment 1.
        assert!((containment_from_jaccard(0.3, 100, 30) - 1.0).abs() < 1e-9);
        // Identical sets.
        assert!((containment_from_jaccard(1.0, 50, 50) - 1.0).abs() < 1e-9);
        assert_eq!(containment_from_jaccard(0.5, 0, 10), 0.0);
    }

    #[test]
    fn estimated_rejects_dissimilar_candidates() {
        let mut sigs = Signatures::new(4);
        sigs.push(&[1, 2, 3, 4]);
        sigs.push(&[1, 2, 3, 9]);
        sigs.push(&[1, 8, 8, 9]);
        let (anchors, headers, figures) =
            (AnchorSketches::new(), Headers::new(), FigureSketches::new());
        let ev = Evidence {
            sizes: &[100, 100, 100],
            anchors: &anchors,
            figures: &figures,
            headers: &headers,
        };
        let edges = estimated(&[(0, 1), (0, 2)], &sigs, &ev, &RULES);
        assert_eq!(edges.len(), 1);
        assert_eq!((edges[0].a, edges[0].b), (0, 1));
        // 3 of 4 positions agree, less the 2^-16 chance agreement of 16-bit values.
        assert!((edges[0].jaccard - 0.75).abs() < 1e-4);
    }
}
