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
//!
//! Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao,
//! Khmer, Myanmar) are folded one letter to a word, with the marks after it
//! ([`unicode::is_spaceless`]), so word n-grams over them are character
//! n-grams; other scripts (Latin, Cyrillic, Greek, Arabic, Hebrew, Hangul,
//! Devanagari...) are folded by words. Text that is not plain ASCII, or
//! holds an `&`, is first checked for what copies hide behind (NFD, zero
//! width characters, soft hyphens, HTML entities, full-width letters,
//! look-alike letters of another script: [`unicode::Prefold`]) and folded
//! out of it; plain ASCII text pays two vectorised scans for that.

pub mod boilerplate;
pub mod unicode;
mod window;
#[cfg(target_arch = "x86_64")]
mod x86_64;

pub use boilerplate::Boilerplate;
pub use unicode::{is_spaceless, Prefold};
use unicode::{is_unit_mark, DIGIT2, LETTERS2, SIMPLE2, UPPER2};
use window::{fold_window, Masks, WIDTH};

thread_local! {
    /// A text's kept lines prefolded (see `Normalizer::fold_body`), and
    /// where each ends: one buffer per thread, kept between texts.
    static PREFOLDED: std::cell::RefCell<(String, Vec<usize>)> =
        const { std::cell::RefCell::new((String::new(), Vec::new())) };
}

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
    /// The hash of each word of `text`, in order ([`word_hash`]). Word
    /// shingles are built from these, so each word is hashed once, where it
    /// is folded, and `text` is not scanned again.
    pub words: Vec<u64>,
    /// Figures: hashes of the runs of consecutive words that hold a digit
    /// (`6-3/16` folds to `6 3 16`, one figure; `April 22, 1992` gives
    /// `22 1992`), sorted, unique: amounts, dates, scores, rates.
    ///
    /// Copies keep every figure as it was (a spinner's thesaurus has no
    /// numbers); templated and recurring items (a daily money-market
    /// notice, one template's dividend notices) differ in little else.
    /// Whole words, unlike anchors' four-byte prefixes, so that 6-3/16
    /// and 6-1/4, or 1.5 and 1.25 billion, stay apart; whole runs, because
    /// the digits of fractions (`1`, `4`, `8`) are shared by chance.
    pub figures: Vec<u64>,
}

/// Seed of anchor hashes (fixed: anchors are compared only with anchors).
pub const ANCHOR_SEED: u64 = 0x414e_4348_4f52;

/// Seed of word hashes (fixed: n-gram hashes are seeded when words are combined).
pub const WORD_SEED: u64 = 0x574f_5244;

/// The hash of one folded word: xxh3, seeded with [`WORD_SEED`], of the
/// word's bytes zero-padded to 8 when it is shorter (folded words hold no
/// zero bytes, so padding keeps words apart).
///
/// Why pad: most words are 1 to 8 bytes, and xxh3 picks one of three
/// code paths by length (1-3, 4-8, 9-16), a branch the CPU mispredicts on
/// nearly every word of running text. Padded, every short word takes the
/// 8-byte path, which inlines to a few operations on one masked 8-byte
/// load of the folded text (`word_hash_padded`).
pub fn word_hash(w: &[u8]) -> u64 {
    let n = w.len();
    if n <= 8 {
        let mut b = [0u8; 8];
        b[..n].copy_from_slice(w);
        word_hash_padded(u64::from_le_bytes(b))
    } else if n <= 16 {
        let at = |i: usize| u64::from_le_bytes(w[i..i + 8].try_into().expect("8 bytes"));
        word_hash_9to16(at(0), at(n - 8), n)
    } else {
        xxhash_rust::xxh3::xxh3_64_with_seed(w, WORD_SEED)
    }
}

/// [`word_hash`] of a word of 9 to 16 bytes, given as its first and its
/// last 8 bytes (little-endian; they overlap below 16) and its length:
/// xxh3's 9-16 byte path, written out with [`WORD_SEED`] and xxh3's
/// default secret, so that a word's hash is one inlined multiply away
/// from the 8-byte loads the folding already makes. A quarter of the words
/// of English news are this long; through `xxh3_64_with_seed` each paid a
/// call and the dispatch on its length (`word_hash` was 2% of a scan).
/// Equal to xxh3 by test (`long_word_hash_is_xxh3`).
#[inline(always)]
fn word_hash_9to16(first: u64, last: u64, n: usize) -> u64 {
    // Bytes 24..56 of xxh3's default secret (kSecret), as the 9-16 path
    // reads them.
    const SECRET: [u64; 4] = [
        0x1f67_b3b7_a4a4_4072,
        0x78e5_c0cc_4ee6_79cb,
        0x2172_ffcc_7dd0_5a82,
        0x8e24_43f7_7446_08b8,
    ];
    let lo = first ^ (SECRET[0] ^ SECRET[1]).wrapping_add(WORD_SEED);
    let hi = last ^ (SECRET[2] ^ SECRET[3]).wrapping_sub(WORD_SEED);
    let product = u128::from(lo) * u128::from(hi);
    let acc = (n as u64)
        .wrapping_add(lo.swap_bytes())
        .wrapping_add(hi)
        .wrapping_add(product as u64 ^ (product >> 64) as u64);
    // xxh3's avalanche.
    let v = (acc ^ (acc >> 37)).wrapping_mul(0x1656_6791_9E37_79F9);
    v ^ (v >> 32)
}

/// [`word_hash`] of a word of at most 8 bytes, given as its little-endian
/// bytes zero-padded to a u64.
#[inline(always)]
fn word_hash_padded(v: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(&v.to_le_bytes(), WORD_SEED)
}

impl NormText {
    /// A `NormText` of text that is already folded (words separated by
    /// single spaces), with its word hashes and no anchors.
    pub fn from_folded(text: &str) -> Self {
        let text = text
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let words = text
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| word_hash(w.as_bytes()))
            .collect();
        NormText {
            text,
            anchors: Vec::new(),
            words,
            figures: Vec::new(),
        }
    }

    /// The words, in order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.text.split(' ').filter(|w| !w.is_empty())
    }
}

/// Normalizes article text; built once per scan and shared by threads.
#[derive(Debug, Clone)]
pub struct Normalizer {
    boilerplate: Boilerplate,
    calendar: WordSet,
    classifier: Classifier,
}

impl Normalizer {
    /// A normalizer with the built-in boilerplate rules and `extra` user patterns.
    ///
    /// Fails with the index and message of a user pattern that does not compile.
    pub fn new(extra: &[String]) -> Result<Self, (usize, String)> {
        Ok(Normalizer {
            boilerplate: Boilerplate::new(extra)?,
            calendar: WordSet::of(CALENDAR),
            classifier: Classifier::detect(),
        })
    }

    /// The boilerplate rules in use.
    pub fn boilerplate(&self) -> &Boilerplate {
        &self.boilerplate
    }

    /// Normalizes `text` into `out` (cleared first), reusing its buffer.
    pub fn normalize_into(&self, text: &str, out: &mut NormText) {
        self.fold_body(text, out, true);
        pair_up(&mut out.anchors);
        figure_runs(&mut out.figures, &out.words);
    }

    /// [`Normalizer::normalize_into`] without anchors and figures: the same
    /// text and word hashes, for callers that only shingle (exact counts).
    pub fn words_into(&self, text: &str, out: &mut NormText) {
        self.fold_body(text, out, false);
    }

    /// Folds the kept lines of body `text` into `out`, with the anchor
    /// words and figure positions when `anchors`.
    fn fold_body(&self, text: &str, out: &mut NormText, anchors: bool) {
        let kept = self.boilerplate.kept(text);
        match Prefold::of(text) {
            None => self.fold_parts(kept.into_iter().map(|r| &text[r]), text.len(), out, anchors),
            Some(pre) => PREFOLDED.with_borrow_mut(|(buf, ends)| {
                // Each kept line prefolded apart, as lineage prefolds each
                // chunk of it (prefolding never crosses white space), one
                // after the other into this thread's buffer (a `String`
                // per line was an allocation and a free per paragraph of
                // the three texts in four that hold a currency sign).
                buf.clear();
                ends.clear();
                for r in kept {
                    pre.apply(&text[r], buf);
                    ends.push(buf.len());
                }
                let mut from = 0;
                let parts = ends.iter().map(|&end| {
                    let part = &buf[from..end];
                    from = end;
                    part
                });
                self.fold_parts(parts, buf.len(), out, anchors);
            }),
        }
    }

    /// Folds a headline into `out` (cleared first) as body text is folded,
    /// with its word hashes, but with no boilerplate rules (a headline is
    /// one line, and all of it is evidence) and no anchors (headlines are
    /// often all capitals, so capitals there mark no names).
    pub fn title_into(&self, title: &str, out: &mut NormText) {
        match Prefold::of(title) {
            None => self.fold_parts(std::iter::once(title), title.len(), out, false),
            Some(pre) => {
                let mut p = String::with_capacity(title.len());
                pre.apply(title, &mut p);
                self.fold_parts(std::iter::once(p.as_str()), p.len(), out, false);
            }
        }
    }

    /// Folds `parts` (about `len` bytes in all) into `out`, cleared first,
    /// with word hashes, and with anchors and figures when `body`.
    fn fold_parts<'t>(
        &self,
        parts: impl Iterator<Item = &'t str>,
        len: usize,
        out: &mut NormText,
        body: bool,
    ) {
        out.anchors.clear();
        out.words.clear();
        out.figures.clear();
        let mut buf = std::mem::take(&mut out.text).into_bytes();
        buf.clear();
        buf.reserve(len + 8);
        for part in parts {
            let sink = Sink {
                anchors: body.then_some((&mut out.anchors, &self.calendar)),
                figures: body.then_some(&mut out.figures),
                words: Some(&mut out.words),
            };
            fold_words(part, &mut buf, sink, self.classifier);
        }
        if buf.last() == Some(&b' ') {
            buf.pop();
        }
        out.text = into_string(buf);
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
///
/// `s` is folded as it is, not prefolded: see [`fold_prefolded_into`].
pub fn fold_into(s: &str, out: &mut String) {
    let sink = Sink {
        anchors: None,
        figures: None,
        words: None,
    };
    let mut buf = std::mem::take(out).into_bytes();
    // Lineage folds one whitespace-free chunk at a time, mostly single
    // words that never reach the window path (see `fold_words`), so the
    // portable classifier, with no detection per call, serves.
    fold_words(s, &mut buf, sink, Classifier::Scalar);
    *out = into_string(buf);
}

/// [`fold_into`] of `s` prefolded with `pre` (the [`Prefold::of`] of the
/// whole text `s` is part of, as the scan prefolds it), so the words are
/// those of the scan's normalized text.
pub fn fold_prefolded_into(s: &str, pre: Option<&Prefold>, out: &mut String) {
    match pre {
        None => fold_into(s, out),
        Some(p) => {
            let mut tmp = String::with_capacity(s.len());
            p.apply(s, &mut tmp);
            fold_into(&tmp, out);
        }
    }
}

/// The folded bytes as a `String`. Folding writes ASCII bytes and whole
/// UTF-8 encoded characters only, so this cannot fail; the check is one
/// fast pass over the text, paid once per article.
fn into_string(buf: Vec<u8>) -> String {
    String::from_utf8(buf).expect("folding writes whole characters")
}

/// A set of words, held as their hashes ([`word_hash`]) in a small
/// table where each sits in its home slot or the one after: a lookup
/// reads both and compares, with no loop and no branch on the outcome.
/// (Whether a word is a function word is close to a coin toss in running
/// text, so a probe loop that ends early on a hit mispredicts often.)
#[derive(Debug, Clone)]
pub struct WordSet {
    /// `2^bits + 1` slots: the last is the spill slot of the last home.
    slots: Vec<u64>,
    shift: u32,
}

impl WordSet {
    /// A set of the given (folded) words.
    pub fn of(words: &[&str]) -> Self {
        let hashes: Vec<u64> = words.iter().map(|w| word_hash(w.as_bytes())).collect();
        // At most a quarter full to start; doubled until every hash sits
        // within one slot of home (for the ~150 function words: 1024 slots).
        let mut bits = (words.len() * 4)
            .next_power_of_two()
            .trailing_zeros()
            .max(4);
        loop {
            let mut set = WordSet {
                slots: vec![0; (1 << bits) + 1],
                shift: 64 - bits,
            };
            let placed = hashes.iter().all(|&h| {
                let i = set.slot(h);
                match (set.slots[i], set.slots[i + 1]) {
                    (s, _) if s == h || s == 0 => set.slots[i] = h,
                    (_, s) if s == h || s == 0 => set.slots[i + 1] = h,
                    _ => return false,
                }
                true
            });
            if placed {
                return set;
            }
            bits += 1;
        }
    }

    fn slot(&self, h: u64) -> usize {
        (h >> self.shift) as usize
    }

    /// Whether the word with this hash is in the set. (A word hashing to
    /// 0, one in 2^64, never is.)
    #[inline]
    pub fn contains_hash(&self, h: u64) -> bool {
        let i = self.slot(h);
        ((self.slots[i] == h) | (self.slots[i + 1] == h)) & (h != 0)
    }

    /// Whether a folded word is in the set.
    pub fn contains(&self, w: &[u8]) -> bool {
        self.contains_hash(word_hash(w))
    }
}

/// Replaces the word indices of the words holding a digit (ascending) by
/// the hashes of their runs of consecutive indices, sorted and unique: each
/// run's word hashes combined in order by rotate-xor.
fn figure_runs(figures: &mut Vec<u64>, words: &[u64]) {
    let (mut out, mut i) = (0, 0);
    while i < figures.len() {
        let word = |k: usize| words.get(figures[k] as usize).copied().unwrap_or(0);
        let mut h = word(i);
        let mut j = i + 1;
        while j < figures.len() && figures[j] == figures[j - 1].wrapping_add(1) {
            h = h.rotate_left(23) ^ word(j);
            j += 1;
        }
        figures[out] = crate::seeds::splitmix64(h);
        out += 1;
        i = j;
    }
    figures.truncate(out);
    sort_hashes(figures);
    figures.dedup();
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
    sort_hashes(words);
    words.dedup();
}

/// Most values [`sort_hashes`] sorts by its own method.
const SMALL_SORT: usize = 256;

/// Most values of one top byte [`sort_hashes`] sorts by its own method
/// (uniform values: 256 of them hold about one each).
const SHARED_TOP: u16 = 8;

/// Sorts `v`, a few dozen hashes (uniform 64-bit values: an article's
/// anchor pairs, 83 on average in the generated corpus, and its figures),
/// ascending: one counting pass on the top byte, which leaves each value
/// among the few that share it, then an insertion sort of that nearly
/// sorted order. The standard sort spent about 24 cycles a value on this
/// (the anchor sort was 1.8% of a scan); this takes two thirds of its
/// time at 83 values. Past [`SMALL_SORT`] values, or where more than
/// [`SHARED_TOP`] share a top byte (values that are not uniform, or text
/// made to collide: the insertion sort's work grows with the square of a
/// bucket), the standard sort does it.
fn sort_hashes(v: &mut [u64]) {
    if v.len() > SMALL_SORT {
        v.sort_unstable();
        return;
    }
    let mut count = [0u16; 257];
    let mut crowded = false;
    for &h in v.iter() {
        let c = &mut count[(h >> 56) as usize + 1];
        *c += 1;
        crowded |= *c > SHARED_TOP;
    }
    if crowded {
        v.sort_unstable();
        return;
    }
    for i in 1..count.len() {
        count[i] += count[i - 1];
    }
    let mut sorted = [0u64; SMALL_SORT];
    for &h in v.iter() {
        let b = (h >> 56) as usize;
        sorted[count[b] as usize] = h;
        count[b] += 1;
    }
    let sorted = &mut sorted[..v.len()];
    for i in 1..sorted.len() {
        let x = sorted[i];
        let mut j = i;
        while j > 0 && sorted[j - 1] > x {
            sorted[j] = sorted[j - 1];
            j -= 1;
        }
        sorted[j] = x;
    }
    v.copy_from_slice(sorted);
}

/// Letters and digits that OCR confuses, folded together.
const fn ocr_fold(b: u8) -> u8 {
    match b {
        b'0' => b'o',
        b'1' | b'i' | b'!' => b'l',
        b'5' => b's',
        b'8' => b'b',
        b'e' => b'c',
        other => other,
    }
}

/// [`ocr_fold`] of every byte, as a table (four lookups and no branch per
/// anchor).
static OCR: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = ocr_fold(b as u8);
        b += 1;
    }
    t
};

/// Hash of an anchor word: its first four characters (bytes), with
/// OCR-confusable characters folded together. Scanned copies garble a
/// letter here and there ("Caraeas", "2O24"); a prefix with confusables
/// folded survives most of that, and two different names or figures in
/// the same slot of a template rarely share it.
///
/// The prefix is given as a little-endian u32, zero-padded: always four
/// table lookups and one fixed-length hash, where a loop over the prefix
/// and xxh3's dispatch on its length (1 to 4) mispredicted on most
/// anchors. (Folded words hold no zero bytes, so padding keeps prefixes of
/// different lengths apart.)
#[inline(always)]
fn anchor_hash_prefix(v: u32) -> u64 {
    let folded = v.to_le_bytes().map(|b| OCR[b as usize]);
    xxhash_rust::xxh3::xxh3_64_with_seed(&folded, ANCHOR_SEED)
}

/// The first (at most four) bytes of the word `out[start..end]`, as
/// [`anchor_hash_prefix`] takes them: one load, as `out` has at least four
/// readable bytes past `start`.
#[inline(always)]
fn prefix_at(out: &[u8], start: usize, end: usize) -> u32 {
    let v = u32::from_le_bytes(out[start..start + 4].try_into().expect("4 bytes"));
    v & (u32::MAX >> (32 - 8 * (end - start).clamp(1, 4)))
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

/// Byte classes of the ASCII fast path: letters and digits, by kind; every
/// other byte (punctuation, space, control, and bytes of non-ASCII
/// characters) is 0.
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;

const fn byte_classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() {
            LOWER
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_digit() {
            DIGIT
        } else {
            0
        };
        b += 1;
    }
    t
}

static CLASS: [u8; 256] = byte_classes();

/// The high bit of each byte of a u64.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Byte `b` in every byte of a u64.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// Classifies eight bytes at once (SWAR: SIMD within a register, plain
/// integer arithmetic, so no `unsafe` and every CPU): for each byte, the
/// high bit of the result is set in `alnum` if it is an ASCII letter or
/// digit, in `upper` if an upper-case letter, in `digit` if a digit.
/// Adding `0x80 - lo` to a byte below 0x80 sets its high bit iff the byte
/// is at least `lo`, and never carries into the next byte; bytes of
/// non-ASCII characters (high bit set) are masked out.
fn classify8(x: u64) -> (u64, u64, u64) {
    let low7 = x & !HIGH;
    let ascii = !x & HIGH;
    let at_least = |lo: u8| low7.wrapping_add(splat(0x80 - lo)) & HIGH;
    let within = |lo: u8, hi: u8| at_least(lo) & !at_least(hi + 1) & ascii;
    let upper = within(b'A', b'Z');
    let digit = within(b'0', b'9');
    let alnum = upper | within(b'a', b'z') | digit;
    (alnum, upper, digit)
}

/// What folding collects besides the text.
struct Sink<'a> {
    /// Anchor hashes, and the calendar words that are never anchors.
    anchors: Option<(&'a mut Vec<u64>, &'a WordSet)>,
    /// Indices (into `words`) of the words holding a digit, collected with
    /// anchors only; [`figure_runs`] turns them into figure hashes.
    figures: Option<&'a mut Vec<u64>>,
    words: Option<&'a mut Vec<u64>>,
}

impl Sink<'_> {
    /// Notes that the word just pushed to `words` holds a digit.
    #[inline]
    fn note_figure(&mut self) {
        if let Some(f) = self.figures.as_deref_mut() {
            let n = self.words.as_ref().map_or(0, |w| w.len());
            f.push(n.wrapping_sub(1) as u64);
        }
    }
}

/// The character starting at byte `i` of `s` (a char boundary), if any.
fn char_at(s: &str, i: usize) -> Option<char> {
    match s.as_bytes().get(i) {
        None => None,
        Some(&x) if x < 0x80 => Some(x as char),
        Some(_) => s[i..].chars().next(),
    }
}

/// Bytes of `out` kept writable past the folded text: room for the 32-byte
/// copies of words (up to 64 bytes for a word longer than 32, of which
/// at least the word's length is text), a word's 8-byte load, and the
/// final space.
const SLACK: usize = 48;

/// How windows of text are classified into masks (see `window.rs`).
#[derive(Debug, Clone, Copy)]
enum Classifier {
    /// Eight bytes at a time in integer arithmetic: the reference.
    Scalar,
    /// AVX2, 32 bytes per vector.
    #[cfg(target_arch = "x86_64")]
    Avx2(x86_64::Avx2),
}

impl Classifier {
    /// The fastest classifier this CPU supports, unless `WIRETRACE_SIMD=off`
    /// ([`crate::simd::allowed`], the one switch of every SIMD path).
    fn detect() -> Self {
        if !crate::simd::allowed() {
            return Classifier::Scalar;
        }
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = x86_64::Avx2::new() {
            return Classifier::Avx2(avx2);
        }
        Classifier::Scalar
    }

    #[inline(always)]
    fn masks(self, block: &[u8; WIDTH], lowered: &mut [u8; WIDTH]) -> Masks {
        match self {
            Classifier::Scalar => window::masks_scalar(block, lowered),
            #[cfg(target_arch = "x86_64")]
            Classifier::Avx2(avx2) => avx2.masks(block, lowered),
        }
    }
}

/// Ends the word being folded, if any: records its hash and, if it is an
/// anchor word, its anchor hash, then writes the separating space at
/// `out[*len]`.
#[inline]
fn end_word(word: &mut Option<WordState>, out: &mut [u8], len: &mut usize, sink: &mut Sink) {
    let Some(w) = word.take() else { return };
    if sink.words.is_some() || sink.anchors.is_some() {
        let n = *len - w.start;
        debug_assert!(n > 0, "a word holds at least one byte");
        let h = if n <= 8 {
            // One load (the bytes past the word are masked off; `out` has
            // SLACK bytes past `len`).
            let v = u64::from_le_bytes(out[w.start..w.start + 8].try_into().expect("8 bytes"));
            word_hash_padded(v & (u64::MAX >> (64 - 8 * n)))
        } else {
            word_hash(&out[w.start..*len])
        };
        if let Some(words) = sink.words.as_deref_mut() {
            words.push(h);
        }
        if let Some((a, calendar)) = &mut sink.anchors {
            if w.digit || (w.capital && !w.sentence_initial && !calendar.contains_hash(h)) {
                a.push(anchor_hash_prefix(prefix_at(out, w.start, *len)));
            }
            if w.digit {
                sink.note_figure();
            }
        }
    }
    out[*len] = b' ';
    *len += 1;
}

/// [`fold_into`], also collecting the hashes of the words and of anchor
/// words (numbers, and capitalised words that do not open a sentence).
///
/// News text is nearly all ASCII, so a run of ASCII letters and digits is
/// found with a byte-class table and copied lower-cased in one pass; only
/// other characters are decoded one by one. The output is bytes (whole
/// UTF-8 characters only), made a `String` once per article. (The simple
/// char-by-char version of these rules is kept in the tests as the
/// reference this one must equal.)
fn fold_words(s: &str, out: &mut Vec<u8>, sink: Sink, classifier: Classifier) {
    match classifier {
        Classifier::Scalar => fold_words_with(s, out, sink, Classifier::Scalar),
        #[cfg(target_arch = "x86_64")]
        Classifier::Avx2(avx2) => avx2.fold_words(s, out, sink),
    }
}

/// [`fold_words`]'s body, inlined into each of its callers: the portable
/// one and the one compiled for AVX2 CPUs (`x86_64::Avx2::fold_words`),
/// each with its classifier known.
#[inline(always)]
fn fold_words_with(s: &str, out: &mut Vec<u8>, mut sink: Sink, classifier: Classifier) {
    let b = s.as_bytes();
    // `out` is written by index up to `len`, and kept at least `SLACK`
    // bytes longer than what the rest of `s` can write (ASCII writes at
    // most a byte per byte read; the Unicode path grows it when a
    // character's lower case is longer), so the 8-byte stores and loads
    // need no capacity check. Cut to `len` at the end.
    let mut len = out.len();
    out.resize(len + b.len() + SLACK, 0);
    // The last letter or digit of the current word (None between words).
    let mut prev: Option<char> = None;
    // A line starts a sentence; so does the word after . ! ? : or a quote.
    let mut sentence_start = true;
    let mut word: Option<WordState> = None;
    // The window lower-cased, with 64 readable bytes after it.
    let mut lowered = [0u8; 2 * WIDTH];
    // Where the window is next tried, and how often it gave up in a row
    // (text dense in non-ASCII characters backs off to 64 bytes).
    let (mut next_window, mut gave_up) = (0, 0);
    let mut i = 0;
    while i < b.len() {
        // Windows only where a good part of one is text: classifying 64
        // bytes costs more than the byte loop over a short tail or a
        // single word.
        if word.is_none() && i >= next_window && b.len() - i >= WIDTH / 4 {
            let rest = &b[i..];
            let m = if let Some(whole) = rest.first_chunk::<WIDTH>() {
                classifier.masks(whole, (&mut lowered[..WIDTH]).try_into().expect("64"))
            } else {
                // The last bytes of the text, then spaces (which separate
                // and end no sentence, as the end of the text does).
                let mut block = [b' '; WIDTH];
                block[..rest.len()].copy_from_slice(rest);
                classifier.masks(&block, (&mut lowered[..WIDTH]).try_into().expect("64"))
            };
            let done = fold_window(&m, &lowered, out, &mut len, &mut sentence_start, &mut sink);
            if done > 0 {
                i += done.min(rest.len());
                gave_up = 0;
                continue;
            }
            gave_up = (gave_up + 1).min(3);
            next_window = i + (8 << gave_up);
        }
        let x = b[i];
        let class = CLASS[x as usize];
        if class != 0 {
            let w = word.get_or_insert_with(|| WordState {
                start: len,
                capital: class == UPPER,
                sentence_initial: std::mem::take(&mut sentence_start),
                digit: false,
            });
            // Eight bytes at a time while they last, then byte by byte.
            while let Some(chunk) = b.get(i..i + 8) {
                let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
                let (alnum, upper, digit) = classify8(x);
                let run = ((!alnum & HIGH).trailing_zeros() / 8) as usize;
                let in_run = if run == 8 {
                    u64::MAX
                } else {
                    (1u64 << (run * 8)) - 1
                };
                w.digit |= digit & in_run != 0;
                // Write all eight lower-cased bytes (one store), keep the run.
                out[len..len + 8].copy_from_slice(&(x | (upper >> 2)).to_le_bytes());
                len += run;
                i += run;
                if run < 8 {
                    break;
                }
            }
            while i < b.len() && b.len() - i < 8 {
                let c = CLASS[b[i] as usize];
                if c == 0 {
                    break;
                }
                w.digit |= c == DIGIT;
                out[len] = b[i].to_ascii_lowercase();
                len += 1;
                i += 1;
            }
            // The commonest separator, one space before the next word: end
            // this word and go straight on (what the general path below
            // does for a space, without its dispatch on the byte).
            if b.get(i) == Some(&b' ') && b.get(i + 1).is_some_and(|&c| CLASS[c as usize] != 0) {
                end_word(&mut word, out, &mut len, &mut sink);
                i += 1;
                prev = None;
                continue;
            }
            prev = Some(b[i - 1] as char);
            continue;
        }
        if x < 0x80 {
            i += 1;
            let next = || char_at(s, i);
            match x {
                b'\'' | b'`'
                    if prev.is_some_and(char::is_alphabetic)
                        && next().is_some_and(char::is_alphabetic) =>
                {
                    continue
                }
                b',' | b'.'
                    if prev.is_some_and(|c| c.is_ascii_digit())
                        && b.get(i).is_some_and(u8::is_ascii_digit) =>
                {
                    continue
                }
                b'.' | b'!' | b'?' | b':' | b'"' | b'\n' => sentence_start = true,
                _ => {}
            }
            end_word(&mut word, out, &mut len, &mut sink);
            prev = None;
            continue;
        }
        if (0xC2..0xE0).contains(&x) {
            // Two-byte letters (Latin-1 and Latin Extended, Greek,
            // Cyrillic, Armenian, Hebrew, Arabic), by table: a run of them
            // is lower-cased with no decoding, no Unicode case search and no
            // re-encoding (each writes at most the two bytes it read).
            let mut took = false;
            let letters2: &[u32; 0x780] = &LETTERS2;
            while let (Some(&x), Some(&y)) = (b.get(i), b.get(i + 1)) {
                if !(0xC2..0xE0).contains(&x) {
                    break;
                }
                let cp = (u32::from(x & 0x1F) << 6) | u32::from(y & 0x3F);
                let e = letters2[(cp - 0x80) as usize];
                if e & SIMPLE2 == 0 {
                    break;
                }
                let w = word.get_or_insert_with(|| WordState {
                    start: len,
                    capital: e & UPPER2 != 0,
                    sentence_initial: std::mem::take(&mut sentence_start),
                    digit: false,
                });
                w.digit |= e & DIGIT2 != 0;
                let l = e & 0xFFFF;
                out[len] = 0xC0 | (l >> 6) as u8;
                out[len + 1] = 0x80 | (l & 0x3F) as u8;
                len += 2;
                i += 2;
                took = true;
                prev = char::from_u32(cp);
            }
            if took {
                // One space before the next two-byte letter: end the word
                // and go straight on (as the ASCII path does).
                if b.get(i) == Some(&b' ') {
                    if let (Some(&x), Some(&y)) = (b.get(i + 1), b.get(i + 2)) {
                        if (0xC2..0xE0).contains(&x) {
                            let cp = (u32::from(x & 0x1F) << 6) | u32::from(y & 0x3F);
                            if letters2[(cp - 0x80) as usize] & SIMPLE2 != 0 {
                                end_word(&mut word, out, &mut len, &mut sink);
                                i += 1;
                                prev = None;
                            }
                        }
                    }
                }
                continue;
            }
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        if c.is_alphanumeric() && is_spaceless(c) {
            // A letter of a script written without spaces is a word of its
            // own, with the marks that follow it (module docs).
            end_word(&mut word, out, &mut len, &mut sink);
            // The letter and its marks take the bytes they were read from,
            // but the space after them is not paid for by a separator read:
            // keep the slack.
            let need = len + c.len_utf8() + 1 + (b.len() - i) + SLACK;
            if out.len() < need {
                out.resize(need, 0);
            }
            word = Some(WordState {
                start: len,
                capital: false,
                sentence_initial: std::mem::take(&mut sentence_start),
                digit: c.is_numeric(),
            });
            len += c.encode_utf8(&mut out[len..]).len();
            while let Some(m) = char_at(s, i).filter(|&m| is_unit_mark(m)) {
                i += m.len_utf8();
                len += m.encode_utf8(&mut out[len..]).len();
            }
            end_word(&mut word, out, &mut len, &mut sink);
            prev = None;
            continue;
        }
        if c.is_alphanumeric() {
            let w = word.get_or_insert_with(|| WordState {
                start: len,
                capital: c.is_uppercase(),
                sentence_initial: std::mem::take(&mut sentence_start),
                digit: false,
            });
            w.digit |= c.is_numeric();
            let mut utf8 = [0u8; 4];
            let mut put = |bytes: &[u8]| {
                // A character's lower case can be longer than it
                // ('İ' -> "i̇"): keep the slack for the rest of `s`.
                let need = len + bytes.len() + (b.len() - i) + SLACK;
                if out.len() < need {
                    out.resize(need, 0);
                }
                out[len..len + bytes.len()].copy_from_slice(bytes);
                len += bytes.len();
            };
            match c {
                'ß' | 'ẞ' => put(b"ss"),
                'ς' => put('σ'.encode_utf8(&mut utf8).as_bytes()),
                _ => {
                    for l in c.to_lowercase() {
                        put(l.encode_utf8(&mut utf8).as_bytes());
                    }
                }
            }
            prev = Some(c);
            continue;
        }
        if is_combining(c) {
            continue;
        }
        if is_apostrophe(c)
            && prev.is_some_and(char::is_alphabetic)
            && char_at(s, i).is_some_and(char::is_alphabetic)
        {
            continue;
        }
        if matches!(c, '“' | '”' | '«' | '»') {
            sentence_start = true;
        }
        end_word(&mut word, out, &mut len, &mut sink);
        prev = None;
    }
    end_word(&mut word, out, &mut len, &mut sink);
    out.truncate(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_hashes_sorts_as_the_standard_sort() {
        let mut state = 7u64;
        let mut next = || {
            state = crate::seeds::splitmix64(state);
            state
        };
        for len in 0..=300 {
            // Uniform values, values with repeats, values sharing a top
            // byte (a few, and many), and descending runs.
            let uniform: Vec<u64> = (0..len).map(|_| next()).collect();
            let pool: Vec<u64> = (0..len / 3 + 1).map(|_| next()).collect();
            let repeats: Vec<u64> = (0..len)
                .map(|_| pool[next() as usize % pool.len()])
                .collect();
            let some_top: Vec<u64> = (0..len)
                .map(|i| {
                    if i % 9 == 0 {
                        next() & 0x00ff_ffff_ffff_ffff
                    } else {
                        next()
                    }
                })
                .collect();
            let one_top: Vec<u64> = (0..len).map(|_| next() >> 8).collect();
            let descending: Vec<u64> = (0..len as u64).rev().map(|i| i << 50).collect();
            for v in [uniform, repeats, some_top, one_top, descending] {
                let mut want = v.clone();
                want.sort_unstable();
                let mut got = v;
                sort_hashes(&mut got);
                assert_eq!(got, want, "len {len}");
            }
        }
    }

    /// The first, char-by-char version of [`fold_words`]: the rules written
    /// plainly, kept as the reference the fast path must equal.
    /// [`fold_into`], also pushing the hashes of anchor words (numbers, and
    /// capitalised words that do not open a sentence) to `anchors`.
    fn reference_fold(s: &str, out: &mut String, mut anchors: Option<&mut Vec<u64>>) {
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
                    a.push(anchor_hash(folded.as_bytes()));
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
            if c.is_alphanumeric() && is_spaceless(c) {
                // One word per letter, with its marks.
                end_word(out, &mut word);
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                word = Some(WordState {
                    start: out.len(),
                    sentence_initial: sentence_start,
                    digit: c.is_numeric(),
                    ..Default::default()
                });
                sentence_start = false;
                out.push(c);
                while let Some(m) = char_at(i).filter(|&m| is_unit_mark(m)) {
                    out.push(m);
                    i += m.len_utf8();
                }
                end_word(out, &mut word);
                out.push(' ');
                prev = None;
                continue;
            }
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

    /// The anchor hash of a folded word, from its bytes.
    fn anchor_hash(w: &[u8]) -> u64 {
        let mut b = [0u8; 4];
        let n = w.len().min(4);
        b[..n].copy_from_slice(&w[..n]);
        anchor_hash_prefix(u32::from_le_bytes(b))
    }

    /// Whether a folded word is a month or weekday name (the reference's test).
    fn is_calendar(w: &str) -> bool {
        CALENDAR.contains(&w)
    }

    /// The words, folded text and anchor words of the reference.
    fn reference(s: &str) -> (String, Vec<u64>, Vec<u64>) {
        let mut out = String::new();
        let mut anchors = Vec::new();
        reference_fold(s, &mut out, Some(&mut anchors));
        let words = out
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| word_hash(w.as_bytes()))
            .collect();
        (out, anchors, words)
    }

    /// Every classifier this CPU can run.
    fn classifiers() -> Vec<Classifier> {
        #[allow(unused_mut)]
        let mut all = vec![Classifier::Scalar];
        #[cfg(target_arch = "x86_64")]
        all.extend(x86_64::Avx2::new().map(Classifier::Avx2));
        all
    }

    /// [`fold_words`] with each classifier (which must agree).
    fn fast(s: &str) -> (String, Vec<u64>, Vec<u64>) {
        let runs: Vec<_> = classifiers()
            .into_iter()
            .map(|classifier| {
                let mut out = Vec::new();
                let (mut anchors, mut words) = (Vec::new(), Vec::new());
                let calendar = WordSet::of(CALENDAR);
                let sink = Sink {
                    anchors: Some((&mut anchors, &calendar)),
                    figures: None,
                    words: Some(&mut words),
                };
                fold_words(s, &mut out, sink, classifier);
                (into_string(out), anchors, words)
            })
            .collect();
        assert!(
            runs.windows(2).all(|w| w[0] == w[1]),
            "{s:?}: {classifiers:?}",
            classifiers = classifiers()
        );
        runs.into_iter().next().expect("the scalar classifier")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The fast path equals the plain rules on text built from the
        /// characters the rules treat specially.
        #[test]
        fn fast_fold_equals_reference(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", "7", "0", " ", "  ", "\n", "\t", ".", ",", "!", "?", ":", "\"", "'", "`",
                "’", "ʼ", "‘", "“", "”", "«", "»", "—", "é", "É", "ß", "ẞ", "ς", "Σ", "\u{301}",
                "İ", "ǅ", "١", "漢", "\0", "-", "Monday", "May", "Khan", "1,200", "3.5", "don't",
                "Pakistan’s", "\u{a0}", "…", "ﬁ", "ABCDEFGHIJKLmnopq", "x1Y2z3W4v5U6",
                "Sixteen16Bytes!!", "\u{7f}", "@", "[", "`", "{", "/", ";",
                "漢字", "東京Tower", "ไม่", "ก\u{e48}\u{e49}", "カ\u{3099}", "\u{3099}", "ｶﾞ", "ー",
                "Жук", "ЖУК", "ǈ", "Ω", "ά", "ٱلعربية", "١٢", "ſ", "Ⱥ", "İstanbul",
                "the", " the ", "a longer run of plain words, ", "Then. ",
                "thirtytwo_bytes_of_word_and_more", "ThirtyThreeLettersInOneLongWordXY",
            ]), 0..48),
        ) {
            let s = parts.concat();
            proptest::prop_assert_eq!(fast(&s), reference(&s), "{:?}", s);
        }

        /// Mostly ASCII running text, long enough for whole windows.
        #[test]
        fn fast_fold_equals_reference_ascii_text(
            s in "([A-Za-z0-9]{1,12}[ .,'`!?:\"\n;()-]{1,3}|[a-z]{20,70} |é|’|“){0,60}"
        ) {
            proptest::prop_assert_eq!(fast(&s), reference(&s), "{:?}", s);
        }

        /// Long runs of letters written without spaces and of two-byte
        /// letters: each CJK letter writes a space that no separator read
        /// paid for, so the output outgrows the input.
        #[test]
        fn fast_fold_equals_reference_dense_unicode(
            s in "([一-龥ぁ-んァ-ンก-ฮ]{50,300}|[а-яА-Яё]{1,12} |[a-zé]{1,9} |，|。|\\u{e48}|١){1,12}"
        ) {
            proptest::prop_assert_eq!(fast(&s), reference(&s), "{:?}", s);
        }

        #[test]
        fn fast_fold_equals_reference_any_text(s in "\\PC{0,64}") {
            proptest::prop_assert_eq!(fast(&s), reference(&s), "{:?}", s);
        }
    }

    #[test]
    fn word_set_holds_its_words_and_no_others() {
        for n in [0, 1, 31, 150, 2000] {
            let words: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let set = WordSet::of(&refs);
            assert!(refs.iter().all(|w| set.contains(w.as_bytes())), "{n} words");
            assert!((n..n + 5000).all(|i| !set.contains(format!("w{i}").as_bytes())));
            assert!(!set.contains_hash(0));
        }
    }

    #[test]
    fn classify8_agrees_with_the_byte_table() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let x = u64::from(b) << (pos * 8) | splat(b' ') & !(0xff << (pos * 8));
                let (alnum, upper, digit) = classify8(x);
                let bit = |m: u64| m >> (pos * 8 + 7) & 1 == 1;
                assert_eq!(bit(alnum), CLASS[b as usize] != 0, "{b}");
                assert_eq!(bit(upper), CLASS[b as usize] == UPPER, "{b}");
                assert_eq!(bit(digit), CLASS[b as usize] == DIGIT, "{b}");
            }
        }
    }

    #[test]
    fn normalizer_words_are_the_words_of_its_text() {
        let n = Normalizer::new(&[])
            .unwrap()
            .normalize("Hello, World! It's 1,200 km — Straße.");
        let again = NormText::from_folded(&n.text);
        assert_eq!(n.words, again.words);
        assert_eq!(n.words.len(), n.text.split(' ').count());
    }

    fn norm(s: &str) -> String {
        Normalizer::new(&[]).unwrap().normalize(s).text
    }

    /// `words_into` folds as `normalize_into` does, without anchors and figures.
    #[test]
    fn long_word_hash_is_xxh3() {
        let mut state = 99u64;
        for n in 9..=16 {
            for _ in 0..500 {
                let w: Vec<u8> = (0..n)
                    .map(|_| {
                        state = crate::seeds::splitmix64(state);
                        b'a' + (state % 26) as u8
                    })
                    .collect();
                let want = xxhash_rust::xxh3::xxh3_64_with_seed(&w, WORD_SEED);
                assert_eq!(word_hash(&w), want, "{:?}", String::from_utf8_lossy(&w));
            }
        }
        // Any bytes, not only letters.
        let w = [0xffu8, 0, 1, 2, 0x80, 9, 7, 7, 7, 0xc3, 0xa9, 5];
        assert_eq!(
            word_hash(&w),
            xxhash_rust::xxh3::xxh3_64_with_seed(&w, WORD_SEED)
        );
    }

    #[test]
    fn words_into_is_normalize_into_without_anchors() {
        let n = Normalizer::new(&[]).unwrap();
        let corpus = std::fs::read_to_string("testdata/demo/corpus.jsonl").unwrap();
        let mut seen = 0;
        for record in corpus.lines() {
            let v: serde_json::Value = serde_json::from_str(record).unwrap();
            let text = v["text"].as_str().unwrap_or("");
            let full = n.normalize(text);
            let mut words = NormText::default();
            n.words_into(text, &mut words);
            assert_eq!((&words.text, &words.words), (&full.text, &full.words));
            assert!(words.anchors.is_empty() && words.figures.is_empty());
            seen += usize::from(!full.anchors.is_empty());
        }
        assert!(seen > 100, "{seen} texts with anchors");
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
    fn combining_accents_compose_and_stray_ones_drop() {
        // NFD and NFC agree (issue 18): the accent composes with its letter.
        assert_eq!(norm("cafe\u{0301} café"), "café café");
        // A mark that composes with nothing is dropped, as before.
        assert_eq!(norm("x\u{0301}y"), "xy");
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
        anchor_hash(w.as_bytes())
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
