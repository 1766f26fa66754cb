//! Copy transformations: how republished versions differ from the original.

use std::borrow::Cow;

use super::lexicon::Lexicon;
use super::outlets::{self, Outlet};
use super::rng::Rng;
use super::story::{self, count_words, Doc, Event};
use super::words;

/// A reporter name for bylines.
pub(crate) fn author(rng: &mut Rng) -> String {
    format!(
        "{} {}",
        rng.pick(words::FIRST_NAMES),
        rng.pick(words::LAST_NAMES)
    )
}

/// Boilerplate of `dst` republishing an article of `src`.
pub(crate) struct Wrap<'a> {
    /// The republishing outlet.
    pub dst: &'a Outlet,
    /// The original outlet.
    pub src: &'a Outlet,
    /// Long date shown in headers.
    pub date: &'a str,
}

impl Wrap<'_> {
    fn header(&self, rng: &mut Rng) -> Vec<String> {
        let (a, b) = (author(rng), author(rng));
        self.dst
            .header
            .iter()
            .map(|t| outlets::fill(t, self.dst, self.src, &a, &b, self.date))
            .collect()
    }

    fn footer(&self, rng: &mut Rng, credit: bool) -> Vec<String> {
        let (a, b) = (author(rng), author(rng));
        let mut out = Vec::new();
        if credit && !self.dst.credit.is_empty() {
            out.push(outlets::fill(
                self.dst.credit,
                self.dst,
                self.src,
                &a,
                &b,
                self.date,
            ));
        }
        out.extend(
            self.dst
                .footer
                .iter()
                .map(|t| outlets::fill(t, self.dst, self.src, &a, &b, self.date)),
        );
        out
    }

    fn title(&self, title: &str) -> String {
        format!("{title}{}", self.dst.title_suffix)
    }
}

fn join(parts: &[String]) -> String {
    parts.join("\n\n")
}

/// Exact text wrapped in the outlet's header, credit line and footer.
pub(crate) fn verbatim(doc: &Doc, w: &Wrap, rng: &mut Rng) -> (String, String) {
    let mut parts = w.header(rng);
    parts.extend(doc.paras.iter().cloned());
    parts.extend(w.footer(rng, true));
    (w.title(&doc.title), join(&parts))
}

/// The first paragraphs (at least 30% of the words); returns the share of
/// the original's words kept.
pub(crate) fn excerpt(doc: &Doc, w: &Wrap, rng: &mut Rng) -> (String, String, f64) {
    let total = doc.words.max(1);
    let target = rng.uniform(0.3, 0.8);
    let mut kept = 0;
    let mut k = 0;
    while k < doc.paras.len() && (kept as f64) < target * total as f64 {
        kept += count_words(&doc.paras[k]);
        k += 1;
    }
    if k == doc.paras.len() && k > 1 {
        let last = count_words(&doc.paras[k - 1]);
        if (kept - last) as f64 >= 0.3 * total as f64 {
            k -= 1;
            kept -= last;
        }
    }
    let mut parts = w.header(rng);
    parts.extend(doc.paras[..k].iter().cloned());
    if rng.chance(0.6) {
        parts.push(match rng.below(3) {
            0 => format!("Read more at {}", w.src.name),
            1 => format!("Continue reading at {}", w.src.domain),
            _ => format!("Read the full story at {}.", w.src.name),
        });
    }
    if rng.chance(0.5) {
        parts.extend(w.footer(rng, false));
    }
    (
        w.title(&doc.title),
        join(&parts),
        kept as f64 / total as f64,
    )
}

/// Words in all paragraphs (`Doc::words` leaves out a wire's credit line).
fn all_words(doc: &Doc) -> usize {
    doc.paras.iter().map(|p| count_words(p)).sum()
}

/// Words of a lede excerpt's parent, and the share of them it keeps.
const LEDE_WORDS: std::ops::RangeInclusive<usize> = 400..=900;
const LEDE_SHARE: (f64, f64) = (0.10, 0.30);

/// How many leading paragraphs a lede excerpt of `doc` may keep: the
/// counts `k` in 1..=3 whose first `k` paragraphs hold 10-30% of the words
/// (`None` unless the story has 400-900 words and such a `k` exists).
pub(crate) fn lede_counts(doc: &Doc) -> Option<(usize, usize)> {
    let total = all_words(doc);
    if !LEDE_WORDS.contains(&total) || doc.paras.len() < 4 {
        return None;
    }
    let total = total as f64;
    let mut kept = 0;
    let mut fits = None;
    for k in 1..=3 {
        kept += count_words(&doc.paras[k - 1]);
        let share = kept as f64 / total;
        if share > LEDE_SHARE.1 {
            break;
        }
        if share >= LEDE_SHARE.0 {
            fits = Some(fits.map_or((k, k), |(lo, _)| (lo, k)));
        }
    }
    fits
}

/// The first 1-3 paragraphs (10-30% of the words, see [`lede_counts`]),
/// then a "read more" line pointing at the original; returns the share of
/// the original's words kept. `url` is the original's address.
pub(crate) fn lede_excerpt(
    doc: &Doc,
    (lo, hi): (usize, usize),
    url: &str,
    w: &Wrap,
    rng: &mut Rng,
) -> (String, String, f64) {
    let k = rng.range(lo, hi);
    let kept: usize = doc.paras[..k].iter().map(|p| count_words(p)).sum();
    let mut parts = w.header(rng);
    parts.extend(doc.paras[..k].iter().cloned());
    parts.push(match rng.below(8) {
        0 => format!("Read more at {}", w.src.name),
        1 => format!("Continue reading: {url}"),
        2 => "Read the full story".to_string(),
        3 => format!("Read the full story at {}.", w.src.domain),
        4 => format!("Continue reading on {} \u{bb}", w.src.name),
        5 => format!("Full story: {url}"),
        6 => format!(
            "This is an excerpt. Read the full article at {}.",
            w.src.name
        ),
        _ => "Click here to continue reading.".to_string(),
    });
    if rng.chance(0.7) {
        parts.extend(w.footer(rng, false));
    }
    (
        w.title(&doc.title),
        join(&parts),
        kept as f64 / all_words(doc).max(1) as f64,
    )
}

/// Some paragraphs kept verbatim (at least one), the others (at least one)
/// rewritten: spun at `p.rate` or replaced by new sentences on the same
/// event. Returns the share of the original's words in the paragraphs kept.
pub(crate) fn partial_verbatim(
    doc: &Doc,
    ev: &Event,
    lex: &Lexicon,
    p: &SpinParams,
    w: &Wrap,
    rng: &mut Rng,
) -> (String, String, f64) {
    let n = doc.paras.len();
    let keep_n = ((rng.uniform(0.3, 0.7) * n as f64).round() as usize).clamp(1, n.max(2) - 1);
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut keep = vec![false; n];
    for &i in &order[..keep_n.min(n)] {
        keep[i] = true;
    }
    let mut parts = w.header(rng);
    let mut kept = 0;
    let mut st = SpinStats::default();
    for (i, para) in doc.paras.iter().enumerate() {
        if keep[i] {
            kept += count_words(para);
            parts.push(para.clone());
            continue;
        }
        let mut new = if rng.chance(0.6) {
            spin(std::slice::from_ref(para), lex, p, rng, &mut st)
                .pop()
                .unwrap_or_default()
        } else {
            String::new()
        };
        if new.is_empty() || new == *para {
            new = story::fresh_paragraph(ev, lex, rng, count_words(para).max(12));
        }
        parts.push(new);
    }
    if rng.chance(0.5) {
        parts.extend(w.footer(rng, true));
    }
    let title = if rng.chance(0.5) {
        w.title(&doc.title)
    } else {
        story::headline(ev, lex, rng)
    };
    (
        title,
        join(&parts),
        kept as f64 / all_words(doc).max(1) as f64,
    )
}

/// New headline, new byline and dateline, one paragraph added.
pub(crate) fn light_edit(
    doc: &Doc,
    ev: &Event,
    lex: &Lexicon,
    w: &Wrap,
    rng: &mut Rng,
) -> (String, String) {
    let title = story::headline(ev, lex, rng);
    let mut paras: Vec<String> = doc.paras.clone();
    if let Some(first) = paras.first_mut() {
        // Replace the dateline ("CITY, March 5 (Agency) - ").
        if let Some(pos) = first.find(" - ") {
            if pos < 80 {
                let body = first[pos + 3..].to_string();
                *first = match rng.below(3) {
                    0 => body,
                    1 => format!("{} ({}) - {body}", ev.city().to_uppercase(), w.dst.name),
                    _ => format!("{} - {body}", ev.city()),
                };
            }
        }
    }
    let extra = story::background(ev, lex, rng);
    let at = rng.range(1, paras.len());
    paras.insert(at, extra);
    let byline = match rng.below(3) {
        0 => format!("By {}", author(rng)),
        1 => format!("By {}, {} staff writer", author(rng), w.dst.name),
        _ => format!("{} | {}", author(rng), w.date),
    };
    paras.insert(0, byline);
    if rng.chance(0.5) {
        paras.extend(w.footer(rng, false));
    }
    (title, join(&paras))
}

/// Paragraphs in a different order.
pub(crate) fn reorder(doc: &Doc, w: &Wrap, rng: &mut Rng) -> (String, String) {
    let mut paras = doc.paras.clone();
    if paras.len() >= 2 {
        let orig = paras.clone();
        rng.shuffle(&mut paras);
        if paras == orig {
            paras.swap(0, 1);
        }
    }
    if rng.chance(0.5) {
        paras.extend(w.footer(rng, true));
    }
    (w.title(&doc.title), join(&paras))
}

/// Spinner settings.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SpinParams {
    /// Probability of replacing a thesaurus content word.
    pub rate: f64,
    /// Probability, per word, of swapping it with the next word.
    pub swap_rate: f64,
    /// Probability, per sentence, of dropping it.
    pub drop_rate: f64,
    /// Probability, per sentence, of merging it with the next one.
    pub merge_rate: f64,
}

/// What the spinner did.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SpinStats {
    /// Content words that had synonyms.
    pub candidates: usize,
    /// Of those, how many were replaced.
    pub substituted: usize,
    /// Function words replaced.
    pub function_substituted: usize,
    /// Adjacent-word swaps.
    pub swapped: usize,
    /// Sentences dropped.
    pub dropped: usize,
    /// Sentence merges.
    pub merged: usize,
}

impl SpinStats {
    /// Fraction of candidate words replaced.
    pub(crate) fn rate(&self) -> f64 {
        if self.candidates == 0 {
            0.0
        } else {
            self.substituted as f64 / self.candidates as f64
        }
    }
}

/// Splits a paragraph into sentences: a boundary is `.`, `?` or `!`
/// (optionally followed by a closing quote) then a space and an uppercase
/// letter or an opening quote.
pub(crate) fn split_sentences(para: &str) -> Vec<&str> {
    let b = para.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if matches!(b[i], b'.' | b'?' | b'!') {
            let mut end = i + 1;
            if end < b.len() && b[end] == b'"' {
                end += 1;
            }
            if end + 1 < b.len()
                && b[end] == b' '
                && (b[end + 1].is_ascii_uppercase() || b[end + 1] == b'"')
            {
                out.push(&para[start..end]);
                start = end + 1;
                i = start;
                continue;
            }
        }
        i += 1;
    }
    if start < b.len() {
        out.push(&para[start..]);
    }
    out
}

struct Tok<'a> {
    lead: &'a str,
    core: &'a str,
    trail: &'a str,
    cap: bool,
}

impl Tok<'_> {
    fn plain(&self) -> bool {
        self.lead.is_empty()
            && self.trail.is_empty()
            && !self.cap
            && self.core.bytes().all(|c| c.is_ascii_lowercase())
    }
}

fn split_token(t: &str) -> Tok<'_> {
    let start = t.find(|c: char| c.is_alphanumeric()).unwrap_or(t.len());
    let end = t
        .rfind(|c: char| c.is_alphanumeric())
        .map(|i| i + t[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(start);
    let end = end.max(start);
    Tok {
        lead: &t[..start],
        core: &t[start..end],
        trail: &t[end..],
        cap: false,
    }
}

fn other_member<'a>(group: &'a [String], current: &str, rng: &mut Rng) -> Option<&'a str> {
    let n = group.len();
    if n < 2 {
        return None;
    }
    let pos = group.iter().position(|g| g == current);
    let mut i = rng.below(n - usize::from(pos.is_some()));
    if let Some(p) = pos {
        if i >= p {
            i += 1;
        }
    }
    Some(&group[i])
}

fn spin_sentence(
    sent: &str,
    lex: &Lexicon,
    p: &SpinParams,
    rng: &mut Rng,
    st: &mut SpinStats,
    out: &mut String,
) {
    let mut lower = String::new();
    let mut toks: Vec<Tok> = Vec::with_capacity(32);
    for (i, raw) in sent.split(' ').enumerate() {
        let mut t = split_token(raw);
        let core = t.core;
        let is_lower = !core.is_empty()
            && core
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c == b'-' || c == b'\'');
        let initial_cap = i == 0
            && core.len() > 1
            && core.as_bytes()[0].is_ascii_uppercase()
            && core.bytes().skip(1).all(|c| c.is_ascii_lowercase())
            && !lex.is_name(core);
        let key: &str = if is_lower {
            core
        } else if initial_cap {
            lower.clear();
            lower.push_str(core);
            lower.make_ascii_lowercase();
            &lower
        } else {
            ""
        };
        if !key.is_empty() {
            if let Some(g) = lex.synonyms(key) {
                st.candidates += 1;
                if rng.chance(p.rate) {
                    if let Some(rep) = other_member(g, key, rng) {
                        st.substituted += 1;
                        t.core = rep;
                        t.cap = initial_cap;
                    }
                }
            } else if lex.is_function(key) && rng.chance(p.rate * 0.1) {
                if let Some(rep) = lex
                    .function_synonyms(key)
                    .and_then(|g| other_member(g, key, rng))
                {
                    st.function_substituted += 1;
                    t.core = rep;
                    t.cap = initial_cap;
                }
            }
        }
        toks.push(t);
    }
    let mut i = 1;
    while i + 1 < toks.len() {
        if p.swap_rate > 0.0 && toks[i].plain() && toks[i + 1].plain() && rng.chance(p.swap_rate) {
            toks.swap(i, i + 1);
            st.swapped += 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(t.lead);
        if t.cap {
            let start = out.len();
            out.push_str(t.core);
            story::cap_first(out, start);
        } else {
            out.push_str(t.core);
        }
        out.push_str(t.trail);
    }
}

fn lower_first_if_known<'a>(s: &'a str, lex: &Lexicon) -> Cow<'a, str> {
    let word = s.split(' ').next().unwrap_or("");
    if word.len() > 1 && word.as_bytes()[0].is_ascii_uppercase() {
        let lw = word.to_ascii_lowercase();
        if lex.is_known(&lw) && !lex.is_name(word) {
            return Cow::Owned(format!("{lw}{}", &s[word.len()..]));
        }
    }
    Cow::Borrowed(s)
}

/// Spins paragraphs: drops and merges sentences, replaces content words by
/// synonyms at `p.rate` (function words at a tenth of it), swaps adjacent
/// words; names, numbers and capitalised words are left alone.
pub(crate) fn spin(
    paras: &[String],
    lex: &Lexicon,
    p: &SpinParams,
    rng: &mut Rng,
    st: &mut SpinStats,
) -> Vec<String> {
    let mut out = Vec::with_capacity(paras.len());
    for (pi, para) in paras.iter().enumerate() {
        let sents = split_sentences(para);
        let mut kept: Vec<Cow<str>> = Vec::with_capacity(sents.len());
        let mut i = 0;
        while i < sents.len() {
            let s = sents[i];
            let remaining = sents.len() - i - 1 + kept.len();
            if !(pi == 0 && i == 0) && remaining > 0 && rng.chance(p.drop_rate) {
                st.dropped += 1;
                i += 1;
                continue;
            }
            if i + 1 < sents.len()
                && s.ends_with('.')
                && !s.ends_with(".\"")
                && !sents[i + 1].starts_with('"')
                && rng.chance(p.merge_rate)
            {
                let next = lower_first_if_known(sents[i + 1], lex);
                kept.push(Cow::Owned(format!("{}, and {next}", &s[..s.len() - 1])));
                st.merged += 1;
                i += 2;
                continue;
            }
            kept.push(Cow::Borrowed(s));
            i += 1;
        }
        let mut text = String::with_capacity(para.len() + 16);
        for (k, s) in kept.iter().enumerate() {
            if k > 0 {
                text.push(' ');
            }
            spin_sentence(s, lex, p, rng, st, &mut text);
        }
        out.push(text);
    }
    out
}

/// Spun copy of a whole article (title spun too).
pub(crate) fn spun(
    doc: &Doc,
    lex: &Lexicon,
    p: &SpinParams,
    w: &Wrap,
    rng: &mut Rng,
) -> (String, String, SpinStats) {
    let mut st = SpinStats::default();
    let mut paras = spin(&doc.paras, lex, p, rng, &mut st);
    let mut title_st = SpinStats::default();
    let title_p = SpinParams {
        drop_rate: 0.0,
        merge_rate: 0.0,
        ..*p
    };
    let title = spin(
        std::slice::from_ref(&doc.title),
        lex,
        &title_p,
        rng,
        &mut title_st,
    )
    .pop()
    .unwrap_or_default();
    if rng.chance(0.5) {
        paras.extend(w.footer(rng, false));
    }
    (title, join(&paras), st)
}

/// OCR-like noise at `rate` per letter or digit: rn->m, m->rn, l->1, 0->o,
/// letter confusions, dropped and doubled letters, broken hyphenation.
pub(crate) fn ocr(text: &str, rate: f64, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 20);
    let mut chars = text.chars().peekable();
    let mut prev_alpha = false;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if c == 'r' && next == Some('n') && rng.chance((rate * 5.0).min(1.0)) {
            out.push('m');
            chars.next();
            prev_alpha = true;
            continue;
        }
        if !c.is_ascii_alphanumeric() || !rng.chance(rate) {
            out.push(c);
            prev_alpha = c.is_alphabetic();
            continue;
        }
        let confusion = match c {
            'm' => Some("rn"),
            'l' => Some("1"),
            'I' => Some("l"),
            '1' => Some("l"),
            '0' => Some("o"),
            'O' => Some("0"),
            'o' => Some("0"),
            'e' => Some("c"),
            'h' => Some("b"),
            'S' => Some("5"),
            'B' => Some("8"),
            'c' => Some("e"),
            _ => None,
        };
        let next_alpha = next.is_some_and(|n| n.is_alphabetic());
        match (confusion, rng.below(10)) {
            (Some(s), 0..=5) => out.push_str(s),
            (_, 0..=3) => {} // dropped
            (_, 4..=7) => {
                out.push(c);
                out.push(c);
            }
            _ if prev_alpha && next_alpha => {
                out.push(c);
                out.push_str("- ");
            }
            _ => out.push(c),
        }
        prev_alpha = c.is_alphabetic();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_split() {
        let p = "He said 3.5% was fine. \"It is,\" she said. \"Yes.\" Then it ended! ok";
        assert_eq!(
            split_sentences(p),
            vec![
                "He said 3.5% was fine.",
                "\"It is,\" she said.",
                "\"Yes.\"",
                "Then it ended! ok"
            ]
        );
    }

    #[test]
    fn spinner_keeps_names_and_numbers() {
        let lex = Lexicon::new();
        let mut rng = Rng::new(1);
        let p = SpinParams {
            rate: 1.0,
            swap_rate: 0.0,
            drop_rate: 0.0,
            merge_rate: 0.0,
        };
        let mut st = SpinStats::default();
        let s = vec!["Maria Novak raised prices by 4.5% in Paris on Tuesday.".to_string()];
        let out = spin(&s, &lex, &p, &mut rng, &mut st);
        assert!(
            out[0].starts_with("Maria Novak ") && out[0].contains("4.5% in Paris on Tuesday."),
            "{}",
            out[0]
        );
        assert!(
            !out[0].contains("raised") && !out[0].contains("prices"),
            "{}",
            out[0]
        );
        assert_eq!(st.candidates, 2);
        assert_eq!(st.substituted, 2);
    }

    #[test]
    fn ocr_noise_rate() {
        let mut rng = Rng::new(5);
        let text = "the quick brown fox jumps over the lazy dog and returns home ".repeat(200);
        let noisy = ocr(&text, 0.02, &mut rng);
        assert_ne!(noisy, text);
        let diff = text.len().abs_diff(noisy.len()) as f64 / text.len() as f64;
        assert!(diff < 0.05, "{diff}");
    }
}
