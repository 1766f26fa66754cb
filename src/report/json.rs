//! `Report` -> JSON: the whole model, pretty-printed, `"schema"` first.
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
