//! The terminal summary of a scan.

use super::term::{clean, Clean};
use std::io::Write;
use wiretrace::pipeline::FileCount;
use wiretrace::Scan;

/// How many skipped records (and notes) are listed on stderr before the
/// rest are counted per file.
const SHOW_SKIPPED: usize = 20;

/// At most this many "and K more in FILE" lines; further files are summed.
const SHOW_MORE: usize = 10;

/// Lists skipped records on stderr: where and why; the first
/// [`SHOW_SKIPPED`], then how many more each file has.
pub fn print_skipped(scan: &Scan) {
    let listed = |f: &FileCount| f.skipped - f.skipped_unlisted;
    print_capped(
        "skipped",
        scan.skipped.iter().map(|s| (&s.at, s.to_string())),
        &scan.stats.per_file,
        |f| f.skipped,
        listed,
    );
}

/// Lists notices (records read despite a problem: duplicate ids, dates
/// that could not be parsed) on stderr, as [`print_skipped`] does.
pub fn print_notices(scan: &Scan) {
    let listed = |f: &FileCount| f.notices - f.notices_unlisted;
    print_capped(
        "note:",
        scan.notices
            .iter()
            .map(|n| (&n.at, format!("{}: {}", n.at, n.message))),
        &scan.stats.per_file,
        |f| f.notices,
        listed,
    );
}

/// The shared form of the two lists: `items` (location, line) in input
/// order, each escaped for the terminal; after [`SHOW_SKIPPED`] of them,
/// per file, how many were not shown. `total` and `listed` count a file's
/// items in all and in `items` (the scan keeps each file's first
/// `--max-errors`).
fn print_capped<'a>(
    what: &str,
    items: impl Iterator<Item = (&'a wiretrace::Location, String)>,
    files: &[FileCount],
    total: impl Fn(&FileCount) -> u64,
    listed: impl Fn(&FileCount) -> u64,
) {
    let mut e = std::io::stderr().lock();
    // Items shown per file path, to count the rest.
    let mut shown: Vec<(&std::path::Path, u64)> = Vec::new();
    for (at, line) in items.take(SHOW_SKIPPED) {
        let _ = writeln!(e, "wiretrace: {what} {}", clean(line));
        match shown.iter_mut().find(|(p, _)| *p == at.path.as_path()) {
            Some((_, n)) => *n += 1,
            None => shown.push((&at.path, 1)),
        }
    }
    let more: Vec<(&FileCount, u64)> = files
        .iter()
        .filter_map(|f| {
            let seen = shown
                .iter()
                .find(|(p, _)| *p == f.path.as_path())
                .map_or(0, |(_, n)| *n);
            let rest = total(f).saturating_sub(seen);
            (rest > 0).then_some((f, rest))
        })
        .collect();
    let unlisted = files.iter().any(|f| listed(f) < total(f));
    let noun = if what == "skipped" {
        "skipped"
    } else {
        "notes"
    };
    for (f, rest) in more.iter().take(SHOW_MORE) {
        let _ = writeln!(
            e,
            "wiretrace: ... and {rest} more {noun} in {}",
            Clean(&f.path.display().to_string())
        );
    }
    if more.len() > SHOW_MORE {
        let (files, rest) = more[SHOW_MORE..]
            .iter()
            .fold((0, 0), |(n, k), (_, r)| (n + 1, k + r));
        let _ = writeln!(
            e,
            "wiretrace: ... and {rest} more {noun} in {files} other files"
        );
    }
    if !more.is_empty() {
        let _ = writeln!(
            e,
            "wiretrace: {}",
            if unlisted {
                "the -o JSON lists the first --max-errors of each file (counts are exact)"
            } else {
                "all are listed in the -o JSON"
            }
        );
    }
}

/// Per-file lines are printed for at most this many files; beyond it, only
/// files with skipped records are listed.
const SHOW_FILES: usize = 10;

/// Writes the summary to `w`: counts, largest clusters, time per stage.
pub fn print_summary(scan: &Scan, w: &mut dyn Write) -> std::io::Result<()> {
    let s = &scan.stats;
    let overview = wiretrace::report::overview(scan, 5);
    let mb = s.bytes as f64 / 1e6;
    writeln!(w, "wiretrace scan: {} files, {:.1} MB", s.files, mb)?;
    writeln!(
        w,
        "  records            {:>10}   = {} articles + {} skipped",
        s.records, s.articles, s.skipped
    )?;
    let many = s.per_file.len() > SHOW_FILES;
    let mut hidden = 0usize;
    for f in &s.per_file {
        if many && f.skipped == 0 {
            hidden += 1;
            continue;
        }
        writeln!(
            w,
            "    {:>10} = {} + {}   {}",
            f.records,
            f.articles,
            f.skipped,
            Clean(&wiretrace::error::path_text(&f.path))
        )?;
    }
    if hidden > 0 {
        writeln!(
            w,
            "    ... and {hidden} more files with nothing skipped (all are listed in the -o JSON)"
        )?;
    }
    if !s.ignored.is_empty() {
        use wiretrace::ingest::IgnoreReason as R;
        let names: Vec<String> = s
            .ignored
            .iter()
            .take(5)
            .map(|i| clean(wiretrace::error::path_text(&i.path)))
            .collect();
        let kinds: Vec<String> = [
            (R::OtherKind, "of other kinds"),
            (R::Hidden, "hidden"),
            (R::NotRegular, "not regular files"),
            (R::Output, "this run's outputs"),
        ]
        .iter()
        .filter_map(|(r, what)| {
            let n = s.ignored.iter().filter(|i| i.reason == *r).count();
            (n > 0).then(|| format!("{n} {what}"))
        })
        .collect();
        writeln!(
            w,
            "  ignored            {:>10}   {}: {}{}",
            s.ignored.len(),
            kinds.join(", "),
            names.join(", "),
            if s.ignored.len() > 5 { ", ..." } else { "" }
        )?;
    }
    writeln!(
        w,
        "  articles read      {:>10}   (too short to compare {}, duplicate ids {})",
        s.articles, s.too_short, s.duplicate_ids
    )?;
    writeln!(
        w,
        "  clusters of 2+     {:>10}   holding {} articles",
        overview.clusters, overview.clustered
    )?;
    writeln!(
        w,
        "  singletons         {:>10}",
        scan.clusters.count - overview.clusters
    )?;
    writeln!(
        w,
        "  pairs checked      {:>10}   verified edges {}   (LSH {} bands x {} rows{})",
        s.pair_checks,
        s.edges,
        s.lsh.bands,
        s.lsh.rows,
        if s.candidates.capped_buckets > 0 {
            format!(
                ", {} oversized buckets windowed",
                s.candidates.capped_buckets
            )
        } else {
            String::new()
        }
    )?;
    if !overview.largest.is_empty() {
        writeln!(w, "  largest clusters:")?;
        for &(cluster, size, first) in &overview.largest {
            let first = &scan.docs[first as usize];
            let title = first.title.as_deref().unwrap_or("");
            let title: String = title.chars().take(60).collect();
            writeln!(
                w,
                "    #{:<6} {:>5} articles   {}  {}",
                cluster,
                size,
                Clean(&first.id),
                Clean(&title)
            )?;
        }
    }
    writeln!(w, "  time:")?;
    for t in &s.timings {
        match t.cpu_seconds {
            Some(cpu) => writeln!(w, "    {:<18} {:>8.3} s cpu", t.stage, cpu)?,
            None => writeln!(w, "    {:<18} {:>8.3} s", t.stage, t.seconds)?,
        }
    }
    let rate = if s.seconds > 0.0 { mb / s.seconds } else { 0.0 };
    writeln!(
        w,
        "    {:<18} {:>8.3} s   ({:.0} articles/s, {:.1} MB/s, {} threads, minhash {:?})",
        "total",
        s.seconds,
        s.articles as f64 / s.seconds.max(1e-9),
        rate,
        s.threads,
        s.backend
    )?;
    Ok(())
}
