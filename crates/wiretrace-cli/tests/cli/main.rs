//! CLI integration tests: the binary run as a user would.

mod pipelines;
mod util;

use util::{assignments, cluster_of, rec, Dir};

const STORY: &str = "The regional water authority approved a plan on Tuesday to raise rates by 12 percent over \
three years, citing the cost of replacing pipes laid more than a century ago. Officials said the first increase \
would take effect in July and would add about $4 a month to the typical household bill. Consumer groups said \
they would challenge the decision, arguing that the authority had not explained why earlier grants fell short.\n\n\
The board voted 7 to 2 after a four-hour hearing in which dozens of residents spoke, many of them complaining \
about brown water and low pressure in older neighbourhoods on the east side of the city.";

const OTHER: &str = "A late goal from the visiting striker gave the league leaders a narrow win on Sunday, \
extending their unbeaten run to eleven matches. The home side had dominated possession for most of the second \
half but failed to turn their chances into goals, and their manager said afterwards that the result was harsh \
on his players, who had worked hard all week on their finishing in training.";

fn corpus() -> String {
    [
        rec("orig", STORY),
        rec(
            "copy",
            &format!("By Jane Doe\n\n{STORY}\n\nRead original article here\n\nLeave a Comment"),
        ),
        rec("other", OTHER),
    ]
    .join("\n")
}

#[test]
fn help_documents_exit_codes() {
    let d = Dir::new();
    let r = d.run(&["scan", "--help"]);
    r.expect_code(0);
    assert!(r.stdout.contains("Exit codes"), "{}", r.stdout);
}

#[test]
fn scan_writes_an_assignment_for_every_article() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    let r = d.run(&[
        "scan",
        "in.jsonl",
        "--assignments",
        "a.jsonl",
        "-o",
        "c.json",
    ]);
    r.expect_code(0);
    let a = assignments(&d.read("a.jsonl"));
    assert_eq!(a.len(), 3);
    assert_eq!(cluster_of(&a, "orig"), cluster_of(&a, "copy"));
    assert_ne!(cluster_of(&a, "orig"), cluster_of(&a, "other"));
    let c: serde_json::Value = serde_json::from_str(&d.read("c.json")).unwrap();
    assert_eq!(c["clusters"].as_array().unwrap().len(), 1);
    assert_eq!(c["clusters"][0]["members"][1]["location"], "in.jsonl:2");
    assert!(r.stdout.contains("articles read"), "{}", r.stdout);
}

#[test]
fn cluster_ids_are_the_same_across_thread_counts() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    d.run(&[
        "scan",
        "in.jsonl",
        "--assignments",
        "one.jsonl",
        "--threads",
        "1",
        "-q",
    ])
    .expect_code(0);
    d.run(&[
        "scan",
        "in.jsonl",
        "--assignments",
        "two.jsonl",
        "--threads",
        "2",
        "-q",
    ])
    .expect_code(0);
    assert_eq!(d.read("one.jsonl"), d.read("two.jsonl"));
}

#[test]
fn bad_records_are_skipped_with_location_and_exit_1() {
    let d = Dir::new();
    let text = format!(
        "{}\n{{\"id\": 9, \"text\": \n[1,2]\n{{\"id\":\"x\"}}\n{}\n",
        rec("a", STORY),
        rec("b", OTHER)
    );
    d.write("in.jsonl", text);
    let r = d.run(&["scan", "in.jsonl", "--assignments", "a.jsonl"]);
    r.expect_code(1);
    assert!(r.stderr.contains("in.jsonl:2:"), "{}", r.stderr);
    assert!(r.stderr.contains("invalid JSON"), "{}", r.stderr);
    assert!(
        r.stderr.contains("in.jsonl:3: not a JSON object"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("in.jsonl:4: no field `text`; name the right one with --text-field"),
        "{}",
        r.stderr
    );
    assert_eq!(assignments(&d.read("a.jsonl")).len(), 2);
}

#[test]
fn strict_stops_at_the_first_bad_record() {
    let d = Dir::new();
    d.write("in.jsonl", format!("{}\nnot json\n[1]\n", rec("a", STORY)));
    let r = d.run(&["scan", "in.jsonl", "--strict", "--assignments", "a.jsonl"]);
    r.expect_code(2);
    assert!(
        r.stderr
            .contains("in.jsonl:2:2: invalid JSON: expected a JSON value"),
        "{}",
        r.stderr
    );
    assert!(!d.path("a.jsonl").exists(), "no output on a fatal error");
}

#[test]
fn output_equal_to_an_input_is_refused() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    let r = d.run(&["scan", "in.jsonl", "--assignments", "in.jsonl"]);
    r.expect_code(2);
    assert!(r.stderr.contains("also an input"), "{}", r.stderr);
    assert_eq!(d.read("in.jsonl"), corpus());
}

#[test]
fn renamed_and_nested_fields() {
    let d = Dir::new();
    let line = |id: &str, t: &str| serde_json::json!({"doc": {"key": id}, "body": t}).to_string();
    d.write("in.ndjson", [line("1", STORY), line("2", STORY)].join("\n"));
    let r = d.run(&[
        "scan",
        "in.ndjson",
        "--id-field",
        "doc.key",
        "--text-field",
        "body",
        "--assignments",
        "a.jsonl",
    ]);
    r.expect_code(0);
    let a = assignments(&d.read("a.jsonl"));
    assert_eq!(cluster_of(&a, "1"), cluster_of(&a, "2"));
}

#[test]
fn directories_are_walked_with_text_files() {
    let d = Dir::new();
    d.write("corpus/a.txt", STORY);
    d.write(
        "corpus/sub/b.md",
        format!("# A headline\n\n{STORY}\n\nShare this:"),
    );
    d.write("corpus/c.txt", OTHER);
    d.write("corpus/notes.pdf", "ignored");
    let r = d.run(&["scan", "corpus", "--assignments", "a.jsonl"]);
    r.expect_code(0);
    let a = assignments(&d.read("a.jsonl"));
    assert_eq!(a.len(), 3);
    assert_eq!(cluster_of(&a, "a.txt"), cluster_of(&a, "sub/b.md"));
    assert_ne!(cluster_of(&a, "a.txt"), cluster_of(&a, "c.txt"));
}

#[test]
fn stdin_dash() {
    let d = Dir::new();
    let r = d.run_with_stdin(
        &["scan", "-", "--assignments", "a.jsonl", "-q"],
        Some(corpus().as_bytes()),
    );
    r.expect_code(0);
    assert_eq!(assignments(&d.read("a.jsonl")).len(), 3);
}

/// A gzip file cut inside its header (under a `.jsonl` name) is found by
/// its magic bytes and its damage reported; the other input is read.
#[test]
fn damaged_gzip_is_named_and_skipped() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    d.write("old.jsonl", [0x1f, 0x8b, 8, 0, 0, 0]);
    let r = d.run(&[
        "scan",
        "in.jsonl",
        "old.jsonl",
        "-q",
        "--assignments",
        "a.jsonl",
    ]);
    r.expect_code(1);
    assert!(
        r.stderr
            .contains("old.jsonl:1: unreadable: the gzip stream ends early"),
        "{}",
        r.stderr
    );
}

#[test]
fn missing_file_is_reported() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    // Issue 17: a named input that is not there is exit 2, not the exit 1
    // of a bad record, so a job can tell a missing crawl from one bad line.
    let r = d.run(&["scan", "in.jsonl", "nope.jsonl", "-q"]);
    r.expect_code(2);
    assert!(r.stderr.contains("nope.jsonl: unreadable"), "{}", r.stderr);
    let r = d.run(&["scan", "nope.jsonl", "-q"]);
    r.expect_code(2);
}

#[test]
fn bad_boilerplate_pattern_names_its_line() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    d.write("bp.txt", "# comment\nbrought to you by .*\n(unclosed\n");
    let r = d.run(&["scan", "in.jsonl", "--boilerplate", "bp.txt"]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("bp.txt:3: invalid boilerplate pattern"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn closed_stdout_is_a_clean_exit() {
    use std::process::Stdio;
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    let mut child = d
        .cmd()
        .args(["scan", "in.jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

mod seeds;

#[test]
fn demo_corpus_scans_to_its_truth() {
    let d = Dir::new();
    let root =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../..");
    let corpus = root.join("testdata/demo/corpus.jsonl");
    let truth = root.join("testdata/demo/truth.jsonl");
    let r = d.run(&[
        "scan",
        corpus.to_str().unwrap(),
        "--assignments",
        "a.jsonl",
        "-q",
    ]);
    r.expect_code(0);
    let lines = std::fs::read_to_string(&corpus).unwrap().lines().count();
    assert_eq!(
        assignments(&d.read("a.jsonl")).len(),
        lines,
        "one assignment per article"
    );
    let r = d.run(&[
        "eval",
        "--truth",
        truth.to_str().unwrap(),
        "a.jsonl",
        "--json",
    ]);
    r.expect_code(0);
    let s: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        s["pairwise"]["precision"].as_f64().unwrap() >= 0.999,
        "{}",
        r.stdout
    );
    assert!(
        s["pairwise"]["recall"].as_f64().unwrap() >= 0.98,
        "{}",
        r.stdout
    );
}

#[test]
fn gen_is_deterministic() {
    let d = Dir::new();
    d.run(&["gen", "--out", "one", "--articles", "200", "--seed", "5"])
        .expect_code(0);
    d.run(&["gen", "--out", "two", "--articles", "200", "--seed", "5"])
        .expect_code(0);
    assert_eq!(d.read("one/corpus.jsonl"), d.read("two/corpus.jsonl"));
    assert_eq!(d.read("one/truth.jsonl"), d.read("two/truth.jsonl"));
}

mod formats;
mod index;
mod outputs;
mod records;
mod reliability;

mod inputs;
