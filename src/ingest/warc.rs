//! WARC and WET files -> one record per page: `response` records holding an
//! HTML page (CC-News, Heritrix and wget crawls), `resource` records of
//! HTML, and `conversion` records holding a page's text (Common Crawl's WET
//! files). `warcinfo`, `request`, `metadata` and `revisit` records describe
//! the crawl, not pages: they are not records here, as blank lines are not
//! in JSON Lines (a crawl has one request per response; counting them as
//! skipped would say that half of every crawl was lost).
//!
//! A record's id is its `WARC-Record-ID`, its URL `WARC-Target-URI`, and
//! `WARC-Date` its crawl date, used only for a page with no date of its own.
//! A response that is not an HTML page (a PDF, an image, a redirect) is a
//! skipped record with why. The reader is our own (the format is headers,
//! a blank line and `Content-Length` bytes), streaming over the
//! decompressor, so a `.warc.gz` of one member per record is read in one
//! pass with memory bounded by the largest page.

use super::formats::{Pre, Rec};
use crate::error::SkipReason;
use std::io::{BufRead, Read};

/// Bodies longer than this are passed over without being held: a news page
/// is tens to hundreds of KB; a body of 32 MiB is a video or a dataset.
const MAX_BODY: u64 = 32 << 20;

/// Why the rest of a file could not be read: the record where reading
/// stopped and what was wrong.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    /// The record (or row) number where it stopped.
    pub line: u64,
    /// What happened, and what to do.
    pub message: String,
    /// The error came from the decoder (then the caller adds the offset).
    pub io: Option<std::io::ErrorKind>,
}

/// The records of a WARC stream.
pub(crate) struct Records<R> {
    r: std::io::BufReader<R>,
    /// Records read so far (every WARC record, pages or not).
    n: u64,
    /// Pages yielded so far.
    ordinal: u64,
    done: bool,
}

impl<R: Read> Records<R> {
    pub fn new(r: R) -> Self {
        Records {
            r: std::io::BufReader::with_capacity(64 << 10, r),
            n: 0,
            ordinal: 0,
            done: false,
        }
    }

    fn fail(
        &mut self,
        message: String,
        io: Option<std::io::ErrorKind>,
    ) -> Option<Result<Pre, Failure>> {
        self.done = true;
        Some(Err(Failure {
            line: self.n,
            message,
            io,
        }))
    }
}

/// A record's named headers (names lower-cased).
fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A record's version line and headers.
type Head = (String, Vec<(String, String)>);

/// Reads header lines up to a blank line. `Ok(None)` at a clean end of
/// stream before any header.
fn read_headers(r: &mut impl BufRead) -> std::io::Result<Option<Head>> {
    let mut line = Vec::new();
    // Records are separated by blank lines; skip them.
    let first = loop {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let l = String::from_utf8_lossy(&line).trim().to_owned();
        if !l.is_empty() {
            break l;
        }
    };
    let mut headers = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the stream ends inside a record's headers",
            ));
        }
        let l = String::from_utf8_lossy(&line);
        let l = l.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            return Ok(Some((first, headers)));
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
}

impl<R: Read> Iterator for Records<R> {
    type Item = Result<Pre, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let (version, headers) = match read_headers(&mut self.r) {
                Ok(Some(h)) => h,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.n += 1;
                    let kind = e.kind();
                    return self.fail(format!("record {} is cut short: {e}", self.n), Some(kind));
                }
            };
            self.n += 1;
            if !version.starts_with("WARC/") {
                return self.fail(
                    format!(
                        "record {} does not start with a WARC version line (found `{}`): not a WARC file past this point",
                        self.n,
                        version.chars().take(40).collect::<String>()
                    ),
                    None,
                );
            }
            let Some(len) = header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok())
            else {
                return self.fail(
                    format!("record {} has no valid Content-Length; the records after it cannot be found", self.n),
                    None,
                );
            };
            let kind = header(&headers, "warc-type")
                .unwrap_or("")
                .to_ascii_lowercase();
            let page = matches!(kind.as_str(), "response" | "resource" | "conversion");
            if !page || len > MAX_BODY {
                match std::io::copy(&mut (&mut self.r).take(len), &mut std::io::sink()) {
                    Ok(n) if n == len => {}
                    Ok(n) => {
                        return self.fail(
                            format!("record {} is cut short: Content-Length {len}, {n} bytes left in the file", self.n),
                            None,
                        )
                    }
                    Err(e) => {
                        let k = e.kind();
                        return self.fail(format!("record {}: {e}", self.n), Some(k));
                    }
                }
                if !page {
                    continue;
                }
            }
            let mut body = Vec::new();
            if len <= MAX_BODY {
                match (&mut self.r).take(len).read_to_end(&mut body) {
                    Ok(n) if n as u64 == len => {}
                    Ok(n) => {
                        return self.fail(
                            format!("record {} is cut short: Content-Length {len}, {n} bytes left in the file; the records before it were read", self.n),
                            None,
                        )
                    }
                    Err(e) => {
                        let k = e.kind();
                        return self.fail(format!("record {}: {e}", self.n), Some(k));
                    }
                }
            }
            let id = header(&headers, "warc-record-id")
                .map(|v| v.trim_matches(['<', '>']).to_owned())
                .unwrap_or_else(|| format!("record-{}", self.n));
            let url =
                header(&headers, "warc-target-uri").map(|v| v.trim_matches(['<', '>']).to_owned());
            let crawled = header(&headers, "warc-date").map(str::to_owned);
            let rec = if len > MAX_BODY {
                Rec::Skip(SkipReason::NotAnArticle {
                    why: format!("a body of {len} bytes, larger than any news page"),
                })
            } else if kind == "conversion" {
                Rec::Plain {
                    text: body,
                    id,
                    url,
                    crawled,
                }
            } else if kind == "resource" {
                let ct = header(&headers, "content-type").unwrap_or("");
                if is_html(ct) {
                    Rec::Html {
                        html: body,
                        id,
                        url,
                        crawled,
                    }
                } else {
                    not_html(ct)
                }
            } else {
                http_page(body, id, url, crawled)
            };
            self.ordinal += 1;
            return Some(Ok(Pre {
                line: self.n,
                at: (self.n, None),
                ordinal: self.ordinal - 1,
                rec,
            }));
        }
    }
}

fn is_html(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    ct.contains("text/html") || ct.contains("application/xhtml")
}

fn not_html(ct: &str) -> Rec {
    Rec::Skip(SkipReason::NotAnArticle {
        why: format!(
            "not an HTML page (Content-Type: {})",
            if ct.is_empty() { "none" } else { ct }
        ),
    })
}

/// A `response` record's body: an HTTP status line, headers, the page.
fn http_page(body: Vec<u8>, id: String, url: Option<String>, crawled: Option<String>) -> Rec {
    let mut r = &body[..];
    let mut status = String::new();
    let mut ct = String::new();
    let mut first = true;
    loop {
        let Some(nl) = memchr::memchr(b'\n', r) else {
            return Rec::Skip(SkipReason::NotAnArticle {
                why: "an HTTP response with no end to its headers".into(),
            });
        };
        let line = String::from_utf8_lossy(&r[..nl]).trim_end().to_owned();
        r = &r[nl + 1..];
        if first {
            status = line;
            first = false;
            continue;
        }
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-type") {
                ct = v.trim().to_owned();
            }
        }
    }
    let code = status.split_whitespace().nth(1).unwrap_or("");
    if !code.starts_with('2') {
        return Rec::Skip(SkipReason::NotAnArticle {
            why: format!(
                "HTTP status {} (not a page)",
                if code.is_empty() { "missing" } else { code }
            ),
        });
    }
    if !is_html(&ct) {
        return not_html(&ct);
    }
    let start = body.len() - r.len();
    let mut html = body;
    html.drain(..start);
    Rec::Html {
        html,
        id,
        url,
        crawled,
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::{read, InputKind, Inputs, ReadOptions};

    fn rec(kind: &str, uri: Option<&str>, ctype: &str, body: &[u8]) -> Vec<u8> {
        let mut h = format!("WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\nWARC-Date: 2024-07-01T10:00:00Z\r\n", body.len());
        if let Some(u) = uri {
            h.push_str(&format!("WARC-Target-URI: {u}\r\n"));
        }
        h.push_str(&format!(
            "Content-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        ));
        [h.as_bytes(), body, b"\r\n\r\n"].concat()
    }

    fn http(ctype: &str, status: &str, body: &str) -> Vec<u8> {
        format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n\r\n{body}").into_bytes()
    }

    const PAGE: &str = "<html><head><title>Dam plan</title></head><body><nav class=\"menu\"><a>Home</a> <a>Sport</a></nav><article><h1>Dam plan</h1><p>The regional water authority approved a plan on Tuesday to raise the dam by four metres, citing the growing demand of the valley's towns over the next decades.</p><p>Work would start next spring and take three years, officials said, at a cost of about 40 million.</p></article><footer>Copyright Valley Times</footer></body></html>";

    type Got = Result<(String, Option<String>, u64), String>;

    fn outline(bytes: Vec<u8>) -> Vec<Got> {
        let mut inputs = Inputs::default();
        inputs.push_bytes("c.warc", InputKind::Warc, bytes);
        read(
            &inputs,
            &ReadOptions::from_config(&crate::Config::default()),
        )
        .into_iter()
        .map(|p| match p {
            Ok((a, _)) => Ok((a.meta.id, a.meta.url, a.meta.loc.line)),
            Err(s) => Err(s.to_string()),
        })
        .collect()
    }

    /// A crawl: warcinfo and request records are not records; a PDF
    /// response and a redirect are skipped with why; a page without a URI
    /// is read; a record cut short ends the file with what was lost.
    #[test]
    fn pages_non_html_missing_uri_and_truncation() {
        let mut w = rec(
            "warcinfo",
            None,
            "application/warc-fields",
            b"software: test\r\n",
        );
        w.extend(rec(
            "request",
            Some("https://a.example/1"),
            "application/http",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        w.extend(rec(
            "response",
            Some("https://a.example/1"),
            "application/http",
            &http("text/html; charset=utf-8", "200 OK", PAGE),
        ));
        w.extend(rec(
            "response",
            Some("https://a.example/r.pdf"),
            "application/http",
            &http("application/pdf", "200 OK", "%PDF-1.4"),
        ));
        w.extend(rec(
            "response",
            Some("https://a.example/old"),
            "application/http",
            &http("text/html", "301 Moved", ""),
        ));
        w.extend(rec(
            "response",
            None,
            "application/http",
            &http("text/html", "200 OK", PAGE),
        ));
        let cut = rec(
            "response",
            Some("https://a.example/cut"),
            "application/http",
            &http("text/html", "200 OK", PAGE),
        );
        w.extend(&cut[..cut.len() / 2]);
        let got = outline(w);
        assert_eq!(got.len(), 5, "{got:#?}");
        let (id, url, n) = got[0].as_ref().unwrap();
        assert!(id.starts_with("urn:uuid:response"), "{id}");
        assert_eq!((url.as_deref(), *n), (Some("https://a.example/1"), 3));
        assert!(
            got[1].as_ref().unwrap_err().contains(
                "c.warc:4: not an article: not an HTML page (Content-Type: application/pdf)"
            ),
            "{:?}",
            got[1]
        );
        assert!(
            got[2].as_ref().unwrap_err().contains("HTTP status 301"),
            "{:?}",
            got[2]
        );
        assert_eq!(got[3].as_ref().unwrap().1, None);
        let e = got[4].as_ref().unwrap_err();
        assert!(
            e.contains("c.warc:7: unreadable: record 7 is cut short"),
            "{e}"
        );
    }

    /// The page's text without its navigation or footer; the crawl date
    /// stands in for the page's missing date, and says so.
    #[test]
    fn the_crawl_date_dates_an_undated_page() {
        let w = rec(
            "response",
            Some("https://a.example/1"),
            "application/http",
            &http("text/html", "200 OK", PAGE),
        );
        let mut inputs = Inputs::default();
        inputs.push_bytes("c.warc", InputKind::Warc, w);
        let out = read(
            &inputs,
            &ReadOptions::from_config(&crate::Config::default()),
        );
        let (a, _) = out[0].as_ref().unwrap();
        assert!(
            a.text.starts_with("The regional water authority"),
            "{}",
            a.text
        );
        assert!(
            !a.text.contains("Sport") && !a.text.contains("Copyright"),
            "{}",
            a.text
        );
        assert_eq!(
            a.meta.published,
            crate::ingest::parse_timestamp("2024-07-01T10:00:00Z")
        );
        assert_eq!(a.meta.date_from, crate::ingest::DateFrom::Crawl);
    }

    /// WET: conversion records are the pages' text.
    #[test]
    fn wet_conversion_records() {
        let w = rec(
            "conversion",
            Some("https://a.example/1"),
            "text/plain",
            b"Dam plan\nThe authority approved a plan.",
        );
        let got = outline(w);
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].as_ref().unwrap().1.as_deref(),
            Some("https://a.example/1")
        );
    }
}
