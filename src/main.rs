//! The `wiretrace` binary: arguments -> `Config` -> library -> exit code.

mod cli;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    // Ctrl-C (or SIGTERM): outputs are written to temporary files renamed
    // when complete; remove any in progress so nothing half-written stays.
    let _ = ctrlc::set_handler(|| {
        wiretrace::report::remove_pending();
        eprintln!("wiretrace: interrupted; no output was left half-written");
        std::process::exit(130);
    });
    let result = match &args.command {
        cli::Command::Scan(a) => run_scan(a).map_err(Into::into),
        cli::Command::Gen(a) => run_gen(a),
        cli::Command::Eval(a) => run_eval(a),
        cli::Command::Check(a) => run_check(a).map_err(Into::into),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // Errors quote paths and record text: escaped for the terminal.
            eprintln!("wiretrace: {}", cli::clean(&err));
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout with `fill`; a closed pipe (`| head`) is a reader that
/// has seen enough, so it ends the output cleanly.
fn to_stdout(
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), wiretrace::Error> {
    let mut out = std::io::stdout().lock();
    match fill(&mut out).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(wiretrace::Error::io("<stdout>", e))
        }
        _ => Ok(()),
    }
}

/// Writes `text` to stdout (see [`to_stdout`]).
fn print_stdout(text: &str) -> Result<(), Box<dyn std::error::Error>> {
    Ok(to_stdout(|w| w.write_all(text.as_bytes()))?)
}

fn run_gen(a: &cli::GenArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let cfg = a.config();
    cfg.validate()
        .map_err(|e| format!("invalid generator setting: {e}"))?;
    std::fs::create_dir_all(&a.out).map_err(|e| wiretrace::Error::io(&a.out, e))?;
    let (corpus, truth) = (a.out.join("corpus.jsonl"), a.out.join("truth.jsonl"));
    for p in [&corpus, &truth] {
        refuse_existing(p, a.force)?;
    }
    let started = std::time::Instant::now();
    let mut stats = None;
    let mut err = None;
    wiretrace::report::write_atomic(&corpus, |c| {
        wiretrace::report::write_atomic(&truth, |t| {
            stats = Some(wiretrace::gen::generate(&cfg, c, t)?);
            Ok(())
        })
        .map_err(|e| {
            let io = std::io::Error::other(e.to_string());
            err = Some(e);
            io
        })
    })?;
    if let Some(e) = err {
        return Err(e.into());
    }
    let stats = stats.ok_or("generator produced nothing")?;
    let secs = started.elapsed().as_secs_f64();
    let text = if a.json {
        format!("{}\n", serde_json::to_string_pretty(&stats)?)
    } else {
        let mut s = format!(
            "wrote {} and {}: {} articles, {} stories, {:.1} MB in {:.2} s\n",
            cli::clean(corpus.display()),
            cli::clean(truth.display()),
            stats.articles,
            stats.stories,
            stats.bytes as f64 / 1e6,
            secs
        );
        for (k, n) in &stats.per_kind {
            s.push_str(&format!("  {k:<12} {n:>9}\n"));
        }
        s
    };
    print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn run_eval(a: &cli::EvalArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let truth = wiretrace::eval::read_assignments(&a.truth)?;
    let pred = wiretrace::eval::read_assignments(&a.pred)?;
    let scores = wiretrace::eval::evaluate(&truth, &pred);
    let titles = match &a.corpus {
        Some(p) => read_titles(p)?,
        None => std::collections::HashMap::new(),
    };
    let text = if a.json {
        format!("{}\n", serde_json::to_string_pretty(&scores)?)
    } else {
        // The listing quotes corpus headlines: escaped for the terminal.
        cli::clean_lines(&wiretrace::eval::format_text_titled(&scores, &|id| {
            titles.get(id).cloned()
        }))
    };
    print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Headlines by id from a JSON Lines corpus (`id`, `title`); lines that
/// are not JSON objects or have no title are passed over (this only names
/// documents in a listing).
fn read_titles(
    path: &std::path::Path,
) -> Result<std::collections::HashMap<String, String>, wiretrace::Error> {
    let text = std::fs::read_to_string(path).map_err(|e| wiretrace::Error::io(path, e))?;
    let mut out = std::collections::HashMap::new();
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let id = match v.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => continue,
        };
        if let Some(t) = v.get("title").and_then(|t| t.as_str()) {
            out.insert(id, t.to_string());
        }
    }
    Ok(out)
}

/// `check`: originals and corpus scanned together (originals first); only
/// stories holding an original are traced, each from the original.
fn run_check(a: &cli::CheckArgs) -> Result<ExitCode, wiretrace::Error> {
    let mut paths = a.originals.clone();
    paths.extend(a.scan.inputs.iter().cloned());
    let scan = scan_and_write(&a.scan, &paths)?;
    let originals: Vec<bool> = scan
        .docs
        .iter()
        // By the argument a file came from, not its spelling: an original
        // found again under a corpus directory is read once, as an original.
        .map(|d| scan.inputs.files[d.loc.file as usize].arg < a.originals.len())
        .collect();
    let cfg = wiretrace::lineage::LineageConfig::from_config(&scan.config);
    let traced = wiretrace::lineage::trace_scan_with(&scan, &cfg, Some(&originals));
    let report = wiretrace::report::Report::new(
        &scan,
        traced,
        wiretrace::report::Mode::Check,
        Some(&originals),
    );
    if let (Some(p), Some(f)) = (&a.scan.report, a.scan.report_format()?) {
        wiretrace::report::write_report(&report, p, f)?;
    }
    if !a.scan.quiet {
        to_stdout(|w| cli::print_check(&report, w))?;
    }
    Ok(
        if a.fail_on == Some(cli::FailOn::Unattributed) && report.summary.unattributed > 0 {
            ExitCode::from(3)
        } else if scan.stats.skipped == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}

fn run_scan(a: &cli::ScanArgs) -> Result<ExitCode, wiretrace::Error> {
    let scan = scan_and_write(a, &a.inputs)?;
    if let (Some(p), Some(f)) = (&a.report, a.report_format()?) {
        let traced = wiretrace::lineage::trace_scan(&scan);
        let report =
            wiretrace::report::Report::new(&scan, traced, wiretrace::report::Mode::Scan, None);
        wiretrace::report::write_report(&report, p, f)?;
    }
    Ok(if scan.stats.skipped == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Scans `paths` with `a`'s settings, writes -o and --assignments, and
/// prints skipped records and (unless quiet) the summary.
fn scan_and_write(
    a: &cli::ScanArgs,
    paths: &[std::path::PathBuf],
) -> Result<wiretrace::Scan, wiretrace::Error> {
    let cfg = a.config()?;
    a.report_format()?;
    for out in a
        .output
        .iter()
        .chain(a.assignments.iter())
        .chain(a.report.iter())
    {
        if paths.iter().any(|i| same_file(i, out) || i == out) {
            return Err(wiretrace::Error::Input {
                path: out.clone(),
                why: "output file is also an input; choose another output path".into(),
            });
        }
        refuse_existing(out, a.force)?;
    }
    let outs: Vec<&std::path::PathBuf> = a
        .output
        .iter()
        .chain(a.assignments.iter())
        .chain(a.report.iter())
        .collect();
    for (i, x) in outs.iter().enumerate() {
        if outs[..i].iter().any(|y| y == x) {
            return Err(wiretrace::Error::Input {
                path: x.to_path_buf(),
                why: "named as two outputs; give each output its own path".into(),
            });
        }
    }
    if let Some(n) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| wiretrace::Error::Config(format!("--threads {n}: {e}")))?;
    }
    let bar = cli::Bar::new(a.quiet);
    // Outputs left by an earlier run (`--force`) inside a scanned
    // directory are not read as inputs.
    let existing: Vec<std::path::PathBuf> = outs
        .iter()
        .filter(|p| p.exists())
        .map(|p| p.to_path_buf())
        .collect();
    let scan = wiretrace::pipeline::scan_excluding(&cfg, paths, &existing, &bar)?;
    if let Some(p) = &a.assignments {
        wiretrace::report::write_assignments(&scan, p)?;
    }
    if let Some(p) = &a.output {
        wiretrace::report::write_clusters(&scan, p, a.output_format())?;
    }
    if scan.stats.skipped > 0 {
        cli::print_skipped(&scan);
    }
    if scan.stats.per_file.iter().any(|f| f.notices > 0) {
        cli::print_notices(&scan);
    }
    if !a.quiet {
        to_stdout(|w| cli::print_summary(&scan, w))?;
    }
    Ok(scan)
}

/// The overwrite rule: an existing output is an error unless `force`.
fn refuse_existing(path: &std::path::Path, force: bool) -> Result<(), wiretrace::Error> {
    if !force && std::fs::symlink_metadata(path).is_ok() {
        return Err(wiretrace::Error::Input {
            path: path.to_owned(),
            why: "output already exists; pass --force to overwrite it, or choose another path"
                .into(),
        });
    }
    Ok(())
}

/// Whether two paths name the same existing file.
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
