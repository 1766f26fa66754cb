//! Scan results -> files: assignments (JSONL), clusters (JSON / JSONL), and
//! lineage reports for editors (JSON, Markdown, HTML, CSV), all rendered
//! from one [`Report`] model.
//!
//! Every file is written through an [`Output`] ([`write`](mod@write)): atomically, to
//! a temporary file beside the target renamed over it only when complete,
//! so an error or Ctrl-C never leaves a half-written report.

mod clusters;
pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
mod model;
pub mod write;

pub use clusters::{
    cluster_records, location_of, overview, write_assignments, write_clusters, ClusterRecord,
    ClustersFormat, Overview,
};
pub use model::{
    format_lag, CopyReport, MemberReport, Mode, Report, Settings, StoryReport, Summary, SCHEMA,
};
pub use write::{open_outputs, remove_pending, write_atomic, Output};

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

/// Writes `report` to `out` in `format` (atomically where `out` is a
/// file); fails with the path.
pub fn write_report(report: &Report, out: Output, format: ReportFormat) -> Result<(), Error> {
    out.write(|w| render_report(report, format, w))
}

use crate::error::Error;
use std::io::Write;
use std::path::Path;

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
