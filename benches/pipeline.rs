//! End to end: JSON Lines bytes in memory -> clusters, and ingest alone.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use wiretrace::ingest::{self, Inputs, ReadOptions};
use wiretrace::{pipeline, Config};

fn bench(c: &mut Criterion) {
    let corpus = common::corpus(5_000, 42);
    let cfg = Config::default();
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(corpus.len() as u64));
    g.sample_size(10);
    g.bench_function("ingest", |b| {
        let inputs = Inputs::from_jsonl("bench", corpus.clone());
        let opts = ReadOptions::from_config(&cfg);
        b.iter(|| black_box(ingest::read(&inputs, &opts).len()))
    });
    g.bench_function("scan", |b| {
        b.iter(|| {
            let inputs = Inputs::from_jsonl("bench", corpus.clone());
            black_box(
                pipeline::scan_inputs(&cfg, inputs, &pipeline::NoProgress)
                    .expect("scan")
                    .clusters
                    .count,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
