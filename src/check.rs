//! Originals + corpus -> who republished them: `wiretrace check` as a
//! library call.
//!
//! An editor's own articles (the originals) are scanned together with a
//! corpus, originals first, so one scan finds which stories hold an
//! original. Only those stories are traced, each from its earliest
//! original (evidence [`Given`](crate::lineage::Evidence::Given)), and the
//! report lists every original with no copy found. [`Check::verdict`] is
//! the decision the binary turns into its exit code.
//!
//! ```no_run
//! use std::path::PathBuf;
//! use wiretrace::{check, pipeline::NoProgress, Config};
//!
//! let (originals, corpus) = (vec![PathBuf::from("mine.jsonl")], vec![PathBuf::from("crawl/")]);
//! let (_scan, checked) = check::run(&Config::default(), &originals, &corpus, &NoProgress)?;
//! for id in checked.report.summary.not_republished.iter().flatten() {
//!     println!("{id}: no copy found");
//! }
//! # Ok::<(), wiretrace::Error>(())
//! ```
//!
//! With clusters from elsewhere (an index, a Spark job), the same report is
//! [`Report::from_clusters`] with `Some(originals)`.

use crate::error::Error;
use crate::lineage::{trace_scan_with, LineageConfig};
use crate::pipeline::{self, Progress, Scan};
use crate::report::{Mode, Report};
use crate::Config;
use std::path::PathBuf;

/// The outcome of a check.
#[derive(Debug, Clone)]
pub struct Check {
    /// The report ([`Mode::Check`]): stories holding an original, and in
    /// its summary the originals read and those not republished.
    pub report: Report,
    /// One flag per scanned article: whether it is an original.
    pub originals: Vec<bool>,
    /// Records of the inputs that were skipped (bad lines, unreadable
    /// files), as the scan counted them.
    pub skipped: u64,
}

/// What a check found, worst first: the binary's exit code (3, 1, 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A copy credits neither the original nor its parent, and the caller
    /// asked to fail on that (`--fail-on unattributed`).
    Unattributed,
    /// Every copy passed, but some input records were skipped.
    Skipped,
    /// Every record was read and nothing failed.
    Clean,
}

impl Check {
    /// Copies that credit neither the original nor their parent.
    pub fn unattributed(&self) -> usize {
        self.report.summary.unattributed
    }

    /// The verdict: [`Verdict::Unattributed`] when `fail_on_unattributed`
    /// and a copy is unattributed (it outranks skipped records: it is the
    /// finding the caller asked about), else [`Verdict::Skipped`] when a
    /// record was skipped, else [`Verdict::Clean`].
    pub fn verdict(&self, fail_on_unattributed: bool) -> Verdict {
        if fail_on_unattributed && self.unattributed() > 0 {
            Verdict::Unattributed
        } else if self.skipped > 0 {
            Verdict::Skipped
        } else {
            Verdict::Clean
        }
    }
}

/// The paths to scan for a check: `originals` first, then `corpus`, so the
/// first `originals.len()` input arguments are the originals (see
/// [`originals_of`]).
pub fn inputs(originals: &[PathBuf], corpus: &[PathBuf]) -> Vec<PathBuf> {
    originals.iter().chain(corpus).cloned().collect()
}

/// One flag per article of `scan`: whether it came from one of the first
/// `original_args` input arguments.
///
/// By the argument a file came from, not by its spelling: an original
/// found again under a corpus directory is read once (each file is read
/// once, known by device and inode), as an original.
pub fn originals_of(scan: &Scan, original_args: usize) -> Vec<bool> {
    scan.docs
        .iter()
        .map(|d| {
            scan.inputs
                .files
                .get(d.loc.file as usize)
                .is_some_and(|f| f.arg < original_args)
        })
        .collect()
}

/// Checks a scan of [`inputs`]: the first `original_args` input arguments
/// are the originals. Traces only the stories holding an original, with
/// lineage settings from the scan's config. Never fails: articles whose
/// text cannot be re-read are counted in each story's `unreadable`.
pub fn check(scan: &Scan, original_args: usize) -> Check {
    let originals = originals_of(scan, original_args);
    let cfg = LineageConfig::from_config(&scan.config);
    let traced = trace_scan_with(scan, &cfg, Some(&originals));
    let report = Report::new(scan, traced, Mode::Check, Some(&originals));
    Check {
        report,
        originals,
        skipped: scan.stats.skipped,
    }
}

/// Scans `originals` and `corpus` with `cfg` and [`check`]s the scan;
/// returns the scan too (for assignments and cluster files). Fails as
/// [`pipeline::scan`] does.
pub fn run(
    cfg: &Config,
    originals: &[PathBuf],
    corpus: &[PathBuf],
    progress: &dyn Progress,
) -> Result<(Scan, Check), Error> {
    let scan = pipeline::scan(cfg, &inputs(originals, corpus), progress)?;
    let checked = check(&scan, originals.len());
    Ok((scan, checked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_ranks_unattributed_over_skipped() {
        let scan = pipeline::scan_inputs(
            &Config::default(),
            crate::ingest::Inputs::from_jsonl(
                "h.jsonl",
                crate::report::tests::hostile_corpus().into_bytes(),
            ),
            &pipeline::NoProgress,
        )
        .unwrap();
        // In-memory inputs are all argument 0: with one original argument
        // every article is an original.
        let mut c = check(&scan, 1);
        assert!(c.originals.iter().all(|&o| o));
        assert_eq!(c.report.mode, Mode::Check);
        assert_eq!(c.verdict(false), Verdict::Clean);
        c.skipped = 1;
        assert_eq!(c.verdict(false), Verdict::Skipped);
        c.report.summary.unattributed = 1;
        assert_eq!(c.verdict(true), Verdict::Unattributed);
        assert_eq!(check(&scan, 0).report.stories.len(), 0);
    }

    /// The library call gives what `wiretrace check` prints and exits with
    /// (tests/report.rs checks the binary on the same files).
    #[test]
    fn run_traces_from_the_given_original() {
        let data =
            std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
                .join("testdata/lineage");
        let (orig, corpus) = (
            vec![data.join("seeds-originals.jsonl")],
            vec![data.join("seeds-corpus.jsonl")],
        );
        let (scan, c) = run(&Config::default(), &orig, &corpus, &pipeline::NoProgress).unwrap();
        assert_eq!(c.originals.iter().filter(|&&o| o).count(), 1);
        assert_eq!(c.originals.len(), scan.docs.len());
        let s = &c.report.summary;
        assert_eq!((s.originals, s.copies, s.unattributed), (Some(1), 2, 1));
        assert_eq!(
            c.report.stories[0].evidence,
            crate::lineage::Evidence::Given
        );
        assert_eq!(c.verdict(false), Verdict::Clean);
        assert_eq!(c.verdict(true), Verdict::Unattributed);
    }
}
