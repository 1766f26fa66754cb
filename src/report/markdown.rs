//! `Report` -> Markdown: per story, the original, then the tree of copies.
//!
//! Every value from the articles goes through [`escape`], so an outlet named
//! `*[x](javascript:..)*` or `<script>` shows as text on any renderer.

use super::model::{format_lag_between, MemberReport, Mode, Report, StoryReport};
use std::io::Write;

/// Escapes Markdown and HTML syntax in `s` and folds line breaks to spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn who(m: &MemberReport) -> String {
    format!(
        "**{}** · {} · {}",
        escape(&m.outlet()),
        escape(&m.id),
        escape(m.published.as_deref().unwrap_or("undated")),
    ) + if m.crawl_dated() { " (crawl date)" } else { "" }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn story(s: &StoryReport, n: usize, w: &mut dyn Write) -> std::io::Result<()> {
    let o = &s.members[s.origin];
    let title = o.title.as_deref().unwrap_or(&o.id);
    writeln!(w, "## {n}. {} (cluster {})\n", escape(title), s.cluster)?;
    writeln!(w, "Original: {}  ", who(o))?;
    if let Some(u) = &o.url {
        writeln!(w, "URL: {}  ", escape(u))?;
    }
    writeln!(
        w,
        "Decided by: {} — {}\n",
        serde_json::to_value(s.evidence)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        escape(&s.evidence_note)
    )?;
    if s.capped {
        writeln!(
            w,
            "_{} members: each copy was compared with at most {} earlier ones._\n",
            s.size, s.max_candidates
        )?;
    }
    // The tree: children of each member, in traced order.
    let mut children = vec![Vec::new(); s.members.len()];
    for (k, c) in s.copies.iter().enumerate() {
        children[c.parent].push(k);
    }
    let mut stack: Vec<(usize, usize)> = children[s.origin].iter().rev().map(|&k| (k, 0)).collect();
    while let Some((k, level)) = stack.pop() {
        let c = &s.copies[k];
        let credit = match &c.attribution.credit {
            Some(cr) if c.attribution.attributed => format!("yes (\"{}\")", escape(&cr.snippet)),
            _ => "**no**".into(),
        };
        let m = &s.members[c.member];
        writeln!(
            w,
            "{}- {} · {} · {} · coverage {} · attributed: {credit}{}",
            "  ".repeat(level),
            who(m),
            format_lag_between(c.lag_seconds, m, &s.members[c.parent]),
            c.copy_type.as_str(),
            pct(c.figures.parent_in_copy),
            acted_on(m),
        )?;
        stack.extend(children[c.member].iter().rev().map(|&k| (k, level + 1)));
    }
    if s.copies.is_empty() {
        writeln!(w, "No copies found.")?;
    }
    if !s.versions.is_empty() {
        writeln!(w, "\nThe outlets' own versions (not copies):\n")?;
        for v in &s.versions {
            writeln!(
                w,
                "- {} · {} after `{}` · {}{}",
                who(&s.members[v.member]),
                format_lag_between(v.lag_seconds, &s.members[v.member], &s.members[v.of]),
                escape(&v.of_id),
                match v.reason {
                    crate::lineage::VersionReason::SameOutlet => "same outlet",
                    crate::lineage::VersionReason::SameUrl => "same page address",
                },
                acted_on(&s.members[v.member]),
            )?;
        }
    }
    writeln!(w)
}

/// A copy's headline and URL, escaped, on lines of their own.
fn acted_on(m: &MemberReport) -> String {
    let mut out = String::new();
    if let Some(t) = &m.title {
        out.push_str(&format!("  \n  “{}”", escape(t)));
    }
    if let Some(u) = &m.url {
        out.push_str(&format!("  \n  {}", escape(u)));
    }
    out
}

/// Writes `report` as Markdown.
pub fn write(report: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    let s = &report.summary;
    let title = match report.mode {
        Mode::Scan => "Republication report",
        Mode::Check => "Who republished my articles?",
    };
    writeln!(w, "# {title}\n")?;
    if let (Some(o), Some(none)) = (s.originals, &s.not_republished) {
        writeln!(
            w,
            "{o} of your articles checked: {} republished, {} not found elsewhere.  ",
            o - none.len(),
            none.len()
        )?;
    }
    writeln!(
        w,
        "{} stories, {} copies: {} verbatim, {} excerpt, {} expanded, {} reworded, {} quoted. \
         **{} unattributed**, {} attributed. {} outlets' own versions (not copies).\n",
        s.stories,
        s.copies,
        s.verbatim,
        s.excerpt,
        s.expanded,
        s.reworded,
        s.quoted,
        s.unattributed,
        s.attributed,
        s.versions
    )?;
    writeln!(
        w,
        "Each copy: outlet · id · date · lag after its parent · type · coverage (share of the parent reproduced) · credit; then its headline and URL.\n"
    )?;
    for (n, st) in report.stories.iter().enumerate() {
        story(st, n + 1, w)?;
    }
    if let Some(none) = s.not_republished.as_ref().filter(|v| !v.is_empty()) {
        writeln!(w, "## Not found elsewhere\n")?;
        for id in none {
            writeln!(w, "- {}", escape(id))?;
        }
        writeln!(w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(escape("[a](javascript:b)"), "\\[a\\]\\(javascript:b\\)");
        assert_eq!(escape("a\nb|c"), "a b\\|c");
    }
}
