//! An HTML news page -> its main text, headline, outlet, publication date
//! and canonical URL.
//!
//! The main text is found by `dom_smoothie`, a port of Mozilla's
//! Readability (the reader view of Firefox): it scores blocks by their
//! text, commas and link density and keeps the best one with its
//! siblings, dropping navigation, share bars, comment threads, related
//! links and footers. Those are the parts of a news page that every outlet
//! has and that are not the story, so two outlets' copies of one wire story
//! differ in them most. (Measured against one alternative on the pages in
//! `testdata/formats/pages`; see the README's Input section.)
//!
//! The date is the page's own: `article:published_time`, JSON-LD
//! `datePublished` (both read by dom_smoothie), else the first
//! `<time datetime>`; a page with none is left undated here, and a WARC
//! record's crawl date stands in for it (`formats::DateFrom::Crawl`).

use regex::Regex;
use std::sync::OnceLock;

/// What a page yields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The main text, paragraphs separated by blank lines.
    pub text: String,
    /// The headline.
    pub title: Option<String>,
    /// The outlet (`og:site_name`, JSON-LD publisher).
    pub site: Option<String>,
    /// The publication date as the page writes it.
    pub published: Option<String>,
    /// `<link rel="canonical">`.
    pub canonical: Option<String>,
    /// The byline.
    pub byline: Option<String>,
}

/// The most elements a page may have for its main text to be looked for:
/// a news page has a few thousand; a page of hundreds of thousands is an
/// archive listing or generated, and scoring it would hold a core for
/// seconds.
const MAX_ELEMENTS: usize = 60_000;

/// Extracts the main text and metadata of `page` (found at `url`, if known).
/// Never fails: a page with no main text gives an empty `text`.
pub fn extract(page: &str, url: Option<&str>) -> Extracted {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        max_elements_to_parse: MAX_ELEMENTS,
        ..Default::default()
    };
    // A URL that does not parse is no reason to lose the page.
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let doc = dom_query::Document::from(page);
    doc.select(furniture()).remove();
    let article = dom_smoothie::Readability::with_document(doc.clone(), url, Some(cfg.clone()))
        .or_else(|_| dom_smoothie::Readability::with_document(doc, None, Some(cfg)))
        .ok()
        .and_then(|mut r| r.parse().ok());
    let mut out = Extracted {
        canonical: canonical(page),
        ..Default::default()
    };
    if let Some(a) = article {
        out.text = tidy(&a.text_content);
        out.title = Some(a.title.trim().to_owned()).filter(|t| !t.is_empty());
        out.site = a
            .site_name
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        out.published = a.published_time.filter(|s| !s.trim().is_empty());
        out.byline = a
            .byline
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
    }
    if out.published.is_none() {
        out.published = json_ld_date(page).or_else(|| time_datetime(page));
    }
    out
}

/// Containers no story is inside, by the words in their class or id:
/// newsletter sign-ups, promos, paywall notes, widgets, trending and
/// most-read lists, share bars, ads, sidebars, related links, classifieds,
/// cookie banners and subscribe prompts. These are
/// the names the common news CMSs (WordPress themes, Arc, Brightspot,
/// Drupal) give them; Readability's own list misses several (`promo`,
/// `newsletter`, `paywall`, `widget`, `trending`), and on the test pages
/// kept them as siblings of the story (F1 0.87 without this pass, 0.98
/// with it: README, Input). Removed before the main text is looked for.
fn furniture() -> &'static str {
    static SEL: OnceLock<String> = OnceLock::new();
    SEL.get_or_init(|| {
        // Not `comment` (an opinion page's `commentary` body) nor
        // `weather` (a weather story's own class): Readability scores
        // comment threads down itself.
        const WORDS: [&str; 17] = [
            "newsletter",
            "promo",
            "paywall",
            "widget",
            "trending",
            "most-read",
            "share",
            "social",
            "advert",
            "ad-slot",
            "sidebar",
            "side-column",
            "related",
            "more-from",
            "classified",
            "cookie",
            "subscribe",
        ];
        WORDS
            .iter()
            .flat_map(|w| [format!("[class*=\"{w}\"]"), format!("[id*=\"{w}\"]")])
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// Lines trimmed, runs of blank lines cut to one: paragraphs stay apart
/// (the lede pass and excerpts read the opening paragraph) and the text
/// has no layout whitespace.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(&line);
        blank = false;
    }
    out
}

fn canonical(page: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"(?i)<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*>"#).expect("valid regex")
    });
    let tag = re.find(head(page))?.as_str();
    attr(tag, "href")
}

/// The first `datePublished` in the page's JSON-LD blocks, however deep
/// (a `@graph` of WebSite, WebPage and NewsArticle, as Yoast and most
/// WordPress news sites write it, which dom_smoothie does not search).
fn json_ld_date(page: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"(?is)<script[^>]*application/ld\+json[^>]*>(.*?)</script>"#)
            .expect("valid regex")
    });
    fn find(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Object(m) => m
                .get("datePublished")
                .and_then(|d| d.as_str().map(str::to_owned))
                .or_else(|| m.values().find_map(find)),
            serde_json::Value::Array(a) => a.iter().find_map(find),
            _ => None,
        }
    }
    re.captures_iter(page).find_map(|c| {
        let v: serde_json::Value = serde_json::from_str(c.get(1)?.as_str().trim()).ok()?;
        find(&v)
    })
}

fn time_datetime(page: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r#"(?i)<time\b[^>]*>"#).expect("valid regex"));
    re.find_iter(page)
        .find_map(|m| attr(m.as_str(), "datetime"))
}

/// The page up to its `<body>` (where `<link>` belongs), or its first 64 KB.
fn head(page: &str) -> &str {
    let end = page.len().min(64 << 10);
    let end = (0..=end)
        .rev()
        .find(|&i| page.is_char_boundary(i))
        .unwrap_or(0);
    &page[..end]
}

/// The value of attribute `name` in one tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(k) = lower[from..].find(name) {
        let i = from + k;
        from = i + name.len();
        if i > 0 && !lower.as_bytes()[i - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let v = match rest.chars().next()? {
            q @ ('"' | '\'') => rest[1..].split(q).next()?,
            _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
        };
        let v = v.trim();
        return (!v.is_empty()).then(|| v.replace("&amp;", "&"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_in_any_quoting() {
        assert_eq!(
            attr(
                r#"<link rel="canonical" href="https://a.example/x?a=1&amp;b=2">"#,
                "href"
            )
            .as_deref(),
            Some("https://a.example/x?a=1&b=2")
        );
        assert_eq!(
            attr("<time datetime=2024-01-02>", "datetime").as_deref(),
            Some("2024-01-02")
        );
        assert_eq!(attr("<a data-href='x'>", "href"), None);
    }

    #[test]
    fn tidy_keeps_paragraphs_apart() {
        assert_eq!(tidy("  a  b \n\n\n c\n d "), "a b\n\nc\nd");
    }
}

#[cfg(test)]
mod pages {
    use super::*;

    fn pages_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/formats/pages")
    }

    /// The test pages (testdata/formats/pages, with the snippets each must
    /// and must not yield): every body snippet kept, navigation, share
    /// bars, promos and footers dropped; snippet F1 as HTML extractors are
    /// measured (trafilatura's evaluation) at least 0.95; titles and dates
    /// from the page metadata.
    #[test]
    fn boilerplate_is_removed_from_the_test_pages() {
        let snips: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(pages_dir().join("snippets.json")).unwrap(),
        )
        .unwrap();
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (mut tp, mut fp, mut missed) = (0, 0, 0);
        for (file, s) in snips.as_object().unwrap() {
            let page = std::fs::read_to_string(pages_dir().join(file)).unwrap();
            let got = extract(&page, None);
            let text = norm(&got.text);
            for w in s["with"].as_array().unwrap() {
                if text.contains(&norm(w.as_str().unwrap())) {
                    tp += 1;
                } else {
                    missed += 1;
                }
            }
            for w in s["without"].as_array().unwrap() {
                fp += usize::from(text.contains(&norm(w.as_str().unwrap())));
            }
            assert_eq!(got.title.as_deref(), s["title"].as_str(), "{file}");
            let want = crate::ingest::parse_timestamp(s["published"].as_str().unwrap());
            let date = got
                .published
                .as_deref()
                .and_then(crate::ingest::parse_timestamp);
            assert_eq!(date, want, "{file}: {:?}", got.published);
        }
        assert_eq!(missed, 0, "body snippets lost");
        let (p, r) = (
            tp as f64 / (tp + fp) as f64,
            tp as f64 / (tp + missed) as f64,
        );
        let f1 = 2.0 * p * r / (p + r);
        assert!(
            f1 >= 0.95,
            "F1 {f1:.3} (precision {p:.3}, {fp} furniture snippets kept)"
        );
    }

    #[test]
    fn canonical_url_is_read() {
        let page = std::fs::read_to_string(pages_dir().join("harbour.html")).unwrap();
        assert_eq!(
            extract(&page, None).canonical.as_deref(),
            Some("https://coastal-ledger.example/news/2024/03/harbour-dredging")
        );
    }
}
