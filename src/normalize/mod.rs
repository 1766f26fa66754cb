//! Article text -> `NormText`: boilerplate dropped, case and punctuation folded.
//!
//! The fingerprint must see what copies share and ignore what republishers
//! change for free: letter case, typographic quotes and dashes, spacing,
//! thousands separators, and their own furniture (credit lines, share
//! prompts, datelines; see [`boilerplate`]). The result is lower-case words
//! joined by single spaces, so a word n-gram is one contiguous slice and
//! can be hashed without allocating.
//!
//! Folding rules: letters and digits are kept, lower-cased with Unicode's
//! case mapping (plus `ß` -> `ss`, `ς` -> `σ`, so the case-folded forms
//! agree); combining accents are dropped; an apostrophe between letters is
//! dropped (`don't` -> `dont`, `Pakistan’s` -> `pakistans`) because
//! spinners and CMSs swap straight and curly ones; a comma or dot between
//! digits is dropped (`1,200` -> `1200`); everything else separates words.

pub mod boilerplate;

pub use boilerplate::Boilerplate;

/// Normalized text: lower-case words separated by single spaces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NormText {
    /// The folded words, single-space separated, no leading or trailing space.
    pub text: String,
}

impl NormText {
    /// The words, in order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.text.split(' ').filter(|w| !w.is_empty())
    }
}

/// Normalizes article text; built once per scan and shared by threads.
#[derive(Debug, Clone)]
pub struct Normalizer {
    boilerplate: Boilerplate,
}

impl Normalizer {
    /// A normalizer with the built-in boilerplate rules and `extra` user patterns.
    ///
    /// Fails with the index and message of a user pattern that does not compile.
    pub fn new(extra: &[String]) -> Result<Self, (usize, String)> {
        Ok(Normalizer {
            boilerplate: Boilerplate::new(extra)?,
        })
    }

    /// The boilerplate rules in use.
    pub fn boilerplate(&self) -> &Boilerplate {
        &self.boilerplate
    }

    /// Normalizes `text` into `out` (cleared first), reusing its buffer.
    pub fn normalize_into(&self, text: &str, out: &mut NormText) {
        out.text.clear();
        out.text.reserve(text.len());
        for r in self.boilerplate.kept(text) {
            fold_into(&text[r], &mut out.text);
        }
        if out.text.ends_with(' ') {
            out.text.pop();
        }
    }

    /// Normalizes `text`.
    pub fn normalize(&self, text: &str) -> NormText {
        let mut out = NormText::default();
        self.normalize_into(text, &mut out);
        out
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`')
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Folds `s` and appends it to `out`, which holds either nothing or words
/// ending with a single space. Leaves a trailing space after the last word.
pub fn fold_into(s: &str, out: &mut String) {
    let mut chars = s.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                prev = Some(c);
                continue;
            }
        } else if c.is_alphanumeric() {
            match c {
                'ß' | 'ẞ' => out.push_str("ss"),
                'ς' => out.push('σ'),
                _ => out.extend(c.to_lowercase()),
            }
            prev = Some(c);
            continue;
        } else if is_combining(c) {
            continue;
        }
        let between = |f: fn(char) -> bool| prev.is_some_and(f) && next.is_some_and(f);
        if is_apostrophe(c) && between(char::is_alphabetic) {
            continue;
        }
        if matches!(c, ',' | '.') && between(|ch| ch.is_ascii_digit()) {
            continue;
        }
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        prev = None;
    }
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        Normalizer::new(&[]).unwrap().normalize(s).text
    }

    #[test]
    fn folds_case_punctuation_and_space() {
        assert_eq!(
            norm("Hello,   World!  It's  “fine” — really."),
            "hello world its fine really"
        );
    }

    #[test]
    fn unicode_case_folding() {
        assert_eq!(norm("STRASSE Straße ΟΔΟΣ Όλα"), "strasse strasse οδοσ όλα");
        assert_eq!(norm("ÉCOLE école"), "école école");
    }

    #[test]
    fn combining_accents_dropped() {
        assert_eq!(norm("cafe\u{0301} cafe"), "cafe cafe");
    }

    #[test]
    fn curly_and_straight_apostrophes_agree() {
        assert_eq!(norm("Pakistan’s"), norm("Pakistan's"));
    }

    #[test]
    fn digit_separators() {
        assert_eq!(
            norm("1,200 people and 3.5 percent. Then 4, 5."),
            "1200 people and 35 percent then 4 5"
        );
    }

    #[test]
    fn boilerplate_dropped_and_lines_joined() {
        let t = "Headline here\n\nCredit…Someone for The Times\n\nLONDON (Reuters) — Body text.\n\nRead original article here\n\nLeave a Comment";
        assert_eq!(norm(t), "headline here body text");
    }

    #[test]
    fn nul_and_control_are_separators() {
        assert_eq!(norm("a\0b\tc\u{7}d"), "a b c d");
    }

    #[test]
    fn empty_and_punctuation_only() {
        assert_eq!(norm(""), "");
        assert_eq!(norm("!!! ... ---"), "");
    }
}
