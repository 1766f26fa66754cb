//! `NormText` -> shingle set: distinct xxh3-derived hashes (u64), sorted
//! for reports and `--exact`, in first-seen order for the scan ([`SeenSet`]).
//!
//! A word n-gram is a contiguous slice of the normalized text (words are
//! joined by single spaces), and so is a character n-gram; each is hashed
//! once, in place, with xxh3 seeded from the config and the shingle kind, so
//! no shingle is ever allocated as a `String`. Several kinds can be combined:
//! their hashes share one set, seeded apart so `word:1` "a" and `char:1` "a"
//! differ.
//!
//! Word n-grams made only of function words of the article's language
//! are skipped (see [`stopwords::Languages`]); a text with no other n-gram
//! keeps them all.
//!
//! A text shorter than one n-gram yields one shingle of the whole text, so a
//! two-word article still has a fingerprint (the pipeline flags it as too
//! short to merge).

pub mod stopwords;

pub use stopwords::{is_stopword, Languages, StopSet};

use crate::config::ShingleSpec;
use crate::normalize::NormText;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Turns normalized text into shingle hashes; cheap to clone, no state but seeds.
#[derive(Debug, Clone)]
pub struct Shingler {
    kinds: Vec<(ShingleSpec, u64)>,
    stop: Languages,
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
        Shingler {
            kinds,
            stop: Languages::new(),
        }
    }

    /// Writes the sorted, deduplicated shingle hashes of `text` into `out`
    /// (cleared first). Empty text gives an empty set.
    pub fn shingles_into(&self, text: &NormText, out: &mut Vec<u64>) {
        out.clear();
        self.each(text, &mut |h| out.push(h));
        out.sort_unstable();
        out.dedup();
    }

    /// Writes the distinct shingle hashes of `text` into `out` (cleared
    /// first), in the order first seen, not sorted: what a signature and a
    /// set size need (a minimum does not depend on order). `seen` is
    /// scratch, kept between calls. Same set as [`Shingler::shingles_into`].
    ///
    /// Each hash is checked against `seen` as it is made, so the repeats
    /// are never written and the hashes are not read back a second time.
    pub fn distinct_into(&self, text: &NormText, out: &mut Vec<u64>, seen: &mut SeenSet) {
        out.clear();
        seen.reset(self.most(text));
        self.each(text, &mut |h| {
            if seen.insert(h) {
                out.push(h);
            }
        });
    }

    /// At most how many shingle hashes [`Shingler::each`] makes of `text`.
    fn most(&self, text: &NormText) -> usize {
        let chars = text.text.len();
        self.kinds
            .iter()
            .map(|&(spec, _)| match spec {
                // One per word at most: the unfiltered pass runs only when
                // the filtered one made nothing.
                ShingleSpec::Word(_) => text.words.len().max(1),
                ShingleSpec::Char(_) => chars.max(1),
            })
            .sum()
    }

    /// Calls `emit` with every shingle hash of `text`, repeats included.
    fn each(&self, text: &NormText, emit: &mut impl FnMut(u64)) {
        let t = text.text.as_str();
        if t.is_empty() {
            return;
        }
        debug_assert!(!text.words.is_empty(), "NormText without word hashes");
        for &(spec, seed) in &self.kinds {
            match spec {
                ShingleSpec::Word(n) => {
                    let stop = self.stop.detect(&text.words).1;
                    word_ngrams(&text.words, n, seed, stop, emit)
                }
                ShingleSpec::Char(n) => char_ngrams(t, n, seed, emit),
            }
        }
    }

    /// The shingle set of `text`, as a new vector.
    pub fn shingles(&self, text: &NormText) -> Vec<u64> {
        let mut v = Vec::new();
        self.shingles_into(text, &mut v);
        v
    }
}

/// Scratch set for removing repeated shingle hashes without sorting: an
/// open-addressing table of the hashes (uniform 64-bit values, so the top
/// bits choose the slot), at most half full, cleared per article.
///
/// Sorting ~700 hashes per article to drop repeats cost about 8% of a
/// single-threaded scan; one probe per hash into a table of a few KB (in L1)
/// costs a fraction of that. Reports and `--exact` still get sorted sets
/// ([`Shingler::shingles_into`]): they merge sets, the scan does not.
#[derive(Debug, Default, Clone)]
pub struct SeenSet {
    slots: Vec<u64>,
    shift: u32,
    /// 0 marks an empty slot; the value 0 itself is tracked apart.
    zero_seen: bool,
    /// Values held in `slots` (checked against the size in debug builds).
    held: usize,
}

impl SeenSet {
    /// Empties the set and sizes it for at most `n` insertions.
    pub fn reset(&mut self, n: usize) {
        let bits = (2 * n).next_power_of_two().trailing_zeros().max(6);
        self.slots.clear();
        self.slots.resize(1 << bits, 0);
        self.shift = 64 - bits;
        self.zero_seen = false;
        self.held = 0;
    }

    /// Whether `h` was added since the last [`SeenSet::reset`].
    ///
    /// The probe is written out here and in `insert`: one helper returning
    /// the slot and whether it was found made the scan's `insert` slower
    /// (100k corpus, 8 rounds alternating: user time +2.2%).
    pub fn contains(&self, h: u64) -> bool {
        if h == 0 {
            return self.zero_seen;
        }
        if self.slots.is_empty() {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut slot = (h >> self.shift) as usize;
        loop {
            match self.slots[slot] {
                0 => return false,
                s if s == h => return true,
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Adds `h`; whether it was new. At most the `n` of the last
    /// [`SeenSet::reset`] insertions may be made (the table stays at most
    /// half full, so probes end).
    #[inline]
    pub fn insert(&mut self, h: u64) -> bool {
        if h == 0 {
            return !std::mem::replace(&mut self.zero_seen, true);
        }
        let mask = self.slots.len() - 1;
        let mut slot = (h >> self.shift) as usize;
        loop {
            match self.slots[slot] {
                0 => {
                    self.slots[slot] = h;
                    self.held += 1;
                    debug_assert!(2 * self.held <= self.slots.len(), "more than reset for");
                    return true;
                }
                s if s == h => return false,
                _ => slot = (slot + 1) & mask,
            }
        }
    }
}

/// Hashes every run of `n` words that holds a content word, from the
/// words' hashes: no pass over the text, no allocation.
fn word_ngrams(words: &[u64], n: usize, seed: u64, stop: &StopSet, emit: &mut impl FnMut(u64)) {
    if words.len() < n {
        // Fewer than n words: the whole text is the one shingle.
        emit(ngram_hash(words, seed));
        return;
    }
    if word_ngrams_filtered(words, n, seed, Some(stop), emit) == 0 {
        // Only function words: keep them all rather than nothing.
        word_ngrams_filtered(words, n, seed, None, emit);
    }
}

/// The n-gram pass over `words` (at least `n` of them); how many it made.
fn word_ngrams_filtered(
    words: &[u64],
    n: usize,
    seed: u64,
    stop: Option<&StopSet>,
    emit: &mut impl FnMut(u64),
) -> usize {
    debug_assert!(n >= 1 && words.len() >= n);
    let mut made = 0;
    if n == 2 {
        // The default, written out. The kept hashes go to a stack block
        // with no branch on whether a bigram is kept (next to function
        // words close to a coin toss), then are emitted: 6% less shingle
        // time than a branch per bigram.
        const BLOCK: usize = 256;
        let mut kept = [0u64; BLOCK];
        let mut prev_content = stop.is_none_or(|s| !s.contains_hash(words[0]));
        let mut start = 1;
        while start < words.len() {
            let end = (start + BLOCK).min(words.len());
            let mut k = 0;
            for i in start..end {
                let content = stop.is_none_or(|s| !s.contains_hash(words[i]));
                kept[k] = ngram_hash(&words[i - 1..=i], seed);
                k += usize::from(prev_content || content);
                prev_content = content;
            }
            for &h in &kept[..k] {
                emit(h);
            }
            made += k;
            start = end;
        }
        return made;
    }
    // `ngram_hash` of each window, rolled: rotation distributes over xor,
    // so the hash of words i..i+n is `rotl(seed, 23n) ^ n` xored with
    // G_i = xor over j of rotl(word_{i+j}, 23(n-1-j)), and G_{i+1} is
    // rotl(G_i ^ rotl(word_i, 23(n-1)), 23) ^ word_{i+n}: four operations
    // per shingle instead of two per word of it. (Rotations are mod 64.)
    let oldest = (23 * (n - 1) % 64) as u32;
    let fixed = seed.rotate_left((23 * n % 64) as u32) ^ n as u64;
    let is_content = |h: u64| stop.is_none_or(|s| !s.contains_hash(h));
    // One past the index of the last content word seen (0: none yet): a
    // window holds one when that is past its start. One lookup per word.
    let mut last_content = 0;
    let mut g = 0u64;
    for (j, &w) in words[..n - 1].iter().enumerate() {
        g = g.rotate_left(23) ^ w;
        last_content = if is_content(w) { j + 1 } else { last_content };
    }
    for i in 0..=words.len() - n {
        let new = words[i + n - 1];
        g = g.rotate_left(23) ^ new;
        last_content = if is_content(new) { i + n } else { last_content };
        if last_content > i {
            debug_assert_eq!(g ^ fixed, ngram_hash(&words[i..i + n], seed));
            emit(g ^ fixed);
            made += 1;
        }
        g ^= words[i].rotate_left(oldest);
    }
    made
}

/// The hash of an n-gram from its words' hashes: each word xored into a
/// seeded state rotated by 23 bits per word (order matters: "a b" is
/// `rotl(a, 23) ^ b`, "b a" is `rotl(b, 23) ^ a`), and the length.
///
/// No multiply: the word hashes are xxh3 outputs, uniform and independent,
/// so any such combination of distinct words is uniform too, and two
/// different n-grams collide only if a combination of independent 64-bit
/// values cancels (chance 2^-64 per pair). Avalanche, which the minimum of
/// a MinHash function needs, is added where the shingle is signed
/// ([`crate::minhash::scalar::mix`], once per shingle); the seen-set and
/// the sorted set compare hashes only. (A multiply-rotate per word and a
/// SplitMix64 finalizer here cost four multiplies per shingle, mixing that
/// the signature then repeated.) Each word was hashed once with xxh3 where
/// it was folded.
#[inline]
pub fn ngram_hash(words: &[u64], seed: u64) -> u64 {
    let mut h = seed;
    for &w in words {
        h = h.rotate_left(23) ^ w;
    }
    h ^ words.len() as u64
}

/// Hashes every run of `n` characters (spaces included).
fn char_ngrams(t: &str, n: usize, seed: u64, emit: &mut impl FnMut(u64)) {
    let b = t.as_bytes();
    if t.is_ascii() {
        if b.len() < n {
            emit(xxh3_64_with_seed(b, seed));
            return;
        }
        for w in b.windows(n) {
            emit(xxh3_64_with_seed(w, seed));
        }
        return;
    }
    let mut bounds: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
    bounds.push(b.len());
    let chars = bounds.len() - 1;
    if chars < n {
        emit(xxh3_64_with_seed(b, seed));
        return;
    }
    for i in 0..=chars - n {
        emit(xxh3_64_with_seed(&b[bounds[i]..bounds[i + n]], seed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn nt(s: &str) -> NormText {
        NormText::from_folded(s)
    }

    /// An n-gram's hash the slow way: hash its words, then combine.
    fn gram_hash(g: &[&str], seed: u64) -> u64 {
        let h: Vec<u64> = g
            .iter()
            .map(|w| crate::normalize::word_hash(w.as_bytes()))
            .collect();
        ngram_hash(&h, seed)
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

    /// Reference with stopword filtering: allocate every n-gram, keep those
    /// with a content word (all of them if none has one).
    fn reference_filtered(t: &str, n: usize, seed: u64) -> Vec<u64> {
        let w: Vec<&str> = t.split(' ').collect();
        if w.len() < n {
            return vec![gram_hash(&w, seed)];
        }
        // The function words of the language the detector picks (the
        // vocabulary below holds "a", a function word in several of them,
        // and "é", one in Portuguese and Italian).
        let hashes: Vec<u64> = w
            .iter()
            .map(|x| crate::normalize::word_hash(x.as_bytes()))
            .collect();
        let list = match Languages::new().detect(&hashes).0 {
            "en" => stopwords::WORDS,
            "es" => stopwords::SPANISH,
            "fr" => stopwords::FRENCH,
            "de" => stopwords::GERMAN,
            "pt" => stopwords::PORTUGUESE,
            "it" => stopwords::ITALIAN,
            "ru" => stopwords::RUSSIAN,
            other => panic!("language {other}"),
        };
        let grams: Vec<(&[&str], bool)> = w
            .windows(n)
            .map(|g| (g, g.iter().any(|x| !list.contains(x))))
            .collect();
        let any = grams.iter().any(|g| g.1);
        let mut v: Vec<u64> = grams
            .iter()
            .filter(|g| g.1 || !any)
            .map(|g| gram_hash(g.0, seed))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    proptest::proptest! {
        #[test]
        fn word_ngrams_match_reference(
            words in proptest::collection::vec(proptest::sample::select(vec!["the", "of", "a", "river", "bank", "said", "rose", "2024", "é"]), 1..80),
            n in 1usize..12,
        ) {
            let t = words.join(" ");
            let s = Shingler::new(&[ShingleSpec::Word(n)], 3);
            let seed = s.kinds[0].1;
            proptest::prop_assert_eq!(s.shingles(&nt(&t)), reference_filtered(&t, n, seed));
        }

        /// Any values, repeats and zeros included: the first occurrence of
        /// each, in order, whatever was in the scratch table before.
        #[test]
        fn seen_set_keeps_first_occurrences(
            v in proptest::collection::vec(proptest::prop_oneof![0u64..4, proptest::num::u64::ANY, proptest::strategy::Just(u64::MAX)], 0..300),
            before in proptest::collection::vec(proptest::num::u64::ANY, 0..50),
        ) {
            // The first occurrence of each value of `v`, in order.
            let retain_first = |seen: &mut SeenSet, v: &mut Vec<u64>| {
                seen.reset(v.len());
                v.retain(|&h| seen.insert(h));
            };
            let mut seen = SeenSet::default();
            let mut junk = before.clone();
            retain_first(&mut seen, &mut junk);
            let mut got = v.clone();
            retain_first(&mut seen, &mut got);
            let mut set = HashSet::new();
            let want: Vec<u64> = v.iter().copied().filter(|x| set.insert(*x)).collect();
            proptest::prop_assert_eq!(&got, &want);
            // `contains` answers for what was inserted, and only that.
            for &x in v.iter().chain(&before).chain(&[0, 1, 7]) {
                proptest::prop_assert_eq!(seen.contains(x), set.contains(&x), "{}", x);
            }
        }

        /// The scan's unsorted set is the sorted set, as a set.
        #[test]
        fn distinct_is_the_sorted_set(
            words in proptest::collection::vec(proptest::sample::select(vec!["the", "of", "a", "river", "bank", "said", "rose", "2024", "é"]), 1..60),
            n in 1usize..4,
        ) {
            let t = words.join(" ");
            let s = Shingler::new(&[ShingleSpec::Word(n), ShingleSpec::Char(4)], 3);
            let mut got = Vec::new();
            s.distinct_into(&nt(&t), &mut got, &mut SeenSet::default());
            got.sort_unstable();
            proptest::prop_assert_eq!(got, s.shingles(&nt(&t)));
        }
    }

    #[test]
    fn bigrams_across_blocks_match_reference() {
        // Over 256 words, so the bigram pass fills several blocks; half
        // function words, half words seen once, so every bigram counts.
        let stop = ["the", "of", "a", "and"];
        let mut state = 7u64;
        for len in [255, 256, 257, 258, 513, 1000] {
            let words: Vec<String> = (0..len)
                .map(|i| {
                    state = crate::seeds::splitmix64(state);
                    match state % 8 {
                        k @ 0..4 => stop[k as usize].to_string(),
                        _ => format!("w{i}"),
                    }
                })
                .collect();
            let t = words.join(" ");
            let s = Shingler::new(&[ShingleSpec::Word(2)], 3);
            let seed = s.kinds[0].1;
            assert_eq!(
                s.shingles(&nt(&t)),
                reference_filtered(&t, 2, seed),
                "{len} words"
            );
        }
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
    fn ngram_hash_is_ordered_and_seeded() {
        let (a, b) = (
            crate::normalize::word_hash(b"a"),
            crate::normalize::word_hash(b"b"),
        );
        assert_ne!(ngram_hash(&[a, b], 1), ngram_hash(&[b, a], 1));
        assert_ne!(ngram_hash(&[a, b], 1), ngram_hash(&[a, b], 2));
        assert_ne!(ngram_hash(&[a], 1), ngram_hash(&[a, a], 1));
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
