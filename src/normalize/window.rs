//! Folding 64 bytes at a time: the bytes are classified into bit masks
//! (AVX2 where the CPU has it, else eight bytes at a time in plain integer
//! arithmetic), and the words are found from the masks, one
//! `trailing_zeros` per word start and end, instead of a branch per byte.
//!
//! This is the fast path of `fold_words` for the common case, ASCII
//! running text; it gives up on whatever it cannot decide from one window
//! (a word touching a non-ASCII byte or the window's end) and leaves that
//! to the byte-by-byte loop, which is the general path. Both must give the
//! same text, words and anchors as the plain rules (`reference_fold` in
//! the tests of `mod.rs`).

use super::{
    anchor_hash_prefix, classify8, prefix_at, splat, word_hash, word_hash_9to16, word_hash_padded,
    Sink, HIGH,
};

/// Bytes looked at per window.
pub(super) const WIDTH: usize = 64;

/// One bit per byte of a window (bit k: byte k), for each class of byte
/// the folding rules tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Masks {
    /// ASCII letters.
    pub alpha: u64,
    /// ASCII upper-case letters.
    pub upper: u64,
    /// ASCII digits.
    pub digit: u64,
    /// Apostrophes that join letters: `'` and `` ` ``.
    pub apos: u64,
    /// Digit separators: `,` and `.`.
    pub point: u64,
    /// Bytes that end a sentence: `. ! ? : "` and newline.
    pub ender: u64,
    /// Bytes of non-ASCII characters (high bit set).
    pub wide: u64,
}

/// The high bit of each byte of `x`, gathered into the low 8 bits (byte j
/// -> bit j). The multiplier places the bit of byte j at bit 56 + j; no two
/// partial products share a bit, so nothing carries.
#[inline(always)]
fn gather(x: u64) -> u64 {
    ((x & HIGH) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// High bit of each byte of `x` that equals `c` (exact: no false
/// positives next to a match).
#[inline(always)]
fn eq8(x: u64, c: u8) -> u64 {
    let y = x ^ splat(c);
    !((y & !HIGH).wrapping_add(!HIGH) | y | !HIGH)
}

/// The masks of 64 bytes, and the bytes lower-cased into `lowered`, in
/// plain integer arithmetic: the reference for the AVX2 version, and the
/// path on other CPUs.
pub(super) fn masks_scalar(block: &[u8; WIDTH], lowered: &mut [u8; WIDTH]) -> Masks {
    let mut m = Masks::default();
    for j in 0..WIDTH / 8 {
        let x = u64::from_le_bytes(block[8 * j..8 * j + 8].try_into().expect("8 bytes"));
        let (alnum, upper, digit) = classify8(x);
        lowered[8 * j..8 * j + 8].copy_from_slice(&(x | (upper >> 2)).to_le_bytes());
        let put = |mask: &mut u64, high: u64| *mask |= gather(high) << (8 * j);
        put(&mut m.alpha, alnum & !digit);
        put(&mut m.upper, upper);
        put(&mut m.digit, digit);
        put(&mut m.apos, eq8(x, b'\'') | eq8(x, b'`'));
        put(&mut m.point, eq8(x, b',') | eq8(x, b'.'));
        put(
            &mut m.ender,
            eq8(x, b'.')
                | eq8(x, b'!')
                | eq8(x, b'?')
                | eq8(x, b':')
                | eq8(x, b'"')
                | eq8(x, b'\n'),
        );
        put(&mut m.wide, x);
    }
    m
}

/// Bits `0..n` (all 64 when `n >= 64`).
#[inline(always)]
fn below(n: usize) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

/// Bits `a..b`.
#[inline(always)]
fn range(a: usize, b: usize) -> u64 {
    below(b) & !below(a)
}

/// Folds the whole words of one window that starts between words, given
/// its masks and its bytes lower-cased (`lowered`, with at least 64 bytes
/// of readable slack past the window). Writes the words, each followed by
/// a space, at `out[*len..]` (which must have room for 32 bytes past each
/// word's end), records their hashes and anchors, and keeps
/// `sentence_start` up to date.
///
/// Returns how many bytes of the window it consumed: up to the start of
/// the first word it could not decide, or to the first non-ASCII byte, or
/// the whole window. Zero means the general path must take the next byte.
///
/// A word is decided when the byte after it is known to separate: that
/// byte and the one after it (an apostrophe or digit separator joins only
/// when a letter or digit follows) lie before the first non-ASCII byte and
/// inside the window.
#[inline(always)]
pub(super) fn fold_window(
    m: &Masks,
    lowered: &[u8; 2 * WIDTH],
    out: &mut [u8],
    len: &mut usize,
    sentence_start: &mut bool,
    sink: &mut Sink,
) -> usize {
    let limit = m.wide.trailing_zeros() as usize;
    let alnum = m.alpha | m.digit;
    // An apostrophe between letters, or a , or . between digits, is
    // dropped and does not end the word. (Bit 0 of a shifted-up mask is 0:
    // the window starts between words. Bit 63 of a shifted-down one is 0,
    // so no word may end at 63: the limit below.)
    let joiner =
        (m.apos & (m.alpha << 1) & (m.alpha >> 1)) | (m.point & (m.digit << 1) & (m.digit >> 1));
    let word = alnum | joiner;
    let mut starts = word & !(word << 1);
    let mut ends = !word & (word << 1);
    let ender = m.ender & !word;
    let hashing = sink.words.is_some() || sink.anchors.is_some();
    // Words are runs of `word` bits, so starts and ends alternate: the
    // next word starts at the lowest start not yet taken and ends at the
    // lowest end not yet taken. Each is taken by clearing the lowest bit,
    // so finding a word does not wait on where the last one ended (the
    // search `starts & !below(k)` chained every word to the one before).
    let mut k = 0;
    loop {
        let s = starts.trailing_zeros() as usize;
        if s >= limit {
            // Only separators are left before the limit: the byte before
            // a joiner is a letter or digit, so it would have started a
            // word here.
            *sentence_start |= ender & range(k, limit) != 0;
            return limit;
        }
        *sentence_start |= ender & range(k, s) != 0;
        let e = ends.trailing_zeros() as usize;
        if e + 2 > limit {
            return s;
        }
        // Both are non-zero: s < limit <= 64 and e < limit.
        starts &= starts - 1;
        ends &= ends - 1;
        let n = e - s;
        let start = *len;
        if joiner & range(s, e) == 0 {
            // The word is its bytes, lower-cased: copy 32 at a time (the
            // bytes past it are overwritten by what comes next).
            out[start..start + 32].copy_from_slice(&lowered[s..s + 32]);
            if n > 32 {
                out[start + 32..start + 64].copy_from_slice(&lowered[s + 32..s + 64]);
            }
            *len += n;
        } else {
            // Rare: drop the joiners, byte by byte.
            for (j, &byte) in lowered.iter().enumerate().take(e).skip(s) {
                if alnum >> j & 1 == 1 {
                    out[*len] = byte;
                    *len += 1;
                }
            }
        }
        if hashing {
            let folded = &out[start..*len];
            let at = |i: usize| u64::from_le_bytes(lowered[i..i + 8].try_into().expect("8 bytes"));
            // Words the window copied whole (no joiners dropped) of up to
            // 16 bytes are hashed from its 8-byte loads; the rest from the
            // folded bytes.
            let h = match n {
                ..=8 if folded.len() == n => word_hash_padded(at(s) & (u64::MAX >> (64 - 8 * n))),
                9..=16 if folded.len() == n => word_hash_9to16(at(s), at(e - 8), n),
                _ => word_hash(folded),
            };
            if let Some(words) = sink.words.as_deref_mut() {
                words.push(h);
            }
            if let Some((a, calendar)) = &mut sink.anchors {
                let digit = m.digit & range(s, e) != 0;
                let capital = m.upper >> s & 1 == 1;
                if digit || (capital && !*sentence_start && !calendar.contains_hash(h)) {
                    a.push(anchor_hash_prefix(prefix_at(out, start, *len)));
                }
                if digit {
                    sink.note_figure();
                }
            }
        }
        *sentence_start = false;
        out[*len] = b' ';
        *len += 1;
        k = e;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_and_eq8_are_exact() {
        for pos in 0..8 {
            for b in 0..=255u8 {
                let x = u64::from(b) << (8 * pos) | (splat(b'x') & !(0xff << (8 * pos)));
                assert_eq!(gather(x), u64::from(b >> 7) << pos);
                for c in [b'\'', b'.', b'\n', b'x', 0, 0xff] {
                    let want = if b == c { 0x80u64 << (8 * pos) } else { 0 }
                        | if c == b'x' {
                            splat(0x80) & !(0xff << (8 * pos))
                        } else {
                            0
                        };
                    assert_eq!(eq8(x, c), want, "byte {b:#x} at {pos}, c {c:#x}");
                }
            }
        }
    }

    #[test]
    fn scalar_masks_match_a_byte_loop() {
        let mut block = [0u8; WIDTH];
        let mut state = 0x1234_5678_9abc_def0u64;
        for _ in 0..200 {
            for b in block.iter_mut() {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *b = (state >> 56) as u8;
            }
            let mut lowered = [0u8; WIDTH];
            let m = masks_scalar(&block, &mut lowered);
            for (k, &b) in block.iter().enumerate() {
                let bit = |mask: u64| mask >> k & 1 == 1;
                assert_eq!(bit(m.alpha), b.is_ascii_alphabetic());
                assert_eq!(bit(m.upper), b.is_ascii_uppercase());
                assert_eq!(bit(m.digit), b.is_ascii_digit());
                assert_eq!(bit(m.apos), b == b'\'' || b == b'`');
                assert_eq!(bit(m.point), b == b',' || b == b'.');
                assert_eq!(bit(m.ender), b".!?:\"\n".contains(&b));
                assert_eq!(bit(m.wide), b >= 0x80);
                assert_eq!(lowered[k], b.to_ascii_lowercase());
            }
        }
    }
}
