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

criterion_group! {
    name = benches;
    config = common::light();
    targets = bench
}
criterion_main!(benches);
