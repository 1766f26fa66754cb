//! `wiretrace index` and `check --index`: the daily workflow, refusals,
//! crash safety (writers killed at every step and at random times).

use super::util::Dir;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

fn demo() -> Vec<String> {
    let p = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo"))
        .join("../../testdata/demo/corpus.jsonl");
    std::fs::read_to_string(p)
        .expect("demo corpus")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The demo corpus as three days' files.
fn days(d: &Dir) -> Vec<String> {
    let lines = demo();
    let n = lines.len();
    (0..3)
        .map(|i| {
            let name = format!("day{i}.jsonl");
            d.write(&name, lines[i * n / 3..(i + 1) * n / 3].join("\n") + "\n");
            name
        })
        .collect()
}

/// Every file of the index directory and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn export(d: &Dir, index: &str) -> String {
    let out = d.path("export.jsonl");
    d.run(&[
        "index",
        "export",
        index,
        "--assignments",
        out.to_str().unwrap(),
        "--force",
    ])
    .expect_code(0);
    d.read("export.jsonl")
}

#[test]
fn index_daily_workflow_exports_the_scan() {
    let d = Dir::new();
    let days = days(&d);
    let mut joined = 0;
    for day in &days {
        let r = d.run(&["index", "add", "ix", day]);
        r.expect_code(0);
        assert!(r.stdout.contains("added "), "{}", r.stdout);
        joined += r
            .stdout
            .lines()
            .filter(|l| l.contains(" -> story of "))
            .count();
    }
    assert!(joined > 0, "later days joined earlier stories");
    d.run(&[
        "scan",
        "--assignments",
        "scan.jsonl",
        "-q",
        &days[0],
        &days[1],
        &days[2],
    ])
    .expect_code(0);
    assert_eq!(export(&d, "ix"), d.read("scan.jsonl"));
    // Clusters and a report from the index alone (texts re-read).
    d.run(&[
        "index", "export", "ix", "-o", "c.json", "--report", "r.json",
    ])
    .expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&d.read("r.json")).unwrap();
    assert!(!report["stories"].as_array().unwrap().is_empty());
    let stats = d.run(&["index", "stats", "ix", "--json", "--verify"]);
    stats.expect_code(0);
    let s: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    assert_eq!(s["segments"], 3);
    assert_eq!(s["live"].as_u64().unwrap() as usize, demo().len());
    // Takedown: the first article leaves no trace in exports.
    let first: serde_json::Value = serde_json::from_str(&demo()[0]).unwrap();
    let id = first["id"].as_str().unwrap();
    d.write("gone.txt", format!("{id}\n"));
    d.run(&["index", "remove", "ix", "--ids", "gone.txt"])
        .expect_code(0);
    let after = export(&d, "ix");
    assert!(!after.contains(&format!("\"{id}\"")));
    assert_eq!(after.lines().count(), demo().len() - 1);
    d.run(&["index", "compact", "ix"]).expect_code(0);
    assert_eq!(export(&d, "ix"), after);
}

#[test]
fn index_refusals_exit_2_and_leave_the_index_unchanged() {
    let d = Dir::new();
    let days = days(&d);
    d.run(&["index", "add", "ix", &days[0]]).expect_code(0);
    let before = snapshot(&d.path("ix"));

    // Conflicting settings, named.
    let r = d.run(&["index", "add", "ix", &days[1], "--threshold", "0.5"]);
    r.expect_code(2);
    assert!(
        r.stderr
            .contains("--threshold: the index has 0.3, given 0.5"),
        "{}",
        r.stderr
    );
    assert_eq!(snapshot(&d.path("ix")), before);
    // The same value as stored is no conflict.
    let same = d.run(&[
        "check",
        "--index",
        "ix",
        &days[1],
        "--threshold",
        "0.3",
        "-q",
    ]);
    assert_eq!(same.code, 0, "{}", same.stderr);

    // A second writer while one holds the lock; a reader works meanwhile.
    let mut writer = d
        .cmd()
        .args(["index", "add", "ix", &days[1], "-q"])
        .env("WIRETRACE_INDEX_PAUSE_AT", "segment-renamed")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut waited = 0;
    while !d.path("ix/seg-000002.wts").exists() && waited < 200 {
        std::thread::sleep(Duration::from_millis(50));
        waited += 1;
    }
    let r = d.run(&["index", "add", "ix", &days[2]]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("another wiretrace is writing"),
        "{}",
        r.stderr
    );
    let e = d.run(&["index", "export", "ix", "--assignments", "-"]);
    e.expect_code(0);
    assert_eq!(e.stdout.lines().count(), demo().len() / 3);
    assert!(writer.wait().unwrap().success());
    let before = snapshot(&d.path("ix"));

    // A corrupt segment, named; every command refuses it.
    let seg = d.path("ix/seg-000001.wts");
    let mut b = std::fs::read(&seg).unwrap();
    b[500] ^= 1;
    std::fs::write(&seg, &b).unwrap();
    let corrupt = snapshot(&d.path("ix"));
    for args in [
        &["index", "export", "ix", "--assignments", "x.jsonl"][..],
        &["index", "stats", "ix", "--verify"][..],
    ] {
        let r = d.run(args);
        r.expect_code(2);
        assert!(
            r.stderr.contains("seg-000001.wts") && r.stderr.contains("corrupt index segment"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(snapshot(&d.path("ix")), corrupt);
    b[500] ^= 1;
    std::fs::write(&seg, &b).unwrap();
    assert_eq!(snapshot(&d.path("ix")), before);

    // A newer format version, and format 1 (no headline band): refused.
    let stored = d.read("ix/MANIFEST");
    assert!(stored.contains("\"format\": 2,"), "{stored}");
    for (format, says) in [
        ("99", "index format version 99"),
        ("1", "build a new index"),
    ] {
        let m = stored.replace("\"format\": 2,", &format!("\"format\": {format},"));
        d.write("ix/MANIFEST", &m);
        let refused = snapshot(&d.path("ix"));
        for args in [
            &["index", "add", "ix", &days[2]][..],
            &["index", "export", "ix", "--assignments", "x.jsonl"][..],
            &["check", "--index", "ix", &days[2]][..],
        ] {
            let r = d.run(args);
            r.expect_code(2);
            assert!(r.stderr.contains(says), "{}", r.stderr);
        }
        assert_eq!(snapshot(&d.path("ix")), refused);
    }
}

/// The export before and after adding `day` to a copy of `base`.
fn before_after(d: &Dir, days: &[String]) -> (String, String) {
    d.run(&["index", "add", "base", &days[0], "-q"])
        .expect_code(0);
    let before = export(d, "base");
    d.run(&["index", "add", "full", &days[0], "-q"])
        .expect_code(0);
    d.run(&["index", "add", "full", &days[1], "-q"])
        .expect_code(0);
    (before, export(d, "full"))
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// After a killed writer the index opens, exports the state before or
/// after, and takes the batch again (what was half written removed).
fn recovers(d: &Dir, days: &[String], before: &str, after: &str, what: &str) {
    let now = export(d, "ix");
    assert!(
        now == before || now == after,
        "{what}: neither before nor after"
    );
    if now == before {
        d.run(&["index", "add", "ix", &days[1], "-q"])
            .expect_code(0);
    }
    assert_eq!(export(d, "ix"), after, "{what}: added again");
    let names: Vec<String> = snapshot(&d.path("ix")).into_keys().collect();
    assert!(
        !names.iter().any(|n| n.ends_with(".tmp")),
        "{what}: {names:?}"
    );
}

#[test]
fn index_add_killed_at_every_step_leaves_before_or_after() {
    let d = Dir::new();
    let days = days(&d);
    let (before, after) = before_after(&d, &days);
    for point in [
        "segment-fingerprints",
        "segment-runs",
        "segment-written",
        "segment-renamed",
        "labels-written",
        "manifest-temp",
        "committed",
    ] {
        copy_dir(&d.path("base"), &d.path("ix"));
        let out = d
            .cmd()
            .args(["index", "add", "ix", &days[1], "-q"])
            .env("WIRETRACE_INDEX_CRASH_AT", point)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(!out.success(), "{point}: the hook did not fire");
        recovers(&d, &days, &before, &after, point);
    }
    // Compaction killed: the same answer either way.
    for point in ["compact-segment-written", "compact-committed"] {
        copy_dir(&d.path("full"), &d.path("ix"));
        let out = d
            .cmd()
            .args(["index", "compact", "ix"])
            .env("WIRETRACE_INDEX_CRASH_AT", point)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(!out.success());
        assert_eq!(export(&d, "ix"), after, "{point}");
        d.run(&["index", "compact", "ix"]).expect_code(0);
        assert_eq!(export(&d, "ix"), after, "{point}: compacted again");
    }
}

#[test]
fn index_add_sigkilled_at_random_times_leaves_before_or_after() {
    let d = Dir::new();
    let days = days(&d);
    let (before, after) = before_after(&d, &days);
    // Times spread over an add's run (measured on the spot, so a slow
    // machine still gets kills inside it).
    copy_dir(&d.path("base"), &d.path("ix"));
    let t = std::time::Instant::now();
    d.run(&["index", "add", "ix", &days[1], "-q"])
        .expect_code(0);
    let span = t.elapsed().as_micros() as u64;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ std::process::id() as u64;
    for round in 0..8 {
        copy_dir(&d.path("base"), &d.path("ix"));
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let wait = seed % span.max(1);
        let mut child = d
            .cmd()
            .args(["index", "add", "ix", &days[1], "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(wait));
        let _ = child.kill(); // SIGKILL on unix
        let _ = child.wait();
        recovers(
            &d,
            &days,
            &before,
            &after,
            &format!("kill #{round} after {wait} us"),
        );
    }
}

#[test]
fn check_index_finds_the_archived_original_with_lag_and_credit() {
    let d = Dir::new();
    let seeds = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap())
        .join("../../testdata/lineage");
    let orig = seeds.join("seeds-originals.jsonl");
    let corpus = seeds.join("seeds-corpus.jsonl");
    d.run(&["index", "add", "ix", orig.to_str().unwrap(), "-q"])
        .expect_code(0);
    let r = d.run(&[
        "check",
        "--index",
        "ix",
        corpus.to_str().unwrap(),
        "--report",
        "r.json",
    ]);
    r.expect_code(0);
    assert!(
        r.stdout.contains("nyt (2022-04-01T10:00:00Z): 2 copies"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("+4h 30m") && r.stdout.contains("attributed"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("UNATTRIBUTED"), "{}", r.stdout);
    let report: serde_json::Value = serde_json::from_str(&d.read("r.json")).unwrap();
    let copies = report["stories"][0]["copies"].as_array().unwrap();
    assert!(copies.iter().any(|c| c["lag_seconds"] == 16200), "{report}");
    d.run(&[
        "check",
        "--index",
        "ix",
        corpus.to_str().unwrap(),
        "--fail-on",
        "unattributed",
        "-q",
    ])
    .expect_code(3);
    // "Who copied these", with the crawl indexed too.
    d.run(&["index", "add", "ix", corpus.to_str().unwrap(), "-q"])
        .expect_code(0);
    let r = d.run(&[
        "check",
        "--index",
        "ix",
        "--originals",
        orig.to_str().unwrap(),
    ]);
    r.expect_code(0);
    assert!(
        r.stdout.contains("2 copies (1 unattributed)"),
        "{}",
        r.stdout
    );
}

/// A WARC response record of `html` at `uri`, crawled at `date`.
fn warc_record(id: &str, uri: &str, date: &str, html: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{html}");
    let head = format!("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n", http.len());
    [head.into_bytes(), http.into_bytes(), b"\r\n\r\n".to_vec()].concat()
}

/// Articles re-read from the index keep where their dates came from: a
/// crawled page with no date of its own is `crawl` in a `check --index`
/// report, one dated in its metadata `page`, the editor's own article
/// (a JSON Lines record) `field`.
#[test]
fn check_index_reports_where_each_date_came_from() {
    let d = Dir::new();
    let body = "The regional water authority approved a plan on Tuesday to raise the dam by four metres, citing the growing demand of the valley's towns over the next decades and the dry summers of recent years. Work would start next spring and take three years, officials said, at a cost of about 40 million, paid partly by the towns and partly by a national fund for water works. Farmers downstream welcomed the decision, though some asked for guarantees that the river would keep its summer flow while the work goes on.";
    let page = |meta: &str| {
        format!("<html><head><title>Dam plan</title>{meta}</head><body><nav><a>Home</a></nav><article><h1>Dam plan</h1><p>{body}</p></article><footer>Copyright</footer></body></html>")
    };
    let warc = [
        warc_record(
            "undated",
            "https://river-post.example/dam",
            "2024-07-02T09:00:00Z",
            &page(""),
        ),
        warc_record(
            "dated",
            "https://hill-news.example/dam",
            "2024-07-04T09:00:00Z",
            &page("<meta property=\"article:published_time\" content=\"2024-07-01T20:00:00Z\">"),
        ),
    ]
    .concat();
    d.write("crawl.warc", warc);
    d.write(
        "mine.jsonl",
        serde_json::json!({"id": "mine", "source": "Valley Times", "title": "Dam plan",
            "published": "2024-07-01T08:00:00Z", "text": body})
        .to_string()
            + "\n",
    );
    d.run(&["index", "add", "ix", "crawl.warc", "-q"])
        .expect_code(0);
    d.run(&[
        "check",
        "--index",
        "ix",
        "--originals",
        "mine.jsonl",
        "--report",
        "r.json",
        "-q",
    ])
    .expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&d.read("r.json")).unwrap();
    let members = report["stories"][0]["members"].as_array().unwrap();
    let from = |id: &str| {
        members
            .iter()
            .find(|m| {
                let m = m["id"].as_str().unwrap();
                m == id || m.ends_with(&format!(":{id}"))
            })
            .unwrap_or_else(|| panic!("{id} in {report}"))["date_from"]
            .clone()
    };
    assert_eq!(members.len(), 3, "{report}");
    assert_eq!(from("mine"), "field");
    assert_eq!(from("dated"), "page");
    assert_eq!(from("undated"), "crawl");
}
