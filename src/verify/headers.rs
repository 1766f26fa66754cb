//! Headers: what verification knows of an article besides its text — its
//! headline's content words, its outlet and its publication time.
//!
//! Why the headline: a short templated item (a dividend notice, an earnings
//! line, an auction result) often names its subject only in the headline,
//! and two companies' notices can share every word of the body. Where the
//! body alone is too little evidence (see `Rules::min_shared`), the
//! headlines decide: re-filings and copies of one short item keep the
//! subject's name in the headline, while two notices of one template share
//! only its fixed words (`sets`, `quarterly`, `dividend`). Those fixed words
//! are found by counting: a word in many of the corpus's headlines weighs
//! less in the comparison ([`COMMON_DF`]), so that "VANTAGE BANK 3RD QTR
//! EARNINGS" and "MARLOWE MOTORS 3RD QTR EARNINGS" agree on little. The
//! headline is never required to match where the body is ample evidence,
//! since copies often rewrite headlines.
//!
//! Why the outlet and time: an outlet that publishes the same formulaic
//! item again weeks later (a weekly central-bank notice, a standing market
//! report) is publishing new news in old words, not re-filing a story; see
//! `Rules::recurrence_seconds`.

use crate::shingle::StopSet;

/// Headline content words kept per article. News headlines hold 4 to 12
/// content words; a longer one is sketched by its `TK` smallest hashes.
pub const TK: usize = 12;

/// No publication time.
pub const UNDATED: i64 = i64::MIN;

/// One article's header, made where the article is fingerprinted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    title: [u32; TK],
    used: u8,
    outlet: u32,
    published: i64,
}

impl Header {
    /// The header of an article whose headline folds to the word hashes
    /// `title_words` (see `normalize::Normalizer::title_into`), published
    /// by `outlet` at `published` (seconds since the epoch).
    ///
    /// Function words are left out of the headline's words: "to", "in",
    /// "for" say nothing about which story a headline is about.
    /// `title_words` is scratch: it is left filtered and sorted (its 32-bit
    /// prefixes then come in order, so no other buffer is needed).
    pub fn new(
        title_words: &mut Vec<u64>,
        stop: &StopSet,
        outlet: Option<&str>,
        published: Option<i64>,
    ) -> Self {
        title_words.retain(|&h| !stop.contains_hash(h));
        title_words.sort_unstable();
        let mut title = [u32::MAX; TK];
        let (used, _) = super::bottom_k(title_words.iter().map(|&h| (h >> 32) as u32), &mut title);
        Header {
            title,
            used: used as u8,
            outlet: outlet.map_or(0, outlet_hash),
            published: published.unwrap_or(UNDATED),
        }
    }

    /// A header with no headline, outlet or time.
    pub fn none() -> Self {
        Header {
            title: [u32::MAX; TK],
            used: 0,
            outlet: 0,
            published: UNDATED,
        }
    }

    /// The headline's content words as kept: the u32 prefixes of their
    /// hashes, ascending, at most [`TK`] (empty: no headline).
    pub fn headline_words(&self) -> &[u32] {
        &self.title[..self.used as usize]
    }

    /// The outlet's hash (names compared without case or surrounding
    /// spaces); 0: no outlet.
    pub fn outlet(&self) -> u32 {
        self.outlet
    }

    /// The publication time, seconds since the epoch, if known.
    pub fn published(&self) -> Option<i64> {
        (self.published != UNDATED).then_some(self.published)
    }

    /// Weighted share of the smaller headline's words found in the other's
    /// (as [`Headers::title_containment`], weights from `counts`).
    pub fn title_containment(&self, other: &Header, counts: &HeadlineCounts) -> Option<f64> {
        title_containment(self.headline_words(), other.headline_words(), counts)
    }

    /// Whether both come from one named outlet, both dated, `gap` seconds
    /// or more apart (as [`Headers::same_outlet_apart`]).
    pub fn same_outlet_apart(&self, other: &Header, gap: i64) -> bool {
        same_outlet_apart(
            (self.outlet, self.published),
            (other.outlet, other.published),
            gap,
        )
    }

    /// Whether both name one outlet (as [`Headers::same_outlet`]).
    pub fn same_outlet(&self, other: &Header) -> bool {
        same_outlet(self.outlet, other.outlet)
    }

    /// Whether `self` and `other` are one outlet's re-filing of one story
    /// by their headers (as [`Headers::refiling`], weights from `counts`).
    pub fn refiling(&self, other: &Header, counts: &HeadlineCounts) -> bool {
        refiling(
            (self.headline_words(), self.outlet, self.published),
            (other.headline_words(), other.outlet, other.published),
            counts,
        )
    }

    /// The key of this headline in the headline band (seeded with
    /// `seed`): equal for two headlines of the same content words, `None`
    /// for one of fewer than [`REFILING_MIN_WORDS`] (see
    /// `lsh::Banding::keys`).
    pub fn headline_key(&self, seed: u64) -> Option<u64> {
        headline_key(self.headline_words(), seed)
    }

    /// Every slot, the count used, the outlet hash and the time (`UNDATED`
    /// for none): the stored form.
    pub(crate) fn raw(&self) -> (&[u32; TK], u8, u32, i64) {
        (&self.title, self.used, self.outlet, self.published)
    }

    /// A header from its stored form; `None` when `used` exceeds [`TK`].
    pub(crate) fn from_raw(
        title: [u32; TK],
        used: u8,
        outlet: u32,
        published: i64,
    ) -> Option<Self> {
        (used as usize <= TK).then_some(Header {
            title,
            used,
            outlet,
            published,
        })
    }
}

/// The outlet's hash: names compared without case or surrounding spaces
/// (`Reuters`, `REUTERS `); 0 is kept for "no outlet". An ASCII name of up
/// to 64 bytes (nearly every outlet's) is lower-cased on the stack: this
/// runs once per article.
fn outlet_hash(s: &str) -> u32 {
    let s = s.trim();
    if s.is_empty() {
        return 0;
    }
    let mut buf = [0u8; 64];
    let h = if s.len() <= buf.len() && s.is_ascii() {
        let b = &mut buf[..s.len()];
        b.copy_from_slice(s.as_bytes());
        b.make_ascii_lowercase();
        xxhash_rust::xxh3::xxh3_64(b)
    } else {
        xxhash_rust::xxh3::xxh3_64(s.to_lowercase().as_bytes())
    };
    (h as u32).max(1)
}

/// Headers of many articles, in article order.
#[derive(Debug, Clone, Default)]
pub struct Headers {
    title: Vec<u32>,
    used: Vec<u8>,
    outlet: Vec<u32>,
    published: Vec<i64>,
    /// Headlines holding each content word, once counted
    /// ([`Headers::count_words`]); empty: every word weighs 1.
    counts: HeadlineCounts,
}

/// How many headlines of a corpus hold each content word: the one
/// corpus-level statistic verification reads (a word in many headlines is
/// a template's and weighs less, see `word_weight`).
///
/// Plain data, so that whoever verifies pairs apart from a scan (an index,
/// a distributed job) can give the same weights: build it from the
/// corpus's headers ([`HeadlineCounts::of_headers`]), from counts gathered
/// elsewhere ([`HeadlineCounts::from_counts`]), or merge partial counts
/// ([`HeadlineCounts::merge`]). The empty value (`Default`) weighs every
/// word 1: headlines are then compared by their plain share of words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadlineCounts {
    /// Word (u32 prefix of its hash) -> headlines holding it.
    df: hashbrown::HashMap<u32, u32>,
    /// Headlines with at least one content word.
    titled: u64,
    /// Headlines at or above which a word weighs less (derived from `titled`).
    common: u32,
}

impl HeadlineCounts {
    /// The counts of a corpus's headers (each headline's words counted once).
    pub fn of_headers<'a>(headers: impl IntoIterator<Item = &'a Header>) -> Self {
        let mut df: hashbrown::HashMap<u32, u32> = hashbrown::HashMap::new();
        let mut titled = 0u64;
        for h in headers {
            let words = h.headline_words();
            titled += u64::from(!words.is_empty());
            for &w in words {
                *df.entry(w).or_insert(0) += 1;
            }
        }
        Self::from_counts(titled, df)
    }

    /// Counts given as `(word, headlines holding it)` (words as
    /// [`Header::headline_words`] gives them; a repeated word's counts add
    /// up), over `titled` headlines with at least one content word.
    pub fn from_counts(titled: u64, counts: impl IntoIterator<Item = (u32, u32)>) -> Self {
        let mut df: hashbrown::HashMap<u32, u32> = hashbrown::HashMap::new();
        for (w, n) in counts {
            let e = df.entry(w).or_insert(0);
            *e = e.saturating_add(n);
        }
        HeadlineCounts {
            df,
            titled,
            common: common_bar(titled),
        }
    }

    /// Adds the counts of another part of the corpus (a partition, a
    /// segment): the counts of the whole are the sums of its parts'.
    pub fn merge(&mut self, other: &HeadlineCounts) {
        for (&w, &n) in &other.df {
            let e = self.df.entry(w).or_insert(0);
            *e = e.saturating_add(n);
        }
        self.titled += other.titled;
        self.common = common_bar(self.titled);
    }

    /// Headlines with at least one content word.
    pub fn titled(&self) -> u64 {
        self.titled
    }

    /// Every `(word, headlines holding it)`, sorted by word (for storing).
    pub fn to_sorted_vec(&self) -> Vec<(u32, u32)> {
        let mut v: Vec<(u32, u32)> = self.df.iter().map(|(&w, &n)| (w, n)).collect();
        v.sort_unstable();
        v
    }

    /// Whether nothing was counted (every word weighs 1).
    pub fn is_empty(&self) -> bool {
        self.df.is_empty()
    }

    /// Weight of headline word `w` in [`title_containment`].
    #[inline]
    fn weight(&self, w: u32) -> f64 {
        match self.df.get(&w) {
            Some(&df) => word_weight(df, self.common),
            None => 1.0,
        }
    }
}

/// Headlines at or above which a word weighs less in a corpus of `titled`
/// headlines with words.
fn common_bar(titled: u64) -> u32 {
    COMMON_DF.max((titled as f64 * COMMON_SHARE) as u32)
}

/// Headlines a word may appear in and still weigh fully, at least: 20.
/// A subject's name recurs in its own stories and their copies, a handful
/// to a few dozen in a day's or a month's corpus; a template's fixed words
/// (`qtly`, `dividend`, `earnings`, `3rd`, `qtr`, `results`) recur in
/// every item of the template, hundreds of headlines. In a larger corpus
/// the bar rises with it ([`COMMON_SHARE`]).
pub const COMMON_DF: u32 = 20;

/// Share of all headlines above which a word is common in any corpus: one
/// in a thousand.
pub const COMMON_SHARE: f64 = 0.001;

/// A headline word's weight in [`Headers::title_containment`]: 1 for a word
/// in fewer than `common` headlines, `common / df` for one in more. Two
/// templated notices agree on the template's words and on nothing else, so
/// their agreement weighs little; re-filings agree on the subject's name,
/// which weighs fully. Where no word is common (a small corpus, or before
/// counting) this is the plain share of words.
fn word_weight(df: u32, common: u32) -> f64 {
    if df <= common {
        1.0
    } else {
        common as f64 / df as f64
    }
}

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one article's header.
    pub fn push(&mut self, h: &Header) {
        self.title.extend_from_slice(&h.title);
        self.used.push(h.used);
        self.outlet.push(h.outlet);
        self.published.push(h.published);
    }

    /// Reserves room for `n` more headers.
    pub fn reserve(&mut self, n: usize) {
        self.title.reserve(n * TK);
        self.used.reserve(n);
        self.outlet.reserve(n);
        self.published.reserve(n);
    }

    /// Number of headers.
    pub fn len(&self) -> usize {
        self.used.len()
    }

    /// Whether there are none (verification then judges by text alone).
    pub fn is_empty(&self) -> bool {
        self.used.is_empty()
    }

    fn title(&self, i: usize) -> &[u32] {
        &self.title[i * TK..i * TK + self.used[i] as usize]
    }

    /// Counts the headlines holding each content word, for the weights of
    /// [`Headers::title_containment`]. Call once all headers are pushed.
    ///
    /// Counted in parallel, a map per piece of the table, merged (the
    /// counts do not depend on the order): between reading and banding
    /// nothing else runs, and one thread counting a million headlines kept
    /// the other waiting.
    pub fn count_words(&mut self) {
        use rayon::prelude::*;
        type Df = hashbrown::HashMap<u32, u32>;
        let df = (0..self.len())
            .into_par_iter()
            .with_min_len(8192)
            .fold(Df::new, |mut df, i| {
                for &w in self.title(i) {
                    *df.entry(w).or_insert(0) += 1;
                }
                df
            })
            .reduce(Df::new, |a, b| {
                let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                for (w, n) in small {
                    *big.entry(w).or_insert(0) += n;
                }
                big
            });
        let titled = self.used.iter().filter(|&&u| u > 0).count() as u64;
        self.counts = HeadlineCounts {
            df,
            titled,
            common: common_bar(titled),
        };
    }

    /// The headline counts in use (empty until [`Headers::count_words`]).
    pub fn counts(&self) -> &HeadlineCounts {
        &self.counts
    }

    /// Uses `counts` for the weights instead of this table's own (counts
    /// of a larger corpus, as an index keeps them).
    pub fn set_counts(&mut self, counts: HeadlineCounts) {
        self.counts = counts;
    }

    /// Article `i`'s header.
    pub fn get(&self, i: usize) -> Header {
        let mut title = [u32::MAX; TK];
        title.copy_from_slice(&self.title[i * TK..(i + 1) * TK]);
        Header {
            title,
            used: self.used[i],
            outlet: self.outlet[i],
            published: self.published[i],
        }
    }

    /// Article `i`'s publication time, if known.
    pub fn published(&self, i: usize) -> Option<i64> {
        let p = self.published[i];
        (p != UNDATED).then_some(p)
    }

    /// Weighted share of the smaller headline's content words found in the
    /// other (a word weighs 1 up to `COMMON_DF` headlines and less above,
    /// so a template's fixed words count little once counted); `None` when
    /// either article has no
    /// headline (or one of function words only). Exact for headlines of up
    /// to `TK` content words; a longer one is judged on the kept ones.
    pub fn title_containment(&self, a: usize, b: usize) -> Option<f64> {
        title_containment(self.title(a), self.title(b), &self.counts)
    }

    /// Whether `a` and `b` are one outlet's re-filing of one story by
    /// their headers: one outlet, less than [`REFILING_SECONDS`] apart,
    /// the same headline words, one of them not common (see `refiling`).
    pub fn refiling(&self, a: usize, b: usize) -> bool {
        refiling(
            (self.title(a), self.outlet[a], self.published[a]),
            (self.title(b), self.outlet[b], self.published[b]),
            &self.counts,
        )
    }

    /// Whether `a` and `b` both name one outlet.
    pub fn same_outlet(&self, a: usize, b: usize) -> bool {
        same_outlet(self.outlet[a], self.outlet[b])
    }

    /// Article `i`'s key in the headline band (see [`Header::headline_key`]).
    pub fn headline_key(&self, i: usize, seed: u64) -> Option<u64> {
        headline_key(self.title(i), seed)
    }

    /// Whether `a` and `b` come from one named outlet, both dated, `gap`
    /// seconds or more apart (a daily notice recurs to the minute: 24 h).
    pub fn same_outlet_apart(&self, a: usize, b: usize, gap: i64) -> bool {
        same_outlet_apart(
            (self.outlet[a], self.published[a]),
            (self.outlet[b], self.published[b]),
            gap,
        )
    }
}

/// Weighted share of the smaller headline's words `ta`, `tb` (sorted) found
/// in the other: the one computation behind [`Headers::title_containment`]
/// and [`Header::title_containment`].
#[inline]
fn title_containment(ta: &[u32], tb: &[u32], counts: &HeadlineCounts) -> Option<f64> {
    if ta.is_empty() || tb.is_empty() {
        return None;
    }
    let (small, large) = if ta.len() <= tb.len() {
        (ta, tb)
    } else {
        (tb, ta)
    };
    // Both are sorted: one merge walk.
    let (mut j, mut found, mut all) = (0, 0.0, 0.0);
    for &w in small {
        while j < large.len() && large[j] < w {
            j += 1;
        }
        let weight = counts.weight(w);
        all += weight;
        if j < large.len() && large[j] == w {
            found += weight;
        }
    }
    Some(if all > 0.0 { found / all } else { 0.0 })
}

/// Whether two (outlet hash, time) pairs are one named outlet's, both
/// dated, `gap` seconds or more apart.
#[inline]
fn same_outlet_apart((oa, pa): (u32, i64), (ob, pb): (u32, i64), gap: i64) -> bool {
    same_outlet(oa, ob) && pa != UNDATED && pb != UNDATED && pa.abs_diff(pb) >= gap.max(0) as u64
}

/// Whether two outlet hashes name one outlet (0: none named).
#[inline]
fn same_outlet(oa: u32, ob: u32) -> bool {
    oa != 0 && oa == ob
}

/// Content words a headline needs before it can identify a story on its
/// own (`refiling`): 3. "SETS PAYOUT" or "QTR NET" name no subject; a
/// headline that does ("U.S. INTEC INC 4TH QTR NET", "STORM HITS
/// FLORIDA") holds three or more. A template's headline of three words
/// ("4TH QTR NET") is told by its counts instead: its words are in many
/// headlines, and a re-filing needs one word that is not.
pub const REFILING_MIN_WORDS: usize = 3;

/// Seconds within which an outlet's two items under one headline are one
/// story re-filed (`refiling`): 18 hours. An outlet updates, expands and
/// repeats its own story within its news day: takes come hours apart, and
/// a story filed late in the evening is re-filed the next morning, 12 to
/// 16 hours later. The next edition of a daily item (a market column, the
/// day's reserve operations, livestock estimates) comes a day later give
/// or take an hour or two, under the same headline. In the Reuters dev
/// half every labelled same-headline pair is under 18 hours apart and
/// every unlabelled one between 20 and 24 hours is the next edition of a
/// daily column. (Same-outlet pairs a day or more apart are never edges:
/// `Config::recurrence_days`.)
pub const REFILING_SECONDS: i64 = 18 * 3600;

/// Whether two items are one outlet's re-filing of one story by their
/// headers: one named outlet, both dated less than [`REFILING_SECONDS`]
/// apart, the same headline content words (at least
/// [`REFILING_MIN_WORDS`]), at least one of which is not common in the
/// corpus's headlines (weight 1, see `word_weight`).
///
/// Why this holds on real news: an outlet's headline is its own name for
/// the story. Wire services re-file a story under its headline as it
/// grows (a two-line earnings flash, then the table; a first take, then
/// the full story with quotes), and the body of the later take can share
/// under a fifth of its word sequences with the first; every such pair in
/// the Reuters dev half whose body test fails has the same headline. The
/// same outlet does not run two different stories under one headline that
/// names something within a day. Recurring columns do ("PROPOSED OFFERINGS
/// RECENTLY FILED WITH THE SEC", daily market reports) — their bodies
/// list other figures, and a re-filing must keep some of its first take's
/// (`verify::REFILING_FIGURE_AGREEMENT`); the next day's edition comes
/// after [`REFILING_SECONDS`]. Another outlet's identical headline is not taken as evidence on
/// its own: it may be its own reporting of the same event, which is not a
/// copy; there the body decides, as before.
fn refiling(
    (ta, oa, pa): (&[u32], u32, i64),
    (tb, ob, pb): (&[u32], u32, i64),
    counts: &HeadlineCounts,
) -> bool {
    same_outlet(oa, ob)
        && pa != UNDATED
        && pb != UNDATED
        && pa.abs_diff(pb) < REFILING_SECONDS as u64
        && ta.len() >= REFILING_MIN_WORDS
        && ta == tb
        && ta.iter().any(|&w| counts.weight(w) >= 1.0)
}

/// The key of a headline's content words (sorted, as kept) for the
/// headline band ([`Header::headline_key`]); `None` when it holds fewer
/// than [`REFILING_MIN_WORDS`]. Never 0.
fn headline_key(words: &[u32], seed: u64) -> Option<u64> {
    if words.len() < REFILING_MIN_WORDS {
        return None;
    }
    let mut buf = [0u8; 4 * TK];
    for (c, w) in buf.chunks_exact_mut(4).zip(words) {
        c.copy_from_slice(&w.to_le_bytes());
    }
    Some(xxhash_rust::xxh3::xxh3_64_with_seed(&buf[..4 * words.len()], seed).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{NormText, Normalizer};

    fn header(title: &str, outlet: Option<&str>, at: Option<i64>) -> Header {
        let n = Normalizer::new(&[]).unwrap();
        let mut t = NormText::default();
        n.title_into(title, &mut t);
        Header::new(
            &mut t.words,
            &crate::shingle::stopwords::english(),
            outlet,
            at,
        )
    }

    fn headers(hs: &[Header]) -> Headers {
        let mut out = Headers::new();
        for h in hs {
            out.push(h);
        }
        out
    }

    #[test]
    fn a_templates_words_weigh_little_once_counted() {
        // 200 companies' earnings headlines of one template, then a
        // re-filing of one of them with the template's words changed.
        let mut hs: Vec<Header> = (0..200)
            .map(|i| header(&format!("COMPANY{i} CORP 3RD QTR EARNINGS"), None, None))
            .collect();
        hs.push(header(
            "Company7 Corp reports third quarter net",
            None,
            None,
        ));
        let mut h = headers(&hs);
        // Uncounted, the template's words are most of the headline.
        assert!(h.title_containment(3, 4).unwrap() >= 0.75);
        h.count_words();
        // Counted, they weigh a tenth each (200 headlines, 20 weigh fully):
        // two companies fall below the bar of 0.6, a re-filing does not.
        assert!(h.title_containment(3, 4).unwrap() < 0.3, "two companies");
        assert!(h.title_containment(7, 200).unwrap() > 0.7, "a re-filing");
    }

    #[test]
    fn headlines_of_one_notice_agree_and_of_two_companies_do_not() {
        let h = headers(&[
            header("SOUTHEAST BANKING CORP <STB> SETS QUARTERLY", None, None),
            header("Southeast Banking Corp <STB> declares qtly div", None, None),
            header(
                "OWENS AND MINOR INC <OBOD> RAISES QTLY DIVIDEND",
                None,
                None,
            ),
            header("", None, None),
            header("The of in", None, None),
        ]);
        // southeast, banking, corp, stb: 4 shared of 6 and 7 words.
        assert!((h.title_containment(0, 1).unwrap() - 4.0 / 6.0).abs() < 1e-9);
        assert_eq!(h.title_containment(0, 2), Some(0.0));
        assert_eq!(h.title_containment(0, 3), None);
        assert_eq!(h.title_containment(4, 0), None, "function words only");
    }

    #[test]
    fn long_headlines_are_cut_to_their_smallest_hashes() {
        let words: Vec<String> = (0..40).map(|i| format!("word{i}")).collect();
        let h = headers(&[
            header(&words.join(" "), None, None),
            header(&words.join(" "), None, None),
        ]);
        assert_eq!(h.title_containment(0, 1), Some(1.0));
        assert_eq!(h.used[0] as usize, TK);
    }

    #[test]
    fn same_outlet_apart_needs_both_dates_and_one_outlet() {
        let day = 86_400;
        let h = headers(&[
            header("x", Some("Reuters"), Some(0)),
            header("x", Some(" reuters"), Some(8 * day)),
            header("x", Some("AP"), Some(8 * day)),
            header("x", Some("Reuters"), None),
            header("x", None, Some(8 * day)),
            header("x", Some("Reuters"), Some(2 * day)),
        ]);
        let gap = 7 * day;
        assert!(h.same_outlet_apart(0, 1, gap));
        assert!(!h.same_outlet_apart(0, 2, gap), "another outlet");
        assert!(!h.same_outlet_apart(0, 3, gap), "undated");
        assert!(!h.same_outlet_apart(0, 4, gap), "no outlet");
        assert!(!h.same_outlet_apart(0, 5, gap), "within the gap");
        assert!(
            h.same_outlet_apart(0, 5, 2 * day),
            "a gap is reached at its end"
        );
    }

    #[test]
    fn a_refiling_is_one_outlets_headline_within_its_news_day() {
        let h = 3600;
        let acme = "ACME WIDGETS <ACW> 4TH QTR NET";
        let mut hs: Vec<Header> = (0..40)
            .map(|i| header(&format!("COMPANY{i} 4TH QTR NET"), Some("Wire"), Some(0)))
            .collect();
        hs.push(header(acme, Some("Wire"), Some(10 * h))); // 40
        hs.push(header(
            "Acme Widgets (ACW) 4th qtr net",
            Some("wire "),
            Some(14 * h),
        ));
        hs.push(header(acme, Some("Gazette"), Some(14 * h))); // 42
        hs.push(header(acme, Some("Wire"), Some(29 * h))); // 43
        hs.push(header("4TH QTR NET", Some("Wire"), Some(10 * h))); // 44
        hs.push(header("4TH QTR NET", Some("Wire"), Some(11 * h)));
        hs.push(header("SETS PAYOUT", Some("Wire"), Some(10 * h))); // 46
        hs.push(header("SETS PAYOUT", Some("Wire"), Some(11 * h)));
        let mut t = headers(&hs);
        t.count_words();
        assert!(t.refiling(40, 41), "one outlet, one headline, 4 hours");
        assert!(!t.refiling(40, 42), "another outlet");
        assert!(!t.refiling(40, 43), "19 hours later: the next day's item");
        assert!(!t.refiling(44, 45), "a template's words only (counted)");
        assert!(!t.refiling(46, 47), "two words name no story");
        let seed = 9;
        assert_eq!(t.headline_key(40, seed), t.headline_key(41, seed));
        assert_ne!(t.headline_key(40, seed), t.headline_key(44, seed));
        assert_eq!(t.headline_key(46, seed), None);
        // The fingerprint's header answers as the table does.
        assert!(t.get(40).refiling(&t.get(41), t.counts()));
        assert!(!t.get(44).refiling(&t.get(45), t.counts()));
    }
}
