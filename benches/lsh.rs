//! LSH banding and candidate generation, verification of the candidates,
//! and clustering of the edges, on the fingerprints of a generated corpus
//! (fixed seed) under the default settings: the inputs the scan gives these
//! stages. Throughput: articles per second for `candidates`, `fused` and
//! `cluster`, candidate pairs per second for `verify`. `fused` is what the
//! scan runs: pairs verified where their bucket is scanned, only edges kept
//! (`candidates` then `verify` is the `--exact` order of work).

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use wiretrace::verify::{self, Rules};
use wiretrace::{cluster, lsh, Config};

const ARTICLES: usize = 20_000;

fn bench(c: &mut Criterion) {
    let cfg = Config::default();
    let fp = common::fingerprints(ARTICLES, common::SEED, &cfg);
    let params = lsh::params(cfg.candidate_threshold(), cfg.num_perm, 0.5, 0.5);
    let banding = lsh::Banding::new(params, cfg.seed, cfg.max_bucket);
    let cands = lsh::candidates(&fp.sigs, &fp.eligible, banding);
    let rules = Rules::from_config(&cfg);
    let ev = fp.evidence();
    let edges = verify::estimated(&cands.pairs, &fp.sigs, &ev, &rules);
    eprintln!(
        "lsh bench: {ARTICLES} articles, {} bands x {} rows, {} candidate pairs, {} edges",
        params.bands,
        params.rows,
        cands.pairs.len(),
        edges.len()
    );

    let mut g = c.benchmark_group("lsh");
    g.throughput(Throughput::Elements(ARTICLES as u64));
    g.bench_function("candidates", |b| {
        b.iter(|| black_box(lsh::candidates(&fp.sigs, &fp.eligible, banding)))
    });
    g.bench_function("fused", |b| {
        b.iter(|| {
            let mut edges = Vec::new();
            lsh::for_each_pair(
                &fp.sigs,
                &fp.eligible,
                banding,
                &|a, b, earlier, out: &mut Vec<verify::Edge>| {
                    out.extend(verify::estimate_pair(
                        a,
                        b,
                        &fp.sigs,
                        &ev,
                        &rules,
                        Some(earlier),
                    ))
                },
                &|i| fp.sigs.prefetch(i as usize),
                |found| edges.extend(found),
            );
            black_box(edges)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("verify");
    g.throughput(Throughput::Elements(cands.pairs.len() as u64));
    g.bench_function("estimated", |b| {
        b.iter(|| black_box(verify::estimated(&cands.pairs, &fp.sigs, &ev, &rules)))
    });
    g.finish();

    let mut g = c.benchmark_group("cluster");
    g.throughput(Throughput::Elements(ARTICLES as u64));
    g.bench_function("union_find", |b| {
        b.iter(|| black_box(cluster::cluster(ARTICLES, &edges)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::light();
    targets = bench
}
criterion_main!(benches);
