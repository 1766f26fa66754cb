//! LSH banding and candidate generation, and verification of the candidates.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use wiretrace::lsh;
use wiretrace::minhash::{MinHasher, Signatures};
use wiretrace::verify::{self, AnchorSketches, Rules};

fn bench(c: &mut Criterion) {
    let n = 20_000;
    let mut state = 11;
    let h = MinHasher::new(128, 1);
    let mut sigs = Signatures::new(128);
    let mut bases: Vec<Vec<u64>> = Vec::new();
    for i in 0..n {
        let set: Vec<u64> = if i % 5 == 4 {
            // A near-copy of an earlier article: 80% kept.
            let j = (common::next(&mut state) % bases.len() as u64) as usize;
            bases[j]
                .iter()
                .map(|&x| {
                    if common::next(&mut state).is_multiple_of(5) {
                        common::next(&mut state)
                    } else {
                        x
                    }
                })
                .collect()
        } else {
            (0..300).map(|_| common::next(&mut state)).collect()
        };
        sigs.push(&h.sign(&set));
        bases.push(set);
    }
    let sizes = vec![300u32; n];
    let eligible = vec![true; n];
    let params = lsh::params(0.3, 128, 0.5, 0.5);
    let mut g = c.benchmark_group("lsh");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(10);
    g.bench_function("candidates", |b| {
        b.iter(|| black_box(lsh::candidates(&sigs, &eligible, params, 1, 256)))
    });
    let cands = lsh::candidates(&sigs, &eligible, params, 1, 256);
    let rules = Rules::from_config(&wiretrace::Config::default());
    let anchors = AnchorSketches::new();
    g.throughput(Throughput::Elements(cands.pairs.len() as u64));
    g.bench_function("verify", |b| {
        b.iter(|| {
            black_box(verify::estimated(
                &cands.pairs,
                &sigs,
                &sizes,
                &anchors,
                &rules,
            ))
        })
    });
    g.bench_function("cluster", |b| {
        let edges = verify::estimated(&cands.pairs, &sigs, &sizes, &anchors, &rules);
        b.iter(|| black_box(wiretrace::cluster::cluster(n, &edges)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
