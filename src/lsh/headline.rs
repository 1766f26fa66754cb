//! The headline band: pairs of one outlet's items under one headline.
//!
//! An outlet re-files a story under its headline as the story grows: a
//! two-line earnings flash and then the table, a first take and then the
//! full story. The later take can share under a fifth of its word
//! sequences with the first, too little for any band of the whole-text
//! signature to meet them; what they share is the headline, word for word.
//! So a main banding has one band more (band number `bands`, see
//! [`super::Banding::keys`]) whose key is the headline's content words:
//! articles with the same headline words meet there and are judged by
//! `verify::Rules::judge_refiling` (a re-filing is one outlet's, within a
//! day, named in the headline by a word that is not a template's; figures
//! and anchors agree). Headlines of fewer than
//! `verify::REFILING_MIN_WORDS` content words name no story and are in no
//! bucket. A bucket of more than `max_bucket` members (a column's standing
//! headline, "Untitled") is windowed as in the main bands.

use super::{scan_buckets, Banding, Candidates, Earlier, Visit};
use crate::verify::Headers;

/// Hands every pair `(a, b)`, `a < b`, of eligible articles whose
/// headlines share a key in the headline band of `banding` to `visit`, and
/// what it pushes to `gather` (once, in the order of a serial scan of the
/// sorted keys). Nothing when `banding` has no headline band.
pub fn for_each_pair<T: Send>(
    headers: &Headers,
    eligible: &[bool],
    banding: Banding,
    visit: &Visit<'_, T>,
    gather: impl FnOnce(Vec<T>),
) -> Candidates {
    let mut out = Candidates::default();
    if !banding.headline || banding.lede {
        return out;
    }
    let seed = banding.band_seed(banding.params.bands);
    let mut keys: Vec<(u64, u32)> = (0..headers.len())
        .filter(|&i| eligible[i])
        .filter_map(|i| headers.headline_key(i, seed).map(|k| (k, i as u32)))
        .collect();
    keys.sort_unstable();
    // No earlier band is consulted: a pair met in the main bands too is
    // judged again here (the rules are the same) and deduplicated after.
    let none = vec![0u64; headers.len()];
    let earlier = Earlier::new(0, banding.params.rows, &none);
    let (found, st) = scan_buckets(&keys, banding.max_bucket, &earlier, visit, &|_| {});
    out.checks = st.checks;
    out.buckets = st.buckets;
    out.largest_bucket = st.largest;
    out.capped_buckets = st.capped;
    gather(found);
    out
}
