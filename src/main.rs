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
    }
}

fn run_scan(a: &cli::ScanArgs) -> Result<ExitCode, wiretrace::Error> {
    let cfg = a.config()?;
    for out in a.output.iter().chain(a.assignments.iter()) {
        if a.inputs.iter().any(|i| same_file(i, out)) {
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
    let scan = wiretrace::scan(&cfg, &a.inputs, &bar)?;
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
    Ok(if scan.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Whether two paths name the same existing file.
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
