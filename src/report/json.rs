//! `Report` -> JSON: the whole model, pretty-printed, `"schema"` first; or
//! JSON Lines, one story per line, for pipelines.
//!
//! Field names are stable within a schema version; see
//! `docs/report-schema.md`. Offsets in `shared` and `attribution.credit`
//! are byte offsets into each article's original text (UTF-8).

use super::model::Report;
use std::io::Write;

/// Writes `report` as one JSON document.
pub fn write(report: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    w.write_all(b"\n")
}

/// Writes `report` as JSON Lines: one story per line (the objects of the
/// JSON report's `stories`, with `"schema"` added to each), largest first.
/// The summary and the outlet view are in the JSON report.
pub fn write_lines(report: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        schema: &'static str,
        #[serde(flatten)]
        story: &'a super::model::StoryReport,
    }
    for story in &report.stories {
        serde_json::to_writer(
            &mut *w,
            &Line {
                schema: report.schema,
                story,
            },
        )?;
        w.write_all(b"\n")?;
    }
    Ok(())
}
