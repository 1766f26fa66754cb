//! `Report` -> CSV: one row per copy, RFC 4180 (CRLF, quoted when needed).
//!
//! A text field that a spreadsheet would run as a formula (starting with
//! `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`: article ids and
//! outlets are untrusted input.

use super::model::{MemberReport, Report};
use std::io::Write;

/// The header row.
pub const HEADER: &[&str] = &[
    "cluster",
    "origin_id",
    "origin_outlet",
    "origin_published",
    "copy_id",
    "copy_outlet",
    "copy_published",
    "copy_url",
    "parent_id",
    "parent_outlet",
    "depth",
    "lag_seconds",
    "type",
    "jaccard",
    "copy_in_parent",
    "parent_in_copy",
    "aligned_copy",
    "aligned_parent",
    "attributed",
    "names_origin",
    "credit_kind",
    "credit_snippet",
    "copy_title",
    "origin_date_from",
    "copy_date_from",
];

/// One field, quoted when it holds a comma, quote, CR or LF.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn row(w: &mut dyn Write, cells: &[String]) -> std::io::Result<()> {
    w.write_all(cells.join(",").as_bytes())?;
    w.write_all(b"\r\n")
}

/// Where a member's date came from (`field`, `page`, `crawl`), empty when
/// undated: last in the row, so the columns before keep their places.
fn date_from(m: &MemberReport) -> String {
    m.date_from
        .and_then(|d| serde_json::to_value(d).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Writes `report` as CSV.
pub fn write(report: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    row(w, &HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>())?;
    let opt = |s: &Option<String>| field(s.as_deref().unwrap_or(""));
    for s in &report.stories {
        let o = &s.members[s.origin];
        for c in &s.copies {
            let m = &s.members[c.member];
            let p = &s.members[c.parent];
            let f = &c.figures;
            let credit = c.attribution.credit.as_ref();
            row(
                w,
                &[
                    s.cluster.to_string(),
                    field(&o.id),
                    field(&o.outlet()),
                    opt(&o.published),
                    field(&m.id),
                    field(&m.outlet()),
                    opt(&m.published),
                    opt(&m.url),
                    field(&p.id),
                    field(&p.outlet()),
                    c.depth.to_string(),
                    c.lag_seconds.map(|l| l.to_string()).unwrap_or_default(),
                    c.copy_type.as_str().into(),
                    f.jaccard.to_string(),
                    f.copy_in_parent.to_string(),
                    f.parent_in_copy.to_string(),
                    f.aligned_copy.to_string(),
                    f.aligned_parent.to_string(),
                    c.attribution.attributed.to_string(),
                    c.attribution.names_origin.to_string(),
                    credit
                        .and_then(|c| serde_json::to_value(c.kind).ok())
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    field(credit.map_or("", |c| c.snippet.as_str())),
                    opt(&m.title),
                    date_from(o),
                    date_from(m),
                ],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4180_quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@cmd"), "'@cmd");
    }
}
