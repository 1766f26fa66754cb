//! Issue 15, input files and directories: many files, symlink loops, files
//! truncated while read, pipes, files reached twice, hidden files, names
//! that are not UTF-8, and outputs inside a scanned directory.

use crate::util::{assignments, rec, Dir};
use serde_json::Value;
use std::path::Path;

const STORY: &str = "The regional water authority approved a plan on Tuesday to raise rates by 12 percent over \
three years, citing the cost of replacing pipes laid more than a century ago. Officials said the first increase \
would take effect in July and would add about $4 a month to the typical household bill. Consumer groups said \
they would challenge the decision, arguing that the authority had not explained why earlier grants fell short.";

const OTHER: &str = "A late goal from the visiting striker gave the league leaders a narrow win on Sunday, \
extending their unbeaten run to eleven matches. The home side had dominated possession for most of the second \
half but failed to turn their chances into goals, and their manager said afterwards that the result was harsh \
on his players, who had worked hard all week on their finishing in training.";

const THIRD: &str = "The city council voted on Monday to close the old library on Elm Street at the end of \
the year and move its collection to a new building beside the central station, a decision that drew protests \
from residents who said the branch was the only quiet place to study in their neighbourhood for miles.";

fn json(d: &Dir, name: &str) -> Value {
    serde_json::from_str(&d.read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// `(records, articles, skipped)` of the summary of an `-o` JSON.
fn counts(doc: &Value) -> (u64, u64, u64) {
    let s = &doc["summary"];
    (n(&s["records"]), n(&s["articles"]), n(&s["skipped"]))
}

/// `(at, message)` of every notice of an `-o` JSON.
fn notices(doc: &Value) -> Vec<(String, String)> {
    field_pairs(doc, "notices", "at", "message")
}

/// `(path, kind)` of every ignored file of an `-o` JSON.
fn ignored(doc: &Value) -> Vec<(String, String)> {
    field_pairs(doc, "ignored_reasons", "path", "kind")
}

/// `(x[a], x[b])` of every object x of the array `doc[list]`.
fn field_pairs(doc: &Value, list: &str, a: &str, b: &str) -> Vec<(String, String)> {
    doc[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x[a].as_str().unwrap().to_owned(),
                x[b].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// More files than `vm.max_map_count` (65,530 by default) allows maps: a
/// map per file aborted the scan. Here, too, with at most 64 open files
/// (`ulimit -n`), which a reader that held its files open would not
/// survive. Where the limit is set higher than this test can cross
/// quickly, it still runs with 3,000 files under the open-file limit.
#[cfg(target_os = "linux")]
#[test]
fn issue_15_more_files_than_the_map_count_limit() {
    let d = Dir::new();
    let limit: usize = std::fs::read_to_string("/proc/sys/vm/max_map_count")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(65_530);
    let files = if limit <= 70_000 { limit + 200 } else { 3_000 };
    let dir = d.path("many");
    std::fs::create_dir(&dir).unwrap();
    for i in 0..files {
        // Spread over subdirectories, as crawls are stored.
        let sub = dir.join(format!("{:03}", i % 100));
        if i < 100 {
            std::fs::create_dir(&sub).unwrap();
        }
        std::fs::write(
            sub.join(format!("{i}.txt")),
            format!("Article {i} of many."),
        )
        .unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_wiretrace");
    let out = std::process::Command::new("sh")
        .current_dir(d.path("."))
        .args(["-c", "ulimit -n 64 && exec \"$0\" \"$@\""])
        .args([bin, "scan", "many", "--assignments", "a.jsonl", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        assignments(&d.read("a.jsonl")).len(),
        files,
        "one article per file"
    );
}

/// `dir/self -> .` and `dir/sub/back -> ..`: each loop is a notice, once,
/// and is not followed; the two records are read once each.
#[cfg(unix)]
#[test]
fn issue_15_symlink_loops_are_reported_once_and_not_followed() {
    let d = Dir::new();
    d.write(
        "corpus/a.jsonl",
        [rec("a", STORY), rec("b", OTHER)].join("\n"),
    );
    d.write("corpus/sub/c.txt", THIRD);
    std::os::unix::fs::symlink(".", d.path("corpus/self")).unwrap();
    std::os::unix::fs::symlink("..", d.path("corpus/sub/back")).unwrap();
    let r = d.run(&["scan", "corpus", "-o", "o.json"]);
    r.expect_code(0);
    let doc = json(&d, "o.json");
    assert_eq!(counts(&doc), (3, 3, 0));
    assert_eq!(
        doc["clusters"].as_array().unwrap().len(),
        0,
        "no self-copies"
    );
    let got = notices(&doc);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, "corpus/self");
    assert_eq!(got[1].0, "corpus/sub/back");
    for (_, m) in &got {
        assert_eq!(
            m,
            "symlink loop: this leads back to `corpus`, which is being read; not followed"
        );
    }
    assert!(
        r.stderr.contains("corpus/self: symlink loop"),
        "{}",
        r.stderr
    );
}

/// The temporary files of outputs in `d` (`.NAME.wiretrace-PID-RANDOM.tmp`).
fn temporaries(d: &Dir) -> Vec<String> {
    std::fs::read_dir(d.path("."))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains(".wiretrace-") && n.ends_with(".tmp"))
        .collect()
}

/// A mapped input (1 MiB or more) truncated while it is read: the SIGBUS
/// guard names the file and the byte, exit 2, and no output is written.
/// The run pauses once its inputs are mapped (the test hook
/// `WIRETRACE_TEST_PAUSE_AFTER_OPEN`; nothing else differs), so the
/// truncation lands at a known point rather than by timing. The dead run's
/// temporary files are removed by the next run writing the same outputs.
#[cfg(target_os = "linux")]
#[test]
fn issue_15_a_mapped_file_truncated_while_read_is_named_and_exits_2() {
    let d = Dir::new();
    let body: String = (0..4_000)
        .map(|i| rec(&format!("r{i}"), STORY) + "\n")
        .collect();
    assert!(body.len() > 1 << 20, "the input must be mapped");
    let big = d.write("big.jsonl", &body);
    let paused = d.path("paused");
    let child = d
        .cmd()
        .args([
            "scan",
            "big.jsonl",
            "-q",
            "-o",
            "o.json",
            "--assignments",
            "a.jsonl",
        ])
        .env("WIRETRACE_TEST_PAUSE_AFTER_OPEN", &paused)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !paused.exists() {
        assert!(std::time::Instant::now() < until, "the scan never paused");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let f = std::fs::OpenOptions::new().write(true).open(&big).unwrap();
    f.set_len(1000).unwrap();
    std::fs::remove_file(&paused).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{:?}\n{stderr}", out.status);
    let head = "wiretrace: big.jsonl was truncated or changed while it was read (SIGBUS at byte ";
    let tail = "); no output was written. Scan it again once it is complete.\n";
    let at = stderr.find(head).unwrap_or_else(|| panic!("{stderr}"));
    let rest = &stderr[at + head.len()..];
    let (byte, after) = rest.split_at(rest.find(')').unwrap());
    let byte: u64 = byte.parse().unwrap_or_else(|_| panic!("{stderr}"));
    // The first page past the new end (the rest of the last page reads
    // as zeroes).
    assert!((1000..body.len() as u64).contains(&byte), "{stderr}");
    assert!(after.starts_with(tail), "{stderr}");
    assert!(!d.path("o.json").exists() && !d.path("a.jsonl").exists());
    let left = temporaries(&d);
    assert_eq!(left.len(), 2, "{left:?}");

    // Once complete again, the next run writes both outputs and removes
    // the temporary files the dead run left.
    d.write("big.jsonl", &body);
    let r = d.run(&[
        "scan",
        "big.jsonl",
        "-q",
        "-o",
        "o.json",
        "--assignments",
        "a.jsonl",
    ]);
    r.expect_code(0);
    assert_eq!(assignments(&d.read("a.jsonl")).len(), 4_000);
    for t in &left {
        let note = format!("{t}, a temporary file left by a run that was killed");
        assert!(r.stderr.contains(&note), "{note}\n{}", r.stderr);
    }
    assert_eq!(temporaries(&d), Vec::<String>::new());
}

/// A file truncated at any moment of a scan, with no pause: never a
/// silent death. Whatever the moment, the run ends with an exit code: 0
/// (truncated after its last read), 1 (a file read in blocks that shrank:
/// the records lost are reported) or 2 (a mapped file: the SIGBUS guard
/// names it). The exact moment is a race; the deterministic cases are
/// `issue_15_a_mapped_file_truncated_while_read_is_named_and_exits_2` and
/// the unit test `a_file_that_shrinks_while_read_reports_the_lost_records`.
#[cfg(unix)]
#[test]
fn issue_15_a_file_truncated_while_read_never_kills_the_scan() {
    let d = Dir::new();
    let line = rec("x", STORY) + "\n";
    let big = d.write("big.jsonl", line.repeat((40 << 20) / line.len()));
    let child = d
        .cmd()
        .args(["scan", "big.jsonl", "-q", "--threads", "2"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let f = std::fs::OpenOptions::new().write(true).open(&big).unwrap();
    f.set_len(1000).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    assert!(
        code.is_some(),
        "killed by a signal: {:?}\n{stderr}",
        out.status
    );
    match code {
        Some(0) => {}
        Some(1) => assert!(
            stderr.contains("big.jsonl:") && stderr.contains("the file shrank while it was read"),
            "{stderr}"
        ),
        Some(2) => assert!(
            stderr.contains(
                "wiretrace: big.jsonl was truncated or changed while it was read (SIGBUS at byte "
            ),
            "{stderr}"
        ),
        _ => panic!("exit {code:?}: {stderr}"),
    }
}

/// `scan a.jsonl <(cat b.jsonl)`: a FIFO (and `/dev/stdin` on a pipe, and
/// `/proc` files) report size 0; they are read as streams, not as empty.
#[cfg(unix)]
#[test]
fn issue_15_a_fifo_named_as_an_input_is_read() {
    let d = Dir::new();
    d.write("a.jsonl", rec("a", STORY));
    let fifo = d.path("b.jsonl");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let body = [rec("b1", OTHER), rec("b2", THIRD)].join("\n");
    let writer = std::thread::spawn(move || std::fs::write(&fifo, body));
    let r = d.run(&["scan", "a.jsonl", "b.jsonl", "-o", "o.json"]);
    writer.join().unwrap().unwrap();
    r.expect_code(0);
    let doc = json(&d, "o.json");
    assert_eq!(counts(&doc), (3, 3, 0));
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files[1]["path"], "b.jsonl");
    assert_eq!(n(&files[1]["articles"]), 2);

    // /dev/stdin on a pipe, beside a file.
    let body = [rec("s1", OTHER), rec("s2", THIRD)].join("\n");
    let r = d.run_with_stdin(
        &[
            "scan",
            "a.jsonl",
            "/dev/stdin",
            "--assignments",
            "s.jsonl",
            "-q",
        ],
        Some(body.as_bytes()),
    );
    r.expect_code(0);
    assert_eq!(assignments(&d.read("s.jsonl")).len(), 3);

    // A /proc file (size 0) is read: it is text of no input kind, said
    // once with what to pass (issue 17), not a line of bad JSON.
    if Path::new("/proc/version").exists() {
        let r = d.run(&["scan", "a.jsonl", "/proc/version", "-q"]);
        r.expect_code(1);
        assert!(
            r.stderr.contains(
                "/proc/version: not an input wiretrace can read: text that is not JSON Lines"
            ) && r.stderr.contains("--input-format"),
            "{}",
            r.stderr
        );
    }
}

/// The same file given twice, a file and its directory, a hard link: each
/// file is read once, with a notice naming where it was read.
#[cfg(unix)]
#[test]
fn issue_15_a_file_reached_twice_is_read_once() {
    let d = Dir::new();
    d.write(
        "crawl/a.jsonl",
        [rec("a", STORY), rec("b", OTHER)].join("\n"),
    );
    std::fs::hard_link(d.path("crawl/a.jsonl"), d.path("crawl/z-link.jsonl")).unwrap();
    let r = d.run(&[
        "scan",
        "crawl/a.jsonl",
        "./crawl/a.jsonl",
        "crawl",
        "-o",
        "o.json",
    ]);
    r.expect_code(0);
    let doc = json(&d, "o.json");
    assert_eq!(counts(&doc), (2, 2, 0));
    assert_eq!(
        doc["clusters"].as_array().unwrap().len(),
        0,
        "no self-copies"
    );
    let got = notices(&doc);
    let at: Vec<&str> = got.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        at,
        ["./crawl/a.jsonl", "crawl/a.jsonl", "crawl/z-link.jsonl"]
    );
    for (_, m) in &got {
        assert!(
            m.starts_with("the same file as `crawl/a.jsonl`")
                && m.ends_with("read once, as `crawl/a.jsonl`"),
            "{m}"
        );
    }
    assert!(
        r.stderr.contains("crawl/z-link.jsonl: the same file as"),
        "{}",
        r.stderr
    );
    // A directory named twice is walked once.
    let r = d.run(&["scan", "crawl", "crawl/", "-o", "o2.json", "-q"]);
    r.expect_code(0);
    let doc = json(&d, "o2.json");
    assert_eq!(counts(&doc), (2, 2, 0));
    assert!(notices(&doc)
        .iter()
        .any(|(at, m)| at == "crawl/" && m.contains("the same directory as `crawl`")));
}

/// `check --originals crawl/mine.jsonl crawl/`: the original is read once,
/// as an original, and not reported as a copy of itself.
#[test]
fn issue_15_check_reads_originals_inside_the_corpus_once() {
    let d = Dir::new();
    d.write("crawl/mine.jsonl", rec("mine", STORY));
    d.write(
        "crawl/theirs.jsonl",
        [
            rec("copy", &format!("By Jane Doe\n\n{STORY}\n\nRead more")),
            rec("other", OTHER),
        ]
        .join("\n"),
    );
    let r = d.run(&["check", "--originals", "crawl/mine.jsonl", "crawl/"]);
    r.expect_code(0);
    assert!(
        r.stdout.contains("1 originals, 1 republished, 1 copies"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("copy"), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("crawl/mine.jsonl: the same file as `crawl/mine.jsonl`"),
        "{}",
        r.stderr
    );
}

/// Hidden files are not read (editor and wiretrace temp files, `.git`,
/// macOS `._` forks) but listed as ignored with why; named, one is read.
#[test]
fn issue_15_hidden_files_are_listed_as_ignored() {
    let d = Dir::new();
    d.write("corpus/a.jsonl", rec("a", STORY));
    d.write("corpus/.2024-archive.jsonl", rec("old", OTHER));
    d.write("corpus/.o.json.wiretrace-123.tmp", "{");
    d.write("corpus/._a.txt", [0u8, 5, 22, 7]);
    d.write("corpus/.git/HEAD", "ref: refs/heads/main");
    d.write("corpus/notes.pdf", "pdf");
    let r = d.run(&["scan", "corpus", "-o", "o.json"]);
    r.expect_code(0);
    let doc = json(&d, "o.json");
    assert_eq!(counts(&doc), (1, 1, 0));
    let got = ignored(&doc);
    let want = [
        ("corpus/.2024-archive.jsonl", "hidden"),
        ("corpus/._a.txt", "hidden"),
        ("corpus/.git", "hidden"),
        ("corpus/.o.json.wiretrace-123.tmp", "hidden"),
        ("corpus/notes.pdf", "other_kind"),
    ];
    let got: Vec<(&str, &str)> = got.iter().map(|(p, k)| (p.as_str(), k.as_str())).collect();
    assert_eq!(got, want);
    assert_eq!(doc["ignored"].as_array().unwrap().len(), 5);
    assert_eq!(
        doc["ignored_reasons"][0]["reason"],
        "hidden (name starts with `.`); name it to read it"
    );
    assert!(
        r.stdout.contains("ignored") && r.stdout.contains("1 of other kinds, 4 hidden"),
        "{}",
        r.stdout
    );
    // Named explicitly, a hidden file is read.
    let r = d.run(&[
        "scan",
        "corpus",
        "corpus/.2024-archive.jsonl",
        "-o",
        "o2.json",
        "-q",
    ]);
    r.expect_code(0);
    assert_eq!(counts(&json(&d, "o2.json")), (2, 2, 0));
}

/// A file name that is not UTF-8 (Latin-1 `é`, a stray `\xFF`): every output
/// is written, the path with the raw bytes escaped as `\xE9`, and its
/// records are read.
#[cfg(target_os = "linux")]
#[test]
fn issue_15_a_file_name_that_is_not_utf8_is_escaped_in_outputs() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let d = Dir::new();
    let dir = d.path("corpus");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join(OsStr::from_bytes(b"caf\xE9.txt")), STORY).unwrap();
    let bad = dir.join(OsStr::from_bytes(b"d\xFF.jsonl"));
    std::fs::write(&bad, format!("{}\nnot json\n", rec("copy", STORY))).unwrap();
    let r = d.run(&[
        "scan",
        "corpus",
        "-o",
        "o.json",
        "--assignments",
        "a.jsonl",
        "--report",
        "r.html",
    ]);
    r.expect_code(1);
    let doc = json(&d, "o.json");
    assert_eq!(counts(&doc), (3, 2, 1));
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["corpus/caf\\xE9.txt", "corpus/d\\xFF.jsonl"]);
    assert_eq!(doc["skipped"][0]["at"], "corpus/d\\xFF.jsonl:2:2");
    assert!(
        r.stderr.contains("corpus/d\\xFF.jsonl:2:2: invalid JSON"),
        "{}",
        r.stderr
    );
    let a = assignments(&d.read("a.jsonl"));
    assert_eq!(a[0].0, "caf\\xE9.txt", "the text article's id, escaped");
    assert_eq!(a[0].1, a[1].1, "the copy is found");
    // (The page's data is JSON: the backslash is written `\\`.)
    assert!(d.read("r.html").contains("caf\\\\xE9.txt"));
    for report in ["r.md", "r.csv"] {
        d.run(&["scan", "corpus", "--report", report, "-q"])
            .expect_code(1);
        // (Markdown writes the backslash itself escaped: `caf\\xE9.txt`.)
        assert!(d.read(report).contains("xE9.txt"), "{report}");
    }
}

/// Outputs written into a scanned directory are not read back as inputs
/// by the next `--force` run: they are listed as ignored, as outputs.
#[test]
fn issue_15_outputs_inside_a_scanned_directory_are_not_read() {
    let d = Dir::new();
    d.write(
        "corpus/in.jsonl",
        [rec("a", STORY), rec("b", OTHER)].join("\n"),
    );
    let args = [
        "scan",
        "corpus",
        "--assignments",
        "corpus/a.jsonl",
        "-o",
        "corpus/c.jsonl",
        "--report",
        "corpus/r.md",
        "--force",
    ];
    d.run(&args).expect_code(0);
    let first = d.read("corpus/a.jsonl");
    for _ in 0..2 {
        let r = d.run(&args);
        r.expect_code(0);
        assert!(r.stdout.contains("3 this run's outputs"), "{}", r.stdout);
        assert_eq!(d.read("corpus/a.jsonl"), first, "same answer each run");
    }
    // The -o JSON names them, with why.
    std::fs::remove_file(d.path("corpus/c.jsonl")).unwrap();
    let r = d.run(&[
        "scan",
        "corpus",
        "--assignments",
        "corpus/a.jsonl",
        "--report",
        "corpus/r.md",
        "-o",
        "o.json",
        "--force",
        "-q",
    ]);
    r.expect_code(0);
    let doc = json(&d, "o.json");
    assert_eq!(counts(&doc), (2, 2, 0));
    let got = ignored(&doc);
    assert!(
        got.contains(&("corpus/a.jsonl".into(), "output".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("corpus/r.md".into(), "output".into())),
        "{got:?}"
    );
    // (This run's own temporary outputs, made before the scan, are hidden
    // files there and listed as such.)
    let reasons = doc["ignored_reasons"].as_array().unwrap();
    let of = |p: &str| {
        reasons
            .iter()
            .find(|r| r["path"] == p)
            .map(|r| &r["reason"])
    };
    assert_eq!(
        of("corpus/a.jsonl").unwrap(),
        "is one of this run's outputs"
    );
}
