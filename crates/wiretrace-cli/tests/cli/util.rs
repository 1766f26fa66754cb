//! A tiny harness: run the binary in a fresh temp dir, inspect what it did.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A scratch directory and the binary under test.
pub struct Dir {
    dir: tempfile::TempDir,
}

/// What a run produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Dir {
    pub fn new() -> Self {
        Dir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, contents).expect("write");
        p
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_wiretrace"));
        c.current_dir(self.dir.path());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Run {
        let mut c = self.cmd();
        c.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        c.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = c.spawn().expect("spawn wiretrace");
        if let Some(input) = stdin {
            use std::io::Write;
            let mut s = child.stdin.take().expect("stdin");
            s.write_all(input).expect("write stdin");
        }
        let out: Output = child.wait_with_output().expect("wait");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Panics with everything the run printed when the exit code differs.
    pub fn expect_code(&self, code: i32) -> &Self {
        if self.code != code {
            panic!(
                "expected exit code {code}, got {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                self.code, self.stdout, self.stderr
            );
        }
        self
    }
}

/// `{"id","cluster"}` lines as (id, cluster) pairs.
pub fn assignments(text: &str) -> Vec<(String, u64)> {
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("assignment line is JSON");
            (
                v["id"].as_str().expect("id").to_owned(),
                v["cluster"].as_u64().expect("cluster"),
            )
        })
        .collect()
}

/// Cluster of `id` in assignments.
pub fn cluster_of(a: &[(String, u64)], id: &str) -> u64 {
    a.iter()
        .find(|(i, _)| i == id)
        .unwrap_or_else(|| panic!("no assignment for {id}"))
        .1
}

/// The seed articles the repository ships (`testdata/seeds`). Tests read
/// only what a fresh clone holds: nothing beside the repository.
pub fn seeds_dir() -> PathBuf {
    std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("../..")
        .join("testdata/seeds")
}

/// A JSON Lines record.
pub fn rec(id: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "text": text }).to_string()
}
