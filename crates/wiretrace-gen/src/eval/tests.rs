//! Tests of the evaluation: hand-computed cases and a brute-force check.

use std::collections::HashMap;

use super::*;

fn a(id: &str, cluster: &str, kind: Option<&str>) -> Assignment {
    Assignment {
        id: id.into(),
        cluster: cluster.into(),
        kind: kind.map(Into::into),
        parent: None,
    }
}

fn part(spec: &[(&str, &str)]) -> Vec<Assignment> {
    spec.iter().map(|(i, c)| a(i, c, None)).collect()
}

fn close(x: f64, y: f64) -> bool {
    (x - y).abs() < 1e-12
}

// Six documents.
//   truth: A = {1,2,3}, B = {4,5}, C = {6}
//   pred:  X = {1,2},   Y = {3,4,5}, Z = {6}
// Contingency cells: (A,X)=2, (A,Y)=1, (B,Y)=2, (C,Z)=1.
// Pairwise: tp = C(2,2)+C(1,2)+C(2,2)+C(1,2) = 2; true pairs = 3+1+0 = 4;
//   predicted pairs = 1+3+0 = 4; so fp = 2, fn = 2, P = R = F1 = 0.5.
// B-cubed precision, per doc |pred ∩ true| / |pred|:
//   1: 2/2, 2: 2/2, 3: 1/3, 4: 2/3, 5: 2/3, 6: 1/1 -> sum 14/3, mean 7/9.
// B-cubed recall, per doc |pred ∩ true| / |true|:
//   1: 2/3, 2: 2/3, 3: 1/3, 4: 2/2, 5: 2/2, 6: 1/1 -> sum 14/3, mean 7/9.
// ARI: C(6,2) = 15; expected index = 4*4/15 = 16/15; max = (4+4)/2 = 4;
//   ARI = (2 - 16/15) / (4 - 16/15) = (14/15) / (44/15) = 7/22.
fn six() -> (Vec<Assignment>, Vec<Assignment>) {
    let truth = vec![
        a("1", "A", Some("original")),
        a("2", "A", Some("verbatim")),
        a("3", "A", Some("excerpt")),
        a("4", "B", Some("original")),
        a("5", "B", Some("spun_20")),
        a("6", "C", Some("templated")),
    ];
    let pred = part(&[
        ("1", "X"),
        ("2", "X"),
        ("3", "Y"),
        ("4", "Y"),
        ("5", "Y"),
        ("6", "Z"),
    ]);
    (truth, pred)
}

#[test]
fn hand_computed_six_documents() {
    let (truth, pred) = six();
    let s = evaluate(&truth, &pred);
    assert_eq!((s.documents, s.truth_clusters, s.pred_clusters), (6, 3, 3));
    let p = &s.pairwise;
    assert_eq!((p.tp, p.fp, p.fn_), (2, 2, 2));
    assert!(close(p.precision, 0.5) && close(p.recall, 0.5) && close(p.f1, 0.5));
    assert!(
        close(s.bcubed.precision, 7.0 / 9.0),
        "{}",
        s.bcubed.precision
    );
    assert!(close(s.bcubed.recall, 7.0 / 9.0));
    assert!(close(s.bcubed.f1, 7.0 / 9.0));
    assert!(
        close(s.adjusted_rand_index, 7.0 / 22.0),
        "{}",
        s.adjusted_rand_index
    );
    assert!(s.missing_from_pred.is_empty());
    assert_eq!(s.extra_in_pred, 0);
}

// Per kind, same six documents:
//   original (docs 1, 4): true partners 2 + 1 = 3, of which predicted together
//     1 (doc 2) + 1 (doc 5) = 2 -> recall 2/3; predicted partners 1 + 2 = 3,
//     of which true 1 + 1 = 2 -> precision 2/3.
//   verbatim (doc 2): 2 true partners, 1 together -> recall 1/2; 1 predicted
//     partner, true -> precision 1.
//   excerpt (doc 3): 2 true partners, none together -> recall 0; predicted
//     partners 4 and 5 are both wrong -> precision 0.
//   spun_20 (doc 5): 1 true partner, together -> recall 1; predicted
//     partners 3 (wrong) and 4 (right) -> precision 1/2.
//   templated (doc 6): singleton both ways -> 0 pairs, recall 1 and
//     precision 1 by convention.
#[test]
fn hand_computed_per_kind() {
    let (truth, pred) = six();
    let s = evaluate(&truth, &pred);
    let k: HashMap<&str, &KindScore> = s.per_kind.iter().map(|k| (k.kind.as_str(), k)).collect();
    let names: Vec<&str> = s.per_kind.iter().map(|k| k.kind.as_str()).collect();
    assert_eq!(
        names,
        vec!["excerpt", "original", "spun_20", "templated", "verbatim"]
    );
    let check =
        |name: &str, docs: usize, pairs: u64, recall: f64, pred_pairs: u64, precision: f64| {
            let x = k[name];
            assert_eq!(
                (x.documents, x.pairs, x.pred_pairs),
                (docs, pairs, pred_pairs),
                "{name}"
            );
            assert!(
                close(x.recall, recall) && close(x.precision, precision),
                "{name}: {x:?}"
            );
        };
    check("original", 2, 3, 2.0 / 3.0, 3, 2.0 / 3.0);
    check("verbatim", 1, 2, 0.5, 1, 1.0);
    check("excerpt", 1, 2, 0.0, 2, 0.0);
    check("spun_20", 1, 1, 1.0, 2, 0.5);
    check("templated", 1, 0, 1.0, 0, 1.0);
}

// Four singletons on both sides: no pairs anywhere. Pairwise precision and
// recall are 1 by convention (so F1 = 1); every B-cubed term is 1/1; the ARI
// denominator is 0 and the partitions are identical, so ARI = 1.
#[test]
fn all_singletons() {
    let t = part(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")]);
    let p = part(&[("a", "w"), ("b", "x"), ("c", "y"), ("d", "z")]);
    let s = evaluate(&t, &p);
    assert_eq!((s.pairwise.tp, s.pairwise.fp, s.pairwise.fn_), (0, 0, 0));
    assert!(
        close(s.pairwise.precision, 1.0)
            && close(s.pairwise.recall, 1.0)
            && close(s.pairwise.f1, 1.0)
    );
    assert!(close(s.bcubed.precision, 1.0) && close(s.bcubed.recall, 1.0));
    assert!(close(s.adjusted_rand_index, 1.0));
    assert_eq!(s.pred_clusters, 4);
}

// Truth: four singletons; prediction: one cluster of four.
// Pairwise: tp = 0, predicted pairs = 6, true pairs = 0 -> precision 0/6 = 0,
// recall 1 (no true pairs), F1 = 0. B-cubed precision = mean of 1/4 = 0.25,
// recall = 1. ARI: n2 = 6, t = 0, p = 6: numerator 2(0*6 - 0) = 0,
// denominator (0+6)*6 - 0 = 36 -> ARI = 0.
#[test]
fn one_big_predicted_cluster_vs_singletons() {
    let t = part(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")]);
    let p = part(&[("a", "X"), ("b", "X"), ("c", "X"), ("d", "X")]);
    let s = evaluate(&t, &p);
    assert_eq!((s.pairwise.tp, s.pairwise.fp, s.pairwise.fn_), (0, 6, 0));
    assert!(
        close(s.pairwise.precision, 0.0)
            && close(s.pairwise.recall, 1.0)
            && close(s.pairwise.f1, 0.0)
    );
    assert!(close(s.bcubed.precision, 0.25) && close(s.bcubed.recall, 1.0));
    assert!(close(s.adjusted_rand_index, 0.0));
    assert_eq!(s.pred_clusters, 1);
}

// Both sides one cluster of three: ARI denominator is 0 ((3+3)*3 - 2*3*3 = 0)
// and the partitions are identical -> 1.
#[test]
fn identical_partitions() {
    let t = part(&[("a", "1"), ("b", "1"), ("c", "1")]);
    let p = part(&[("c", "z"), ("a", "z"), ("b", "z")]);
    let s = evaluate(&t, &p);
    assert!(
        close(s.adjusted_rand_index, 1.0) && close(s.pairwise.f1, 1.0) && close(s.bcubed.f1, 1.0)
    );
    let (truth, _) = six();
    let same = evaluate(&truth, &truth);
    assert!(
        close(same.adjusted_rand_index, 1.0)
            && close(same.pairwise.f1, 1.0)
            && close(same.bcubed.f1, 1.0)
    );
    assert_eq!(same.pairwise.fp + same.pairwise.fn_, 0);
}

// Truth: a, b in T1; c in T2. Prediction has only a (and an unknown z in
// a's cluster). b and c become singletons: no predicted pairs -> precision
// 1, the one true pair (a,b) is missed -> recall 0, F1 0. Predicted
// clusters: X, {b}, {c} = 3.
#[test]
fn missing_and_extra_ids() {
    let t = part(&[("a", "T1"), ("b", "T1"), ("c", "T2")]);
    let p = part(&[("a", "X"), ("z", "X")]);
    let s = evaluate(&t, &p);
    assert_eq!(s.missing_from_pred, vec!["b".to_string(), "c".to_string()]);
    assert_eq!(s.extra_in_pred, 1);
    assert_eq!(s.pred_clusters, 3);
    assert_eq!((s.pairwise.tp, s.pairwise.fp, s.pairwise.fn_), (0, 0, 1));
    assert!(
        close(s.pairwise.precision, 1.0)
            && close(s.pairwise.recall, 0.0)
            && close(s.pairwise.f1, 0.0)
    );
}

#[test]
fn empty_inputs() {
    let s = evaluate(&[], &[]);
    assert_eq!(s.documents, 0);
    assert!(
        close(s.pairwise.f1, 1.0) && close(s.bcubed.f1, 1.0) && close(s.adjusted_rand_index, 1.0)
    );
}

#[test]
fn number_ids_and_clusters() {
    let text = "{\"id\": 12, \"cluster\": 3}\n\n{\"id\": \"x\", \"cluster\": -4, \"kind\": \"verbatim\"}\n{\"id\": 1.5, \"cluster\": \"c\", \"kind\": null, \"extra\": [1]}\n";
    let v = parse_assignments(text, "t.jsonl").expect("parses");
    assert_eq!(
        v,
        vec![
            a("12", "3", None),
            a("x", "-4", Some("verbatim")),
            a("1.5", "c", None)
        ]
    );
}

#[test]
fn errors_name_file_and_line() {
    let e = parse_assignments("{\"id\":\"a\",\"cluster\":\"1\"}\n{oops\n", "p.jsonl").unwrap_err();
    assert!(matches!(e, EvalError::Json { line: 2, .. }), "{e:?}");
    assert!(e.to_string().starts_with("p.jsonl:2: "), "{e}");
    let e = parse_assignments("{\"id\":\"a\"}\n", "p.jsonl").unwrap_err();
    assert!(
        matches!(
            e,
            EvalError::MissingField {
                line: 1,
                field: "cluster",
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "p.jsonl:1: missing field `cluster`");
    let e = parse_assignments("{\"cluster\":\"a\"}\n", "p.jsonl").unwrap_err();
    assert!(matches!(e, EvalError::MissingField { field: "id", .. }));
    let e = parse_assignments(
        "{\"id\":\"a\",\"cluster\":1}\n{\"id\":\"a\",\"cluster\":2}\n",
        "p.jsonl",
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "p.jsonl:2: duplicate id `a`");
    let e = parse_assignments("{\"id\":true,\"cluster\":1}\n", "p.jsonl").unwrap_err();
    assert!(e.to_string().contains("a string or a number"), "{e}");
    let e = parse_assignments("[1,2]\n", "p.jsonl").unwrap_err();
    assert!(matches!(e, EvalError::Json { line: 1, .. }));
    let e = read_assignments(std::path::Path::new("/nonexistent/x.jsonl")).unwrap_err();
    assert!(
        matches!(e, EvalError::Io { .. }) && e.to_string().starts_with("/nonexistent/x.jsonl: ")
    );
}

#[test]
fn read_file_roundtrip() {
    let dir = std::env::temp_dir().join(format!("wiretrace-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join("t.jsonl");
    std::fs::write(&path, "{\"id\":\"a\",\"cluster\":\"1\",\"kind\":\"original\"}\n{\"id\":\"b\",\"cluster\":\"1\"}\n").expect("write");
    let v = read_assignments(&path).expect("read");
    assert_eq!(v, vec![a("a", "1", Some("original")), a("b", "1", None)]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn text_report_and_json() {
    let (truth, pred) = six();
    let s = evaluate(&truth, &pred);
    let t = format_text(&s);
    assert!(t.contains("pairwise") && t.contains("b-cubed") && t.contains("adjusted rand index"));
    assert!(t.contains("spun_20"));
    let j = serde_json::to_value(&s).expect("json");
    assert_eq!(j["pairwise"]["fn"], 2);
    assert_eq!(j["per_kind"][0]["kind"], "excerpt");
}

/// SplitMix64 for the randomized check.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Brute {
    tp: u64,
    fp: u64,
    fn_: u64,
    tn: u64,
    bp: f64,
    br: f64,
    kinds: HashMap<String, (u64, u64, u64, u64)>,
}

/// Enumerates all ordered/unordered pairs directly.
fn brute(truth: &[Assignment], pred: &[Assignment]) -> Brute {
    let p: HashMap<&str, String> = pred
        .iter()
        .map(|x| (x.id.as_str(), x.cluster.clone()))
        .collect();
    let n = truth.len();
    let pc: Vec<String> = truth
        .iter()
        .map(|x| {
            p.get(x.id.as_str())
                .cloned()
                .unwrap_or_else(|| format!("\u{0}missing:{}", x.id))
        })
        .collect();
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    for i in 0..n {
        for j in i + 1..n {
            match (truth[i].cluster == truth[j].cluster, pc[i] == pc[j]) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                (false, false) => tn += 1,
            }
        }
    }
    let (mut bp, mut br) = (0.0, 0.0);
    let mut kinds: HashMap<String, (u64, u64, u64, u64)> = HashMap::new();
    for i in 0..n {
        let (mut both, mut inp, mut intr) = (0u64, 0u64, 0u64);
        for j in 0..n {
            let st = truth[i].cluster == truth[j].cluster;
            let sp = pc[i] == pc[j];
            both += u64::from(st && sp);
            inp += u64::from(sp);
            intr += u64::from(st);
        }
        bp += both as f64 / inp as f64;
        br += both as f64 / intr as f64;
        if let Some(k) = &truth[i].kind {
            let e = kinds.entry(k.clone()).or_default();
            e.0 += intr - 1;
            e.1 += both - 1;
            e.2 += inp - 1;
            e.3 += both - 1;
        }
    }
    Brute {
        tp,
        fp,
        fn_,
        tn,
        bp: bp / n as f64,
        br: br / n as f64,
        kinds,
    }
}

#[test]
fn matches_brute_force_on_random_partitions() {
    let mut st = 12345u64;
    let kinds = ["original", "verbatim", "excerpt", "same_event"];
    for round in 0..300 {
        let n = 1 + (next(&mut st) % 40) as usize;
        let kt = 1 + (next(&mut st) % n as u64);
        let kp = 1 + (next(&mut st) % n as u64);
        let mut truth = Vec::new();
        let mut pred = Vec::new();
        for d in 0..n {
            let kind = kinds[(next(&mut st) % 4) as usize];
            truth.push(a(
                &format!("d{d}"),
                &format!("t{}", next(&mut st) % kt),
                Some(kind),
            ));
            if !next(&mut st).is_multiple_of(10) {
                pred.push(a(
                    &format!("d{d}"),
                    &format!("p{}", next(&mut st) % kp),
                    None,
                ));
            }
        }
        if round % 3 == 0 {
            pred.push(a("extra", "p0", None));
        }
        let s = evaluate(&truth, &pred);
        let b = brute(&truth, &pred);
        assert_eq!(
            (s.pairwise.tp, s.pairwise.fp, s.pairwise.fn_),
            (b.tp, b.fp, b.fn_),
            "round {round}"
        );
        assert!((s.bcubed.precision - b.bp).abs() < 1e-9 && (s.bcubed.recall - b.br).abs() < 1e-9);
        // ARI from the 2x2 pair table: 2(ad - bc) / ((a+b)(b+d) + (a+c)(c+d)).
        let (aa, bb, cc, dd) = (b.tp as f64, b.fp as f64, b.fn_ as f64, b.tn as f64);
        let den = (aa + bb) * (bb + dd) + (aa + cc) * (cc + dd);
        let expected = if den == 0.0 {
            if bb + cc == 0.0 {
                1.0
            } else {
                0.0
            }
        } else {
            2.0 * (aa * dd - bb * cc) / den
        };
        assert!(
            (s.adjusted_rand_index - expected).abs() < 1e-9,
            "round {round}: {} vs {expected}",
            s.adjusted_rand_index
        );
        for k in &s.per_kind {
            let (tpairs, thit, ppairs, phit) = b.kinds[&k.kind];
            assert_eq!((k.pairs, k.pred_pairs), (tpairs, ppairs));
            assert!((k.recall - ratio(thit, tpairs)).abs() < 1e-12);
            assert!((k.precision - ratio(phit, ppairs)).abs() < 1e-12);
        }
    }
}

#[test]
fn scales_to_many_documents() {
    // 200k documents in clusters of 4, predicted as pairs: no pair enumeration.
    let n = 200_000;
    let truth: Vec<Assignment> = (0..n)
        .map(|i| a(&i.to_string(), &(i / 4).to_string(), Some("k")))
        .collect();
    let pred: Vec<Assignment> = (0..n)
        .map(|i| a(&i.to_string(), &(i / 2).to_string(), None))
        .collect();
    let s = evaluate(&truth, &pred);
    // Each true cluster of 4 has 6 pairs; 2 of them are predicted.
    assert_eq!(s.pairwise.tp, (n / 4) as u64 * 2);
    assert_eq!(s.pairwise.fn_, (n / 4) as u64 * 4);
    assert_eq!(s.pairwise.fp, 0);
    assert!(close(s.pairwise.recall, 1.0 / 3.0));
}

#[test]
fn parent_recall_counts_copies_found_with_their_parent() {
    let mut t = vec![
        a("o", "s", Some("original")),
        a("v", "s", Some("verbatim")),
        a("w", "s", Some("verbatim")),
    ];
    t[1].parent = Some("o".into());
    t[2].parent = Some("o".into());
    // v found with its parent; w split off.
    let p = vec![a("o", "1", None), a("v", "1", None), a("w", "2", None)];
    let s = evaluate(&t, &p);
    let v = s.per_kind.iter().find(|k| k.kind == "verbatim").unwrap();
    assert_eq!(v.with_parent, 2);
    assert_eq!(v.parent_recall, Some(0.5));
    let o = s.per_kind.iter().find(|k| k.kind == "original").unwrap();
    assert_eq!(o.parent_recall, None);
}
