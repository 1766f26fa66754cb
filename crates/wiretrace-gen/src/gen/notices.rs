//! Short templated notices: wire dividend and earnings briefs whose body is
//! a few terse lines ("Qtly div 25 cts vs 25 cts prior / Pay April 30 /
//! Record April 15") and whose company appears only in the headline
//! ("ACME HOLDINGS `<ACMH>` SETS QUARTERLY DIVIDEND").
//!
//! A family shares one body layout and draws its amounts and dates from
//! small sets, so several notices of one family often have the very same
//! body, as real notices do: only the headline tells them apart. Each
//! notice is its own story; a re-filing (`refiled_short`) keeps the body
//! and the company and rewords the headline.

use std::cmp::Ordering;
use std::fmt::Write as _;

use super::clock;
use super::rng::Rng;
use super::story::{self, count_words, Doc};

/// What a family of notices announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Topic {
    Dividend,
    Earnings,
}

/// Body layouts of dividend notices. Holes: `{A}` the amount, `{P}` the
/// prior amount, `{PAY}` payment date, `{REC}` record date, `{EX}`
/// ex-dividend date.
const DIVIDEND_BODIES: &[&[&str]] = &[
    &["Qtly div {A} vs {P} prior", "Pay {PAY}", "Record {REC}"],
    &["Qtly div {A} vs {P} prior", "Payable {PAY}", "Record {REC}"],
    &[
        "Quarterly dividend {A} vs {P}",
        "Payable {PAY} to holders of record {REC}",
    ],
    &[
        "Regular quarterly dividend of {A} a share",
        "Prior dividend {P}",
        "Payable {PAY}",
        "Record date {REC}",
    ],
    &[
        "Qtly div {A} vs {P} prior",
        "Pay {PAY}",
        "Record {REC}",
        "Ex-div {EX}",
    ],
];

/// Body layouts of earnings notices. Holes: `{S1}`/`{S0}` per-share
/// results now and a year ago, `{N1}`/`{N0}` net, `{R1}`/`{R0}` revenue,
/// `{H1}`/`{H0}` average shares.
const EARNINGS_BODIES: &[&[&str]] = &[
    &["Shr {S1} vs {S0}", "Net {N1} vs {N0}", "Revs {R1} vs {R0}"],
    &[
        "Shr {S1} vs {S0}",
        "Net {N1} vs {N0}",
        "Revs {R1} vs {R0}",
        "Avg shrs {H1} vs {H0}",
    ],
    &[
        "Oper shr {S1} vs {S0}",
        "Oper net {N1} vs {N0}",
        "Revs {R1} vs {R0}",
    ],
];

/// Per-share amounts in cents.
const CENTS: &[u32] = &[
    5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 20, 22, 24, 25, 27, 28, 30, 32, 35, 36, 38, 40, 42,
    45, 48, 50, 55, 60, 62, 65, 70, 75, 80, 90,
];

const SAME_VERBS: &[&str] = &["sets", "declares", "pays", "sets", "declares"];
const UP_VERBS: &[&str] = &["raises", "lifts", "ups", "raises"];
const DOWN_VERBS: &[&str] = &["cuts", "lowers", "reduces"];
const DIV_ADJS: &[&str] = &["quarterly", "qtly", "regular", "regular quarterly", "qtly"];
const DIV_NOUNS: &[&str] = &["dividend", "payout", "div", "dividend"];

/// One family: layout plus the small sets its notices draw from.
pub(crate) struct NoticeFamily {
    topic: Topic,
    layout: &'static [&'static str],
    /// Dividend amounts (cents), 2-3 of them.
    amounts: Vec<u32>,
    /// (pay, record, ex) dates, 1-2 of them.
    dates: Vec<(String, String, String)>,
    /// Earnings: pre-rendered figure rows (S1, S0, N1, N0, R1, R0, H1, H0).
    rows: Vec<[String; 8]>,
    /// Earnings: whether each row's shr rose.
    rows_up: Vec<Ordering>,
    /// Earnings: quarter (1-4).
    quarter: usize,
}

/// A notice: its text and what its headline is made of.
pub(crate) struct Notice {
    /// Headline and body lines.
    pub doc: Doc,
    head: Head,
}

struct Head {
    topic: Topic,
    entity: String,
    ticker: Option<String>,
    change: Ordering,
    amount: Option<String>,
    quarter: usize,
    caps: bool,
}

impl Notice {
    /// The company named in the headline.
    #[cfg(test)]
    pub(crate) fn entity(&self) -> &str {
        &self.head.entity
    }
}

impl NoticeFamily {
    /// "dividend_notice" or "earnings_notice".
    pub(crate) fn name(&self) -> &'static str {
        match self.topic {
            Topic::Dividend => "dividend_notice",
            Topic::Earnings => "earnings_notice",
        }
    }

    /// A new family for notices published around day `day`.
    pub(crate) fn new(rng: &mut Rng, day: i64) -> NoticeFamily {
        let topic = if rng.chance(0.65) {
            Topic::Dividend
        } else {
            Topic::Earnings
        };
        let mut fam = NoticeFamily {
            topic,
            layout: &[],
            amounts: Vec::new(),
            dates: Vec::new(),
            rows: Vec::new(),
            rows_up: Vec::new(),
            quarter: rng.range(1, 4),
        };
        match topic {
            Topic::Dividend => {
                fam.layout = *rng.pick(DIVIDEND_BODIES);
                let n = rng.range(2, 3);
                let start = rng.below(CENTS.len() - n);
                // Neighbouring amounts: a family is one kind of issuer.
                fam.amounts = (0..n).map(|i| CENTS[start + i]).collect();
                for _ in 0..rng.range(1, 3) {
                    let pay = day + rng.range(18, 60) as i64;
                    let rec = pay - rng.range(10, 21) as i64;
                    let ex = rec - rng.range(1, 3) as i64;
                    let date = |d: i64| {
                        let mut s = String::new();
                        clock::write_long_date(&mut s, d, false);
                        s
                    };
                    let t = (date(pay), date(rec), date(ex));
                    if !fam.dates.contains(&t) {
                        fam.dates.push(t);
                    }
                }
            }
            Topic::Earnings => {
                fam.layout = *rng.pick(EARNINGS_BODIES);
                for _ in 0..rng.range(2, 4) {
                    let (row, up) = earnings_row(rng);
                    fam.rows.push(row);
                    fam.rows_up.push(up);
                }
            }
        }
        fam
    }

    /// One notice of the family, by a company of its own.
    pub(crate) fn notice(&self, rng: &mut Rng) -> Notice {
        let entity = story::issuer_name(rng);
        let ticker = rng.chance(0.85).then(|| story::ticker(&entity, rng));
        let caps = rng.chance(0.6);
        let mut vals: Vec<(&str, String)> = Vec::new();
        let (change, amount) = match self.topic {
            Topic::Dividend => {
                let a = *rng.pick(&self.amounts);
                let p = if rng.chance(0.7) {
                    a
                } else {
                    *rng.pick(&self.amounts)
                };
                let (pay, rec, ex) = rng.pick(&self.dates).clone();
                vals.push(("A", cents(a)));
                vals.push(("P", cents(p)));
                vals.push(("PAY", pay));
                vals.push(("REC", rec));
                vals.push(("EX", ex));
                let amount = rng.chance(0.2).then(|| cents(a));
                (a.cmp(&p), amount)
            }
            Topic::Earnings => {
                // Mostly one of the family's rows; now and then figures of
                // its own.
                let (row, up) = if rng.chance(0.3) {
                    earnings_row(rng)
                } else {
                    let i = rng.below(self.rows.len());
                    (self.rows[i].clone(), self.rows_up[i])
                };
                for (k, v) in ["S1", "S0", "N1", "N0", "R1", "R0", "H1", "H0"]
                    .into_iter()
                    .zip(row)
                {
                    vals.push((k, v));
                }
                (up, None)
            }
        };
        let paras: Vec<String> = self.layout.iter().map(|l| fill(l, &vals)).collect();
        let head = Head {
            topic: self.topic,
            entity,
            ticker,
            change,
            amount,
            quarter: self.quarter,
            caps,
        };
        let title = head.render(rng);
        let words = paras.iter().map(|p| count_words(p)).sum();
        Notice {
            doc: Doc {
                title,
                paras,
                words,
            },
            head,
        }
    }
}

impl Notice {
    /// A re-filing's headline: same company, reworded (and sometimes
    /// recased or marked as a refile); never the same string.
    pub(crate) fn refile_title(&self, rng: &mut Rng) -> String {
        let head = Head {
            topic: self.head.topic,
            entity: self.head.entity.clone(),
            ticker: self.head.ticker.clone(),
            change: self.head.change,
            amount: self.head.amount.clone(),
            quarter: self.head.quarter,
            caps: if rng.chance(0.25) {
                !self.head.caps
            } else {
                self.head.caps
            },
        };
        for _ in 0..16 {
            let t = head.render(rng);
            if t != self.doc.title {
                return t;
            }
        }
        let prefix = if head.caps { "REFILE-" } else { "Refile-" };
        format!("{prefix}{}", self.doc.title)
    }
}

fn cents(c: u32) -> String {
    if c == 1 {
        "one ct".to_string()
    } else {
        format!("{c} cts")
    }
}

fn fill(tpl: &str, vals: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(tpl.len() + 16);
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap_or(after.len());
        let name = &after[..close];
        match vals.iter().find(|(k, _)| *k == name) {
            Some((_, v)) => out.push_str(v),
            None => debug_assert!(false, "unknown notice hole {name}"),
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Per-share result: "12 cts", "1.05 dlrs", "loss three cts".
fn per_share(rng: &mut Rng, out: &mut String, loss: bool) {
    if loss {
        out.push_str("loss ");
    }
    if rng.chance(0.15) && !loss {
        let _ = write!(out, "{}.{:02} dlrs", rng.range(1, 4), rng.below(100));
    } else {
        out.push_str(&cents(*rng.pick(CENTS)));
    }
}

/// An amount in thousands of dollars: "1,234,000" (small firms) or
/// "12.3 mln" (from 10 mln), profit or loss.
fn amount(out: &mut String, thousands: u64, loss: bool) {
    if loss {
        out.push_str("loss ");
    }
    if thousands < 10_000 {
        let s = (thousands.max(1) * 1000).to_string();
        let b = s.as_bytes();
        for (i, c) in b.iter().enumerate() {
            if i > 0 && (b.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(*c as char);
        }
    } else {
        let _ = write!(out, "{}.{} mln", thousands / 1000, thousands % 1000 / 100);
    }
}

/// One quarter's figures, now and a year ago, of roughly one size.
fn earnings_row(rng: &mut Rng) -> ([String; 8], Ordering) {
    let loss_now = rng.chance(0.15);
    let loss_then = rng.chance(0.15);
    let mut row: [String; 8] = Default::default();
    per_share(rng, &mut row[0], loss_now);
    per_share(rng, &mut row[1], loss_then);
    let scale = rng.log_uniform(100.0, 250_000.0);
    let near = |rng: &mut Rng, x: f64| (x * rng.uniform(0.6, 1.5)) as u64;
    let (net1, net0) = (near(rng, scale), near(rng, scale));
    let revs = rng.uniform(5.0, 20.0);
    let (rev1, rev0) = (near(rng, scale * revs), near(rng, scale * revs));
    let shares = rng.uniform(2.0, 30.0);
    let (sh1, sh0) = (near(rng, scale * shares), near(rng, scale * shares));
    amount(&mut row[2], net1, loss_now);
    amount(&mut row[3], net0, loss_then);
    amount(&mut row[4], rev1, false);
    amount(&mut row[5], rev0, false);
    amount(&mut row[6], sh1, false);
    amount(&mut row[7], sh0, false);
    let up = match (loss_now, loss_then) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        _ if row[0] == row[1] => Ordering::Equal,
        _ if rng.chance(0.5) => Ordering::Greater,
        _ => Ordering::Less,
    };
    (row, up)
}

const QUARTERS: [[&str; 4]; 3] = [
    ["1st qtr", "2nd qtr", "3rd qtr", "4th qtr"],
    [
        "first quarter",
        "second quarter",
        "third quarter",
        "fourth quarter",
    ],
    ["Q1", "Q2", "Q3", "Q4"],
];

impl Head {
    fn render(&self, rng: &mut Rng) -> String {
        let mut words: Vec<String> = Vec::new();
        match self.topic {
            Topic::Dividend => {
                let verb = match self.change {
                    Ordering::Greater => rng.pick_str(UP_VERBS),
                    Ordering::Less => rng.pick_str(DOWN_VERBS),
                    Ordering::Equal => rng.pick_str(SAME_VERBS),
                };
                words.push(verb.to_string());
                words.push(rng.pick_str(DIV_ADJS).to_string());
                words.push(rng.pick_str(DIV_NOUNS).to_string());
                if let Some(a) = &self.amount {
                    if rng.chance(0.7) {
                        words.push(format!("to {a}"));
                    }
                }
            }
            Topic::Earnings => {
                let q = QUARTERS[rng.below(QUARTERS.len())][(self.quarter + 3) % 4];
                let phrase = match (rng.below(4), self.change) {
                    (0, _) => format!("{q} net"),
                    (1, _) => format!("reports {q} results"),
                    (2, Ordering::Greater) => format!("{q} profit rises"),
                    (2, Ordering::Less) => format!("{q} profit falls"),
                    (2, Ordering::Equal) => format!("{q} profit flat"),
                    _ => format!("{q} earnings"),
                };
                words.push(phrase);
            }
        }
        let mut out = String::new();
        if self.caps {
            out.push_str(&self.entity.to_uppercase());
        } else {
            out.push_str(&self.entity);
        }
        if let Some(t) = &self.ticker {
            let _ = write!(out, " <{t}>");
        }
        for w in &words {
            for part in w.split(' ') {
                out.push(' ');
                if self.caps {
                    out.push_str(&part.to_uppercase());
                } else if part.bytes().all(|b| b.is_ascii_lowercase()) {
                    let start = out.len();
                    out.push_str(part);
                    story::cap_first(&mut out, start);
                } else {
                    out.push_str(part);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_short_and_name_the_company_only_in_the_title() {
        let mut rng = Rng::new(4);
        let mut identical = 0;
        for f in 0..200 {
            let fam = NoticeFamily::new(&mut rng, 19_800 + f);
            let notices: Vec<Notice> = (0..6).map(|_| fam.notice(&mut rng)).collect();
            for (i, n) in notices.iter().enumerate() {
                let body = n.doc.text();
                assert!((8..=30).contains(&n.doc.words), "{}: {body}", n.doc.words);
                assert!(n.doc.paras.len() >= 2);
                assert!(!body.contains('{'), "{body}");
                assert!(
                    n.doc.title.starts_with(n.entity())
                        || n.doc.title.starts_with(&n.entity().to_uppercase())
                );
                let lower = body.to_lowercase();
                let body_words: Vec<&str> = lower.split_whitespace().collect();
                for w in n.entity().split(' ') {
                    assert!(
                        !body_words.contains(&w.to_lowercase().as_str()),
                        "{w} in {body}"
                    );
                }
                let re = n.refile_title(&mut rng);
                assert_ne!(re, n.doc.title);
                assert!(
                    re.to_lowercase().contains(&n.entity().to_lowercase()),
                    "{re}"
                );
                if notices[..i].iter().any(|m| m.doc.paras == n.doc.paras) {
                    identical += 1;
                }
            }
        }
        // Families collide often: most have at least one repeated body.
        assert!(identical > 200, "{identical}");
    }
}
