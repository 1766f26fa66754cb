//! Scan results -> files: assignments (JSONL), clusters (JSON / JSONL), and
//! lineage reports for editors (JSON, Markdown, HTML, CSV), all rendered
//! from one [`Report`] model.
//!
//! Every file is written atomically: to a temporary file beside the
//! target, renamed over it only when complete, so an error or Ctrl-C never
//! leaves a half-written report.

mod clusters;
pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
mod model;

pub use clusters::{
    cluster_records, location_of, overview, write_assignments, write_clusters, ClusterRecord,
    ClustersFormat, Overview,
};
pub use model::{
    format_lag, CopyReport, MemberReport, Mode, Report, Settings, StoryReport, Summary, SCHEMA,
};

/// Format of a lineage report (`--report-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// [`json`].
    Json,
    /// [`markdown`].
    Markdown,
    /// [`html`].
    Html,
    /// [`csv`].
    Csv,
}

impl ReportFormat {
    /// The format a file name's extension implies (`.json`, `.md`/`.markdown`,
    /// `.html`/`.htm`, `.csv`); `None` for anything else.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(ReportFormat::Json),
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "html" | "htm" => Some(ReportFormat::Html),
            "csv" => Some(ReportFormat::Csv),
            _ => None,
        }
    }
}

/// Writes `report` to `w` in `format`.
pub fn render_report(
    report: &Report,
    format: ReportFormat,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        ReportFormat::Json => json::write(report, w),
        ReportFormat::Markdown => markdown::write(report, w),
        ReportFormat::Html => html::write(report, w),
        ReportFormat::Csv => csv::write(report, w),
    }
}

/// Writes `report` to `path` atomically in `format`; fails with the path.
pub fn write_report(report: &Report, path: &Path, format: ReportFormat) -> Result<(), Error> {
    write_atomic(path, |w| render_report(report, format, w))
}

use crate::error::Error;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Temporary files being written now, for [`remove_pending`].
static PENDING: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<std::path::PathBuf>> {
    // A panic while holding the lock leaves a list that is still valid.
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the temporary files of writes still in progress, and returns how
/// many it removed. For a signal handler (Ctrl-C) that is about to end the
/// process: the targets keep their old contents (or stay absent).
pub fn remove_pending() -> usize {
    let mut p = pending();
    let n = p.len();
    for tmp in p.drain(..) {
        let _ = std::fs::remove_file(tmp);
    }
    n
}

/// Writes `path` atomically with `fill`: a temporary file in the same
/// directory (`.NAME.wiretrace-PID.tmp`), flushed and synced, then renamed
/// over `path`. Whatever happens, `path` holds either its old contents or
/// the complete new ones.
///
/// Fails with the path and the OS error (or `fill`'s error); the temporary
/// file is removed. While the write is in progress the temporary file is
/// listed for [`remove_pending`], so an interrupted run leaves nothing behind.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.wiretrace-{}.tmp", std::process::id()));
    pending().push(tmp.clone());
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    pending().retain(|p| p != &tmp);
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A story and two copies whose ids, outlets, titles and text carry
    /// HTML payloads.
    pub(crate) fn hostile_corpus() -> String {
        let body = "The city council voted on Tuesday to close the old bridge for repairs after engineers found cracks in two of its supports.\n\n\
                    <script>alert('pwned')</script> Residents will have to use the ferry or a detour through the industrial district for at least six months.\n\n\
                    \"><img src=x onerror=alert(1)> The mayor said the work would cost more than four million dollars and be paid from the reserve fund.";
        [
            serde_json::json!({"id": "orig<script>", "source": "Evil <b>Gazette</b>", "title": "<script>alert('t')</script>", "url": "javascript:alert(1)", "published": "2024-05-01T08:00:00Z", "text": body}),
            serde_json::json!({"id": "\"><img src=x onerror=alert(1)>", "source": "\"><img src=x onerror=alert(1)>", "url": "https://copy.example/\"><script>", "published": "2024-05-01T09:00:00Z", "text": format!("{body}\n\nRead original article here")}),
            serde_json::json!({"id": "=HYPERLINK(\"x\")", "source": "Sheet, \"Inc\"", "published": "2024-05-02T09:00:00Z", "text": body}),
        ]
        .iter()
        .map(|v| v.to_string() + "\n")
        .collect()
    }

    fn report() -> Report {
        let scan = crate::pipeline::scan_inputs(
            &crate::Config::default(),
            crate::ingest::Inputs::from_jsonl("h.jsonl", hostile_corpus().into_bytes()),
            &crate::pipeline::NoProgress,
        )
        .unwrap();
        Report::new(&scan, crate::lineage::trace_scan(&scan), Mode::Scan, None)
    }

    fn rendered(f: ReportFormat) -> String {
        let mut v = Vec::new();
        render_report(&report(), f, &mut v).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn write_atomic_leaves_no_temp_file_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, "old").unwrap();
        let err = write_atomic(&target, |w| {
            w.write_all(b"half of it")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("out.json"), "{err}");
        assert!(err.to_string().contains("disk full"), "{err}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the target remains");
        // Only this test's entries: tests beside it write atomically too,
        // and the list is shared (a whole-list check failed in CI when
        // another test's write was in flight).
        assert!(!pending().iter().any(|p| p.starts_with(dir.path())));
    }

    #[test]
    fn write_atomic_replaces_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, "old contents, longer").unwrap();
        write_atomic(&target, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_write_in_progress_is_listed_for_the_interrupt_handler() {
        // (remove_pending itself is not called here: it would remove the
        // temporary files of tests running beside this one.)
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r.html");
        write_atomic(&target, |w| {
            w.write_all(b"<html>")?;
            w.flush()?;
            let mine: Vec<_> = pending()
                .iter()
                .filter(|p| p.starts_with(dir.path()))
                .cloned()
                .collect();
            assert_eq!(mine.len(), 1);
            assert!(mine[0].exists(), "the temporary file is the one listed");
            Ok(())
        })
        .unwrap();
        assert!(!pending().iter().any(|p| p.starts_with(dir.path())));
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(
            ReportFormat::from_path(Path::new("r.HTML")),
            Some(ReportFormat::Html)
        );
        assert_eq!(
            ReportFormat::from_path(Path::new("r.md")),
            Some(ReportFormat::Markdown)
        );
        assert_eq!(
            ReportFormat::from_path(Path::new("r.csv")),
            Some(ReportFormat::Csv)
        );
        assert_eq!(
            ReportFormat::from_path(Path::new("r.json")),
            Some(ReportFormat::Json)
        );
        assert_eq!(ReportFormat::from_path(Path::new("r.txt")), None);
    }

    #[test]
    fn json_has_schema_and_figures() {
        let v: serde_json::Value = serde_json::from_str(&rendered(ReportFormat::Json)).unwrap();
        assert_eq!(v["schema"], SCHEMA);
        let story = &v["stories"][0];
        assert_eq!(
            story["members"][story["origin"].as_u64().unwrap() as usize]["id"],
            "orig<script>"
        );
        let copy = &story["copies"][0];
        for k in [
            "jaccard",
            "copy_in_parent",
            "parent_in_copy",
            "aligned_copy",
            "aligned_parent",
        ] {
            assert!(copy["figures"][k].is_number(), "{k}");
        }
        assert_eq!(copy["type"], "verbatim");
        assert_eq!(v["summary"]["copies"], 2);
    }

    #[test]
    fn markdown_escapes_payloads() {
        let md = rendered(ReportFormat::Markdown);
        assert!(!md.contains("<script>") && !md.contains("<img"), "{md}");
        assert!(md.contains("attributed: **no**"));
        assert!(md.contains("attributed: yes"));
    }

    #[test]
    fn csv_one_row_per_copy() {
        let csv = rendered(ReportFormat::Csv);
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3, "{csv}");
        assert!(lines[0].starts_with("cluster,origin_id,"));
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""));
        assert!(csv.contains("\"Sheet, \"\"Inc\"\"\""));
    }
}
