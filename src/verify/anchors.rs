//! Anchor sketches: the names and numbers of each article, kept small.
//!
//! A bottom-k sketch (the `K` smallest anchor hashes, as u32) per article,
//! with the article's total anchor count. Two sketches estimate the share of
//! the smaller anchor set found in the larger; when both sets fit in `K`
//! the figure is exact. See `normalize::NormText::anchors` for why anchors
//! separate copies from templated news.

/// Sketch size: anchors kept per article.
pub const K: usize = 24;

/// One article's anchor sketch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnchorSketch {
    slots: [u32; K],
    used: u8,
    total: u32,
}

impl AnchorSketch {
    /// The sketch of a sorted, unique anchor hash list: the `K` smallest
    /// values (u32 prefixes of the hashes, which keep their order).
    pub fn of(anchors: &[u64]) -> Self {
        let mut slots = [u32::MAX; K];
        let mut used = 0;
        for &h in anchors {
            let v = (h >> 32) as u32;
            if used == K {
                break;
            }
            if used == 0 || slots[used - 1] != v {
                slots[used] = v;
                used += 1;
            }
        }
        AnchorSketch {
            slots,
            used: used as u8,
            total: anchors.len() as u32,
        }
    }

    /// The kept anchor values (u32 prefixes of the smallest hashes), ascending.
    pub fn values(&self) -> &[u32] {
        &self.slots[..self.used as usize]
    }

    /// Anchors of the article (all of them, not just the sketch).
    pub fn total(&self) -> u32 {
        self.total
    }

    /// Estimated share of the smaller anchor set found in the larger (as
    /// [`AnchorSketches::containment`] computes it).
    pub fn containment(&self, other: &AnchorSketch) -> f64 {
        containment(self.values(), self.total, other.values(), other.total)
    }

    /// Every slot, the count used and the total (the stored form).
    pub(crate) fn raw(&self) -> (&[u32; K], u8, u32) {
        (&self.slots, self.used, self.total)
    }

    /// A sketch from its stored form; `None` when `used` exceeds [`K`].
    pub(crate) fn from_raw(slots: [u32; K], used: u8, total: u32) -> Option<Self> {
        (used as usize <= K).then_some(AnchorSketch { slots, used, total })
    }
}

/// Anchor sketches of many articles, `K` slots each.
#[derive(Debug, Clone, Default)]
pub struct AnchorSketches {
    slots: Vec<u32>,
    used: Vec<u8>,
    total: Vec<u32>,
}

impl AnchorSketches {
    /// No sketches.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the sketch of a sorted, unique anchor hash list.
    pub fn push(&mut self, anchors: &[u64]) {
        self.push_sketch(&AnchorSketch::of(anchors));
    }

    /// Appends a sketch made with [`AnchorSketch::of`] (in a worker thread,
    /// so the full anchor list need not be kept).
    pub fn push_sketch(&mut self, s: &AnchorSketch) {
        self.slots.extend_from_slice(&s.slots);
        self.used.push(s.used);
        self.total.push(s.total);
    }

    /// Reserves room for `n` more sketches.
    pub fn reserve(&mut self, n: usize) {
        self.slots.reserve(n * K);
        self.used.reserve(n);
        self.total.reserve(n);
    }

    /// Number of sketches.
    pub fn len(&self) -> usize {
        self.used.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.used.is_empty()
    }

    /// Anchors of article `i` (all of them, not just the sketch).
    pub fn total(&self, i: usize) -> u32 {
        self.total[i]
    }

    fn sketch(&self, i: usize) -> &[u32] {
        &self.slots[i * K..i * K + self.used[i] as usize]
    }

    /// Estimated share of the smaller anchor set found in the larger.
    pub fn containment(&self, a: usize, b: usize) -> f64 {
        containment(self.sketch(a), self.total[a], self.sketch(b), self.total[b])
    }
}

/// Estimated share of the smaller anchor set found in the larger, from two
/// sketches' kept values `sa`, `sb` and totals `ta`, `tb`: the one
/// computation behind [`AnchorSketches::containment`] (the scan's tables)
/// and [`AnchorSketch::containment`] (two fingerprints).
#[inline]
fn containment(sa: &[u32], ta: u32, sb: &[u32], tb: u32) -> f64 {
    let (ta, tb) = (ta as f64, tb as f64);
    let small = ta.min(tb);
    if small == 0.0 {
        return 0.0;
    }
    let whole = |s: &[u32], t: f64| s.len() < K || t as usize <= K;
    let (a_whole, b_whole) = (whole(sa, ta), whole(sb, tb));
    if a_whole && b_whole {
        // Both sets are whole: the walk counts the intersection exactly.
        let (_, both) = walk_union(sa, sb, usize::MAX);
        return both as f64 / small;
    }
    // One set whole, the other cut at its K-th smallest value: below
    // that value the larger set is known exactly, so the share of the
    // small set's anchors found there is the containment, measured on
    // a fair sample of the small set. (Estimating Jaccard from the
    // bottom of the union instead looks at only as many values as the
    // small set has: an excerpt with 7 anchors against an article with
    // 26 was judged on 7 values, and one shared value by chance among
    // them read as 0.59.)
    let cut = |small: &[u32], large: &[u32]| -> Option<f64> {
        let limit = *large.last()?;
        // Sketches are sorted: the values at or below the cut are a prefix.
        let below = &small[..small.partition_point(|&x| x <= limit)];
        if below.is_empty() {
            return None;
        }
        let (_, both) = walk_union(below, large, usize::MAX);
        Some(both as f64 / below.len() as f64)
    };
    if a_whole && ta <= tb {
        if let Some(c) = cut(sa, sb) {
            return c;
        }
    } else if b_whole && tb <= ta {
        if let Some(c) = cut(sb, sa) {
            return c;
        }
    }
    let (seen, both) = walk_union(sa, sb, sa.len().min(sb.len()));
    if seen == 0 {
        return 0.0;
    }
    let j = both as f64 / seen as f64;
    (j * (ta + tb) / (1.0 + j) / small).min(1.0)
}

/// Walks the union of two sorted sketches in order, over at most `limit`
/// elements; returns (elements seen, elements found in both).
///
/// Without branches on the values: which side advances is computed, not
/// chosen, since the order of two random hashes is a coin toss the branch
/// predictor loses half the time.
pub(super) fn walk_union<T: Ord + Copy>(sa: &[T], sb: &[T], limit: usize) -> (usize, usize) {
    let (mut i, mut j, mut seen, mut both) = (0, 0, 0, 0);
    while seen < limit && i < sa.len() && j < sb.len() {
        let (x, y) = (sa[i], sb[j]);
        both += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
        seen += 1;
    }
    // One side is used up (or the limit reached): the rest of the other
    // side is seen, found in one sketch only.
    seen += (limit - seen).min(sa.len() - i + sb.len() - j);
    (seen, both)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(r: std::ops::Range<u64>) -> Vec<u64> {
        let mut v: Vec<u64> = r.map(crate::seeds::splitmix64).collect();
        v.sort_unstable();
        v
    }

    /// The union walk as first written, one branch per step: the reference.
    fn walk_union_reference(sa: &[u32], sb: &[u32], limit: usize) -> (usize, usize) {
        let (mut i, mut j, mut seen, mut both) = (0, 0, 0, 0);
        while seen < limit && (i < sa.len() || j < sb.len()) {
            let x = sa.get(i).copied().unwrap_or(u32::MAX);
            let y = sb.get(j).copied().unwrap_or(u32::MAX);
            if x == y && i < sa.len() && j < sb.len() {
                both += 1;
                i += 1;
                j += 1;
            } else if x < y || j >= sb.len() {
                i += 1;
            } else {
                j += 1;
            }
            seen += 1;
        }
        (seen, both)
    }

    proptest::proptest! {
        #[test]
        fn walk_union_matches_reference(
            a in proptest::collection::btree_set(proptest::prop_oneof![0u32..40, proptest::strategy::Just(u32::MAX)], 0..30),
            b in proptest::collection::btree_set(proptest::prop_oneof![0u32..40, proptest::strategy::Just(u32::MAX)], 0..30),
            limit in 0usize..70,
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
            proptest::prop_assert_eq!(walk_union(&a, &b, limit), walk_union_reference(&a, &b, limit));
            proptest::prop_assert_eq!(walk_union(&a, &b, usize::MAX), walk_union_reference(&a, &b, usize::MAX));
        }
    }

    #[test]
    fn small_sets_are_exact() {
        let mut s = AnchorSketches::new();
        s.push(&hashes(0..10));
        s.push(&hashes(5..20));
        s.push(&[]);
        assert!((s.containment(0, 1) - 0.5).abs() < 1e-12);
        assert_eq!(s.containment(0, 2), 0.0);
    }

    #[test]
    fn a_whole_small_set_against_a_cut_large_one() {
        let mut s = AnchorSketches::new();
        s.push(&hashes(0..60)); // cut at K
        s.push(&hashes(0..7)); // an excerpt: all its anchors are in 0
        s.push(&hashes(100..106)); // unrelated, plus one shared below
        let mut shared = hashes(100..106);
        shared.push(crate::seeds::splitmix64(3));
        shared.sort_unstable();
        s.push(&shared);
        assert_eq!(s.containment(0, 1), 1.0);
        assert_eq!(s.containment(1, 0), 1.0);
        assert_eq!(s.containment(0, 2), 0.0);
        // Exact: 1 of 7; the cut sees the small set's values below the cut.
        let c = s.containment(0, 3);
        assert!(c <= 0.5, "{c}");
    }

    #[test]
    fn large_sets_are_estimated() {
        let mut s = AnchorSketches::new();
        s.push(&hashes(0..200));
        s.push(&hashes(0..100));
        s.push(&hashes(1000..1200));
        assert!(s.containment(0, 1) > 0.7, "{}", s.containment(0, 1));
        assert!(s.containment(0, 2) < 0.2, "{}", s.containment(0, 2));
    }
}
