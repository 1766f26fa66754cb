//! The `wiretrace` binary: arguments -> `Config` -> library -> exit code.

mod cli;

use clap::{CommandFactory, FromArgMatches};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // The matches too: `index add` and `check --index` ask which settings
    // were given on the command line (a default is not a conflict).
    let matches = cli::Args::command().get_matches();
    let args = cli::Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // Ctrl-C, SIGTERM, SIGHUP, SIGQUIT: outputs are written to temporary
    // files renamed when complete; remove any in progress so nothing
    // half-written stays.
    let _ = ctrlc::set_handler(|| interrupted(130));
    #[cfg(unix)]
    on_sigquit();
    let result = match &args.command {
        cli::Command::Scan(a) => run_scan(a).map_err(Into::into),
        cli::Command::Gen(a) => run_gen(a),
        cli::Command::Eval(a) => run_eval(a),
        cli::Command::Check(a) => {
            run_check(a, matches.subcommand_matches("check")).map_err(Into::into)
        }
        cli::Command::Read(a) => run_read(a).map_err(Into::into),
        cli::Command::Index(a) => {
            cli::index::run(a, matches.subcommand_matches("index")).map_err(Into::into)
        }
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

/// Removes the temporary outputs and ends the process with `code`.
fn interrupted(code: u8) -> ! {
    wiretrace::report::remove_pending();
    eprintln!("wiretrace: interrupted; no output was left half-written");
    std::process::exit(code.into());
}

/// SIGQUIT (Ctrl-\\) is handled like SIGINT, exiting with 128 + 3. ctrlc
/// cannot add it, so signal-hook's thread waits for it.
#[cfg(unix)]
fn on_sigquit() {
    use signal_hook::consts::SIGQUIT;
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGQUIT]) {
        std::thread::spawn(move || {
            if signals.forever().next().is_some() {
                interrupted(128 + SIGQUIT as u8);
            }
        });
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
    let outs = wiretrace::report::open_outputs(&[&corpus, &truth], &[], a.force)?;
    note_stale(&outs);
    let [corpus_out, truth_out]: [wiretrace::report::Output; 2] =
        outs.try_into().map_err(|_| "two outputs expected")?;
    let started = std::time::Instant::now();
    let mut stats = None;
    let mut err = None;
    corpus_out.write(|c| {
        truth_out
            .write(|t| {
                stats = Some(wiretrace_gen::gen::generate(&cfg, c, t)?);
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
    let truth = wiretrace_gen::eval::read_assignments(&a.truth)?;
    let pred = wiretrace_gen::eval::read_assignments(&a.pred)?;
    let scores = wiretrace_gen::eval::evaluate(&truth, &pred);
    let titles = match &a.corpus {
        Some(p) => read_titles(p)?,
        None => std::collections::HashMap::new(),
    };
    let text = if a.json {
        format!("{}\n", serde_json::to_string_pretty(&scores)?)
    } else {
        // The listing quotes corpus headlines: escaped for the terminal.
        cli::clean_lines(&wiretrace_gen::eval::format_text_titled(&scores, &|id| {
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

/// `check`: originals and corpus scanned together (originals first); the
/// library traces the stories holding an original and gives the verdict.
fn run_check(
    a: &cli::CheckArgs,
    m: Option<&clap::ArgMatches>,
) -> Result<ExitCode, wiretrace::Error> {
    // Where the checked stories come from (an index, or a scan of the
    // originals with the corpus), then one way of writing and printing them.
    let (checked, report, format, stdout_taken, missing) = if let Some(index) = &a.index {
        // Against an index: no scan; the report is the only output.
        let format = a.scan.report_format()?;
        let named: Vec<&std::path::Path> = a.scan.report.iter().map(|p| p.as_path()).collect();
        let inputs: Vec<&std::path::Path> = a
            .originals
            .iter()
            .chain(&a.scan.inputs)
            .map(|p| p.as_path())
            .collect();
        let outs = wiretrace::report::open_outputs(&named, &inputs, a.scan.force)?;
        let stdout_taken = outs.iter().any(|o| o.is_stdout());
        let checked = cli::index::check(a, index, m)?;
        let report = outs.into_iter().next().map(ReportTo::File);
        (checked, report, format, stdout_taken, None)
    } else {
        let paths = wiretrace::check::inputs(&a.originals, &a.scan.inputs);
        let (scan, outs) = scan_and_write(&a.scan, &paths)?;
        let checked = wiretrace::check(&scan, a.originals.len());
        let format = a.scan.report_format()?;
        (
            checked,
            outs.report,
            format,
            outs.stdout_taken,
            inputs_missing(&scan),
        )
    };
    match (report, format) {
        (Some(ReportTo::File(out)), Some(f)) => {
            cli::write_file(&checked.report, out, f, a.scan.report_max_stories)?
        }
        (Some(ReportTo::Dir(dir)), _) => {
            // `check` traces few stories and keeps their texts.
            wiretrace::report::html::write_dir(&checked.report, &dir, a.scan.force, &|_| {
                Vec::new()
            })?;
        }
        _ => {}
    }
    if !a.scan.quiet {
        to_human(stdout_taken, |w| cli::print_check(&checked.report, w))?;
    }
    if let Some(code) = missing {
        return Ok(code);
    }
    let fail_on_unattributed = a.fail_on == Some(cli::FailOn::Unattributed);
    Ok(match checked.verdict(fail_on_unattributed) {
        wiretrace::check::Verdict::Unattributed => ExitCode::from(3),
        wiretrace::check::Verdict::Skipped => ExitCode::from(1),
        wiretrace::check::Verdict::Clean => ExitCode::SUCCESS,
    })
}

fn run_scan(a: &cli::ScanArgs) -> Result<ExitCode, wiretrace::Error> {
    let (scan, outs) = scan_and_write(a, &a.inputs)?;
    match (outs.report, a.report_format()?) {
        (Some(ReportTo::File(out)), Some(f)) => {
            let traced = wiretrace::lineage::trace_scan(&scan);
            let report =
                wiretrace::report::Report::new(&scan, traced, wiretrace::report::Mode::Scan, None);
            cli::write_file(&report, out, f, a.report_max_stories)?;
        }
        (Some(ReportTo::Dir(dir)), _) => write_report_dir(&scan, &dir, a.force)?,
        _ => {}
    }
    let code = inputs_missing(&scan).unwrap_or(if scan.stats.skipped == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    });
    // The process ends here: every output is written and closed. Freeing
    // the scan would free its allocations (a few per article: ids,
    // headlines, sketches) one by one on one thread after the work, for
    // memory the exit returns at once. (Only `Mapped` has a `Drop` of its
    // own, which releases a slot of the SIGBUS guard: moot at exit.)
    std::mem::forget(scan);
    Ok(code)
}

/// Exit 2 (with why) when an input named on the command line could not be
/// opened, or no input gave an article: a CI job must tell "the crawl was
/// not there" from "one record was bad" (exit 1).
fn inputs_missing(scan: &wiretrace::Scan) -> Option<ExitCode> {
    missing(&scan.inputs.unopened, scan.stats.articles)
}

fn missing(unopened: &[std::path::PathBuf], articles: u64) -> Option<ExitCode> {
    if let Some(p) = unopened.first() {
        eprintln!(
            "wiretrace: {} named input{} could not be opened (the first: {}); exit 2",
            unopened.len(),
            if unopened.len() == 1 { "" } else { "s" },
            cli::clean(p.display())
        );
        return Some(ExitCode::from(2));
    }
    if articles == 0 {
        eprintln!("wiretrace: no input could be read (every record or file was skipped, listed above); exit 2");
        return Some(ExitCode::from(2));
    }
    None
}

/// `read`: every article as read, to -o or stdout, as JSON Lines.
fn run_read(a: &cli::ReadArgs) -> Result<ExitCode, wiretrace::Error> {
    let cfg = a.config();
    let out_path = a.output.clone().unwrap_or_else(|| "-".into());
    let outs = wiretrace::report::open_outputs(&[out_path.as_path()], &[], a.force)?;
    note_stale(&outs);
    let inputs = wiretrace::ingest::open_with(
        &a.inputs,
        &[],
        &wiretrace::ingest::OpenOptions::from_config(&cfg),
    )?;
    let opts = wiretrace::ingest::ReadOptions::from_config(&cfg);
    let out = outs
        .into_iter()
        .next()
        .ok_or_else(|| wiretrace::Error::Config("no output".into()))?;
    let mut count = None;
    out.write(|w| {
        count = Some(wiretrace::ingest::write_articles(&inputs, &opts, w)?);
        Ok(())
    })?;
    let count = count.unwrap_or_default();
    for s in count.skipped.iter().take(cfg.max_errors.max(1)) {
        eprintln!("wiretrace: skipped {}", cli::clean(s));
    }
    if count.skipped.len() > cfg.max_errors.max(1) {
        eprintln!(
            "wiretrace: ... and {} more skipped",
            count.skipped.len() - cfg.max_errors.max(1)
        );
    }
    if let Some(code) = missing(&inputs.unopened, count.articles) {
        return Ok(code);
    }
    Ok(if count.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `scan --report DIR/`: traced and written a page of stories at a time,
/// texts re-read from the inputs for each page (memory holds one page's
/// stories, not the report).
fn write_report_dir(
    scan: &wiretrace::Scan,
    dir: &std::path::Path,
    force: bool,
) -> Result<(), wiretrace::Error> {
    use wiretrace::ingest::{Corpus, InputTexts, ReadOptions};
    let texts = InputTexts::new(
        &scan.inputs,
        &scan.docs,
        ReadOptions::from_config(&scan.config),
    );
    let files = wiretrace::ingest::file_names(&scan.inputs);
    let corpus = Corpus::new(&scan.docs, &files, &texts);
    let settings = wiretrace::report::Settings::from_config(&scan.config);
    wiretrace::report::html::write_dir_from_clusters(
        &corpus,
        &scan.clusters,
        settings,
        dir,
        force,
    )?;
    Ok(())
}

/// Where the report goes.
enum ReportTo {
    File(wiretrace::report::Output),
    Dir(std::path::PathBuf),
}

/// What is left to write after [`scan_and_write`]: the report, and whether
/// an output is standard output (then the human summary goes to stderr, so
/// stdout holds only the output).
struct Rest {
    report: Option<ReportTo>,
    stdout_taken: bool,
}

/// Checks every output and creates its temporary file (before any input,
/// the boilerplate file included, is read), scans `paths` with `a`'s
/// settings, writes -o and --assignments, and prints skipped records and
/// (unless quiet) the summary.
fn scan_and_write(
    a: &cli::ScanArgs,
    paths: &[std::path::PathBuf],
) -> Result<(wiretrace::Scan, Rest), wiretrace::Error> {
    cli::set_color(a.color);
    let format = a.report_format()?;
    // A report directory is checked (and created) here, before the scan;
    // its files are opened as they are written.
    let report_dir = match a.report.as_deref().filter(|p| cli::is_dir_target(p)) {
        Some(p) => Some(cli::prepare_dir(p, format, a.force)?),
        None => None,
    };
    let file_report = a.report.clone().filter(|_| report_dir.is_none());
    let named: Vec<&std::path::Path> = [&a.output, &a.assignments, &file_report]
        .into_iter()
        .flatten()
        .map(|p| p.as_path())
        .collect();
    let mut inputs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    // The patterns file is read too: an output onto it would destroy it.
    inputs.extend(a.boilerplate.as_deref());
    let outs = wiretrace::report::open_outputs(&named, &inputs, a.force)?;
    note_stale(&outs);
    let stdout_taken = outs.iter().any(|o| o.is_stdout());
    let mut outs = outs.into_iter();
    let mut next = |given: &Option<std::path::PathBuf>| given.as_ref().and_then(|_| outs.next());
    let (output, assignments, report) = (next(&a.output), next(&a.assignments), next(&file_report));
    let report = report.map(ReportTo::File).or(report_dir.map(ReportTo::Dir));
    let cfg = a.config()?;
    if let Some(n) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| wiretrace::Error::Config(format!("--threads {n}: {e}")))?;
    }
    let bar = cli::Bar::new(a.quiet);
    // Outputs left by an earlier run (`--force`) inside a scanned
    // directory are not read as inputs.
    let existing: Vec<std::path::PathBuf> = named
        .iter()
        .filter(|p| p.as_os_str() != "-" && p.exists())
        .map(|p| p.to_path_buf())
        .collect();
    let scan = wiretrace::pipeline::scan_excluding(&cfg, paths, &existing, &bar)?;
    if let Some(out) = assignments {
        wiretrace::report::write_assignments(&scan, out)?;
    }
    if let Some(out) = output {
        wiretrace::report::write_clusters(&scan, out, a.output_format())?;
    }
    if scan.stats.skipped > 0 {
        cli::print_skipped(&scan);
    }
    if !scan.notices.is_empty() || scan.stats.per_file.iter().any(|f| f.notices > 0) {
        cli::print_notices(&scan);
    }
    if !a.quiet {
        to_human(stdout_taken, |w| cli::print_summary(&scan, w))?;
    }
    Ok((
        scan,
        Rest {
            report,
            stdout_taken,
        },
    ))
}

/// Writes text for a person: to stdout, or to stderr when an output took
/// stdout (which must stay machine-readable).
fn to_human(
    stdout_taken: bool,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), wiretrace::Error> {
    if !stdout_taken {
        return to_stdout(fill);
    }
    let mut err = std::io::stderr().lock();
    // A closed stderr is no reason to fail a run whose outputs are written.
    let _ = fill(&mut err).and_then(|_| err.flush());
    Ok(())
}

/// Notes each temporary file of a killed run that opening the outputs removed.
fn note_stale(outs: &[wiretrace::report::Output]) {
    for p in outs.iter().flat_map(|o| o.removed_stale()) {
        eprintln!(
            "wiretrace: note: removed {}, a temporary file left by a run that was killed",
            p.display()
        );
    }
}
