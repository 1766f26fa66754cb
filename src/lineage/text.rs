//! Article text -> words with offsets, and their n-gram hashes.
//!
//! Words are folded exactly as `normalize` folds them (each whitespace-free
//! chunk of a kept line goes through
//! [`crate::normalize::fold_prefolded_into`]), so the word sequence here is
//! the scan's normalized text, boilerplate lines and datelines left out;
//! but every word remembers where it sits in the ORIGINAL text, so shared
//! passages can be shown there. In scripts written without spaces a word is
//! one letter with its marks ([`crate::normalize::is_spaceless`]), as in
//! the scan, and has its own offsets, so passages, coverage and copy types
//! are counted in the units the scan detects copies with.

use crate::normalize::{fold_prefolded_into, is_spaceless, unicode, Prefold};
use xxhash_rust::xxh3::xxh3_64;

/// One folded word and where it is in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the chunk's first letter or digit.
    pub start: usize,
    /// Byte offset one past the chunk's last letter or digit.
    pub end: usize,
    /// `start` in characters (Unicode scalar values) from the text's start.
    pub char_start: usize,
    /// `end` in characters.
    pub char_end: usize,
    /// Hash of the folded word.
    pub hash: u64,
    /// Index of the kept line the word is on (passages are cut at line ends).
    pub line: u32,
}

/// Byte offsets to character offsets, for offsets met in increasing order.
struct Chars<'t> {
    text: &'t str,
    ascii: bool,
    at: (usize, usize),
}

impl Chars<'_> {
    fn of(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        let (b, c) = self.at;
        let n = if byte >= b {
            c + self.text[b..byte].chars().count()
        } else {
            self.text[..byte].chars().count()
        };
        self.at = (byte, n);
        n
    }
}

/// [`tokenize_kept`] of the lines `boilerplate` keeps.
#[cfg(test)]
pub fn tokenize(text: &str, boilerplate: &crate::normalize::Boilerplate) -> Vec<Token> {
    tokenize_kept(text, &boilerplate.kept(text))
}

/// The words of `text` in the line ranges `kept`
/// ([`Boilerplate::kept`](crate::normalize::Boilerplate::kept): boilerplate
/// lines skipped, datelines cut).
///
/// A chunk that folds to several words (`U.S.` -> `u s`) gives several
/// tokens with the chunk's offsets; in a chunk holding letters of a
/// space-less script, each such letter (with its marks) is a piece of its
/// own, with its own offsets.
pub fn tokenize_kept(text: &str, kept: &[std::ops::Range<usize>]) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut folded = String::new();
    let pre = Prefold::of(text);
    let mut chars = Chars {
        text,
        ascii: text.is_ascii(),
        at: (0, 0),
    };
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for (line, range) in kept.iter().cloned().enumerate() {
        let base = range.start;
        let kept = &text[range];
        // Chunks are the maximal runs of non-whitespace characters
        // (`char::is_whitespace`), found a byte at a time where the text
        // is ASCII (this loop was the largest part of tracing).
        let mut i = 0;
        while i < kept.len() {
            let (space, len) = space_at(kept, i);
            if space {
                i += len;
                continue;
            }
            let s = i;
            i += len;
            while i < kept.len() {
                let (space, len) = space_at(kept, i);
                if space {
                    break;
                }
                i += len;
            }
            let chunk = &kept[s..i];
            pieces.clear();
            let ascii = chunk.is_ascii();
            if pre.is_none() && ascii {
                pieces.push((0, chunk.len()));
            } else {
                split_units(chunk, &mut pieces);
            }
            for &(ps, pe) in &pieces {
                let piece = &chunk[ps..pe];
                folded.clear();
                fold_prefolded_into(piece, pre.as_ref(), &mut folded);
                if folded.is_empty() {
                    continue;
                }
                // (For ASCII, bytes are characters and
                // `is_ascii_alphanumeric` is `is_alphanumeric`.)
                let (lead, tail) = if ascii {
                    let b = piece.as_bytes();
                    (
                        b.iter().position(u8::is_ascii_alphanumeric).unwrap_or(0),
                        b.iter()
                            .rposition(u8::is_ascii_alphanumeric)
                            .map_or(piece.len(), |k| k + 1),
                    )
                } else {
                    (
                        piece
                            .char_indices()
                            .find(|(_, c)| c.is_alphanumeric())
                            .map_or(0, |(k, _)| k),
                        piece
                            .char_indices()
                            .rev()
                            .find(|(_, c)| c.is_alphanumeric())
                            .map_or(piece.len(), |(k, c)| k + c.len_utf8()),
                    )
                };
                let at = base + s + ps;
                let (start, end) = (at + lead, at + tail.max(lead));
                // A unit's marks follow its letter: keep them in it.
                let end = if !ascii && is_spaceless_piece(piece) {
                    at + piece.len()
                } else {
                    end
                };
                let (char_start, char_end) = (chars.of(start), chars.of(end));
                let token = |w: &str| Token {
                    start,
                    end,
                    char_start,
                    char_end,
                    hash: xxh3_64(w.as_bytes()),
                    line: line as u32,
                };
                // Mostly one word (a chunk folds to several only as `U.S.`
                // does); `folded` is not empty here. (A plain loop: memchr's
                // setup costs more than it saves on a word.)
                if !folded.as_bytes().contains(&b' ') {
                    out.push(token(&folded));
                } else {
                    out.extend(folded.split(' ').filter(|w| !w.is_empty()).map(token));
                }
            }
        }
    }
    out
}

/// Whether the character at byte `i` of `s` (a character boundary) is
/// whitespace (`char::is_whitespace`), and its length in bytes.
#[inline]
fn space_at(s: &str, i: usize) -> (bool, usize) {
    let x = s.as_bytes()[i];
    if x < 0x80 {
        return (matches!(x, b'\t'..=b'\r' | b' '), 1);
    }
    s[i..]
        .chars()
        .next()
        .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8()))
}

/// Whether a piece is one letter of a space-less script (and its marks).
fn is_spaceless_piece(piece: &str) -> bool {
    piece
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() && is_spaceless(c))
}

/// Cuts `chunk` into pieces (byte ranges): each letter of a space-less
/// script with the marks after it, and the runs of other characters
/// between them. Folding ends a word at every such cut, so the pieces'
/// words, in order, are the chunk's.
fn split_units(chunk: &str, pieces: &mut Vec<(usize, usize)>) {
    let mut run = 0;
    let mut it = chunk.char_indices().peekable();
    while let Some((k, c)) = it.next() {
        if !(c.is_alphanumeric() && is_spaceless(c)) {
            continue;
        }
        if run < k {
            pieces.push((run, k));
        }
        let mut end = k + c.len_utf8();
        while let Some(&(m, mc)) = it.peek() {
            // Marks, and the ignorable characters prefolding drops from
            // between a letter and its marks (a zero width space).
            if !(unicode::is_unit_mark(mc) || unicode::is_ignorable(mc)) {
                break;
            }
            end = m + mc.len_utf8();
            it.next();
        }
        pieces.push((k, end));
        run = end;
    }
    if run < chunk.len() {
        pieces.push((run, chunk.len()));
    }
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
    use crate::normalize::Boilerplate;
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
    fn words_match_the_normalized_text_in_every_script() {
        for text in [
            "東京（共同）— 政府は２０日、Tokyo Tower の改修を発表した。\n\nｶﾞｲﾄﾞ も 変わる。",
            "กรุงเทพฯ รัฐบาลไทยประกาศว่า ราคาน้ำมันจะลดลง",
            "Москва, 20 мая — Прaвительствo сообщило о планах. The governm\u{435}nt s\u{430}id.",
            "cafe\u{301} wo\u{200b}rd sof\u{ad}t a&nbsp;b &eacute;t&eacute; ＦＵＬＬ",
            "서울 정부는 20일 새 정책을 발표했다.",
            "น\u{200b}\u{e49}ำท่วม Прaвительство c o ee",
        ] {
            let toks = tokenize(text, &bp());
            let norm = Normalizer::new(&[]).unwrap().normalize(text);
            let want: Vec<u64> = norm.words().map(|w| xxh3_64(w.as_bytes())).collect();
            let got: Vec<u64> = toks.iter().map(|t| t.hash).collect();
            assert_eq!(got, want, "{text}: {}", norm.text);
        }
    }

    #[test]
    fn spaceless_letters_have_their_own_offsets() {
        let text = "政府は発表。Tokyo ไม่";
        let toks = tokenize(text, &bp());
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["政", "府", "は", "発", "表", "Tokyo", "ไ", "ม่"]);
        let chars: Vec<(usize, usize)> = toks.iter().map(|t| (t.char_start, t.char_end)).collect();
        assert_eq!(chars[..2], [(0, 1), (1, 2)]);
        assert_eq!(chars[5], (6, 11));
        assert_eq!(chars[7], (13, 15));
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
    fn space_at_is_char_is_whitespace() {
        let all: String = (0u32..0x3100)
            .chain([0xFEFF, 0x1F600])
            .filter_map(char::from_u32)
            .collect();
        let mut i = 0;
        for c in all.chars() {
            assert_eq!(
                space_at(&all, i),
                (c.is_whitespace(), c.len_utf8()),
                "{c:?}"
            );
            i += c.len_utf8();
        }
    }

    #[test]
    fn chunks_split_at_every_kind_of_space() {
        let text = "one\u{a0}two\u{2003}three\u{b}four\u{1c}five\u{3000}six";
        let toks = tokenize(text, &bp());
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        // U+001C is no whitespace (char::is_whitespace), so four\u{1c}five
        // is one chunk; folding splits it into two words at the control.
        let norm = Normalizer::new(&[]).unwrap().normalize(text);
        assert_eq!(toks.len(), norm.words().count(), "{words:?}");
        assert_eq!(words[..3], ["one", "two", "three"]);
    }

    #[test]
    fn intersection_by_hand() {
        assert_eq!(intersection(&[1, 2, 3, 5], &[2, 5, 7]), 2);
        assert_eq!(intersection(&[], &[1]), 0);
    }
}
