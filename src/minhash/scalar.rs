//! The reference arithmetic of a signature. Every other backend must give
//! exactly these values.

/// Folds a 64-bit shingle hash to the 32 bits the hash functions take.
#[inline(always)]
pub fn fold(x: u64) -> u32 {
    (x ^ (x >> 32)) as u32
}

/// MurmurHash3's 32-bit finalizer: a bijection with full avalanche.
#[inline(always)]
pub fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

/// `out[i] = min over x in shingles of fmix32(fold(x) ^ seeds[i])`, or
/// `u32::MAX` for an empty set.
pub fn sign(seeds: &[u32], shingles: &[u64], out: &mut [u32]) {
    out.fill(u32::MAX);
    for &x in shingles {
        let f = fold(x);
        for (o, &s) in out.iter_mut().zip(seeds) {
            let v = fmix32(f ^ s);
            if v < *o {
                *o = v;
            }
        }
    }
}
