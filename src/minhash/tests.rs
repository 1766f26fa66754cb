//! Every backend against the scalar reference, then statistical sanity.

use super::*;
use proptest::prelude::*;

fn check_all(k: usize, seed: u64, shingles: &[u64]) {
    let reference = MinHasher::with_backend(k, seed, Backend::Scalar).sign(shingles);
    for b in Backend::available() {
        let got = MinHasher::with_backend(k, seed, b).sign(shingles);
        assert_eq!(
            got,
            reference,
            "backend {b:?}, k {k}, {} shingles",
            shingles.len()
        );
    }
}

#[test]
fn edge_cases_every_backend() {
    let edge: Vec<u64> = vec![
        0,
        1,
        u64::MAX,
        u64::MAX - 1,
        1 << 32,
        (1 << 32) - 1,
        0x8000_0000_0000_0000,
    ];
    for k in [1, 7, 8, 9, 31, 32, 33, 64, 100, 128, 129, 256] {
        check_all(k, 1, &[]);
        check_all(k, 2, &[u64::MAX]);
        check_all(k, 3, &edge);
        // Past one block of mixed shingles (1,024 in the AVX2 path).
        for len in (0..=70).chain([1023, 1024, 1025, 2500]) {
            let v: Vec<u64> = (0..len)
                .map(|i| crate::seeds::splitmix64(i as u64 * 31 + k as u64))
                .collect();
            check_all(k, 4, &v);
        }
    }
}

#[test]
fn empty_set_is_all_max() {
    assert!(MinHasher::new(16, 1)
        .sign(&[])
        .iter()
        .all(|&v| v == u32::MAX));
}

#[test]
fn deterministic_and_seeded() {
    let s = [1u64, 2, 3, 4, 5];
    assert_eq!(
        MinHasher::new(64, 9).sign(&s),
        MinHasher::new(64, 9).sign(&s)
    );
    assert_ne!(
        MinHasher::new(64, 9).sign(&s),
        MinHasher::new(64, 10).sign(&s)
    );
}

#[test]
fn estimates_jaccard_within_noise() {
    // Sets with known overlap: |A ∩ B| = 600, |A ∪ B| = 1400, J = 0.4286.
    let a: Vec<u64> = (0..1000).map(crate::seeds::splitmix64).collect();
    let b: Vec<u64> = (400..1400).map(crate::seeds::splitmix64).collect();
    let j = 600.0 / 1400.0;
    let k = 1024;
    let h = MinHasher::new(k, 5);
    let est = estimate_jaccard(&h.sign(&a), &h.sign(&b));
    let se = (j * (1.0 - j) / k as f64).sqrt();
    assert!((est - j).abs() < 4.0 * se, "estimate {est}, truth {j}");
}

#[test]
fn signatures_table_round_trip() {
    let mut t = Signatures::new(3);
    t.push(&[1, 2, 3]);
    let mut u = Signatures::new(3);
    u.push(&[4, 5, 6]);
    t.extend(&u);
    assert_eq!(t.len(), 2);
    assert_eq!(t.get(1), &[4, 5, 6]);
}

proptest! {
    /// Rows that agree at chosen positions and nowhere else (values drawn
    /// apart), compared through every path.
    #[test]
    fn equal_positions_every_path(k in prop_oneof![Just(128usize), 1usize..=128], equal: u128, base: u16) {
        let mut t = Signatures::new(k);
        let a: Vec<u32> = (0..k).map(|i| u32::from(base.wrapping_add(i as u16))).collect();
        let b: Vec<u32> = (0..k)
            .map(|i| if equal >> i & 1 == 1 { a[i] } else { a[i] ^ 0x8000 })
            .collect();
        t.push(&a);
        t.push(&b);
        let want = if k == 128 { equal } else { equal & ((1u128 << k) - 1) };
        prop_assert_eq!(t.equal_positions(0, 1), Some(want));
        prop_assert_eq!(scalar::equal_positions(t.get(0), t.get(1)), want);
        #[cfg(target_arch = "x86_64")]
        if let (Some(avx2), 128) = (x86_64::Avx2::new(), k) {
            prop_assert_eq!(avx2.equal_positions_128(t.get(0), t.get(1)), (want, want.count_ones()));
        }
        prop_assert_eq!(t.jaccard_of(want.count_ones() as usize), t.jaccard(0, 1));
    }

    #[test]
    fn random_inputs_every_backend(k in 1usize..300, seed: u64, v in proptest::collection::vec(any::<u64>(), 0..300)) {
        check_all(k, seed, &v);
    }
}

#[test]
fn sixteen_bit_table_estimates_like_full_signatures() {
    let h = MinHasher::new(128, 11);
    let a: Vec<u64> = (0..400).collect();
    let b: Vec<u64> = (200..600).collect(); // J = 200 / 600
    let (sa, sb) = (h.sign(&a), h.sign(&b));
    let full = estimate_jaccard(&sa, &sb);
    let mut t = Signatures::new(128);
    t.push(&sa);
    t.push(&sb);
    let low16 = t.jaccard(0, 1);
    // Low 16 bits agree wherever the minima agree, and by chance (2^-16) elsewhere.
    assert!((low16 - full).abs() <= 1.0 / 128.0, "{low16} vs {full}");
    assert_eq!(t.jaccard(0, 0), 1.0);
    assert!(t.get(0).iter().zip(&sa).all(|(&x, &y)| x == y as u16));
}

/// Mean and spread of the estimate over many set pairs and seeds, against
/// the binomial ones (`J`, `J(1-J)/k`): a family whose positions moved
/// together (shared multipliers, a weak mix of structured input) shows a
/// spread many times the binomial one.
#[test]
fn estimate_spread_is_binomial() {
    let k = 128;
    let trials = 1000;
    for (structured, j_target) in [(false, 0.2), (false, 0.5), (false, 0.8), (true, 0.5)] {
        // |A ∪ B| = 500, |A ∩ B| = 500 j, the rest split evenly.
        let union = 500u64;
        let shared = (union as f64 * j_target) as u64;
        let j = shared as f64 / union as f64;
        let mut ests = Vec::with_capacity(trials);
        for t in 0..trials as u64 {
            // Consecutive integers, or hashed ones, in a range of their own per trial.
            let value = |i: u64| {
                let v = t * 1_000_000 + i;
                if structured {
                    v
                } else {
                    crate::seeds::splitmix64(v)
                }
            };
            let only = (union - shared) / 2;
            let a: Vec<u64> = (0..shared + only).map(value).collect();
            let b: Vec<u64> = (0..shared).chain(shared + only..union).map(value).collect();
            let h = MinHasher::new(k, 1000 + t);
            ests.push(estimate_jaccard(&h.sign(&a), &h.sign(&b)));
        }
        let n = trials as f64;
        let mean = ests.iter().sum::<f64>() / n;
        let var = ests.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let binomial = j * (1.0 - j) / k as f64;
        assert!(
            (mean - j).abs() < 4.0 * (binomial / n).sqrt(),
            "structured {structured}, J {j}: mean estimate {mean}"
        );
        // The sample variance of 1000 draws is within ~4.5% of the true one
        // (1 sd). One multiplier shared by all positions reads 1.3.
        let ratio = var / binomial;
        assert!(
            (0.82..1.2).contains(&ratio),
            "structured {structured}, J {j}: variance {ratio:.3} x binomial"
        );
    }
}
