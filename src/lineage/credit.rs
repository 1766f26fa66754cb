//! A copy's text and the original's metadata -> whether and how the copy credits it.
//!
//! Matching is ASCII case-insensitive on the original text (so byte offsets
//! stay valid) and bounded by non-alphanumeric characters, so "Reuters"
//! is not found in "Reutersville". What counts, strongest first:
//!
//! - the original's outlet name (`The New York Times` is looked for as
//!   `new york times`; names shorter than four letters only as `(AP)`), or
//!   a wire agency's usual forms when the outlet is one (`(AP)`,
//!   `Associated Press`, `AFP`, `Reuters`);
//! - the original's URL, then its domain (`nytimes.com`);
//! - a republication line left by syndication plugins ("Read original
//!   article here", "This article originally appeared on ..."): on the page
//!   it links to the original, though the link target is lost in a text export.

use crate::ingest::Meta;
use serde::{Deserialize, Serialize};

/// How a copy credits its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditKind {
    /// Names the original's outlet (or its agency forms).
    Outlet,
    /// Contains the original's URL.
    Url,
    /// Names the original's domain.
    Domain,
    /// A "Read original article here" style republication line.
    RepublicationLine,
    /// Copy and original come from the same outlet.
    SameOutlet,
}

/// What in the copy credits the original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    /// The kind of credit.
    pub kind: CreditKind,
    /// The line holding it, trimmed (at most `SNIPPET_MAX` bytes).
    pub snippet: String,
    /// Byte offset of the match in the copy's text.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// Longest snippet kept, in bytes.
pub const SNIPPET_MAX: usize = 200;

/// Phrases of republication lines (lower case). Only searched in lines
/// the boilerplate rules drop, so a body sentence quoting them is not a credit.
const REPUBLICATION: &[&str] = &[
    "read original",
    "read the original",
    "originally appeared",
    "originally published",
    "first appeared",
    "appeared first",
    "first published",
    "republished from",
    "republished with permission",
];

/// The strings that name an outlet or its site, lower case.
#[derive(Debug, Clone, Default)]
pub struct Needles {
    outlet: Vec<String>,
    url: Option<String>,
    domain: Option<String>,
}

/// Lower-case domain of a URL, without `www.`; `None` when it has none.
pub fn domain_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?.split(':').next()?;
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (host.contains('.') && host.len() >= 4).then_some(host)
}

/// Lower-case outlet name without a leading "the ".
fn outlet_key(source: &str) -> String {
    let s = source.trim().to_ascii_lowercase();
    s.strip_prefix("the ").unwrap_or(&s).trim().to_owned()
}

impl Needles {
    /// The needles naming `meta`'s outlet and site.
    pub fn of(meta: &Meta) -> Self {
        let mut outlet = Vec::new();
        if let Some(src) = meta.source.as_deref() {
            let key = outlet_key(src);
            let agency: &[&str] = match key.as_str() {
                "ap" | "associated press" | "the associated press" => &["(ap)", "associated press"],
                "afp" | "agence france-presse" | "agence france presse" => {
                    &["afp", "agence france-presse", "agence france presse"]
                }
                "reuters" | "thomson reuters" => &["reuters"],
                _ => &[],
            };
            outlet.extend(agency.iter().map(|s| s.to_string()));
            if key.len() >= 4 {
                outlet.push(key);
            } else if !key.is_empty() && agency.is_empty() {
                outlet.push(format!("({key})"));
            }
        }
        let url = meta.url.as_deref().and_then(|u| {
            let rest = u.trim().split_once("://").map_or(u.trim(), |(_, r)| r);
            let rest = rest
                .strip_prefix("www.")
                .unwrap_or(rest)
                .trim_end_matches('/');
            (rest.len() > 8 && rest.contains('/')).then(|| rest.to_ascii_lowercase())
        });
        Needles {
            outlet,
            url,
            domain: meta.url.as_deref().and_then(domain_of),
        }
    }
}

/// Whether two articles are the same publisher's: the same outlet name
/// when both have one, else the same domain (see
/// [`version_reason`](super::version_reason) for why names come first).
pub fn same_publisher(a: &Meta, b: &Meta) -> bool {
    match (a.source.as_deref(), b.source.as_deref()) {
        (Some(x), Some(y)) if !outlet_key(x).is_empty() && !outlet_key(y).is_empty() => {
            outlet_key(x) == outlet_key(y)
        }
        _ => match (
            a.url.as_deref().and_then(domain_of),
            b.url.as_deref().and_then(domain_of),
        ) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// An article URL with what tells an outlet's pages of one article apart
/// removed: scheme, `www.`/`m.`/`amp.`/`mobile.` host prefixes, an `amp`
/// path segment or `.amp` suffix, the query and fragment (`?outputType=amp`,
/// tracking tags) and a trailing slash; host lower-cased. `None` for a URL
/// with no host. Within one story (the texts already match) two pages at the
/// same such address are one article.
pub fn canonical_url(url: &str) -> Option<String> {
    let u = url.trim();
    let rest = u.split_once("://").map_or(u, |(_, r)| r);
    let rest = rest.split(['?', '#']).next()?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut host = host.split(':').next()?.to_ascii_lowercase();
    for p in ["www.", "m.", "amp.", "mobile."] {
        if let Some(h) = host.strip_prefix(p) {
            host = h.to_owned();
        }
    }
    if !host.contains('.') {
        return None;
    }
    let segs: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("amp"))
        .map(|s| {
            s.strip_suffix(".amp.html")
                .or_else(|| s.strip_suffix(".amp"))
                .unwrap_or(s)
        })
        .collect();
    Some(format!("{host}/{}", segs.join("/")))
}

/// Whether two articles come from the same outlet (same outlet name or same domain).
pub fn same_outlet(a: &Meta, b: &Meta) -> bool {
    let by_name = match (a.source.as_deref(), b.source.as_deref()) {
        (Some(x), Some(y)) => outlet_key(x) == outlet_key(y) && !outlet_key(x).is_empty(),
        _ => false,
    };
    let by_domain = match (
        a.url.as_deref().and_then(domain_of),
        b.url.as_deref().and_then(domain_of),
    ) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    };
    by_name || by_domain
}

/// First bounded occurrence of `needle` (lower case) in `lower`.
fn find_bounded(lower: &str, needle: &str) -> Option<usize> {
    let b = lower.as_bytes();
    let mut from = 0;
    // memchr's vector search finds the same (leftmost) match as
    // `str::find`, several times faster (credit search was 5% of tracing).
    while let Some(k) = memchr::memmem::find(&b[from..], needle.as_bytes()) {
        let s = from + k;
        let e = s + needle.len();
        let alnum = |i: usize| b[i].is_ascii_alphanumeric();
        let left_ok = s == 0 || !alnum(s - 1) || !needle.as_bytes()[0].is_ascii_alphanumeric();
        let right_ok = e == b.len()
            || !alnum(e)
            || !needle.as_bytes()[needle.len() - 1].is_ascii_alphanumeric();
        if left_ok && right_ok {
            return Some(s);
        }
        from = s + needle.len().max(1);
        while !lower.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}

/// The trimmed line of `text` around `pos`, cut to [`SNIPPET_MAX`] bytes.
fn line_around(text: &str, pos: usize) -> String {
    let s = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let e = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let line = text[s..e].trim();
    if line.len() <= SNIPPET_MAX {
        return line.to_owned();
    }
    let mut cut = SNIPPET_MAX;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &line[..cut])
}

/// Where `text` names the outlet, URL or domain in `needles`, strongest first.
pub fn names(text: &str, lower: &str, needles: &Needles) -> Option<Credit> {
    let found = |kind, needle: &str| {
        find_bounded(lower, needle).map(|s| Credit {
            kind,
            snippet: line_around(text, s),
            start: s,
            end: s + needle.len(),
        })
    };
    needles
        .outlet
        .iter()
        .find_map(|n| found(CreditKind::Outlet, n))
        .or_else(|| {
            needles
                .url
                .as_deref()
                .and_then(|u| found(CreditKind::Url, u))
        })
        .or_else(|| {
            needles
                .domain
                .as_deref()
                .and_then(|d| found(CreditKind::Domain, d))
        })
}

/// The first republication line ("Read original article here") in `text`.
#[cfg(test)]
pub fn republication_line(
    text: &str,
    boilerplate: &crate::normalize::Boilerplate,
) -> Option<Credit> {
    republication_line_in(text, &boilerplate.removed(text))
}

/// The first republication line of `text` among its boilerplate ranges
/// `removed` ([`Boilerplate::removed_of`](crate::normalize::Boilerplate::removed_of)).
pub fn republication_line_in(text: &str, removed: &[std::ops::Range<usize>]) -> Option<Credit> {
    removed.iter().cloned().find_map(|r| {
        let lower = text[r.clone()].to_ascii_lowercase();
        REPUBLICATION.iter().find_map(|p| {
            lower.find(p).map(|k| {
                let s = r.start + k;
                Credit {
                    kind: CreditKind::RepublicationLine,
                    snippet: line_around(text, s),
                    start: s,
                    end: s + p.len(),
                }
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Boilerplate;

    fn meta(source: &str, url: &str) -> Meta {
        Meta {
            id: "x".into(),
            title: None,
            source: (!source.is_empty()).then(|| source.into()),
            url: (!url.is_empty()).then(|| url.into()),
            published: None,
            date_from: Default::default(),
            loc: crate::ingest::RecordLoc {
                file: 0,
                line: 0,
                start: 0,
                end: 0,
            },
        }
    }

    fn credit(text: &str, source: &str, url: &str) -> Option<CreditKind> {
        names(
            text,
            &text.to_ascii_lowercase(),
            &Needles::of(&meta(source, url)),
        )
        .map(|c| c.kind)
    }

    #[test]
    fn credit_line_names_the_outlet() {
        let t = "Body.\n\nCredit…Warrick Page for The New York Times\n";
        let c = names(
            t,
            &t.to_ascii_lowercase(),
            &Needles::of(&meta("The New York Times", "")),
        )
        .unwrap();
        assert_eq!(c.kind, CreditKind::Outlet);
        assert_eq!(c.snippet, "Credit…Warrick Page for The New York Times");
        assert_eq!(&t[c.start..c.end], "New York Times");
    }

    #[test]
    fn agency_forms() {
        assert_eq!(
            credit("WASHINGTON (AP) — The Senate", "AP", ""),
            Some(CreditKind::Outlet)
        );
        assert_eq!(
            credit("said, Reuters reported.", "Reuters", ""),
            Some(CreditKind::Outlet)
        );
        assert_eq!(credit("In Reutersville today", "Reuters", ""), None);
        assert_eq!(credit("The map of the area", "AP", ""), None);
    }

    #[test]
    fn url_and_domain() {
        let url = "https://www.nytimes.com/2022/04/01/world/asia/pakistan.html";
        assert_eq!(
            credit(
                "See nytimes.com/2022/04/01/world/asia/pakistan.html",
                "",
                url
            ),
            Some(CreditKind::Url)
        );
        assert_eq!(
            credit("First on NYTimes.com.", "", url),
            Some(CreditKind::Domain)
        );
        assert_eq!(credit("Nothing here", "", url), None);
        assert_eq!(
            domain_of("http://WWW.Example.org:8080/a"),
            Some("example.org".into())
        );
        assert_eq!(domain_of("not a url"), None);
    }

    #[test]
    fn republication_line_only_in_boilerplate() {
        let bp = Boilerplate::new(&[]).unwrap();
        let t = "Body text that is long enough.\n\nRead original article here\n";
        let c = republication_line(t, &bp).unwrap();
        assert_eq!(c.snippet, "Read original article here");
        let body = "He said he did not read original documents, only the summaries prepared by his staff for the hearing.";
        assert!(republication_line(body, &bp).is_none());
    }

    #[test]
    fn canonical_urls_of_amp_print_and_mobile_pages() {
        let c = |u: &str| canonical_url(u).unwrap();
        let base = c("https://www.example.com/world/story-123");
        for u in [
            "https://example.com/world/story-123/",
            "http://amp.example.com/world/story-123",
            "https://m.example.com/world/story-123?utm_source=x",
            "https://www.example.com/amp/world/story-123",
            "https://www.example.com/world/story-123/amp#top",
            "https://www.example.com/world/story-123.amp",
        ] {
            assert_eq!(c(u), base, "{u}");
        }
        assert_ne!(c("https://example.com/world/story-124"), base);
        assert_ne!(c("https://other.com/world/story-123"), base);
        assert_eq!(canonical_url("not a url"), None);
    }

    #[test]
    fn same_publisher_prefers_names_to_shared_domains() {
        assert!(same_publisher(&meta("The Times", ""), &meta("times", "")));
        assert!(!same_publisher(
            &meta("Reuters", "https://msn.com/a"),
            &meta("AP", "https://msn.com/b")
        ));
        assert!(same_publisher(
            &meta("", "https://a.example/x"),
            &meta("", "https://www.a.example/y")
        ));
    }

    #[test]
    fn same_outlet_by_name_or_domain() {
        assert!(same_outlet(&meta("The Times", ""), &meta("times", "")));
        assert!(same_outlet(
            &meta("A", "https://x.com/1"),
            &meta("B", "http://www.x.com/2")
        ));
        assert!(!same_outlet(&meta("A", ""), &meta("B", "")));
    }
}
