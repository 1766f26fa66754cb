//! Figure sketches: the numbers of each article, kept small.
//!
//! Per article, the `FK` smallest 16-bit prefixes of the hashes of its
//! figures (runs of words that hold a digit, see
//! `normalize::NormText::figures`), with the article's count of distinct
//! prefixes. Two sketches give the share of the
//! smaller figure set found in the larger, exactly while both sets fit.
//!
//! Why figures weigh so much: every kind of copy keeps them (reprints
//! carry them over, excerpts take them with their sentences, spinners
//! replace words from a thesaurus, which has no numbers), while the items
//! that share a template differ in exactly them: two days' money-market
//! notices, two companies' dividends, two eurobond issues. 16 bits: a
//! chance match between two sets of 16 figures has probability 256/65536,
//! far below the gaps the rule measures.

/// Figures kept per article: a short item holds a handful, a long story
/// several dozen, and the smallest 16 sample them fairly.
pub const FK: usize = 16;

/// One article's figure sketch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureSketch {
    slots: [u16; FK],
    used: u8,
    total: u16,
}

impl FigureSketch {
    /// The sketch of a sorted list of figure hashes (as
    /// `normalize::NormText::figures` holds them): their 16-bit prefixes
    /// keep that order, so the smallest are the first distinct ones.
    pub fn of(figures: &[u64]) -> Self {
        debug_assert!(
            figures.windows(2).all(|w| w[0] <= w[1]),
            "figures are sorted"
        );
        let mut slots = [u16::MAX; FK];
        let (used, total) = super::bottom_k(figures.iter().map(|&h| (h >> 48) as u16), &mut slots);
        FigureSketch {
            slots,
            used: used as u8,
            total: total.min(u16::MAX as usize) as u16,
        }
    }

    /// The kept figure values (16-bit prefixes of the smallest hashes), ascending.
    pub fn values(&self) -> &[u16] {
        &self.slots[..self.used as usize]
    }

    /// Distinct figures of the article (16-bit prefixes, at most 65,535).
    pub fn total(&self) -> u32 {
        self.total as u32
    }

    /// Share of the smaller figure set found in the larger (as
    /// [`FigureSketches::containment`] computes it).
    pub fn containment(&self, other: &FigureSketch) -> f64 {
        containment(self.values(), self.total, other.values(), other.total)
    }

    /// Every slot, the count used and the total (the stored form).
    pub(crate) fn raw(&self) -> (&[u16; FK], u8, u16) {
        (&self.slots, self.used, self.total)
    }

    /// A sketch from its stored form; `None` when `used` exceeds [`FK`].
    pub(crate) fn from_raw(slots: [u16; FK], used: u8, total: u16) -> Option<Self> {
        (used as usize <= FK).then_some(FigureSketch { slots, used, total })
    }
}

/// Figure sketches of many articles.
#[derive(Debug, Clone, Default)]
pub struct FigureSketches {
    slots: Vec<u16>,
    used: Vec<u8>,
    total: Vec<u16>,
}

impl FigureSketches {
    /// No sketches.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one sketch.
    pub fn push(&mut self, s: &FigureSketch) {
        self.slots.extend_from_slice(&s.slots);
        self.used.push(s.used);
        self.total.push(s.total);
    }

    /// Reserves room for `n` more.
    pub fn reserve(&mut self, n: usize) {
        self.slots.reserve(n * FK);
        self.used.reserve(n);
        self.total.reserve(n);
    }

    /// Number of sketches.
    pub fn len(&self) -> usize {
        self.used.len()
    }

    /// Whether there are none (the figure rule is then off).
    pub fn is_empty(&self) -> bool {
        self.used.is_empty()
    }

    /// Distinct figures of article `i`.
    pub fn total(&self, i: usize) -> u32 {
        self.total[i] as u32
    }

    fn sketch(&self, i: usize) -> &[u16] {
        &self.slots[i * FK..i * FK + self.used[i] as usize]
    }

    /// Share of the smaller figure set found in the larger (0 if either
    /// is empty). Exact while both sets fit in the sketch; otherwise
    /// measured below the smaller of the two sketches' cut-offs, where
    /// both sets are known in full (1 when no figure of one lies there:
    /// no evidence against).
    pub fn containment(&self, a: usize, b: usize) -> f64 {
        containment(self.sketch(a), self.total[a], self.sketch(b), self.total[b])
    }
}

/// Share of the smaller figure set found in the larger from two sketches'
/// kept values and totals: the one computation behind
/// [`FigureSketches::containment`] and [`FigureSketch::containment`].
#[inline]
fn containment(mut sa: &[u16], ta: u16, mut sb: &[u16], tb: u16) -> f64 {
    if sa.is_empty() || sb.is_empty() {
        return 0.0;
    }
    let cut = |s: &[u16], total: u16| (total as usize > s.len()).then(|| s[s.len() - 1]);
    let limit = match (cut(sa, ta), cut(sb, tb)) {
        (None, None) => None,
        (Some(x), None) | (None, Some(x)) => Some(x),
        (Some(x), Some(y)) => Some(x.min(y)),
    };
    if let Some(l) = limit {
        sa = &sa[..sa.partition_point(|&x| x <= l)];
        sb = &sb[..sb.partition_point(|&x| x <= l)];
    }
    let small = sa.len().min(sb.len());
    if small == 0 {
        // All of one set's figures lie above the other's cut: nothing
        // is known of them there, and the rule only vetoes on
        // evidence. (A two-figure excerpt against its 27-figure
        // original read 0 here and was kept apart from it.)
        return 1.0;
    }
    let (_, both) = super::anchors::walk_union(sa, sb, usize::MAX);
    both as f64 / small as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalizer;

    fn sketches(texts: &[&str]) -> FigureSketches {
        let n = Normalizer::new(&[]).unwrap();
        let mut out = FigureSketches::new();
        for t in texts {
            out.push(&FigureSketch::of(&n.normalize(t).figures));
        }
        out
    }

    #[test]
    fn two_days_of_one_notice_differ_in_their_figures() {
        let s = sketches(&[
            "The Fed arranged 1.5 billion dlrs of repurchases; funds traded at 6-3/16 pct.",
            "The Fed arranged 1.5 billion dlrs of repurchases; funds traded at 6-1/4 pct.",
            "Funds traded at 6-3/16 pct when the Fed arranged 1.5 billion dlrs, a spokesman said.",
        ]);
        // 15, 6, 3, 16 against 15, 6, 1, 4.
        assert!((s.containment(0, 1) - 0.5).abs() < 1e-9);
        assert_eq!(s.containment(0, 2), 1.0);
    }

    #[test]
    fn an_excerpt_keeps_its_figures() {
        let long: String = (0..60)
            .map(|i| format!("In {i} cases {} fell. ", i * 7 + 1000))
            .collect();
        let excerpt: String = long.split(". ").take(5).collect::<Vec<_>>().join(". ");
        let s = sketches(&[&long, &excerpt, "no figures here"]);
        assert_eq!(s.total(0), 120);
        assert_eq!(s.containment(0, 1), 1.0);
        assert_eq!(s.containment(0, 2), 0.0);
    }

    #[test]
    fn figures_beyond_the_cut_are_no_evidence_against() {
        let long: String = (0..60)
            .map(|i| format!("In {i} cases {} fell. ", i * 7 + 1000))
            .collect();
        let n = Normalizer::new(&[]).unwrap();
        let big = FigureSketch::of(&n.normalize(&long).figures);
        let cut = big.slots[FK - 1];
        // A sentence of the story whose one figure sorts above the cut:
        // the sketch of the story does not hold it.
        let sentence = (0..60)
            .map(|i| format!("Cases {} fell.", i * 7 + 1000))
            .find(|t| FigureSketch::of(&n.normalize(t).figures).slots[0] > cut)
            .expect("some figure lies above the cut");
        let s = sketches(&[&long, &sentence]);
        assert_eq!(s.containment(0, 1), 1.0);
    }
}
