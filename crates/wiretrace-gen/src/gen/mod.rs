//! GenConfig -> corpus.jsonl + truth.jsonl.
//!
//! A deterministic generator of a syndicated news corpus with ground truth.
//! Each *unit* is either a news event or a family of templated stories. An
//! event yields an original article written by a wire service or newspaper
//! (English-looking text rendered from sentence templates with Zipf-sampled
//! words, named people, organisations, places, figures and quotations) and,
//! sometimes, a `same_event` rival: another outlet's independently written
//! story with the same people, place, date and topic words. A templated
//! family (earnings, dividends, weather, sports results) shares one text
//! skeleton whose holes take each story's own names and numbers. Every such
//! story is its own truth cluster and gets 0-6 copies made by other outlets
//! (`verbatim`, `excerpt`, `light_edit`, `spun_NN`, `reordered`, `ocr`,
//! `lede_excerpt`: the first 1-3 paragraphs of a 400-900-word story and a
//! "read more" line, `partial_verbatim`: some paragraphs verbatim, the rest
//! rewritten), which share its cluster and are published 5 minutes to 3
//! days later. A third kind of unit is a family of short wire notices
//! (`templated_short`, dividends and earnings, see `notices`): bodies of a
//! few terse lines, often identical across the family, with the company
//! named only in the headline; some are filed again by another outlet
//! under a reworded headline (`refiled_short`, same cluster).
//! Output goes through a bounded shuffle window so copies are not adjacent
//! to their original; ids come from a keyed permutation of the generation
//! order. Memory use is bounded by the window, not by the corpus size, and
//! the output is byte-identical for a given configuration.

mod clock;
mod copy;
mod hanzi;
mod lexicon;
mod notices;
mod outlets;
mod rng;
mod story;
mod templates;
mod words;

#[cfg(test)]
mod tests;

use std::io::{self, Write};

use serde::Serialize;

use self::copy::{SpinParams, Wrap};
pub use self::hanzi::Language;
use self::lexicon::Lexicon;
use self::notices::NoticeFamily;
use self::outlets::{Role, OUTLETS};
use self::rng::{splitmix64, Rng};
use self::story::{Doc, Event};

/// Settings of the corpus generator. Rates are probabilities in `[0, 1]`.
#[derive(Clone, Debug, PartialEq)]
pub struct GenConfig {
    /// Seed of every random choice: same config, same bytes.
    pub seed: u64,
    /// Number of articles to write (exact).
    pub articles: usize,
    /// One `spun_NN` copy kind per rate: share of thesaurus content words
    /// replaced by a synonym (NN = rate * 100, rounded).
    pub spin_rates: Vec<f64>,
    /// Spinner: probability per word of swapping it with the next word.
    pub swap_rate: f64,
    /// Spinner: probability per sentence of dropping it.
    pub drop_rate: f64,
    /// Spinner: probability per sentence of merging it with the next one.
    pub merge_rate: f64,
    /// Target share of `original` articles; the rest of the corpus not taken
    /// by hard negatives is copies.
    pub original_share: f64,
    /// Target share of `same_event` hard negatives (at most `original_share`).
    pub same_event_share: f64,
    /// Target share of `templated` hard negatives.
    pub templated_share: f64,
    /// Target share of `templated_short` hard negatives (short notices).
    pub templated_short_share: f64,
    /// Probability that a short notice is filed again (`refiled_short`).
    pub refiled_short_rate: f64,
    /// Target share of `lede_excerpt` copies.
    pub lede_excerpt_share: f64,
    /// Target share of `partial_verbatim` copies.
    pub partial_verbatim_share: f64,
    /// Most copies of one story.
    pub max_copies: usize,
    /// Share of copies written without a `published` field.
    pub missing_time_rate: f64,
    /// OCR noise rate per character is drawn from `[ocr_min_rate, ocr_max_rate]`.
    pub ocr_min_rate: f64,
    /// Upper bound of the OCR noise rate.
    pub ocr_max_rate: f64,
    /// Articles held in the output shuffle window (0: no shuffling).
    pub window: usize,
    /// Unix time (seconds) of the first story.
    pub start: i64,
    /// Days over which originals are spread.
    pub span_days: f64,
    /// The language articles are written in: English, generated Chinese
    /// (a script written without spaces), or each story in one of them.
    pub language: Language,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            seed: 1,
            articles: 10_000,
            spin_rates: vec![0.2, 0.35],
            swap_rate: 0.02,
            drop_rate: 0.05,
            merge_rate: 0.05,
            original_share: 0.35,
            same_event_share: 0.10,
            templated_share: 0.10,
            templated_short_share: 0.03,
            refiled_short_rate: 0.35,
            lede_excerpt_share: 0.03,
            partial_verbatim_share: 0.03,
            max_copies: 6,
            missing_time_rate: 0.05,
            ocr_min_rate: 0.01,
            ocr_max_rate: 0.03,
            window: 1000,
            start: 1_704_067_200, // 2024-01-01T00:00:00Z
            span_days: 730.0,
            language: Language::English,
        }
    }
}

/// Kind names of the copy transformations drawn uniformly (the first
/// copy kinds, before `lede_excerpt`), for a config.
fn copy_kinds(cfg: &GenConfig) -> Vec<String> {
    let mut k = vec![
        "verbatim".to_string(),
        "excerpt".to_string(),
        "light_edit".to_string(),
    ];
    k.extend(cfg.spin_rates.iter().map(|r| spun_name(*r)));
    k.push("reordered".to_string());
    k.push("ocr".to_string());
    k
}

fn spun_name(rate: f64) -> String {
    format!("spun_{}", (rate * 100.0).round() as i64)
}

impl GenConfig {
    /// All kind names this config can produce: the stories (`original`,
    /// `same_event`, `templated`, `templated_short`), then the copy kinds
    /// (`verbatim` ... `ocr`, `lede_excerpt`, `partial_verbatim`,
    /// `refiled_short`). Kinds whose share is 0 are listed too.
    pub fn kinds(&self) -> Vec<String> {
        let mut k: Vec<String> = STORY_KINDS.iter().map(|s| s.to_string()).collect();
        k.extend(copy_kinds(self));
        k.extend(LATE_COPY_KINDS.iter().map(|s| s.to_string()));
        k
    }

    /// The defaults without the kinds added after the first corpora
    /// (`templated_short`, `refiled_short`, `lede_excerpt`,
    /// `partial_verbatim`): gives the same bytes as the generator did before
    /// them, e.g. `testdata/demo` at seed 7 and 300 articles.
    pub fn legacy() -> GenConfig {
        GenConfig {
            templated_short_share: 0.0,
            lede_excerpt_share: 0.0,
            partial_verbatim_share: 0.0,
            ..GenConfig::default()
        }
    }

    /// Share of the corpus left to copies of original, same-event and
    /// templated stories.
    fn copy_share(&self) -> f64 {
        1.0 - self.original_share
            - self.same_event_share
            - self.templated_share
            - self.templated_short_share
            - self.templated_short_share * self.refiled_short_rate
    }

    /// Checks ranges; the message says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let unit = |name: &str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("{name} must be in [0, 1], got {v}"))
            }
        };
        for (name, v) in [
            ("swap_rate", self.swap_rate),
            ("drop_rate", self.drop_rate),
            ("merge_rate", self.merge_rate),
            ("original_share", self.original_share),
            ("same_event_share", self.same_event_share),
            ("templated_share", self.templated_share),
            ("templated_short_share", self.templated_short_share),
            ("refiled_short_rate", self.refiled_short_rate),
            ("lede_excerpt_share", self.lede_excerpt_share),
            ("partial_verbatim_share", self.partial_verbatim_share),
            ("missing_time_rate", self.missing_time_rate),
            ("ocr_min_rate", self.ocr_min_rate),
            ("ocr_max_rate", self.ocr_max_rate),
        ] {
            unit(name, v)?;
        }
        for r in &self.spin_rates {
            unit("spin rate", *r)?;
        }
        let names = copy_kinds(self);
        for (i, n) in names.iter().enumerate() {
            if names[..i].contains(n) {
                return Err(format!("spin rates give the kind {n} twice"));
            }
        }
        if self.original_share <= 0.0 {
            return Err("original_share must be positive".into());
        }
        if self.same_event_share > self.original_share {
            return Err("same_event_share cannot exceed original_share".into());
        }
        if self.copy_share() < -1e-9 {
            return Err("original_share + same_event_share + templated_share + \
                 templated_short_share * (1 + refiled_short_rate) must be at most 1"
                .into());
        }
        if self.lede_excerpt_share + self.partial_verbatim_share > self.copy_share() + 1e-9 {
            return Err(
                "lede_excerpt_share + partial_verbatim_share exceed the share left to copies"
                    .into(),
            );
        }
        if self.ocr_min_rate > self.ocr_max_rate {
            return Err("ocr_min_rate must not exceed ocr_max_rate".into());
        }
        if self.max_copies > 100 {
            return Err("max_copies must be at most 100".into());
        }
        if self.window > 10_000_000 {
            return Err("window must be at most 10,000,000".into());
        }
        if !(self.span_days.is_finite() && self.span_days > 0.0) {
            return Err("span_days must be positive".into());
        }
        Ok(())
    }
}

/// What `generate` wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GenStats {
    /// Articles written (corpus lines).
    pub articles: usize,
    /// Truth clusters with at least one article (originals, same-event and
    /// templated stories).
    pub stories: usize,
    /// Bytes written to the corpus.
    pub bytes: u64,
    /// Articles per kind, in the order of [`GenConfig::kinds`].
    pub per_kind: Vec<(String, usize)>,
}

/// Story kinds, in the order of [`GenConfig::kinds`].
const STORY_KINDS: [&str; 4] = ["original", "same_event", "templated", "templated_short"];
/// Copy kinds after the uniformly drawn ones.
const LATE_COPY_KINDS: [&str; 3] = ["lede_excerpt", "partial_verbatim", "refiled_short"];

/// Derived probabilities.
struct Plan {
    p_same: f64,
    p_family: f64,
    p_short: f64,
    /// Probability of a `lede_excerpt` for a copy whose source can give one.
    p_lede: f64,
    /// Probability of a `partial_verbatim` for any copy.
    p_partial: f64,
    copies_cum: Vec<f64>,
    gap_secs: f64,
}

const FAMILY_MIN: usize = 3;
const FAMILY_MAX: usize = 5;
const SHORT_FAMILY_MIN: usize = 4;
const SHORT_FAMILY_MAX: usize = 8;
/// Share of copies whose source can give a lede excerpt (a 400-900-word
/// story, see `copy::lede_counts`), measured on default corpora; it turns
/// `lede_excerpt_share` into a probability per eligible copy.
const LEDE_ELIGIBLE: f64 = 0.40;
/// Spin rate of the paragraphs a `partial_verbatim` copy spins.
const PARTIAL_SPIN: (f64, f64) = (0.6, 0.9);

impl Plan {
    fn new(cfg: &GenConfig) -> Plan {
        let stories_share = cfg.original_share + cfg.same_event_share + cfg.templated_share;
        let copy_share = cfg.copy_share().max(0.0);
        let mean_copies = if stories_share > 0.0 {
            copy_share / stories_share
        } else {
            0.0
        };
        let p_same = (cfg.same_event_share / cfg.original_share).min(1.0);
        let fam_mean = (FAMILY_MIN + FAMILY_MAX) as f64 / 2.0;
        let short_mean = (SHORT_FAMILY_MIN + SHORT_FAMILY_MAX) as f64 / 2.0;
        let x = cfg.templated_share / (cfg.original_share * fam_mean);
        let y = cfg.templated_short_share / (cfg.original_share * short_mean);
        // With y = 0 these are the expressions (and bits) of before.
        let p_family = x / (1.0 + x + y);
        let p_short = y / (1.0 + x + y);
        let (mut p_lede, mut p_partial) = (0.0, 0.0);
        if copy_share > 0.0 {
            p_partial = (cfg.partial_verbatim_share / copy_share).min(1.0);
            p_lede = (cfg.lede_excerpt_share / (copy_share * LEDE_ELIGIBLE)).min(1.0 - p_partial);
        }
        let copies_cum = geometric_cum(cfg.max_copies, mean_copies);
        let per_unit = ((1.0 - p_family - p_short) * (1.0 + p_same) + p_family * fam_mean)
            * (1.0 + mean_copies)
            + p_short * short_mean * (1.0 + cfg.refiled_short_rate);
        let units = (cfg.articles as f64 / per_unit).max(1.0);
        let gap_secs = (cfg.span_days * 86_400.0 / units).max(60.0);
        Plan {
            p_same,
            p_family,
            p_short,
            p_lede,
            p_partial,
            copies_cum,
            gap_secs,
        }
    }

    fn copies(&self, rng: &mut Rng) -> usize {
        let u = rng.f64() * self.copies_cum.last().copied().unwrap_or(1.0);
        self.copies_cum
            .partition_point(|&c| c <= u)
            .min(self.copies_cum.len().saturating_sub(1))
    }
}

/// Cumulative weights q^k, k = 0..=max, with q chosen so the mean is `mean`.
fn geometric_cum(max: usize, mean: f64) -> Vec<f64> {
    let mean_of = |q: f64| {
        let (mut s, mut m, mut w) = (0.0, 0.0, 1.0);
        for k in 0..=max {
            s += w;
            m += k as f64 * w;
            w *= q;
        }
        m / s
    };
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while mean_of(hi) < mean && hi < 1e6 {
        hi *= 2.0;
    }
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if mean_of(mid) < mean {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let q = (lo + hi) / 2.0;
    let mut acc = 0.0;
    let mut w = 1.0;
    (0..=max)
        .map(|_| {
            acc += w;
            w *= q;
            acc
        })
        .collect()
}

/// Keyed permutation of `0..n` (4-round Feistel network with cycle walking).
struct IdPerm {
    n: u64,
    half: u32,
    mask: u64,
    keys: [u64; 4],
}

impl IdPerm {
    fn new(n: u64, seed: u64) -> Self {
        let bits = (64 - n.saturating_sub(1).leading_zeros()).max(2);
        let bits = bits + bits % 2;
        let half = bits / 2;
        let mut sm = seed ^ 0x1D5A_11D5;
        let keys = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        IdPerm {
            n,
            half,
            mask: (1u64 << half) - 1,
            keys,
        }
    }

    fn round(&self, x: u64) -> u64 {
        let (mut l, mut r) = (x >> self.half, x & self.mask);
        for k in self.keys {
            let mut s = r ^ k;
            let f = splitmix64(&mut s) & self.mask;
            (l, r) = (r, l ^ f);
        }
        (l << self.half) | r
    }

    fn map(&self, i: u64) -> u64 {
        let mut x = self.round(i);
        while x >= self.n {
            x = self.round(x);
        }
        x
    }
}

#[derive(Serialize)]
struct CorpusLine<'a> {
    id: &'a str,
    source: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    title: &'a str,
    text: &'a str,
}

#[derive(Serialize, Default)]
struct TruthLine<'a> {
    id: &'a str,
    cluster: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    share: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    substituted: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    noise: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative_of: Option<&'a str>,
}

/// Writes lines through a bounded shuffle window.
struct Output<'w> {
    corpus: &'w mut dyn Write,
    truth: &'w mut dyn Write,
    window: Vec<(Vec<u8>, Vec<u8>)>,
    cap: usize,
    rng: Rng,
    bytes: u64,
}

impl Output<'_> {
    fn push(&mut self, c: Vec<u8>, t: Vec<u8>) -> io::Result<()> {
        self.window.push((c, t));
        if self.window.len() > self.cap {
            let i = self.rng.below(self.window.len());
            let (c, t) = self.window.swap_remove(i);
            self.write(&c, &t)?;
        }
        Ok(())
    }

    fn write(&mut self, c: &[u8], t: &[u8]) -> io::Result<()> {
        self.corpus.write_all(c)?;
        self.truth.write_all(t)?;
        self.bytes += c.len() as u64;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let mut rest = std::mem::take(&mut self.window);
        self.rng.shuffle(&mut rest);
        for (c, t) in &rest {
            self.write(c, t)?;
        }
        self.corpus.flush()?;
        self.truth.flush()
    }
}

/// Extra truth facts of one article.
#[derive(Default)]
struct Extra<'a> {
    parent: Option<&'a str>,
    share: Option<f64>,
    rate: Option<f64>,
    substituted: Option<f64>,
    noise: Option<f64>,
    family: Option<&'a str>,
    negative_of: Option<&'a str>,
}

/// One article ready to be written.
struct Article<'a> {
    outlet: usize,
    time: i64,
    published: bool,
    title: &'a str,
    text: &'a str,
    kind: usize,
    cluster: &'a str,
}

/// A story to publish.
struct StoryIn<'a> {
    ev: &'a Event,
    doc: &'a Doc,
    outlet: usize,
    time: i64,
    kind: usize,
}

/// A story that copies are made from.
struct Source<'a> {
    ev: &'a Event,
    doc: &'a Doc,
    outlet: usize,
    time: i64,
    cluster: &'a str,
    id: &'a str,
    url: &'a str,
}

/// Indices of kinds in `Driver::kinds`.
struct KindIx {
    /// First uniformly drawn copy kind (`verbatim`).
    first_copy: usize,
    /// How many copy kinds are drawn uniformly (`verbatim` ... `ocr`).
    uniform_copies: usize,
    short: usize,
    lede: usize,
    partial: usize,
    refiled: usize,
}

impl KindIx {
    fn new(kinds: &[String]) -> KindIx {
        let at = |name: &str| kinds.iter().position(|k| k == name).unwrap_or(0);
        let first_copy = STORY_KINDS.len();
        KindIx {
            first_copy,
            uniform_copies: kinds.len() - first_copy - LATE_COPY_KINDS.len(),
            short: at("templated_short"),
            lede: at("lede_excerpt"),
            partial: at("partial_verbatim"),
            refiled: at("refiled_short"),
        }
    }
}

struct Driver<'a, 'w> {
    cfg: &'a GenConfig,
    lex: &'a Lexicon,
    plan: Plan,
    ids: IdPerm,
    kinds: Vec<String>,
    ix: KindIx,
    counts: Vec<usize>,
    seq: usize,
    stories: usize,
    families: usize,
    out: Output<'w>,
    originals: Vec<usize>,
    wires: Vec<usize>,
    copiers: Vec<usize>,
    archive: Vec<usize>,
}

fn rounded(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl Driver<'_, '_> {
    fn full(&self) -> bool {
        self.seq >= self.cfg.articles
    }

    /// Writes one article; returns its id and url.
    fn emit(&mut self, a: &Article, extra: &Extra, rng: &mut Rng) -> io::Result<(String, String)> {
        let id = format!("a{:07}", self.ids.map(self.seq as u64) + 1);
        self.seq += 1;
        self.counts[a.kind] += 1;
        let o = &OUTLETS[a.outlet];
        let days = a.time.div_euclid(86_400);
        let (y, m, d) = clock::civil_from_days(days);
        let mut url = format!(
            "https://{}/{}/{y}/{m:02}/{d:02}/",
            o.domain,
            rng.pick(o.sections)
        );
        for w in a
            .title
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(8)
        {
            for c in w.chars() {
                url.push(c.to_ascii_lowercase());
            }
            url.push('-');
        }
        url.push_str(&format!("{:06x}", rng.next_u64() & 0xFF_FFFF));
        let mut published = String::new();
        if a.published {
            clock::write_rfc3339(&mut published, a.time);
        }
        let chinese = self.cfg.language.chinese(a.cluster);
        let (title, text) = if chinese {
            (hanzi::to_chinese(a.title), hanzi::to_chinese(a.text))
        } else {
            (String::new(), String::new())
        };
        let line = CorpusLine {
            id: &id,
            source: o.name,
            url: &url,
            published: a.published.then_some(published.as_str()),
            title: if chinese { &title } else { a.title },
            text: if chinese { &text } else { a.text },
        };
        let mut c = Vec::with_capacity(a.text.len() + a.title.len() + 200);
        serde_json::to_writer(&mut c, &line)?;
        c.push(b'\n');
        let truth = TruthLine {
            id: &id,
            cluster: a.cluster,
            kind: &self.kinds[a.kind],
            parent: extra.parent,
            share: extra.share.map(rounded),
            rate: extra.rate,
            substituted: extra.substituted.map(rounded),
            noise: extra.noise.map(rounded),
            family: extra.family,
            negative_of: extra.negative_of,
        };
        let mut t = Vec::with_capacity(96);
        serde_json::to_writer(&mut t, &truth)?;
        t.push(b'\n');
        self.out.push(c, t)?;
        Ok((id, url))
    }

    fn new_cluster(&mut self) -> String {
        self.stories += 1;
        format!("s{:06}", self.stories)
    }

    fn pick_original_outlet(&self, rng: &mut Rng, not: Option<usize>) -> usize {
        loop {
            let o = *rng.pick(&self.originals);
            if Some(o) != not {
                return o;
            }
        }
    }

    /// Writes a story (original, same-event or templated) and its copies.
    fn story(&mut self, rng: &mut Rng, s: StoryIn, extra: &Extra) -> io::Result<Option<String>> {
        let StoryIn {
            ev,
            doc,
            outlet,
            time,
            kind,
        } = s;
        if self.full() {
            return Ok(None);
        }
        let cluster = self.new_cluster();
        let a = Article {
            outlet,
            time,
            published: true,
            title: &doc.title,
            text: &doc.text(),
            kind,
            cluster: &cluster,
        };
        let (id, url) = self.emit(&a, extra, rng)?;
        let src = Source {
            ev,
            doc,
            outlet,
            time,
            cluster: &cluster,
            id: &id,
            url: &url,
        };
        self.copies(rng, &src)?;
        Ok(Some(cluster))
    }

    fn copies(&mut self, rng: &mut Rng, src: &Source) -> io::Result<()> {
        let n = self.plan.copies(rng);
        let mut used = vec![src.outlet];
        let lede = copy::lede_counts(src.doc);
        let (p_lede, p_partial) = (self.plan.p_lede, self.plan.p_partial);
        for _ in 0..n {
            if self.full() {
                return Ok(());
            }
            // No draw for the later kinds when they are off: the bytes of
            // before (see `GenConfig::legacy`).
            let u = if p_lede + p_partial > 0.0 {
                rng.f64()
            } else {
                0.5
            };
            let kind = if lede.is_some() && u < p_lede {
                self.ix.lede
            } else if u >= 1.0 - p_partial {
                self.ix.partial
            } else {
                self.ix.first_copy + rng.below(self.ix.uniform_copies)
            };
            let name = self.kinds[kind].clone();
            let pool = if name == "ocr" {
                &self.archive
            } else {
                &self.copiers
            };
            let mut outlet = *rng.pick(pool);
            for _ in 0..8 {
                if !used.contains(&outlet) {
                    break;
                }
                outlet = *rng.pick(pool);
            }
            used.push(outlet);
            let lag = rng.log_uniform(300.0, 3.0 * 86_400.0) as i64;
            let time = (src.time + lag) / 60 * 60;
            let published = !rng.chance(self.cfg.missing_time_rate);
            let mut date = String::new();
            clock::write_long_date(&mut date, time.div_euclid(86_400), true);
            let w = Wrap {
                dst: &OUTLETS[outlet],
                src: &OUTLETS[src.outlet],
                date: &date,
            };
            let mut extra = Extra {
                parent: Some(src.id),
                ..Extra::default()
            };
            let (title, text) = match name.as_str() {
                "verbatim" => copy::verbatim(src.doc, &w, rng),
                "excerpt" => {
                    let (t, x, share) = copy::excerpt(src.doc, &w, rng);
                    extra.share = Some(share);
                    (t, x)
                }
                "light_edit" => copy::light_edit(src.doc, src.ev, self.lex, &w, rng),
                "reordered" => copy::reorder(src.doc, &w, rng),
                "lede_excerpt" => {
                    let counts = lede.unwrap_or((1, 1));
                    let (t, x, share) = copy::lede_excerpt(src.doc, counts, src.url, &w, rng);
                    extra.share = Some(share);
                    (t, x)
                }
                "partial_verbatim" => {
                    let rate = rounded(rng.uniform(PARTIAL_SPIN.0, PARTIAL_SPIN.1));
                    let p = SpinParams {
                        rate,
                        swap_rate: self.cfg.swap_rate,
                        drop_rate: self.cfg.drop_rate.max(0.1),
                        merge_rate: self.cfg.merge_rate,
                    };
                    let (t, x, share) =
                        copy::partial_verbatim(src.doc, src.ev, self.lex, &p, &w, rng);
                    extra.share = Some(share);
                    extra.rate = Some(rate);
                    (t, x)
                }
                "ocr" => {
                    let rate = rng.uniform(self.cfg.ocr_min_rate, self.cfg.ocr_max_rate);
                    extra.noise = Some(rate);
                    let header = outlets::fill(
                        w.dst.header.first().copied().unwrap_or(""),
                        w.dst,
                        w.src,
                        "",
                        "",
                        &date,
                    );
                    let body = copy::ocr(&src.doc.text(), rate, rng);
                    let footer = w.dst.footer.join("\n\n");
                    let title = copy::ocr(&src.doc.title, rate, rng);
                    (title, format!("{header}\n\n{body}\n\n{footer}"))
                }
                _ => {
                    let i = kind - self.ix.first_copy - 3;
                    let rate = self.cfg.spin_rates.get(i).copied().unwrap_or(0.0);
                    let p = SpinParams {
                        rate,
                        swap_rate: self.cfg.swap_rate,
                        drop_rate: self.cfg.drop_rate,
                        merge_rate: self.cfg.merge_rate,
                    };
                    let (t, x, st) = copy::spun(src.doc, self.lex, &p, &w, rng);
                    extra.rate = Some(rate);
                    extra.substituted = Some(st.rate());
                    (t, x)
                }
            };
            let a = Article {
                outlet,
                time,
                published,
                title: &title,
                text: &text,
                kind,
                cluster: src.cluster,
            };
            self.emit(&a, &extra, rng)?;
        }
        Ok(())
    }

    fn event_unit(&mut self, rng: &mut Rng, t0: i64) -> io::Result<()> {
        let ev = Event::new(self.lex, rng, t0.div_euclid(86_400));
        let outlet = self.pick_original_outlet(rng, None);
        let o = &OUTLETS[outlet];
        let mut doc = story::write_story(
            &ev,
            self.lex,
            rng,
            &story::dateline(&ev, o.name, o.role == Role::Wire),
        );
        if o.role == Role::Wire {
            let (a, b) = (copy::author(rng), copy::author(rng));
            doc.paras.push(outlets::fill(o.credit, o, o, &a, &b, ""));
        }
        let Some(cluster) = self.story(
            rng,
            StoryIn {
                ev: &ev,
                doc: &doc,
                outlet,
                time: t0,
                kind: 0,
            },
            &Extra::default(),
        )?
        else {
            return Ok(());
        };
        if rng.chance(self.plan.p_same) {
            let outlet2 = self.pick_original_outlet(rng, Some(outlet));
            let o2 = &OUTLETS[outlet2];
            let t1 = (t0 + rng.range(600, 8 * 3600) as i64) / 60 * 60;
            let doc2 = story::write_story(
                &ev,
                self.lex,
                rng,
                &story::dateline(&ev, o2.name, o2.role == Role::Wire),
            );
            let extra = Extra {
                negative_of: Some(&cluster),
                ..Extra::default()
            };
            self.story(
                rng,
                StoryIn {
                    ev: &ev,
                    doc: &doc2,
                    outlet: outlet2,
                    time: t1,
                    kind: 1,
                },
                &extra,
            )?;
        }
        Ok(())
    }

    /// A family of short notices by one wire, each its own story, some
    /// filed again by another outlet.
    fn notice_unit(&mut self, rng: &mut Rng, t0: i64) -> io::Result<()> {
        let fam = NoticeFamily::new(rng, t0.div_euclid(86_400));
        self.families += 1;
        let family = format!("f{:05}-{}", self.families, fam.name());
        let outlet = *rng.pick(&self.wires);
        let n = rng.range(SHORT_FAMILY_MIN, SHORT_FAMILY_MAX);
        let mut t = t0;
        for _ in 0..n {
            if self.full() {
                break;
            }
            let notice = fam.notice(rng);
            let cluster = self.new_cluster();
            let text = notice.doc.text();
            let a = Article {
                outlet,
                time: t,
                published: true,
                title: &notice.doc.title,
                text: &text,
                kind: self.ix.short,
                cluster: &cluster,
            };
            let extra = Extra {
                family: Some(&family),
                ..Extra::default()
            };
            let (id, _) = self.emit(&a, &extra, rng)?;
            if rng.chance(self.cfg.refiled_short_rate) && !self.full() {
                let outlet2 = self.pick_original_outlet(rng, Some(outlet));
                let lag = rng.log_uniform(300.0, 6.0 * 3600.0) as i64;
                let title = notice.refile_title(rng);
                let a = Article {
                    outlet: outlet2,
                    time: (t + lag) / 60 * 60,
                    published: !rng.chance(self.cfg.missing_time_rate),
                    title: &title,
                    text: &text,
                    kind: self.ix.refiled,
                    cluster: &cluster,
                };
                let extra = Extra {
                    parent: Some(&id),
                    family: Some(&family),
                    ..Extra::default()
                };
                self.emit(&a, &extra, rng)?;
            }
            t += rng.range(2, 90) as i64 * 60;
        }
        Ok(())
    }

    fn family_unit(&mut self, rng: &mut Rng, t0: i64) -> io::Result<()> {
        let fam = rng.below(templates::FAMILIES.len());
        let sk = story::skeleton(fam, self.lex, rng);
        self.families += 1;
        let family = format!("f{:05}-{}", self.families, sk.name());
        debug_assert_eq!(sk.family(), fam);
        let outlet = self.pick_original_outlet(rng, None);
        let n = rng.range(FAMILY_MIN, FAMILY_MAX);
        let mut t = t0;
        for _ in 0..n {
            let ev = Event::member(self.lex, rng, t.div_euclid(86_400), fam);
            let doc = story::fill_skeleton(&sk, &ev, self.lex, rng);
            let extra = Extra {
                family: Some(&family),
                ..Extra::default()
            };
            if self
                .story(
                    rng,
                    StoryIn {
                        ev: &ev,
                        doc: &doc,
                        outlet,
                        time: t,
                        kind: 2,
                    },
                    &extra,
                )?
                .is_none()
            {
                break;
            }
            t += rng.range(5, 120) as i64 * 60;
        }
        Ok(())
    }
}

/// Writes `cfg.articles` articles to `corpus` and one truth line per
/// article to `truth`, both JSON Lines (see the module docs). Fails with
/// `InvalidInput` on an invalid config, or with the writers' errors.
pub fn generate(
    cfg: &GenConfig,
    corpus: &mut dyn Write,
    truth: &mut dyn Write,
) -> io::Result<GenStats> {
    cfg.validate()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let lex = Lexicon::new();
    let kinds = cfg.kinds();
    let by_role = |roles: &[Role]| -> Vec<usize> {
        (0..OUTLETS.len())
            .filter(|&i| roles.contains(&OUTLETS[i].role))
            .collect()
    };
    let mut d = Driver {
        cfg,
        lex: &lex,
        plan: Plan::new(cfg),
        ids: IdPerm::new(cfg.articles as u64, cfg.seed),
        counts: vec![0; kinds.len()],
        ix: KindIx::new(&kinds),
        kinds,
        seq: 0,
        stories: 0,
        families: 0,
        out: Output {
            corpus,
            truth,
            window: Vec::new(),
            cap: cfg.window,
            rng: Rng::derive(cfg.seed, u64::MAX),
            bytes: 0,
        },
        originals: by_role(&[Role::Wire, Role::Paper]),
        wires: by_role(&[Role::Wire]),
        copiers: by_role(&[Role::Paper, Role::Copier]),
        archive: by_role(&[Role::Archive]),
    };
    let mut unit: u64 = 0;
    while !d.full() {
        let mut rng = Rng::derive(cfg.seed, unit);
        let gap = d.plan.gap_secs;
        let t0 = (cfg.start as f64 + unit as f64 * gap + rng.f64() * gap) as i64 / 60 * 60;
        unit += 1;
        if rng.chance(d.plan.p_family) {
            d.family_unit(&mut rng, t0)?;
        } else if d.plan.p_short > 0.0 && rng.chance(d.plan.p_short / (1.0 - d.plan.p_family)) {
            d.notice_unit(&mut rng, t0)?;
        } else {
            d.event_unit(&mut rng, t0)?;
        }
    }
    d.out.finish()?;
    Ok(GenStats {
        articles: d.seq,
        stories: d.stories,
        bytes: d.out.bytes,
        per_kind: d
            .kinds
            .iter()
            .cloned()
            .zip(d.counts.iter().copied())
            .collect(),
    })
}
