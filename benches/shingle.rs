//! Normalize + shingle throughput (bytes of article text per second).

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use wiretrace::normalize::{NormText, Normalizer};
use wiretrace::shingle::Shingler;
use wiretrace::ShingleSpec;

fn bench(c: &mut Criterion) {
    let mut state = 7;
    let texts: Vec<String> = (0..200).map(|_| common::article(&mut state, 700)).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let normalizer = Normalizer::new(&[]).expect("built-in patterns compile");
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
    for spec in [
        ShingleSpec::Word(3),
        ShingleSpec::Word(5),
        ShingleSpec::Char(5),
    ] {
        let s = Shingler::new(&[spec], 1);
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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
