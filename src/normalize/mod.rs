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

/// Normalized text: lower-case words separated by single spaces, and the
/// hashes of its anchor words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NormText {
    /// The folded words, single-space separated, no leading or trailing space.
    pub text: String,
    /// Anchors: hashes of consecutive pairs of anchor words, sorted, unique.
    /// Anchor words are numbers and words capitalised mid-sentence (names),
    /// except month and weekday names, which are capitalised by convention.
    ///
    /// Copies keep them, in order: reprints carry names and figures over,
    /// and spinning tools replace words from a thesaurus, which has neither.
    /// Templated news (earnings, results, weather) differs in exactly them;
    /// pairs rather than single words, because a template refilled with
    /// other small numbers repeats many of them by chance, but rarely the
    /// same two in a row.
    pub anchors: Vec<u64>,
}

/// Seed of anchor hashes (fixed: anchors are compared only with anchors).
pub const ANCHOR_SEED: u64 = 0x414e_4348_4f52;

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
        out.anchors.clear();
        out.text.reserve(text.len());
        for r in self.boilerplate.kept(text) {
            fold_words(&text[r], &mut out.text, Some(&mut out.anchors));
        }
        if out.text.ends_with(' ') {
            out.text.pop();
        }
        pair_up(&mut out.anchors);
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
    fold_words(s, out, None);
}

/// Replaces a sequence of anchor word hashes by the sorted, unique hashes
/// of its consecutive pairs (a single word stands for itself).
fn pair_up(words: &mut Vec<u64>) {
    if words.len() >= 2 {
        for i in 0..words.len() - 1 {
            let mut b = [0u8; 16];
            b[..8].copy_from_slice(&words[i].to_le_bytes());
            b[8..].copy_from_slice(&words[i + 1].to_le_bytes());
            words[i] = xxhash_rust::xxh3::xxh3_64_with_seed(&b, ANCHOR_SEED);
        }
        words.pop();
    }
    words.sort_unstable();
    words.dedup();
}

/// Letters and digits that OCR confuses, folded together.
fn ocr_fold(b: u8) -> u8 {
    match b {
        b'0' => b'o',
        b'1' | b'i' | b'!' => b'l',
        b'5' => b's',
        b'8' => b'b',
        b'e' => b'c',
        other => other,
    }
}

/// Hash of an anchor word: its first four characters (bytes), with
/// OCR-confusable characters folded together. Scanned copies garble a
/// letter here and there ("Caraeas", "2O24"); a prefix with confusables
/// folded survives most of that, and two different names or figures in
/// the same slot of a template rarely share it.
fn anchor_hash(w: &str) -> u64 {
    let mut b = [0u8; 4];
    let n = w.len().min(4);
    for (d, &s) in b.iter_mut().zip(&w.as_bytes()[..n]) {
        *d = ocr_fold(s);
    }
    xxhash_rust::xxh3::xxh3_64_with_seed(&b[..n], ANCHOR_SEED)
}

/// Capitalised by convention, not names: never anchors.
const CALENDAR: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Where a word being folded stands.
#[derive(Default)]
struct WordState {
    start: usize,
    capital: bool,
    digit: bool,
    sentence_initial: bool,
}

/// [`fold_into`], also pushing the hashes of anchor words (numbers, and
/// capitalised words that do not open a sentence) to `anchors`.
fn fold_words(s: &str, out: &mut String, mut anchors: Option<&mut Vec<u64>>) {
    let b = s.as_bytes();
    let char_at = |i: usize| -> Option<char> {
        match b.get(i) {
            None => None,
            Some(&x) if x < 0x80 => Some(x as char),
            Some(_) => s.get(i..).and_then(|t| t.chars().next()),
        }
    };
    let mut prev: Option<char> = None;
    // A line starts a sentence; so does the word after . ! ? : or a quote.
    let mut sentence_start = true;
    let mut word: Option<WordState> = None;
    let mut end_word = |out: &mut String, word: &mut Option<WordState>| {
        if let (Some(w), Some(a)) = (word.take(), anchors.as_deref_mut()) {
            let folded = &out[w.start..];
            if w.digit || (w.capital && !w.sentence_initial && !is_calendar(folded)) {
                a.push(anchor_hash(folded));
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x.is_ascii_alphanumeric() {
            // Fast path: a run of ASCII letters and digits.
            let w = word.get_or_insert_with(|| {
                let w = WordState {
                    start: out.len(),
                    capital: x.is_ascii_uppercase(),
                    sentence_initial: sentence_start,
                    ..Default::default()
                };
                sentence_start = false;
                w
            });
            let run = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                w.digit |= b[i].is_ascii_digit();
                out.push(b[i].to_ascii_lowercase() as char);
                i += 1;
            }
            prev = Some(b[i - 1] as char);
            debug_assert!(i > run);
            continue;
        }
        let Some(c) = char_at(i) else { break };
        i += c.len_utf8();
        if !c.is_ascii() && c.is_alphanumeric() {
            let w = word.get_or_insert_with(|| {
                let w = WordState {
                    start: out.len(),
                    capital: c.is_uppercase(),
                    sentence_initial: sentence_start,
                    ..Default::default()
                };
                sentence_start = false;
                w
            });
            w.digit |= c.is_numeric();
            match c {
                'ß' | 'ẞ' => out.push_str("ss"),
                'ς' => out.push('σ'),
                _ => out.extend(c.to_lowercase()),
            }
            prev = Some(c);
            continue;
        }
        if is_combining(c) {
            continue;
        }
        let next = char_at(i);
        let between = |f: fn(char) -> bool| prev.is_some_and(f) && next.is_some_and(f);
        if is_apostrophe(c) && between(char::is_alphabetic) {
            continue;
        }
        if matches!(c, ',' | '.') && between(|ch| ch.is_ascii_digit()) {
            continue;
        }
        if matches!(
            c,
            '.' | '!' | '?' | ':' | '"' | '“' | '”' | '«' | '»' | '\n'
        ) {
            sentence_start = true;
        }
        end_word(out, &mut word);
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        prev = None;
    }
    end_word(out, &mut word);
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// Whether a folded word is a month or weekday name (see [`CALENDAR`]).
fn is_calendar(w: &str) -> bool {
    (3..=9).contains(&w.len()) && CALENDAR.contains(&w)
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

    fn anchors(s: &str) -> Vec<u64> {
        Normalizer::new(&[]).unwrap().normalize(s).anchors
    }

    fn hash(w: &str) -> u64 {
        anchor_hash(w)
    }

    #[test]
    fn anchors_are_names_and_numbers_not_sentence_starts() {
        let a = anchors(
            "The minister met Imran Khan in Lahore on Monday. Talks lasted 3 hours, said Khan.",
        );
        let mut words = vec![
            hash("imran"),
            hash("khan"),
            hash("lahore"),
            hash("3"),
            hash("khan"),
        ];
        pair_up(&mut words);
        assert_eq!(a, words);
        assert_eq!(a.len(), 4);
    }

    #[test]
    fn one_anchor_stands_for_itself() {
        assert_eq!(anchors("It rained in Oslo."), vec![hash("oslo")]);
    }

    #[test]
    fn anchors_ignore_case_of_copies() {
        assert_eq!(
            anchors("He paid $1,200 to Acme Corp."),
            anchors("he paid $1200 to ACME CORP")
        );
    }

    #[test]
    fn empty_and_punctuation_only() {
        assert_eq!(norm(""), "");
        assert_eq!(norm("!!! ... ---"), "");
    }
}
