//! The index against the scan: any split of a corpus into batches, added
//! in order, exports the scan's partition of the batches read in that
//! order. Plus remove, compact and refusals at the library level.

use super::*;
use crate::pipeline::{self, NoProgress};
use proptest::prelude::*;
use std::io::Write;
use wiretrace_gen::gen::{generate, GenConfig};

fn corpus(seed: u64, n: usize) -> Vec<String> {
    let gen = GenConfig {
        seed,
        articles: n,
        ..Default::default()
    };
    let (mut c, mut t) = (Vec::new(), Vec::new());
    generate(&gen, &mut c, &mut t).unwrap();
    String::from_utf8(c)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Writes `lines` cut at `cuts` into files of `dir`; returns them in order.
fn batches(dir: &Path, lines: &[String], cuts: &[usize]) -> Vec<PathBuf> {
    let mut bounds = vec![0];
    bounds.extend(cuts.iter().copied().filter(|&c| c > 0 && c < lines.len()));
    bounds.push(lines.len());
    bounds.sort_unstable();
    bounds.dedup();
    bounds
        .windows(2)
        .enumerate()
        .map(|(i, w)| {
            let p = dir.join(format!("day-{i:03}.jsonl"));
            let mut f = std::fs::File::create(&p).unwrap();
            for l in &lines[w[0]..w[1]] {
                writeln!(f, "{l}").unwrap();
            }
            p
        })
        .collect()
}

/// Adds `files` one batch each to a new index and checks its export
/// against one scan of them all: the same edges and assignments. Returns
/// how many articles' add-time clusters (labels) differ from the export's
/// partition, for the caller to judge.
fn index_equals_scan(cfg: &Config, files: &[PathBuf], dir: &Path) -> usize {
    let ix_dir = dir.join("index");
    let mut ix = Index::open_writer(&ix_dir, cfg, &|_| true).unwrap();
    for f in files {
        ix.add(std::slice::from_ref(f)).unwrap();
    }
    let scan = pipeline::scan(cfg, files, &NoProgress).unwrap();
    let ex = Index::open(&ix_dir, cfg).unwrap().export().unwrap();
    assert_eq!(ex.docs.len(), scan.docs.len());
    for (a, b) in ex.docs.iter().zip(&scan.docs) {
        assert_eq!(a.id, b.id);
    }
    if ex.edges != scan.edges {
        let only = |x: &[crate::verify::Edge], y: &[crate::verify::Edge]| -> Vec<(u32, u32)> {
            x.iter()
                .filter(|e| !y.iter().any(|f| (f.a, f.b) == (e.a, e.b)))
                .map(|e| (e.a, e.b))
                .collect()
        };
        panic!(
            "edges differ: {} index, {} scan; index only {:?}; scan only {:?}",
            ex.edges.len(),
            scan.edges.len(),
            only(&ex.edges, &scan.edges),
            only(&scan.edges, &ex.edges)
        );
    }
    assert_eq!(ex.clusters, scan.clusters, "assignments");
    assert_eq!(ex.too_short, scan.too_short);
    // The clusters kept between adds (from each add's edges).
    let labels = ix.load_labels().unwrap();
    let numbers = labels::numbering(&labels, &|_| false);
    numbers
        .iter()
        .zip(&ex.clusters.of)
        .filter(|(a, b)| a != b)
        .count()
}

#[test]
fn one_batch_and_ten_equal_the_scan() {
    let lines = corpus(20, 1200);
    let cfg = Config::default();
    for cuts in [vec![], (1..10).map(|i| i * 120).collect::<Vec<_>>()] {
        let dir = tempfile::tempdir().unwrap();
        let files = batches(dir.path(), &lines, &cuts);
        let differ = index_equals_scan(&cfg, &files, dir.path());
        assert_eq!(differ, 0, "add-time clusters with cuts {cuts:?}");
    }
}

#[test]
fn originals_after_their_copies_equal_the_scan() {
    // Reversed: every copy is added before its original, most in an
    // earlier batch.
    let mut lines = corpus(21, 900);
    lines.reverse();
    let dir = tempfile::tempdir().unwrap();
    let files = batches(dir.path(), &lines, &[300, 600]);
    index_equals_scan(&Config::default(), &files, dir.path());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Random splits, random moves of articles to the last batch (an
    /// original may then come after its copy), and small buckets (so the
    /// bucket cap depends on the whole index): the export is the scan.
    #[test]
    fn random_splits_equal_the_scan(
        seed in 0u64..1000,
        cuts in proptest::collection::vec(1usize..700, 0..9),
        moved in proptest::collection::vec(0usize..700, 0..40),
        small_buckets in any::<bool>(),
    ) {
        let mut lines = corpus(seed, 700);
        let mut moved = moved;
        moved.sort_unstable();
        moved.dedup();
        let mut late = Vec::new();
        for &m in moved.iter().rev() {
            late.push(lines.remove(m));
        }
        lines.extend(late);
        let cfg = Config {
            max_bucket: if small_buckets { 3 } else { Config::default().max_bucket },
            ..Config::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let files = batches(dir.path(), &lines, &cuts);
        index_equals_scan(&cfg, &files, dir.path());
    }
}

#[test]
fn removed_articles_leave_no_trace_and_compaction_keeps_the_answer() {
    let lines = corpus(22, 600);
    let cfg = Config::default();
    let dir = tempfile::tempdir().unwrap();
    let files = batches(dir.path(), &lines, &[200, 400]);
    let ix_dir = dir.path().join("index");
    let mut ix = Index::open_writer(&ix_dir, &cfg, &|_| true).unwrap();
    for f in &files {
        ix.add(std::slice::from_ref(f)).unwrap();
    }
    // Remove every fifth article of the first batch.
    let ids: Vec<String> = lines[..200]
        .iter()
        .step_by(5)
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(ix.remove(&ids).unwrap().is_empty());
    assert_eq!(ix.remove(&ids).unwrap().len(), ids.len(), "removed twice");
    let ex = ix.export().unwrap();
    assert!(ex.docs.iter().all(|d| !ids.contains(&d.id)));
    // The export equals a scan of the corpus without them.
    let kept: Vec<String> = lines
        .iter()
        .filter(|l| {
            let id = serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned();
            !ids.contains(&id)
        })
        .cloned()
        .collect();
    let only = tempfile::tempdir().unwrap();
    let kept_files = batches(only.path(), &kept, &[]);
    let scan = pipeline::scan(&cfg, &kept_files, &NoProgress).unwrap();
    assert_eq!(ex.clusters, scan.clusters);
    let before = ex.clusters.clone();
    let c = ix.compact().unwrap();
    assert_eq!(c.dropped, ids.len() as u32);
    assert_eq!(ix.manifest().segments.len(), 1);
    let after = Index::open(&ix_dir, &cfg).unwrap();
    assert_eq!(after.total(), kept.len() as u32);
    assert_eq!(after.export().unwrap().clusters, before);
    let s = after.stats(true).unwrap();
    assert_eq!((s.live, s.removed), (kept.len() as u32, 0));
    // No removed id is left in any file of the index.
    for e in std::fs::read_dir(&ix_dir).unwrap().flatten() {
        let bytes = std::fs::read(e.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for id in &ids {
            assert!(
                !text.contains(&format!("\"{id}\"")),
                "{id} left in {:?}",
                e.path()
            );
        }
    }
}

#[test]
fn refusals_leave_the_index_unchanged() {
    let lines = corpus(23, 200);
    let dir = tempfile::tempdir().unwrap();
    let files = batches(dir.path(), &lines, &[100]);
    let ix_dir = dir.path().join("index");
    let cfg = Config::default();
    let mut ix = Index::open_writer(&ix_dir, &cfg, &|_| true).unwrap();
    ix.add(&files[..1]).unwrap();
    // A second writer.
    let err = Index::open_writer(&ix_dir, &cfg, &|_| true)
        .unwrap_err()
        .to_string();
    assert!(err.contains("another wiretrace is writing"), "{err}");
    // Readers work meanwhile.
    assert_eq!(Index::open(&ix_dir, &cfg).unwrap().live(), 100);
    drop(ix);
    let manifest = std::fs::read(ix_dir.join(MANIFEST)).unwrap();
    // Conflicting settings, named.
    let other = Config {
        threshold: 0.5,
        ..Config::default()
    };
    let err = Index::open_writer(&ix_dir, &other, &|n| n == "threshold")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--threshold: the index has 0.") && err.contains("given 0.5"),
        "{err}"
    );
    // Not given: the stored settings are used.
    Index::open_writer(&ix_dir, &other, &|_| false).unwrap();
    assert_eq!(std::fs::read(ix_dir.join(MANIFEST)).unwrap(), manifest);
}

#[test]
fn a_corrupt_segment_is_named() {
    let lines = corpus(24, 100);
    let dir = tempfile::tempdir().unwrap();
    let files = batches(dir.path(), &lines, &[]);
    let ix_dir = dir.path().join("index");
    let cfg = Config::default();
    Index::open_writer(&ix_dir, &cfg, &|_| true)
        .unwrap()
        .add(&files)
        .unwrap();
    let seg = ix_dir.join("seg-000001.wts");
    let mut b = std::fs::read(&seg).unwrap();
    // A byte in the fingerprints, then one in the runs.
    for at in [1000, b.len() / 2] {
        let orig = b[at];
        b[at] ^= 0x40;
        std::fs::write(&seg, &b).unwrap();
        let ix = Index::open(&ix_dir, &cfg).unwrap();
        let err = ix.export().err().map(|e| e.to_string()).unwrap_or_default();
        let err = if err.is_empty() {
            ix.stats(true).unwrap_err().to_string()
        } else {
            err
        };
        assert!(
            err.contains("seg-000001.wts") && err.contains("corrupt index segment"),
            "{err}"
        );
        b[at] = orig;
    }
    // Truncated.
    std::fs::write(&seg, &b[..b.len() - 10]).unwrap();
    let err = Index::open(&ix_dir, &cfg).unwrap_err().to_string();
    assert!(err.contains("truncated"), "{err}");
}
