//! Bench inputs from a fixed seed. Text comes from the corpus generator
//! (`wiretrace_gen::gen`: English-looking wire stories with copies, spun and
//! OCR-damaged versions, templated news), so normalize, shingle and LSH see
//! realistic words, lengths and duplicate structure; MinHash also gets
//! shingle sets of realistic sizes from it.

#![allow(dead_code)]

use criterion::Criterion;
use std::time::Duration;
use wiretrace::minhash::{MinHasher, Signatures};
use wiretrace::normalize::{NormText, Normalizer};
use wiretrace::shingle::Shingler;
use wiretrace::verify::{AnchorSketches, Evidence, FigureSketch, FigureSketches, Header, Headers};
use wiretrace::Config;
use wiretrace_gen::gen::{self, GenConfig};

/// Seed of every generated bench corpus.
pub const SEED: u64 = 42;

/// Criterion settings for the heavy groups (a whole corpus per iteration):
/// 10 samples, short warm-up, so `cargo bench` stays in minutes on 2 cores.
pub fn heavy() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
}

/// Criterion settings for the light groups.
pub fn light() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

/// A generated JSON Lines corpus of `n` articles (the bytes `wiretrace gen`
/// writes with `--articles n --seed seed`).
pub fn corpus(n: usize, seed: u64) -> Vec<u8> {
    let cfg = GenConfig {
        seed,
        articles: n,
        ..GenConfig::default()
    };
    let mut out = Vec::new();
    gen::generate(&cfg, &mut out, &mut std::io::sink()).expect("valid generator config");
    out
}

/// The article texts of a generated corpus of `n` articles.
pub fn texts(n: usize, seed: u64) -> Vec<String> {
    texts_of(&corpus(n, seed))
}

/// [`texts`] in another of the generator's languages.
pub fn texts_in(n: usize, seed: u64, language: gen::Language) -> Vec<String> {
    let cfg = GenConfig {
        seed,
        articles: n,
        language,
        ..GenConfig::default()
    };
    let mut out = Vec::new();
    gen::generate(&cfg, &mut out, &mut std::io::sink()).expect("valid generator config");
    texts_of(&out)
}

fn texts_of(corpus: &[u8]) -> Vec<String> {
    corpus
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_slice(l).expect("generator writes JSON");
            v["text"].as_str().unwrap_or_default().to_string()
        })
        .collect()
}

/// Shingle sets (sorted, deduplicated hashes) of `texts` under `cfg`.
pub fn shingle_sets(texts: &[String], cfg: &Config) -> Vec<Vec<u64>> {
    let normalizer = Normalizer::new(&cfg.boilerplate).expect("built-in patterns compile");
    let shingler = Shingler::new(&cfg.shingles, cfg.seed);
    let mut norm = NormText::default();
    texts
        .iter()
        .map(|t| {
            normalizer.normalize_into(t, &mut norm);
            shingler.shingles(&norm)
        })
        .collect()
}

/// What the fused fingerprint pass of a scan keeps per article.
pub struct Fingerprints {
    /// Signatures, one row per article.
    pub sigs: Signatures,
    /// Distinct shingles per article.
    pub sizes: Vec<u32>,
    /// Anchor sketches (names, numbers).
    pub anchors: AnchorSketches,
    /// Headers: the bench corpus is bodies only, so each is empty (no
    /// headline, outlet or time), which verification reads all the same.
    pub headers: Headers,
    /// Figure sketches (runs of words with a digit).
    pub figures: FigureSketches,
    /// Articles with enough shingles to fingerprint.
    pub eligible: Vec<bool>,
}

impl Fingerprints {
    /// What verification reads of these articles.
    pub fn evidence(&self) -> Evidence<'_> {
        Evidence {
            sizes: &self.sizes,
            anchors: &self.anchors,
            figures: &self.figures,
            headers: &self.headers,
        }
    }
}

/// Fingerprints of a generated corpus of `n` articles under `cfg`, made as
/// the scan makes them (normalize, shingle, sign; anchors kept).
pub fn fingerprints(n: usize, seed: u64, cfg: &Config) -> Fingerprints {
    let normalizer = Normalizer::new(&cfg.boilerplate).expect("built-in patterns compile");
    let shingler = Shingler::new(&cfg.shingles, cfg.seed);
    let hasher = MinHasher::new(cfg.num_perm, cfg.seed);
    let mut fp = Fingerprints {
        sigs: Signatures::new(cfg.num_perm),
        sizes: Vec::with_capacity(n),
        anchors: AnchorSketches::new(),
        headers: Headers::new(),
        figures: FigureSketches::new(),
        eligible: Vec::with_capacity(n),
    };
    let mut norm = NormText::default();
    let mut set = Vec::new();
    for t in texts(n, seed) {
        normalizer.normalize_into(&t, &mut norm);
        shingler.shingles_into(&norm, &mut set);
        fp.sigs.push(&hasher.sign(&set));
        fp.sizes.push(set.len() as u32);
        fp.anchors.push(&norm.anchors);
        fp.headers.push(&Header::none());
        fp.figures.push(&FigureSketch::of(&norm.figures));
        fp.eligible.push(set.len() >= cfg.min_shingles);
    }
    fp
}

/// SplitMix64.
pub fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
