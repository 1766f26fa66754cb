//! `NormText` -> shingle set: sorted, deduplicated xxh3 hashes (u64).
//!
//! A word n-gram is a contiguous slice of the normalized text (words are
//! joined by single spaces), and so is a character n-gram; each is hashed
//! once, in place, with xxh3 seeded from the config and the shingle kind, so
//! no shingle is ever allocated as a `String`. Several kinds can be combined:
//! their hashes share one set, seeded apart so `word:1` "a" and `char:1` "a"
//! differ.
//!
//! Word n-grams made only of function words are skipped (see
//! [`stopwords`]); a text with no other n-gram keeps them all.
//!
//! A text shorter than one n-gram yields one shingle of the whole text, so a
//! two-word article still has a fingerprint (the pipeline flags it as too
//! short to merge).

pub mod stopwords;

pub use stopwords::is_stopword;

use crate::config::ShingleSpec;
use crate::normalize::NormText;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Turns normalized text into shingle hashes; cheap to clone, no state but seeds.
#[derive(Debug, Clone)]
pub struct Shingler {
    kinds: Vec<(ShingleSpec, u64)>,
}

impl Shingler {
    /// A shingler for `specs`, every hash seeded from `seed`.
    pub fn new(specs: &[ShingleSpec], seed: u64) -> Self {
        let kinds = specs
            .iter()
            .map(|&s| {
                let tag = match s {
                    ShingleSpec::Word(n) => 0x5700 + n as u64,
                    ShingleSpec::Char(n) => 0x4300 + n as u64,
                };
                (s, crate::seeds::derive(seed, tag))
            })
            .collect();
        Shingler { kinds }
    }

    /// Writes the sorted, deduplicated shingle hashes of `text` into `out`
    /// (cleared first). Empty text gives an empty set.
    pub fn shingles_into(&self, text: &NormText, out: &mut Vec<u64>) {
        out.clear();
        let t = text.text.as_str();
        if t.is_empty() {
            return;
        }
        for &(spec, seed) in &self.kinds {
            match spec {
                ShingleSpec::Word(n) => word_ngrams(t, n, seed, out),
                ShingleSpec::Char(n) => char_ngrams(t, n, seed, out),
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// The shingle set of `text`, as a new vector.
    pub fn shingles(&self, text: &NormText) -> Vec<u64> {
        let mut v = Vec::new();
        self.shingles_into(text, &mut v);
        v
    }
}

/// Hashes every run of `n` words that holds a content word; `t` is
/// single-space separated.
fn word_ngrams(t: &str, n: usize, seed: u64, out: &mut Vec<u64>) {
    let b = t.as_bytes();
    // starts[i] = first byte of word i; ends[i] = one past its last byte.
    let mut starts: Vec<usize> = Vec::with_capacity(b.len() / 5 + 1);
    let mut ends: Vec<usize> = Vec::with_capacity(b.len() / 5 + 1);
    starts.push(0);
    for sp in memchr::memchr_iter(b' ', b) {
        ends.push(sp);
        starts.push(sp + 1);
    }
    ends.push(b.len());
    let words = starts.len();
    if words < n {
        out.push(xxh3_64_with_seed(b, seed));
        return;
    }
    // content[i] = number of content words among words 0..i.
    let mut content: Vec<u32> = Vec::with_capacity(words + 1);
    content.push(0);
    for i in 0..words {
        let c = content[i] + u32::from(!is_stopword(&b[starts[i]..ends[i]]));
        content.push(c);
    }
    let before = out.len();
    out.reserve(words + 1 - n);
    for i in 0..=words - n {
        if content[i + n] > content[i] {
            out.push(xxh3_64_with_seed(&b[starts[i]..ends[i + n - 1]], seed));
        }
    }
    if out.len() == before {
        // Only function words: keep them all rather than nothing.
        out.extend(
            (0..=words - n).map(|i| xxh3_64_with_seed(&b[starts[i]..ends[i + n - 1]], seed)),
        );
    }
}

/// Hashes every run of `n` characters (spaces included).
fn char_ngrams(t: &str, n: usize, seed: u64, out: &mut Vec<u64>) {
    let b = t.as_bytes();
    if t.is_ascii() {
        if b.len() < n {
            out.push(xxh3_64_with_seed(b, seed));
            return;
        }
        out.extend(b.windows(n).map(|w| xxh3_64_with_seed(w, seed)));
        return;
    }
    let mut bounds: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
    bounds.push(b.len());
    let chars = bounds.len() - 1;
    if chars < n {
        out.push(xxh3_64_with_seed(b, seed));
        return;
    }
    out.extend((0..=chars - n).map(|i| xxh3_64_with_seed(&b[bounds[i]..bounds[i + n]], seed)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn nt(s: &str) -> NormText {
        NormText {
            text: s.into(),
            anchors: Vec::new(),
        }
    }

    /// The obvious reference: allocate each n-gram as a string.
    fn reference_words(t: &str, n: usize) -> HashSet<String> {
        let w: Vec<&str> = t.split(' ').collect();
        if w.len() < n {
            return [t.to_owned()].into();
        }
        w.windows(n).map(|g| g.join(" ")).collect()
    }

    #[test]
    fn word_shingles_match_reference_count() {
        let s = Shingler::new(&[ShingleSpec::Word(3)], 1);
        let t = "the cat sat on the mat the cat sat on the hat";
        assert_eq!(s.shingles(&nt(t)).len(), reference_words(t, 3).len());
    }

    #[test]
    fn function_word_ngrams_are_skipped() {
        let s = Shingler::new(&[ShingleSpec::Word(2)], 1);
        // "of the" and "in the" go; the four others stay.
        assert_eq!(s.shingles(&nt("rise of the river in the city")).len(), 4);
        // Nothing but function words: all kept.
        assert_eq!(s.shingles(&nt("of the and")).len(), 2);
    }

    #[test]
    fn sorted_and_deduped() {
        let s = Shingler::new(&[ShingleSpec::Word(1)], 1);
        let v = s.shingles(&nt("x y x y z"));
        assert_eq!(v.len(), 3);
        assert!(v.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn short_text_gives_one_shingle() {
        let s = Shingler::new(&[ShingleSpec::Word(5), ShingleSpec::Char(9)], 1);
        assert_eq!(s.shingles(&nt("two words")).len(), 2);
        assert!(s.shingles(&nt("")).is_empty());
    }

    #[test]
    fn char_shingles_unicode_and_ascii_agree_on_counts() {
        let s = Shingler::new(&[ShingleSpec::Char(3)], 1);
        assert_eq!(s.shingles(&nt("abcdef")).len(), 4);
        assert_eq!(s.shingles(&nt("äbcdéf")).len(), 4);
    }

    #[test]
    fn kinds_are_seeded_apart() {
        let w = Shingler::new(&[ShingleSpec::Word(1)], 1).shingles(&nt("a"));
        let c = Shingler::new(&[ShingleSpec::Char(1)], 1).shingles(&nt("a"));
        assert_ne!(w, c);
    }

    #[test]
    fn seed_changes_hashes() {
        let a = Shingler::new(&[ShingleSpec::Word(2)], 1).shingles(&nt("a b c"));
        let b = Shingler::new(&[ShingleSpec::Word(2)], 2).shingles(&nt("a b c"));
        assert_ne!(a, b);
    }
}
