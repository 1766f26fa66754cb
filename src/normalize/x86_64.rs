//! AVX2 classification of a 64-byte window of text into the bit masks of
//! [`super::window::Masks`], 32 bytes per vector: compares and movemasks,
//! about 40 instructions for the window where the portable version takes
//! several hundred.
//!
//! And the whole of folding compiled a second time for the CPUs that have
//! AVX2 ([`Avx2::fold_words`]), with the bit instructions every such CPU
//! also has (BMI1, BMI2, LZCNT, POPCNT: Intel since Haswell, AMD since
//! Excavator). Finding words from the masks is shifts by variable amounts,
//! lowest-bit clears and trailing-zero counts on every word; the baseline
//! x86-64 target has none of these as single instructions (`shl` by `cl`
//! is three micro-ops on Intel, `tzcnt` must be emulated around `bsf`'s
//! zero case). The same source, so the same results; with this copy and
//! the verifier's POPCNT count, a 100k scan's user time fell 4.6% (the
//! whole build compiled with these features: folding 7% fewer samples).

use super::window::{Masks, WIDTH};
use super::{Classifier, Sink};
use std::arch::x86_64::*;

/// The AVX2 classifier. Constructed only where the CPU supports AVX2 and
/// the bit instructions above.
#[derive(Debug, Clone, Copy)]
pub struct Avx2(());

impl Avx2 {
    /// The classifier, if this CPU supports AVX2, BMI1, BMI2, LZCNT and
    /// POPCNT (detected by the standard library, which caches the answer).
    pub fn new() -> Option<Self> {
        let all = is_x86_feature_detected!("avx2")
            && is_x86_feature_detected!("bmi1")
            && is_x86_feature_detected!("bmi2")
            && is_x86_feature_detected!("lzcnt")
            && is_x86_feature_detected!("popcnt");
        all.then_some(Avx2(()))
    }

    /// `fold_words` with this classifier, compiled for these CPUs.
    pub(super) fn fold_words(self, s: &str, out: &mut Vec<u8>, sink: Sink) {
        // SAFETY: an `Avx2` exists only where the CPU has every feature
        // `fold_words_v3` is compiled with.
        unsafe { fold_words_v3(s, out, sink, self) }
    }

    /// [`super::window::masks_scalar`], with AVX2.
    #[inline(always)]
    pub(super) fn masks(self, block: &[u8; WIDTH], lowered: &mut [u8; WIDTH]) -> Masks {
        // SAFETY: an `Avx2` exists only where the CPU supports AVX2; both
        // arrays hold 64 bytes, the two 32-byte loads and stores.
        unsafe { masks_avx2(block, lowered) }
    }

    /// [`Avx2::new`] asked once, and only where SIMD paths are
    /// [`crate::simd::allowed`]: for code with no object to hold the token
    /// (`unicode::plain_run`, called for every text and every run in one).
    pub(super) fn detected() -> Option<Self> {
        static TOKEN: std::sync::OnceLock<Option<Avx2>> = std::sync::OnceLock::new();
        *TOKEN.get_or_init(|| Avx2::new().filter(|_| crate::simd::allowed()))
    }

    /// How many of `b`'s first bytes, in whole 32-byte vectors, are ASCII
    /// other than `&`: the index of the first other byte if a vector holds
    /// one, else the length of the whole vectors (the caller looks at the
    /// rest).
    pub(super) fn plain_prefix(self, b: &[u8]) -> usize {
        // SAFETY: an `Avx2` exists only where the CPU supports AVX2.
        unsafe { plain_prefix_avx2(b) }
    }
}

/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
unsafe fn plain_prefix_avx2(b: &[u8]) -> usize {
    let amp = _mm256_set1_epi8(b'&' as i8);
    let mut k = 0;
    while k + 32 <= b.len() {
        // SAFETY: bytes k..k + 32 of `b`; an unaligned load.
        let x = unsafe { _mm256_loadu_si256(b.as_ptr().add(k).cast()) };
        // The high bit of each byte that is non-ASCII (its own) or `&`.
        let stop = _mm256_movemask_epi8(_mm256_or_si256(x, _mm256_cmpeq_epi8(x, amp))) as u32;
        if stop != 0 {
            return k + stop.trailing_zeros() as usize;
        }
        k += 32;
    }
    k
}

/// # Safety
/// The CPU must support AVX2, BMI1, BMI2, LZCNT and POPCNT.
#[target_feature(enable = "bmi1,bmi2,lzcnt,popcnt")]
unsafe fn fold_words_v3(s: &str, out: &mut Vec<u8>, sink: Sink, avx2: Avx2) {
    super::fold_words_with(s, out, sink, Classifier::Avx2(avx2))
}

/// # Safety
/// The CPU must support AVX2, BMI1 and BMI2.
#[target_feature(enable = "avx2,bmi1,bmi2")]
unsafe fn masks_avx2(block: &[u8; WIDTH], lowered: &mut [u8; WIDTH]) -> Masks {
    let mut m = Masks::default();
    for half in 0..2 {
        let at = 32 * half;
        // SAFETY: bytes at..at + 32 of 64-byte arrays; unaligned loads and stores.
        let x = unsafe { _mm256_loadu_si256(block.as_ptr().add(at).cast()) };
        // Byte in lo..lo + n: shifted so that lo lands on -128, then a
        // signed compare against -128 + n (bytes of non-ASCII characters
        // land at or above -128 + n for the three ranges used here).
        let within = |lo: u8, n: i8| {
            let shifted = _mm256_add_epi8(x, _mm256_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
            _mm256_cmpgt_epi8(_mm256_set1_epi8(-128 + n), shifted)
        };
        let eq = |c: u8| _mm256_cmpeq_epi8(x, _mm256_set1_epi8(c as i8));
        let upper = within(b'A', 26);
        let alpha = _mm256_or_si256(upper, within(b'a', 26));
        let digit = within(b'0', 10);
        let low = _mm256_or_si256(x, _mm256_and_si256(upper, _mm256_set1_epi8(0x20)));
        // SAFETY: as above.
        unsafe { _mm256_storeu_si256(lowered.as_mut_ptr().add(at).cast(), low) };
        let dot = eq(b'.');
        let apos = _mm256_or_si256(eq(b'\''), eq(b'`'));
        let point = _mm256_or_si256(eq(b','), dot);
        let ender = _mm256_or_si256(
            _mm256_or_si256(
                _mm256_or_si256(dot, eq(b'!')),
                _mm256_or_si256(eq(b'?'), eq(b':')),
            ),
            _mm256_or_si256(eq(b'"'), eq(b'\n')),
        );
        let bits = |v: __m256i| u64::from(_mm256_movemask_epi8(v) as u32) << at;
        m.alpha |= bits(alpha);
        m.upper |= bits(upper);
        m.digit |= bits(digit);
        m.apos |= bits(apos);
        m.point |= bits(point);
        m.ender |= bits(ender);
        m.wide |= bits(x);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::super::window::masks_scalar;
    use super::*;

    #[test]
    fn avx2_masks_equal_scalar() {
        let Some(avx2) = Avx2::new() else { return };
        let mut block = [0u8; WIDTH];
        let mut state = 0x0bad_5eed_u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 56) as u8
        };
        // Every byte value at every position, then random blocks.
        for round in 0..256 + 2000 {
            for (k, b) in block.iter_mut().enumerate() {
                *b = if round < 256 {
                    (round + k) as u8
                } else {
                    next()
                };
            }
            let (mut a, mut b) = ([0u8; WIDTH], [0u8; WIDTH]);
            assert_eq!(avx2.masks(&block, &mut a), masks_scalar(&block, &mut b));
            assert_eq!(a, b);
        }
    }
}
