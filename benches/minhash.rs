//! MinHash signatures: the scalar reference and every SIMD backend this CPU
//! has, in one group, so their ratio is read from one run. Inputs are the
//! shingle sets of generated articles under the default shingles (realistic
//! set sizes); throughput is shingles per second.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use wiretrace::minhash::{Backend, MinHasher};
use wiretrace::Config;

fn bench(c: &mut Criterion) {
    let cfg = Config::default();
    let sets = common::shingle_sets(&common::texts(200, common::SEED), &cfg);
    let shingles: usize = sets.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("minhash");
    g.throughput(Throughput::Elements(shingles as u64));
    for k in [64, 128, 256] {
        for backend in Backend::available() {
            let h = MinHasher::with_backend(k, cfg.seed, backend);
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

criterion_group! {
    name = benches;
    config = common::light();
    targets = bench
}
criterion_main!(benches);
