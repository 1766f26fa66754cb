//! Events (who, where, when, what about) and the text of original articles:
//! a small template language rendered with words from the lexicon, plus the
//! skeletons of templated news.

use std::fmt::Write as _;

use super::clock;
use super::lexicon::Lexicon;
use super::rng::Rng;
use super::templates::{self, FAMILIES};
use super::words;

/// A person in a story.
pub(crate) struct Person {
    /// Given name.
    pub first: &'static str,
    /// Family name.
    pub last: &'static str,
    /// Job title, e.g. "chief executive of Alder Energy".
    pub role: String,
}

/// Per-story facts of a templated news item.
pub(crate) struct Member {
    company: String,
    ticker: String,
    team: String,
    team2: String,
    score: (u32, u32),
    temp: (i32, i32),
    qtr: &'static str,
}

/// What a story is about; shared by an original and its same-event rival.
pub(crate) struct Event {
    topic: usize,
    key_nouns: Vec<usize>,
    people: Vec<Person>,
    orgs: Vec<String>,
    city: &'static str,
    country: &'static str,
    /// Day of the event, in days since 1970-01-01.
    pub day: i64,
    fig_pct: Vec<String>,
    fig_money: Vec<String>,
    member: Option<Member>,
}

/// An article's body: title, paragraphs and word count.
pub(crate) struct Doc {
    /// Headline.
    pub title: String,
    /// Paragraphs (no blank lines inside).
    pub paras: Vec<String>,
    /// Whitespace-separated words in `paras`.
    pub words: usize,
}

impl Doc {
    /// Paragraphs joined by blank lines.
    pub(crate) fn text(&self) -> String {
        self.paras.join("\n\n")
    }
}

/// Words separated by whitespace.
pub(crate) fn count_words(s: &str) -> usize {
    s.split_ascii_whitespace().count()
}

/// A company name, e.g. "Alder Energy Holdings".
pub(crate) fn company_name(rng: &mut Rng) -> String {
    let stem = rng.pick(words::COMPANY_STEMS);
    let ind = rng.pick(words::INDUSTRIES);
    if rng.chance(0.5) {
        format!("{stem} {ind} {}", rng.pick(words::COMPANY_SUFFIXES))
    } else {
        format!("{stem} {ind}")
    }
}

/// A notice issuer's name, e.g. "Corvander Mining Corp".
///
/// Short wire notices (dividends, earnings) come from thousands of different
/// issuers, and most of them are named in a handful of headlines of a
/// corpus: in the Reuters dev half, the first headline word of the 1,067
/// short dividend and earnings notices has a median document frequency of 2
/// in 9,140 headlines, and 79% of them occur in at most 5. The story lexicon
/// (`COMPANY_STEMS`, about 90 stems) would put each stem in a hundred
/// headlines of a 20,000-article corpus, as common as the template's own
/// words, which no real wire does. So issuers get a stem made of two or three
/// syllables (over 200,000 of them), like the invented names real issuers
/// carry, and keep the industry and suffix words real names share.
pub(crate) fn issuer_name(rng: &mut Rng) -> String {
    let parts = if rng.chance(0.3) { 3 } else { 2 };
    let mut stem = String::new();
    for _ in 0..parts {
        let syllable: &&str = rng.pick(words::ISSUER_SYLLABLES);
        stem.push_str(syllable);
    }
    let mut chars = stem.chars();
    let stem: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => stem,
    };
    let ind = rng.pick(words::INDUSTRIES);
    if rng.chance(0.5) {
        format!("{stem} {ind} {}", rng.pick(words::COMPANY_SUFFIXES))
    } else {
        format!("{stem} {ind}")
    }
}

/// A 3-4 letter ticker-like code made from a company name's initials.
pub(crate) fn ticker(name: &str, rng: &mut Rng) -> String {
    let mut t: String = name
        .split(' ')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    while t.len() < 3 {
        t.push((b'A' + rng.below(26) as u8) as char);
    }
    t.truncate(4);
    t
}

fn write_thousands(out: &mut String, n: u64) {
    let s = n.to_string();
    let b = s.as_bytes();
    for (i, c) in b.iter().enumerate() {
        if i > 0 && (b.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c as char);
    }
}

fn write_pct(out: &mut String, rng: &mut Rng) {
    let whole = (rng.f64().powi(2) * 40.0) as u32;
    match rng.below(10) {
        0..=5 => {
            let _ = write!(out, "{whole}.{}%", rng.below(10));
        }
        6..=8 => {
            let _ = write!(out, "{} percent", whole.max(1));
        }
        _ => {
            let _ = write!(out, "{whole}.{} percent", rng.below(10));
        }
    }
}

fn write_money(out: &mut String, rng: &mut Rng) {
    out.push_str(rng.pick_str(&["$", "$", "$", "€", "£"]));
    match rng.below(10) {
        0..=4 => {
            let _ = write!(out, "{}.{} billion", rng.range(1, 90), rng.below(10));
        }
        5..=8 => {
            let _ = write!(out, "{} million", rng.range(2, 950));
        }
        _ => write_thousands(
            out,
            rng.range(10, 999) as u64 * 1000 + rng.below(1000) as u64,
        ),
    }
}

fn write_num(out: &mut String, rng: &mut Rng) {
    let n = match rng.below(10) {
        0..=3 => rng.range(2, 99),
        4..=6 => rng.range(100, 999),
        7..=8 => rng.range(1_000, 99_999),
        _ => rng.range(100_000, 9_999_999),
    };
    write_thousands(out, n as u64);
}

fn write_time(out: &mut String, rng: &mut Rng) {
    let h = rng.range(1, 12);
    let m = rng.below(4) * 15;
    let ampm = if rng.chance(0.5) { "a.m." } else { "p.m." };
    let _ = write!(out, "{h}:{m:02} {ampm}");
}

fn write_ordinal(out: &mut String, n: usize) {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    let _ = write!(out, "{n}{suffix}");
}

/// Upper-cases the first ASCII letter at or after byte `start`.
pub(crate) fn cap_first(out: &mut String, start: usize) {
    if let Some(off) = out[start..].find(|c: char| c.is_alphanumeric()) {
        let i = start + off;
        if out.as_bytes()[i].is_ascii_lowercase() {
            out[i..i + 1].make_ascii_uppercase();
        }
    }
}

impl Event {
    fn base(lex: &Lexicon, rng: &mut Rng, day: i64, topic: usize) -> Self {
        let (city, country) = *rng.pick(words::CITIES);
        let nt = lex.topics[topic].sing.len();
        let mut key_nouns: Vec<usize> = Vec::new();
        while key_nouns.len() < 6.min(nt) {
            let k = rng.below(nt);
            if !key_nouns.contains(&k) {
                key_nouns.push(k);
            }
        }
        let mut fig_pct = Vec::new();
        let mut fig_money = Vec::new();
        for _ in 0..2 {
            let mut s = String::new();
            write_pct(&mut s, rng);
            fig_pct.push(s);
            let mut s = String::new();
            write_money(&mut s, rng);
            fig_money.push(s);
        }
        Event {
            topic,
            key_nouns,
            people: Vec::new(),
            orgs: Vec::new(),
            city,
            country,
            day,
            fig_pct,
            fig_money,
            member: None,
        }
    }

    fn add_orgs(&mut self, rng: &mut Rng, n: usize) {
        for _ in 0..n {
            let org = if rng.chance(0.55) {
                company_name(rng)
            } else {
                rng.pick(words::PUBLIC_BODIES)
                    .replace("{C}", self.city)
                    .replace("{K}", self.country)
            };
            if !self.orgs.contains(&org) {
                self.orgs.push(org);
            }
        }
    }

    fn add_people(&mut self, rng: &mut Rng, n: usize) {
        while self.people.len() < n {
            let first = *rng.pick(words::FIRST_NAMES);
            let last = *rng.pick(words::LAST_NAMES);
            if self.people.iter().any(|p| p.last == last) {
                continue;
            }
            let org = rng.pick(&self.orgs).clone();
            let role = rng.pick(words::ROLES).replace("{O}", &org);
            self.people.push(Person { first, last, role });
        }
    }

    /// A random news event on day `day`.
    pub(crate) fn new(lex: &Lexicon, rng: &mut Rng, day: i64) -> Self {
        let topics = lex.topics.len();
        // The sport topic is kept for templated results.
        let mut topic = rng.below(topics);
        if lex.topics[topic].name == "sport" && rng.chance(0.7) {
            topic = (topic + 1) % topics;
        }
        let mut ev = Event::base(lex, rng, day, topic);
        let n_orgs = rng.range(1, 3);
        ev.add_orgs(rng, n_orgs);
        let n_people = rng.range(2, 4);
        ev.add_people(rng, n_people);
        ev
    }

    /// One story of a templated family (its own company, team or city).
    pub(crate) fn member(lex: &Lexicon, rng: &mut Rng, day: i64, family: usize) -> Self {
        let fam = &FAMILIES[family % FAMILIES.len()];
        let topic = lex
            .topics
            .iter()
            .position(|t| t.name == fam.topic)
            .unwrap_or(0);
        let mut ev = Event::base(lex, rng, day, topic);
        let company = company_name(rng);
        let ticker = ticker(&company, rng);
        let team = format!("{} {}", ev.city, rng.pick(words::MASCOTS));
        let mut team2 = team.clone();
        while team2 == team {
            team2 = format!("{} {}", rng.pick(words::CITIES).0, rng.pick(words::MASCOTS));
        }
        let s1 = rng.range(1, 5) as u32;
        let s2 = rng.below(s1 as usize) as u32;
        let hi = rng.range(2, 38) as i32;
        let lo = hi - rng.range(3, 12) as i32;
        ev.orgs.push(company.clone());
        ev.add_orgs(rng, 1);
        let n_people = rng.range(2, 3);
        ev.add_people(rng, n_people);
        ev.member = Some(Member {
            company,
            ticker,
            team,
            team2,
            score: (s1, s2),
            temp: (hi, lo),
            qtr: rng.pick_str(&[
                "first-quarter",
                "second-quarter",
                "third-quarter",
                "fourth-quarter",
            ]),
        });
        ev
    }

    /// The city where the story is set.
    pub(crate) fn city(&self) -> &'static str {
        self.city
    }
}

/// Rendering state for one article.
pub(crate) struct Ctx<'a> {
    lex: &'a Lexicon,
    ev: &'a Event,
    mentioned: u64,
    last: usize,
    skeleton: bool,
}

impl<'a> Ctx<'a> {
    /// Fresh state: nobody has been mentioned yet.
    pub(crate) fn new(lex: &'a Lexicon, ev: &'a Event) -> Self {
        Ctx {
            lex,
            ev,
            mentioned: 0,
            last: 0,
            skeleton: false,
        }
    }

    fn person(&mut self, rng: &mut Rng, out: &mut String, surname_only: bool) {
        let n = self.ev.people.len();
        if n == 0 {
            out.push_str("a spokesperson");
            return;
        }
        let i = if surname_only && self.mentioned != 0 {
            // Prefer someone already introduced.
            let mut i = rng.below(n);
            while self.mentioned & (1 << i) == 0 {
                i = (i + 1) % n;
            }
            i
        } else {
            rng.below(n)
        };
        let p = &self.ev.people[i];
        if self.mentioned & (1 << i) != 0 {
            out.push_str(p.last);
        } else {
            out.push_str(p.first);
            out.push(' ');
            out.push_str(p.last);
            self.mentioned |= 1 << i;
        }
        self.last = i;
    }

    fn topic_noun(&self, rng: &mut Rng, plural: bool) -> &'a str {
        let t = &self.lex.topics[self.ev.topic];
        let i = if rng.chance(0.75) && !self.ev.key_nouns.is_empty() {
            *rng.pick(&self.ev.key_nouns)
        } else {
            rng.below(t.sing.len())
        };
        if plural {
            &t.plural[i]
        } else {
            &t.sing[i]
        }
    }

    fn slot(&mut self, name: &str, rng: &mut Rng, out: &mut String) {
        let lex = self.lex;
        let ev = self.ev;
        match name {
            "n" => out.push_str(&lex.noun[lex.noun_idx(rng)]),
            "ns" => out.push_str(&lex.noun_pl[lex.noun_idx(rng)]),
            "t" => out.push_str(self.topic_noun(rng, false)),
            "ts" => out.push_str(self.topic_noun(rng, true)),
            "a" => out.push_str(lex.adj(rng)),
            "r" => out.push_str(lex.adv(rng)),
            "v" => out.push_str(&lex.verb_past[lex.verb_idx(rng)]),
            "vb" => out.push_str(&lex.verb[lex.verb_idx(rng)]),
            "vs" => out.push_str(&lex.verb_3s[lex.verb_idx(rng)]),
            "vg" => out.push_str(&lex.verb_ing[lex.verb_idx(rng)]),
            "P" => self.person(rng, out, false),
            "S" => self.person(rng, out, true),
            "ROLE" => match ev.people.get(self.last) {
                Some(p) => out.push_str(&p.role),
                None => out.push_str("a spokesperson"),
            },
            "O" => match ev.orgs.is_empty() {
                true => out.push_str("the company"),
                false => out.push_str(rng.pick_str(&ev.orgs)),
            },
            "C" => out.push_str(ev.city),
            "CUP" => {
                for c in ev.city.chars() {
                    out.push(c.to_ascii_uppercase());
                }
            }
            "K" => out.push_str(ev.country),
            "D" => out.push_str(clock::weekday(ev.day)),
            "DATE" => {
                let offset = if self.skeleton {
                    0
                } else {
                    rng.below(40) as i64
                };
                clock::write_long_date(out, ev.day + offset, false)
            }
            "TODAY" => clock::write_long_date(out, ev.day, false),
            "MONTH" => out.push_str(rng.pick_str(words::MONTHS)),
            "Y" => {
                let (y, _, _) = clock::civil_from_days(ev.day);
                let _ = write!(out, "{}", y - rng.range(1, 12) as i64);
            }
            "NUM" => write_num(out, rng),
            "PCT" => match rng.chance(0.35) {
                true => out.push_str(rng.pick_str(&ev.fig_pct)),
                false => write_pct(out, rng),
            },
            "MONEY" => match rng.chance(0.35) {
                true => out.push_str(rng.pick_str(&ev.fig_money)),
                false => write_money(out, rng),
            },
            "CNT" => out.push_str(rng.pick_str(words::COUNT_WORDS)),
            "Q" => {
                let start = out.len();
                self.render(rng.pick_str(templates::QUOTES), rng, out);
                cap_first(out, start);
            }
            "TIME" => write_time(out, rng),
            "DIR" => out.push_str(rng.pick_str(&[
                "north",
                "north-east",
                "east",
                "south-east",
                "south",
                "south-west",
                "west",
                "north-west",
            ])),
            "WIND" => {
                let lo = rng.range(5, 40);
                let _ = write!(out, "{lo} to {}", lo + rng.range(5, 25));
            }
            "SKY" => out.push_str(rng.pick_str(&[
                "sunny", "cloudy", "overcast", "clear", "grey", "bright", "hazy", "stormy",
            ])),
            "CHANCE" => {
                let _ = write!(out, "{} percent", rng.range(1, 9) * 10);
            }
            "ORD" => write_ordinal(out, rng.range(2, 89)),
            "EPS" => {
                let _ = write!(out, "${}.{:02}", rng.below(4), rng.range(1, 99));
            }
            _ => self.member_slot(name, rng, out),
        }
    }

    fn member_slot(&mut self, name: &str, rng: &mut Rng, out: &mut String) {
        let Some(m) = &self.ev.member else {
            // Outside templated news these holes fall back to story facts.
            match name {
                "CO" | "TEAM" | "TEAM2" => self.slot("O", rng, out),
                "TICK" => out.push_str("XYZ"),
                "TEMP" | "TEMP2" | "S1" | "S2" => write_num(out, rng),
                "QTR" => out.push_str("quarterly"),
                _ => {}
            }
            return;
        };
        match name {
            "CO" => out.push_str(&m.company),
            "TICK" => out.push_str(&m.ticker),
            "TEAM" => out.push_str(&m.team),
            "TEAM2" => out.push_str(&m.team2),
            "S1" => {
                let _ = write!(out, "{}", m.score.0);
            }
            "S2" => {
                let _ = write!(out, "{}", m.score.1);
            }
            "TEMP" => {
                let _ = write!(out, "{}", m.temp.0);
            }
            "TEMP2" => {
                let _ = write!(out, "{}", m.temp.1);
            }
            "QTR" => out.push_str(m.qtr),
            _ => debug_assert!(false, "unknown slot {name}"),
        }
    }

    /// Renders a template into `out`.
    pub(crate) fn render(&mut self, tpl: &str, rng: &mut Rng, out: &mut String) {
        let mut rest = tpl;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return;
            };
            let full = &after[..close];
            rest = &after[close + 1..];
            let (an, name) = match full.strip_prefix("an:") {
                Some(n) => (true, n),
                None => (false, full),
            };
            let keep = self.skeleton
                && name != "Q"
                && name.bytes().next().is_some_and(|b| b.is_ascii_uppercase());
            if keep {
                out.push('{');
                out.push_str(full);
                out.push('}');
                continue;
            }
            let start = out.len();
            self.slot(name, rng, out);
            if an {
                let first = out[start..].chars().next().unwrap_or('x');
                let article = if "aeiouAEIOU8".contains(first) {
                    "an "
                } else {
                    "a "
                };
                out.insert_str(start, article);
            }
        }
        out.push_str(rest);
    }

    /// Renders one sentence (capitalised) and returns its word count.
    pub(crate) fn sentence(&mut self, rng: &mut Rng, out: &mut String) -> usize {
        let tpl = if rng.chance(0.14) {
            rng.pick(templates::QUOTE_SENTENCES)
        } else {
            rng.pick(templates::SENTENCES)
        };
        let start = out.len();
        self.render(tpl, rng, out);
        cap_first(out, start);
        count_words(&out[start..])
    }

    /// A headline for the event (people by surname).
    pub(crate) fn headline(&mut self, rng: &mut Rng) -> String {
        let saved = self.mentioned;
        self.mentioned = u64::MAX;
        let mut s = String::new();
        self.render(rng.pick_str(templates::HEADLINES), rng, &mut s);
        cap_first(&mut s, 0);
        self.mentioned = saved;
        s
    }
}

/// Dateline opening an original's first paragraph.
pub(crate) fn dateline(ev: &Event, outlet: &str, wire: bool) -> String {
    let mut s: String = ev.city.to_uppercase();
    if wire {
        s.push_str(", ");
        clock::write_long_date(&mut s, ev.day, false);
        s.push_str(" (");
        s.push_str(outlet);
        s.push(')');
    }
    s.push_str(" - ");
    s
}

/// Writes an original article about `ev`: 300-1200 words in 5-15
/// paragraphs, the first opening with `dateline`.
pub(crate) fn write_story(ev: &Event, lex: &Lexicon, rng: &mut Rng, dateline: &str) -> Doc {
    let target = rng.range(300, 1200);
    let np = ((target as f64 / rng.uniform(55.0, 95.0)).round() as usize).clamp(5, 15);
    let per = target / np;
    let mut ctx = Ctx::new(lex, ev);
    let mut paras = Vec::with_capacity(np);
    let mut words = 0;
    for p in 0..np {
        let mut s = String::with_capacity(per * 7);
        if p == 0 {
            s.push_str(dateline);
        }
        let mut pw = count_words(&s);
        let mut first = true;
        while pw < per || (p + 1 == np && words + pw < 300) {
            if !first {
                s.push(' ');
            }
            first = false;
            pw += ctx.sentence(rng, &mut s);
            if words + pw >= 1200 && pw >= 10 {
                break;
            }
        }
        words += pw;
        paras.push(s);
    }
    let title = ctx.headline(rng);
    Doc {
        title,
        paras,
        words,
    }
}

/// A paragraph of background text for `ev` (used by light edits).
pub(crate) fn background(ev: &Event, lex: &Lexicon, rng: &mut Rng) -> String {
    let mut ctx = Ctx::new(lex, ev);
    ctx.mentioned = u64::MAX;
    let mut s = String::new();
    ctx.render(rng.pick_str(templates::BACKGROUND), rng, &mut s);
    cap_first(&mut s, 0);
    s.push(' ');
    ctx.sentence(rng, &mut s);
    s
}

/// A new paragraph about `ev` of at least `words` words (people already
/// introduced, so by surname); used where a copy rewrites a paragraph.
pub(crate) fn fresh_paragraph(ev: &Event, lex: &Lexicon, rng: &mut Rng, words: usize) -> String {
    let mut ctx = Ctx::new(lex, ev);
    ctx.mentioned = u64::MAX;
    let mut s = String::new();
    let mut n = 0;
    while n < words.max(1) {
        if !s.is_empty() {
            s.push(' ');
        }
        n += ctx.sentence(rng, &mut s);
    }
    s
}

/// A new headline for `ev`.
pub(crate) fn headline(ev: &Event, lex: &Lexicon, rng: &mut Rng) -> String {
    Ctx::new(lex, ev).headline(rng)
}

/// The shared text of one family of templated stories, with holes for the
/// per-story names and numbers.
pub(crate) struct Skeleton {
    family: usize,
    title: String,
    paras: Vec<String>,
}

impl Skeleton {
    /// Index into `templates::FAMILIES`.
    pub(crate) fn family(&self) -> usize {
        self.family
    }

    /// Category name ("earnings", "weather", ...).
    pub(crate) fn name(&self) -> &'static str {
        FAMILIES[self.family].name
    }
}

/// Builds a family skeleton: words fixed once, holes left for names and
/// numbers.
pub(crate) fn skeleton(family: usize, lex: &Lexicon, rng: &mut Rng) -> Skeleton {
    let family = family % FAMILIES.len();
    let fam = &FAMILIES[family];
    let proto = Event::member(lex, rng, 0, family);
    let mut ctx = Ctx::new(lex, &proto);
    ctx.skeleton = true;
    let mut title = String::new();
    ctx.render(rng.pick_str(fam.titles), rng, &mut title);
    cap_first(&mut title, 0);
    let mut paras = Vec::new();
    let mut lead = String::new();
    ctx.render(rng.pick_str(fam.leads), rng, &mut lead);
    paras.push(lead);
    let mut body: Vec<usize> = (0..fam.body.len()).collect();
    rng.shuffle(&mut body);
    let k = rng.range(5, body.len());
    let mut sentences: Vec<String> = body[..k]
        .iter()
        .map(|&i| {
            let mut s = String::new();
            ctx.render(fam.body[i], rng, &mut s);
            cap_first(&mut s, 0);
            s
        })
        .collect();
    for _ in 0..rng.range(1, 3) {
        let mut s = String::new();
        ctx.sentence(rng, &mut s);
        let at = rng.range(0, sentences.len());
        sentences.insert(at, s);
    }
    let mut i = 0;
    while i < sentences.len() {
        let n = rng.range(1, 2).min(sentences.len() - i);
        paras.push(sentences[i..i + n].join(" "));
        i += n;
    }
    let mut closer = String::new();
    ctx.render(rng.pick_str(fam.closers), rng, &mut closer);
    paras.push(closer);
    Skeleton {
        family,
        title,
        paras,
    }
}

/// One templated story: the skeleton with this event's names and numbers.
pub(crate) fn fill_skeleton(sk: &Skeleton, ev: &Event, lex: &Lexicon, rng: &mut Rng) -> Doc {
    let mut ctx = Ctx::new(lex, ev);
    let mut title = String::new();
    ctx.render(&sk.title, rng, &mut title);
    cap_first(&mut title, 0);
    let mut words = 0;
    let paras = sk
        .paras
        .iter()
        .map(|p| {
            let mut s = String::with_capacity(p.len() + 32);
            ctx.render(p, rng, &mut s);
            cap_first(&mut s, 0);
            words += count_words(&s);
            s
        })
        .collect();
    Doc {
        title,
        paras,
        words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stories_render_without_holes() {
        let lex = Lexicon::new();
        let mut rng = Rng::new(3);
        for i in 0..50 {
            let ev = Event::new(&lex, &mut rng, 19_800 + i);
            let d = write_story(&ev, &lex, &mut rng, &dateline(&ev, "Meridian Press", true));
            assert!((5..=15).contains(&d.paras.len()));
            assert!((280..=1300).contains(&d.words), "{}", d.words);
            let text = d.text();
            assert!(!text.contains('{') && !d.title.contains('{'), "{text}");
            assert_eq!(count_words(&text), d.words);
        }
        for f in 0..FAMILIES.len() {
            let sk = skeleton(f, &lex, &mut rng);
            for _ in 0..3 {
                let ev = Event::member(&lex, &mut rng, 19_800, f);
                let d = fill_skeleton(&sk, &ev, &lex, &mut rng);
                let text = d.text();
                assert!(!text.contains('{') && !d.title.contains('{'), "{text}");
            }
        }
    }
}
