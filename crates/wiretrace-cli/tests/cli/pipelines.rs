//! Issue 19: outputs that fit a pipeline (`-` for each output, JSON Lines),
//! reports an editor acts on (directory reports, story caps, versions), and
//! help that teaches.

use crate::util::Dir;
use serde_json::Value;

fn demo() -> String {
    std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("../../testdata/demo/corpus.jsonl")
        .display()
        .to_string()
}

/// `wiretrace ARGS | TAIL` under bash with pipefail: (exit code, stdout, stderr).
fn piped(d: &Dir, args: &str, tail: &str) -> (i32, String, String) {
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' {args} | {tail}",
            env!("CARGO_BIN_EXE_wiretrace")
        ))
        .current_dir(d.path("."))
        .output()
        .expect("bash");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn issue_19_dash_is_stdout_for_each_output_into_head() {
    let d = Dir::new();
    let c = demo();
    for (args, lines) in [
        (format!("scan {c} --assignments - -q"), 1),
        (format!("scan {c} -o - --format jsonl -q"), 1),
        (format!("scan {c} --report - --report-format jsonl -q"), 2),
        (format!("scan {c} --report - --report-format csv -q"), 1),
    ] {
        let (code, out, err) = piped(&d, &args, &format!("head -n {lines}"));
        assert_eq!(code, 0, "{args}: a closed pipe is a clean exit\n{err}");
        let got: Vec<&str> = out.lines().collect();
        assert_eq!(got.len(), lines, "{args}: {out}");
        if !args.contains("csv") {
            for l in got {
                let v: Value =
                    serde_json::from_str(l).unwrap_or_else(|e| panic!("{args}: {e}: {l}"));
                assert!(v.is_object());
            }
        } else {
            assert!(got[0].starts_with("cluster,origin_id,"), "{out}");
        }
        assert!(!d.path("-").exists(), "no file named -");
    }
}

#[test]
fn issue_19_dash_whole_documents_parse_and_the_summary_goes_to_stderr() {
    let d = Dir::new();
    let c = demo();
    for args in [
        format!("scan {c} -o -"),
        format!("scan {c} --report - --report-format json"),
    ] {
        let (code, out, err) = piped(&d, &args, "cat");
        assert_eq!(code, 0, "{args}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args}: {e}"));
        assert!(v.is_object());
        assert!(err.contains("articles"), "the summary is on stderr: {err}");
    }
    // The jsonl report: one story per line, each with the schema, largest first.
    let (_, out, _) = piped(
        &d,
        &format!("scan {c} --report - --report-format jsonl -q"),
        "cat",
    );
    let sizes: Vec<u64> = out
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["schema"], "wiretrace-report/1");
            v["size"].as_u64().unwrap()
        })
        .collect();
    assert!(sizes.len() > 10 && sizes.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn issue_19_two_outputs_on_stdout_are_refused() {
    let d = Dir::new();
    let r = d.run(&["scan", &demo(), "--assignments", "-", "-o", "-"]);
    r.expect_code(2);
    assert!(r.stderr.contains("standard output"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn issue_19_report_directory_has_an_index_and_pages() {
    let d = Dir::new();
    d.run(&["scan", &demo(), "--report", "out/", "-q"])
        .expect_code(0);
    let index = d.read("out/index.html");
    assert!(index.contains("\"at\":\"stories-0001.html\""));
    let page = d.read("out/stories-0001.html");
    assert!(page.contains("\"t\":["), "texts on the story page");
    // Refused again without --force, before scanning; accepted with it.
    let r = d.run(&["scan", &demo(), "--report", "out/", "-q"]);
    r.expect_code(2);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    d.run(&["scan", &demo(), "--report", "out", "-q", "--force"])
        .expect_code(0);
    // A directory holds HTML only.
    let r = d.run(&[
        "scan",
        &demo(),
        "--report",
        "out/",
        "--report-format",
        "csv",
        "--force",
    ]);
    r.expect_code(2);
    assert!(r.stderr.contains("HTML"), "{}", r.stderr);
}

#[test]
fn issue_19_report_max_stories_notes_the_rest() {
    let d = Dir::new();
    d.run(&[
        "scan",
        &demo(),
        "--report",
        "r.html",
        "--report-max-stories",
        "5",
        "-q",
    ])
    .expect_code(0);
    let html = d.read("r.html");
    assert!(
        html.contains(
            "The 5 largest stories are listed here; the 72 others are in the JSON report"
        ),
        "note"
    );
    assert_eq!(html.matches("{\"n\":").count(), 5);
}

#[test]
fn issue_19_same_outlet_amp_page_is_a_version_not_a_copy() {
    let d = Dir::new();
    let body = "The city council voted on Tuesday to close the old bridge for repairs after engineers found cracks in two of its supports.\n\n\
                Residents will have to use the ferry or a detour through the industrial district for at least six months, officials said.\n\n\
                The mayor said the work would cost more than four million dollars and would be paid from the reserve fund set aside last year.";
    let recs = [
        serde_json::json!({"id": "orig", "source": "Harbor Times", "url": "https://harbortimes.example/city/bridge-closed", "published": "2024-05-01T08:00:00Z", "text": body}),
        serde_json::json!({"id": "amp", "source": "Harbor Times", "url": "https://harbortimes.example/city/bridge-closed/amp", "published": "2024-05-01T08:02:00Z", "text": body}),
        serde_json::json!({"id": "copy", "source": "Daily Echo", "url": "https://echo.example/bridge", "published": "2024-05-01T10:00:00Z", "text": body}),
    ];
    let corpus: String = recs.iter().map(|r| r.to_string() + "\n").collect();
    d.write("c.jsonl", corpus);
    d.run(&["scan", "c.jsonl", "--report", "r.json", "-q"])
        .expect_code(0);
    let v: Value = serde_json::from_str(&d.read("r.json")).unwrap();
    assert_eq!(v["summary"]["copies"], 1, "{v}");
    assert_eq!(v["summary"]["versions"], 1);
    let s = &v["stories"][0];
    assert_eq!(s["versions"][0]["id"], "amp");
    assert_eq!(s["versions"][0]["reason"], "same_url");
    assert_eq!(s["copies"][0]["id"], "copy");
    assert_eq!(v["outlets"][0]["outlet"], "Daily Echo");
    assert_eq!(v["outlets"][0]["from"][0]["outlet"], "Harbor Times");
    let md = {
        d.run(&["scan", "c.jsonl", "--report", "r.md", "-q"])
            .expect_code(0);
        d.read("r.md")
    };
    assert!(md.contains("own versions (not copies)"), "{md}");
    assert!(md.contains("https://echo.example/bridge"), "the copy's URL");
}

#[test]
fn issue_19_help_has_examples_and_every_exit_code() {
    let d = Dir::new();
    let top = d.run(&["--help"]);
    top.expect_code(0);
    assert!(top.stdout.contains("Examples:"), "{}", top.stdout);
    for code in ["  0  ", "  1  ", "  2  ", "  3  "] {
        assert!(
            top.stdout.contains(code),
            "exit code {code}: {}",
            top.stdout
        );
    }
    for sub in ["scan", "check", "gen", "eval"] {
        let r = d.run(&[sub, "--help"]);
        r.expect_code(0);
        assert!(r.stdout.contains("Examples:"), "{sub}: {}", r.stdout);
        assert!(
            r.stdout.contains(&format!("wiretrace {sub} ")),
            "{sub}: {}",
            r.stdout
        );
    }
}

#[test]
fn issue_19_color_only_when_asked_or_on_a_terminal() {
    let d = Dir::new();
    let lineage =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../../testdata/lineage");
    let o = lineage.join("seeds-originals.jsonl").display().to_string();
    let c = lineage.join("seeds-corpus.jsonl").display().to_string();
    let plain = d.run(&["check", "--originals", &o, &c]);
    assert!(!plain.stdout.contains('\x1b'), "not a terminal: no colour");
    let always = d.run(&["check", "--originals", &o, &c, "--color", "always"]);
    assert_eq!(always.code, plain.code);
    assert!(plain.stdout.contains("attributed"), "{}", plain.stdout);
    assert!(always.stdout.contains("\x1b["), "{}", always.stdout);
    let never = d.run(&["check", "--originals", &o, &c, "--color", "never"]);
    assert!(!never.stdout.contains('\x1b'), "{}", never.stdout);
}
