//! Shingle set -> `Signature`: `k` minimum hash values (u32), one per hash function.
//!
//! Each shingle hash `x` (u64) is first mixed to 32 bits, once
//! ([`scalar::mix`], SplitMix64's finalizer); hash function `i` then maps
//! the mixed value `f` to `a_i * f + b_i` modulo 2^32, with `a_i` odd and
//! `b_i` drawn from the seed. Each function is a bijection of uniformly
//! distributed values, and because the minimum is decided by the high bits
//! of the product, which depend on every bit of `f`, the functions order a
//! set independently enough that position `i`'s minimum is shared by two
//! sets with probability their Jaccard similarity and positions do not
//! move together (tests.rs measures the spread of the estimate over many
//! pairs against the binomial one). One multiply and one add per function
//! and shingle, 8 lanes at a time with AVX2; the mixing (two 64-bit
//! multiplies) is paid once per shingle. The first family here,
//! `fmix32(f ^ seed_i)`, paid five operations more per function and
//! shingle for the same spread (signing took 2.6x the time; 100k articles,
//! same quality over 10 seeds). The share of agreeing positions estimates
//! J (standard error
//! `sqrt(J(1-J)/k)`). Minima are computed on u32 values; the table a scan
//! keeps ([`Signatures`]) holds only their low 16 bits (b-bit minwise
//! hashing, Li and König 2010): two sets then agree at a position with
//! probability `J + (1 - J) / 65536`, which [`Signatures::jaccard`] undoes
//! exactly, so the estimate loses nothing measurable while the table takes
//! 256 bytes per article at k = 128 instead of 512, and verification reads
//! half the memory.
//!
//! [`scalar`] defines the arithmetic; [`x86_64`] computes the same with AVX2
//! and is chosen once, at [`MinHasher::new`], when the CPU has it and
//! `WIRETRACE_SIMD` is not `off`. Results are bit-identical (tests.rs).
//! Signatures are plain rows of integers: they can be stored and appended.

pub mod scalar;
#[cfg(test)]
mod tests;
#[cfg(target_arch = "x86_64")]
pub mod x86_64;

use serde::Serialize;

/// Which implementation computes signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Portable loops: the reference.
    Scalar,
    /// AVX2, 8 lanes of u32.
    Avx2,
}

impl Backend {
    /// The fastest backend this CPU supports, unless `WIRETRACE_SIMD=off`.
    pub fn detect() -> Backend {
        if !crate::simd::allowed() {
            return Backend::Scalar;
        }
        #[cfg(target_arch = "x86_64")]
        if x86_64::Avx2::is_available() {
            return Backend::Avx2;
        }
        Backend::Scalar
    }

    /// Every backend this CPU can run (for tests and benches).
    pub fn available() -> Vec<Backend> {
        let mut v = vec![Backend::Scalar];
        #[cfg(target_arch = "x86_64")]
        if x86_64::Avx2::is_available() {
            v.push(Backend::Avx2);
        }
        v
    }
}

/// Signatures of many articles, stored row after row (`k` values each), as
/// the low 16 bits of each minimum (see the module notes).
#[derive(Debug, Clone, Default)]
pub struct Signatures {
    k: usize,
    data: Vec<u16>,
    /// The AVX2 token [`Signatures::equal_positions`] uses, where the CPU
    /// has AVX2 and `WIRETRACE_SIMD` is not `off`: decided once, at `new`,
    /// and held, so no comparison re-creates it unchecked.
    #[cfg(target_arch = "x86_64")]
    avx2: Option<x86_64::Avx2>,
}

/// The AVX2 token for `backend`, if it is AVX2 and the CPU has it.
#[cfg(target_arch = "x86_64")]
fn avx2_for(backend: Backend) -> Option<x86_64::Avx2> {
    match backend {
        Backend::Avx2 => x86_64::Avx2::new(),
        Backend::Scalar => None,
    }
}

/// Tables are equal when their signatures are (whichever comparison path
/// each would use).
impl PartialEq for Signatures {
    fn eq(&self, other: &Self) -> bool {
        self.k == other.k && self.data == other.data
    }
}

impl Eq for Signatures {}

/// Chance that two different minima agree in their low 16 bits.
const CHANCE: f64 = 1.0 / 65536.0;

impl Signatures {
    /// An empty table of signatures of length `k`.
    pub fn new(k: usize) -> Self {
        Signatures {
            k,
            data: Vec::new(),
            #[cfg(target_arch = "x86_64")]
            avx2: avx2_for(Backend::detect()),
        }
    }

    /// Signature length.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Number of signatures.
    pub fn len(&self) -> usize {
        self.data.len().checked_div(self.k).unwrap_or(0)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Reserves room for `n` more signatures.
    pub fn reserve(&mut self, n: usize) {
        self.data.reserve(n * self.k);
    }

    /// Signature `i`. Panics when `i >= len()`.
    pub fn get(&self, i: usize) -> &[u16] {
        &self.data[i * self.k..(i + 1) * self.k]
    }

    /// Appends one signature (its low 16 bits). Panics when its length is not `k`.
    pub fn push(&mut self, sig: &[u32]) {
        assert_eq!(sig.len(), self.k, "signature length");
        self.data.extend(sig.iter().map(|&v| v as u16));
    }

    /// Appends one signature already cut to its low 16 bits (a
    /// [`crate::fingerprint::Fingerprint::signature`]). Panics when its
    /// length is not `k`.
    pub fn push_values(&mut self, sig: &[u16]) {
        assert_eq!(sig.len(), self.k, "signature length");
        self.data.extend_from_slice(sig);
    }

    /// Appends all of `other` (same `k`): how tables from several runs merge.
    pub fn extend(&mut self, other: &Signatures) {
        assert_eq!(other.k, self.k, "signature length");
        self.data.extend_from_slice(&other.data);
    }

    /// The raw rows.
    pub fn as_slice(&self) -> &[u16] {
        &self.data
    }

    /// Asks the CPU to start loading signature `i` into cache (a hint: no
    /// effect on results; a no-op off x86_64). Verification reads rows in
    /// the random order of LSH buckets, which makes it wait on memory; the
    /// bucket scan calls this for the members of buckets a few ahead.
    pub fn prefetch(&self, i: usize) {
        #[cfg(target_arch = "x86_64")]
        if let Some(row) = self.data.get(i * self.k..(i + 1) * self.k) {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            for line in row.chunks(32) {
                // SAFETY: a prefetch is only a hint: it never faults and
                // never changes memory; SSE is part of the x86_64 baseline.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(line.as_ptr().cast()) }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = i;
    }

    /// [`Signatures::prefetch`] of the one cache line holding value `at`
    /// of signature `i`: banding reads a few values of every row, one band
    /// at a time, and rows 256 bytes apart defeat the CPU's own prefetcher
    /// at each new page.
    pub fn prefetch_value(&self, i: usize, at: usize) {
        #[cfg(target_arch = "x86_64")]
        if let Some(v) = self.data.get(i * self.k + at) {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            // SAFETY: a prefetch is only a hint: it never faults and never
            // changes memory; SSE is part of the x86_64 baseline.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(v).cast()) }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (i, at);
    }

    /// Estimated Jaccard similarity of signatures `a` and `b`: the share of
    /// agreeing positions, less the chance agreements of 16-bit values.
    pub fn jaccard(&self, a: usize, b: usize) -> f64 {
        let (a, b) = (self.get(a), self.get(b));
        if a.is_empty() {
            return 0.0;
        }
        self.jaccard_of(agreeing(a, b))
    }

    /// The Jaccard estimate from the number of agreeing positions (as
    /// [`Signatures::jaccard`] computes it).
    pub fn jaccard_of(&self, agreeing: usize) -> f64 {
        jaccard_of(agreeing, self.k)
    }

    /// The positions where signatures `a` and `b` agree, bit `i` for
    /// position `i`, when signatures have at most 128 positions (else
    /// `None`). Verification reads both rows once for this and answers
    /// from the bits both the Jaccard estimate (their count) and whether
    /// the pair shared an earlier LSH band
    /// ([`crate::lsh::Earlier::visited_before_in`]), which compared the
    /// rows band by band.
    #[inline]
    pub fn equal_positions(&self, a: usize, b: usize) -> Option<u128> {
        self.agreement(a, b).map(|(bits, _)| bits)
    }

    /// [`Signatures::equal_positions`] and how many positions agree (its
    /// `count_ones`, counted where the bits are made).
    #[inline]
    pub fn agreement(&self, a: usize, b: usize) -> Option<(u128, usize)> {
        if self.k > 128 {
            return None;
        }
        let (a, b) = (self.get(a), self.get(b));
        #[cfg(target_arch = "x86_64")]
        if let (Some(avx2), 128) = (self.avx2, self.k) {
            let (bits, n) = avx2.equal_positions_128(a, b);
            return Some((bits, n as usize));
        }
        let bits = scalar::equal_positions(a, b);
        Some((bits, bits.count_ones() as usize))
    }
}

/// The Jaccard estimate of two 16-bit signatures of `k` values that agree
/// at `agreeing` positions: their share, less the chance agreements of
/// 16-bit values (0 for `k` = 0). Scan tables and fingerprints both use it.
pub fn jaccard_of(agreeing: usize, k: usize) -> f64 {
    if k == 0 {
        return 0.0;
    }
    let p = agreeing as f64 / k as f64;
    ((p - CHANCE) / (1.0 - CHANCE)).clamp(0.0, 1.0)
}

/// Positions where two 16-bit rows agree. Counted in u16 lanes, a block at
/// a time, so the compiler keeps eight or sixteen lanes per instruction
/// (SSE2 or AVX2); `filter().count()` widened every match to 64 bits and
/// compared two values per step. This is the inner loop of verification.
pub(crate) fn agreeing(a: &[u16], b: &[u16]) -> usize {
    // A block's count fits in u16.
    const BLOCK: usize = 1 << 15;
    a.chunks(BLOCK)
        .zip(b.chunks(BLOCK))
        .map(|(a, b)| {
            a.iter()
                .zip(b)
                .fold(0u16, |n, (x, y)| n + u16::from(x == y)) as usize
        })
        .sum()
}

/// Share of positions where two signatures agree: the Jaccard estimate.
pub fn estimate_jaccard<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

/// Computes signatures with `k` seeded hash functions.
#[derive(Debug, Clone)]
pub struct MinHasher {
    /// Multipliers (odd) and addends of the hash functions, one each per position.
    mul: Vec<u32>,
    add: Vec<u32>,
    backend: Backend,
    /// The AVX2 token when `backend` is AVX2: made once, where the CPU was
    /// checked, and held (the token is the proof the CPU has AVX2).
    #[cfg(target_arch = "x86_64")]
    avx2: Option<x86_64::Avx2>,
}

impl MinHasher {
    /// `k` hash functions seeded from `seed`, on the best available backend.
    pub fn new(k: usize, seed: u64) -> Self {
        Self::with_backend(k, seed, Backend::detect())
    }

    /// As [`MinHasher::new`], on `backend`; falls back to scalar if the CPU
    /// lacks it.
    pub fn with_backend(k: usize, seed: u64, backend: Backend) -> Self {
        let words: Vec<u64> = (0..k as u64)
            .map(|i| crate::seeds::derive(seed, 0x4d48_0000 + i))
            .collect();
        let mul = words.iter().map(|&w| w as u32 | 1).collect();
        let add = words.iter().map(|&w| (w >> 32) as u32).collect();
        #[cfg(target_arch = "x86_64")]
        let avx2 = avx2_for(backend);
        #[cfg(target_arch = "x86_64")]
        let backend = if avx2.is_some() {
            Backend::Avx2
        } else {
            Backend::Scalar
        };
        #[cfg(not(target_arch = "x86_64"))]
        let backend = Backend::Scalar;
        MinHasher {
            mul,
            add,
            backend,
            #[cfg(target_arch = "x86_64")]
            avx2,
        }
    }

    /// Signature length.
    pub fn k(&self) -> usize {
        self.mul.len()
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Writes the signature of `shingles` into `out` (length `k`). An empty
    /// set gives all `u32::MAX`.
    pub fn sign_into(&self, shingles: &[u64], out: &mut [u32]) {
        assert_eq!(out.len(), self.k(), "signature length");
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = self.avx2 {
            return avx2.sign(&self.mul, &self.add, shingles, out);
        }
        scalar::sign(&self.mul, &self.add, shingles, out)
    }

    /// The signature of `shingles`, as a new vector.
    pub fn sign(&self, shingles: &[u64]) -> Vec<u32> {
        let mut out = vec![0; self.k()];
        self.sign_into(shingles, &mut out);
        out
    }
}
