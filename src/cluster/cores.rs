//! [`Cores`] from fingerprints: the scan's choice of cores, as plain data.

use super::Cores;
use crate::fingerprint::Fingerprint;
use crate::minhash::{agreeing, jaccard_of, Signatures};
use crate::verify::{containment_from_jaccard, Headers, Rules};

/// The cores the scan uses: the earliest dated member, then the one with
/// the most text (an excerpt is shorter than its original), then the first
/// read; two cores are alike when their signatures say so at the relaxed
/// bar of [`Rules::cores_alike`].
///
/// Built from a slice of fingerprints ([`FingerprintCores::of`]: an index,
/// a batch fingerprinted through the public API) or from a scan's tables
/// ([`FingerprintCores::of_tables`]); both read the same values (the
/// 16-bit signatures, shingle-set sizes and publication times), so they
/// give the same clusters for the same articles and edges.
#[derive(Debug, Clone, Copy)]
pub struct FingerprintCores<'a> {
    source: Source<'a>,
    rules: &'a Rules,
}

#[derive(Debug, Clone, Copy)]
enum Source<'a> {
    Fingerprints(&'a [Fingerprint]),
    Tables {
        sigs: &'a Signatures,
        sizes: &'a [u32],
        headers: &'a Headers,
    },
}

impl<'a> FingerprintCores<'a> {
    /// Cores of articles `0..fps.len()` (article `i` is `fps[i]`).
    pub fn of(fps: &'a [Fingerprint], rules: &'a Rules) -> Self {
        FingerprintCores {
            source: Source::Fingerprints(fps),
            rules,
        }
    }

    /// Cores of the articles of a scan's tables: signatures, shingle-set
    /// sizes and headers (for publication times), one row per article.
    pub fn of_tables(
        sigs: &'a Signatures,
        sizes: &'a [u32],
        headers: &'a Headers,
        rules: &'a Rules,
    ) -> Self {
        FingerprintCores {
            source: Source::Tables {
                sigs,
                sizes,
                headers,
            },
            rules,
        }
    }

    fn size(&self, i: usize) -> u32 {
        match self.source {
            Source::Fingerprints(f) => f[i].shingle_count(),
            Source::Tables { sizes, .. } => sizes[i],
        }
    }

    fn published(&self, i: usize) -> Option<i64> {
        match self.source {
            Source::Fingerprints(f) => f[i].header().published(),
            Source::Tables { headers, .. } => headers.published(i),
        }
    }

    fn jaccard(&self, a: usize, b: usize) -> f64 {
        match self.source {
            Source::Fingerprints(f) => {
                let (sa, sb) = (f[a].signature(), f[b].signature());
                if sa.is_empty() || sa.len() != sb.len() {
                    return 0.0;
                }
                jaccard_of(agreeing(sa, sb), sa.len())
            }
            Source::Tables { sigs, .. } => sigs.jaccard(a, b),
        }
    }
}

impl Cores for FingerprintCores<'_> {
    fn prefer(&self, a: u32, b: u32) -> bool {
        let (a, b) = (a as usize, b as usize);
        // Undated sorts last; dates lie in the years 0-9999 (ingest makes
        // others undated), so `i64::MAX` is never a real one.
        let key = |i: usize| {
            (
                self.published(i).unwrap_or(i64::MAX),
                std::cmp::Reverse(self.size(i)),
                i,
            )
        };
        key(a) <= key(b)
    }

    fn alike(&self, a: u32, b: u32) -> bool {
        let (a, b) = (a as usize, b as usize);
        let j = self.jaccard(a, b);
        let c = containment_from_jaccard(j, self.size(a), self.size(b));
        self.rules.cores_alike(j, c)
    }
}
