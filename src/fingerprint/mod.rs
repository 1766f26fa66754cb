//! `(title, text, outlet, time)` -> `Fingerprint`: everything the later
//! stages read of an article, as plain data.
//!
//! A [`Fingerprinter`] owns the stages that make a fingerprint (the
//! normalizer, the shingler, the MinHash hasher, the lede sketcher and the
//! headline stop words), built once from a [`Config`]. Its
//! [`Fingerprinter::fingerprint`] normalizes and shingles a text, signs the
//! shingle set (k values) and its opening (the lede signature, see
//! `lsh::lede`), and sketches the anchors, figures and headline words that
//! verification weighs. The result, a [`Fingerprint`], is small (481 bytes
//! at k = 128), owns no text, and is all that banding
//! ([`crate::lsh::Banding::keys`]), verification ([`crate::verify::pair`])
//! and clustering ([`crate::cluster::FingerprintCores`]) need: a scan, an
//! index and a distributed job that fingerprint with the same config get
//! the same answers bit for bit.
//!
//! [`Fingerprint::to_bytes`] / [`Fingerprint::from_bytes`] store it in a
//! fixed little-endian layout (`docs/fingerprint.md`), versioned by a magic
//! and a version byte, lossless.
//!
//! The scan ([`crate::pipeline::scan_inputs`]) calls
//! [`Fingerprinter::fingerprint_with`] in its fused read pass, with one
//! [`Scratch`] per thread so that no buffer is allocated per article but
//! the signature the fingerprint keeps.

mod bytes;

pub use bytes::{DecodeError, MAGIC, VERSION};

use crate::config::Config;
use crate::error::Error;
use crate::lsh::lede::{LedeSketcher, LEDE_K};
use crate::minhash::MinHasher;
use crate::normalize::{NormText, Normalizer};
use crate::shingle::{SeenSet, Shingler, StopSet};
use crate::verify::{AnchorSketch, FigureSketch, Header};
use rayon::prelude::*;
use std::time::Instant;

/// Most bytes of one article's text that are fingerprinted. News articles
/// are kilobytes; a text of many megabytes is a dump or a crawl gone wrong,
/// and its first 16 MB (two million words or more) say all that similarity
/// needs, while normalizing the rest would cost memory several times its
/// size. (The scan gives such articles a notice.)
pub const MAX_FINGERPRINT_BYTES: usize = 16 << 20;

/// The part of `text` that is fingerprinted: all of it, or its first
/// [`MAX_FINGERPRINT_BYTES`] cut at a character boundary.
pub fn fingerprinted(text: &str) -> &str {
    if text.len() <= MAX_FINGERPRINT_BYTES {
        return text;
    }
    let mut end = MAX_FINGERPRINT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// One article's fingerprint: its MinHash signature as the scan keeps it,
/// its lede signature, its shingle-set size, and the sketches and header
/// verification reads. Plain data: compare, clone, store
/// ([`Fingerprint::to_bytes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub(crate) signature: SigValues,
    pub(crate) lede: [u16; LEDE_K],
    pub(crate) size: u32,
    pub(crate) anchors: AnchorSketch,
    pub(crate) figures: FigureSketch,
    pub(crate) header: Header,
}

/// Signatures of up to this many values (the default k, 128) are held
/// inside the fingerprint, not on the heap.
const INLINE_K: usize = 128;

/// A fingerprint's signature values: inline up to [`INLINE_K`], so that
/// making a fingerprint allocates nothing. The scan makes fingerprints on
/// the threads that parse and drops them on the one that gathers; with the
/// system allocator each such free of another thread's block took that
/// thread's arena lock, and on 2 cores the threads slept on it about 2,000
/// times a second (`perf record -e sched:sched_switch`: most in the drop of
/// a fingerprint).
// The large inline variant is the point: the heap one is the exception.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub(crate) enum SigValues {
    Inline { len: u16, values: [u16; INLINE_K] },
    Heap(Box<[u16]>),
}

impl std::ops::Deref for SigValues {
    type Target = [u16];
    fn deref(&self) -> &[u16] {
        match self {
            SigValues::Inline { len, values } => &values[..*len as usize],
            SigValues::Heap(v) => v,
        }
    }
}

impl PartialEq for SigValues {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for SigValues {}

impl std::fmt::Debug for SigValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl FromIterator<u16> for SigValues {
    fn from_iter<I: IntoIterator<Item = u16>>(iter: I) -> Self {
        let mut values = [0u16; INLINE_K];
        let mut len = 0;
        let mut iter = iter.into_iter();
        for v in iter.by_ref() {
            if len == INLINE_K {
                let mut heap = values.to_vec();
                heap.push(v);
                heap.extend(iter);
                return SigValues::Heap(heap.into_boxed_slice());
            }
            values[len] = v;
            len += 1;
        }
        SigValues::Inline {
            len: len as u16,
            values,
        }
    }
}

impl Fingerprint {
    /// The MinHash signature: the low 16 bits of each of the `k` minima
    /// (b-bit minwise hashing, see `minhash`), as the scan's table holds
    /// them. Agreeing positions estimate Jaccard similarity.
    pub fn signature(&self) -> &[u16] {
        &self.signature
    }

    /// The lede signature: [`LEDE_K`] values (low 16 bits) of the MinHash
    /// of the article's first `lsh::lede::LEDE_SHINGLES` distinct shingles.
    pub fn lede_signature(&self) -> &[u16; LEDE_K] {
        &self.lede
    }

    /// Distinct shingles of the (normalized) text.
    pub fn shingle_count(&self) -> u32 {
        self.size
    }

    /// The anchor sketch (names and numbers).
    pub fn anchors(&self) -> &AnchorSketch {
        &self.anchors
    }

    /// The figure sketch (runs of words with a digit).
    pub fn figures(&self) -> &FigureSketch {
        &self.figures
    }

    /// The header: headline words, outlet and time.
    pub fn header(&self) -> &Header {
        &self.header
    }
}

/// One article to fingerprint, for [`Fingerprinter::fingerprint_batch`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Input<'a> {
    /// Headline, if any.
    pub title: Option<&'a str>,
    /// Body text.
    pub text: &'a str,
    /// Outlet (`source`), if any.
    pub outlet: Option<&'a str>,
    /// Publication time, seconds since the epoch, if known.
    pub published: Option<i64>,
}

/// Reusable buffers of [`Fingerprinter::fingerprint_with`]: one per thread.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: NormText,
    shingles: Vec<u64>,
    seen: SeenSet,
    sig: Vec<u32>,
    nanos: StageNanos,
}

impl Scratch {
    /// Empty buffers (they grow to the largest article seen).
    pub fn new() -> Self {
        Self::default()
    }

    /// CPU time spent in each sub-stage since the last call, and resets it.
    pub fn take_nanos(&mut self) -> StageNanos {
        std::mem::take(&mut self.nanos)
    }
}

/// CPU nanoseconds per sub-stage of fingerprinting (the scan reports them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageNanos {
    /// Normalizing the body.
    pub normalize: u64,
    /// Shingling.
    pub shingle: u64,
    /// Signing (MinHash and lede signature).
    pub minhash: u64,
}

/// Makes fingerprints: the normalizer, shingler, hasher, lede sketcher and
/// stop words of one config, built once (the boilerplate regexes and the
/// hash seeds cost more to build than an article to fingerprint).
#[derive(Debug, Clone)]
pub struct Fingerprinter {
    normalizer: Normalizer,
    shingler: Shingler,
    hasher: MinHasher,
    lede: LedeSketcher,
    stop: StopSet,
}

fn nanos(since: Instant) -> (u64, Instant) {
    let now = Instant::now();
    ((now - since).as_nanos() as u64, now)
}

impl Fingerprinter {
    /// The stages of `cfg` (its boilerplate patterns, shingle kinds,
    /// signature length and seed).
    ///
    /// Fails when the config is invalid ([`Config::validate`]) or a user
    /// boilerplate pattern does not compile.
    pub fn new(cfg: &Config) -> Result<Fingerprinter, Error> {
        cfg.validate()?;
        let normalizer = Normalizer::new(&cfg.boilerplate)
            .map_err(|(i, why)| Error::Config(format!("boilerplate pattern #{}: {why}", i + 1)))?;
        Ok(Fingerprinter {
            normalizer,
            shingler: Shingler::new(&cfg.shingles, cfg.seed),
            hasher: MinHasher::new(cfg.num_perm, cfg.seed),
            lede: LedeSketcher::new(cfg.seed),
            stop: crate::shingle::stopwords::english(),
        })
    }

    /// Signature length `k`.
    pub fn k(&self) -> usize {
        self.hasher.k()
    }

    /// The MinHash hasher (its backend is in the scan's figures).
    pub fn hasher(&self) -> &MinHasher {
        &self.hasher
    }

    /// The normalizer.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// The fingerprint of one article: headline `title`, body `text` (its
    /// first [`MAX_FINGERPRINT_BYTES`]), published by `outlet` at
    /// `published` (seconds since the epoch).
    pub fn fingerprint(
        &self,
        title: Option<&str>,
        text: &str,
        outlet: Option<&str>,
        published: Option<i64>,
    ) -> Fingerprint {
        self.fingerprint_with(&mut Scratch::new(), title, text, outlet, published)
    }

    /// [`Fingerprinter::fingerprint`] with buffers kept between calls (the
    /// hot path: one `Scratch` per thread). Adds the time of each sub-stage
    /// to `scratch` ([`Scratch::take_nanos`]).
    pub fn fingerprint_with(
        &self,
        scratch: &mut Scratch,
        title: Option<&str>,
        text: &str,
        outlet: Option<&str>,
        published: Option<i64>,
    ) -> Fingerprint {
        let Scratch {
            norm,
            shingles,
            seen,
            sig,
            nanos: clock,
        } = scratch;
        let t0 = Instant::now();
        self.normalizer.normalize_into(fingerprinted(text), norm);
        let (n, t1) = nanos(t0);
        clock.normalize += n;
        self.shingler.distinct_into(norm, shingles, seen);
        let (n, t2) = nanos(t1);
        clock.shingle += n;
        sig.resize(self.hasher.k(), 0);
        self.hasher.sign_into(shingles, sig);
        // The low 16 bits are what the scan's table keeps (`Signatures`):
        // narrowing here halves what a fingerprint holds and sends between
        // threads, and loses nothing any later stage reads.
        let signature: SigValues = sig.iter().map(|&v| v as u16).collect();
        let mut lede32 = [0u32; LEDE_K];
        self.lede.sign_into(shingles, &mut lede32);
        let lede = lede32.map(|v| v as u16);
        let (n, _) = nanos(t2);
        clock.minhash += n;
        let anchors = AnchorSketch::of(&norm.anchors);
        let figures = FigureSketch::of(&norm.figures);
        // `title_into` reuses the body's buffers: the sketches above are
        // made first.
        self.normalizer.title_into(title.unwrap_or(""), norm);
        let header = Header::new(&mut norm.words, &self.stop, outlet, published);
        Fingerprint {
            signature,
            lede,
            size: shingles.len() as u32,
            anchors,
            figures,
            header,
        }
    }

    /// The fingerprints of `inputs`, in order, made in parallel on the
    /// current rayon pool (the caller's choice of threads), one [`Scratch`]
    /// per worker.
    pub fn fingerprint_batch(&self, inputs: &[Input<'_>]) -> Vec<Fingerprint> {
        inputs
            .par_iter()
            .with_min_len(64)
            .map_init(Scratch::new, |s, i| {
                self.fingerprint_with(s, i.title, i.text, i.outlet, i.published)
            })
            .collect()
    }

    /// The distinct shingles of `text` (its first [`MAX_FINGERPRINT_BYTES`])
    /// as the fingerprint counted them: listed in `out` in first-seen order
    /// and held in `seen`, for exact counts against a long article with no
    /// sort of its set (see `pipeline`'s lede pass). `norm` is scratch.
    pub fn distinct_shingles(
        &self,
        text: &str,
        norm: &mut NormText,
        out: &mut Vec<u64>,
        seen: &mut SeenSet,
    ) {
        self.normalizer.words_into(fingerprinted(text), norm);
        self.shingler.distinct_into(norm, out, seen);
    }

    /// The sorted, deduplicated shingle set of `text` (its first
    /// [`MAX_FINGERPRINT_BYTES`]), as the fingerprint counted it: what
    /// exact counts ([`crate::verify::lede_pair_exact`], `--exact`) read.
    pub fn shingle_set(&self, text: &str) -> Vec<u64> {
        self.shingler
            .shingles(&self.normalizer.normalize(fingerprinted(text)))
    }
}

#[cfg(test)]
mod tests;
