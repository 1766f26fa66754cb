//! `wiretrace index ...` and `check --index`: the persistent index from
//! the command line (the library's `wiretrace::index`).

use super::{clean, ScanArgs};
use clap::{ArgMatches, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use wiretrace::index::{Batch, Index};
use wiretrace::report::{self, Mode, Report};
use wiretrace::{Config, Corpus, Error};

pub const INDEX_HELP: &str = "\
An index is a directory: `index add` creates it on first use with the settings given
(shingles, thresholds, seed, bands...) and later adds reuse them; a setting given
again with another value is refused, naming it. Article texts are not kept: reports
re-read them from the files they were added from (a file changed or moved since
makes its articles unreadable, which reports count).

One writer at a time (add, remove, compact; a second is refused); export, check
and stats work while one writes. A writer killed at any point leaves the index as
it was before or after.

Exit codes:
  0  done
  1  done, but some records were skipped (listed on stderr)
  2  error: bad arguments, no or corrupt index (named), another writer, conflicting
     settings, an index of a newer format; the index is then unchanged";

/// `wiretrace index`.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: IndexCommand,
}

/// Subcommands of `index`.
#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Add articles to an index (created on first use): match them against
    /// everything indexed before, print which joined existing stories.
    #[command(after_help = INDEX_HELP)]
    Add(Box<AddArgs>),
    /// Write the clusters of everything indexed, as one scan of it would.
    #[command(after_help = INDEX_HELP)]
    Export(ExportArgs),
    /// Figures of an index (articles, segments, bytes, stories).
    #[command(after_help = INDEX_HELP)]
    Stats(StatsArgs),
    /// Remove articles by id (retractions, takedowns): they no longer match
    /// and are in no export.
    #[command(after_help = INDEX_HELP)]
    Remove(RemoveArgs),
    /// Merge the segments into one, dropping removed articles from disk.
    #[command(after_help = INDEX_HELP)]
    Compact(CompactArgs),
}

/// `index add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The index directory.
    #[arg(value_name = "INDEX")]
    pub index: PathBuf,
    /// The articles to add (as for scan) and the settings of a new index.
    /// --assignments writes the new articles' {"id","cluster"} (clusters
    /// numbered as `index export` numbers them).
    #[command(flatten)]
    pub scan: ScanArgs,
}

/// `index export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The index directory.
    #[arg(value_name = "INDEX")]
    pub index: PathBuf,
    /// Write {"id","cluster"} for every article to FILE (- for stdout).
    #[arg(long, value_name = "FILE")]
    pub assignments: Option<PathBuf>,
    /// Write the clusters of two or more articles, with members and
    /// similarities, as JSON to FILE.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write a republication report to FILE (.json, .md, .html, .csv).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Format of --report (default: from the extension).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub report_format: Option<super::ReportFormatArg>,
    /// Overwrite outputs that exist.
    #[arg(long)]
    pub force: bool,
}

/// `index stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// The index directory.
    #[arg(value_name = "INDEX")]
    pub index: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Verify every checksum of every segment (reads the whole index).
    #[arg(long)]
    pub verify: bool,
}

/// `index remove`.
#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The index directory.
    #[arg(value_name = "INDEX")]
    pub index: PathBuf,
    /// The ids to remove: one per line, or JSON Lines with an "id".
    #[arg(long, value_name = "FILE")]
    pub ids: PathBuf,
}

/// `index compact`.
#[derive(Debug, clap::Args)]
pub struct CompactArgs {
    /// The index directory.
    #[arg(value_name = "INDEX")]
    pub index: PathBuf,
}

/// Maps a scan option's clap id to the index setting it sets.
fn setting_of(id: &str) -> &str {
    match id {
        "id_field" | "text_field" | "title_field" | "source_field" | "url_field" | "date_field" => {
            "fields"
        }
        "rows" => "bands",
        "no_lede" => "lede",
        other => other,
    }
}

/// Whether `setting` was given on the command line in `m`.
fn given_in(m: Option<&ArgMatches>) -> impl Fn(&str) -> bool + '_ {
    move |setting: &str| {
        let Some(m) = m else { return true };
        m.ids().any(|id| {
            let id = id.as_str();
            setting_of(id) == setting
                && m.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
        })
    }
}

fn print_skipped(skipped: &[wiretrace::Skipped], count: u64) {
    for s in skipped {
        eprintln!("wiretrace: skipped {}", clean(s));
    }
    if count > skipped.len() as u64 {
        eprintln!(
            "wiretrace: and {} more records skipped",
            count - skipped.len() as u64
        );
    }
}

/// Runs `index ...`; `m` are the matches of the `index` subcommand.
pub fn run(a: &IndexArgs, m: Option<&ArgMatches>) -> Result<ExitCode, Error> {
    match &a.command {
        IndexCommand::Add(a) => add(a, m.and_then(|m| m.subcommand_matches("add"))),
        IndexCommand::Export(a) => export(a),
        IndexCommand::Stats(a) => stats(a),
        IndexCommand::Remove(a) => remove(a),
        IndexCommand::Compact(a) => compact(a),
    }
}

fn add(a: &AddArgs, m: Option<&ArgMatches>) -> Result<ExitCode, Error> {
    if a.scan.output.is_some() || a.scan.report.is_some() {
        return Err(Error::Config(
            "index add writes no clusters or report (-o, --report): use `wiretrace index export`"
                .into(),
        ));
    }
    let named: Vec<&std::path::Path> = a.scan.assignments.iter().map(|p| p.as_path()).collect();
    let inputs: Vec<&std::path::Path> = a.scan.inputs.iter().map(|p| p.as_path()).collect();
    let mut outs = report::open_outputs(&named, &inputs, a.scan.force)?.into_iter();
    let cfg = a.scan.config()?;
    let mut ix = Index::open_writer(&a.index, &cfg, &given_in(m))?;
    let out = ix.add(&a.scan.inputs)?;
    if let Some(o) = outs.next() {
        o.write(|w| {
            for x in &out.added {
                wiretrace::index::write_assignment(w, &x.id, x.cluster, None, x.too_short)?;
            }
            Ok(())
        })?;
    }
    print_skipped(&out.skipped, out.skipped_count);
    if !a.scan.quiet {
        let joined: Vec<_> = out.added.iter().filter(|x| x.joined.is_some()).collect();
        let mut text = format!(
            "added {} articles to {} ({}): {} candidate pairs, {} edges, {:.2} s; {} articles indexed\n",
            out.added.len(),
            clean(a.index.display()),
            out.segment.as_deref().unwrap_or("no new segment"),
            out.pairs,
            out.edges,
            out.seconds,
            ix.live()
        );
        text.push_str(&format!(
            "{} new articles joined existing stories\n",
            joined.len()
        ));
        for x in joined.iter().take(50) {
            text.push_str(&format!(
                "  {} -> story of {}\n",
                clean(&x.id),
                clean(x.joined.as_deref().unwrap_or(""))
            ));
        }
        if joined.len() > 50 {
            text.push_str(&format!(
                "  and {} more (--assignments lists every new article's cluster)\n",
                joined.len() - 50
            ));
        }
        let stdout_taken = a.scan.assignments.as_deref() == Some(std::path::Path::new("-"));
        emit(stdout_taken, &text)?;
    }
    Ok(if out.skipped_count > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints to stdout, or to stderr when an output took stdout.
fn emit(stdout_taken: bool, text: &str) -> Result<(), Error> {
    if stdout_taken {
        eprint!("{text}");
        return Ok(());
    }
    let mut o = std::io::stdout().lock();
    match o.write_all(text.as_bytes()).and_then(|_| o.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(()),
    }
}

fn report_format(
    path: &std::path::Path,
    given: Option<super::ReportFormatArg>,
) -> Result<report::ReportFormat, Error> {
    super::resolve_report_format(path, given)
}

fn export(a: &ExportArgs) -> Result<ExitCode, Error> {
    if a.assignments.is_none() && a.output.is_none() && a.report.is_none() {
        return Err(Error::Config(
            "index export needs an output: --assignments FILE, -o FILE or --report FILE".into(),
        ));
    }
    let format = a
        .report
        .as_deref()
        .map(|p| report_format(p, a.report_format))
        .transpose()?;
    let named: Vec<&std::path::Path> = [&a.assignments, &a.output, &a.report]
        .into_iter()
        .flatten()
        .map(|p| p.as_path())
        .collect();
    let outs = report::open_outputs(&named, &[], a.force)?;
    let mut outs = outs.into_iter();
    let mut next = |g: &Option<PathBuf>| g.as_ref().and_then(|_| outs.next());
    let (assign, output, rep) = (next(&a.assignments), next(&a.output), next(&a.report));
    let ix = Index::open(&a.index, &Config::default())?;
    let ex = ix.export()?;
    if let Some(o) = assign {
        o.write(|w| ex.write_assignments(w))?;
    }
    if let Some(o) = output {
        o.write(|w| ex.write_clusters(w))?;
    }
    if let (Some(o), Some(f)) = (rep, format) {
        let corpus = Corpus::new(&ex.docs, &ex.files, &ex.texts);
        let r = Report::from_clusters(
            &corpus,
            &ex.clusters,
            report::Settings::from_config(ix.config()),
            None,
        )?;
        report::write_report(&r, o, f)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(a: &StatsArgs) -> Result<ExitCode, Error> {
    let ix = Index::open(&a.index, &Config::default())?;
    let s = ix.stats(a.verify)?;
    let text = if a.json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&s).map_err(|e| Error::Config(e.to_string()))?
        )
    } else {
        let mut t = format!(
            "{}: format {}, generation {}\n  {} articles ({} added, {} removed), {} segments\n  {:.1} MB on disk, {:.0} bytes per article\n  {} stored edges, {} stories of two or more ({} articles)\n",
            clean(a.index.display()),
            s.format,
            s.generation,
            s.live,
            s.added,
            s.removed,
            s.segments,
            s.bytes as f64 / 1e6,
            s.bytes_per_article,
            s.edges,
            s.stories,
            s.in_stories
        );
        if let Some(v) = s.verified_bytes {
            t.push_str(&format!(
                "  every checksum verified ({:.1} MB)\n",
                v as f64 / 1e6
            ));
        }
        t
    };
    emit(false, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn remove(a: &RemoveArgs) -> Result<ExitCode, Error> {
    let text = std::fs::read_to_string(&a.ids).map_err(|e| Error::io(&a.ids, e))?;
    let mut ids = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if l.starts_with('{') {
            let v: serde_json::Value = serde_json::from_str(l).map_err(|e| Error::Input {
                path: a.ids.clone(),
                why: format!("line {}: {e}", i + 1),
            })?;
            match v.get("id") {
                Some(serde_json::Value::String(s)) => ids.push(s.clone()),
                Some(serde_json::Value::Number(n)) => ids.push(n.to_string()),
                _ => {
                    return Err(Error::Input {
                        path: a.ids.clone(),
                        why: format!("line {}: no \"id\"", i + 1),
                    })
                }
            }
        } else {
            ids.push(l.to_owned());
        }
    }
    let mut ix = Index::open_writer(&a.index, &Config::default(), &|_| false)?;
    let missing = ix.remove(&ids)?;
    for id in &missing {
        eprintln!(
            "wiretrace: note: no live article `{}` in the index",
            clean(id)
        );
    }
    emit(
        false,
        &format!(
            "removed {} articles; {} left\n",
            ids.len() - missing.len(),
            ix.live()
        ),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn compact(a: &CompactArgs) -> Result<ExitCode, Error> {
    let mut ix = Index::open_writer(&a.index, &Config::default(), &|_| false)?;
    let c = ix.compact()?;
    emit(
        false,
        &format!(
            "compacted {} segments into 1, {} removed articles dropped: {:.1} MB -> {:.1} MB\n",
            c.segments_before,
            c.dropped,
            c.bytes_before as f64 / 1e6,
            c.bytes_after as f64 / 1e6
        ),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `check --index`: the batch (originals, then the corpus files) matched
/// against the index. Returns the check, for the caller's report and
/// exit code.
pub fn check(
    a: &super::CheckArgs,
    index: &std::path::Path,
    m: Option<&ArgMatches>,
) -> Result<wiretrace::check::Check, Error> {
    if a.scan.output.is_some() || a.scan.assignments.is_some() {
        return Err(Error::Config(
            "check --index writes a report (--report), not -o or --assignments".into(),
        ));
    }
    let run = a.scan.config()?;
    let ix = Index::open(index, &run)?;
    wiretrace::index::refuse_conflicts(
        index,
        &ix.manifest().settings,
        &wiretrace::index::Settings::from_config(&run)?,
        &given_in(m),
    )?;
    let paths = wiretrace::check::inputs(&a.originals, &a.scan.inputs);
    let batch = Batch::read(&paths, ix.config())?;
    let q = ix.query(batch)?;
    let n_orig = a.originals.len();
    let m_old = q.archived.iter().filter(|&&x| x).count();
    let originals: Vec<bool> = (0..q.docs.len())
        .map(|i| {
            if n_orig == 0 {
                q.archived[i]
            } else {
                !q.archived[i] && q.batch_args.get(i - m_old).is_some_and(|&arg| arg < n_orig)
            }
        })
        .collect();
    let corpus = Corpus::new(&q.docs, &q.files, &q.texts);
    let report = Report::from_clusters(
        &corpus,
        &q.clusters,
        report::Settings::from_config(ix.config()),
        Some(&originals),
    )?;
    debug_assert_eq!(report.mode, Mode::Check);
    print_skipped(&q.skipped, q.skipped_count);
    Ok(wiretrace::check::Check {
        report,
        originals,
        skipped: q.skipped_count,
    })
}
