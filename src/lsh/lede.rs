//! Lede candidates: pairs that open with the same passage.
//!
//! Aggregators excerpt a story's lede, its first one to three paragraphs,
//! and link to the rest: 40 to 120 words of a 400-900-word story, 10-30% of
//! it. The whole-text signature cannot find such a pair: its Jaccard is the
//! excerpt's share of the original (0.05-0.3), below any banding threshold
//! that keeps templated news apart. What the two texts do share is their
//! opening, nearly word for word.
//!
//! So each article also gets a small signature of its opening alone: the
//! MinHash of its first [`LEDE_SHINGLES`] distinct shingles in text order
//! ([`LEDE_K`] values), banded into [`LEDE_BANDS`] bands of [`LEDE_ROWS`]
//! rows. An excerpt and its original have nearly the same opening set
//! (Jaccard 0.8 when the copy adds five shingles of its own furniture
//! first, 0.66 at ten), so they meet in some band with probability 0.99
//! (0.89). Two unrelated stories' openings share nothing and never meet; two
//! templated items (notices, results) open alike and do meet, and are then
//! judged by the same evidence as every pair (figures, anchors, headlines,
//! see `verify`), with the lede rule of `Rules::judge_lede` counted exactly.
//!
//! Why the opening and not any passage: the lede is what excerpts keep, by
//! the conventions of news writing (inverted pyramid) and of aggregation
//! (a teaser and "read more"), in every outlet and language; a shared
//! passage elsewhere is more often furniture (a disclaimer, an "about us"),
//! which normalization strips and the lede rule would not accept alone.

use super::{Banding, LshParams};
use crate::minhash::{MinHasher, Signatures};

/// Distinct shingles of an article's opening that its lede signature
/// covers: 48, about 60 words, the first paragraph or two of a wire story.
/// Short enough that an excerpt of 40 words covers most of it, long enough
/// that two stories sharing a stock first sentence ("The Federal Reserve
/// left rates unchanged on Wednesday") still differ in most of it.
pub const LEDE_SHINGLES: usize = 48;

/// Values of the lede signature: 8 (16 bytes per article as stored).
pub const LEDE_K: usize = 8;

/// Bands of the lede signature.
pub const LEDE_BANDS: usize = 4;

/// Rows per lede band: 2, so a band's key holds 32 bits of the opening and
/// unrelated articles collide by chance about once in four billion pairs.
pub const LEDE_ROWS: usize = 2;

/// Values of the lede signature two articles must share for their pair to
/// be judged as a lede excerpt: 5 of 8, an opening Jaccard of about 0.6 or
/// more (the bar of the banding's S-curve, `(1/4)^(1/2)` = 0.5, plus a
/// margin so that a pair met by one lucky band is not taken on that alone).
pub const LEDE_AGREE: u32 = 5;

/// Seed tag of the lede signature's hash functions and band keys.
const LEDE_TAG: u64 = 0x4c45_4445;

/// Makes lede signatures.
#[derive(Debug, Clone)]
pub struct LedeSketcher {
    hasher: MinHasher,
}

impl LedeSketcher {
    /// Hash functions seeded from the scan's `seed`.
    pub fn new(seed: u64) -> Self {
        LedeSketcher {
            hasher: MinHasher::new(LEDE_K, crate::seeds::derive(seed, LEDE_TAG)),
        }
    }

    /// The lede signature of an article whose distinct shingles, in the
    /// order first seen, are `shingles` (as `Shingler::distinct_into` gives
    /// them): the MinHash of the first [`LEDE_SHINGLES`].
    pub fn sign_into(&self, shingles: &[u64], out: &mut [u32; LEDE_K]) {
        self.hasher
            .sign_into(&shingles[..shingles.len().min(LEDE_SHINGLES)], out);
    }

    /// An empty table for lede signatures.
    pub fn table() -> Signatures {
        Signatures::new(LEDE_K)
    }
}

/// How lede signatures are banded: [`LEDE_BANDS`] x [`LEDE_ROWS`], keys
/// seeded apart from the main bands', buckets over `max_bucket` windowed
/// as in the main pass (every article admitted: see
/// [`Banding::lede_from_config`] for the scan's bar).
pub fn banding(seed: u64, max_bucket: usize) -> Banding {
    Banding {
        lede: true,
        ..Banding::new(
            LshParams {
                bands: LEDE_BANDS,
                rows: LEDE_ROWS,
            },
            crate::seeds::derive(seed, LEDE_TAG + 1),
            max_bucket,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shingles(words: &[&str]) -> Vec<u64> {
        words
            .windows(2)
            .map(|w| xxhash_rust::xxh3::xxh3_64(format!("{} {}", w[0], w[1]).as_bytes()))
            .collect()
    }

    fn story(n: usize, salt: &str) -> Vec<String> {
        (0..n).map(|i| format!("{salt}{i}")).collect()
    }

    #[test]
    fn an_excerpt_signs_like_its_original() {
        let s = LedeSketcher::new(7);
        let original = story(700, "w");
        let refs: Vec<&str> = original.iter().map(String::as_str).collect();
        // The first 60 words, then a "read more" line of the copy's own.
        let mut excerpt: Vec<&str> = refs[..60].to_vec();
        excerpt.extend(["read", "more", "at", "the", "gazette"]);
        let (mut a, mut b) = ([0; LEDE_K], [0; LEDE_K]);
        s.sign_into(&shingles(&refs), &mut a);
        s.sign_into(&shingles(&excerpt), &mut b);
        assert_eq!(a, b, "both openings are the same 48 shingles");
        // A different story shares no value (beyond chance).
        let other = story(700, "x");
        let refs: Vec<&str> = other.iter().map(String::as_str).collect();
        let mut c = [0; LEDE_K];
        s.sign_into(&shingles(&refs), &mut c);
        assert!(a.iter().zip(&c).filter(|(x, y)| x == y).count() < 2);
    }

    #[test]
    fn an_excerpt_behind_a_line_of_furniture_still_meets_its_original() {
        let s = LedeSketcher::new(7);
        let original = story(700, "w");
        let refs: Vec<&str> = original.iter().map(String::as_str).collect();
        let mut excerpt = vec!["posted", "by", "the", "desk", "on", "monday"];
        excerpt.extend(&refs[..60]);
        let (mut a, mut b) = ([0; LEDE_K], [0; LEDE_K]);
        s.sign_into(&shingles(&refs), &mut a);
        s.sign_into(&shingles(&excerpt), &mut b);
        // Openings share 42 of 54 shingles (J = 0.78): most values agree.
        let agree = a.iter().zip(&b).filter(|(x, y)| x == y).count();
        assert!(agree >= 4, "{agree} of {LEDE_K}");
    }
}
