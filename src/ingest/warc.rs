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

/// Reads header lines up to a blank line. `Ok(None)` at a clean end of
/// stream before any header.
fn read_headers(r: &mut impl BufRead) -> std::io::Result<Option<(String, Vec<(String, String)>)>> {
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
