//! Seed derivation: every hash in a scan is seeded from `Config::seed`.

/// SplitMix64 step: a well-mixed 64-bit value from `x`.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An independent seed for the purpose named by `tag`, derived from `seed`.
pub fn derive(seed: u64, tag: u64) -> u64 {
    splitmix64(seed ^ splitmix64(tag))
}
