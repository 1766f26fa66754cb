//! Golden files: the Markdown and JSON reports of the demo corpus
//! (testdata/golden/demo.{md,json}). `UPDATE_GOLDEN=1 cargo test --test golden`
//! rewrites them; review the diff like code.

use std::process::Command;

fn check(format: &str) {
    let root =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../..");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join(format!("demo.{format}"));
    let o = Command::new(env!("CARGO_BIN_EXE_wiretrace"))
        .current_dir(&root)
        .args(["scan", "testdata/demo/corpus.jsonl", "-q", "--report"])
        .arg(&out)
        .output()
        .expect("run wiretrace");
    assert!(
        o.status.success(),
        "scan failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got = std::fs::read_to_string(&out).expect("report written");
    let golden = root.join(format!("testdata/golden/demo.{format}"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run UPDATE_GOLDEN=1 cargo test --test golden",
            golden.display()
        )
    });
    if got != want {
        let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
        let first = g
            .iter()
            .zip(&w)
            .position(|(a, b)| a != b)
            .unwrap_or(g.len().min(w.len()));
        let lo = first.saturating_sub(5);
        panic!(
            "{} differs from the report, first at line {}\n--- golden ---\n{}\n--- got ---\n{}\n\
             (UPDATE_GOLDEN=1 cargo test --test golden rewrites it; review the diff)",
            golden.display(),
            first + 1,
            w[lo..(first + 6).min(w.len())].join("\n"),
            g[lo..(first + 6).min(g.len())].join("\n"),
        );
    }
}

#[test]
fn demo_markdown_report() {
    check("md");
}

#[test]
fn demo_json_report() {
    check("json");
}
