//! Two token sequences -> shared passages (byte spans in both original texts).
//!
//! Every run of `n` words of the parent is hashed into a table; each run of
//! the copy is looked up there, and consecutive hits that stay consecutive
//! in the parent are merged into one maximal passage. Lookup ignores where
//! a passage sits, so paragraphs moved around, cut or interleaved with new
//! material are still found. Passages are cut at line ends, so a highlight
//! never swallows the boilerplate line between two paragraphs.

use super::text::{ngrams, Token};
use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

/// A passage found in both texts: byte and character ranges into each
/// original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First byte in the copy.
    pub copy_start: usize,
    /// One past the last byte in the copy.
    pub copy_end: usize,
    /// First byte in the parent.
    pub parent_start: usize,
    /// One past the last byte in the parent.
    pub parent_end: usize,
    /// `copy_start` in characters (Unicode scalar values).
    pub copy_char_start: usize,
    /// `copy_end` in characters.
    pub copy_char_end: usize,
    /// `parent_start` in characters.
    pub parent_char_start: usize,
    /// `parent_end` in characters.
    pub parent_char_end: usize,
    /// Words in the passage (letters, in scripts written without spaces:
    /// the units the scan shingles).
    pub words: usize,
}

/// Hits of one n-gram kept in the table: enough for repeated phrases
/// ("the prime minister said") without quadratic blow-up.
const MAX_HITS: usize = 4;

/// A parent's runs of `n` words indexed for [`align_with`]: for each
/// n-gram hash, its first [`MAX_HITS`] positions in increasing order.
/// Built once per parent, however many copies are aligned with it.
#[derive(Debug, Clone)]
pub struct Table {
    n: usize,
    /// Hash -> (hits kept, the positions).
    index: HashMap<u64, (u8, [u32; MAX_HITS])>,
}

impl Table {
    /// The table of `parent`'s n-grams (`n` at least 1).
    pub fn new(parent: &[Token], n: usize) -> Table {
        let n = n.max(1);
        if parent.len() < n {
            return Table {
                n,
                index: HashMap::new(),
            };
        }
        let pg = ngrams(parent, n);
        let mut index: HashMap<u64, (u8, [u32; MAX_HITS])> = HashMap::with_capacity(pg.len());
        // In position order, so each hash keeps its first positions.
        for (p, h) in pg.into_iter().enumerate() {
            let (len, hits) = index.entry(h).or_insert((0, [0; MAX_HITS]));
            if (*len as usize) < MAX_HITS {
                hits[*len as usize] = p as u32;
                *len += 1;
            }
        }
        Table { n, index }
    }

    fn get(&self, h: u64) -> &[u32] {
        self.index
            .get(&h)
            .map_or(&[], |(len, hits)| &hits[..*len as usize])
    }
}

/// Shared passages of at least `n` words, in copy order, and the share of
/// each side's words they cover: `(spans, aligned_copy, aligned_parent)`.
#[cfg(test)]
pub fn align(copy: &[Token], parent: &[Token], n: usize) -> (Vec<Span>, f64, f64) {
    align_with(copy, parent, &Table::new(parent, n))
}

/// [`align`] with the parent's [`Table`] built already (its `n` is the
/// passage length).
pub fn align_with(copy: &[Token], parent: &[Token], table: &Table) -> (Vec<Span>, f64, f64) {
    let n = table.n;
    if copy.len() < n || parent.len() < n {
        return (Vec::new(), 0.0, 0.0);
    }
    // Runs of n-gram positions (copy i, parent p) with both advancing by one.
    let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // (i0, p0, len in n-grams)
    let mut cur: Option<(usize, usize, usize)> = None;
    for (i, h) in ngrams(copy, n).into_iter().enumerate() {
        let hits = table.get(h);
        if let Some((i0, p0, len)) = cur {
            let want = (p0 + len) as u32;
            if hits.contains(&want) {
                cur = Some((i0, p0, len + 1));
                continue;
            }
            runs.push((i0, p0, len));
        }
        // Prefer the hit right after the previous passage (text in order).
        let after = runs.last().map_or(0, |&(_, p0, len)| p0 + len + n - 1);
        cur = hits
            .iter()
            .find(|&&p| p as usize >= after)
            .or(hits.first())
            .map(|&p| (i, p as usize, 1));
    }
    runs.extend(cur);

    let mut copy_cov = vec![false; copy.len()];
    let mut parent_cov = vec![false; parent.len()];
    let mut spans = Vec::new();
    for (i0, p0, len) in runs {
        let words = len + n - 1;
        let mut k0 = 0;
        for k in 0..words {
            copy_cov[i0 + k] = true;
            parent_cov[p0 + k] = true;
            let last = k + 1 == words;
            let cut = last
                || copy[i0 + k + 1].line != copy[i0 + k].line
                || parent[p0 + k + 1].line != parent[p0 + k].line;
            if cut {
                spans.push(Span {
                    copy_start: copy[i0 + k0].start,
                    copy_end: copy[i0 + k].end,
                    parent_start: parent[p0 + k0].start,
                    parent_end: parent[p0 + k].end,
                    copy_char_start: copy[i0 + k0].char_start,
                    copy_char_end: copy[i0 + k].char_end,
                    parent_char_start: parent[p0 + k0].char_start,
                    parent_char_end: parent[p0 + k].char_end,
                    words: k - k0 + 1,
                });
                k0 = k + 1;
            }
        }
    }
    let share = |v: &[bool]| v.iter().filter(|&&b| b).count() as f64 / v.len() as f64;
    (spans, share(&copy_cov), share(&parent_cov))
}

/// Merges overlapping or touching byte ranges (for highlighting one side).
pub fn merge_ranges(mut r: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    r.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(r.len());
    for (s, e) in r {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;
    use crate::normalize::Boilerplate;

    fn toks(s: &str) -> Vec<Token> {
        tokenize(s, &Boilerplate::new(&[]).unwrap())
    }

    #[test]
    fn identical_texts_align_fully() {
        let t = "one two three four five six seven eight nine ten";
        let (spans, a, b) = align(&toks(t), &toks(t), 5);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].copy_start, spans[0].copy_end), (0, t.len()));
        assert_eq!((a, b), (1.0, 1.0));
    }

    #[test]
    fn reordered_paragraphs_are_found_at_their_offsets() {
        let p1 = "The army said the border crossing would reopen on Monday morning.";
        let p2 = "Officials in the capital denied any role in the attack last week.";
        let parent = format!("{p1}\n\n{p2}\n");
        let copy = format!("{p2}\n\nSome new words of our own here.\n\n{p1}\n");
        let (spans, a, b) = align(&toks(&copy), &toks(&parent), 5);
        assert_eq!(spans.len(), 2);
        for s in &spans {
            assert_eq!(
                &copy[s.copy_start..s.copy_end],
                &parent[s.parent_start..s.parent_end]
            );
        }
        assert!((b - 1.0).abs() < 1e-9);
        assert!(a < 1.0 && a > 0.6);
    }

    #[test]
    fn unrelated_texts_share_nothing() {
        let (spans, a, _) = align(
            &toks("alpha beta gamma delta epsilon zeta"),
            &toks("one two three four five six"),
            5,
        );
        assert!(spans.is_empty());
        assert_eq!(a, 0.0);
    }

    #[test]
    fn the_table_keeps_the_first_hits_in_order() {
        let phrase = "the prime minister said today";
        let parent = toks(&[phrase; 7].join(" "));
        let table = Table::new(&parent, 5);
        let first = ngrams(&parent, 5)[0];
        assert_eq!(table.get(first), [0, 5, 10, 15]);
        assert!(table.get(first ^ 1).is_empty());
        // Aligned with the table or without, the same passages.
        let copy = toks(&format!("new words here {phrase} and more {phrase}"));
        assert_eq!(align(&copy, &parent, 5), align_with(&copy, &parent, &table));
        assert_eq!(align(&copy, &parent, 5).0.len(), 2);
    }

    #[test]
    fn merge_ranges_joins_overlaps() {
        assert_eq!(
            merge_ranges(vec![(5, 9), (0, 3), (2, 4), (9, 10)]),
            vec![(0, 4), (5, 10)]
        );
    }
}
