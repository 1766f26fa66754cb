//! Scan results -> files: assignments (JSONL), clusters (JSON / JSONL), and
//! lineage reports for editors (JSON, Markdown, HTML, CSV), all rendered
//! from one [`Report`] model.
//!
//! Every file is written through an [`Output`] ([`write`](mod@write)): atomically, to
//! a temporary file beside the target renamed over it only when complete,
//! so an error or Ctrl-C never leaves a half-written report.
//!
//! A lineage report is built from plain data, wherever the clusters came
//! from: a [`Corpus`](crate::ingest::Corpus) (every article's
//! [`Meta`](crate::ingest::Meta), the file names for locations, and a
//! [`TextSource`](crate::ingest::TextSource) for the texts), the
//! [`Clusters`](crate::cluster::Clusters), and the [`Settings`] to echo.
//! [`Report::new`] is that for a scan, with texts re-read from its inputs;
//! the two give the same report on the same clusters.
//!
//! ```
//! use wiretrace::cluster::Clusters;
//! use wiretrace::ingest::{Corpus, Meta, RecordLoc};
//! use wiretrace::report::{render_report, Report, ReportFormat, Settings};
//!
//! let story = "The city council voted on Tuesday to close the old bridge for repairs \
//!              after engineers found cracks in two of its supports.";
//! let at = |line| RecordLoc { line, ..Default::default() };
//! let docs = vec![
//!     Meta { id: "wire".into(), source: Some("Wire".into()), published: Some(1_714_550_400),
//!            loc: at(1), ..Default::default() },
//!     Meta { id: "copy".into(), source: Some("Daily".into()), published: Some(1_714_554_000),
//!            loc: at(2), ..Default::default() },
//!     Meta { id: "other".into(), loc: at(3), ..Default::default() },
//! ];
//! // Texts in memory (any `TextSource` will do: an index, a database).
//! let texts = vec![
//!     story.to_string(),
//!     format!("{story}\n\nFirst published by Wire."),
//!     "A football match was won late on Sunday by the visiting side.".to_string(),
//! ];
//! let files = vec!["segment-0".to_string()];
//! let corpus = Corpus::new(&docs, &files, &texts);
//! // Article i is in cluster clusters.of[i]: from an index, a Spark job...
//! let clusters = Clusters { of: vec![0, 0, 1], count: 2 };
//! let settings = Settings::from_config(&wiretrace::Config::default());
//! let report = Report::from_clusters(&corpus, &clusters, settings, None)?;
//! assert_eq!(report.stories.len(), 1);
//! let story = &report.stories[0];
//! assert_eq!(story.members[story.origin].id, "wire");
//! assert_eq!(story.members[1].location, "segment-0:2");
//! assert!(story.copies[0].attribution.attributed);
//!
//! let mut md = Vec::new();
//! render_report(&report, ReportFormat::Markdown, &mut md)?;
//! assert!(String::from_utf8_lossy(&md).contains("wire"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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
    format_lag, format_lag_between, outlets, CopyReport, MemberReport, Mode, OutletReport,
    OutletTally, Report, Settings, StoryReport, Summary, Taken, TypeCounts, VersionReport, SCHEMA,
};
pub use write::{open_outputs, remove_pending, write_atomic, Output};

/// Format of a lineage report (`--report-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// [`json`].
    Json,
    /// [`json::write_lines`]: one story per line.
    JsonLines,
    /// [`markdown`].
    Markdown,
    /// [`html`].
    Html,
    /// [`csv`].
    Csv,
}

impl ReportFormat {
    /// The format a file name's extension implies (`.json`, `.jsonl`/`.ndjson`, `.md`/`.markdown`,
    /// `.html`/`.htm`, `.csv`); `None` for anything else.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(ReportFormat::Json),
            "jsonl" | "ndjson" => Some(ReportFormat::JsonLines),
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
        ReportFormat::JsonLines => json::write_lines(report, w),
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
    use crate::ingest::{parse_timestamp, Meta, RecordLoc};

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

    /// Articles of a JSON Lines corpus as a caller outside the scan holds
    /// them: metadata parsed here with serde_json (not ingest), texts in a
    /// `Vec<String>`. Each record's location is line `i + 1` of file 0.
    fn plain_articles(jsonl: &str) -> (Vec<Meta>, Vec<String>) {
        let s =
            |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
        jsonl
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                let meta = Meta {
                    id: s(&v, "id").unwrap(),
                    title: s(&v, "title"),
                    source: s(&v, "source"),
                    url: s(&v, "url"),
                    published: s(&v, "published").and_then(|d| parse_timestamp(&d)),
                    date_from: Default::default(),
                    loc: RecordLoc {
                        line: i as u64 + 1,
                        ..Default::default()
                    },
                };
                (meta, s(&v, "text").unwrap())
            })
            .unzip()
    }

    /// Every format of the report of a scan of `jsonl` (named `file`), and
    /// of the report built from plain data: the same articles parsed apart
    /// from the scan, their texts in memory, and the scan's clusters copied
    /// out as a bare assignment vector (as an index or a Spark job gives
    /// them). With `check`, every article of the first `check` is an original.
    fn both_ways(
        file: &str,
        jsonl: &str,
        check: Option<usize>,
    ) -> Vec<(ReportFormat, String, String)> {
        let scan = crate::pipeline::scan_inputs(
            &crate::Config::default(),
            crate::ingest::Inputs::from_jsonl(file, jsonl.as_bytes().to_vec()),
            &crate::pipeline::NoProgress,
        )
        .unwrap();
        let originals: Option<Vec<bool>> =
            check.map(|n| (0..scan.docs.len()).map(|i| i < n).collect());
        let from_scan = match &originals {
            None => Report::new(&scan, crate::lineage::trace_scan(&scan), Mode::Scan, None),
            Some(o) => {
                let cfg = crate::lineage::LineageConfig::from_config(&scan.config);
                let traced = crate::lineage::trace_scan_with(&scan, &cfg, Some(o));
                Report::new(&scan, traced, Mode::Check, Some(o))
            }
        };
        let (docs, texts) = plain_articles(jsonl);
        // Byte offsets are ingest's business (how it re-reads a record);
        // a caller's locations are file and line.
        let strip = |m: &Meta| Meta {
            loc: RecordLoc {
                line: m.loc.line,
                ..Default::default()
            },
            ..m.clone()
        };
        let scanned: Vec<Meta> = scan.docs.iter().map(strip).collect();
        assert!(docs == scanned, "the plain parse reads what ingest reads");
        let clusters = crate::cluster::Clusters {
            of: scan.clusters.of.clone(),
            count: scan.clusters.count,
        };
        let files = vec![file.to_string()];
        let corpus = crate::ingest::Corpus::new(&docs, &files, &texts);
        drop(scan);
        let settings = Settings::from_config(&crate::Config::default());
        let from_parts =
            Report::from_clusters(&corpus, &clusters, settings, originals.as_deref()).unwrap();
        assert!(!from_parts.stories.is_empty());
        [
            ReportFormat::Json,
            ReportFormat::Markdown,
            ReportFormat::Html,
            ReportFormat::Csv,
        ]
        .into_iter()
        .map(|f| {
            let render = |r: &Report| {
                let mut v = Vec::new();
                render_report(r, f, &mut v).unwrap();
                String::from_utf8(v).unwrap()
            };
            (f, render(&from_scan), render(&from_parts))
        })
        .collect()
    }

    fn assert_same(file: &str, jsonl: &str, check: Option<usize>) {
        for (f, scan, parts) in both_ways(file, jsonl, check) {
            assert!(
                scan == parts,
                "{f:?} report from plain data differs from the scan's\n--- scan ---\n{scan}\n--- plain ---\n{parts}"
            );
        }
    }

    fn demo_corpus() -> String {
        let p =
            std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
                .join("testdata/demo/corpus.jsonl");
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn plain_data_report_equals_scan_report_on_demo_corpus() {
        assert_same("testdata/demo/corpus.jsonl", &demo_corpus(), None);
    }

    #[test]
    fn plain_data_check_report_equals_scan_check_report_on_demo_corpus() {
        assert_same("testdata/demo/corpus.jsonl", &demo_corpus(), Some(40));
    }

    #[test]
    fn plain_data_report_equals_scan_report_on_hostile_corpus() {
        assert_same("h.jsonl", &hostile_corpus(), None);
        assert_same("h.jsonl", &hostile_corpus(), Some(1));
    }

    /// The plain-data path against the golden files the CLI's scan must
    /// reproduce (tests/golden.rs): the same bytes, not just the same as
    /// today's `Report::new`.
    #[test]
    fn plain_data_report_matches_golden_files() {
        let root =
            std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"));
        for (f, ext) in [(ReportFormat::Markdown, "md"), (ReportFormat::Json, "json")] {
            let (_, _, parts) = both_ways("testdata/demo/corpus.jsonl", &demo_corpus(), None)
                .into_iter()
                .find(|(g, _, _)| *g == f)
                .unwrap();
            let golden =
                std::fs::read_to_string(root.join(format!("testdata/golden/demo.{ext}"))).unwrap();
            assert!(
                parts == golden,
                "{ext}: plain-data report differs from the golden file"
            );
        }
    }

    #[test]
    fn outlet_view_adds_up_to_the_copies() {
        let scan = crate::pipeline::scan_inputs(
            &crate::Config::default(),
            crate::ingest::Inputs::from_jsonl("demo.jsonl", demo_corpus().into_bytes()),
            &crate::pipeline::NoProgress,
        )
        .unwrap();
        let r = Report::new(&scan, crate::lineage::trace_scan(&scan), Mode::Scan, None);
        let o = &r.outlets;
        assert!(o.len() > 3);
        assert_eq!(o.iter().map(|x| x.copies).sum::<usize>(), r.summary.copies);
        assert_eq!(
            o.iter().map(|x| x.credited).sum::<usize>(),
            r.summary.attributed
        );
        for x in o {
            assert_eq!(x.from.iter().map(|t| t.copies).sum::<usize>(), x.copies);
            let t = x.types;
            assert_eq!(
                t.verbatim + t.excerpt + t.expanded + t.reworded + t.quoted,
                x.copies
            );
            assert!(x.stories <= x.copies && x.median_lag_seconds.is_some());
        }
        assert!(o.windows(2).all(|w| w[0].copies >= w[1].copies));
    }

    #[test]
    fn clusters_for_another_corpus_are_refused() {
        let (docs, texts) = plain_articles(&hostile_corpus());
        let corpus = crate::ingest::Corpus::new(&docs, &[], &texts);
        let settings = || Settings::from_config(&crate::Config::default());
        let short = crate::cluster::Clusters {
            of: vec![0, 0],
            count: 1,
        };
        let err = Report::from_clusters(&corpus, &short, settings(), None).unwrap_err();
        assert!(
            err.to_string()
                .contains("assign 2 articles, the corpus holds 3"),
            "{err}"
        );
        let bad_id = crate::cluster::Clusters {
            of: vec![0, 0, 5],
            count: 1,
        };
        assert!(matches!(
            Report::from_clusters(&corpus, &bad_id, settings(), None),
            Err(Error::Data(_))
        ));
    }

    #[test]
    fn missing_texts_are_unreadable_members() {
        let (docs, mut texts) = plain_articles(&hostile_corpus());
        texts.truncate(2);
        let corpus = crate::ingest::Corpus::new(&docs, &[], &texts);
        let clusters = crate::cluster::Clusters {
            of: vec![0, 0, 0],
            count: 1,
        };
        let settings = Settings::from_config(&crate::Config::default());
        let r = Report::from_clusters(&corpus, &clusters, settings, None).unwrap();
        assert_eq!((r.stories[0].size, r.stories[0].unreadable), (2, 1));
        assert_eq!(r.stories[0].members[0].location, ":1");
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

    /// A WARC of two pages of one story: the original dates itself in its
    /// metadata, the copy gives no date, so its date is the crawl's. Every
    /// format says so: `date_from` in JSON and JSON Lines, a CSV column,
    /// and "crawl date" beside the date and the lag in Markdown and HTML.
    pub(crate) fn crawl_dated_warc() -> Vec<u8> {
        let body = "<p>The regional water authority approved a plan on Tuesday to raise the dam by four metres, citing the growing demand of the valley's towns over the next decades and the dry summers of recent years.</p>\
                    <p>Work would start next spring and take three years, officials said, at a cost of about 40 million, paid partly by the towns and partly by a national fund for water works.</p>\
                    <p>Farmers downstream welcomed the decision, though some asked for guarantees that the river would keep its summer flow while the work goes on.</p>";
        let page = |meta: &str| {
            format!("<html><head><title>Dam plan</title>{meta}</head><body><nav><a>Home</a></nav><article><h1>Dam plan</h1>{body}</article><footer>Copyright</footer></body></html>")
        };
        let rec = |id: &str, uri: &str, date: &str, html: String| {
            let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{html}");
            let head = format!("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n", http.len());
            [head.into_bytes(), http.into_bytes(), b"\r\n\r\n".to_vec()].concat()
        };
        [
            rec(
                "orig",
                "https://valley-times.example/dam",
                "2024-07-03T12:00:00Z",
                page("<meta property=\"article:published_time\" content=\"2024-07-01T08:00:00Z\">"),
            ),
            rec(
                "copy",
                "https://river-post.example/dam",
                "2024-07-02T09:00:00Z",
                page(""),
            ),
        ]
        .concat()
    }

    #[test]
    fn reports_say_a_lag_came_from_a_crawl_date() {
        let mut inputs = crate::ingest::Inputs::default();
        inputs.push_bytes("c.warc", crate::ingest::InputKind::Warc, crawl_dated_warc());
        let scan = crate::pipeline::scan_inputs(
            &crate::Config::default(),
            inputs,
            &crate::pipeline::NoProgress,
        )
        .unwrap();
        let report = Report::new(&scan, crate::lineage::trace_scan(&scan), Mode::Scan, None);
        assert_eq!(report.stories.len(), 1, "the two pages are one story");
        let render = |f| {
            let mut out = Vec::new();
            render_report(&report, f, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let v: serde_json::Value = serde_json::from_str(&render(ReportFormat::Json)).unwrap();
        let story = &v["stories"][0];
        let member = |id: &str| {
            story["members"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["url"].as_str().unwrap().contains(id))
                .unwrap()
                .clone()
        };
        let (orig, copy) = (member("valley"), member("river"));
        assert_eq!(orig["date_from"], "page");
        assert_eq!(orig["published"], "2024-07-01T08:00:00Z");
        assert_eq!(copy["date_from"], "crawl");
        assert_eq!(copy["published"], "2024-07-02T09:00:00Z");
        assert_eq!(story["copies"][0]["lag_seconds"], 25 * 3600);
        let line: serde_json::Value =
            serde_json::from_str(render(ReportFormat::JsonLines).lines().next().unwrap()).unwrap();
        assert_eq!(line["members"], story["members"]);

        let md = render(ReportFormat::Markdown);
        assert!(
            md.contains("2024-07-02T09:00:00Z (crawl date) · +1d 1h (from a crawl date)"),
            "{md}"
        );
        assert!(md.contains("+1d 1h (from a crawl date)"), "{md}");
        assert!(!md.contains("08:00:00Z (crawl date)"), "{md}");

        let csv = render(ReportFormat::Csv);
        let rows: Vec<&str> = csv.lines().collect();
        assert!(rows[0].ends_with(",origin_date_from,copy_date_from"));
        assert!(rows[1].ends_with(",page,crawl"), "{}", rows[1]);

        let html = render(ReportFormat::Html);
        assert!(
            html.contains("\"2024-07-02T09:00:00Z\",1]"),
            "the copy's date is marked"
        );
        assert!(
            html.contains("\"2024-07-01T08:00:00Z\"]"),
            "the original's is not"
        );
        assert!(html.contains("(from a crawl date)"));
    }
}
