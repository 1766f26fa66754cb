//! Issue 6: bad input, nothing lost, safe outputs. The bad corpus is
//! `testdata/bad/corpus` (each case listed in `testdata/bad/README.md`).

use crate::util::{assignments, cluster_of, rec, Dir};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn bad_corpus() -> PathBuf {
    std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("../..")
        .join("testdata/bad/corpus")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

const STORY: &str = "The regional water authority approved a plan on Tuesday to raise rates by 12 percent over \
three years, citing the cost of replacing pipes laid more than a century ago. Officials said the first increase \
would take effect in July and would add about $4 a month to the typical household bill.";

/// Every skip of the bad corpus: location suffix and exact reason.
const EXPECTED_SKIPS: &[(&str, &str)] = &[
    ("vanished.jsonl", "unreadable: No such file or directory (os error 2)"),
    ("records.jsonl:2:55", "invalid JSON: EOF while parsing a string"),
    ("records.jsonl:3", "not a JSON object (each line must be one article object)"),
    ("records.jsonl:4", "no field `text`; name the right one with --text-field"),
    ("records.jsonl:5", "field `text` must be a string"),
    ("records.jsonl:6", "empty text (the text field is empty or only whitespace)"),
    ("records.jsonl:7", "empty text (the text field is empty or only whitespace)"),
    (
        "records.jsonl:10:27",
        "invalid UTF-8 (re-encode the file as UTF-8, or pass --lossy to replace bad bytes)",
    ),
    (
        "records.jsonl:11:26",
        "invalid JSON: raw NUL byte (binary or corrupt data; inside JSON text it must be written \\u0000)",
    ),
    ("records.jsonl:16:18", "invalid JSON: expected `,` or `}`"),
    ("truncated.jsonl:2:49", "invalid JSON: EOF while parsing a string"),
];

#[test]
fn issue_6_bad_corpus_counts_add_up_and_every_skip_is_explained() {
    let d = Dir::new();
    let corpus = bad_corpus();
    let r = d.run(&[
        "scan",
        s(&corpus),
        "vanished.jsonl",
        "-o",
        "out.json",
        "--assignments",
        "a.jsonl",
    ]);
    // Issue 17: a named input that cannot be opened is exit 2 (the scan
    // still runs on the rest and writes its outputs).
    r.expect_code(2);
    assert!(
        r.stderr.contains("1 named input could not be opened"),
        "{}",
        r.stderr
    );
    let doc: Value = serde_json::from_str(&d.read("out.json")).unwrap();

    // Every record accounted for, per file and in total.
    let sum = &doc["summary"];
    let n = |v: &Value| v.as_u64().unwrap();
    assert_eq!(n(&sum["records"]), n(&sum["articles"]) + n(&sum["skipped"]));
    let files = doc["files"].as_array().unwrap();
    for f in files {
        assert_eq!(
            n(&f["records"]),
            n(&f["articles"]) + n(&f["skipped"]),
            "{f}"
        );
    }
    let total = |k: &str| files.iter().map(|f| n(&f[k])).sum::<u64>();
    assert_eq!(total("records"), n(&sum["records"]));
    assert_eq!(total("articles"), n(&sum["articles"]));
    assert_eq!(total("skipped"), n(&sum["skipped"]));
    let per = |name: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no file entry for {name}"))
    };
    let counts = |name: &str| {
        let f = per(name);
        (n(&f["records"]), n(&f["articles"]), n(&f["skipped"]))
    };
    assert_eq!(counts("records.jsonl"), (15, 6, 9));
    assert_eq!(counts("bom-crlf.jsonl"), (2, 2, 0));
    assert_eq!(counts("truncated.jsonl"), (2, 1, 1));
    assert_eq!(counts("no-final-newline.jsonl"), (1, 1, 0));
    assert_eq!(counts("empty.jsonl"), (0, 0, 0));
    assert_eq!(counts("story.txt"), (1, 1, 0));
    // gzip under a `.jsonl` name: decompressed by its magic bytes (issue 17).
    assert_eq!(counts("compressed.jsonl"), (1, 1, 0));
    assert_eq!(counts("vanished.jsonl"), (1, 0, 1));
    assert_eq!(n(&per("records.jsonl")["duplicate_ids"]), 2);

    // Every skip, with its exact location and reason, in the JSON and on stderr.
    let skipped: Vec<(String, String)> = doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["at"].as_str().unwrap().to_owned(),
                x["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(skipped.len(), EXPECTED_SKIPS.len(), "{skipped:#?}");
    for ((at, reason), (want_at, want_reason)) in skipped.iter().zip(EXPECTED_SKIPS) {
        assert!(at.ends_with(want_at), "{at} should end with {want_at}");
        assert_eq!(reason, want_reason, "at {at}");
        assert!(
            r.stderr.contains(&format!("{at}: {reason}")),
            "stderr lacks {at}: {reason}\n{}",
            r.stderr
        );
    }

    // Kept articles: one assignment each; duplicates told apart; short
    // texts flagged and never merged.
    let a = assignments(&d.read("a.jsonl"));
    assert_eq!(a.len() as u64, n(&sum["articles"]));
    let lines: Vec<Value> = d
        .read("a.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dups: Vec<&str> = lines
        .iter()
        .filter(|l| l["id"] == "good-1")
        .map(|l| l["at"].as_str().expect("duplicated id carries at"))
        .collect();
    assert_eq!(dups.len(), 2);
    assert!(dups[0].ends_with("records.jsonl:1") && dups[1].ends_with("records.jsonl:15"));
    assert!(lines
        .iter()
        .filter(|l| l["id"] != "good-1")
        .all(|l| l.get("at").is_none()));
    assert_ne!(cluster_of(&a, "short-1"), cluster_of(&a, "short-2"));
    for id in ["short-1", "short-2"] {
        let l = lines.iter().find(|l| l["id"] == id).unwrap();
        assert_eq!(l["too_short"], true);
    }
    assert_eq!(doc["too_short"].as_array().unwrap().len(), 2);
    assert_eq!(cluster_of(&a, "escaped-nul"), cluster_of(&a, "good-1"));
    let notices = doc["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1);
    assert!(notices[0]["at"]
        .as_str()
        .unwrap()
        .ends_with("records.jsonl:15"));
    let msg = notices[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("duplicate id `good-1`") && msg.contains("records.jsonl:1;"),
        "{msg}"
    );
    assert!(r.stderr.contains("note: "), "{}", r.stderr);

    // Files of other kinds: ignored and listed.
    let ignored: Vec<&str> = doc["ignored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(ignored.len(), 2);
    assert!(ignored[0].ends_with("notes.pdf") && ignored[1].ends_with("scan.png"));
    assert!(r.stdout.contains("ignored"), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!(
            "{}   = {} articles + {} skipped",
            n(&sum["records"]),
            n(&sum["articles"]),
            n(&sum["skipped"])
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn issue_6_strict_stops_at_the_first_bad_record() {
    let d = Dir::new();
    let f = bad_corpus().join("records.jsonl");
    let r = d.run(&["scan", s(&f), "--strict", "-o", "out.json"]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("records.jsonl:2:55: invalid JSON: EOF while parsing a string (run without --strict to skip bad records and go on)"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(!d.path("out.json").exists());
}

#[test]
fn lossy_reads_invalid_utf8() {
    let d = Dir::new();
    let f = bad_corpus().join("records.jsonl");
    let r = d.run(&["scan", s(&f), "--lossy", "--assignments", "a.jsonl", "-q"]);
    r.expect_code(1);
    assert!(!r.stderr.contains("invalid UTF-8"), "{}", r.stderr);
    assert!(assignments(&d.read("a.jsonl"))
        .iter()
        .any(|(id, _)| id == "latin1"));
}

#[test]
fn existing_outputs_need_force() {
    let d = Dir::new();
    d.write("in.jsonl", rec("a", STORY) + "\n" + &rec("b", STORY));
    d.write("a.jsonl", "keep me");
    let r = d.run(&["scan", "in.jsonl", "--assignments", "a.jsonl", "-q"]);
    r.expect_code(2);
    assert!(
        r.stderr
            .contains("a.jsonl: output already exists; pass --force to overwrite it"),
        "{}",
        r.stderr
    );
    assert_eq!(d.read("a.jsonl"), "keep me");
    d.run(&[
        "scan",
        "in.jsonl",
        "--assignments",
        "a.jsonl",
        "-q",
        "--force",
    ])
    .expect_code(0);
    assert_eq!(assignments(&d.read("a.jsonl")).len(), 2);
    // Even with --force, an input is never an output.
    let r = d.run(&["scan", "in.jsonl", "-o", "./in.jsonl", "--force", "-q"]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("output file is also an input"),
        "{}",
        r.stderr
    );
    // Two outputs on one path would overwrite each other.
    let r = d.run(&[
        "scan", "in.jsonl", "-o", "x.json", "--report", "x.json", "-q",
    ]);
    r.expect_code(2);
    assert!(r.stderr.contains("named as two outputs"), "{}", r.stderr);
    // No temporary file is left behind by any of it.
    let left: Vec<_> = std::fs::read_dir(d.path("."))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("wiretrace-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn gen_refuses_to_overwrite_without_force() {
    let d = Dir::new();
    d.run(&["gen", "--out", "g", "--articles", "20"])
        .expect_code(0);
    let r = d.run(&["gen", "--out", "g", "--articles", "20"]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("corpus.jsonl: output already exists"),
        "{}",
        r.stderr
    );
    d.run(&["gen", "--out", "g", "--articles", "20", "--force"])
        .expect_code(0);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_skipped_with_the_os_reason() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    d.write("in.jsonl", rec("a", STORY));
    let locked = d.write("locked.jsonl", rec("b", STORY));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Running as root: permissions do not stop reads; nothing to test.
        return;
    }
    let r = d.run(&["scan", "in.jsonl", "locked.jsonl", "-q"]);
    r.expect_code(1);
    assert!(
        r.stderr
            .contains("locked.jsonl: unreadable: Permission denied"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_directory_is_ignored_not_waited_on() {
    let d = Dir::new();
    d.write("corpus/a.jsonl", rec("a", STORY));
    let fifo = d.path("corpus/pipe.jsonl");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let r = d.run(&["scan", "corpus", "-o", "out.json", "-q"]);
    r.expect_code(0);
    let doc: Value = serde_json::from_str(&d.read("out.json")).unwrap();
    assert!(doc["ignored"][0].as_str().unwrap().ends_with("pipe.jsonl"));
}

#[test]
fn hostile_payloads_are_escaped_in_the_html_report() {
    let d = Dir::new();
    let hostile =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../..")
            .join("testdata/lineage/hostile.jsonl");
    let r = d.run(&["scan", s(&hostile), "--report", "r.html", "-q"]);
    r.expect_code(0);
    let html = d.read("r.html");
    // Article strings are data (JSON in which `<` is `\u003c`), shown by
    // the page's script with textContent (scripts/html-check.sh checks it
    // in a browser); the data element and the script are the only ones.
    assert!(
        html.contains("\\u003cscript\\u003ealert('t')\\u003c/script\\u003e"),
        "payload as data"
    );
    assert_eq!(html.matches("<script").count(), 2);
    assert_eq!(html.matches("</script").count(), 2);
    assert!(!html.contains("<img"));
    assert!(!html.contains("onerror=alert(1)>"));
    assert!(!html.contains("href=\"javascript:"));
    let md = {
        d.run(&["scan", s(&hostile), "--report", "r.md", "-q"])
            .expect_code(0);
        d.read("r.md")
    };
    assert!(!md.contains("<script>") && !md.contains("<img"), "{md}");
}

/// A single line of 200 MB (one article whose text is 200 MB) is read,
/// fingerprinted and reported, not skipped and not a crash.
#[test]
fn huge_line_is_read() {
    let d = Dir::new();
    let sentence =
        "Officials said the reservoir had fallen to its lowest level in twelve years on Monday. ";
    let mut text = String::with_capacity(200 << 20);
    let mut i = 0u64;
    while text.len() < 200 << 20 {
        // Numbered sentences, so the text has many distinct shingles.
        text.push_str(sentence);
        text.push_str(&format!("Item {i}. "));
        i += 1;
    }
    let mut corpus = rec("huge", &text);
    drop(text);
    corpus.push('\n');
    corpus.push_str(&rec("small", STORY));
    corpus.push('\n');
    d.write("big.jsonl", corpus);
    let started = std::time::Instant::now();
    let r = d.run(&["scan", "big.jsonl", "--assignments", "a.jsonl", "-q"]);
    r.expect_code(0);
    let a = assignments(&d.read("a.jsonl"));
    assert_eq!(a.len(), 2);
    assert!(
        r.stderr
            .contains("big.jsonl:1: text is 209.7 MB; only its first 16 MB are fingerprinted"),
        "{}",
        r.stderr
    );
    eprintln!(
        "200 MB line scanned in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
