//! `Report` -> one self-contained HTML file: overview table, timelines,
//! side-by-side views with shared passages highlighted.
//!
//! Article text is untrusted input. Every value taken from an article
//! (text, id, outlet, title, URL, credit snippet, evidence note) goes
//! through [`escape`], the one escaping function, whether it lands in an
//! element or an attribute. The script reads the page through the DOM
//! (`textContent`, `getAttribute`) and never builds HTML, and no article
//! data is embedded in it. A Content-Security-Policy forbids every network
//! request and external asset; links to articles are only emitted for
//! `http(s)` URLs and open only when clicked.

use super::model::{format_lag, MemberReport, Mode, Report, StoryReport};
use crate::lineage::merge_ranges;
use std::fmt::Write as _;
use std::io::Write;

/// Side-by-side views per story at most (the table lists every copy).
pub const MAX_SIDE_BY_SIDE: usize = 50;

/// Escapes `&`, `<`, `>`, `"` and `'` for use in element text and in
/// quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root{--fg:#1d232b;--mut:#5d6875;--bg:#fff;--line:#dfe3e8;--hl:#ffe58a;--bad:#b3261e;--ok:#1e7b34;--acc:#2456a6}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px 32px;max-width:1400px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 6px;padding-top:12px;border-top:2px solid var(--line)}h3{font-size:15px;margin:16px 0 6px}
.mut{color:var(--mut)}.sum{font-size:16px}.bad{color:var(--bad);font-weight:600}.ok{color:var(--ok)}
.filters{display:flex;gap:18px;align-items:center;margin:14px 0 8px;flex-wrap:wrap}.filters input[type=search]{padding:5px 8px;border:1px solid var(--line);border-radius:4px;min-width:240px}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{cursor:pointer;user-select:none;background:#f5f7f9;position:sticky;top:0}th[data-dir=asc]::after{content:" \25B2"}th[data-dir=desc]::after{content:" \25BC"}
tr[data-attr="0"] td.attr{color:var(--bad);font-weight:600}
.tag{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;background:#eef1f4}
.t-verbatim{background:#fde2e1}.t-excerpt{background:#fff1cc}.t-expanded{background:#dff3e4}.t-reworded{background:#e4e8fb}
.tl{list-style:none;padding:0;margin:8px 0}.tl li{display:grid;grid-template-columns:minmax(160px,300px) 1fr;gap:10px;align-items:center;margin:2px 0;font-size:13px}
.tl .track{position:relative;height:12px;background:#f1f3f5;border-radius:6px}.tl .dot{position:absolute;top:1px;width:10px;height:10px;border-radius:50%;background:var(--acc);margin-left:-5px}
.tl li.origin .dot{background:var(--ok)}.tl li.unattr .dot{background:var(--bad)}
details{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:6px 10px}summary{cursor:pointer}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:14px;margin-top:8px}.sbs h4{margin:4px 0;font-size:13px}
.txt{white-space:pre-wrap;font:13px/1.5 Georgia,serif;border:1px solid var(--line);border-radius:4px;padding:10px;max-height:480px;overflow:auto;background:#fcfcfd}
mark{background:var(--hl);padding:0}.ev{font-size:13px}
"#;

const SCRIPT: &str = r#"
(function(){
var t=document.getElementById('copies');if(!t)return;var tb=t.tBodies[0];var rows=[].slice.call(tb.rows);
var fo=document.getElementById('f-outlet'),fu=document.getElementById('f-unattr'),fc=document.getElementById('f-count');
function apply(){var q=fo.value.trim().toLowerCase(),n=0;rows.forEach(function(r){var ok=(!q||r.getAttribute('data-outlet').indexOf(q)>=0)&&(!fu.checked||r.getAttribute('data-attr')==='0');r.hidden=!ok;if(ok)n++;});fc.textContent=n+' of '+rows.length+' copies shown';}
function key(r,i,num){var c=r.cells[i];var v=c.hasAttribute('data-v')?c.getAttribute('data-v'):c.textContent;if(num){var f=parseFloat(v);return isNaN(f)?Infinity:f;}return v.toLowerCase();}
var heads=t.tHead.rows[0].cells;
[].forEach.call(heads,function(th,i){th.addEventListener('click',function(){var num=th.getAttribute('data-t')==='n';var dir=th.getAttribute('data-dir')==='asc'?-1:1;[].forEach.call(heads,function(h){h.removeAttribute('data-dir');});th.setAttribute('data-dir',dir===1?'asc':'desc');rows.sort(function(a,b){var x=key(a,i,num),y=key(b,i,num);return (x<y?-1:x>y?1:0)*dir;});rows.forEach(function(r){tb.appendChild(r);});});});
fo.addEventListener('input',apply);fu.addEventListener('change',apply);apply();
})();
"#;

fn outlet_cell(m: &MemberReport) -> String {
    escape(&m.outlet())
}

/// A link for `http(s)` URLs, plain escaped text otherwise.
fn url_html(url: &str) -> String {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        format!(
            "<a href=\"{0}\" rel=\"noreferrer noopener\" target=\"_blank\">{0}</a>",
            escape(u)
        )
    } else {
        escape(u)
    }
}

/// `text` escaped, with the byte `ranges` wrapped in `<mark>`.
fn highlighted(text: &str, ranges: Vec<(usize, usize)>) -> String {
    let mut out = String::with_capacity(text.len() * 11 / 10);
    let mut pos = 0;
    for (s, e) in merge_ranges(ranges) {
        let (s, e) = (s.max(pos).min(text.len()), e.min(text.len()));
        if s >= e || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&escape(&text[pos..s]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[s..e]));
        out.push_str("</mark>");
        pos = e;
    }
    out.push_str(&escape(&text[pos..]));
    out
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn overview(report: &Report, h: &mut String) {
    h.push_str("<section id=\"overview\"><h2>All copies</h2>\n<div class=\"filters\"><label>Outlet <input id=\"f-outlet\" type=\"search\" placeholder=\"filter by outlet\"></label><label><input id=\"f-unattr\" type=\"checkbox\"> unattributed only</label><span id=\"f-count\" class=\"mut\"></span></div>\n");
    h.push_str("<table id=\"copies\"><thead><tr><th data-t=\"n\">Story</th><th>Original</th><th>Copy outlet</th><th>Copy id</th><th>Published</th><th data-t=\"n\">Lag</th><th>Type</th><th data-t=\"n\">Coverage</th><th data-t=\"n\">Jaccard</th><th>Attributed</th><th>Copied from</th></tr></thead><tbody>\n");
    for (n, s) in report.stories.iter().enumerate() {
        let o = &s.members[s.origin];
        for c in &s.copies {
            let m = &s.members[c.member];
            let p = &s.members[c.parent];
            let attr = c.attribution.attributed;
            let _ = writeln!(
                h,
                "<tr data-outlet=\"{}\" data-attr=\"{}\"><td data-v=\"{}\"><a href=\"#story-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td data-v=\"{}\">{}</td><td><span class=\"tag t-{ty}\">{ty}</span></td><td data-v=\"{:.4}\">{}</td><td data-v=\"{:.4}\">{:.2}</td><td class=\"attr\">{}</td><td>{}</td></tr>",
                escape(&format!("{} | {}", m.outlet(), p.outlet()).to_lowercase()),
                attr as u8,
                n + 1,
                n + 1,
                n + 1,
                outlet_cell(o),
                outlet_cell(m),
                escape(&m.id),
                escape(m.published.as_deref().unwrap_or("undated")),
                c.lag_seconds.map_or(String::new(), |l| l.to_string()),
                format_lag(c.lag_seconds),
                c.figures.parent_in_copy,
                pct(c.figures.parent_in_copy),
                c.figures.jaccard,
                c.figures.jaccard,
                if attr { "yes" } else { "no" },
                outlet_cell(p),
                ty = c.copy_type.as_str(),
            );
        }
    }
    h.push_str("</tbody></table></section>\n");
}

fn timeline(s: &StoryReport, h: &mut String) {
    // Positions from the original's date to the latest dated copy.
    let lag_of = |i: usize| -> Option<i64> {
        if i == s.origin {
            Some(0)
        } else {
            let c = s.copies.iter().find(|c| c.member == i)?;
            // Lag from the original: sum along the chain.
            let mut total = c.lag_seconds?;
            let mut p = c.parent;
            while p != s.origin {
                let pc = s.copies.iter().find(|c| c.member == p)?;
                // Saturating: dates are read only in years 0000-9999 (see
                // ingest::date::in_range), but a lag must never wrap.
                total = total.saturating_add(pc.lag_seconds?);
                p = pc.parent;
            }
            Some(total)
        }
    };
    let shown: Vec<usize> = std::iter::once(s.origin)
        .chain(s.copies.iter().map(|c| c.member))
        .take(MAX_SIDE_BY_SIDE * 2)
        .collect();
    let max = shown
        .iter()
        .filter_map(|&i| lag_of(i))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    h.push_str("<h3>Timeline</h3><ol class=\"tl\">\n");
    for &i in &shown {
        let m = &s.members[i];
        let copy = s.copies.iter().find(|c| c.member == i);
        let class = match copy {
            None => "origin",
            Some(c) if !c.attribution.attributed => "unattr",
            Some(_) => "",
        };
        let label = match copy {
            None => "original".to_string(),
            Some(c) => format!("{} after {}", c.copy_type.as_str(), format_lag(lag_of(i))),
        };
        let dot = match lag_of(i) {
            Some(l) => format!(
                "<span class=\"dot\" style=\"left:{:.1}%\"></span>",
                (l.max(0) as f64 / max * 100.0).min(100.0)
            ),
            None => String::new(),
        };
        let _ = writeln!(
            h,
            "<li class=\"{class}\"><span><b>{}</b> <span class=\"mut\">{}</span></span><span class=\"track\" title=\"{}\">{dot}</span></li>",
            outlet_cell(m),
            escape(&label),
            escape(m.published.as_deref().unwrap_or("undated")),
        );
    }
    h.push_str("</ol>\n");
}

fn story(s: &StoryReport, n: usize, h: &mut String) {
    let o = &s.members[s.origin];
    let _ = write!(
        h,
        "<section class=\"story\" id=\"story-{n}\"><h2>{n}. {}</h2>\n<p>Original: <b>{}</b> · {} · {}{}</p>\n<p class=\"ev mut\">Decided by <b>{}</b>: {}</p>\n",
        escape(o.title.as_deref().unwrap_or(&o.id)),
        outlet_cell(o),
        escape(&o.id),
        escape(o.published.as_deref().unwrap_or("undated")),
        o.url.as_deref().map(|u| format!(" · {}", url_html(u))).unwrap_or_default(),
        escape(&serde_json::to_value(s.evidence).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()),
        escape(&s.evidence_note),
    );
    if s.capped {
        let _ = writeln!(
            h,
            "<p class=\"mut\">{} members: each copy was compared with at most {} earlier ones.</p>",
            s.size, s.max_candidates
        );
    }
    timeline(s, h);
    h.push_str("<h3>Copies side by side with their source</h3>\n");
    for c in s.copies.iter().take(MAX_SIDE_BY_SIDE) {
        let m = &s.members[c.member];
        let p = &s.members[c.parent];
        let credit = match &c.attribution.credit {
            Some(cr) if c.attribution.attributed => {
                format!(
                    "<span class=\"ok\">credited</span>: “{}”",
                    escape(&cr.snippet)
                )
            }
            _ => "<span class=\"bad\">no credit found</span>".into(),
        };
        let f = &c.figures;
        let _ = write!(
            h,
            "<details><summary><b>{}</b> ({}) copied from <b>{}</b> ({}) · <span class=\"tag t-{ty}\">{ty}</span> · {} · coverage {} · {credit}</summary>\n<p class=\"mut\">Jaccard {:.2} · {} of the copy found in the source · {} of the source found in the copy · {} / {} of words in shared passages · {} passages</p>\n<div class=\"sbs\"><div><h4>Source: {}</h4><div class=\"txt\">{}</div></div><div><h4>Copy: {}</h4><div class=\"txt\">{}</div></div></div></details>\n",
            outlet_cell(m),
            escape(&m.id),
            outlet_cell(p),
            escape(&p.id),
            format_lag(c.lag_seconds),
            pct(f.parent_in_copy),
            f.jaccard,
            pct(f.copy_in_parent),
            pct(f.parent_in_copy),
            pct(f.aligned_copy),
            pct(f.aligned_parent),
            c.shared.len(),
            outlet_cell(p),
            highlighted(
                s.texts.get(c.parent).map_or("", String::as_str),
                c.shared.iter().map(|x| (x.parent_start, x.parent_end)).collect()
            ),
            outlet_cell(m),
            highlighted(
                s.texts.get(c.member).map_or("", String::as_str),
                c.shared.iter().map(|x| (x.copy_start, x.copy_end)).collect()
            ),
            ty = c.copy_type.as_str(),
        );
    }
    if s.copies.len() > MAX_SIDE_BY_SIDE {
        let _ = writeln!(
            h,
            "<p class=\"mut\">{} more copies are listed in the table above.</p>",
            s.copies.len() - MAX_SIDE_BY_SIDE
        );
    }
    h.push_str("</section>\n");
}

/// Renders `report` as one HTML page.
pub fn render(report: &Report) -> String {
    let s = &report.summary;
    let mut h = String::new();
    let title = match report.mode {
        Mode::Scan => "Republication report",
        Mode::Check => "Who republished my articles?",
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>wiretrace: {title}</title>\n<style>{STYLE}</style></head><body>\n<header><h1>{title}</h1>\n"
    );
    if let (Some(o), Some(none)) = (s.originals, &s.not_republished) {
        let _ = writeln!(
            h,
            "<p class=\"sum\">{o} of your articles checked: {} republished, {} not found elsewhere.</p>",
            o - none.len(),
            none.len()
        );
    }
    let _ = write!(
        h,
        "<p class=\"sum\">{} stories, {} copies: {} verbatim, {} excerpt, {} expanded, {} reworded. <span class=\"bad\">{} unattributed</span>, {} attributed.</p>\n<p class=\"mut\">wiretrace {} · schema {} · seed {}</p></header>\n",
        s.stories,
        s.copies,
        s.verbatim,
        s.excerpt,
        s.expanded,
        s.reworded,
        s.unattributed,
        s.attributed,
        report.wiretrace,
        report.schema,
        report.settings.seed,
    );
    overview(report, &mut h);
    for (n, st) in report.stories.iter().enumerate() {
        story(st, n + 1, &mut h);
    }
    if let Some(none) = s.not_republished.as_ref().filter(|v| !v.is_empty()) {
        h.push_str("<section><h2>Not found elsewhere</h2><ul>");
        for id in none {
            let _ = write!(h, "<li>{}</li>", escape(id));
        }
        h.push_str("</ul></section>\n");
    }
    let _ = write!(h, "<script>{SCRIPT}</script>\n</body></html>\n");
    h
}

/// Writes `report` as one self-contained HTML page.
pub fn write(report: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    w.write_all(render(report).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_script() {
        assert_eq!(
            escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn escape_neutralises_attribute_breakout() {
        let e = escape("\"><img src=x onerror=alert(1)>");
        assert_eq!(e, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        assert!(!e.contains(['<', '>', '"', '\'']));
        assert_eq!(escape("a & b"), "a &amp; b");
    }

    #[test]
    fn highlights_are_escaped_too() {
        let t = "<b>x</b> plain <script>";
        let h = highlighted(t, vec![(0, 8), (15, 23)]);
        assert_eq!(
            h,
            "<mark>&lt;b&gt;x&lt;/b&gt;</mark> plain <mark>&lt;script&gt;</mark>"
        );
    }

    #[test]
    fn only_web_urls_are_links() {
        assert!(url_html("https://a.example/x").starts_with("<a href="));
        assert_eq!(url_html("javascript:alert(1)"), "javascript:alert(1)");
        assert!(!url_html("https://a.example/\"><script>").contains("<script>"));
    }

    #[test]
    fn hostile_corpus_renders_as_text() {
        let scan = crate::pipeline::scan_inputs(
            &crate::Config::default(),
            crate::ingest::Inputs::from_jsonl(
                "h.jsonl",
                super::super::tests::hostile_corpus().into_bytes(),
            ),
            &crate::pipeline::NoProgress,
        )
        .unwrap();
        let report = Report::new(&scan, crate::lineage::trace_scan(&scan), Mode::Scan, None);
        assert_eq!(report.stories.len(), 1);
        let html = render(&report);
        // The page's own script is the only one.
        assert_eq!(html.matches("<script").count(), 1);
        assert!(!html.contains("<img"));
        assert!(!html.contains("onerror=alert(1)>"));
        assert!(html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"));
        assert!(html.contains("alert(&#39;pwned&#39;)&lt;/script"));
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!html.contains("http-equiv=\"refresh\""));
        assert!(!html.contains("src=\"http"));
    }
}
