//! MinHash signatures: scalar reference and SIMD in one group, so their
//! ratio is read from one run.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use wiretrace::minhash::{Backend, MinHasher};

fn bench(c: &mut Criterion) {
    let mut state = 3;
    let sets: Vec<Vec<u64>> = (0..100)
        .map(|_| {
            let mut v: Vec<u64> = (0..700).map(|_| common::next(&mut state)).collect();
            v.sort_unstable();
            v
        })
        .collect();
    let shingles: usize = sets.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("minhash");
    g.throughput(Throughput::Elements(shingles as u64));
    for k in [64, 128, 256] {
        for backend in Backend::available() {
            let h = MinHasher::with_backend(k, 1, backend);
            g.bench_with_input(BenchmarkId::new(format!("{backend:?}"), k), &k, |b, _| {
                let mut out = vec![0u32; k];
                b.iter(|| {
                    for s in &sets {
                        h.sign_into(s, &mut out);
                        black_box(&out);
                    }
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
