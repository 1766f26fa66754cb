//! Issue 15, "Files clobbered or lost": every output is written whole, to
//! the file meant, and never onto an input, another output, a planted link
//! or a file another writer made meanwhile.
#![cfg(unix)]

use crate::util::{assignments, rec, Dir};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const STORY: &str = "The regional water authority approved a plan on Tuesday to raise rates by 12 percent over \
three years, citing the cost of replacing pipes laid more than a century ago. Officials said the first increase \
would take effect in July and would add about $4 a month to the typical household bill.";

const OTHER: &str = "A late goal from the visiting striker gave the league leaders a narrow win on Sunday, \
extending their unbeaten run to eleven matches. The home side had dominated possession for most of the second \
half but failed to turn their chances into goals.";

fn corpus() -> String {
    [rec("a", STORY), rec("b", STORY), rec("c", OTHER)].join("\n") + "\n"
}

/// Names in `dir` that look like wiretrace temporary files.
fn temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".wiretrace-"))
        .collect()
}

fn is_link(p: &Path) -> bool {
    p.symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
}

/// A scan of stdin that waits for its input: by the time its temporary
/// files exist, every output has been checked.
fn spawn_on_stdin(d: &Dir, args: &[&str]) -> Child {
    d.cmd()
        .args(["scan", "-"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn wiretrace")
}

/// Waits until a temporary file of output `name` appears in `dir`.
fn wait_for_temp(dir: &Path, name: &str) -> PathBuf {
    let prefix = format!(".{name}.wiretrace-");
    let started = Instant::now();
    loop {
        if let Some(n) = temps(dir).into_iter().find(|n| n.starts_with(&prefix)) {
            return dir.join(n);
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no temporary file for {name} appeared"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

struct Finished {
    code: Option<i32>,
    signal: Option<i32>,
    stderr: String,
}

fn finish(mut child: Child, stdin: Option<&str>) -> Finished {
    if let Some(text) = stdin {
        let mut s = child.stdin.take().unwrap();
        s.write_all(text.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    use std::os::unix::process::ExitStatusExt;
    Finished {
        code: out.status.code(),
        signal: out.status.signal(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn kill(child: &Child, signal: &str) {
    let ok = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {signal}");
}

/// The old temporary names were `.NAME.wiretrace-PID.tmp`, opened without
/// O_EXCL: a link planted at the next PIDs made a scan overwrite its target.
/// Now the name is random and created exclusively; links planted at every
/// name that could be predicted are neither followed nor removed.
#[test]
fn issue_15_links_planted_at_predictable_temporary_names_are_not_followed() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    let victim = d.write("victim.txt", "precious");
    let outputs = ["a.jsonl", "c.json", "r.html"];
    let mut covered = false;
    for attempt in 0..5 {
        // Links for the next 3,000 PIDs (as in the issue), for each output,
        // in the old form and the new form's PID part.
        // From the newest PID: a process spawned now (the test binary's own
        // PID is far behind once other tests have spawned scans).
        let mut probe = Command::new("true").spawn().unwrap();
        let from = probe.id();
        probe.wait().unwrap();
        for pid in from..from + 3000 {
            for name in outputs {
                for form in [
                    format!(".{name}.wiretrace-{pid}.tmp"),
                    format!(".{name}.wiretrace-{pid}-.tmp"),
                ] {
                    let link = d.path(&form);
                    if !is_link(&link) {
                        std::os::unix::fs::symlink(&victim, link).unwrap();
                    }
                }
            }
        }
        let args = [
            "scan",
            "in.jsonl",
            "--assignments",
            "a.jsonl",
            "-o",
            "c.json",
            "--report",
            "r.html",
            "-q",
            "--force",
        ];
        let child = d
            .cmd()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let r = finish(child, None);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(assignments(&d.read("a.jsonl")).len(), 3);
        assert!(d.read("r.html").contains("<html"));
        for name in outputs {
            let link = d.path(&format!(".{name}.wiretrace-{pid}.tmp"));
            if is_link(&link) {
                covered = true;
            }
        }
        if covered {
            break;
        }
        eprintln!("attempt {attempt}: pid {pid} fell outside the planted range; again");
    }
    assert!(covered, "the run's PID was never among the planted ones");
    // Every planted link is still there, still a link to the victim.
    let links = temps(&d.path("."));
    assert!(links.len() >= 3 * 2 * 3000, "{}", links.len());
    for n in links {
        let p = d.path(&n);
        assert!(is_link(&p), "{n} is no longer a link");
        assert_eq!(std::fs::read_link(&p).unwrap(), victim);
    }
}

/// `--assignments same.jsonl -o ./same.jsonl` used to exit 0 with the
/// assignments replaced by the clusters.
#[test]
fn issue_15_two_outputs_that_are_one_file_are_refused() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    std::fs::create_dir(d.path("sub")).unwrap();
    std::os::unix::fs::symlink("c.json", d.path("link.json")).unwrap();
    let cases: &[&[&str]] = &[
        &["--assignments", "same.jsonl", "-o", "./same.jsonl"],
        &["-o", "c.json", "--report", "sub/../c.json"],
        &["-o", "c.json", "--report", "link.json"],
    ];
    for args in cases {
        let r = d.run(&[&["scan", "in.jsonl"], *args].concat());
        r.expect_code(2);
        assert!(r.stderr.contains("named as two outputs"), "{}", r.stderr);
        assert!(
            r.stderr.contains("give each output its own path"),
            "{}",
            r.stderr
        );
        assert!(!d.path("same.jsonl").exists() && !d.path("c.json").exists());
        assert!(temps(&d.path(".")).is_empty());
    }
    // The same, existing, with --force: both spellings are one file.
    d.write("c.json", "keep");
    let r = d.run(&[
        "scan",
        "in.jsonl",
        "-o",
        "c.json",
        "--report",
        "./link.json",
        "--force",
    ]);
    r.expect_code(2);
    assert!(r.stderr.contains("named as two outputs"), "{}", r.stderr);
    assert_eq!(d.read("c.json"), "keep");
}

/// An input is never an output: not by another spelling, a link, a hard
/// link, the boilerplate file, the originals of `check`, or stdin.
#[test]
fn issue_15_an_output_that_is_an_input_is_refused_however_it_is_named() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    d.write("mine.jsonl", rec("m", STORY) + "\n");
    d.write("bp.txt", "# patterns\nbrought to you by .*\n");
    std::fs::hard_link(d.path("in.jsonl"), d.path("hard.jsonl")).unwrap();
    std::os::unix::fs::symlink("in.jsonl", d.path("soft.jsonl")).unwrap();
    let cases: &[&[&str]] = &[
        &["scan", "in.jsonl", "-o", "./in.jsonl"],
        &["scan", "in.jsonl", "-o", "hard.jsonl"],
        &["scan", "in.jsonl", "--assignments", "soft.jsonl"],
        &[
            "scan",
            "in.jsonl",
            "--boilerplate",
            "bp.txt",
            "--assignments",
            "./bp.txt",
        ],
        &[
            "check",
            "--originals",
            "mine.jsonl",
            "in.jsonl",
            "--assignments",
            "./mine.jsonl",
        ],
        &[
            "check",
            "--originals",
            "./mine.jsonl",
            "in.jsonl",
            "--report",
            "mine.jsonl",
            "--report-format",
            "json",
        ],
    ];
    for args in cases {
        let r = d.run(&[*args, &["--force", "-q"]].concat());
        r.expect_code(2);
        assert!(
            r.stderr
                .contains("output file is also an input (the same file as"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("choose another output path"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(d.read("in.jsonl"), corpus());
    assert_eq!(d.read("mine.jsonl"), rec("m", STORY) + "\n");
    assert_eq!(d.read("bp.txt"), "# patterns\nbrought to you by .*\n");
    assert!(is_link(&d.path("soft.jsonl")));
    // stdin redirected from the file named as the output.
    let out = d
        .cmd()
        .args(["scan", "-", "-o", "in.jsonl", "--force", "-q"])
        .stdin(std::fs::File::open(d.path("in.jsonl")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the same file as <stdin>"), "{err}");
    assert_eq!(d.read("in.jsonl"), corpus());
    assert!(temps(&d.path(".")).is_empty());
}

/// `--assignments /dev/stdout --force` as root replaced the link with a
/// regular file. Devices and FIFOs are written as they are (no --force
/// needed: nothing there is clobbered); links are written through.
#[test]
fn issue_15_devices_fifos_and_links_are_written_through() {
    use std::os::unix::fs::FileTypeExt;
    let d = Dir::new();
    d.write("in.jsonl", corpus());

    // A character device, twice (sharing it is harmless).
    let r = d.run(&[
        "scan",
        "in.jsonl",
        "--assignments",
        "/dev/null",
        "-o",
        "/dev/null",
        "-q",
    ]);
    r.expect_code(0);
    assert!(Path::new("/dev/null")
        .metadata()
        .unwrap()
        .file_type()
        .is_char_device());

    // A device that fails the write (a full disk): an error naming it.
    if Path::new("/dev/full").exists() {
        let r = d.run(&["scan", "in.jsonl", "--assignments", "/dev/full", "-q"]);
        r.expect_code(2);
        assert!(
            r.stderr.contains("/dev/full: No space left on device"),
            "{}",
            r.stderr
        );
    }

    // A FIFO: written directly, still a FIFO afterwards.
    let fifo = d.path("out.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let r = d.run(&["scan", "in.jsonl", "--assignments", "out.fifo", "-q"]);
    r.expect_code(0);
    assert_eq!(assignments(&reader.join().unwrap()).len(), 3);
    assert!(fifo.metadata().unwrap().file_type().is_fifo());

    // /dev/stdout on a pipe: standard output, the summary on stderr.
    let r = d.run(&["scan", "in.jsonl", "--assignments", "/dev/stdout"]);
    r.expect_code(0);
    assert_eq!(assignments(&r.stdout).len(), 3, "{}", r.stdout);
    assert!(r.stderr.contains("articles read"), "{}", r.stderr);

    // /dev/stdout on a file the shell opened: that file gets the output,
    // and is the same file afterwards (not replaced by a rename).
    use std::os::unix::fs::MetadataExt;
    let f = std::fs::File::create(d.path("shell.txt")).unwrap();
    let before = f.metadata().unwrap().ino();
    let out = d
        .cmd()
        .args(["scan", "in.jsonl", "--assignments", "/dev/stdout"])
        .stdout(f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(assignments(&d.read("shell.txt")).len(), 3);
    assert_eq!(d.path("shell.txt").metadata().unwrap().ino(), before);

    // A link: the target is replaced (with --force), the link stays.
    std::fs::create_dir(d.path("real")).unwrap();
    d.write("real/a.jsonl", "old");
    std::os::unix::fs::symlink("real/a.jsonl", d.path("link.jsonl")).unwrap();
    let r = d.run(&["scan", "in.jsonl", "--assignments", "link.jsonl", "-q"]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("link.jsonl: output already exists"),
        "{}",
        r.stderr
    );
    assert_eq!(d.read("real/a.jsonl"), "old");
    let r = d.run(&[
        "scan",
        "in.jsonl",
        "--assignments",
        "link.jsonl",
        "-q",
        "--force",
    ]);
    r.expect_code(0);
    assert!(is_link(&d.path("link.jsonl")));
    assert_eq!(assignments(&d.read("real/a.jsonl")).len(), 3);
    assert!(temps(&d.path("real")).is_empty() && temps(&d.path(".")).is_empty());

    // A directory is refused in words.
    let r = d.run(&["scan", "in.jsonl", "-o", "real", "-q", "--force"]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("real: is a directory; name a file"),
        "{}",
        r.stderr
    );
}

/// `-` is standard output for every output, of `scan` and `check`; stdout
/// then holds only that output (the summary goes to stderr), and only one
/// output may take it.
#[test]
fn issue_15_dash_is_standard_output_for_every_output() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    d.write("mine.jsonl", rec("m", STORY) + "\n");

    let r = d.run(&["scan", "in.jsonl", "-o", "-"]);
    r.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is the JSON");
    assert_eq!(doc["summary"]["articles"], 3);
    assert!(
        r.stderr.contains("articles read"),
        "summary on stderr: {}",
        r.stderr
    );

    let r = d.run(&["scan", "in.jsonl", "--assignments", "-"]);
    r.expect_code(0);
    assert_eq!(assignments(&r.stdout).len(), 3);

    let r = d.run(&[
        "scan",
        "in.jsonl",
        "--report",
        "-",
        "--report-format",
        "json",
    ]);
    r.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is the report");
    assert!(doc["stories"].is_array());

    let r = d.run(&[
        "check",
        "--originals",
        "mine.jsonl",
        "in.jsonl",
        "--report",
        "-",
        "--report-format",
        "json",
    ]);
    r.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is the report");
    assert!(doc["stories"].is_array());
    assert!(r.stderr.contains("wiretrace check:"), "{}", r.stderr);

    // -q: nothing but the output anywhere.
    let r = d.run(&["scan", "in.jsonl", "--assignments", "-", "-q"]);
    r.expect_code(0);
    assert_eq!(r.stderr, "");

    // Two outputs on standard output would interleave.
    let r = d.run(&["scan", "in.jsonl", "-o", "-", "--assignments", "-"]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("a second output to standard output"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

/// Two scans writing one path without --force both exited 0 and the last
/// rename won. The check is now the write itself (rename-noreplace): a file
/// made by another writer after our check is left as it is.
#[test]
fn issue_15_a_file_another_writer_made_meanwhile_is_left_intact() {
    let d = Dir::new();
    let child = spawn_on_stdin(&d, &["--assignments", "a.jsonl", "-q"]);
    wait_for_temp(&d.path("."), "a.jsonl");
    d.write("a.jsonl", "theirs");
    let r = finish(child, Some(&corpus()));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("a.jsonl: another program created this file while wiretrace was running; it was left as it is"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("pass --force to overwrite it"),
        "{}",
        r.stderr
    );
    assert_eq!(d.read("a.jsonl"), "theirs");
    assert!(temps(&d.path(".")).is_empty());

    // With --force the last writer wins, whole.
    std::fs::remove_file(d.path("a.jsonl")).unwrap();
    let child = spawn_on_stdin(&d, &["--assignments", "a.jsonl", "-q", "--force"]);
    wait_for_temp(&d.path("."), "a.jsonl");
    d.write("a.jsonl", "theirs");
    let r = finish(child, Some(&corpus()));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(assignments(&d.read("a.jsonl")).len(), 3);
}

/// A missing output directory was found only after the scan, with another
/// output already written. Every output's directory is checked (and its
/// temporary file made) before any input is read: here the boilerplate file
/// has a bad pattern and would fail the run if it were read first.
#[test]
fn issue_15_a_missing_or_unwritable_output_directory_is_found_before_reading() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    d.write("bp.txt", "(unclosed\n");
    d.write("afile", "");
    for (out, dir, why) in [
        (
            "nodir/r.html",
            "nodir",
            "does not exist; create it first (mkdir -p nodir)",
        ),
        ("afile/r.html", "afile", "is not a directory"),
        (
            "/proc/r.html",
            "/proc",
            "cannot create a file in the directory",
        ),
    ] {
        let r = d.run(&[
            "scan",
            "in.jsonl",
            "-o",
            "c.json",
            "--assignments",
            "a.jsonl",
            "--report",
            out,
            "--boilerplate",
            "bp.txt",
        ]);
        r.expect_code(2);
        assert!(
            r.stderr.contains(out) && r.stderr.contains(dir) && r.stderr.contains(why),
            "{}",
            r.stderr
        );
        assert!(
            !r.stderr.contains("bp.txt"),
            "no input read first: {}",
            r.stderr
        );
        assert!(!d.path("c.json").exists() && !d.path("a.jsonl").exists());
        assert!(temps(&d.path(".")).is_empty());
    }
    // A directory without write permission (permissions do not bind root).
    use std::os::unix::fs::PermissionsExt;
    let locked = d.path("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(locked.join("probe"), "").is_err() {
        let r = d.run(&[
            "scan",
            "in.jsonl",
            "-o",
            "c.json",
            "--report",
            "locked/r.html",
        ]);
        r.expect_code(2);
        assert!(
            r.stderr
                .contains("cannot create a file in the directory locked: Permission denied"),
            "{}",
            r.stderr
        );
        assert!(!d.path("c.json").exists());
    }
}

/// SIGQUIT left a temporary file; it is now handled like SIGINT and
/// SIGTERM: the temporary files go, the targets keep their old contents.
#[test]
fn issue_15_signals_including_sigquit_leave_no_temporary_file() {
    let d = Dir::new();
    d.write("c.json", "old");
    for (signal, code) in [("-QUIT", 131), ("-INT", 130), ("-TERM", 130), ("-HUP", 130)] {
        let child = spawn_on_stdin(&d, &["-o", "c.json", "--assignments", "a.jsonl", "--force"]);
        wait_for_temp(&d.path("."), "a.jsonl");
        kill(&child, signal);
        let r = finish(child, None);
        assert_eq!(r.code, Some(code), "{signal}: {:?} {}", r.signal, r.stderr);
        assert!(
            r.stderr
                .contains("interrupted; no output was left half-written"),
            "{}",
            r.stderr
        );
        assert!(
            temps(&d.path(".")).is_empty(),
            "{signal}: {:?}",
            temps(&d.path("."))
        );
        assert_eq!(d.read("c.json"), "old");
        assert!(!d.path("a.jsonl").exists());
    }
}

/// A run killed with SIGKILL cannot clean up; its temporary files were
/// never removed. The next run writing the same output removes those of
/// processes that no longer run (regular files of this user only), and
/// says so.
#[test]
fn issue_15_temporary_files_of_a_killed_run_are_removed_by_the_next() {
    let d = Dir::new();
    d.write("in.jsonl", corpus());
    let child = spawn_on_stdin(&d, &["--report", "r.html", "-q"]);
    let left = wait_for_temp(&d.path("."), "r.html");
    kill(&child, "-KILL");
    let r = finish(child, None);
    assert_eq!(r.signal, Some(9));
    assert!(left.exists(), "a killed run leaves its temporary file");
    // Beside it: a live process's file, another output's, and a planted
    // link; none is touched.
    let me = std::process::id();
    let live = d.write(
        &format!(".r.html.wiretrace-{me}-Live0001.tmp"),
        "in progress",
    );
    let other = d.write(
        ".c.json.wiretrace-2147483647-Dead0001.tmp",
        "not this output",
    );
    let victim = d.write("victim.txt", "precious");
    let planted = d.path(".r.html.wiretrace-2147483647-Link0001.tmp");
    std::os::unix::fs::symlink(&victim, &planted).unwrap();

    let r = d.run(&["scan", "in.jsonl", "--report", "r.html", "-q"]);
    r.expect_code(0);
    assert!(!left.exists(), "the killed run's temporary file is removed");
    assert!(
        r.stderr.contains(&format!(
            "note: removed {}, a temporary file left by a run that was killed",
            Path::new(".").join(left.file_name().unwrap()).display()
        )),
        "{}",
        r.stderr
    );
    assert!(d.read("r.html").contains("<html"));
    assert!(live.exists() && other.exists());
    assert!(is_link(&planted));
    assert_eq!(d.read("victim.txt"), "precious");
}
