//! Issue 15, records, flags and the terminal: hostile records are skipped
//! or read by one rule on both parser paths (lines up to 16 MB and over),
//! every numeric flag is checked, the skip list is bounded, and nothing
//! from the input reaches the terminal unescaped.

use crate::util::{assignments, cluster_of, rec, Dir};
use serde_json::Value;

const STORY: &str = "The regional water authority approved a plan on Tuesday to raise rates by 12 percent over \
three years, citing the cost of replacing pipes laid more than a century ago. Officials said the first increase \
would take effect in July and would add about $4 a month to the typical household bill.";

const OTHER: &str = "A late goal from the visiting striker gave the league leaders a narrow win on Sunday, \
extending their unbeaten run to eleven matches. The home side had dominated possession for most of the second \
half but failed to turn their chances into goals.";

/// A JSON string of `n` bytes, to push a line past 16 MB (the serde_json
/// path) in a field no rule reads, so the scan stays fast.
fn pad(n: usize) -> String {
    format!("\"{}\"", "x".repeat(n))
}

const HUGE: usize = 17 << 20;

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn out_json(d: &Dir) -> Value {
    serde_json::from_str(&d.read("out.json")).unwrap()
}

#[test]
fn issue_15_deep_nesting_is_skipped_with_its_location_on_both_paths() {
    let d = Dir::new();
    let deep = |extra: &str| {
        format!(
            "{{\"id\":\"d\",\"text\":\"a b\"{extra},\"x\":{}{}}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        )
    };
    let huge = deep(&format!(",\"pad\":{}", pad(HUGE)));
    let huge_column = huge.find('[').unwrap() + 100;
    let text = [
        rec("a", STORY),
        deep(""),
        rec("b", STORY),
        huge,
        rec("c", OTHER),
    ]
    .join("\n");
    d.write("in.jsonl", text);
    let r = d.run(&["scan", "in.jsonl", "--assignments", "a.jsonl", "-q"]);
    r.expect_code(1);
    let why = "nested more than 100 levels deep (news records nest a few; this is generated \
               or corrupt data, skipped so it cannot overflow the parser's stack)";
    assert!(
        r.stderr.contains(&format!("in.jsonl:2:127: {why}")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("in.jsonl:4:{huge_column}: {why}")),
        "{}",
        r.stderr
    );
    let a = assignments(&d.read("a.jsonl"));
    assert_eq!(a.len(), 3, "the other records are scanned");
    assert_eq!(cluster_of(&a, "a"), cluster_of(&a, "b"));
}

#[test]
fn issue_15_lone_surrogates_are_read_as_replacement_characters_with_a_notice() {
    let d = Dir::new();
    let line = |id: &str, text: &str| format!("{{\"id\":\"{id}\",\"text\":{}}}", json(text));
    let text = [
        line("x\\ud800", STORY),
        line("x\\udbff", OTHER),
        format!("{{\"id\":\"y\",\"text\":\"\\udc00 {}\"}}", &STORY[..60]),
        format!(
            "{{\"id\":\"h\\ud83d\",\"pad\":{},\"text\":{}}}",
            pad(HUGE),
            json(STORY)
        ),
    ]
    .join("\n");
    d.write("in.jsonl", text);
    let r = d.run(&[
        "scan",
        "in.jsonl",
        "-o",
        "out.json",
        "--assignments",
        "a.jsonl",
        "-q",
    ]);
    r.expect_code(0);
    let a = assignments(&d.read("a.jsonl"));
    let ids: Vec<&str> = a.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["x\u{FFFD}", "x\u{FFFD}", "y", "h\u{FFFD}"]);
    let notes: Vec<(String, String)> = out_json(&d)["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["at"].as_str().unwrap().to_owned(),
                n["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (line, column) in [(1, 9), (2, 9), (3, 19), (4, 9)] {
        let want = format!(
            "1 unpaired UTF-16 surrogate escape (the first at column {column}: half of a character \
             cut by the program that wrote the file); read as U+FFFD"
        );
        assert!(
            notes
                .iter()
                .any(|(at, m)| at.ends_with(&format!("in.jsonl:{line}")) && m == &want),
            "line {line}: {notes:#?}"
        );
    }
    // The two ids that became one are both kept, and said to collide.
    assert!(
        notes
            .iter()
            .any(|(at, m)| at.ends_with("in.jsonl:2") && m.contains("duplicate id `x\u{FFFD}`")),
        "{notes:#?}"
    );
    assert!(
        r.stderr.contains("unpaired UTF-16 surrogate"),
        "{}",
        r.stderr
    );
}

#[test]
fn issue_15_duplicate_keys_last_wins_on_both_paths() {
    let d = Dir::new();
    let text = [
        rec("orig", STORY),
        format!(
            "{{\"id\":\"dup\",\"text\":{},\"text\":{}}}",
            json(OTHER),
            json(STORY)
        ),
        format!(
            "{{\"id\":\"huge\",\"text\":{},\"pad\":{},\"text\":{}}}",
            json(OTHER),
            pad(HUGE),
            json(STORY)
        ),
        rec("other", OTHER),
    ]
    .join("\n");
    d.write("in.jsonl", text);
    let r = d.run(&["scan", "in.jsonl", "--assignments", "a.jsonl", "-q"]);
    r.expect_code(0);
    let a = assignments(&d.read("a.jsonl"));
    assert_eq!(cluster_of(&a, "dup"), cluster_of(&a, "orig"));
    assert_eq!(cluster_of(&a, "huge"), cluster_of(&a, "orig"));
    assert_ne!(cluster_of(&a, "other"), cluster_of(&a, "orig"));
    for line in [2, 3] {
        assert!(
            r.stderr.contains(&format!(
                "note: in.jsonl:{line}: field `text` given more than once in one object; the last \
                 is read (as JSON.parse, Python and jq do)"
            )),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn issue_15_errors_in_lines_over_16_mb_have_a_reason_and_column() {
    let d = Dir::new();
    let bad = format!("{{\"id\":\"e\",\"pad\":{},\"text\":\"t\" oops}}", pad(HUGE));
    let column = bad.find(" oops").unwrap() + 2;
    let surrogate = format!("{{\"id\":\"s\",\"pad\":{},\"text\":\"\\ud800\"", pad(HUGE));
    d.write(
        "in.jsonl",
        [rec("a", STORY), bad, surrogate.clone()].join("\n"),
    );
    let r = d.run(&["scan", "in.jsonl", "-q"]);
    r.expect_code(1);
    assert!(
        r.stderr.contains(&format!(
            "in.jsonl:2:{column}: invalid JSON: expected `,` or `}}`"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "in.jsonl:3:{}: invalid JSON: EOF while parsing an object",
            surrogate.len()
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("Syntax at character"), "{}", r.stderr);
}

#[test]
fn issue_15_numeric_ids_keep_their_json_text() {
    let d = Dir::new();
    let ids = ["18446744073709551616", "1e23", "1.0", "1", "-0"];
    let text: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| format!("{{\"id\":{id},\"text\":{}}}", json(&format!("{i} {STORY}"))))
        .collect();
    d.write("in.jsonl", text.join("\n"));
    let r = d.run(&["scan", "in.jsonl", "--assignments", "a.jsonl", "-q"]);
    r.expect_code(0);
    assert!(!r.stderr.contains("duplicate id"), "{}", r.stderr);
    let a = assignments(&d.read("a.jsonl"));
    let got: Vec<&str> = a.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(got, ids);
}

#[test]
fn issue_15_dates_at_the_ends_of_i64_are_undated_and_lags_do_not_wrap() {
    let d = Dir::new();
    let line = |id: &str, published: &str, text: &str| {
        format!(
            "{{\"id\":\"{id}\",\"published\":{published},\"text\":{}}}",
            json(text)
        )
    };
    d.write(
        "in.jsonl",
        [
            line("max", "9223372036854775807", STORY),
            line("min", "-9223372036854775808", STORY),
            line("ms", "1709596800000", STORY),
            line("ok", "\"2024-03-05\"", STORY),
        ]
        .join("\n"),
    );
    let r = d.run(&["scan", "in.jsonl", "--report", "r.json", "-q"]);
    r.expect_code(0);
    for (n, v) in [
        (1, "9223372036854775807"),
        (2, "-9223372036854775808"),
        (3, "1709596800000"),
    ] {
        assert!(
            r.stderr.contains(&format!(
                "note: in.jsonl:{n}: field `published` is {v} s from 1970, outside the years \
                 0000-9999 that dates are read in (a time in milliseconds?); read as undated"
            )),
            "{}",
            r.stderr
        );
    }
    let report: Value = serde_json::from_str(&d.read("r.json")).unwrap();
    let text = report.to_string();
    assert!(
        !text.contains("-9223372036854775"),
        "no wrapped lag: {text}"
    );
    assert!(!text.contains("9223372036854775807"), "{text}");
}

#[test]
fn issue_15_every_numeric_flag_is_checked() {
    let d = Dir::new();
    d.write("in.jsonl", [rec("a", STORY), rec("b", STORY)].join("\n"));
    for (flag, value, message) in [
        (
            "--threads",
            "100000",
            "--threads 100000: must be between 1 and 1024",
        ),
        ("--threads", "0", "--threads 0: must be between 1 and 1024"),
        (
            "--containment",
            "NaN",
            "--containment NaN: must be a number in (0, 2]",
        ),
        (
            "--containment",
            "inf",
            "--containment inf: must be a number in (0, 2]",
        ),
        (
            "--anchor-containment",
            "inf",
            "--anchor-containment inf: must be a number in [0, 1]",
        ),
        (
            "--anchor-containment",
            "1.5",
            "--anchor-containment 1.5: must be a number in [0, 1]",
        ),
        (
            "--threshold",
            "NaN",
            "--threshold NaN: must be a number in (0, 1]",
        ),
        (
            "--min-excerpt",
            "0",
            "--min-excerpt 0: must be a number in (0, 1]",
        ),
        (
            "--min-shared",
            "inf",
            "--min-shared inf: must be a number in [0, 1000000000]",
        ),
        (
            "--title-agreement",
            "NaN",
            "--title-agreement NaN: must be a number in [0, 1]",
        ),
        (
            "--figure-agreement",
            "1.5",
            "--figure-agreement 1.5: must be a number in [0, 1]",
        ),
        (
            "--recurrence-days",
            "inf",
            "--recurrence-days inf: must be a number in [-1000000, 365250]",
        ),
        (
            "--recurrence-days",
            "NaN",
            "--recurrence-days NaN: must be a number in [-1000000, 365250]",
        ),
        (
            "--num-perm",
            "0",
            "--num-perm 0: must be between 1 and 4096",
        ),
        ("--max-bucket", "1", "--max-bucket 1: must be at least 2"),
        (
            "--min-shingles",
            "99999999999",
            "--min-shingles 99999999999: must be between 0 and 16777216",
        ),
    ] {
        let r = d.run(&["scan", "in.jsonl", flag, value, "-o", "out.json"]);
        r.expect_code(2);
        assert!(
            r.stderr
                .contains(&format!("wiretrace: invalid setting: {message}")),
            "{flag} {value}: {}",
            r.stderr
        );
        assert!(
            !d.path("out.json").exists(),
            "{flag} {value}: nothing written"
        );
    }
    // Bands times rows past usize is an error, not an overflow.
    let big = "9223372036854775807";
    let r = d.run(&["scan", "in.jsonl", "--bands", big, "--rows", big]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("use at most --num-perm 128 values"),
        "{}",
        r.stderr
    );
    // The edges of the ranges are accepted.
    let started = std::time::Instant::now();
    d.run(&["scan", "in.jsonl", "--threads", "1024", "-q"])
        .expect_code(0);
    assert!(
        started.elapsed().as_secs() < 30,
        "1024 threads start quickly"
    );
    d.run(&[
        "scan",
        "in.jsonl",
        "--containment",
        "2",
        "--anchor-containment",
        "0",
        "-q",
    ])
    .expect_code(0);
}

#[test]
fn issue_15_skips_are_counted_exactly_and_listed_up_to_max_errors() {
    let d = Dir::new();
    let mut text = String::with_capacity(400_000);
    text.push_str(&rec("a", STORY));
    text.push('\n');
    for _ in 0..100_000 {
        text.push_str("x\n");
    }
    text.push_str(&rec("b", STORY));
    d.write("in.jsonl", &text);
    let r = d.run(&[
        "scan",
        "in.jsonl",
        "-o",
        "out.json",
        "--assignments",
        "a.jsonl",
        "-q",
    ]);
    r.expect_code(1);
    let doc = out_json(&d);
    assert_eq!(doc["summary"]["skipped"], 100_000);
    assert_eq!(doc["summary"]["records"], 100_002);
    let f = &doc["files"][0];
    assert_eq!(
        (f["skipped"].as_u64(), f["skipped_unlisted"].as_u64()),
        (Some(100_000), Some(99_000))
    );
    let listed = doc["skipped"].as_array().unwrap();
    assert_eq!(listed.len(), 1000);
    assert!(listed[999]["at"]
        .as_str()
        .unwrap()
        .ends_with("in.jsonl:1001:1"));
    assert_eq!(assignments(&d.read("a.jsonl")).len(), 2);
    // stderr: the first 20, then how many more in which file.
    assert_eq!(r.stderr.matches("wiretrace: skipped in.jsonl:").count(), 20);
    assert!(
        r.stderr
            .contains("wiretrace: ... and 99980 more skipped in in.jsonl\n"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("the first --max-errors of each file"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.lines().count() < 30, "{}", r.stderr);

    let r = d.run(&[
        "scan",
        "in.jsonl",
        "-o",
        "out.json",
        "--force",
        "--max-errors",
        "3",
        "-q",
    ]);
    r.expect_code(1);
    let doc = out_json(&d);
    assert_eq!(doc["skipped"].as_array().unwrap().len(), 3);
    assert_eq!(doc["summary"]["skipped"], 100_000);
    // Listing none still counts all, and still exits 1.
    let r = d.run(&[
        "scan",
        "in.jsonl",
        "-o",
        "out.json",
        "--force",
        "--max-errors",
        "0",
        "-q",
    ]);
    r.expect_code(1);
    assert_eq!(out_json(&d)["skipped"].as_array().unwrap().len(), 0);
    assert!(
        r.stderr.contains("... and 100000 more skipped in in.jsonl"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn issue_15_control_characters_are_escaped_on_the_terminal_not_in_json() {
    let d = Dir::new();
    let title = "\u{1b}]0;pwned\u{7}\u{1b}[2J\rFAKE\u{9b}31m\u{202e}";
    let line = |id: &str| serde_json::json!({"id": id, "title": title, "text": STORY}).to_string();
    let name = "evil\u{1b}[31m\r.jsonl";
    d.write(
        name,
        [
            line("a\u{1b}[1Ab"),
            line("c\rd"),
            "not json".into(),
            line("a\u{1b}[1Ab"),
        ]
        .join("\n"),
    );
    let r = d.run(&["scan", name, "-o", "out.json"]);
    r.expect_code(1);
    for (what, out) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        assert!(
            !out.contains(['\u{1b}', '\r', '\u{7}', '\u{9b}', '\u{202e}']),
            "{what} carries raw control characters: {out:?}"
        );
    }
    // Shown, escaped: the title in "largest clusters", the id and file name
    // in the skip and the duplicate-id notice.
    assert!(
        r.stdout
            .contains("\\x1b]0;pwned\\x07\\x1b[2J\\rFAKE\\u{9b}31m\\u{202e}"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("a\\x1b[1Ab"), "{}", r.stdout);
    assert!(r.stdout.contains("evil\\x1b[31m\\r.jsonl"), "{}", r.stdout);
    assert!(
        r.stderr.contains("skipped evil\\x1b[31m\\r.jsonl:3:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("duplicate id `a\\x1b[1Ab`"),
        "{}",
        r.stderr
    );
    // Machine output keeps the data as it is (JSON escapes it itself).
    let doc = out_json(&d);
    let ids: Vec<&str> = doc["clusters"][0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"a\u{1b}[1Ab") && ids.contains(&"c\rd"),
        "{ids:?}"
    );
    // `check` prints ids and outlets too.
    d.write("orig.jsonl", line("o\u{1b}[2Jo"));
    let r = d.run(&["check", "--originals", "orig.jsonl", name]);
    assert!(r.stdout.contains("o\\x1b[2Jo"), "{}", r.stdout);
    assert!(
        !r.stdout.contains('\u{1b}') && !r.stderr.contains('\u{1b}'),
        "{:?}",
        r.stdout
    );
    // Errors quote paths: a missing output directory named with an ESC.
    let r = d.run(&["scan", name, "-o", "no\u{1b}[2Jdir/out.json", "-q"]);
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
}
