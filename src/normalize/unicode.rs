//! Unicode that copies cannot hide behind, and the scripts written without
//! spaces.
//!
//! A verbatim copy can differ from its source in code points alone: the
//! same letters in NFD instead of NFC (macOS file names, some CMSs), zero
//! width spaces or joiners and soft hyphens inside words (scrapers and
//! hyphenating renderers leave them), HTML entities left undecoded
//! (`&nbsp;`, `&eacute;`: feeds that double-encode), full-width Latin
//! letters (East Asian input methods), and Cyrillic or Greek look-alike
//! letters swapped into Latin words (a known trick against copy
//! detection; Latin ones into Cyrillic words, too). [`Prefold::apply`]
//! folds all of them before the ordinary folding of `normalize`:
//!
//! - HTML entities are decoded (named ones of HTML 4 and numeric ones); one
//!   that decodes to white space or a control is a space.
//! - Default-ignorable code points are dropped (soft hyphen, ZWSP, ZWNJ,
//!   ZWJ, word joiner, BOM, bidi controls, variation selectors): they never
//!   change what a reader sees.
//! - Characters whose NFKC form holds a letter or digit, or that may
//!   compose with the character before them, are replaced by their NFKC
//!   form (so NFD equals NFC, `ｆｕｌｌ` equals `full`, half-width katakana
//!   equal full-width). Characters whose NFKC form is only punctuation or
//!   space (no-break space, `…`) are left: folding separates words at them
//!   either way.
//! - In a text mixing Latin, Cyrillic and Greek letters inside one word,
//!   letters of the other scripts inside a word that holds letters of the
//!   text's main script are mapped to their look-alike in the main script
//!   (Unicode TR39's confusables, restricted to these three scripts, which
//!   is where the trick is played), and so are words made wholly of such
//!   look-alikes. Any other word wholly in another script (a Russian name
//!   quoted in an English story) is left alone.
//!
//! Text that needs none of this (checked once per text: pure ASCII with no
//! `&` is decided by two vectorised scans) is not copied.

use std::sync::LazyLock;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Whether `c` belongs to a script written without spaces between words
/// (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar). Folding makes each
/// such letter, with the marks that follow it, a word of its own, so word
/// n-grams over it are character n-grams: a Chinese or Japanese sentence
/// is otherwise one "word", and one changed character hides the whole
/// sentence from word shingles. Korean (Hangul) is written with spaces
/// between words and is folded by words.
#[inline]
pub fn is_spaceless(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF            // Thai, Lao
        | 0x1000..=0x109F          // Myanmar
        | 0x1780..=0x17FF          // Khmer
        | 0x19E0..=0x19FF          // Khmer symbols
        | 0x3005..=0x3007          // 々 〆 〇
        | 0x3021..=0x3029          // Hangzhou numerals
        | 0x3031..=0x3035          // kana repeat marks
        | 0x303B..=0x303C
        | 0x3040..=0x30FF          // Hiragana, Katakana
        | 0x31F0..=0x31FF          // Katakana extensions
        | 0x3400..=0x4DBF          // Han extension A
        | 0x4E00..=0x9FFF          // Han
        | 0xA9E0..=0xA9FF          // Myanmar extended-B
        | 0xAA60..=0xAA7F          // Myanmar extended-A
        | 0xF900..=0xFAFF          // Han compatibility
        | 0xFF66..=0xFF9F          // half-width Katakana
        | 0x20000..=0x3FFFF // Han extensions B and on
    )
}

/// Whether `c`, after a letter of a space-less script, belongs to that
/// letter's unit: combining marks (Thai and Lao vowel signs and tone
/// marks, Khmer and Myanmar signs) and the half-width voiced sound marks.
#[inline]
pub fn is_unit_mark(c: char) -> bool {
    c as u32 >= 0x300 && (is_combining_mark(c) || matches!(c, '\u{FF9E}' | '\u{FF9F}'))
}

/// Default-ignorable code points (Unicode's Default_Ignorable_Code_Point,
/// less the Hangul fillers that stand for letters' absence in old text):
/// dropped by [`Prefold::apply`].
pub fn is_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Whether prefolding changes `c` (see the module docs): ignorable, or an
/// NFKC form holding a letter or digit, or a mark that may compose with
/// the character before it.
fn changes(c: char) -> bool {
    if is_ignorable(c) {
        return true;
    }
    if matches!(c, '\u{E33}' | '\u{EB3}') {
        // Thai and Lao SARA AM: NFKC splits it into a mark and a letter,
        // which would move the mark onto the letter before it; every Thai
        // keyboard types it whole.
        return false;
    }
    match is_nfkc_quick(std::iter::once(c)) {
        IsNormalized::Yes => false,
        IsNormalized::Maybe => true,
        IsNormalized::No => c
            .to_string()
            .nfkc()
            .any(|m| m.is_alphanumeric() || is_combining_mark(m)),
    }
}

/// [`changes`] of every character of the Basic Multilingual Plane, one bit
/// each (8 KB, built on first use in a few milliseconds).
static CHANGES: LazyLock<Box<[u64; 1024]>> = LazyLock::new(|| {
    let mut bits = Box::new([0u64; 1024]);
    for cp in 0x80u32..0x10000 {
        if let Some(c) = char::from_u32(cp) {
            if changes(c) {
                bits[(cp >> 6) as usize] |= 1 << (cp & 63);
            }
        }
    }
    bits
});

/// [`changes`], by table in the BMP.
#[inline]
fn changes_fast(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x10000 {
        CHANGES[(cp >> 6) as usize] >> (cp & 63) & 1 == 1
    } else {
        changes(c)
    }
}

/// The scripts whose look-alike letters are folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters.
    Latin,
    /// Cyrillic letters.
    Cyrillic,
    /// Greek letters.
    Greek,
}

/// Per character of U+0080..U+07FF, what [`Prefold::of`] needs: its
/// confusable script in the low two bits (an index into [`SCRIPTS`]) and
/// [`PRE2_CHANGES`] when [`changes`] holds.
static PRE2: LazyLock<Box<[u8; 0x780]>> = LazyLock::new(|| {
    let mut t = Box::new([0u8; 0x780]);
    for cp in 0x80u32..0x800 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let mut e = match script_of(c) {
            None => 0,
            Some(Script::Latin) => 1,
            Some(Script::Greek) => 2,
            Some(Script::Cyrillic) => 3,
        };
        if changes(c) {
            e |= PRE2_CHANGES;
        }
        t[(cp - 0x80) as usize] = e;
    }
    t
});

/// See [`PRE2`].
const PRE2_CHANGES: u8 = 4;

/// The scripts of [`PRE2`]'s low bits.
const SCRIPTS: [Option<Script>; 4] = [
    None,
    Some(Script::Latin),
    Some(Script::Greek),
    Some(Script::Cyrillic),
];

/// The confusable script of a letter, if any (by table: Unicode's
/// alphabetic test is a search, and this runs on every character of every
/// text that is not plain ASCII).
#[inline]
fn script_of(c: char) -> Option<Script> {
    let cp = c as u32;
    let letter = || LETTERS2[(cp - 0x80) as usize] & ALPHA2 != 0;
    match cp {
        0x41..=0x5A | 0x61..=0x7A => Some(Script::Latin),
        0xC0..=0x24F => Some(Script::Latin).filter(|_| letter()),
        0x370..=0x3FF => Some(Script::Greek).filter(|_| letter()),
        0x400..=0x52F => Some(Script::Cyrillic).filter(|_| letter()),
        _ => None,
    }
}

/// Look-alike letters of Cyrillic and Greek for Latin ones (from Unicode
/// TR39's confusables.txt: the letters that render the same in common
/// fonts), as (other script, Latin).
const LOOKALIKES: &[(char, char)] = &[
    ('а', 'a'),
    ('в', 'b'),
    ('е', 'e'),
    ('к', 'k'),
    ('м', 'm'),
    ('н', 'h'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('т', 't'),
    ('у', 'y'),
    ('х', 'x'),
    ('і', 'i'),
    ('ј', 'j'),
    ('ѕ', 's'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('һ', 'h'),
    ('ӏ', 'l'),
    ('ɡ', 'g'),
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('У', 'Y'),
    ('Х', 'X'),
    ('І', 'I'),
    ('Ј', 'J'),
    ('Ѕ', 'S'),
    ('Ԁ', 'D'),
    ('Ԛ', 'Q'),
    ('Ԝ', 'W'),
    ('Һ', 'H'),
    ('Ӏ', 'I'),
    ('ο', 'o'),
    ('ν', 'v'),
    ('ρ', 'p'),
    ('ι', 'i'),
    ('κ', 'k'),
    ('υ', 'u'),
    ('α', 'a'),
    ('Α', 'A'),
    ('Β', 'B'),
    ('Ε', 'E'),
    ('Ζ', 'Z'),
    ('Η', 'H'),
    ('Ι', 'I'),
    ('Κ', 'K'),
    ('Μ', 'M'),
    ('Ν', 'N'),
    ('Ο', 'O'),
    ('Ρ', 'P'),
    ('Τ', 'T'),
    ('Υ', 'Y'),
    ('Χ', 'X'),
];

/// `c`'s look-alike in `main`, if it has one.
fn lookalike(c: char, main: Script) -> Option<char> {
    match (main, script_of(c)?) {
        (Script::Latin, Script::Latin) => None,
        (Script::Latin, _) => LOOKALIKES.iter().find(|p| p.0 == c).map(|p| p.1),
        // Latin letters into Cyrillic (or Greek) words: the reverse map,
        // to a letter of the main script.
        (main, Script::Latin) => LOOKALIKES
            .iter()
            .find(|p| p.1 == c && script_of(p.0) == Some(main))
            .map(|p| p.0),
        _ => None,
    }
}

/// What a text needs before folding; `None` from [`Prefold::of`] when
/// nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefold {
    /// The main script, when some word mixes confusable scripts.
    confusables: Option<Script>,
}

impl Prefold {
    /// What `text` needs: `None` when it holds no HTML entity, no character
    /// that [`Prefold::apply`] changes and no word mixing Latin, Cyrillic
    /// or Greek letters. One pass, vectorised over ASCII text.
    pub fn of(text: &str) -> Option<Prefold> {
        let b = text.as_bytes();
        if plain_run(b) == b.len() {
            return None;
        }
        let (mut needed, mut mixed) = (false, false);
        // The confusable script of the letter just before `i`, if any.
        let mut prev: Option<Script> = None;
        let mut i = 0;
        while i < b.len() {
            let x = b[i];
            if x < 0x80 {
                if x.is_ascii_alphabetic() && matches!(prev, Some(s) if s != Script::Latin) {
                    mixed = true;
                }
                let run = plain_run(&b[i..]);
                i += run;
                prev = (run > 0 && b[i - 1].is_ascii_alphabetic()).then_some(Script::Latin);
                if b.get(i) == Some(&b'&') {
                    needed |= entity(&text[i..]).is_some();
                    i += 1;
                    prev = None;
                }
                continue;
            }
            if (0xC2..0xE0).contains(&x) {
                // Two-byte characters by one table (the commonest case:
                // Cyrillic, Greek, accented Latin), no decoding.
                let pre2: &[u8; 0x780] = &PRE2;
                while let (Some(&x), Some(&y)) = (b.get(i), b.get(i + 1)) {
                    if !(0xC2..0xE0).contains(&x) {
                        break;
                    }
                    let cp = (u32::from(x & 0x1F) << 6) | u32::from(y & 0x3F);
                    let e = pre2[(cp - 0x80) as usize];
                    needed |= e & PRE2_CHANGES != 0;
                    let s = SCRIPTS[(e & 3) as usize];
                    if let (Some(a), Some(p)) = (s, prev) {
                        mixed |= a != p;
                    }
                    prev = s;
                    i += 2;
                }
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            needed |= changes_fast(c);
            let s = script_of(c);
            if let (Some(a), Some(p)) = (s, prev) {
                mixed |= a != p;
            }
            prev = s;
        }
        let confusables = mixed.then(|| main_script(text));
        (needed || mixed).then_some(Prefold { confusables })
    }

    /// Appends `s`, prefolded, to `out`.
    pub fn apply(&self, s: &str, out: &mut String) {
        let from = out.len();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let x = b[i];
            if x < 0x80 && x != b'&' {
                let run = plain_run(&b[i..]);
                out.push_str(&s[i..i + run]);
                i += run;
                continue;
            }
            if x == b'&' {
                match entity(&s[i..]) {
                    Some((c, n)) => {
                        push(
                            if c.is_whitespace() || c.is_control() {
                                ' '
                            } else {
                                c
                            },
                            out,
                        );
                        i += n;
                    }
                    None => {
                        out.push('&');
                        i += 1;
                    }
                }
                continue;
            }
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            push(c, out);
        }
        if let Some(main) = self.confusables {
            fold_confusables(out, from, main);
        }
    }
}

/// The length of the run of ASCII bytes other than `&` that `b` starts
/// with. English news is mostly ASCII with a curly quote, a currency sign
/// or an accented name here and there, so most texts that are not plain
/// ASCII are scanned here end to end: 32 bytes at a time with AVX2 where
/// the CPU has it (the eight-byte loop below was 1.3% of a 100k scan), then
/// eight at a time in plain integer arithmetic (SWAR), the reference.
fn plain_run(b: &[u8]) -> usize {
    #[cfg(target_arch = "x86_64")]
    if let Some(avx2) = super::x86_64::Avx2::detected() {
        // Where the vectors stopped: at a stop byte (the rest of the run is
        // then empty) or before the last bytes, which SWAR finishes.
        let k = avx2.plain_prefix(b);
        return k + plain_run_swar(&b[k..]);
    }
    plain_run_swar(b)
}

/// [`plain_run`] eight bytes at a time, in integer arithmetic.
fn plain_run_swar(b: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const AMP: u64 = 0x2626_2626_2626_2626;
    let mut k = 0;
    while let Some(chunk) = b.get(k..k + 8) {
        let v = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        // High bit of each byte that is `&` (exact: no borrow crosses a
        // byte, as the bytes compared are ASCII once high ones are out).
        let y = v ^ AMP;
        let amp = !((y & !HIGH).wrapping_add(!HIGH) | y | !HIGH);
        let stop = (v & HIGH) | amp;
        if stop != 0 {
            return k + (stop.trailing_zeros() / 8) as usize;
        }
        k += 8;
    }
    k + b[k..]
        .iter()
        .position(|&y| y >= 0x80 || y == b'&')
        .unwrap_or(b.len() - k)
}

/// Appends `c` to `out`: dropped if ignorable, in NFKC if that changes it
/// (composed with the characters before it when it is a combining mark).
fn push(c: char, out: &mut String) {
    if (c as u32) < 0x80 || !changes_fast(c) {
        out.push(c);
        return;
    }
    if is_ignorable(c) {
        return;
    }
    let mapped: String = std::iter::once(c).nfkc().collect();
    let combining = |m: char| {
        unicode_normalization::char::canonical_combining_class(m) != 0 || is_combining_mark(m)
    };
    if mapped.chars().next().is_some_and(combining) {
        // A mark (or what maps to one, as a half-width voiced sound mark
        // does): recompose with the last starter and the marks after it.
        let start = out
            .char_indices()
            .rev()
            .find(|&(_, p)| unicode_normalization::char::canonical_combining_class(p) == 0)
            .map_or(out.len(), |(k, _)| k);
        let mut seg: String = out[start..].to_owned();
        seg.push_str(&mapped);
        out.truncate(start);
        out.extend(seg.nfkc());
        return;
    }
    out.push_str(&mapped);
}

/// The commonest of Latin, Cyrillic and Greek among `text`'s letters
/// (Latin on a tie).
fn main_script(text: &str) -> Script {
    let mut n = [0usize; 3];
    for c in text.chars() {
        match script_of(c) {
            Some(Script::Latin) => n[0] += 1,
            Some(Script::Cyrillic) => n[1] += 1,
            Some(Script::Greek) => n[2] += 1,
            None => {}
        }
    }
    if n[1] > n[0] && n[1] >= n[2] {
        Script::Cyrillic
    } else if n[2] > n[0] && n[2] > n[1] {
        Script::Greek
    } else {
        Script::Latin
    }
}

/// Maps look-alike letters of other scripts to `main` in every word of
/// `out[from..]` that holds a letter of `main`.
fn fold_confusables(out: &mut String, from: usize, main: Script) {
    let text = out[from..].to_owned();
    out.truncate(from);
    let mut word_start = 0;
    let flush = |word: &str, out: &mut String| {
        // A word holding a letter of the main script, or made wholly of
        // look-alikes of its letters (a one-letter Russian preposition
        // typed in Latin: "c", "o"). Either way the same word always folds
        // the same way, so originals and copies agree.
        let has_main = word.chars().any(|c| script_of(c) == Some(main));
        let all_alike = !word.is_empty() && word.chars().all(|c| lookalike(c, main).is_some());
        if has_main || all_alike {
            out.extend(word.chars().map(|c| lookalike(c, main).unwrap_or(c)));
        } else {
            out.push_str(word);
        }
    };
    for (k, c) in text.char_indices() {
        if !c.is_alphanumeric() {
            flush(&text[word_start..k], out);
            out.push(c);
            word_start = k + c.len_utf8();
        }
    }
    flush(&text[word_start..], out);
}

/// The HTML entity at the start of `s` (which starts with `&`): the
/// character and the entity's length in bytes.
pub fn entity(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    debug_assert_eq!(b.first(), Some(&b'&'));
    let end = b.iter().take(12).position(|&x| x == b';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(v)?
    } else {
        ENTITIES
            .binary_search_by(|&(name, _)| name.cmp(body))
            .ok()
            .map(|k| ENTITIES[k].1)?
    };
    Some((c, end + 1))
}

/// Named entities: HTML 4's Latin-1, symbol and special sets, the ones
/// news feeds carry (sorted by name, for binary search).
static ENTITIES: &[(&str, char)] = &[
    ("AElig", 'Æ'),
    ("Aacute", 'Á'),
    ("Acirc", 'Â'),
    ("Agrave", 'À'),
    ("Aring", 'Å'),
    ("Atilde", 'Ã'),
    ("Auml", 'Ä'),
    ("Ccedil", 'Ç'),
    ("Dagger", '‡'),
    ("ETH", 'Ð'),
    ("Eacute", 'É'),
    ("Ecirc", 'Ê'),
    ("Egrave", 'È'),
    ("Euml", 'Ë'),
    ("Iacute", 'Í'),
    ("Icirc", 'Î'),
    ("Igrave", 'Ì'),
    ("Iuml", 'Ï'),
    ("Ntilde", 'Ñ'),
    ("OElig", 'Œ'),
    ("Oacute", 'Ó'),
    ("Ocirc", 'Ô'),
    ("Ograve", 'Ò'),
    ("Oslash", 'Ø'),
    ("Otilde", 'Õ'),
    ("Ouml", 'Ö'),
    ("Scaron", 'Š'),
    ("THORN", 'Þ'),
    ("Uacute", 'Ú'),
    ("Ucirc", 'Û'),
    ("Ugrave", 'Ù'),
    ("Uuml", 'Ü'),
    ("Yacute", 'Ý'),
    ("Yuml", 'Ÿ'),
    ("aacute", 'á'),
    ("acirc", 'â'),
    ("acute", '´'),
    ("aelig", 'æ'),
    ("agrave", 'à'),
    ("amp", '&'),
    ("apos", '\''),
    ("aring", 'å'),
    ("atilde", 'ã'),
    ("auml", 'ä'),
    ("bdquo", '„'),
    ("brvbar", '¦'),
    ("bull", '•'),
    ("ccedil", 'ç'),
    ("cedil", '¸'),
    ("cent", '¢'),
    ("copy", '©'),
    ("curren", '¤'),
    ("dagger", '†'),
    ("deg", '°'),
    ("divide", '÷'),
    ("eacute", 'é'),
    ("ecirc", 'ê'),
    ("egrave", 'è'),
    ("emsp", '\u{2003}'),
    ("ensp", '\u{2002}'),
    ("eth", 'ð'),
    ("euml", 'ë'),
    ("euro", '€'),
    ("frac12", '½'),
    ("frac14", '¼'),
    ("frac34", '¾'),
    ("gt", '>'),
    ("hellip", '…'),
    ("iacute", 'í'),
    ("icirc", 'î'),
    ("iexcl", '¡'),
    ("igrave", 'ì'),
    ("iquest", '¿'),
    ("iuml", 'ï'),
    ("laquo", '«'),
    ("ldquo", '“'),
    ("lrm", '\u{200E}'),
    ("lsaquo", '‹'),
    ("lsquo", '‘'),
    ("lt", '<'),
    ("macr", '¯'),
    ("mdash", '—'),
    ("micro", 'µ'),
    ("middot", '·'),
    ("nbsp", '\u{A0}'),
    ("ndash", '–'),
    ("not", '¬'),
    ("ntilde", 'ñ'),
    ("oacute", 'ó'),
    ("ocirc", 'ô'),
    ("oelig", 'œ'),
    ("ograve", 'ò'),
    ("ordf", 'ª'),
    ("ordm", 'º'),
    ("oslash", 'ø'),
    ("otilde", 'õ'),
    ("ouml", 'ö'),
    ("para", '¶'),
    ("permil", '‰'),
    ("plusmn", '±'),
    ("pound", '£'),
    ("quot", '"'),
    ("raquo", '»'),
    ("rdquo", '”'),
    ("reg", '®'),
    ("rlm", '\u{200F}'),
    ("rsaquo", '›'),
    ("rsquo", '’'),
    ("sbquo", '‚'),
    ("scaron", 'š'),
    ("sect", '§'),
    ("shy", '\u{AD}'),
    ("sup1", '¹'),
    ("sup2", '²'),
    ("sup3", '³'),
    ("szlig", 'ß'),
    ("thinsp", '\u{2009}'),
    ("thorn", 'þ'),
    ("times", '×'),
    ("trade", '™'),
    ("uacute", 'ú'),
    ("ucirc", 'û'),
    ("ugrave", 'ù'),
    ("uml", '¨'),
    ("uuml", 'ü'),
    ("yacute", 'ý'),
    ("yen", '¥'),
    ("yuml", 'ÿ'),
    ("zwj", '\u{200D}'),
    ("zwnj", '\u{200C}'),
];

/// Per character of U+0080..U+07FF (the two-byte UTF-8 range: Latin-1,
/// Latin Extended, IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic), what
/// the two-byte fast path of folding needs: [`SIMPLE2`] when the character
/// is a letter or digit whose lower case is one character of this range
/// (all but `İ`, `ß`, `ς` and a few with three-byte lower cases), then
/// [`UPPER2`], [`DIGIT2`] and the lower case's code point in the low 16
/// bits; and [`ALPHA2`] for every alphabetic character.
pub(super) static LETTERS2: LazyLock<Box<[u32; 0x780]>> = LazyLock::new(|| {
    let mut t = Box::new([0u32; 0x780]);
    for cp in 0x80u32..0x800 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        if c.is_alphabetic() {
            t[(cp - 0x80) as usize] |= ALPHA2;
        }
        if !c.is_alphanumeric() || matches!(c, 'ß' | 'ς') {
            continue;
        }
        let mut lower = c.to_lowercase();
        let (Some(l), None) = (lower.next(), lower.next()) else {
            continue;
        };
        if !(0x80..0x800).contains(&(l as u32)) {
            continue;
        }
        let mut e = t[(cp - 0x80) as usize] | SIMPLE2 | l as u32;
        if c.is_uppercase() {
            e |= UPPER2;
        }
        if c.is_numeric() {
            e |= DIGIT2;
        }
        t[(cp - 0x80) as usize] = e;
    }
    t
});

/// See [`LETTERS2`].
pub(super) const SIMPLE2: u32 = 1 << 31;
/// See [`LETTERS2`].
pub(super) const UPPER2: u32 = 1 << 30;
/// See [`LETTERS2`].
pub(super) const DIGIT2: u32 = 1 << 29;
/// In [`LETTERS2`]: the character is alphabetic (whether or not simple).
pub(super) const ALPHA2: u32 = 1 << 28;

#[cfg(test)]
mod tests {
    use super::*;

    fn pre(s: &str) -> String {
        let mut out = String::new();
        match Prefold::of(s) {
            Some(p) => p.apply(s, &mut out),
            None => out.push_str(s),
        }
        out
    }

    #[test]
    fn clean_text_needs_nothing() {
        assert_eq!(Prefold::of("plain ASCII, AT & T."), None);
        assert_eq!(Prefold::of("Москва — «столица» России"), None);
        assert_eq!(Prefold::of("東京都は２０日"), Prefold::of("x&amp;y"));
        assert_eq!(Prefold::of("中国政府は20日、発表した。"), None);
        assert_eq!(Prefold::of("école, café\u{a0}noir"), None);
    }

    #[test]
    fn nfd_composes_to_nfc() {
        assert_eq!(pre("cafe\u{301} e\u{301}cole"), "café école");
    }

    #[test]
    fn ignorables_dropped() {
        assert_eq!(
            pre("wo\u{200b}rd sof\u{ad}tly jo\u{200d}in\u{feff}ed"),
            "word softly joined"
        );
    }

    #[test]
    fn entities_decoded() {
        assert_eq!(
            pre("a&nbsp;b &amp; c&eacute;l&#233;bre &#x41;&lt;"),
            "a b & célébre A<"
        );
        assert_eq!(pre("AT&T &unknown; &"), "AT&T &unknown; &");
        assert_eq!(pre("sof&shy;tly"), "softly");
    }

    #[test]
    fn full_width_and_half_width() {
        assert_eq!(pre("ＦＵＬＬ ｗｉｄｔｈ １２"), "FULL width 12");
        assert_eq!(pre("ｶﾞｲﾄﾞ"), "ガイド");
    }

    #[test]
    fn lookalikes_in_a_words_of_the_main_script() {
        // Cyrillic а, е, о inside English words.
        assert_eq!(
            pre("The governm\u{435}nt s\u{430}id \u{43e}n Monday, Путин said."),
            "The government said on Monday, Путин said."
        );
        // Latin a, o, p inside Russian words.
        assert_eq!(
            pre("Прaвительствo сообщило, сказал Trump."),
            "Правительство сообщило, сказал Trump."
        );
    }

    /// [`Prefold::of`] the plain way: every character decoded and tested.
    fn reference_of(text: &str) -> Option<Prefold> {
        let (mut needed, mut mixed, mut prev) = (false, false, None);
        for (i, c) in text.char_indices() {
            if c == '&' {
                needed |= entity(&text[i..]).is_some();
            } else if !c.is_ascii() {
                needed |= changes(c);
            }
            let s = if c.is_alphabetic() {
                script_of(c)
            } else {
                None
            };
            if let (Some(a), Some(p)) = (s, prev) {
                mixed |= a != p;
            }
            prev = s;
        }
        let confusables = mixed.then(|| main_script(text));
        (needed || mixed).then_some(Prefold { confusables })
    }

    proptest::proptest! {
        #[test]
        fn of_equals_the_plain_test(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", " ", ".", "&amp;", "&", "&x;", "é", "e\u{301}", "ж", "Ж", "а", "ο", "β",
                "ß", "\u{ad}", "\u{200b}", "\u{a0}", "Ｆ", "東", "ｶ", "ﾞ", "١", "ا", "ǅ", "ª",
            ]), 0..40),
        ) {
            let s = parts.concat();
            proptest::prop_assert_eq!(Prefold::of(&s), reference_of(&s), "{:?}", s);
        }
    }

    #[test]
    fn plain_run_stops_at_the_first_wide_byte_or_ampersand() {
        let want = |b: &[u8]| {
            b.iter()
                .position(|&y| y >= 0x80 || y == b'&')
                .unwrap_or(b.len())
        };
        let texts: [&[u8]; 6] = [
            b"",
            b"plain ascii text with no stop at all",
            b"0123456&89",
            "0123456789abcdé".as_bytes(),
            "&é".as_bytes(),
            b"%'&&\x7f\x00 &",
        ];
        for t in texts {
            for k in 0..t.len() {
                assert_eq!(plain_run(&t[k..]), want(&t[k..]), "{t:?} from {k}");
                assert_eq!(plain_run_swar(&t[k..]), want(&t[k..]), "{t:?} from {k}");
            }
        }
        // Every byte at every place of texts around the 32-byte vectors
        // and the 8-byte words (both paths, and the vector one's tail).
        for len in [12, 31, 32, 33, 70, 100] {
            for b in 0..=255u8 {
                for at in 0..len {
                    let mut v = vec![b'a'; len];
                    v[at] = b;
                    assert_eq!(plain_run(&v), want(&v), "{b} at {at} of {len}");
                    assert_eq!(plain_run_swar(&v), want(&v), "{b} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn entity_table_is_sorted() {
        assert!(ENTITIES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn letters2_table() {
        let e = LETTERS2[('Ж' as u32 - 0x80) as usize];
        assert!(e & SIMPLE2 != 0 && e & UPPER2 != 0);
        assert_eq!(e & 0xFFFF, 'ж' as u32);
        assert_eq!(LETTERS2[('İ' as u32 - 0x80) as usize], ALPHA2);
        assert_eq!(LETTERS2[('ß' as u32 - 0x80) as usize], ALPHA2);
        for cp in 0x80..0x800 {
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(
                    LETTERS2[(cp - 0x80) as usize] & ALPHA2 != 0,
                    c.is_alphabetic()
                );
            }
        }
        assert_eq!(LETTERS2[('\u{301}' as u32 - 0x80) as usize], 0);
    }
}
