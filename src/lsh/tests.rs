//! LSH against brute force on small corpora with planted near-duplicates.

use super::*;
use crate::minhash::MinHasher;
use crate::seeds::splitmix64;

/// Exact Jaccard of two sorted, deduplicated sets.
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// `stories` random base sets, each with copies that keep a share of the
/// base's elements and replace the rest.
fn corpus(seed: u64, stories: usize) -> Vec<Vec<u64>> {
    let mut rng = seed;
    let mut next = || {
        rng = splitmix64(rng);
        rng
    };
    let mut docs = Vec::new();
    for _ in 0..stories {
        let size = 50 + (next() % 300) as usize;
        let base: Vec<u64> = (0..size).map(|_| next()).collect();
        docs.push(base.clone());
        for _ in 0..(next() % 4) {
            let keep = 0.2 + (next() % 800) as f64 / 1000.0;
            let v: Vec<u64> = base
                .iter()
                .map(|&x| {
                    if (next() % 1000) as f64 / 1000.0 < keep {
                        x
                    } else {
                        next()
                    }
                })
                .collect();
            docs.push(v);
        }
    }
    for d in &mut docs {
        d.sort_unstable();
        d.dedup();
    }
    docs
}

/// Signatures of `docs` with `k` hash functions seeded with `seed`.
fn signed(docs: &[Vec<u64>], k: usize, seed: u64) -> Signatures {
    let hasher = MinHasher::new(k, seed);
    let mut sigs = Signatures::new(k);
    for d in docs {
        sigs.push(&hasher.sign(d));
    }
    sigs
}

#[test]
fn finds_every_pair_well_above_threshold() {
    for (case, threshold) in [(1u64, 0.3), (2, 0.5), (3, 0.6), (4, 0.5)] {
        let docs = corpus(case, 60);
        let sigs = signed(&docs, 128, case);
        let p = params(threshold, 128, 0.5, 0.5);
        let c = candidates(&sigs, &vec![true; docs.len()], Banding::new(p, case, 256));
        let found: std::collections::HashSet<(u32, u32)> = c.pairs.iter().copied().collect();
        let mut well_above = 0;
        for a in 0..docs.len() {
            for b in a + 1..docs.len() {
                let j = jaccard(&docs[a], &docs[b]);
                // "Well above": where the S-curve gives at least 0.999.
                if p.probability(j) >= 0.999 {
                    well_above += 1;
                    assert!(
                        found.contains(&(a as u32, b as u32)),
                        "case {case}: missed pair ({a},{b}) with J={j:.3}"
                    );
                }
            }
        }
        assert!(
            well_above >= 5,
            "case {case}: the corpus must plant pairs above the threshold"
        );
        // And candidates are not all pairs: unrelated stories stay apart.
        let all = docs.len() * (docs.len() - 1) / 2;
        assert!(
            c.pairs.len() < all / 10,
            "{} candidates of {all} pairs",
            c.pairs.len()
        );
    }
}

#[test]
fn chosen_curves_are_steep_around_threshold() {
    for t in [0.3, 0.5, 0.7, 0.9] {
        let p = params(t, 128, 0.5, 0.5);
        assert!(p.bands * p.rows <= 128);
        assert!(p.probability((t + 0.2).min(1.0)) > 0.98, "{t}: {p:?}");
        assert!(p.probability((t + 0.3).min(1.0)) > 0.999, "{t}: {p:?}");
        assert!(p.probability((t - 0.2).max(0.0)) < 0.2, "{t}: {p:?}");
    }
}

#[test]
fn pairs_sorted_unique_and_ordered() {
    let mut sigs = Signatures::new(4);
    for _ in 0..5 {
        sigs.push(&[1, 2, 3, 4]);
    }
    let c = candidates(
        &sigs,
        &[true; 5],
        Banding::new(LshParams { bands: 2, rows: 2 }, 1, 256),
    );
    assert_eq!(c.pairs.len(), 10);
    assert!(c.pairs.windows(2).all(|w| w[0] < w[1]));
    assert!(c.pairs.iter().all(|&(a, b)| a < b));
}

#[test]
fn ineligible_never_paired() {
    let mut sigs = Signatures::new(4);
    for _ in 0..3 {
        sigs.push(&[1, 2, 3, 4]);
    }
    let c = candidates(
        &sigs,
        &[true, false, true],
        Banding::new(LshParams { bands: 1, rows: 4 }, 1, 256),
    );
    assert_eq!(c.pairs, vec![(0, 2)]);
}

#[test]
fn big_buckets_are_capped_and_linear() {
    let n = 5000;
    let mut sigs = Signatures::new(8);
    for _ in 0..n {
        sigs.push(&[7; 8]);
    }
    let c = candidates(
        &sigs,
        &vec![true; n],
        Banding::new(LshParams { bands: 2, rows: 4 }, 1, 100),
    );
    assert_eq!(c.capped_buckets, 2);
    assert_eq!(c.largest_bucket, n);
    assert!(c.pairs.len() <= n * CAPPED_WINDOW);
    // Still connected: consecutive members are paired.
    assert!(c.pairs.contains(&(0, 1)) && c.pairs.contains(&(n as u32 - 2, n as u32 - 1)));
}

/// A bucket large enough to be paired in parallel gives every pair once,
/// in the serial order (members by id, then partners by id).
#[test]
fn large_bucket_pairs_come_in_serial_order() {
    let n = 200u32;
    let mut sigs = Signatures::new(4);
    for _ in 0..n {
        sigs.push(&[9; 4]);
    }
    let mut got = Vec::new();
    let c = for_each_pair(
        &sigs,
        &vec![true; n as usize],
        Banding::new(LshParams { bands: 1, rows: 4 }, 1, 256),
        &|a, b, _, out: &mut Vec<(u32, u32)>| out.push((a, b)),
        &|_| {},
        |band| got.extend(band),
    );
    let want: Vec<(u32, u32)> = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .collect();
    assert!(want.len() as u64 >= PARALLEL_BUCKET_CHECKS);
    assert_eq!(c.checks, want.len() as u64);
    assert_eq!(got, want);
}

/// Pairs not `visited_before` are every candidate pair; each exactly once
/// when no bucket is capped (with capped buckets a pair met only in them
/// may come again, never missing).
#[test]
fn visited_before_leaves_each_candidate_once() {
    // k = 128 takes the AVX2 comparison where the CPU has it, 64 the scalar one.
    for (k, bands, rows) in [(64, 16, 4), (128, 37, 3)] {
        let sigs = signed(&corpus(11, 400), k, 5);
        for (max_bucket, capped) in [(10_000, false), (3, true)] {
            let p = LshParams { bands, rows };
            leaves_each_once(&sigs, Banding::new(p, 2, max_bucket), capped);
        }
    }
}

/// The pairs of one banding not `visited_before` are its candidate list, and
/// `visited_before_in` (from the agreeing positions) answers as `visited_before`.
fn leaves_each_once(sigs: &Signatures, banding: Banding, capped: bool) {
    let eligible = vec![true; sigs.len()];
    let listed = candidates(sigs, &eligible, banding);
    assert_eq!(listed.capped_buckets > 0, capped);
    let mut first = Vec::new();
    let c = for_each_pair(
        sigs,
        &eligible,
        banding,
        &|a, b, earlier, out: &mut Vec<(u32, u32)>| {
            let before = earlier.visited_before(sigs, a, b);
            let equal = sigs.equal_positions(a as usize, b as usize).unwrap();
            assert_eq!(earlier.visited_before_in(equal, a), before, "{a} {b}");
            if !before {
                out.push((a, b));
            }
        },
        &|_| {},
        |found| first.extend(found),
    );
    assert!(
        c.checks > first.len() as u64,
        "some pairs meet in several bands"
    );
    first.sort_unstable();
    let n = first.len();
    first.dedup();
    if !capped {
        assert_eq!(n, first.len(), "a pair left twice");
    }
    assert_eq!(first, listed.pairs);
}

#[test]
fn partitions_in_order_are_the_sorted_keys() {
    let sigs = signed(&corpus(7, 300), 128, 3);
    let ids: Vec<u32> = (0..sigs.len() as u32).filter(|i| i % 7 != 3).collect();
    let seed = 99;
    let mut sorted: Vec<(u64, u32)> = ids
        .iter()
        .map(|&i| (band_key(&sigs.get(i as usize)[8..12], seed), i))
        .collect();
    sorted.sort_unstable();
    // Any cut of the articles into slices, partitions gathered in slice order.
    for slice in [1, 5, 64, ids.len()] {
        let slices: Vec<_> = ids
            .chunks(slice)
            .map(|ids| partitioned_keys(&sigs, ids, 8..12, seed))
            .collect();
        let mut got = Vec::new();
        for part in 0..PARTS {
            let mut keys: Vec<(u64, u32)> = slices.iter().flat_map(|s| s[part].clone()).collect();
            keys.sort_unstable();
            if let (Some(first), Some(last)) = (keys.first(), keys.last()) {
                assert_eq!(first.0 >> (64 - PART_BITS), part as u64);
                assert_eq!(last.0 >> (64 - PART_BITS), part as u64);
            }
            got.extend(keys);
        }
        assert_eq!(got, sorted, "slice {slice}");
    }
}

/// Every path of `band_key` (the register path for up to four values, the
/// stack buffer, the long fallback) is xxh3 of the values' little-endian
/// bytes, as documented and as stored indexes were keyed.
#[test]
fn band_key_is_xxh3_of_the_le_bytes() {
    let mut state = 0x0bad_5eed_u64;
    for len in 0..=70 {
        for _ in 0..20 {
            let vals: Vec<u16> = (0..len)
                .map(|_| {
                    state = crate::seeds::splitmix64(state);
                    state as u16
                })
                .collect();
            let bytes: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
            let seed = state.rotate_left(7);
            assert_eq!(
                band_key(&vals, seed),
                xxhash_rust::xxh3::xxh3_64_with_seed(&bytes, seed),
                "{len} values"
            );
        }
    }
}

/// `sorted_partition` puts a partition's keys in the order of sorting the
/// pairs, from slices in article order: uniform keys, keys repeated (a
/// template's bucket), and keys crowded into one radix bucket.
#[test]
fn sorted_partition_is_the_pairs_sorted() {
    let mut state = 7u64;
    let mut next = || {
        state = splitmix64(state);
        state
    };
    let top = 0x5Au64 << (64 - PART_BITS);
    let low = u64::MAX >> PART_BITS;
    for case in 0..60 {
        let n = [0, 1, 2, 7, 100, 390, 5000][case % 7];
        let mut id = 0u32;
        let mut slices: Vec<Vec<(u64, u32)>> = Vec::new();
        for _ in 0..1 + case % 4 {
            let slice = (0..n / (1 + case % 4))
                .map(|_| {
                    let r = next();
                    let key = match case % 3 {
                        0 => top | (r & low),
                        // A few keys, each many times.
                        1 => top | (r % 5) << 20,
                        // Distinct keys sharing their top 24 bits.
                        _ => top | (r & 0xFFFF),
                    };
                    id += 1 + (r >> 60) as u32;
                    (key, id)
                })
                .collect();
            slices.push(slice);
        }
        let mut want: Vec<(u64, u32)> = slices.concat();
        want.sort_unstable();
        assert_eq!(
            sorted_partition(slices.iter().map(Vec::as_slice)),
            want,
            "case {case}"
        );
    }
}
