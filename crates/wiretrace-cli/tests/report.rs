//! CLI tests of `scan --report` and `check` (issue 4).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data(name: &str) -> PathBuf {
    std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("../..")
        .join("testdata/lineage")
        .join(name)
}

fn wiretrace(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wiretrace"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run wiretrace")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn scan_report_formats_from_extension() {
    let dir = tempfile::tempdir().unwrap();
    let (orig, corpus) = (data("seeds-originals.jsonl"), data("seeds-corpus.jsonl"));
    for ext in ["json", "md", "html", "csv"] {
        let out = dir.path().join(format!("report.{ext}"));
        let o = wiretrace(
            &["scan", "-q", s(&orig), s(&corpus), "--report", s(&out)],
            dir.path(),
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = std::fs::read_to_string(&out).unwrap();
        match ext {
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["schema"], "wiretrace-report/1");
                assert_eq!(v["mode"], "scan");
                let st = &v["stories"][0];
                let origin = st["origin"].as_u64().unwrap() as usize;
                assert_eq!(st["members"][origin]["id"], "nyt");
                assert_eq!(st["evidence"], "earliest_date");
                let rep = st["copies"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["id"] == "republished")
                    .unwrap();
                assert_eq!(rep["type"], "verbatim");
                assert_eq!(rep["attribution"]["attributed"], true);
                assert_eq!(rep["lag_seconds"], 16200);
                assert!(!text.contains("\"spun\""));
            }
            "md" => {
                assert!(text.contains("Original: **The New York Times**"), "{text}");
                assert!(
                    text.contains("verbatim · coverage 100% · attributed: yes"),
                    "{text}"
                );
            }
            "html" => {
                assert!(text.starts_with("<!DOCTYPE html>"));
                assert!(text.contains("Content-Security-Policy"));
                assert!(!text.contains("src=\"http"));
            }
            _ => {
                assert!(text.starts_with("cluster,origin_id,"));
                assert_eq!(text.matches("\r\n").count(), 3, "{text}");
            }
        }
    }
}

#[test]
fn report_format_flag_and_unknown_extension() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = data("seeds-corpus.jsonl");
    let out = dir.path().join("report.txt");
    let o = wiretrace(&["scan", "-q", s(&corpus), "--report", s(&out)], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--report-format"));
    let o = wiretrace(
        &[
            "scan",
            "-q",
            s(&corpus),
            "--report",
            s(&out),
            "--report-format",
            "csv",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("cluster,"));
}

#[test]
fn check_answers_who_republished_and_fails_on_unattributed() {
    let dir = tempfile::tempdir().unwrap();
    let (orig, corpus) = (data("seeds-originals.jsonl"), data("seeds-corpus.jsonl"));
    let out = dir.path().join("check.json");
    let args = [
        "check",
        "--originals",
        s(&orig),
        s(&corpus),
        "--report",
        s(&out),
    ];
    let o = wiretrace(&args, dir.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("UNATTRIBUTED") && stdout.contains("Pak News Hub"),
        "{stdout}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["mode"], "check");
    assert_eq!(v["summary"]["originals"], 1);
    assert_eq!(v["summary"]["copies"], 2);
    assert_eq!(v["summary"]["unattributed"], 1);
    assert_eq!(v["stories"][0]["evidence"], "given");

    let mut failing = args.to_vec();
    // The report exists from the run above: overwriting it takes --force.
    failing.extend(["--fail-on", "unattributed", "-q", "--force"]);
    assert_eq!(wiretrace(&failing, dir.path()).status.code(), Some(3));
}

#[test]
fn check_with_no_copies_exits_zero_even_with_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let orig = data("seeds-originals.jsonl");
    let other = dir.path().join("other.jsonl");
    std::fs::write(
        &other,
        "{\"id\":\"x\",\"text\":\"A football match was won late on Sunday by the visiting side after a long delay for rain.\"}\n",
    )
    .unwrap();
    let o = wiretrace(
        &[
            "check",
            "-q",
            "--originals",
            s(&orig),
            s(&other),
            "--fail-on",
            "unattributed",
        ],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
