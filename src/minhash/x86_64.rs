//! AVX2 signatures: 8 hash functions per vector, 4 vectors per pass over the
//! shingles (32 functions), so the multipliers, addends and running minimums
//! stay in registers (12 of the 16). Also the comparison of two stored
//! signature rows into a bitmask of agreeing positions, for verification.

use super::scalar;
use std::arch::x86_64::*;

/// The AVX2 backend. Constructed only where the CPU supports AVX2.
#[derive(Debug, Clone, Copy)]
pub struct Avx2(());

impl Avx2 {
    /// Whether this CPU has AVX2 (detected by the standard library, which
    /// caches the answer).
    pub fn is_available() -> bool {
        // POPCNT, BMI1 and BMI2 for `equal_positions_avx2`, which is
        // compiled with them: every AVX2 CPU has them.
        is_x86_feature_detected!("avx2")
            && is_x86_feature_detected!("popcnt")
            && is_x86_feature_detected!("bmi1")
            && is_x86_feature_detected!("bmi2")
    }

    /// The backend, if this CPU supports it.
    pub fn new() -> Option<Self> {
        Self::is_available().then_some(Avx2(()))
    }

    /// [`scalar::equal_positions`] of two rows of exactly 128 values, and
    /// how many there are.
    pub fn equal_positions_128(self, a: &[u16], b: &[u16]) -> (u128, u32) {
        assert!(a.len() == 128 && b.len() == 128, "rows of 128");
        // SAFETY: an `Avx2` exists only where the CPU supports AVX2, POPCNT,
        // BMI1 and BMI2; both rows hold 128 values, as asserted.
        unsafe { equal_positions_avx2(a, b) }
    }

    /// Same contract as [`scalar::sign`].
    pub fn sign(self, mul: &[u32], add: &[u32], shingles: &[u64], out: &mut [u32]) {
        // SAFETY: an `Avx2` exists only where the CPU supports AVX2.
        unsafe { sign_avx2(mul, add, shingles, out) }
    }
}

/// `permute` on 8 lanes: `a * x + b` modulo 2^32, then the running minimum.
#[inline(always)]
unsafe fn step(m: __m256i, x: __m256i, a: __m256i, b: __m256i) -> __m256i {
    _mm256_min_epu32(m, _mm256_add_epi32(_mm256_mullo_epi32(x, a), b))
}

/// Shingles mixed per block: the mixed values live on the stack (4 KB),
/// so signing allocates nothing; the running minima go back to `out`
/// between blocks, once per 1,024 shingles.
const BLOCK: usize = 1024;

/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
unsafe fn sign_avx2(mul: &[u32], add: &[u32], shingles: &[u64], out: &mut [u32]) {
    assert!(mul.len() == out.len() && add.len() == out.len());
    out.fill(u32::MAX);
    let k = out.len();
    let full = k / 32 * 32;
    let load = |v: &[u32], i: usize| _mm256_loadu_si256(v.as_ptr().add(i) as *const __m256i);
    let mut buf = [0u32; BLOCK];
    for block in shingles.chunks(BLOCK) {
        // Mix the shingles once: each is used k / 8 times.
        for (m, &x) in buf.iter_mut().zip(block) {
            *m = scalar::mix(x);
        }
        let mixed = &buf[..block.len()];
        let mut base = 0;
        while base < full {
            // SAFETY: base + 32 <= k = mul.len() = add.len() = out.len(); unaligned loads/stores.
            let (a0, a1, a2, a3) = (
                load(mul, base),
                load(mul, base + 8),
                load(mul, base + 16),
                load(mul, base + 24),
            );
            let (b0, b1, b2, b3) = (
                load(add, base),
                load(add, base + 8),
                load(add, base + 16),
                load(add, base + 24),
            );
            let (mut m0, mut m1, mut m2, mut m3) = (
                load(out, base),
                load(out, base + 8),
                load(out, base + 16),
                load(out, base + 24),
            );
            for &f in mixed {
                let x = _mm256_set1_epi32(f as i32);
                m0 = step(m0, x, a0, b0);
                m1 = step(m1, x, a1, b1);
                m2 = step(m2, x, a2, b2);
                m3 = step(m3, x, a3, b3);
            }
            let op = out.as_mut_ptr().add(base) as *mut __m256i;
            _mm256_storeu_si256(op, m0);
            _mm256_storeu_si256(op.add(1), m1);
            _mm256_storeu_si256(op.add(2), m2);
            _mm256_storeu_si256(op.add(3), m3);
            base += 32;
        }
        // Remaining groups of 8, then the scalar tail.
        while base + 8 <= k {
            // SAFETY: base + 8 <= k.
            let (a, b) = (load(mul, base), load(add, base));
            let mut m = load(out, base);
            for &f in mixed {
                m = step(m, _mm256_set1_epi32(f as i32), a, b);
            }
            _mm256_storeu_si256(out.as_mut_ptr().add(base) as *mut __m256i, m);
            base += 8;
        }
        if base < k {
            scalar::fold_in(&mul[base..], &add[base..], block, &mut out[base..]);
        }
    }
}

/// Equal 16-bit lanes of 128-value rows as bits: 16 lanes compared per
/// instruction, pairs of results narrowed to bytes (`packs` keeps 0 and
/// -1) and their mask taken, 32 positions per `movemask`.
///
/// The count is made here, with the POPCNT instruction: the baseline
/// x86-64 target has none, and `count_ones` of the bits in the verifier
/// compiled to two dozen instructions per pair checked.
///
/// # Safety
/// The CPU must support AVX2, POPCNT, BMI1 and BMI2; `a` and `b` must
/// hold 128 values each.
#[target_feature(enable = "avx2,popcnt,bmi1,bmi2")]
unsafe fn equal_positions_avx2(a: &[u16], b: &[u16]) -> (u128, u32) {
    let load = |v: &[u16], i: usize| _mm256_loadu_si256(v.as_ptr().add(i) as *const __m256i);
    // Positions i..i+32 as 32 bits.
    let bits32 = |i: usize| {
        let e0 = _mm256_cmpeq_epi16(load(a, i), load(b, i));
        let e1 = _mm256_cmpeq_epi16(load(a, i + 16), load(b, i + 16));
        // packs works per 128-bit lane: quarters e0[0..8], e1[0..8],
        // e0[8..16], e1[8..16]; reorder them to e0, e1.
        let packed = _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packs_epi16(e0, e1));
        _mm256_movemask_epi8(packed) as u32 as u128
    };
    let bits = bits32(0) | bits32(32) << 32 | bits32(64) << 64 | bits32(96) << 96;
    (bits, bits.count_ones())
}
