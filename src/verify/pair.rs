//! Verification of one pair of fingerprints, apart from any scan.
//!
//! [`pair`] is the scan's estimate path ([`super::estimate_pair`]) on two
//! [`Fingerprint`]s instead of two rows of the scan's tables: the same
//! Jaccard estimate (same arithmetic on the same 16-bit values), the same
//! early rejection, and the same [`Rules::judge`], which reads the pair's
//! evidence through one trait ([`super::PairEvidence`]) whichever way it
//! is kept. So an index or a distributed job that groups fingerprints by
//! [`crate::lsh::Banding::keys`] and verifies each pair met in a band with
//! `pair` finds the scan's edges.
//!
//! The lede pass (pairs met in the lede bands, `lsh::lede`) is
//! [`lede_pair`]: it answers an edge, a rejection, or [`LedeVerdict::Exact`]
//! when the decision needs exact counts on the shingle sets (an excerpt
//! shorter than `min_excerpt` of its original: a 128-value signature
//! cannot measure containment at such a size ratio). Those pairs go to
//! [`lede_pair_exact`] with both articles' sets
//! ([`crate::fingerprint::Fingerprinter::shingle_set`] of their texts).

use super::{
    containment_from_jaccard, exact_figures, Edge, HeadlineCounts, PairEvidence, Rules,
    LEDE_ESTIMATE_FLOOR,
};
use crate::fingerprint::Fingerprint;
use crate::lsh::lede::LEDE_AGREE;

/// What verification knows of the corpus besides the two fingerprints.
///
/// The headline test weighs each word by how many of the corpus's
/// headlines hold it ([`HeadlineCounts`]): give the counts of the corpus
/// the pair belongs to (a scan counts its own inputs,
/// [`PairContext::of_fingerprints`] does the same for a batch). With the
/// empty context (`PairContext::default()`) every word weighs 1, which
/// decides as a scan of a corpus where no word is in more than 20
/// headlines (and one in a thousand) would.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairContext {
    /// Headlines holding each headline word, over the corpus.
    pub headlines: HeadlineCounts,
}

impl PairContext {
    /// The context of a corpus whose headline counts are `headlines`.
    pub fn new(headlines: HeadlineCounts) -> Self {
        PairContext { headlines }
    }

    /// The context a scan of exactly these articles would use: their
    /// headline words counted.
    pub fn of_fingerprints(fps: &[Fingerprint]) -> Self {
        PairContext {
            headlines: HeadlineCounts::of_headers(fps.iter().map(|f| &f.header)),
        }
    }
}

/// Two fingerprints as the rules read them.
struct InFingerprints<'a> {
    a: &'a Fingerprint,
    b: &'a Fingerprint,
    ctx: &'a PairContext,
}

/// A fingerprint always carries its sketches and header, as every row of
/// a scan's tables does: no rule is off for want of them.
impl PairEvidence for InFingerprints<'_> {
    fn sizes(&self) -> (u32, u32) {
        (self.a.size, self.b.size)
    }
    fn same_outlet_apart(&self, gap: i64) -> bool {
        self.a.header.same_outlet_apart(&self.b.header, gap)
    }
    fn figure_totals(&self) -> Option<(u32, u32)> {
        Some((self.a.figures.total(), self.b.figures.total()))
    }
    fn figure_containment(&self) -> f64 {
        self.a.figures.containment(&self.b.figures)
    }
    fn anchor_totals(&self) -> Option<(u32, u32)> {
        Some((self.a.anchors.total(), self.b.anchors.total()))
    }
    fn anchor_containment(&self) -> f64 {
        self.a.anchors.containment(&self.b.anchors)
    }
    fn title_containment(&self) -> Option<f64> {
        self.a
            .header
            .title_containment(&self.b.header, &self.ctx.headlines)
    }
    fn refiling(&self) -> bool {
        self.a.header.refiling(&self.b.header, &self.ctx.headlines)
    }
    fn same_outlet(&self) -> bool {
        self.a.header.same_outlet(&self.b.header)
    }
}

/// The estimated Jaccard similarity of two signatures, as
/// [`crate::minhash::Signatures::jaccard`] computes it; `None` when their
/// lengths differ (fingerprints of two configs).
fn jaccard(a: &Fingerprint, b: &Fingerprint) -> Option<f64> {
    let (sa, sb) = (&a.signature[..], &b.signature[..]);
    if sa.len() != sb.len() {
        return None;
    }
    if sa.is_empty() {
        return Some(0.0);
    }
    Some(crate::minhash::jaccard_of(
        crate::minhash::agreeing(sa, sb),
        sa.len(),
    ))
}

/// Whether the pair of Jaccard estimate `j` is an edge by the estimate
/// path: the containment, if so. The early rejection, then
/// [`Rules::judge`]: [`super::estimate_pair`] runs the same steps.
#[inline]
pub(crate) fn estimate_in(rules: &Rules, e: &impl PairEvidence, j: f64) -> Option<f64> {
    if j < rules.threshold && !rules.containment_possible(j) {
        return None;
    }
    let (sa, sb) = e.sizes();
    let c = containment_from_jaccard(j, sa, sb);
    rules.judge_in(j, c, e, false).then_some(c)
}

fn edge(j: f64, c: f64) -> Edge {
    Edge::new(0, 1, j, c)
}

/// Whether fingerprints `a` and `b` are an edge, decided as the scan
/// decides a pair met in its main bands (estimated Jaccard and
/// containment, then the anchor, figure, headline and recurrence tests)
/// or in its headline band (one outlet's re-filing of a story, see
/// [`Rules::judge_refiling`]).
///
/// The edge's `a` and `b` are 0 and 1 (the first and second argument):
/// the caller numbers its articles. Give the pair in corpus order (`a` the
/// article read first), as the scan meets it: the headline test of two
/// headlines with as many words reads the first's words. `None` too when
/// the signatures differ in length (fingerprints of two configs).
///
/// The scan verifies only pairs that meet in a band
/// ([`crate::lsh::Banding::keys`]), and articles shorter than
/// `min_shingles` in none; `pair` decides any pair it is given.
pub fn pair(a: &Fingerprint, b: &Fingerprint, rules: &Rules, ctx: &PairContext) -> Option<Edge> {
    let j = jaccard(a, b)?;
    let e = InFingerprints { a, b, ctx };
    refiling_estimate_in(rules, &e, j).map(|c| edge(j, c))
}

/// The headline band's estimate step (see `lsh::Banding::keys`), on any
/// evidence: [`Rules::judge_refiling`] with the containment estimated
/// from `j` and the sizes. Every pair [`estimate_in`] accepts it accepts,
/// and one outlet's re-filings of a story besides, whatever their text
/// similarity: so [`pair`] decides as the scan does a pair met in any of
/// its bands (a re-filing meets its first take in the headline band).
#[inline]
pub(crate) fn refiling_estimate_in(rules: &Rules, e: &impl PairEvidence, j: f64) -> Option<f64> {
    let (sa, sb) = e.sizes();
    let c = containment_from_jaccard(j, sa, sb);
    rules.judge_refiling_in(j, c, e, false).then_some(c)
}

/// What the lede pass makes of a pair whose openings agree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LedeVerdict {
    /// An edge, judged from the signatures (`a` = 0, `b` = 1, as [`pair`]).
    Edge(Edge),
    /// To be judged on exact counts: [`lede_pair_exact`] with both
    /// articles' shingle sets.
    Exact,
    /// No edge.
    Rejected,
}

/// The lede pass's estimate step, on any evidence: shared by the scan and
/// [`lede_pair`]. The tests no exact count can change first; an excerpt
/// shorter than `min_excerpt` of the other needs exact counts; a pair of
/// about equal sizes is judged as in the main pass; one that fails there
/// but whose estimated containment reaches [`LEDE_ESTIMATE_FLOOR`] (an
/// excerpt whose own furniture holds its estimate under the bar) is
/// counted exactly too.
pub(crate) fn lede_estimate_in(rules: &Rules, e: &impl PairEvidence, j: f64) -> LedeVerdict {
    if !rules.lede_evidence_agrees_in(e) {
        return LedeVerdict::Rejected;
    }
    let (sa, sb) = e.sizes();
    if (sa.min(sb) as f64) < rules.min_excerpt * sa.max(sb) as f64 {
        return LedeVerdict::Exact;
    }
    if let Some(c) = estimate_in(rules, e, j) {
        return LedeVerdict::Edge(edge(j, c));
    }
    if containment_from_jaccard(j, sa, sb) >= LEDE_ESTIMATE_FLOOR {
        LedeVerdict::Exact
    } else {
        LedeVerdict::Rejected
    }
}

/// The lede pass's decision for fingerprints `a` and `b` (a pair met in
/// the lede bands, [`crate::lsh::Banding::lede_from_config`]): rejected
/// unless their lede signatures agree in at least [`LEDE_AGREE`] values
/// (as the scan asks of every pair met there), then as the scan's lede
/// pass judges from the estimates. [`LedeVerdict::Exact`]: call
/// [`lede_pair_exact`] with the two shingle sets.
///
/// Order and numbering as [`pair`].
pub fn lede_pair(
    a: &Fingerprint,
    b: &Fingerprint,
    rules: &Rules,
    ctx: &PairContext,
) -> LedeVerdict {
    let agree = a.lede.iter().zip(&b.lede).filter(|(x, y)| x == y).count();
    if (agree as u32) < LEDE_AGREE {
        return LedeVerdict::Rejected;
    }
    match jaccard(a, b) {
        Some(j) => lede_estimate_in(rules, &InFingerprints { a, b, ctx }, j),
        None => LedeVerdict::Rejected,
    }
}

/// The exact decision for a pair [`lede_pair`] answered
/// [`LedeVerdict::Exact`] for: Jaccard and containment counted on the
/// sorted shingle sets `a_set`, `b_set` (from
/// [`crate::fingerprint::Fingerprinter::shingle_set`]), judged by
/// [`Rules::judge_lede`]. Numbering as [`pair`].
pub fn lede_pair_exact(
    a: &Fingerprint,
    b: &Fingerprint,
    a_set: &[u64],
    b_set: &[u64],
    rules: &Rules,
    ctx: &PairContext,
) -> Option<Edge> {
    let (j, c) = exact_figures(a_set, b_set);
    rules
        .judge_lede_in(j, c, &InFingerprints { a, b, ctx })
        .then(|| edge(j, c))
}
