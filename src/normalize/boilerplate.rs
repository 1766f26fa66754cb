//! The one place where syndication boilerplate is defined.
//!
//! Republishers wrap a story in their own furniture: credit lines, "Read
//! original article here", comment and share prompts, bylines, datelines.
//! That text is the same across thousands of unrelated stories from one
//! outlet, so left in it would make unrelated stories look alike and copies
//! from different outlets look less alike. It is dropped from the text that
//! is fingerprinted (reports keep the original).
//!
//! Rules work on lines, because boilerplate sits on lines of its own. A line
//! is dropped when one of the [`LINE_PATTERNS`] matches the whole trimmed
//! line; only lines of at most [`MAX_LINE`] bytes are tested, since body
//! paragraphs are longer and a pattern must never eat a story. A dateline
//! (`LONDON (Reuters) — `, `ISLAMABAD, Pakistan — `) is cut from the start
//! of a line, keeping the rest.
//!
//! Users add patterns with `--boilerplate FILE`: one regex per line, `#`
//! starts a comment; each is matched case-insensitively against the whole
//! trimmed line, like the built-in ones.
//!
//! Patterns say `.*` rather than `.{0,200}`: lines are bounded by
//! [`MAX_LINE`] anyway, and counted repetitions multiply the states of the
//! regex engine's DFA until it falls back to a much slower NFA simulation.
//!
//! Each pattern, built-in or the user's, is searched one of three ways
//! (`plan`), all deciding exactly as the whole-line match would. Most
//! open with words ("read", "share", "by"), so a search from the line's
//! start gives up after a few bytes of an ordinary line; one pattern that
//! opens with `.*` or `[^|]+` would keep the shared DFA running to the end
//! of every line (and multiplies its states). So a pattern that opens with
//! `.*` is searched anywhere in the line without it, and one that matches
//! only lines holding a `|` is searched only on those.

use memchr::memmem::Finder;
use regex::Regex;
use regex_automata::nfa::thompson;
use regex_automata::{hybrid, meta, nfa::thompson::pikevm};
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::{Class, Dot, Hir, HirKind, Look, Repetition};
use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;

/// Lines longer than this (bytes, trimmed) are body text and never dropped.
pub const MAX_LINE: usize = 300;

/// Whole-line patterns, case-insensitive unless a pattern says otherwise.
pub const LINE_PATTERNS: &[&str] = &[
    // "Read original article here", "Read the full story at example.com", "Read more"
    r"read (the )?(original|full|complete|entire|more)( article| story| post| report)?( here| at .*| on .*| from .*)?[.:!…]*",
    r"(click|tap) here to read .*",
    r"continue reading.*",
    // comment furniture
    r"(comments are closed|comments closed|leave a (comment|reply)|post a comment|add a comment|(\d+|no) comments?|be the first to comment.*)[.!]?",
    // share prompts
    r"(share|tweet|email|print|pin it|whatsapp|share (this|the) (article|story|post)|share on \w+( and \w+)?|click to share.*|share this:?)[:.]?",
    r"((share|follow|like|find) us on .*|follow @?\w+ on .*)",
    // subscribe prompts
    r"(subscribe|sign up|register|join|get) (now |today |here )?(to|for) (our|the|free|daily|weekly) .*",
    r"subscribe( now| today| here)?[.!]?",
    // "Subscribe to NewsNow Hub for daily updates": any line that opens
    // with an invitation to subscribe is furniture, whoever it names
    r"(subscribe|sign up|register)( now| today| here)? (to|for) .*",
    // navigation strips: "Subscribe | Advertise | Contact us"
    r"[^|]+( \| [^|]+){2,}",
    // reading-time and tip prompts: "Market news | May 2 | 3 min read"
    r".*[0-9] min(ute)? read",
    r"(have|got) a (news )?tip([ ?:!.].*)?",
    // page furniture
    r"(related( posts| articles| stories| coverage)?|advertisement|sponsored( content)?|skip to (main )?content|you may also like|recommended( for you)?|most (read|popular)|more from .*|trending( now)?|see also)[:.]?",
    // credit and photo lines: "Credit…Warrick Page for The New York Times"
    r"(photo|image|picture|video|credit|photograph|illustration)s?( credit)?\s*(…|\.\.\.|:|[-–—]|\|).*",
    r"credit\s*(…|\.\.\.|:).*",
    // source and origin lines
    r"(source|via|courtesy( of)?)\s*:.*",
    r"(this (article|story|post|report) (was |is )?(originally |first )?(appeared|published|posted|syndicated|republished)|originally (published|appeared)|first (published|appeared)|republished (with permission )?from|the post .+ appeared first on).*",
    // "This article was provided by Reuters.", "Distributed by AFP"
    r"(this (article|story|post|report) (was |is )?(provided|supplied|distributed|shared) (by|from|via) .*|distributed by .*)",
    // automated republication notices: "This story was automatically
    // published from a syndicated feed", "auto-generated from a syndicated feed"
    r".*(syndicated feed|auto-?generated|automatically (generated|published)).*",
    // "Pacific Wire Service | Posted May 2, 2024": a header of outlet and date
    r"[^|]+\| *(posted|published|updated)( .*)?",
    // a date line, alone or with the outlet: "January 2, 2024 | The Harbor
    // Gazette" (not with a dash: "May 2, 2024 – Researchers said" is a lead)
    r"(\p{L}+\.? [0-9][0-9]?,? [0-9]{4}|[0-9][0-9]? \p{L}+ [0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2})( *[|·•] *.*)?",
    // digitised archives: "Text produced by optical character recognition"
    r".*optical character recognition.*",
    // agency sign-offs
    r"\(?(additional )?(reporting|writing|editing|compiled|research) by .*",
    r"(copyright|©|\(c\)|all rights reserved).*",
    r"(updated|published|posted|last updated)( on| at)?:? [^.]{0,40}\d.{0,30}",
    // bylines: "By Jane Doe", "By Jane Doe and John Roe, Reuters"
    // (names must be capitalised, so "By then it was over." stays)
    r"by (?-i:\p{Lu}[\p{L}.'’-]*)( (?-i:\p{Lu}[\p{L}.'’-]*)){0,3}((,| and| &) (?-i:\p{Lu}[\p{L}.'’-]*)( (?-i:\p{Lu}[\p{L}.'’-]*)){0,3}){0,3}(,? [^.]{0,60})?",
    r"(written|reported) by .*",
];

/// A dateline at the start of a line: an upper-case place, an optional
/// `, Country`, an optional `(Agency)`, then a dash.
const DATELINE: &str = r"^\p{Lu}[\p{Lu}\p{M} .'’-]{1,40}(, \p{Lu}[\p{L}.]+( \p{Lu}[\p{L}.]+){0,2})?\s*(\([\p{L} .&-]{1,30}\))?\s*[—–-]{1,2}\s+";

/// Whether a line opens with two upper-case letters, as every dateline
/// does: a cheap test before the dateline regex.
fn starts_upper_upper(line: &str) -> bool {
    let mut c = line.chars();
    matches!((c.next(), c.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_uppercase())
}

/// Compiled boilerplate rules.
///
/// The regexes are `regex-automata`'s meta engine (what `regex` wraps),
/// searched with explicit caches that each thread keeps (`CACHES`). Through
/// `regex`, every search takes a cache from the regex's shared pool; a
/// thread that finds the pool busy builds a fresh cache and throws it away
/// after the search, so on 2 threads the dateline search spent most of its
/// time building caches (2.3% of a 100k scan's CPU in `create_cache`) and
/// its lazy DFA started from nothing each time.
#[derive(Debug, Clone)]
pub struct Boilerplate {
    /// The patterns searched from the line's start: all but those below.
    lines: Forward,
    /// Patterns that open with `.*`, searched anywhere in the line without it.
    inner: Option<meta::Regex>,
    /// Patterns that match only a line holding a `|`.
    piped: Option<Forward>,
    dateline: Forward,
    /// Which thread-local caches belong to these regexes (clones share the
    /// regexes, so they share the id).
    id: u64,
}

/// One thread's search caches for one [`Boilerplate`].
struct Caches {
    lines: ForwardCache,
    inner: Option<meta::Cache>,
    piped: Option<ForwardCache>,
    dateline: ForwardCache,
}

/// The engine of the rules searched from a line's start (the dateline,
/// the whole-line and the `|` sets): only whether, or where, a match from
/// the start ends is asked, so a forward lazy DFA answers (leftmost-first,
/// as `regex` decides), with the NFA simulation behind it for a line where
/// the DFA gives up. The meta engine built this and a reverse NFA besides:
/// with the dateline's counted Unicode class that doubled its compile, 16
/// ms on one thread that every scan waited for before it read.
#[derive(Debug, Clone)]
struct Forward {
    dfa: hybrid::dfa::DFA,
    pike: pikevm::PikeVM,
}

/// One thread's search caches for a [`Forward`]. The NFA simulation's is
/// made when a line first needs it: its table of capture slots is the
/// NFA's states times two per pattern (15 MB for the shared sets, zeroed
/// page by page, 3,800 page faults), and was made for every thread of
/// every scan, before its first line, for lines where the DFA gives up,
/// which few texts have (a 50-article scan: 31 -> 16 MB resident).
struct ForwardCache {
    dfa: hybrid::dfa::Cache,
    pike: Option<pikevm::Cache>,
}

impl Forward {
    /// The engine of `patterns` (parsed as the meta engine parses).
    fn new(patterns: &[Hir]) -> Result<Self, String> {
        // No capture groups: only the match's end is asked (the NFA's
        // size, and so its compile, grows with every group it keeps).
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(thompson::WhichCaptures::Implicit))
            .build_many_from_hir(patterns)
            .map_err(|e| e.to_string())?;
        let dfa = hybrid::dfa::DFA::builder()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .cache_capacity(DFA_CACHE),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        let pike = pikevm::PikeVM::new_from_nfa(nfa).map_err(|e| e.to_string())?;
        Ok(Forward { dfa, pike })
    }

    fn cache(&self) -> ForwardCache {
        ForwardCache {
            dfa: self.dfa.create_cache(),
            pike: None,
        }
    }

    /// Where a match from the start of `line` ends, if one does: the
    /// leftmost-first one, or with `earliest` the first found (enough to
    /// know there is one).
    fn end(&self, cache: &mut ForwardCache, line: &str, earliest: bool) -> Option<usize> {
        let input = Input::new(line).anchored(Anchored::Yes).earliest(earliest);
        match self.dfa.try_search_fwd(&mut cache.dfa, &input) {
            Ok(m) => m.map(|m| m.offset()),
            Err(_) => self.nfa_end(cache, input),
        }
    }

    /// [`Forward::end`] by the NFA simulation alone (what answers where
    /// the DFA gives up), its cache made on first use.
    fn nfa_end(&self, cache: &mut ForwardCache, input: Input<'_>) -> Option<usize> {
        let pike = cache.pike.get_or_insert_with(|| self.pike.create_cache());
        self.pike.find(pike, input).map(|m| m.end())
    }
}

/// Rule sets whose caches a thread keeps: a scan uses one; a program with
/// several configs (tests, the Python module) a few, and the oldest gives
/// way.
const CACHED_RULES: usize = 4;

thread_local! {
    static CACHES: RefCell<Vec<(u64, Caches)>> = const { RefCell::new(Vec::new()) };
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Compiles one pattern as the whole-line, case-insensitive form used here.
fn anchored(p: &str) -> String {
    format!(r"(?i)^(?:{p})$")
}

/// How one line pattern is searched; each decides a line (no `\n`) as
/// the whole-line match of the pattern does.
#[derive(Debug, PartialEq)]
enum Plan {
    /// From the line's start to its end, as written.
    Whole(Hir),
    /// `^.*X$` as `X$` anywhere in the line, and `^.*X.*$` as `X`: `.`
    /// matches every character of a line, so the two say the same.
    Inner(Hir),
    /// As written, but only on lines that hold a `|`: every match of the
    /// pattern holds one (see [`needs`]).
    Piped(Hir),
}

/// Plans the search of line pattern `p` (see [`Plan`]), from its parsed
/// form under the flags it is matched with ([`anchored`]). Only the
/// parse's structure is read: `^`, then `.*`, then the rest as one
/// sequence (a top-level alternation such as `.*a|b` is not one, and is
/// searched whole).
fn plan(p: &str) -> Result<Plan, String> {
    let hir = regex_automata::util::syntax::parse(&anchored(p)).map_err(|e| e.to_string())?;
    let any = Hir::repetition(Repetition {
        min: 0,
        max: None,
        greedy: true,
        sub: Box::new(Hir::dot(Dot::AnyCharExceptLF)),
    });
    if let HirKind::Concat(subs) = hir.kind() {
        let look = |h: &Hir, l: Look| *h.kind() == HirKind::Look(l);
        if let [first, second, rest @ ..] = subs.as_slice() {
            if look(first, Look::Start)
                && *second == any
                && rest.last().is_some_and(|h| look(h, Look::End))
            {
                let mut rest = rest.to_vec();
                if rest.len() >= 2 && rest[rest.len() - 2] == any {
                    // `X.*$`: X anywhere, whatever follows it.
                    rest.truncate(rest.len() - 2);
                }
                return Ok(Plan::Inner(Hir::concat(rest)));
            }
        }
    }
    Ok(if needs(&hir, '|') {
        Plan::Piped(hir)
    } else {
        Plan::Whole(hir)
    })
}

/// Whether every match of `h` holds the (ASCII) character `c`: a literal
/// or one-character class of it, in a sequence, in every branch of an
/// alternation, or repeated at least once.
fn needs(h: &Hir, c: char) -> bool {
    match h.kind() {
        HirKind::Literal(l) => l.0.contains(&(c as u8)),
        HirKind::Class(Class::Unicode(u)) => {
            matches!(u.ranges(), [r] if r.start() == c && r.end() == c)
        }
        HirKind::Class(Class::Bytes(b)) => {
            matches!(b.ranges(), [r] if r.start() == c as u8 && r.end() == c as u8)
        }
        HirKind::Concat(subs) => subs.iter().any(|s| needs(s, c)),
        HirKind::Alternation(subs) => subs.iter().all(|s| needs(s, c)),
        HirKind::Repetition(r) => r.min >= 1 && needs(&r.sub, c),
        HirKind::Capture(cap) => needs(&cap.sub, c),
        HirKind::Empty | HirKind::Look(_) => false,
    }
}

/// Each lazy DFA's cache, per thread, filled on demand: 4 MB. The rule
/// sets need more than the default with Unicode classes under (?i), and a
/// thrashing cache makes the engine rebuild states over and over (2% of a
/// scan's samples in determinization, measured with perf on 100k
/// articles); with the default, the dateline's Unicode classes left the
/// lazy DFA unused and every line opening with two capitals ("US officials
/// said") went through the NFA simulation.
const DFA_CACHE: usize = 4 << 20;

/// The meta engine of the `.*`-led patterns (searched anywhere, where its
/// literal prefilter pays), with the settings `regex` uses for `&str`
/// searches (empty matches only at character boundaries).
fn compile(patterns: &[Hir]) -> Result<meta::Regex, String> {
    let config = meta::Config::new()
        .utf8_empty(true)
        .hybrid_cache_capacity(DFA_CACHE);
    meta::Regex::builder()
        .configure(config)
        .build_many_from_hir(patterns)
        .map_err(|e| e.to_string())
}

/// `build` of a set that may be empty (`None`: nothing to search).
fn unless_empty<T>(
    patterns: &[Hir],
    build: impl FnOnce(&[Hir]) -> Result<T, String>,
) -> Result<Option<T>, String> {
    (!patterns.is_empty()).then(|| build(patterns)).transpose()
}

impl Boilerplate {
    /// The built-in rules plus `extra` user patterns.
    ///
    /// Fails with the index (into `extra`) and message of the first pattern
    /// that does not compile.
    pub fn new(extra: &[String]) -> Result<Self, (usize, String)> {
        for (i, p) in extra.iter().enumerate() {
            Self::check(p).map_err(|e| (i, e))?;
        }
        let (mut whole, mut inner, mut piped) = (Vec::new(), Vec::new(), Vec::new());
        let user = |i: usize| i.saturating_sub(LINE_PATTERNS.len());
        for (i, p) in LINE_PATTERNS
            .iter()
            .copied()
            .chain(extra.iter().map(String::as_str))
            .enumerate()
        {
            match plan(p).map_err(|e| (user(i), e))? {
                Plan::Whole(h) => whole.push(h),
                Plan::Inner(h) => inner.push(h),
                Plan::Piped(h) => piped.push(h),
            }
        }
        let dateline =
            regex_automata::util::syntax::parse(DATELINE).map_err(|e| (0, e.to_string()))?;
        // Compiled side by side: each takes milliseconds (the dateline's
        // counted Unicode class 7 ms, the sets a few), and a scan waits for
        // all before it reads.
        let ((lines, (inner, piped)), dateline) = rayon::join(
            || {
                rayon::join(
                    || Forward::new(&whole),
                    || {
                        rayon::join(
                            || unless_empty(&inner, compile),
                            || unless_empty(&piped, Forward::new),
                        )
                    },
                )
            },
            || Forward::new(&[dateline]),
        );
        let err = |e: String| (0, e);
        Ok(Boilerplate {
            lines: lines.map_err(err)?,
            inner: inner.map_err(err)?,
            piped: piped.map_err(err)?,
            dateline: dateline.map_err(err)?,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// Runs `f` with this thread's caches for these regexes (made on first
    /// use). `f` must not search another `Boilerplate`.
    fn with_caches<R>(&self, f: impl FnOnce(&mut Caches) -> R) -> R {
        CACHES.with(|all| {
            let mut all = all.borrow_mut();
            let i = match all.iter().position(|(id, _)| *id == self.id) {
                Some(i) => i,
                None => {
                    if all.len() >= CACHED_RULES {
                        all.remove(0);
                    }
                    all.push((self.id, self.caches()));
                    all.len() - 1
                }
            };
            f(&mut all[i].1)
        })
    }

    /// New search caches for these regexes.
    fn caches(&self) -> Caches {
        Caches {
            lines: self.lines.cache(),
            inner: self.inner.as_ref().map(meta::Regex::create_cache),
            piped: self.piped.as_ref().map(Forward::cache),
            dateline: self.dateline.cache(),
        }
    }

    /// Checks that a user pattern compiles; the error is the regex message.
    pub fn check(pattern: &str) -> Result<(), String> {
        Regex::new(&anchored(pattern))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Whether a trimmed line is boilerplate.
    pub fn is_boilerplate_line(&self, line: &str) -> bool {
        self.with_caches(|c| self.is_line(c, line))
    }

    /// [`Boilerplate::is_boilerplate_line`] with this thread's caches.
    fn is_line(&self, caches: &mut Caches, line: &str) -> bool {
        line.len() <= MAX_LINE && self.line_matches(caches, line)
    }

    /// Whether one of the line patterns matches `line` (any length, no
    /// `\n`), searched as [`plan`] decided.
    fn line_matches(&self, caches: &mut Caches, line: &str) -> bool {
        debug_assert!(!line.contains('\n'), "one line");
        let inner = match (&self.inner, &mut caches.inner) {
            (Some(re), Some(cache)) => Some((re, cache)),
            _ => None,
        };
        let piped = match (&self.piped, &mut caches.piped) {
            (Some(f), Some(cache)) => Some((f, cache)),
            _ => None,
        };
        self.lines.end(&mut caches.lines, line, true).is_some()
            || inner.is_some_and(|(re, cache)| {
                let input = Input::new(line).earliest(true);
                re.search_half_with(cache, &input).is_some()
            })
            || (memchr::memchr(b'|', line.as_bytes()).is_some()
                && piped.is_some_and(|(f, cache)| f.end(cache, line, true).is_some()))
    }

    /// Byte ranges of `text` to keep for fingerprinting, in order: every
    /// line except boilerplate lines, with datelines cut off.
    pub fn kept(&self, text: &str) -> Vec<Range<usize>> {
        self.with_caches(|c| self.kept_with(c, text))
    }

    fn kept_with(&self, caches: &mut Caches, text: &str) -> Vec<Range<usize>> {
        // Room for a story's paragraphs without growing (a few tens).
        let mut out = Vec::with_capacity(32);
        let mut pos = 0;
        // Lines found with memchr's vector search (`split_inclusive`'s
        // char searcher was 1% of a scan); same lines, each with its '\n'.
        let ends = memchr::memchr_iter(b'\n', text.as_bytes())
            .map(|i| i + 1)
            .chain((!text.is_empty() && !text.ends_with('\n')).then_some(text.len()));
        for end in ends {
            let start = pos;
            let line = &text[start..end];
            pos = end;
            let trimmed = line.trim();
            if trimmed.is_empty() || self.is_line(caches, trimmed) {
                continue;
            }
            let lead = line.len() - line.trim_start().len();
            let mut s = start + lead;
            if starts_upper_upper(&text[s..pos]) {
                if let Some(end) = self
                    .dateline
                    .end(&mut caches.dateline, &text[s..pos], false)
                {
                    s += end;
                }
            }
            out.push(s..pos);
        }
        if has_link(text) {
            out = cut_links(text, out);
        }
        out
    }

    /// Byte ranges of `text` that are boilerplate (the complement of [`Boilerplate::kept`]
    /// over non-blank lines): what lineage scans for credit lines.
    pub fn removed(&self, text: &str) -> Vec<Range<usize>> {
        Self::removed_of(text, &self.kept(text))
    }

    /// [`Boilerplate::removed`] given what [`Boilerplate::kept`] returned
    /// for `text` (so a caller needing both finds the lines once).
    pub fn removed_of(text: &str, kept: &[Range<usize>]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut pos = 0;
        for k in kept.iter().cloned() {
            if k.start > pos && !text[pos..k.start].trim().is_empty() {
                out.push(pos..k.start);
            }
            pos = k.end;
        }
        if pos < text.len() && !text[pos..].trim().is_empty() {
            out.push(pos..text.len());
        }
        out
    }
}

/// Whether `text` may hold a web address: one pass of memchr's vector
/// search, so texts without links (most of a corpus) pay nothing more.
fn has_link(text: &str) -> bool {
    // Searchers built once: `memmem::find` builds one per call, which cost
    // a third of this test.
    static FINDERS: LazyLock<[Finder<'static>; 2]> =
        LazyLock::new(|| [Finder::new(b"://"), Finder::new(b"www.")]);
    let b = text.as_bytes();
    FINDERS.iter().any(|f| f.find(b).is_some())
}

/// The byte spans of web addresses in `s`: from `http://`, `https://` or a
/// `www.` that starts a word, to the next white space.
fn links(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = s.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < b.len() {
            let rest = &b[at..];
            let scheme = rest.starts_with(b"http://") || rest.starts_with(b"https://");
            let bare = rest.starts_with(b"www.") && (at == 0 || !b[at - 1].is_ascii_alphanumeric());
            if scheme || bare {
                let start = at;
                while at < b.len() && !b[at].is_ascii_whitespace() {
                    at += 1;
                }
                return Some(start..at);
            }
            at += 1;
        }
        None
    })
}

/// `kept` with the web addresses cut out of each range.
///
/// A link is furniture, not text: "Full story: https://...", "Continue
/// reading: www...", a share link or the source's address in a credit line.
/// Copies add, drop or rewrite links (tracking parameters, short links,
/// their own domain) independently of the story, while the words of an
/// address (its domain, the story's slug, its date and numeric id) would
/// count as shared text, names and figures: a slug repeats the headline,
/// and the figures of a date path (`2024/01/04`) are in no other copy. The
/// reports keep the links; only fingerprints go without them.
fn cut_links(text: &str, kept: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(kept.len());
    for r in kept {
        let mut pos = r.start;
        for l in links(&text[r.clone()]) {
            let (s, e) = (r.start + l.start, r.start + l.end);
            if s > pos {
                out.push(pos..s);
            }
            pos = e;
        }
        if pos < r.end && !text[pos..r.end].trim().is_empty() {
            out.push(pos..r.end);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bp() -> Boilerplate {
        Boilerplate::new(&[]).unwrap()
    }

    fn dropped(line: &str) -> bool {
        bp().is_boilerplate_line(line)
    }

    #[test]
    fn drops_syndication_furniture() {
        for line in [
            "Read original article here",
            "Read the full story at example.com.",
            "Comments are closed.",
            "Leave a Comment",
            "Share this:",
            "Share this article",
            "Subscribe to our newsletter for daily updates",
            "Credit…Warrick Page for The New York Times",
            "Photo: Getty Images",
            "By Jane Doe",
            "By Jane Doe and John Roe, Reuters",
            "(Reporting by Jane Doe; Editing by John Roe)",
            "This article originally appeared on The Conversation.",
            "Copyright 2024 The Associated Press. All rights reserved.",
            "Advertisement",
            "Follow us on Twitter",
            "Subscribe to NewsNow Hub for daily updates in your inbox.",
            "Subscribe | Advertise | Contact us",
            "Market news | May 2, 2024 | 3 min read",
            "Have a news tip? Email the Tribune newsroom.",
            "This story was automatically published from a syndicated feed of Pacific Wire Service.",
            "This story has not been edited by staff and is auto-generated from a syndicated feed.",
            "Pacific Wire Service | Posted May 2, 2024",
            "January 2, 2024 | The Harbor Gazette",
            "2024-01-02",
            "Text produced by optical character recognition and may contain errors.",
            "This article was provided by Reuters.",
            "Distributed by AFP",
        ] {
            assert!(dropped(line), "should drop: {line}");
        }
    }

    #[test]
    fn keeps_body_sentences() {
        for line in [
            "Prime Minister Imran Khan has made anti-Americanism a staple of his political identity.",
            "By 2006, the relationship was deteriorating, officials said on Tuesday in a statement to reporters.",
            "Shares of the company rose 5 percent after it said it would read the results aloud.",
            "The share price fell.",
            "By then it was over.",
            "By Sunday, the rebels had taken the city and most of the roads around it.",
            "Published reports said the minister would resign.",
            "Subscribers to the service rose 12 percent in the quarter.",
            "He had a tipping point in mind, he said.",
            "May 2, 2024 – Researchers at the university said the trial had ended.",
            "May 2, 2024 was the day the market fell.",
            "The vote was 52 | 48, officials said.",
            "It took a 10-minute reading of the charges.",
        ] {
            assert!(!dropped(line), "should keep: {line}");
        }
    }

    #[test]
    fn long_lines_are_never_dropped() {
        let long = format!("Read original article here {}", "word ".repeat(80));
        assert!(!dropped(long.trim()));
    }

    #[test]
    fn datelines_are_cut_not_dropped() {
        let b = bp();
        for (text, rest) in [
            (
                "ISLAMABAD, Pakistan — Pakistan, a nuclear-armed country",
                "Pakistan, a nuclear-armed country",
            ),
            (
                "LONDON (Reuters) - Britain said on Monday",
                "Britain said on Monday",
            ),
            ("WASHINGTON (AP) — The Senate voted", "The Senate voted"),
        ] {
            let kept = b.kept(text);
            assert_eq!(&text[kept[0].clone()], rest);
        }
    }

    #[test]
    fn every_line_is_seen_with_or_without_a_final_newline() {
        let b = bp();
        for (text, want) in [
            ("", vec![]),
            ("\n\n", vec![]),
            ("One.", vec!["One."]),
            ("One.\n", vec!["One.\n"]),
            ("\nOne.\n\nTwo.", vec!["One.\n", "Two."]),
            ("One.\r\nShare this:\r\nTwo.\n", vec!["One.\r\n", "Two.\n"]),
        ] {
            let got: Vec<&str> = b.kept(text).into_iter().map(|r| &text[r]).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn removed_is_the_complement() {
        let text = "Headline\n\nBy Jane Doe\n\nBody one.\n\nRead original article here\n";
        let b = bp();
        let removed: Vec<&str> = b
            .removed(text)
            .into_iter()
            .map(|r| text[r].trim())
            .collect();
        assert_eq!(removed, vec!["By Jane Doe", "Read original article here"]);
    }

    #[test]
    fn links_are_cut_from_the_kept_text() {
        let text = "Body one, see https://example.com/2024/01/04/story-5fe49e for more.\n\
                    Full story: https://atlasnews.net/world/x\n\
                    Visit www.example.org today; swww.not is a word.\n";
        let b = bp();
        let kept: String = b.kept(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            kept,
            "Body one, see  for more.\nFull story: Visit  today; swww.not is a word.\n"
        );
        // Text without links keeps its ranges as they were.
        assert_eq!(b.kept("No links here.\n"), vec![0..15]);
    }

    /// The rules searched through regex-automata with per-thread caches
    /// decide as `regex`'s `RegexSet` and `Regex` of the same patterns
    /// (what they replaced): every line of the demo corpus, its lines cut
    /// at every 16th character, and arbitrary text.
    #[test]
    fn explicit_caches_decide_as_the_regex_crate() {
        let b = Boilerplate::new(&["brought to you by .*".into()]).unwrap();
        let set = regex::RegexSetBuilder::new(
            LINE_PATTERNS
                .iter()
                .copied()
                .chain(["brought to you by .*"])
                .map(anchored),
        )
        .dfa_size_limit(4 << 20)
        .build()
        .unwrap();
        let dateline = Regex::new(DATELINE).unwrap();
        let caches = RefCell::new(b.caches());
        let same = |line: &str| {
            let c = &mut *caches.borrow_mut();
            assert_eq!(b.line_matches(c, line), set.is_match(line), "{line:?}");
            let want = dateline.find(line).map(|m| m.end());
            assert_eq!(
                b.dateline.end(&mut c.dateline, line, false),
                want,
                "{line:?}"
            );
            // The NFA simulation behind the lazy DFA decides alike.
            let input = Input::new(line).anchored(Anchored::Yes);
            assert_eq!(b.dateline.nfa_end(&mut c.dateline, input), want, "{line:?}");
        };
        let corpus = std::fs::read_to_string("testdata/demo/corpus.jsonl").unwrap();
        let mut lines = 0;
        for record in corpus.lines() {
            let v: serde_json::Value = serde_json::from_str(record).unwrap();
            for line in v["text"].as_str().unwrap_or("").lines() {
                let line = line.trim();
                same(line);
                let cuts: Vec<usize> = line.char_indices().map(|(i, _)| i).step_by(16).collect();
                for &i in &cuts {
                    same(&line[..i]);
                    same(&line[i..]);
                }
                lines += 1;
            }
        }
        assert!(lines > 1000, "{lines} lines");
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&"\\PC{0,80}", |s| {
                same(&s);
                Ok(())
            })
            .unwrap();
    }

    /// The built-in patterns that open with `.*` are searched anywhere,
    /// those needing a `|` only on lines with one; a pattern that is not one
    /// sequence after `.*`, or may match without a `|`, is searched whole.
    #[test]
    fn patterns_are_planned_by_their_structure() {
        let kind = |p: &str| match plan(p).unwrap() {
            Plan::Whole(_) => "whole",
            Plan::Inner(_) => "inner",
            Plan::Piped(_) => "piped",
        };
        let count = |k: &str| LINE_PATTERNS.iter().filter(|p| kind(p) == k).count();
        assert_eq!((count("inner"), count("piped")), (3, 2));
        assert_eq!(kind(".*optical character recognition.*"), "inner");
        assert_eq!(kind(".*[0-9] min read"), "inner");
        assert_eq!(kind(".*a|b"), "whole");
        // A group is read as one item: searched whole (safe, not faster).
        assert_eq!(kind("(.*a)"), "whole");
        assert_eq!(kind("x.*"), "whole");
        assert_eq!(kind("[^|]+( \\| [^|]+){2,}"), "piped");
        assert_eq!(kind("a( \\| b)?"), "whole");
        assert_eq!(kind("a( \\| b)+"), "piped");
        assert_eq!(kind("a(\\||b)"), "whole");
        // Each plan decides as the whole-line match, lines with and without
        // the literal, with and without a `|`.
        for p in [".*a|b", ".*foo", ".*foo.*", "(.*a)", "[^|]+ \\| x", ".*"] {
            let b = Boilerplate::new(&[p.to_string()]).unwrap();
            let whole = Regex::new(&anchored(p)).unwrap();
            let mut c = b.caches();
            for line in [
                "a", "b", "xa", "xb", "foo", "a foo b", "FOO", "y | x", "y |x", "", "bar",
            ] {
                let built_in = LINE_PATTERNS
                    .iter()
                    .any(|q| Regex::new(&anchored(q)).unwrap().is_match(line));
                assert_eq!(
                    b.line_matches(&mut c, line),
                    built_in || whole.is_match(line),
                    "{p:?} {line:?}"
                );
            }
        }
    }

    #[test]
    fn user_patterns_extend_and_bad_ones_are_named() {
        let b = Boilerplate::new(&["brought to you by acme.*".into()]).unwrap();
        assert!(b.is_boilerplate_line("Brought to you by ACME Corp"));
        let err = Boilerplate::new(&["ok".into(), "(unclosed".into()]).unwrap_err();
        assert_eq!(err.0, 1);
    }
}
