//! The one switch of every SIMD path, read once.
//!
//! Each stage with a vector path (normalize's byte classifier, MinHash
//! signing and signature comparison) detects the CPU once, when its
//! object is made, and holds a zero-sized token that proves the feature
//! (`Avx2(())`, made only by a checked constructor), as memchr does: no hot
//! path re-detects or creates a token unchecked. Whether vector paths may
//! be used at all is this module's answer, from the environment at the
//! first call: `WIRETRACE_SIMD=off` forces every stage onto its scalar
//! reference, for tests that compare the two and for machines where a
//! vector path is suspect.

use std::sync::OnceLock;

/// Whether SIMD paths may be used: false when `WIRETRACE_SIMD` is `off`
/// (any case). The environment is read at the first call only; later
/// changes to it are not seen.
pub fn allowed() -> bool {
    static ALLOWED: OnceLock<bool> = OnceLock::new();
    *ALLOWED.get_or_init(|| {
        !std::env::var("WIRETRACE_SIMD").is_ok_and(|v| v.eq_ignore_ascii_case("off"))
    })
}
