//! Issue 17: corpora as they come — compressed, CSV, Parquet, WARC, HTML —
//! give the same articles and the same assignments; damage and unknown
//! kinds are said once, with where.

use crate::util::Dir;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn formats() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("../../testdata/formats")
}

fn f(name: &str) -> String {
    formats()
        .join(name)
        .to_str()
        .expect("UTF-8 path")
        .to_owned()
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The partition of an assignments file: the set of member sets, each
/// member named by `key` (its id, or its URL for WARC pages).
fn partition(text: &str, key: &dyn Fn(&str) -> String) -> BTreeSet<BTreeSet<String>> {
    let mut by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for v in lines(text) {
        by.entry(v["cluster"].to_string())
            .or_default()
            .insert(key(v["id"].as_str().unwrap()));
    }
    by.into_values().collect()
}

/// The scan of `input`: its partition (by id) and its -o JSON.
fn scan(d: &Dir, input: &str, extra: &[&str]) -> (String, Value) {
    let mut args = vec![
        "scan",
        input,
        "-q",
        "--force",
        "--assignments",
        "a.jsonl",
        "-o",
        "o.json",
    ];
    args.extend(extra);
    d.run(&args).expect_code(0);
    (
        d.read("a.jsonl"),
        serde_json::from_str(&d.read("o.json")).unwrap(),
    )
}

#[test]
fn issue_17_every_format_gives_the_same_assignments() {
    let d = Dir::new();
    let (base, _) = scan(&d, &f("demo.jsonl"), &[]);
    let id = |s: &str| s.to_owned();
    let want = partition(&base, &id);
    assert!(want.iter().any(|c| c.len() > 1), "the demo part has copies");
    let mut kinds = vec!["demo.jsonl.gz", "demo.jsonl.zst", "demo.csv"];
    if cfg!(feature = "parquet") {
        kinds.push("demo.parquet");
    }
    for k in kinds {
        let (got, doc) = scan(&d, &f(k), &[]);
        assert_eq!(partition(&got, &id), want, "{k}");
        // Every record accounted for, per file.
        let file = &doc["files"][0];
        assert_eq!(file["records"], file["articles"], "{k}: {file}");
        assert_eq!(file["articles"].as_u64(), Some(60), "{k}");
    }
    // HTML pages in a WARC: ids are WARC-Record-IDs, so members are
    // compared by URL (WARC-Target-URI, the JSON Lines `url`).
    let url_of: BTreeMap<String, String> =
        lines(&std::fs::read_to_string(f("demo.jsonl")).unwrap())
            .iter()
            .map(|v| {
                (
                    v["id"].as_str().unwrap().to_owned(),
                    v["url"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
    let by_url = |s: &str| url_of[s].clone();
    let want_urls = partition(&base, &by_url);
    let (got, _) = scan(&d, &f("demo-pages.warc.gz"), &[]);
    d.run(&["read", &f("demo-pages.warc.gz"), "-o", "r.jsonl"])
        .expect_code(0);
    let page_url: BTreeMap<String, String> = lines(&d.read("r.jsonl"))
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_owned(),
                v["url"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(partition(&got, &|s: &str| page_url[s].clone()), want_urls);
}

/// Content decides: gzip under a `.jsonl` name is read; a JSON Lines file
/// named `.txt` is one text article unless --input-format says jsonl.
#[test]
fn issue_17_detection_by_content_with_misleading_names() {
    let d = Dir::new();
    std::fs::copy(f("demo.jsonl.gz"), d.path("corpus.jsonl")).unwrap();
    let (got, _) = scan(&d, "corpus.jsonl", &[]);
    let (want, _) = scan(&d, &f("demo.jsonl"), &[]);
    assert_eq!(got, want);
    std::fs::copy(f("demo.jsonl"), d.path("export.txt")).unwrap();
    d.run(&["read", "export.txt"]).expect_code(0);
    let r = d.run(&["read", "export.txt", "--input-format", "jsonl"]);
    r.expect_code(0);
    assert_eq!(r.stdout.lines().count(), 60);
    let one = d.run(&["read", "export.txt"]);
    assert_eq!(one.stdout.lines().count(), 1);
    // zstd on stdin.
    let zst = std::fs::read(f("demo.jsonl.zst")).unwrap();
    let r = d.run_with_stdin(&["read", "-"], Some(&zst));
    r.expect_code(0);
    assert_eq!(r.stdout.lines().count(), 60);
}

/// A truncated .gz and a corrupt .zst keep the records before the damage
/// and report it with its offset; exit 1.
#[test]
fn issue_17_damaged_compressed_files_keep_what_came_before() {
    let d = Dir::new();
    let gz = std::fs::read(f("demo.jsonl.gz")).unwrap();
    let cut = gz.len() * 2 / 3;
    d.write("cut.jsonl.gz", &gz[..cut]);
    let r = d.run(&["read", "cut.jsonl.gz", "-o", "r.jsonl"]);
    r.expect_code(1);
    let kept = d.read("r.jsonl").lines().count();
    assert!(kept > 10 && kept < 60, "{kept}");
    assert!(
        r.stderr.contains("the gzip stream ends early")
            && r.stderr.contains(&format!("at or before byte {cut}")),
        "{}",
        r.stderr
    );
    let mut zst = std::fs::read(f("demo.jsonl.zst")).unwrap();
    let at = zst.len() * 3 / 4;
    for b in &mut zst[at..at + 32] {
        *b ^= 0xa5;
    }
    d.write("bad.jsonl.zst", &zst);
    let r = d.run(&["scan", "bad.jsonl.zst", "-q", "--assignments", "a.jsonl"]);
    r.expect_code(1);
    assert!(
        r.stderr.contains("the zstd stream is damaged"),
        "{}",
        r.stderr
    );
    assert!(!d.read("a.jsonl").is_empty());
}

/// A file of no kind read is one message saying what it looks like and
/// what to pass; alone, nothing is readable: exit 2.
#[test]
fn issue_17_unknown_kinds_get_one_message() {
    let d = Dir::new();
    d.write("blob.bin", [0u8, 1, 2, 3, 255, 254, 0, 7].repeat(100));
    let r = d.run(&["scan", "blob.bin", &f("demo.jsonl"), "-q"]);
    r.expect_code(1);
    let said: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("blob.bin"))
        .collect();
    assert_eq!(said.len(), 1, "{}", r.stderr);
    assert!(
        said[0].contains("binary data") && said[0].contains("--input-format"),
        "{}",
        said[0]
    );
    let r = d.run(&["scan", "blob.bin", "-q"]);
    r.expect_code(2);
    assert!(r.stderr.contains("no input could be read"), "{}", r.stderr);
}

/// `read` says where each date came from; a directory of saved pages is
/// read page by page; CSV rows are located by row.
#[test]
fn issue_17_read_shows_what_was_extracted() {
    let d = Dir::new();
    let r = d.run(&["read", &f("pages")]);
    r.expect_code(0);
    let pages = lines(&r.stdout);
    assert_eq!(pages.len(), 5);
    let harbour = pages.iter().find(|p| p["id"] == "harbour.html").unwrap();
    assert_eq!(harbour["title"], "Harbour authority approves dredging plan");
    assert_eq!(harbour["published_from"], "page");
    assert_eq!(
        harbour["url"],
        "https://coastal-ledger.example/news/2024/03/harbour-dredging"
    );
    let text = harbour["text"].as_str().unwrap();
    assert!(
        text.contains("north channel") && !text.contains("Privacy policy"),
        "{text}"
    );
    let r = d.run(&["read", &f("demo.csv")]);
    let rows = lines(&r.stdout);
    assert!(rows[0]["location"]
        .as_str()
        .unwrap()
        .ends_with("demo.csv:2"));
    assert_eq!(rows[0]["published_from"], "field");
}

/// Inside a directory, compressed and tabular files are read too (the
/// issue's `.jsonl.gz` was listed as ignored), each once, counted per file.
#[test]
fn issue_17_a_directory_of_compressed_and_csv_files_is_read() {
    let d = Dir::new();
    std::fs::create_dir(d.path("c")).unwrap();
    std::fs::copy(f("demo.jsonl.gz"), d.path("c/a.jsonl.gz")).unwrap();
    std::fs::copy(f("demo.csv"), d.path("c/b.csv")).unwrap();
    std::fs::copy(f("demo.jsonl.zst"), d.path("c/c.jsonl.zst")).unwrap();
    let r = d.run(&["scan", "c", "-q", "-o", "o.json"]);
    r.expect_code(0);
    let doc: Value = serde_json::from_str(&d.read("o.json")).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 3, "{files:?}");
    for file in files {
        assert_eq!(file["articles"].as_u64(), Some(60), "{file}");
    }
    assert!(
        doc["ignored"].as_array().is_none_or(|v| v.is_empty()),
        "{}",
        doc["ignored"]
    );
}
