//! What kind of input a file is (by its content first, then its name), and
//! records of the formats that are not JSON Lines, on their way to becoming
//! articles.
//!
//! Content decides where it can: a WARC starts `WARC/`, Parquet `PAR1`, a
//! JSON Lines record `{`, an HTML page with a tag such as `<!doctype html>`
//! or `<html`. Corpora are renamed and re-exported (a `.txt` holding JSON
//! Lines, a `.dat` CSV), so a name is the tie-breaker, not the rule: CSV and
//! TSV are known by a header row naming the text field, else by `.csv` /
//! `.tsv`. A `.txt` or `.md` file is one article unless `--input-format`
//! says otherwise (an article may well start with `{`). A file that is none
//! of these is refused once, with what it looks like and what to pass,
//! rather than read as JSON Lines and reported line by line.

use super::{Article, Meta, Notice, Parsed, RecordLoc};
use crate::error::{Location, SkipReason, Skipped};
use std::path::Path;

/// How a file's bytes (once decompressed) become articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// One JSON object per line.
    JsonLines,
    /// The whole file is one article.
    Text,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// Apache Parquet: one row per article, columns named as fields.
    Parquet,
    /// WARC or WET: `response` records holding HTML pages, `conversion`
    /// records holding their text.
    Warc,
    /// One HTML page: its main text is the article.
    Html,
}

impl InputKind {
    /// Every kind, by the name `--input-format` takes.
    pub const NAMES: [(&'static str, InputKind); 7] = [
        ("jsonl", InputKind::JsonLines),
        ("csv", InputKind::Csv),
        ("tsv", InputKind::Tsv),
        ("parquet", InputKind::Parquet),
        ("warc", InputKind::Warc),
        ("html", InputKind::Html),
        ("txt", InputKind::Text),
    ];

    /// The kind named `name` (`jsonl`, `csv`, `tsv`, `parquet`, `warc`,
    /// `html`, `txt`).
    pub fn from_name(name: &str) -> Option<InputKind> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, k)| k)
    }

    /// Its `--input-format` name.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |(n, _)| n)
    }
}

/// The name of `path` without a compression suffix (`a.jsonl.gz` ->
/// `a.jsonl`), lower-cased.
fn stem_ext(path: &Path) -> Option<String> {
    // Lossily: a name that is not UTF-8 (`caf\xE9.txt`) has an extension
    // all the same.
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let name = ["gz", "zst", "zstd", "bz2", "xz"]
        .iter()
        .find_map(|c| name.strip_suffix(&format!(".{c}")).map(str::to_owned))
        .unwrap_or(name);
    Some(name.rsplit_once('.')?.1.to_owned())
}

/// The kind a file's name says, if any: what a directory walk reads
/// (compressed or not).
pub fn kind_by_name(path: &Path) -> Option<InputKind> {
    Some(match stem_ext(path)?.as_str() {
        "jsonl" | "ndjson" => InputKind::JsonLines,
        "txt" | "md" => InputKind::Text,
        "csv" => InputKind::Csv,
        "tsv" | "tab" => InputKind::Tsv,
        "parquet" | "pq" => InputKind::Parquet,
        "warc" | "wet" | "arc" => InputKind::Warc,
        "html" | "htm" | "xhtml" => InputKind::Html,
        _ => return None,
    })
}

/// The kind of a file whose decompressed content starts with `head`,
/// named `path`; `text_field` is the configured text field (a CSV header
/// naming it is a CSV). `Err` says what the content looks like, for a
/// message naming what to pass.
pub fn detect(head: &[u8], path: &Path, text_field: &str) -> Result<InputKind, String> {
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let trimmed = body.trim_ascii_start();
    if trimmed.starts_with(b"WARC/") {
        return Ok(InputKind::Warc);
    }
    if body.starts_with(b"PAR1") {
        return Ok(InputKind::Parquet);
    }
    let by_name = kind_by_name(path);
    if by_name == Some(InputKind::Text) {
        return Ok(InputKind::Text);
    }
    if trimmed.starts_with(b"{") {
        return Ok(InputKind::JsonLines);
    }
    if looks_like_html(trimmed) {
        return Ok(InputKind::Html);
    }
    let first = body.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let first = String::from_utf8_lossy(first);
    let names = |sep: char| {
        first
            .trim_end_matches('\r')
            .split(sep)
            .any(|c| c.trim().trim_matches('"') == text_field)
    };
    if names('\t') {
        return Ok(InputKind::Tsv);
    }
    if names(',') {
        return Ok(InputKind::Csv);
    }
    if let Some(k) = by_name {
        return Ok(k);
    }
    if body.is_empty() || trimmed.is_empty() {
        // An empty file named without a known extension: no records.
        return Ok(InputKind::JsonLines);
    }
    let binary = body.iter().take(512).any(|&b| b == 0)
        || std::str::from_utf8(&body[..body.len().min(512)])
            .is_err_and(|e| e.error_len().is_some());
    Err(if binary {
        "binary data of no kind wiretrace reads".into()
    } else {
        format!("text that is not JSON Lines, CSV with a `{text_field}` column, HTML or WARC")
    })
}

fn looks_like_html(trimmed: &[u8]) -> bool {
    if !trimmed.starts_with(b"<") {
        return false;
    }
    let head = String::from_utf8_lossy(&trimmed[..trimmed.len().min(2048)]).to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<article",
        "<meta",
    ]
    .iter()
    .any(|t| head.contains(t))
}

/// One record of a format other than JSON Lines, as its reader found it:
/// parsed into an article (in parallel) by [`Pre::parse`].
#[derive(Debug, Clone)]
pub(crate) struct Pre {
    /// `RecordLoc::line`: the CSV row (the header is row 1), the Parquet
    /// row (1-based, over the file), the WARC record's number, or 0 for a
    /// whole-file article.
    pub line: u64,
    /// Where a skip is reported: `file:row`, `file:row-group:row`
    /// (Parquet), `file:record` (WARC).
    pub at: (u64, Option<u64>),
    /// `RecordLoc::start`: the record's ordinal in its file (how a reload
    /// finds it again).
    pub ordinal: u64,
    /// What it holds.
    pub rec: Rec,
}

/// What a record holds.
#[derive(Debug, Clone)]
pub(crate) enum Rec {
    /// A row of named columns (CSV, Parquet): `(header, value)`, empty
    /// cells and nulls left out. Mapped by the field names as JSON Lines
    /// are (they are turned into one JSON object and parsed as one).
    Row {
        /// The cells.
        cols: Vec<(String, serde_json::Value)>,
        /// Some cell was not UTF-8 (read lossily; skipped unless `--lossy`).
        bad_utf8: bool,
    },
    /// A whole-file article's bytes (a compressed `.txt`).
    Text(Vec<u8>),
    /// An HTML page, with what its container says (a WARC response's
    /// record id, target URI and crawl date; a file's name).
    Html {
        /// The page.
        html: Vec<u8>,
        /// The record's id.
        id: String,
        /// The page's URL, as crawled.
        url: Option<String>,
        /// When it was crawled (WARC-Date), RFC 3339.
        crawled: Option<String>,
    },
    /// A page's text, extracted already (a WET `conversion` record).
    Plain {
        /// The extracted text.
        text: Vec<u8>,
        /// The record's id.
        id: String,
        /// The page's URL.
        url: Option<String>,
        /// When it was crawled.
        crawled: Option<String>,
    },
    /// A record that is not an article, or cannot be read: skipped, with why.
    Skip(SkipReason),
}

/// Where a date came from: the record's date field (JSON Lines, CSV,
/// Parquet), the page's own metadata (HTML), or, for a page with none, the
/// time it was crawled (WARC-Date).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DateFrom {
    /// The record's date field, or no date at all.
    #[default]
    Field,
    /// The page's metadata (`article:published_time`, JSON-LD
    /// `datePublished`, `<time datetime>`).
    Page,
    /// The crawl date (WARC-Date): the page had no publication date. A
    /// crawl follows publication, often by days, so lineage may place such a
    /// copy late; it is said in `read`'s output and the report.
    Crawl,
}

impl DateFrom {
    /// Whether it is the default (for `skip_serializing_if`).
    pub fn is_field(&self) -> bool {
        *self == DateFrom::Field
    }
}

impl Pre {
    /// The article this record holds, or why it is skipped.
    pub fn parse(
        &self,
        path: &Path,
        loc: RecordLoc,
        opts: &super::ReadOptions,
        scratch: &mut super::Scratch,
    ) -> Parsed {
        let at = Location {
            path: path.to_owned(),
            line: self.at.0,
            column: self.at.1,
        };
        let skip = |reason| Skipped {
            at: at.clone(),
            reason,
        };
        let text_of = |bytes: &[u8]| -> Result<String, Skipped> {
            match std::str::from_utf8(bytes) {
                Ok(s) => Ok(s.to_owned()),
                Err(_) if opts.lossy => Ok(String::from_utf8_lossy(bytes).into_owned()),
                Err(_) => Err(skip(SkipReason::Utf8)),
            }
        };
        match &self.rec {
            Rec::Skip(r) => Err(skip(r.clone())),
            Rec::Row { bad_utf8: true, .. } if !opts.lossy => Err(skip(SkipReason::Utf8)),
            Rec::Row { cols, .. } => {
                // An empty cell is an absent field (a CSV has no null),
                // except the text's: an empty text is skipped as one.
                let names = opts.fields.names();
                let cols: Vec<(String, serde_json::Value)> = cols
                    .iter()
                    .filter(|(n, v)| {
                        n == names[1] || v.as_str().is_none_or(|s| !s.trim().is_empty())
                    })
                    .cloned()
                    .collect();
                let json = row_json(&cols, &names);
                let mut parsed = super::jsonl::parse_line(
                    json.as_bytes(),
                    loc,
                    path,
                    opts.lossy,
                    &opts.fields,
                    scratch,
                );
                // A skip or notice names the row (and, for Parquet, the row
                // in its group), not a column of the JSON made from it.
                match &mut parsed {
                    Ok((_, Some(n))) => n.at = at.clone(),
                    Err(s) => s.at = at.clone(),
                    _ => {}
                }
                parsed
            }
            // Read by its file (`InputFile::parse_text`: id, headline),
            // never here; a whole-file article by path if it were.
            Rec::Text(bytes) => {
                let text = text_of(bytes)?;
                if text.trim().is_empty() {
                    return Err(skip(SkipReason::EmptyText));
                }
                Ok((
                    Article {
                        meta: Meta {
                            id: crate::error::path_text(path).into_owned(),
                            loc,
                            ..Default::default()
                        },
                        text,
                    },
                    None,
                ))
            }
            Rec::Plain {
                text,
                id,
                url,
                crawled,
            } => {
                let text = text_of(text)?;
                if text.trim().is_empty() {
                    return Err(skip(SkipReason::EmptyText));
                }
                // A WET record's text starts with the page's title line.
                let title = text
                    .lines()
                    .next()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && l.len() < 300)
                    .map(str::to_owned);
                let published = crawled.as_deref().and_then(super::parse_timestamp);
                Ok((
                    Article {
                        meta: Meta {
                            id: id.clone(),
                            title,
                            url: url.clone(),
                            published,
                            date_from: if published.is_some() {
                                DateFrom::Crawl
                            } else {
                                DateFrom::Field
                            },
                            loc,
                            ..Default::default()
                        },
                        text,
                    },
                    None,
                ))
            }
            Rec::Html {
                html,
                id,
                url,
                crawled,
            } => page_article(
                html,
                id.clone(),
                url.clone(),
                crawled.as_deref(),
                loc,
                &at,
                opts.lossy,
            ),
        }
    }
}

/// The article of an HTML page: its main text, title and date
/// (`super::html`), with the container's id, URL and crawl date.
pub(crate) fn page_article(
    html: &[u8],
    id: String,
    url: Option<String>,
    crawled: Option<&str>,
    loc: RecordLoc,
    at: &Location,
    lossy: bool,
) -> Parsed {
    let skip = |reason| Skipped {
        at: at.clone(),
        reason,
    };
    // One rule for every format: bytes that are not UTF-8 skip the record
    // unless --lossy (then read as U+FFFD, with a notice).
    let page = match std::str::from_utf8(html) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) if lossy => String::from_utf8_lossy(html),
        Err(_) => return Err(skip(SkipReason::Utf8)),
    };
    let lossy_note = matches!(page, std::borrow::Cow::Owned(_));
    let page_url = url.clone();
    let got = super::html::extract(&page, page_url.as_deref());
    if got.text.trim().is_empty() {
        return Err(skip(SkipReason::NoMainText));
    }
    let (published, date_from) = match got.published.as_deref().and_then(super::parse_timestamp) {
        Some(t) if super::date::in_range(t) => (Some(t), DateFrom::Page),
        _ => match crawled.and_then(super::parse_timestamp) {
            Some(t) => (Some(t), DateFrom::Crawl),
            None => (None, DateFrom::Field),
        },
    };
    let notice = lossy_note.then(|| Notice {
        at: at.clone(),
        message: "the page is not valid UTF-8; bad bytes read as U+FFFD".into(),
    });
    Ok((
        Article {
            meta: Meta {
                id,
                title: got.title,
                source: got.site,
                url: url.or(got.canonical),
                published,
                date_from,
                loc,
            },
            text: got.text,
        },
        notice,
    ))
}

/// One JSON object of a row's columns, nested by the field names' dots
/// (a column `meta.id` is the field path `meta.id`), so the row is mapped
/// and checked exactly as a JSON Lines record is.
fn row_json(cols: &[(String, serde_json::Value)], fields: &[&str]) -> String {
    let mut root = serde_json::Map::new();
    for (name, v) in cols {
        // Columns named by a field are placed at its path; others (and
        // columns with dots named by no field) stay flat.
        if name.contains('.') && fields.contains(&name.as_str()) {
            let mut parts: Vec<&str> = name.split('.').collect();
            let last = parts.pop().unwrap_or("");
            let mut map = &mut root;
            for p in parts {
                let e = map
                    .entry(p.to_owned())
                    .or_insert_with(|| serde_json::Value::Object(Default::default()));
                if !e.is_object() {
                    *e = serde_json::Value::Object(Default::default());
                }
                match e {
                    serde_json::Value::Object(m) => map = m,
                    _ => unreachable!("made an object just above"),
                }
            }
            map.insert(last.to_owned(), v.clone());
        } else {
            root.insert(name.clone(), v.clone());
        }
    }
    serde_json::Value::Object(root).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_before_names() {
        let p = Path::new;
        let d = |h: &str, n: &str| detect(h.as_bytes(), p(n), "text");
        assert_eq!(d("WARC/1.1\r\n", "a.jsonl"), Ok(InputKind::Warc));
        assert_eq!(d("PAR1xxxx", "a.csv"), Ok(InputKind::Parquet));
        assert_eq!(d("{\"id\":1}", "a.dat"), Ok(InputKind::JsonLines));
        assert_eq!(d("{\"id\":1}", "a.txt"), Ok(InputKind::Text));
        assert_eq!(d("id,title,text\n1,a,b", "export.dat"), Ok(InputKind::Csv));
        assert_eq!(d("id\ttext\n1\tb", "export"), Ok(InputKind::Tsv));
        assert_eq!(d("<!DOCTYPE html><html>", "page"), Ok(InputKind::Html));
        assert_eq!(d("a;b;c\n", "x.csv"), Ok(InputKind::Csv));
        assert!(d("hello there", "notes")
            .unwrap_err()
            .contains("text that is not"));
        assert!(detect(b"\x00\x01\x02", p("blob"), "text")
            .unwrap_err()
            .contains("binary"));
        assert_eq!(kind_by_name(p("a.warc.gz")), Some(InputKind::Warc));
        assert_eq!(kind_by_name(p("A.JSONL.ZST")), Some(InputKind::JsonLines));
        assert_eq!(kind_by_name(p("a.gz")), None);
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = Path::new(std::ffi::OsStr::from_bytes(b"caf\xE9.txt"));
            assert_eq!(kind_by_name(odd), Some(InputKind::Text));
        }
    }

    #[test]
    fn row_columns_nest_by_field_paths() {
        let cols = vec![
            ("meta.id".to_owned(), serde_json::json!("7")),
            ("text".to_owned(), serde_json::json!("t")),
            ("other.x".to_owned(), serde_json::json!(1)),
        ];
        let j = row_json(&cols, &["meta.id", "text"]);
        assert_eq!(j, r#"{"meta":{"id":"7"},"other.x":1,"text":"t"}"#);
    }
}
