//! The public API path equals the scan: fingerprints made through
//! `Fingerprinter`, grouped by `Banding::keys`, verified with
//! `verify::pair` (and the lede path), clustered with `FingerprintCores`,
//! give the scan's edges and assignments. Only public items are used, as an
//! index or a distributed job would.

use std::collections::{BTreeMap, BTreeSet};
use wiretrace::cluster::{cluster_with_cores, FingerprintCores};
use wiretrace::fingerprint::Input;
use wiretrace::ingest::{self, Inputs, ReadOptions};
use wiretrace::lsh::{Banding, CAPPED_WINDOW};
use wiretrace::verify::{self, Edge, LedeVerdict, PairContext, Rules};
use wiretrace::{pipeline, Config, Fingerprint, Fingerprinter};
use wiretrace_gen::gen::{generate, GenConfig};

/// The pairs an outside engine visits: articles grouped by `(band, key)`,
/// each group's pairs (a group over `max_bucket` pairs each member with
/// its next `CAPPED_WINDOW` in article order, as the scan does).
fn pairs_by_keys(fps: &[Fingerprint], banding: &Banding) -> BTreeSet<(u32, u32)> {
    let mut groups: BTreeMap<(usize, u64), Vec<u32>> = BTreeMap::new();
    for (i, fp) in fps.iter().enumerate() {
        for key in banding.keys(fp) {
            groups.entry(key).or_default().push(i as u32);
        }
    }
    let mut pairs = BTreeSet::new();
    for members in groups.values() {
        let window = if members.len() <= banding.max_bucket {
            members.len()
        } else {
            CAPPED_WINDOW + 1
        };
        for x in 0..members.len() {
            for y in x + 1..(x + window).min(members.len()) {
                pairs.insert((members[x], members[y]));
            }
        }
    }
    pairs
}

fn numbered(e: Edge, a: u32, b: u32) -> Edge {
    Edge { a, b, ..e }
}

/// Scans `corpus` and runs the API path on the same records; asserts both
/// agree on fingerprints, edges and assignments.
fn api_equals_scan(cfg: &Config, corpus: Vec<u8>) {
    let scan = pipeline::scan_inputs(
        cfg,
        Inputs::from_jsonl("corpus.jsonl", corpus),
        &pipeline::NoProgress,
    )
    .expect("scan");
    // The records as the scan read them (metadata and text).
    let opts = ReadOptions::from_config(cfg);
    let articles: Vec<ingest::Article> = scan
        .docs
        .iter()
        .map(|m| ingest::reload(&scan.inputs, m.loc, &opts).expect("reload"))
        .collect();
    let inputs: Vec<Input> = articles
        .iter()
        .map(|a| Input {
            title: a.meta.title.as_deref(),
            text: &a.text,
            outlet: a.meta.source.as_deref(),
            published: a.meta.published,
        })
        .collect();
    let fper = Fingerprinter::new(cfg).expect("fingerprinter");
    let fps = fper.fingerprint_batch(&inputs);
    assert_eq!(fps.len(), scan.docs.len());
    for (i, fp) in fps.iter().enumerate() {
        assert_eq!(fp.signature(), scan.signatures.get(i), "signature {i}");
        assert_eq!(fp.shingle_count(), scan.sizes[i], "size {i}");
        // Stored and loaded back, as an index would.
        assert_eq!(&Fingerprint::from_bytes(&fp.to_bytes()).unwrap(), fp);
    }

    let rules = Rules::from_config(cfg);
    let ctx = PairContext::of_fingerprints(&fps);
    let (mut edges, mut exact): (Vec<Edge>, Vec<Edge>) = (Vec::new(), Vec::new());
    for (a, b) in pairs_by_keys(&fps, &Banding::from_config(cfg)) {
        if let Some(e) = verify::pair(&fps[a as usize], &fps[b as usize], &rules, &ctx) {
            edges.push(numbered(e, a, b));
        }
    }
    let main_edges = edges.len();
    if let Some(lede) = Banding::lede_from_config(cfg) {
        for (a, b) in pairs_by_keys(&fps, &lede) {
            let (fa, fb) = (&fps[a as usize], &fps[b as usize]);
            match verify::lede_pair(fa, fb, &rules, &ctx) {
                LedeVerdict::Edge(e) => edges.push(numbered(e, a, b)),
                LedeVerdict::Exact => {
                    let (sa, sb) = (
                        fper.shingle_set(inputs[a as usize].text),
                        fper.shingle_set(inputs[b as usize].text),
                    );
                    if let Some(e) = verify::lede_pair_exact(fa, fb, &sa, &sb, &rules, &ctx) {
                        exact.push(numbered(e, a, b));
                    }
                }
                LedeVerdict::Rejected => {}
            }
        }
    }
    // A pair found by both passes keeps its exact count.
    let edges = verify::merge_edges(edges, exact);
    assert!(main_edges > 0, "the corpus has copies");
    if edges != scan.edges {
        let only = |x: &[Edge], y: &[Edge]| -> Vec<Edge> {
            x.iter().filter(|e| !y.contains(e)).copied().collect()
        };
        panic!(
            "edges differ: {} API, {} scan; API only {:?}; scan only {:?}",
            edges.len(),
            scan.edges.len(),
            only(&edges, &scan.edges),
            only(&scan.edges, &edges)
        );
    }

    let clusters = cluster_with_cores(fps.len(), &edges, &FingerprintCores::of(&fps, &rules));
    assert_eq!(clusters, scan.clusters, "assignments");
}

#[test]
fn api_path_equals_the_scan_on_the_demo_corpus() {
    let corpus = std::fs::read("testdata/demo/corpus.jsonl").expect("demo corpus");
    api_equals_scan(&Config::default(), corpus.clone());
    let no_lede = Config {
        lede: false,
        ..Config::default()
    };
    api_equals_scan(&no_lede, corpus);
}

#[test]
fn api_path_equals_the_scan_on_a_generated_corpus() {
    let gen = GenConfig {
        seed: 16,
        articles: 3000,
        ..Default::default()
    };
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    generate(&gen, &mut corpus, &mut truth).expect("generate");
    api_equals_scan(&Config::default(), corpus);
}
