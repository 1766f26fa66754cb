//! Scale benchmark: generated corpora of 10^4 to 10^6 articles, scanned from
//! disk, with seconds, articles/s, MB/s and memory per stage.
//!
//! ```text
//! cargo bench --bench scale                      # 10^4 and 10^5 articles
//! cargo bench --bench scale -- 20000 1000000     # sizes as arguments
//! WIRETRACE_SCALE=1000000 cargo bench --bench scale
//! WIRETRACE_SCALE_SHINGLE=word:5 WIRETRACE_SCALE_THRESHOLD=0.5 cargo bench --bench scale
//! RAYON_NUM_THREADS=1 cargo bench --bench scale  # thread count of the scan
//! ```
//!
//! For each size the parent process streams a corpus (`gen::generate`, seed
//! `WIRETRACE_SCALE_SEED`, default 1) to a temporary file (under
//! `WIRETRACE_SCALE_DIR`, default the system temp dir), then re-executes
//! itself in a fresh child process that runs `pipeline::scan` on the path
//! (so the input is memory-mapped as in the CLI) and reports back one JSON
//! line. A fresh process per size makes its peak RSS that scan's alone.
//!
//! What is measured, per stage:
//! - seconds: wall clock from the scan's own `stats.timings`; the fused
//!   normalize, shingle and minhash sub-stages show CPU seconds summed over
//!   threads (they run inside `read+fingerprint`), with `cpu` in the table.
//! - articles/s and MB/s: articles and input bytes over those seconds.
//! - `hwm_mb`: the process's `VmHWM` (peak RSS) read when the stage ends,
//!   so a running maximum: a stage's own peak shows as the increase. It
//!   counts the mapped input pages the scan has touched (`RssFile`).
//! - `anon_mb`: the largest `RssAnon` (heap: signatures, metadata, band
//!   tables, candidate pairs) sampled every 2 ms while the stage ran; this
//!   is the memory the scan holds beyond the mapped input.
//! - Stages end where the pipeline reports progress: `lsh+verify` starts,
//!   and the scan finishes (`lsh+verify` and `cluster` share a sample:
//!   pairs are verified as they are found, so no candidate list is held).
//!
//! Per article: `(peak RSS - file size) / articles` (the issue's budget is
//! at most 1 KB) and `peak RssAnon / articles`. The corpus was just written,
//! so it is read from the page cache, not the disk.
//!
//! Output: a table per size, then one JSON line per size (lines starting
//! with `{"scale":`), also appended to `WIRETRACE_SCALE_OUT` when set, so
//! runs can be compared.

use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wiretrace::pipeline::{self, Progress};
use wiretrace::{Config, ShingleSpec};
use wiretrace_gen::gen::{self, GenConfig};

const CHILD_ENV: &str = "WIRETRACE_SCALE_CHILD";
const DEFAULT_SIZES: &[usize] = &[10_000, 100_000];
/// Memory stages: each ends where the next starts.
const MEM_STAGES: &[&str] = &["fingerprint", "lsh+verify+cluster"];

fn main() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        child(Path::new(&path));
        return;
    }
    if let Err(e) = parent() {
        eprintln!("scale: {e}");
        std::process::exit(2);
    }
}

// ---------------------------------------------------------------- parent

fn sizes() -> Result<Vec<usize>, String> {
    let parse = |s: &str| {
        s.replace('_', "")
            .parse::<usize>()
            .map_err(|_| format!("size `{s}` is not a number of articles"))
    };
    // `cargo bench` passes `--bench` (and filters); numbers are sizes.
    let mut out: Vec<usize> = Vec::new();
    for a in std::env::args().skip(1) {
        if a.starts_with('-') {
            continue;
        }
        out.push(parse(&a)?);
    }
    if out.is_empty() {
        if let Ok(v) = std::env::var("WIRETRACE_SCALE") {
            for s in v.split([',', ' ']).filter(|s| !s.is_empty()) {
                out.push(parse(s)?);
            }
        }
    }
    if out.is_empty() {
        out = DEFAULT_SIZES.to_vec();
    }
    Ok(out)
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map_err(|_| format!("{name}={v} could not be parsed")),
        Err(_) => Ok(default),
    }
}

fn parent() -> Result<(), String> {
    let seed: u64 = env_or("WIRETRACE_SCALE_SEED", 1)?;
    let dir = match std::env::var_os("WIRETRACE_SCALE_DIR") {
        Some(d) => tempfile::tempdir_in(d),
        None => tempfile::tempdir(),
    }
    .map_err(|e| format!("temp dir: {e}"))?;
    let exe = std::env::current_exe().map_err(|e| format!("current exe: {e}"))?;
    let mut lines = Vec::new();
    for n in sizes()? {
        let path = dir.path().join(format!("corpus-{n}.jsonl"));
        let t = Instant::now();
        let stats = {
            let file = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut corpus = BufWriter::with_capacity(1 << 20, file);
            let cfg = GenConfig {
                seed,
                articles: n,
                ..GenConfig::default()
            };
            let s = gen::generate(&cfg, &mut corpus, &mut std::io::sink())
                .map_err(|e| format!("gen: {e}"))?;
            corpus.flush().map_err(|e| format!("gen: {e}"))?;
            s
        };
        let gen_s = t.elapsed().as_secs_f64();
        eprintln!(
            "scale: generated {n} articles ({:.1} MB) in {gen_s:.1} s; scanning in a child process",
            stats.bytes as f64 / 1e6
        );
        let out = Command::new(&exe)
            .env(CHILD_ENV, &path)
            .output()
            .map_err(|e| format!("child: {e}"))?;
        let _ = std::fs::remove_file(&path);
        if !out.status.success() {
            return Err(format!(
                "child scan of {n} articles failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout
            .lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .ok_or("child printed no result")?;
        let mut v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("child result: {e}"))?;
        v["gen_seconds"] = serde_json::json!(gen_s);
        v["seed"] = serde_json::json!(seed);
        print_table(&v);
        lines.push(v);
    }
    println!();
    let mut sink = match std::env::var_os("WIRETRACE_SCALE_OUT") {
        Some(p) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&p)
                .map_err(|e| format!("{}: {e}", PathBuf::from(&p).display()))?,
        ),
        None => None,
    };
    for v in &lines {
        let s = v.to_string();
        println!("{s}");
        if let Some(f) = sink.as_mut() {
            writeln!(f, "{s}").map_err(|e| format!("WIRETRACE_SCALE_OUT: {e}"))?;
        }
    }
    Ok(())
}

fn print_table(v: &serde_json::Value) {
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let articles = f("articles");
    let mb = f("bytes") / 1e6;
    println!();
    println!(
        "{} articles, {:.1} MB, {} threads, backend {}, shingles {}, threshold {} (gen {:.1} s)",
        articles,
        mb,
        v["threads"],
        v["backend"].as_str().unwrap_or("?"),
        v["shingles"].as_str().unwrap_or("?"),
        v["threshold"],
        f("gen_seconds"),
    );
    println!(
        "{:<18} {:>9} {:>12} {:>9} {:>10} {:>10}",
        "stage", "seconds", "articles/s", "MB/s", "hwm MB", "anon MB"
    );
    if let Some(stages) = v["stages"].as_array() {
        for s in stages {
            let secs = s["seconds"].as_f64().unwrap_or(0.0);
            let cpu = s["cpu"].as_bool().unwrap_or(false);
            let mem = |k: &str| {
                s[k].as_f64()
                    .map(|x| format!("{x:.1}"))
                    .unwrap_or_else(|| "-".into())
            };
            println!(
                "{:<18} {:>9} {:>12.0} {:>9.1} {:>10} {:>10}",
                s["stage"].as_str().unwrap_or("?"),
                format!("{secs:.3}{}", if cpu { " cpu" } else { "" }),
                articles / secs,
                mb / secs,
                mem("hwm_mb"),
                mem("anon_mb"),
            );
        }
    }
    println!(
        "peak RSS {:.1} MB (file {:.1} MB): (peak RSS - file) / article = {:.0} B, peak anon / article = {:.0} B (budget 1024 B)",
        f("peak_rss_mb"),
        mb,
        f("rss_minus_file_per_article"),
        f("anon_per_article"),
    );
}

// ---------------------------------------------------------------- child

/// Fields of /proc/self/status, in kB.
fn status_kb(fields: &[&str]) -> Vec<u64> {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    fields
        .iter()
        .map(|f| {
            text.lines()
                .find_map(|l| l.strip_prefix(f)?.strip_prefix(':'))
                .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
                .unwrap_or(0)
        })
        .collect()
}

/// Samples `RssAnon` in the background and keeps the maximum per stage.
struct MemProbe {
    stage: AtomicUsize,
    anon_max: Vec<AtomicU64>,
    hwm_at_end: Vec<AtomicU64>,
    stop: AtomicBool,
}

impl MemProbe {
    fn new() -> Arc<Self> {
        Arc::new(MemProbe {
            stage: AtomicUsize::new(0),
            anon_max: MEM_STAGES.iter().map(|_| AtomicU64::new(0)).collect(),
            hwm_at_end: MEM_STAGES.iter().map(|_| AtomicU64::new(0)).collect(),
            stop: AtomicBool::new(false),
        })
    }

    fn sample(&self) {
        let anon = status_kb(&["RssAnon"])[0];
        let i = self.stage.load(Ordering::Acquire).min(MEM_STAGES.len() - 1);
        self.anon_max[i].fetch_max(anon, Ordering::Relaxed);
    }

    /// Ends the current stage (its `VmHWM`) and starts stage `next`.
    fn end_stage(&self, next: usize) {
        self.sample();
        let cur = self.stage.load(Ordering::Acquire);
        if cur < MEM_STAGES.len() {
            self.hwm_at_end[cur].store(status_kb(&["VmHWM"])[0], Ordering::Relaxed);
        }
        self.stage.store(next, Ordering::Release);
    }
}

struct ProbeProgress(Arc<MemProbe>);

impl Progress for ProbeProgress {
    fn stage(&self, name: &str, _total: u64) {
        match name {
            "lsh+verify" | "lsh" => self.0.end_stage(1),
            _ => {}
        }
    }
    fn finish(&self) {
        self.0.end_stage(MEM_STAGES.len());
    }
}

#[derive(Serialize)]
struct StageRow {
    stage: String,
    seconds: f64,
    cpu: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    hwm_mb: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    anon_mb: Option<f64>,
}

fn config_from_env() -> Config {
    let mut cfg = Config::default();
    if let Ok(s) = std::env::var("WIRETRACE_SCALE_SHINGLE") {
        match s.parse::<ShingleSpec>() {
            Ok(spec) => cfg.shingles = vec![spec],
            Err(e) => {
                eprintln!("scale: WIRETRACE_SCALE_SHINGLE={s}: {e}");
                std::process::exit(2);
            }
        }
    }
    if let Ok(s) = std::env::var("WIRETRACE_SCALE_THRESHOLD") {
        match s.parse() {
            Ok(t) => cfg.threshold = t,
            Err(_) => {
                eprintln!("scale: WIRETRACE_SCALE_THRESHOLD={s} is not a number");
                std::process::exit(2);
            }
        }
    }
    if let Ok(s) = std::env::var("WIRETRACE_SCALE_NUM_PERM") {
        match s.parse() {
            Ok(k) => cfg.num_perm = k,
            Err(_) => {
                eprintln!("scale: WIRETRACE_SCALE_NUM_PERM={s} is not a number");
                std::process::exit(2);
            }
        }
    }
    cfg
}

fn child(path: &Path) {
    let cfg = config_from_env();
    let file_bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let before = status_kb(&["VmRSS", "RssAnon"]);
    let probe = MemProbe::new();
    let sampler = {
        let p = Arc::clone(&probe);
        std::thread::spawn(move || {
            while !p.stop.load(Ordering::Relaxed) {
                p.sample();
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let t = Instant::now();
    let scan = match pipeline::scan(
        &cfg,
        &[path.to_path_buf()],
        &ProbeProgress(Arc::clone(&probe)),
    ) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("scale: scan: {e}");
            std::process::exit(2);
        }
    };
    let wall = t.elapsed().as_secs_f64();
    probe.stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let after = status_kb(&["VmHWM", "VmRSS", "RssAnon", "RssFile"]);
    let st = &scan.stats;
    let kb = |x: u64| x as f64 / 1024.0;

    // Timings, with each memory stage's figures on its last row.
    let mem_of = |timing: &str| match timing {
        "read+fingerprint" => Some(0),
        "cluster" => Some(1),
        _ => None,
    };
    let mut stages: Vec<StageRow> = st
        .timings
        .iter()
        .map(|t| {
            let m = mem_of(t.stage);
            StageRow {
                stage: t.stage.to_string(),
                seconds: t.cpu_seconds.unwrap_or(t.seconds),
                cpu: t.cpu_seconds.is_some(),
                hwm_mb: m.map(|i| kb(probe.hwm_at_end[i].load(Ordering::Relaxed))),
                anon_mb: m.map(|i| kb(probe.anon_max[i].load(Ordering::Relaxed))),
            }
        })
        .collect();
    // VmHWM is kept from per-thread counters that the kernel syncs lazily,
    // so a later reading can come out a few pages lower: report the maximum.
    let peak_kb = probe
        .hwm_at_end
        .iter()
        .map(|a| a.load(Ordering::Relaxed))
        .fold(after[0], u64::max);
    stages.push(StageRow {
        stage: "total".into(),
        seconds: wall,
        cpu: false,
        hwm_mb: Some(kb(peak_kb)),
        anon_mb: probe
            .anon_max
            .iter()
            .map(|a| kb(a.load(Ordering::Relaxed)))
            .reduce(f64::max),
    });
    let peak_anon_kb = probe
        .anon_max
        .iter()
        .map(|a| a.load(Ordering::Relaxed))
        .max()
        .unwrap_or(0);
    let articles = st.articles.max(1) as f64;
    let out = serde_json::json!({
        "scale": st.articles,
        "articles": st.articles,
        "bytes": st.bytes,
        "threads": st.threads,
        "backend": format!("{:?}", st.backend),
        "shingles": cfg.shingles.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("+"),
        "threshold": cfg.threshold,
        "num_perm": cfg.num_perm,
        "lsh": st.lsh,
        "pair_checks": st.pair_checks,
        "edges": st.edges,
        "clusters": scan.clusters.count,
        "seconds": wall,
        "articles_per_s": st.articles as f64 / wall,
        "mb_per_s": st.bytes as f64 / 1e6 / wall,
        "stages": stages,
        "rss_before_mb": kb(before[0]),
        "peak_rss_mb": kb(peak_kb),
        "rss_file_end_mb": kb(after[3]),
        "peak_anon_mb": kb(peak_anon_kb),
        "rss_minus_file_per_article": (peak_kb as f64 * 1024.0 - file_bytes as f64) / articles,
        "anon_per_article": peak_anon_kb as f64 * 1024.0 / articles,
    });
    println!("{out}");
}
