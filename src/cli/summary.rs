//! The terminal summary of a scan.

use std::io::Write;
use wiretrace::Scan;

/// How many skipped records are listed on stderr before "... and N more".
const SHOW_SKIPPED: usize = 20;

/// Lists skipped records on stderr: where and why.
pub fn print_skipped(skipped: &[wiretrace::Skipped]) {
    let mut e = std::io::stderr().lock();
    for s in skipped.iter().take(SHOW_SKIPPED) {
        let _ = writeln!(e, "wiretrace: skipped {s}");
    }
    if skipped.len() > SHOW_SKIPPED {
        let _ = writeln!(
            e,
            "wiretrace: ... and {} more skipped (all are listed in the -o JSON)",
            skipped.len() - SHOW_SKIPPED
        );
    }
}

/// Lists notices (records read despite a problem: duplicate ids, dates
/// that could not be parsed) on stderr.
pub fn print_notices(notices: &[wiretrace::ingest::Notice]) {
    let mut e = std::io::stderr().lock();
    for n in notices.iter().take(SHOW_SKIPPED) {
        let _ = writeln!(e, "wiretrace: note: {}: {}", n.at, n.message);
    }
    if notices.len() > SHOW_SKIPPED {
        let _ = writeln!(
            e,
            "wiretrace: ... and {} more notes (all are listed in the -o JSON)",
            notices.len() - SHOW_SKIPPED
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
            wiretrace::error::path_text(&f.path)
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
            .map(|i| wiretrace::error::path_text(&i.path).into_owned())
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
                cluster, size, first.id, title
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
