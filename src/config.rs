//! Config: every setting of a scan, as plain data.
//!
//! No clap here: the CLI builds a `Config`, and so can a test, a bench, or a
//! future Python binding. Every hash seed lives here, so a report can echo
//! the settings that reproduce it.

use serde::Serialize;

/// JSON field paths for each article attribute. Dotted paths reach into
/// nested objects (`meta.outlet`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldNames {
    /// Article id (string or number). Required.
    pub id: String,
    /// Article body. Required.
    pub text: String,
    /// Headline.
    pub title: String,
    /// Outlet name.
    pub source: String,
    /// Canonical URL.
    pub url: String,
    /// Publication time: RFC 3339 date-time or `YYYY-MM-DD`.
    pub date: String,
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames {
            id: "id".into(),
            text: "text".into(),
            title: "title".into(),
            source: "source".into(),
            url: "url".into(),
            date: "published".into(),
        }
    }
}

/// One kind of shingle: word n-grams or character n-grams of the
/// normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "unit", content = "n", rename_all = "snake_case")]
pub enum ShingleSpec {
    /// `n` consecutive words.
    Word(usize),
    /// `n` consecutive characters (spaces included).
    Char(usize),
}

impl std::str::FromStr for ShingleSpec {
    type Err = String;

    /// Parses `word:3` or `char:5`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (unit, n) = s
            .split_once(':')
            .ok_or_else(|| format!("`{s}`: expected UNIT:N, e.g. word:3 or char:5"))?;
        let n: usize = n
            .parse()
            .map_err(|_| format!("`{s}`: N must be a whole number"))?;
        if !(1..=64).contains(&n) {
            return Err(format!("`{s}`: N must be between 1 and 64"));
        }
        match unit {
            "word" | "w" => Ok(ShingleSpec::Word(n)),
            "char" | "c" => Ok(ShingleSpec::Char(n)),
            _ => Err(format!("`{s}`: unit must be `word` or `char`")),
        }
    }
}

impl std::fmt::Display for ShingleSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShingleSpec::Word(n) => write!(f, "word:{n}"),
            ShingleSpec::Char(n) => write!(f, "char:{n}"),
        }
    }
}

/// Largest `--min-shingles`: an article's fingerprinted text is at most
/// 16 MB, so no article has more distinct shingles than this; a larger value
/// would make every article "too short" without saying so.
pub const MAX_MIN_SHINGLES: usize = 16 << 20;

/// All settings of a scan.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Field names in JSON Lines input.
    pub fields: FieldNames,
    /// Read every input as this kind (`--input-format`) rather than by
    /// its content and name.
    pub input_format: Option<crate::ingest::InputKind>,
    /// Replace invalid UTF-8 with U+FFFD instead of skipping the record.
    pub lossy: bool,
    /// Stop at the first bad record instead of skipping it.
    pub strict: bool,
    /// Extra boilerplate patterns (regexes, one per entry) on top of the
    /// built-in list in `normalize::boilerplate`.
    pub boilerplate: Vec<String>,
    /// Shingle kinds; the fingerprint is the union of their hashes.
    pub shingles: Vec<ShingleSpec>,
    /// MinHash signature length.
    pub num_perm: usize,
    /// Seed of every hash function (shingles, MinHash, LSH band keys).
    pub seed: u64,
    /// Jaccard similarity at or above which two articles are copies.
    pub threshold: f64,
    /// Containment (share of the shorter article found in the longer) at or
    /// above which two articles are copies: catches excerpts, whose Jaccard
    /// is only their share of the original. 1.0 or more turns it off.
    pub containment: f64,
    /// Smallest share of the longer article an excerpt must cover for the
    /// containment rule to apply; also sets how low LSH must reach.
    pub min_excerpt: f64,
    /// Share of the smaller set of anchors (names, numbers) that must be
    /// found in the larger, for articles with at least `min_anchors` each.
    /// 0 turns the anchor rule off.
    pub anchor_containment: f64,
    /// Anchors both articles need before the anchor rule applies.
    ///
    /// 3, by measurement: short templated reports (weather, results) carry
    /// only a handful of anchor pairs once outlet furniture is dropped, and
    /// at 5 they escaped the rule; at a million articles their text alone
    /// chained 2,690 weather reports of 60 cities into one cluster. At 3 the
    /// 100k corpus has pairwise precision 0.9953 (0.7878 at 5 with the same
    /// furniture rules) and the same recall (0.9966); 2 changes nothing more.
    pub min_anchors: u32,
    /// Shingles two articles must share (estimated) for their Jaccard or
    /// containment to be trusted alone. Pairs sharing fewer are judged by
    /// exactness: near-identical text, the same names and figures, and
    /// agreeing headlines where both have one.
    ///
    /// 25, about one sentence of running text. Below it are the short
    /// templated items of every wire (dividend notices, earnings tables,
    /// auction results, one-line market reports): on the Reuters dev set,
    /// different companies' dividend notices of about ten shingles shared
    /// 30-60% of them and chained 338 notices into one cluster. 20 let
    /// generated four-line earnings tables (22 shingles) through; 25-30
    /// give the same dev-set F1 (0.769), 40 loses re-filings (0.765).
    pub min_shared: f64,
    /// For pairs sharing fewer than `min_shared` shingles: the share of the
    /// smaller headline's content words found in the other headline.
    ///
    /// 0.6: re-filings of one notice keep the subject's name ("SOUTHEAST
    /// BANKING CORP `<STB>` SETS QUARTERLY" / "... DECLARES QTLY DIV": 0.67),
    /// while notices of one template share only its fixed words.
    pub title_agreement: f64,
    /// Days after which an outlet's own item published again is a new
    /// story, never a copy (negative: off). 1: an outlet re-files,
    /// corrects, repeats and updates its own story within the news cycle
    /// (in the Reuters dev half 326 of the 331 labelled same-story pairs
    /// are less than 24 hours apart), while the same words from the same
    /// outlet a day or more later are its next recurring item: the daily
    /// Fed repurchase notice, a money-market forecast, a bond issue told
    /// from one template, a weekly central-bank operation. Copies by
    /// other outlets are never judged by it. 7 days left the daily
    /// notices merged (dev F1 0.774, 1 day: 0.816, recall 0.909 -> 0.903).
    pub recurrence_days: f64,
    /// Share of the smaller set of figures (runs of words with a digit) that
    /// must be found in the other text, when both have any (0: off).
    /// Copies keep every figure; items of one template (two days' market
    /// notices, two companies' dividends) differ in exactly them.
    ///
    /// 0.7, by measurement: on the Reuters dev set F1 0.770 (0.767 at 0.8,
    /// 0.763 at 0.6); on the generator, OCR-noised copies (whose digits are
    /// misread too) are found with their parent 0.997 of the time (0.968
    /// at 0.8).
    pub figure_agreement: f64,
    /// LSH bands and rows; `None` chooses them from the thresholds.
    pub bands: Option<(usize, usize)>,
    /// Verify candidates with exact Jaccard and containment on the shingle
    /// sets (re-read from the input) instead of the signature estimate.
    pub exact: bool,
    /// Also band each article's opening (`lsh::lede`) to find lede
    /// excerpts, counted exactly; off: candidates come from the whole-text
    /// bands alone (`--no-lede`).
    pub lede: bool,
    /// Candidate buckets larger than this are compared in a sliding window
    /// instead of all pairs, so a story copied 50,000 times stays linear.
    pub max_bucket: usize,
    /// Articles with fewer shingles than this are too short to fingerprint:
    /// kept as flagged singletons, never merged.
    pub min_shingles: usize,
    /// Skipped records listed per input file (and notices, likewise); the
    /// rest are counted, not kept. See [`DEFAULT_MAX_ERRORS`].
    pub max_errors: usize,
}

/// Skipped records (and notices) kept per file by default: 1,000.
///
/// Every kind of problem a real file has shows up in its first few hundred
/// bad lines; a file with thousands is one problem repeated (the wrong
/// format, encoding or field name), and keeping each costs memory per line:
/// about 170 bytes, so a 300 MB file of one-byte bad lines would need 24 GB.
/// At 1,000 a file's list costs at most about 200 KB; counts stay exact.
pub const DEFAULT_MAX_ERRORS: usize = 1000;

impl Default for Config {
    fn default() -> Self {
        Config {
            fields: FieldNames::default(),
            input_format: None,
            lossy: false,
            strict: false,
            boilerplate: Vec::new(),
            // Defaults chosen by measurement (README, quality section): word
            // bigrams keep a spun copy's similarity well above unrelated
            // text (a spinner that swaps one word in three still leaves
            // about half the bigrams), while function-word-only bigrams are
            // dropped so unrelated articles share almost none.
            shingles: vec![ShingleSpec::Word(2)],
            num_perm: 128,
            seed: 0x5749_5245_5452_4143, // "WIRETRAC"
            threshold: 0.3,
            containment: 0.8,
            min_excerpt: 0.3,
            anchor_containment: 0.4,
            min_anchors: 3,
            min_shared: 25.0,
            title_agreement: 0.6,
            recurrence_days: 1.0,
            figure_agreement: 0.7,
            bands: None,
            exact: false,
            lede: true,
            max_bucket: 256,
            min_shingles: 8,
            max_errors: DEFAULT_MAX_ERRORS,
        }
    }
}

impl Config {
    /// Checks ranges and consistency; the message names the flag, the value
    /// given and the range allowed. Every float must be finite: NaN compares
    /// false with everything, so a NaN threshold would silently turn a rule
    /// off (or on) instead of failing here.
    pub fn validate(&self) -> Result<(), crate::Error> {
        let bad = |m: String| Err(crate::Error::Config(m));
        // (flag, value, low, high, whether low itself is allowed)
        let shares: [(&str, f64, f64, f64, bool); 8] = [
            ("--threshold", self.threshold, 0.0, 1.0, false),
            ("--min-excerpt", self.min_excerpt, 0.0, 1.0, false),
            // Above 1 turns the containment rule off; 2 is as off as any
            // larger value, and a bound keeps typos (80 for 0.8) visible.
            ("--containment", self.containment, 0.0, 2.0, false),
            (
                "--anchor-containment",
                self.anchor_containment,
                0.0,
                1.0,
                true,
            ),
            ("--title-agreement", self.title_agreement, 0.0, 1.0, true),
            ("--figure-agreement", self.figure_agreement, 0.0, 1.0, true),
            // A count of shingles: no article has more than the 16 MB it
            // is fingerprinted on has words.
            ("--min-shared", self.min_shared, 0.0, 1e9, true),
            // Negative turns the rule off; a day count beyond 1000 years
            // is no rule at all, and would overflow seconds in i64 arithmetic.
            (
                "--recurrence-days",
                self.recurrence_days,
                -1e6,
                365_250.0,
                true,
            ),
        ];
        for (flag, v, lo, hi, lo_ok) in shares {
            let low_ok = if lo_ok { v >= lo } else { v > lo };
            if !(v.is_finite() && low_ok && v <= hi) {
                let open = if lo_ok { '[' } else { '(' };
                return bad(format!("{flag} {v}: must be a number in {open}{lo}, {hi}]"));
            }
        }
        if self.num_perm == 0 || self.num_perm > 4096 {
            return bad(format!(
                "--num-perm {}: must be between 1 and 4096",
                self.num_perm
            ));
        }
        if let Some(s) = self
            .shingles
            .iter()
            .find(|s| !matches!(s, ShingleSpec::Word(1..=64) | ShingleSpec::Char(1..=64)))
        {
            return bad(format!("--shingle {s}: N must be between 1 and 64"));
        }
        if self.shingles.is_empty() {
            return bad("at least one --shingle kind is needed".into());
        }
        if let Some((b, r)) = self.bands {
            if b == 0 || r == 0 || b.checked_mul(r).is_none_or(|n| n > self.num_perm) {
                return bad(format!(
                    "--bands {b} x --rows {r}: must be at least 1 each and use at most --num-perm {} values",
                    self.num_perm
                ));
            }
        }
        if self.max_bucket < 2 {
            return bad(format!(
                "--max-bucket {}: must be at least 2",
                self.max_bucket
            ));
        }
        if self.min_shingles > MAX_MIN_SHINGLES {
            return bad(format!(
                "--min-shingles {}: must be between 0 and {MAX_MIN_SHINGLES}",
                self.min_shingles
            ));
        }
        Ok(())
    }

    /// The lowest Jaccard that LSH must reach to find every pair the
    /// verification would accept: the Jaccard threshold, or an excerpt's
    /// Jaccard (its share of the original) when the containment rule is on.
    pub fn candidate_threshold(&self) -> f64 {
        if self.containment <= 1.0 {
            self.threshold.min(self.min_excerpt)
        } else {
            self.threshold
        }
    }
}
