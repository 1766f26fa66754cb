//! The `wiretrace` binary: arguments -> `Config` -> library -> exit code.

mod cli;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match args.command {
        cli::Command::Scan(a) => match run_scan(&a) {
            Ok(code) => code,
            Err(err) => {
                eprintln!("wiretrace: {err}");
                ExitCode::from(2)
            }
        },
        cli::Command::Check(a) => match run_check(&a) {
            Ok(code) => code,
            Err(err) => {
                eprintln!("wiretrace: {err}");
                ExitCode::from(2)
            }
        },
    }
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
        .map(|d| {
            let f = &scan.inputs.files[d.loc.file as usize].path;
            a.originals.iter().any(|o| f.starts_with(o))
        })
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
        let mut out = std::io::stdout().lock();
        match cli::print_check(&report, &mut out).and_then(|_| out.flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => return Err(wiretrace::Error::io("<stdout>", e)),
        }
    }
    Ok(
        if a.fail_on == Some(cli::FailOn::Unattributed) && report.summary.unattributed > 0 {
            ExitCode::from(3)
        } else if scan.skipped.is_empty() {
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
    Ok(if scan.skipped.is_empty() {
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
        if paths.iter().any(|i| same_file(i, out)) {
            return Err(wiretrace::Error::Input {
                path: out.clone(),
                why: "output file is also an input; choose another output path".into(),
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
    let scan = wiretrace::scan(&cfg, paths, &bar)?;
    if let Some(p) = &a.assignments {
        wiretrace::report::write_assignments(&scan, p)?;
    }
    if let Some(p) = &a.output {
        wiretrace::report::write_clusters(&scan, p, a.output_format())?;
    }
    if !scan.skipped.is_empty() {
        cli::print_skipped(&scan.skipped);
    }
    if !a.quiet {
        let mut out = std::io::stdout().lock();
        match cli::print_summary(&scan, &mut out).and_then(|_| out.flush()) {
            Ok(()) => {}
            // A closed pipe (`| head`) is a reader that has seen enough.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => return Err(wiretrace::Error::io("<stdout>", e)),
        }
    }
    Ok(scan)
}

/// Whether two paths name the same existing file.
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
