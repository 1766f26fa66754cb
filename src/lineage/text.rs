//! Article text -> words with byte offsets, and their n-gram hashes.
//!
//! Words are folded exactly as `normalize` folds them (each whitespace-free
//! chunk of a kept line goes through [`crate::normalize::fold_into`]), so
//! the word sequence here is the scan's normalized text, boilerplate lines
//! and datelines left out; but every word remembers where it sits in the
//! ORIGINAL text, so shared passages can be shown there.

use crate::normalize::{fold_into, Boilerplate};
use xxhash_rust::xxh3::xxh3_64;

/// One folded word and where it is in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the chunk's first letter or digit.
    pub start: usize,
    /// Byte offset one past the chunk's last letter or digit.
    pub end: usize,
    /// Hash of the folded word.
    pub hash: u64,
    /// Index of the kept line the word is on (passages are cut at line ends).
    pub line: u32,
}

/// The words of `text`, boilerplate lines skipped, datelines cut.
///
/// A chunk that folds to several words (`U.S.` -> `u s`) gives several
/// tokens with the chunk's offsets.
pub fn tokenize(text: &str, boilerplate: &Boilerplate) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut folded = String::new();
    for (line, range) in boilerplate.kept(text).into_iter().enumerate() {
        let base = range.start;
        let kept = &text[range];
        let mut chunk_start = None;
        for (i, c) in kept
            .char_indices()
            .chain(std::iter::once((kept.len(), ' ')))
        {
            match (c.is_whitespace(), chunk_start) {
                (false, None) => chunk_start = Some(i),
                (true, Some(s)) => {
                    chunk_start = None;
                    let chunk = &kept[s..i];
                    folded.clear();
                    fold_into(chunk, &mut folded);
                    if folded.is_empty() {
                        continue;
                    }
                    let lead = chunk
                        .char_indices()
                        .find(|(_, c)| c.is_alphanumeric())
                        .map_or(0, |(k, _)| k);
                    let tail = chunk
                        .char_indices()
                        .rev()
                        .find(|(_, c)| c.is_alphanumeric())
                        .map_or(chunk.len(), |(k, c)| k + c.len_utf8());
                    let (start, end) = (base + s + lead, base + s + tail.max(lead));
                    for w in folded.split(' ').filter(|w| !w.is_empty()) {
                        out.push(Token {
                            start,
                            end,
                            hash: xxh3_64(w.as_bytes()),
                            line: line as u32,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Hash of each run of `n` consecutive words, by position (`len - n + 1`
/// values; one hash of all words when there are fewer than `n`, none when
/// there are none).
pub fn ngrams(tokens: &[Token], n: usize) -> Vec<u64> {
    let n = n.max(1);
    if tokens.is_empty() {
        return Vec::new();
    }
    let mut buf = Vec::with_capacity(8 * n);
    let mut hash = |w: &[Token]| {
        buf.clear();
        for t in w {
            buf.extend_from_slice(&t.hash.to_le_bytes());
        }
        xxh3_64(&buf)
    };
    if tokens.len() < n {
        return vec![hash(tokens)];
    }
    tokens.windows(n).map(hash).collect()
}

/// The sorted, deduplicated set of `ngrams`.
pub fn shingle_set(tokens: &[Token], n: usize) -> Vec<u64> {
    let mut v = ngrams(tokens, n);
    v.sort_unstable();
    v.dedup();
    v
}

/// Size of the intersection of two sorted, deduplicated sets.
pub fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalizer;

    fn bp() -> Boilerplate {
        Boilerplate::new(&[]).unwrap()
    }

    #[test]
    fn words_match_the_normalized_text() {
        let text = "Headline: U.S. talks\n\nBy Jane Doe\n\nLONDON (Reuters) — Pakistan’s 1,200 “troops” left.\n\nRead original article here\n";
        let toks = tokenize(text, &bp());
        let norm = Normalizer::new(&[]).unwrap().normalize(text);
        let want: Vec<u64> = norm.words().map(|w| xxh3_64(w.as_bytes())).collect();
        assert_eq!(toks.iter().map(|t| t.hash).collect::<Vec<_>>(), want);
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "“Quoted” words, and Pakistan’s army.";
        let toks = tokenize(text, &bp());
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Quoted", "words", "and", "Pakistan’s", "army"]);
    }

    #[test]
    fn ngrams_of_short_and_empty_texts() {
        let toks = tokenize("one two", &bp());
        assert_eq!(ngrams(&toks, 5).len(), 1);
        assert!(ngrams(&[], 5).is_empty());
        let toks = tokenize("a b c d e f", &bp());
        assert_eq!(ngrams(&toks, 5).len(), 2);
    }

    #[test]
    fn intersection_by_hand() {
        assert_eq!(intersection(&[1, 2, 3, 5], &[2, 5, 7]), 2);
        assert_eq!(intersection(&[], &[1]), 0);
    }
}
