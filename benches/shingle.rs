//! Normalize and shingle: bytes of article text per second, on generated
//! wire stories (fixed seed). Each shingle kind is measured as reports get
//! it (sorted set, `shingles_into`); `<default> distinct` and
//! `normalize+shingle` as the scan runs it (unsorted distinct set,
//! `distinct_into`), with the default shingles.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use wiretrace::normalize::{NormText, Normalizer};
use wiretrace::shingle::{SeenSet, Shingler};
use wiretrace::{Config, ShingleSpec};

fn bench(c: &mut Criterion) {
    let texts = common::texts(500, common::SEED);
    let bytes: usize = texts.iter().map(String::len).sum();
    let cfg = Config::default();
    let normalizer = Normalizer::new(&cfg.boilerplate).expect("built-in patterns compile");
    let mut g = c.benchmark_group("shingle");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("normalize", |b| {
        let mut out = NormText::default();
        b.iter(|| {
            for t in &texts {
                normalizer.normalize_into(t, &mut out);
                black_box(&out);
            }
        })
    });
    let norms: Vec<NormText> = texts.iter().map(|t| normalizer.normalize(t)).collect();
    let default = cfg.shingles[0];
    let mut specs = vec![default];
    for s in [ShingleSpec::Word(5), ShingleSpec::Char(5)] {
        if s != default {
            specs.push(s);
        }
    }
    for spec in specs {
        let s = Shingler::new(&[spec], cfg.seed);
        g.bench_function(spec.to_string(), |b| {
            let mut out = Vec::new();
            b.iter(|| {
                for n in &norms {
                    s.shingles_into(n, &mut out);
                    black_box(&out);
                }
            })
        });
    }
    let shingler = Shingler::new(&cfg.shingles, cfg.seed);
    g.bench_function(format!("{default} distinct"), |b| {
        let (mut out, mut seen) = (Vec::new(), SeenSet::default());
        b.iter(|| {
            for n in &norms {
                shingler.distinct_into(n, &mut out, &mut seen);
                black_box(&out);
            }
        })
    });
    g.bench_function("normalize+shingle", |b| {
        let (mut norm, mut out, mut seen) = (NormText::default(), Vec::new(), SeenSet::default());
        b.iter(|| {
            for t in &texts {
                normalizer.normalize_into(t, &mut norm);
                shingler.distinct_into(&norm, &mut out, &mut seen);
                black_box(&out);
            }
        })
    });
    g.finish();
}

/// `text` with each ASCII letter replaced by a letter of the two-byte
/// range `base..base + 26` (upper case from `upper..`): the same words,
/// lengths and punctuation in another alphabet.
fn transliterate(text: &str, lower: u32, upper: u32) -> String {
    text.chars()
        .map(|c| match c {
            'a'..='z' => char::from_u32(lower + (c as u32 - 'a' as u32)).unwrap_or(c),
            'A'..='Z' => char::from_u32(upper + (c as u32 - 'A' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Normalization by script (issue 18): the same generated stories in
/// ASCII, Cyrillic and Greek letters (two-byte UTF-8: the fast path), in
/// Latin with every vowel accented, and in generated Chinese (letters
/// written without spaces). Throughput is per byte of input.
fn scripts(c: &mut Criterion) {
    let ascii = common::texts(300, common::SEED);
    let accented: Vec<String> = ascii
        .iter()
        .map(|t| {
            t.chars()
                .map(|c| match c {
                    'a' => 'á',
                    'e' => 'é',
                    'o' => 'ö',
                    'u' => 'ü',
                    'i' => 'î',
                    _ => c,
                })
                .collect()
        })
        .collect();
    let cyrillic: Vec<String> = ascii
        .iter()
        .map(|t| transliterate(t, 0x430, 0x410))
        .collect();
    let greek: Vec<String> = ascii
        .iter()
        .map(|t| transliterate(t, 0x3B1, 0x391))
        .collect();
    let chinese = common::texts_in(300, common::SEED, wiretrace_gen::gen::Language::Chinese);
    let normalizer = Normalizer::new(&[]).expect("built-in patterns compile");
    let mut g = c.benchmark_group("normalize-scripts");
    for (name, texts) in [
        ("ascii", &ascii),
        ("latin-accented", &accented),
        ("cyrillic", &cyrillic),
        ("greek", &greek),
        ("chinese", &chinese),
    ] {
        let bytes: usize = texts.iter().map(String::len).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function(name, |b| {
            let mut out = NormText::default();
            b.iter(|| {
                for t in texts {
                    normalizer.normalize_into(t, &mut out);
                    black_box(&out);
                }
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::light();
    targets = bench, scripts
}
criterion_main!(benches);
