//! The reference arithmetic of a signature. Every other backend must give
//! exactly these values.

/// Mixes a 64-bit shingle hash into the 32 bits the hash functions take:
/// the high half of SplitMix64's output, every bit of which depends on
/// every input bit. Paid once per shingle, not once per hash function, so
/// the functions themselves can be a single multiply-add (see the module
/// notes): a caller passing structured values (counters, small integers)
/// gets the same behaviour as one passing xxh3 output.
#[inline(always)]
pub fn mix(x: u64) -> u32 {
    (crate::seeds::splitmix64(x) >> 32) as u32
}

/// Hash function `i`: `a * x + b` modulo 2^32, with `a` odd (a bijection).
#[inline(always)]
pub fn permute(x: u32, a: u32, b: u32) -> u32 {
    x.wrapping_mul(a).wrapping_add(b)
}

/// `out[i] = min over x in shingles of permute(mix(x), mul[i], add[i])`, or
/// `u32::MAX` for an empty set.
pub fn sign(mul: &[u32], add: &[u32], shingles: &[u64], out: &mut [u32]) {
    out.fill(u32::MAX);
    fold_in(mul, add, shingles, out);
}

/// Lowers each `out[i]` to the minimum of it and the hashes of `shingles`
/// under function `i`: signing in parts.
pub fn fold_in(mul: &[u32], add: &[u32], shingles: &[u64], out: &mut [u32]) {
    for &x in shingles {
        let f = mix(x);
        // Written as a plain min so the compiler vectorizes it for any
        // target (SSE2, NEON): this loop is also the path off x86_64.
        for ((o, &a), &b) in out.iter_mut().zip(mul).zip(add) {
            *o = (*o).min(permute(f, a, b));
        }
    }
}

/// Bit `i` set where `a[i] == b[i]`, for rows of at most 128 values.
pub fn equal_positions(a: &[u16], b: &[u16]) -> u128 {
    assert!(a.len() == b.len() && a.len() <= 128, "rows of at most 128");
    a.iter()
        .zip(b)
        .enumerate()
        .fold(0, |m, (i, (x, y))| m | u128::from(x == y) << i)
}
