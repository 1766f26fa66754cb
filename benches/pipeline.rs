//! Ingest alone (find lines, parse JSON, extract fields) and the whole scan
//! end to end (JSON Lines bytes in memory -> clusters), on a generated
//! corpus (fixed seed); bytes of input per second. The scan runs at the
//! default settings and at the comparison settings (word 5-grams, Jaccard
//! 0.5), since the issue asks for both where they differ. Lineage of the
//! scan's clusters (tokenize, align, classify) is benched apart: it runs
//! when a report is written, and folds text one word at a time.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use wiretrace::ingest::{self, Inputs, ReadOptions};
use wiretrace::{lineage, pipeline, Config, ShingleSpec};

const ARTICLES: usize = 2_000;

fn bench(c: &mut Criterion) {
    let corpus = common::corpus(ARTICLES, common::SEED);
    let default = Config::default();
    let word5 = Config {
        shingles: vec![ShingleSpec::Word(5)],
        threshold: 0.5,
        ..Config::default()
    };

    let mut g = c.benchmark_group("ingest");
    g.throughput(Throughput::Bytes(corpus.len() as u64));
    g.bench_function("parse", |b| {
        let inputs = Inputs::from_jsonl("bench", corpus.clone());
        let opts = ReadOptions::from_config(&default);
        b.iter(|| black_box(ingest::read(&inputs, &opts).len()))
    });
    g.finish();

    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(corpus.len() as u64));
    for (name, cfg) in [("scan", &default), ("scan_word5", &word5)] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || Inputs::from_jsonl("bench", corpus.clone()),
                |inputs| {
                    black_box(
                        pipeline::scan_inputs(cfg, inputs, &pipeline::NoProgress)
                            .expect("scan")
                            .clusters
                            .count,
                    )
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();

    let mut g = c.benchmark_group("lineage");
    g.throughput(Throughput::Bytes(corpus.len() as u64));
    let scan = pipeline::scan_inputs(
        &default,
        Inputs::from_jsonl("bench", corpus.clone()),
        &pipeline::NoProgress,
    )
    .expect("scan");
    g.bench_function("trace_scan", |b| {
        b.iter(|| black_box(lineage::trace_scan(&scan).len()))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::heavy();
    targets = bench
}
criterion_main!(benches);
