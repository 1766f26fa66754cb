//! AVX2 signatures: 8 hash functions per vector, 4 vectors per pass over the
//! shingles (32 functions), so the running minimums stay in registers.

use super::scalar;
use std::arch::x86_64::*;

/// The AVX2 backend. Constructed only where the CPU supports AVX2.
#[derive(Debug, Clone, Copy)]
pub struct Avx2(());

impl Avx2 {
    /// Whether this CPU has AVX2 (detected by the standard library, which
    /// caches the answer).
    pub fn is_available() -> bool {
        is_x86_feature_detected!("avx2")
    }

    /// The backend, if this CPU supports it.
    pub fn new() -> Option<Self> {
        Self::is_available().then_some(Avx2(()))
    }

    /// The backend without checking the CPU.
    ///
    /// # Safety
    /// The caller must know that the CPU supports AVX2.
    pub unsafe fn new_unchecked() -> Self {
        Avx2(())
    }

    /// Same contract as [`scalar::sign`].
    pub fn sign(self, seeds: &[u32], shingles: &[u64], out: &mut [u32]) {
        // SAFETY: an `Avx2` exists only where the CPU supports AVX2.
        unsafe { sign_avx2(seeds, shingles, out) }
    }
}

#[inline(always)]
unsafe fn fmix32_v(mut h: __m256i) -> __m256i {
    let c1 = _mm256_set1_epi32(0x85eb_ca6b_u32 as i32);
    let c2 = _mm256_set1_epi32(0xc2b2_ae35_u32 as i32);
    h = _mm256_xor_si256(h, _mm256_srli_epi32::<16>(h));
    h = _mm256_mullo_epi32(h, c1);
    h = _mm256_xor_si256(h, _mm256_srli_epi32::<13>(h));
    h = _mm256_mullo_epi32(h, c2);
    _mm256_xor_si256(h, _mm256_srli_epi32::<16>(h))
}

/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
unsafe fn sign_avx2(seeds: &[u32], shingles: &[u64], out: &mut [u32]) {
    assert_eq!(seeds.len(), out.len());
    out.fill(u32::MAX);
    let k = seeds.len();
    let full = k / 32 * 32;
    // Pre-fold the shingles once: each is used k / 8 times.
    let folded: Vec<u32> = shingles.iter().map(|&x| scalar::fold(x)).collect();
    let mut base = 0;
    while base < full {
        // SAFETY: base + 32 <= k = seeds.len() = out.len(); unaligned loads/stores.
        let sp = seeds.as_ptr().add(base) as *const __m256i;
        let s0 = _mm256_loadu_si256(sp);
        let s1 = _mm256_loadu_si256(sp.add(1));
        let s2 = _mm256_loadu_si256(sp.add(2));
        let s3 = _mm256_loadu_si256(sp.add(3));
        let max = _mm256_set1_epi32(-1);
        let (mut m0, mut m1, mut m2, mut m3) = (max, max, max, max);
        for &f in &folded {
            let x = _mm256_set1_epi32(f as i32);
            m0 = _mm256_min_epu32(m0, fmix32_v(_mm256_xor_si256(x, s0)));
            m1 = _mm256_min_epu32(m1, fmix32_v(_mm256_xor_si256(x, s1)));
            m2 = _mm256_min_epu32(m2, fmix32_v(_mm256_xor_si256(x, s2)));
            m3 = _mm256_min_epu32(m3, fmix32_v(_mm256_xor_si256(x, s3)));
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
        let s = _mm256_loadu_si256(seeds.as_ptr().add(base) as *const __m256i);
        let mut m = _mm256_set1_epi32(-1);
        for &f in &folded {
            m = _mm256_min_epu32(
                m,
                fmix32_v(_mm256_xor_si256(_mm256_set1_epi32(f as i32), s)),
            );
        }
        _mm256_storeu_si256(out.as_mut_ptr().add(base) as *mut __m256i, m);
        base += 8;
    }
    if base < k {
        scalar::sign(&seeds[base..], shingles, &mut out[base..]);
    }
}
