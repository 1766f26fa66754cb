//! Issue 18: every language a wire carries. The multilingual corpus
//! (`testdata/multilingual`, our own text: Chinese, Japanese, Korean, Thai,
//! Russian, Arabic and Spanish stories, each with a verbatim copy hiding
//! behind a Unicode trick, a lede excerpt, a lightly edited copy and an
//! unrelated story on the same topic), scanned at the default settings:
//! every copy found, no unrelated story merged, copy types right, and the
//! passages of a Japanese copy counted and placed in characters.

use std::collections::{BTreeSet, HashMap};
use wiretrace::ingest::Inputs;
use wiretrace::lineage::{trace_scan, CopyType};
use wiretrace::{pipeline, Config};

fn corpus() -> (Vec<u8>, Vec<serde_json::Value>) {
    let dir = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("testdata/multilingual");
    let read = |f: &str| {
        std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(f).display()))
    };
    let truth = String::from_utf8(read("truth.jsonl"))
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("truth line"))
        .collect();
    (read("corpus.jsonl"), truth)
}

fn scan() -> (pipeline::Scan, Vec<serde_json::Value>) {
    let (bytes, truth) = corpus();
    let scan = pipeline::scan_inputs(
        &Config::default(),
        Inputs::from_jsonl("multilingual", bytes),
        &pipeline::NoProgress,
    )
    .expect("scan");
    assert!(scan.skipped.is_empty(), "{:?}", scan.skipped);
    (scan, truth)
}

fn s<'a>(v: &'a serde_json::Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("{k} in {v}"))
}

#[test]
fn every_copy_found_and_no_unrelated_story_merged() {
    let (scan, truth) = scan();
    let cluster: HashMap<&str, u32> = scan
        .docs
        .iter()
        .zip(&scan.clusters.of)
        .map(|(d, &c)| (d.id.as_str(), c))
        .collect();
    let mut wrong = Vec::new();
    let mut langs = BTreeSet::new();
    for t in &truth {
        langs.insert(s(t, "lang"));
        let id = s(t, "id");
        if let Some(parent) = t["parent"].as_str() {
            if cluster[id] != cluster[parent] {
                wrong.push(format!("{id} ({}) not found with {parent}", s(t, "kind")));
            }
        }
    }
    // No predicted cluster holds two true stories.
    let mut stories: HashMap<u32, BTreeSet<&str>> = HashMap::new();
    for t in &truth {
        stories
            .entry(cluster[s(t, "id")])
            .or_default()
            .insert(s(t, "cluster"));
    }
    for set in stories.values().filter(|s| s.len() > 1) {
        wrong.push(format!("merged: {set:?}"));
    }
    assert_eq!(
        langs.into_iter().collect::<Vec<_>>(),
        ["ar", "es", "ja", "ko", "ru", "th", "zh"]
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn copy_types_and_passages_in_every_script() {
    let (scan, truth) = scan();
    let kind: HashMap<&str, &str> = truth.iter().map(|t| (s(t, "id"), s(t, "kind"))).collect();
    let traced = trace_scan(&scan);
    let mut wrong = Vec::new();
    let mut japanese = None;
    for c in &traced {
        let chain = &c.lineage;
        let origin = &c.members[chain.origin].id;
        if !origin.ends_with("-orig") {
            wrong.push(format!("origin {origin}"));
        }
        for cp in &chain.copies {
            let id = c.members[cp.member].id.as_str();
            let want = match kind[id] {
                "verbatim" | "edit" => CopyType::Verbatim,
                "lede" => CopyType::Excerpt,
                _ => continue,
            };
            if cp.copy_type != want {
                wrong.push(format!(
                    "{id}: {:?}, want {want:?} ({:?})",
                    cp.copy_type, cp.figures
                ));
            }
            // The tricks of verbatim copies (NFD, zero width characters,
            // soft hyphens, entities, full-width digits, look-alikes) are
            // folded away: the same text.
            if kind[id] == "verbatim" && cp.figures.jaccard < 0.99 {
                wrong.push(format!("{id}: not the same text: {:?}", cp.figures));
            }
            if cp.shared.is_empty() {
                wrong.push(format!("{id}: no shared passages"));
            }
            if id == "ja2-edit" {
                japanese = Some((c, cp));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // The Japanese copy's report: real coverage, passages in characters.
    let (c, cp) = japanese.expect("ja2-edit traced");
    assert!(cp.figures.parent_in_copy > 0.9, "coverage {:?}", cp.figures);
    assert!(cp.figures.aligned_copy > 0.95, "{:?}", cp.figures);
    let text = &c.texts[cp.member];
    let parent = &c.texts[cp.parent];
    for p in &cp.shared {
        let by_bytes = &text[p.copy_start..p.copy_end];
        let by_chars: String = text
            .chars()
            .skip(p.copy_char_start)
            .take(p.copy_char_end - p.copy_char_start)
            .collect();
        assert_eq!(by_bytes, by_chars);
        assert_eq!(
            by_chars.chars().count(),
            p.copy_char_end - p.copy_char_start
        );
        let parent_chars: String = parent
            .chars()
            .skip(p.parent_char_start)
            .take(p.parent_char_end - p.parent_char_start)
            .collect();
        assert_eq!(parent_chars, &parent[p.parent_start..p.parent_end]);
    }
    // Passages are cut where the copy was edited: more than one, and the
    // longest spans most of a paragraph, counted in letters.
    assert!(cp.shared.len() >= 3, "{:?}", cp.shared);
    assert!(cp.shared.iter().map(|p| p.words).max() > Some(60));
}
