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
        for len in 0..=70 {
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
