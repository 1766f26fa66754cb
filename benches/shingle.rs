//! Normalize and shingle: bytes of article text per second, on generated
//! wire stories (fixed seed). `normalize+shingle` is the fused pair as the
//! scan runs it, with the default shingles.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use wiretrace::normalize::{NormText, Normalizer};
use wiretrace::shingle::Shingler;
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
    g.bench_function("normalize+shingle", |b| {
        let (mut norm, mut out) = (NormText::default(), Vec::new());
        b.iter(|| {
            for t in &texts {
                normalizer.normalize_into(t, &mut norm);
                shingler.shingles_into(&norm, &mut out);
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
