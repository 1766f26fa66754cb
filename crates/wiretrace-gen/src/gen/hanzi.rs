//! Generated text in a script written without spaces: English words
//! mapped, one by one, to Chinese characters (`--language zh`, `mixed`).
//!
//! The generator writes English; a copy is made from its parent's English
//! text, and the whole article is mapped at the end, word by word, by a
//! fixed function of the word. So every relation between articles (the
//! same text, a word replaced by a synonym, a sentence dropped, letters
//! garbled by OCR) holds between their Chinese forms too, but as Chinese
//! text: no spaces, sentence marks 。 and ，, names and numbers in Latin and
//! digits inside the Han text (as Chinese news writes foreign names,
//! acronyms and figures). The characters carry no meaning; what matters to
//! detection is that a word is one to three characters, that function
//! words map to a few very common characters (as 的, 是, 在 are in real
//! Chinese), and that no space separates words.

/// Very common characters, for function words.
const COMMON: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经";

/// How an article's language is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Every article in English (the default).
    #[default]
    English,
    /// Every article in (generated) Chinese.
    Chinese,
    /// Each story, by its cluster id, in English or Chinese, half and half.
    Mixed,
}

impl Language {
    /// Parses `en`, `zh` or `mixed`.
    pub fn parse(s: &str) -> Option<Language> {
        match s {
            "en" => Some(Language::English),
            "zh" => Some(Language::Chinese),
            "mixed" => Some(Language::Mixed),
            _ => None,
        }
    }

    /// Whether the article of story `cluster` is written in Chinese.
    pub fn chinese(self, cluster: &str) -> bool {
        match self {
            Language::English => false,
            Language::Chinese => true,
            Language::Mixed => xxhash_rust::xxh3::xxh3_64(cluster.as_bytes()) & 1 == 1,
        }
    }
}

/// English function words (mapped to one common character each).
const FUNCTION: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "is", "are", "was",
    "were", "be", "been", "by", "with", "from", "as", "that", "this", "it", "its", "he", "she",
    "they", "we", "his", "her", "their", "said", "says", "will", "would", "has", "have", "had",
    "not", "more", "than", "after", "before", "over", "into", "about",
];

/// `text` in generated Chinese (see the module docs), all but its
/// furniture: a line of fewer than ten words that does not end a sentence
/// (a byline, a credit line, "Read more") stays as it is, as outlets'
/// templates keep their own furniture whatever the story's language, and
/// as wiretrace's boilerplate rules, written for it, should still see it.
pub fn to_chinese(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let t = line.trim_end();
        let furniture = t.split_whitespace().count() < 10 && !t.ends_with(['.', '!', '?', '"']);
        if furniture {
            out.push_str(line);
        } else {
            out.push_str(&line_to_chinese(line));
        }
    }
    out
}

/// One line of text in generated Chinese.
fn line_to_chinese(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let common: Vec<char> = COMMON.chars().collect();
    // Whether the next word opens a sentence (names are words capitalised
    // elsewhere), and whether the last thing written was Han.
    let (mut sentence_start, mut last_han) = (true, false);
    let mut i = 0;
    let b = text.as_bytes();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            let j = i + b[i..]
                .iter()
                .position(|x| !x.is_ascii_alphanumeric())
                .unwrap_or(b.len() - i);
            let w = &text[i..j];
            let latin = w.bytes().any(|x| x.is_ascii_digit())
                || (w.bytes().next().is_some_and(|x| x.is_ascii_uppercase()) && !sentence_start)
                || (w.len() > 1 && w.bytes().all(|x| x.is_ascii_uppercase()));
            if latin {
                if last_han {
                    out.push(' ');
                }
                out.push_str(w);
                last_han = false;
            } else {
                if !last_han && out.ends_with(|c: char| c.is_ascii_alphanumeric()) {
                    out.push(' ');
                }
                han(&w.to_ascii_lowercase(), &common, &mut out);
                last_han = true;
            }
            sentence_start = false;
            i = j;
            continue;
        }
        let ch = text[i..].chars().next().expect("a char boundary");
        i += ch.len_utf8();
        match ch {
            ' ' => {
                if !last_han && !out.is_empty() && !out.ends_with([' ', '\n']) {
                    out.push(' ');
                }
                continue;
            }
            '.' | '!' | '?' => {
                out.push('。');
                sentence_start = true;
            }
            ',' | ';' => out.push('，'),
            ':' => {
                out.push('：');
                sentence_start = true;
            }
            '"' | '“' | '”' => out.push('“'),
            '\'' | '’' => {}
            '\n' => {
                out.push('\n');
                sentence_start = true;
            }
            other => out.push(other),
        }
        last_han = true;
    }
    out
}

/// Appends the characters of one lower-case English word.
fn han(w: &str, common: &[char], out: &mut String) {
    let h = xxhash_rust::xxh3::xxh3_64(w.as_bytes());
    if FUNCTION.contains(&w) {
        out.push(common[(h % common.len() as u64) as usize]);
        return;
    }
    let n = match w.len() {
        0..=2 => 1,
        3..=8 => 2,
        _ => 3,
    };
    for k in 0..n {
        // 3,500 characters from the start of the CJK block: about the
        // number in everyday use.
        let v = (h >> (k * 16)) % 3500;
        out.push(char::from_u32(0x4E00 + v as u32).expect("a CJK code point"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_han_and_names_stay() {
        assert_eq!(line_to_chinese("river bank").chars().count(), 4);
        let t =
            to_chinese("The minister met Imran Khan in Lahore on 3 May. Talks lasted, he said.");
        assert!(t.contains("Imran"), "{t}");
        assert!(!t.contains("minister") && t.contains("Imran Khan") && t.contains("Lahore"));
        assert!(t.contains('。') && t.contains('，') && t.contains(" 3 "));
        // The same word, the same characters; no space between Han words.
        let once = line_to_chinese("the river bank rose.");
        assert_eq!(once, line_to_chinese("the river bank rose."));
        assert_eq!(to_chinese("the river bank rose."), once);
        // Furniture stays.
        assert_eq!(
            to_chinese("By Jane Doe, Meridian Press"),
            "By Jane Doe, Meridian Press"
        );
    }

    #[test]
    fn mixed_is_half_and_half() {
        let n = (0..1000)
            .filter(|i| Language::Mixed.chinese(&format!("c{i}")))
            .count();
        assert!((400..600).contains(&n), "{n}");
    }
}
