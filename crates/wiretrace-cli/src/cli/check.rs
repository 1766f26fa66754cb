//! The terminal answer of `wiretrace check`: each original and its copies.

use super::term::Clean;
use std::io::Write;
use wiretrace::report::{format_lag, Report};

/// Writes, per original with copies, one line per copy, then the counts.
pub fn print_check(report: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    let s = &report.summary;
    writeln!(w, "wiretrace check:")?;
    for story in &report.stories {
        let o = &story.members[story.origin];
        writeln!(
            w,
            "  {} ({}): {} copies",
            Clean(&o.id),
            o.published.as_deref().unwrap_or("undated"),
            story.copies.len()
        )?;
        for c in &story.copies {
            let m = &story.members[c.member];
            writeln!(
                w,
                "    {:<24} {:<20} {:>9}  {:<9} coverage {:>4.0}%  {}",
                Clean(&m.outlet()).to_string(),
                Clean(&m.id).to_string(),
                format_lag(c.lag_seconds),
                c.copy_type.as_str(),
                c.figures.parent_in_copy * 100.0,
                if c.attribution.attributed {
                    super::good("attributed")
                } else {
                    super::bad("UNATTRIBUTED")
                }
            )?;
        }
    }
    let none = s.not_republished.as_ref().map_or(0, Vec::len);
    writeln!(
        w,
        "  {} originals, {} republished, {} copies ({} unattributed)",
        s.originals.unwrap_or(0),
        s.originals.unwrap_or(0).saturating_sub(none),
        s.copies,
        s.unattributed
    )
}
