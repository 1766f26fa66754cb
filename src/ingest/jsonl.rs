//! One JSON Lines record -> one `Article`, or the reason it was skipped.

use super::{Article, Meta, Notice, Parsed, RecordLoc};
use crate::config::FieldNames;
use crate::error::{Location, SkipReason, Skipped};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use simd_json::{Node, StaticNode, Tape};
use std::borrow::Cow;

/// Field paths split at dots, ready for lookup.
#[derive(Debug, Clone)]
pub struct FieldPaths {
    id: Vec<String>,
    text: Vec<String>,
    title: Vec<String>,
    source: Vec<String>,
    url: Vec<String>,
    date: Vec<String>,
    names: FieldNames,
}

impl FieldPaths {
    /// Splits each configured name at `.`.
    pub fn new(names: &FieldNames) -> Self {
        let split = |s: &str| s.split('.').map(str::to_owned).collect::<Vec<_>>();
        FieldPaths {
            id: split(&names.id),
            text: split(&names.text),
            title: split(&names.title),
            source: split(&names.source),
            url: split(&names.url),
            date: split(&names.date),
            names: names.clone(),
        }
    }
}

impl Default for FieldPaths {
    fn default() -> Self {
        FieldPaths::new(&FieldNames::default())
    }
}

/// Per-thread buffers: simd-json parses in place, and mapped input is read-only.
#[derive(Default)]
pub struct Scratch {
    buf: Vec<u8>,
    /// The line with invalid UTF-8 replaced (`--lossy`), parsed again.
    lossy: Vec<u8>,
    /// simd-json's own working buffers, reused from record to record.
    buffers: simd_json::Buffers,
    /// simd-json's tape, reused likewise (emptied between records, so the
    /// lifetime of its strings is that of no buffer).
    tape: Option<Tape<'static>>,
    /// An article text's allocation, handed back by the caller once the
    /// text is read (see [`super::Inputs::map_records_chunked`]): the next
    /// record's text is copied into it instead of a new allocation. Texts
    /// are a few KB, past the allocator's per-thread cache, so a fresh one
    /// per record cost a trip through its bins each time.
    pub(super) spare: String,
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scratch").finish_non_exhaustive()
    }
}

/// Deepest nesting of arrays and objects a record may have: 100.
///
/// News records nest a few levels (an article, its `meta`, a list of
/// authors, a JSON-LD graph of a dozen at most); a line nested thousands
/// deep is generated or corrupt data, and parsing it recursively would
/// overflow the stack and kill the whole scan. The limit is checked before
/// either parser sees the line, so both paths skip the same records, and it
/// is below serde_json's own (128), so that limit is never what reports it.
pub const MAX_DEPTH: usize = 100;

/// Lines longer than this are parsed by serde_json straight from the mapped
/// input instead of by simd-json from a copy: simd-json needs the line
/// copied (it parses in place) and sizes its own buffers by it, about four
/// times the line in all; serde_json reads the line where it is and
/// allocates little beyond the strings it returns.
pub const HUGE_LINE: usize = 16 << 20;

/// The first byte at which `line` nests deeper than [`MAX_DEPTH`], if it
/// does. Brackets inside strings do not count. Almost every line has fewer
/// than `MAX_DEPTH` brackets in all, which a SIMD search tells without
/// following strings; only the others are walked byte by byte.
fn too_deep(line: &[u8]) -> Option<usize> {
    memchr::memchr2_iter(b'[', b'{', line).nth(MAX_DEPTH)?;
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in line.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Whether a parsed tape nests objects and arrays more than [`MAX_DEPTH`]
/// deep (the outermost counts 1, as in [`too_deep`]). Each container's
/// `count` says how many nodes after it are inside it.
fn tape_too_deep(tape: &[Node<'_>]) -> bool {
    let mut ends = [0usize; MAX_DEPTH];
    let mut depth = 0;
    for (i, node) in tape.iter().enumerate() {
        while depth > 0 && ends[depth - 1] < i {
            depth -= 1;
        }
        if let Node::Object { count, .. } | Node::Array { count, .. } = node {
            if depth == MAX_DEPTH {
                return true;
            }
            ends[depth] = i + count;
            depth += 1;
        }
    }
    false
}

/// Byte offsets of the `\uXXXX` escapes in `line` that are unpaired UTF-16
/// surrogates: a high half (`\ud800`-`\udbff`) not followed by a low one,
/// or a low half (`\udc00`-`\udfff`) not preceded by a high one.
///
/// Real corpora have them where a JavaScript or Java exporter cut a string
/// at a length in UTF-16 units, between the halves of an emoji or other
/// character outside the BMP. They are valid JSON syntax but no character
/// at all: simd-json read `\ud800` as U+0000 (so the ids `x\ud800` and
/// `x\udbff` were one id) and rejected `\udc00`, serde_json rejects both.
/// One rule for both parsers: each becomes `\ufffd` before parsing (the
/// replacement character, as every UTF-16 decoder writes for them), and
/// the record gets a notice. A whole article is not dropped for one broken
/// character; an id so changed may meet another, which the duplicate-id
/// rule then reports, keeping both.
fn lone_surrogates(line: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let hex = |at: usize| -> Option<u32> {
        let h = line.get(at + 2..at + 6)?;
        u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    };
    // The searcher built once: `memmem::find` builds one per call (0.13%
    // of a scan's samples, one call per line).
    static ESCAPE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\\u"));
    let mut from = 0;
    while let Some(k) = ESCAPE.find(&line[from..]) {
        let p = from + k;
        from = p + 2;
        // A backslash starts an escape only after an even run of them.
        let run = line[..p].iter().rev().take_while(|&&b| b == b'\\').count();
        if run % 2 == 1 {
            continue;
        }
        let Some(unit) = hex(p) else { continue };
        from = p + 6;
        match unit {
            0xD800..=0xDBFF => {
                let low = line.get(p + 6..p + 8) == Some(b"\\u")
                    && hex(p + 6).is_some_and(|u| (0xDC00..=0xDFFF).contains(&u));
                if low {
                    from = p + 12;
                } else {
                    out.push(p);
                }
            }
            0xDC00..=0xDFFF => out.push(p),
            _ => {}
        }
    }
    out
}

/// `line` with each escape at `at` (see [`lone_surrogates`]) written
/// `\ufffd`, of the same length, so columns stay those of the file.
fn patch_surrogates<'a>(line: &'a [u8], at: &[usize]) -> Cow<'a, [u8]> {
    if at.is_empty() {
        return Cow::Borrowed(line);
    }
    let mut v = line.to_vec();
    for &p in at {
        v[p..p + 6].copy_from_slice(b"\\ufffd");
    }
    Cow::Owned(v)
}

/// A value at one field path, as either parser gives it (null is absent).
#[derive(Debug)]
enum Val<'a> {
    Str(Cow<'a, str>),
    /// A number: its JSON text as written where the parser kept it (serde
    /// path), and its value where it is a whole number that fits i64.
    Num {
        raw: Option<&'a str>,
        int: Option<i64>,
    },
    /// An object, array or boolean.
    Other,
}

/// The six fields of one record, in [`FieldPaths`] order (id, text,
/// title, source, url, date), and which of them were given more than once.
#[derive(Debug, Default)]
struct Fields<'a> {
    vals: [Option<Val<'a>>; 6],
    dup: [bool; 6],
}

impl FieldPaths {
    fn all(&self) -> [&[String]; 6] {
        [
            &self.id,
            &self.text,
            &self.title,
            &self.source,
            &self.url,
            &self.date,
        ]
    }

    /// The six field names as configured (id, text, title, source, url, date).
    pub(crate) fn names(&self) -> [&str; 6] {
        let n = &self.names;
        [&n.id, &n.text, &n.title, &n.source, &n.url, &n.date]
    }
}

// Duplicate keys in one object. RFC 8259 leaves their meaning open; the
// rule here is that the last one wins, on both parser paths, because that
// is what JavaScript's JSON.parse, Python's json, Go, jq and serde_json
// read: the record means what the tools that wrote it, and the tools a
// user checks it with, say it means (an exporter that appends a corrected
// `text` to a record relies on it). simd-json's own maps kept the first
// (and, past 32 keys, either), so fields are looked up on its tape, in
// document order, instead. A record with a duplicated field gets a notice.

/// Nodes of the value `nodes` starts with.
fn node_count(n: &Node<'_>) -> usize {
    match n {
        Node::Object { count, .. } | Node::Array { count, .. } => count + 1,
        _ => 1,
    }
}

/// The nodes of the value at `path` in the tape value `nodes`: at each
/// level, the last entry with the key; `dup` is set when there were more.
fn tape_at<'t, 'i>(
    mut nodes: &'t [Node<'i>],
    path: &[String],
    dup: &mut bool,
) -> Option<&'t [Node<'i>]> {
    for seg in path {
        let &Node::Object { len, .. } = nodes.first()? else {
            return None;
        };
        let (mut idx, mut found, mut seen) = (1, None, 0);
        for _ in 0..len {
            let Node::String(key) = nodes.get(idx)? else {
                return None;
            };
            let count = node_count(nodes.get(idx + 1)?);
            if *key == seg.as_str() {
                found = nodes.get(idx + 1..idx + 1 + count);
                seen += 1;
            }
            idx += 1 + count;
        }
        *dup |= seen > 1;
        nodes = found?;
    }
    Some(nodes)
}

fn tape_val<'i>(nodes: &[Node<'i>]) -> Option<Val<'i>> {
    Some(match nodes.first()? {
        Node::String(s) => Val::Str(Cow::Borrowed(s)),
        Node::Static(StaticNode::Null) => return None,
        Node::Static(StaticNode::I64(n)) => Val::Num {
            raw: None,
            int: Some(*n),
        },
        Node::Static(StaticNode::U64(n)) => Val::Num {
            raw: None,
            int: i64::try_from(*n).ok(),
        },
        Node::Static(StaticNode::F64(_)) => Val::Num {
            raw: None,
            int: None,
        },
        _ => Val::Other,
    })
}

fn tape_fields<'i>(tape: &Tape<'i>, paths: &FieldPaths) -> Option<Fields<'i>> {
    let root = tape.0.as_slice();
    if !matches!(root.first(), Some(Node::Object { .. })) {
        return None;
    }
    let mut f = Fields::default();
    for (i, path) in paths.all().into_iter().enumerate() {
        f.vals[i] = tape_at(root, path, &mut f.dup[i]).and_then(tape_val);
    }
    Some(f)
}

/// A string that borrows from the input where it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

/// An object's entries in document order, duplicates kept, each value as
/// its JSON text; `None` for JSON that is not an object.
struct Entries<'a>(Option<Vec<(Text<'a>, &'a RawValue)>>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Entries<'de>, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = m.next_entry::<Text<'de>, &'de RawValue>()? {
                    v.push(e);
                }
                Ok(Entries(Some(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Entries<'de>, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Entries(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Entries<'de>, E> {
                Ok(Entries(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Entries<'de>, E> {
                Ok(Entries(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Entries<'de>, E> {
                Ok(Entries(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Entries<'de>, E> {
                Ok(Entries(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Entries<'de>, E> {
                Ok(Entries(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Entries<'de>, E> {
                Ok(Entries(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// The JSON text of the value at `path` in the JSON text `json` (already
/// validated), last entry winning as on the tape; `dup` as in [`tape_at`].
fn serde_at<'a>(json: &'a str, path: &[String], dup: &mut bool) -> Option<&'a str> {
    let mut cur = json;
    for seg in path {
        let entries = serde_json::from_str::<Entries<'a>>(cur).ok()?.0?;
        let mut hits = entries.iter().filter(|(k, _)| k.0 == seg.as_str());
        let mut last = hits.next()?;
        for h in hits {
            *dup = true;
            last = h;
        }
        cur = last.1.get();
    }
    Some(cur)
}

fn serde_val(raw: &str) -> Option<Val<'_>> {
    Some(match raw.as_bytes().first()? {
        b'"' => Val::Str(serde_json::from_str::<Text<'_>>(raw).ok()?.0),
        b'n' => return None,
        b't' | b'f' | b'[' | b'{' => Val::Other,
        _ => Val::Num {
            raw: Some(raw),
            int: raw.parse().ok(),
        },
    })
}

/// Reads the fields of the line `json` with serde_json: for lines over
/// [`HUGE_LINE`], and for lines simd-json rejects (to say why, or to read
/// valid JSON it cannot, such as a number beyond 64 bits). `Ok(None)`:
/// valid JSON, not an object.
fn serde_fields<'a>(
    json: &'a str,
    paths: &FieldPaths,
) -> Result<Option<Fields<'a>>, serde_json::Error> {
    let Some(top) = serde_json::from_str::<Entries<'a>>(json)?.0 else {
        return Ok(None);
    };
    let mut f = Fields::default();
    for (i, path) in paths.all().into_iter().enumerate() {
        let Some((first, rest)) = path.split_first() else {
            continue;
        };
        let mut hits = top.iter().filter(|(k, _)| k.0 == first.as_str());
        let Some(mut last) = hits.next() else {
            continue;
        };
        for h in hits {
            f.dup[i] = true;
            last = h;
        }
        let raw = if rest.is_empty() {
            Some(last.1.get())
        } else {
            serde_at(last.1.get(), rest, &mut f.dup[i])
        };
        f.vals[i] = raw.and_then(serde_val);
    }
    Ok(Some(f))
}

/// A readable message and 1-based byte column for a line serde_json
/// rejected; a raw NUL byte is named as such.
fn serde_error(line: &[u8], e: &serde_json::Error) -> (String, u64) {
    if let Some(p) = memchr::memchr(0, line) {
        return (
            "raw NUL byte (binary or corrupt data; inside JSON text it must be written \\u0000)"
                .into(),
            p as u64 + 1,
        );
    }
    let full = e.to_string();
    let message = match full.rsplit_once(" at line ") {
        Some(("expected ident", _)) => {
            "expected a JSON value (string, number, object, array, true, false or null)".to_owned()
        }
        Some((m, _)) => m.to_owned(),
        None => full,
    };
    // serde_json counts the column of the last byte read, 1-based; for a
    // control character that is the byte before it.
    let mut column = (e.column() as u64).clamp(1, line.len() as u64 + 1);
    if message.starts_with("control character") {
        let from = column as usize - 1;
        if let Some(p) = line[from.min(line.len())..].iter().position(|&b| b < 0x20) {
            column = (from + p) as u64 + 1;
        }
    }
    (message, column)
}

/// Parses one line. `loc` says where it is; `path` is for messages.
pub(super) fn parse_line(
    bytes: &[u8],
    loc: RecordLoc,
    path: &std::path::Path,
    lossy: bool,
    fields: &FieldPaths,
    scratch: &mut Scratch,
) -> Parsed {
    parse_with(
        bytes,
        bytes.len() > HUGE_LINE,
        loc,
        path,
        lossy,
        fields,
        scratch,
    )
}

/// [`parse_line`], on the serde_json path when `huge`: tests run both
/// paths on the same small lines.
fn parse_with(
    bytes: &[u8],
    huge: bool,
    loc: RecordLoc,
    path: &std::path::Path,
    lossy: bool,
    fields: &FieldPaths,
    scratch: &mut Scratch,
) -> Parsed {
    let ctx = Ctx {
        loc,
        path,
        fields,
        surrogates: Vec::new(),
    };
    let deep = |ctx: &Ctx, p: usize| {
        ctx.skip(SkipReason::TooDeep { limit: MAX_DEPTH }, Some(p as u64 + 1))
    };
    // The depth is asked of the text first only where serde_json reads
    // it (it recurses); simd-json parses any depth without recursing and
    // its tape tells the depth of what it parsed, so the search of every
    // line for brackets (1.5% of a scan) is made only when simd-json
    // fails or the tape is too deep. Either way the deep line is skipped,
    // at the same byte, before anything else is said of it.
    if huge {
        if let Some(p) = too_deep(bytes) {
            return Err(deep(&ctx, p));
        }
    }
    let ctx = Ctx {
        surrogates: lone_surrogates(bytes),
        ..ctx
    };
    let patched = patch_surrogates(bytes, &ctx.surrogates);
    let utf8_error =
        |e: std::str::Utf8Error| ctx.skip(SkipReason::Utf8, Some(e.valid_up_to() as u64 + 1));
    if huge {
        let text: Cow<'_, str> = match std::str::from_utf8(&patched) {
            Ok(s) => s.into(),
            Err(_) if lossy => String::from_utf8_lossy(&patched),
            Err(e) => return Err(utf8_error(e)),
        };
        return ctx.read_serde(&text, &mut scratch.spare);
    }
    // simd-json validates UTF-8 as it parses, so the line is checked
    // again only when parsing fails, to name the problem.
    scratch.buf.clear();
    scratch.buf.extend_from_slice(&patched);
    let mut tape = scratch.tape.take().unwrap_or_else(Tape::null).reset();
    let parsed = match simd_json::fill_tape(&mut scratch.buf, &mut scratch.buffers, &mut tape) {
        Ok(()) if tape_too_deep(&tape.0) => Some(Err(deep(&ctx, too_deep(bytes).unwrap_or(0)))),
        Ok(()) => Some(ctx.read_tape(&tape, &patched, &mut scratch.spare)),
        Err(_) => too_deep(bytes).map(|p| Err(deep(&ctx, p))),
    };
    scratch.tape = Some(tape.reset());
    if let Some(p) = parsed {
        return p;
    }
    match std::str::from_utf8(&patched) {
        // simd-json rejects some valid JSON (numbers beyond 64 bits, say):
        // serde_json reads those, and says what is wrong with the rest.
        Ok(text) => ctx.read_serde(text, &mut scratch.spare),
        Err(e) if !lossy => Err(utf8_error(e)),
        Err(_) => {
            let fixed = String::from_utf8_lossy(&patched);
            scratch.lossy.clear();
            scratch.lossy.extend_from_slice(fixed.as_bytes());
            let mut tape = scratch.tape.take().unwrap_or_else(Tape::null).reset();
            let parsed =
                match simd_json::fill_tape(&mut scratch.lossy, &mut scratch.buffers, &mut tape) {
                    Ok(()) => Some(ctx.read_tape(&tape, fixed.as_bytes(), &mut scratch.spare)),
                    Err(_) => None,
                };
            scratch.tape = Some(tape.reset());
            match parsed {
                Some(p) => p,
                None => ctx.read_serde(&fixed, &mut scratch.spare),
            }
        }
    }
}

/// What building an article from its fields needs to know.
struct Ctx<'p> {
    loc: RecordLoc,
    path: &'p std::path::Path,
    fields: &'p FieldPaths,
    /// Byte offsets of the line's unpaired surrogates, read as U+FFFD.
    surrogates: Vec<usize>,
}

impl Ctx<'_> {
    fn at(&self, column: Option<u64>) -> Location {
        Location {
            path: self.path.to_owned(),
            line: self.loc.line,
            column,
        }
    }

    fn skip(&self, reason: SkipReason, column: Option<u64>) -> Skipped {
        Skipped {
            at: self.at(column),
            reason,
        }
    }

    /// The article from simd-json's tape of `line` (the line as parsed,
    /// before simd-json rewrote its copy in place).
    fn read_tape(&self, tape: &Tape<'_>, line: &[u8], spare: &mut String) -> Parsed {
        let Some(f) = tape_fields(tape, self.fields) else {
            return Err(self.skip(SkipReason::NotObject, None));
        };
        // The tape keeps a number's value, not its text: an id that is a
        // number is read again, on its own, from the line.
        let raw_id = || {
            let text = std::str::from_utf8(line).ok()?;
            let mut dup = false;
            let raw = serde_at(text, &self.fields.id, &mut dup)?;
            Some(raw.trim().to_owned())
        };
        self.build(f, raw_id, spare)
    }

    fn read_serde(&self, json: &str, spare: &mut String) -> Parsed {
        match serde_fields(json, self.fields) {
            Ok(Some(f)) => self.build(f, || None, spare),
            Ok(None) => Err(self.skip(SkipReason::NotObject, None)),
            Err(e) => {
                let (message, column) = serde_error(json.as_bytes(), &e);
                Err(self.skip(SkipReason::Json { message }, Some(column)))
            }
        }
    }

    fn build(
        &self,
        f: Fields<'_>,
        raw_id: impl FnOnce() -> Option<String>,
        spare: &mut String,
    ) -> Parsed {
        let names = self.fields.names();
        let [id, text, title, source, url, date] = f.vals;
        let missing = |i: usize, flag: &str| {
            self.skip(
                SkipReason::MissingField {
                    field: names[i].to_owned(),
                    flag: flag.to_owned(),
                },
                None,
            )
        };
        let mistyped = |i: usize, expected: &str| {
            self.skip(
                SkipReason::FieldType {
                    field: names[i].to_owned(),
                    expected: expected.to_owned(),
                },
                None,
            )
        };
        // Ids keep their JSON text as written: `1.0` and `1` are two ids,
        // and a number past 64 bits (`18446744073709551616`, `1e23`) is an
        // id like any other. An id is a name, not a quantity; reading it as
        // a number would merge ids that differ and lose digits of others.
        let id = match id {
            None => return Err(missing(0, "id")),
            Some(Val::Str(s)) => s.into_owned(),
            Some(Val::Num { raw: Some(r), .. }) => r.trim().to_owned(),
            Some(Val::Num { raw: None, int }) => match (raw_id(), int) {
                (Some(r), _) => r,
                (None, Some(n)) => n.to_string(),
                (None, None) => return Err(mistyped(0, "a string or a number")),
            },
            Some(Val::Other) => return Err(mistyped(0, "a string or a number")),
        };
        let text = match text {
            None => return Err(missing(1, "text")),
            Some(Val::Str(s)) => s,
            Some(_) => return Err(mistyped(1, "a string")),
        };
        if text.trim().is_empty() {
            return Err(self.skip(SkipReason::EmptyText, None));
        }
        let string = |v: Option<Val<'_>>, i: usize| match v {
            None => Ok(None),
            Some(Val::Str(s)) => Ok(Some(s.into_owned())),
            Some(_) => Err(mistyped(i, "a string")),
        };
        let title = string(title, 2)?;
        let source = string(source, 3)?;
        let url = string(url, 4)?;
        let mut notes = Vec::new();
        let published = match date {
            None => None,
            Some(v) => {
                let parsed = match &v {
                    Val::Str(s) => super::parse_timestamp(s),
                    Val::Num { int, .. } => *int,
                    Val::Other => None,
                };
                match parsed {
                    None => {
                        notes.push(format!(
                            "field `{}` is not an RFC 3339 date-time or YYYY-MM-DD date; read as undated",
                            names[5]
                        ));
                        None
                    }
                    Some(t) if !super::date::in_range(t) => {
                        notes.push(format!(
                            "field `{}` is {t} s from 1970, outside the years 0000-9999 that dates are read in (a time in milliseconds?); read as undated",
                            names[5]
                        ));
                        None
                    }
                    Some(t) => Some(t),
                }
            }
        };
        if let Some(&first) = self.surrogates.first() {
            let n = self.surrogates.len();
            notes.push(format!(
                "{} unpaired UTF-16 surrogate escape{} (the first at column {}: half of a character cut by the program that wrote the file); read as U+FFFD",
                n,
                if n == 1 { "" } else { "s" },
                first + 1
            ));
        }
        let dups: Vec<String> = (0..6)
            .filter(|&i| f.dup[i])
            .map(|i| format!("`{}`", names[i]))
            .collect();
        if !dups.is_empty() {
            notes.push(format!(
                "field {} given more than once in one object; the last is read (as JSON.parse, Python and jq do)",
                dups.join(", ")
            ));
        }
        let notice = (!notes.is_empty()).then(|| Notice {
            at: self.at(None),
            message: notes.join("; "),
        });
        let text = match text {
            Cow::Owned(t) => t,
            Cow::Borrowed(s) => {
                let mut t = std::mem::take(spare);
                t.clear();
                t.push_str(s);
                t
            }
        };
        let meta = Meta {
            id,
            title,
            source,
            url,
            published,
            date_from: Default::default(),
            loc: self.loc,
        };
        Ok((Article { meta, text }, notice))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(line: &str) -> Parsed {
        parse_bytes(line.as_bytes(), false)
    }

    fn parse_bytes(line: &[u8], lossy: bool) -> Parsed {
        let loc = RecordLoc {
            file: 0,
            line: 7,
            start: 0,
            end: line.len() as u64,
        };
        parse_line(
            line,
            loc,
            Path::new("in.jsonl"),
            lossy,
            &FieldPaths::default(),
            &mut Scratch::default(),
        )
    }

    fn reason(p: Parsed) -> SkipReason {
        p.expect_err("should be skipped").reason
    }

    #[test]
    fn full_record() {
        let (a, n) = parse(r#"{"id":"x1","text":"Hello world","title":"T","source":"AP","url":"u","published":"2024-03-05"}"#)
            .unwrap();
        assert_eq!(a.meta.id, "x1");
        assert_eq!(a.text, "Hello world");
        assert_eq!(a.meta.source.as_deref(), Some("AP"));
        assert_eq!(a.meta.published, Some(1709596800));
        assert!(n.is_none());
    }

    #[test]
    fn numeric_id() {
        let (a, _) = parse(r#"{"id":42,"text":"t"}"#).unwrap();
        assert_eq!(a.meta.id, "42");
    }

    #[test]
    fn nested_fields() {
        let names = FieldNames {
            text: "body.plain".into(),
            source: "meta.outlet".into(),
            ..Default::default()
        };
        let line = br#"{"id":1,"body":{"plain":"deep"},"meta":{"outlet":"Reuters"}}"#;
        let loc = RecordLoc {
            file: 0,
            line: 1,
            start: 0,
            end: 0,
        };
        let (a, _) = parse_line(
            line,
            loc,
            Path::new("x"),
            false,
            &FieldPaths::new(&names),
            &mut Scratch::default(),
        )
        .unwrap();
        assert_eq!(a.text, "deep");
        assert_eq!(a.meta.source.as_deref(), Some("Reuters"));
    }

    #[test]
    fn malformed_json_has_column() {
        let e = parse(r#"{"id":1,"text":"abc"#).unwrap_err();
        assert!(matches!(e.reason, SkipReason::Json { .. }));
        assert_eq!(e.at.line, 7);
        assert!(e.at.column.is_some());
    }

    #[test]
    fn not_an_object() {
        assert_eq!(reason(parse("[1,2]")), SkipReason::NotObject);
        assert_eq!(reason(parse("\"text\"")), SkipReason::NotObject);
    }

    #[test]
    fn missing_and_mistyped_text() {
        assert!(matches!(
            reason(parse(r#"{"id":1}"#)),
            SkipReason::MissingField { .. }
        ));
        assert!(matches!(
            reason(parse(r#"{"id":1,"text":null}"#)),
            SkipReason::MissingField { .. }
        ));
        assert!(matches!(
            reason(parse(r#"{"id":1,"text":5}"#)),
            SkipReason::FieldType { .. }
        ));
        assert!(matches!(
            reason(parse(r#"{"text":"x"}"#)),
            SkipReason::MissingField { .. }
        ));
    }

    #[test]
    fn empty_text() {
        assert_eq!(
            reason(parse(r#"{"id":1,"text":"  \n\t "}"#)),
            SkipReason::EmptyText
        );
    }

    #[test]
    fn invalid_utf8_skipped_or_lossy() {
        let line = b"{\"id\":1,\"text\":\"caf\xe9 au lait\"}";
        let e = parse_bytes(line, false).unwrap_err();
        assert_eq!(e.reason, SkipReason::Utf8);
        assert_eq!(e.at.column, Some(20));
        let (a, _) = parse_bytes(line, true).unwrap();
        assert!(a.text.contains('\u{FFFD}'));
    }

    #[test]
    fn bad_date_is_a_notice_not_a_skip() {
        let (a, n) = parse(r#"{"id":1,"text":"t","published":"last tuesday"}"#).unwrap();
        assert_eq!(a.meta.published, None);
        assert!(n.unwrap().message.contains("undated"));
    }

    fn json_message(line: &[u8]) -> (String, Option<u64>) {
        let e = parse_bytes(line, false).unwrap_err();
        match e.reason {
            SkipReason::Json { message } => (message, e.at.column),
            r => panic!("expected a JSON error, got {r:?}"),
        }
    }

    #[test]
    fn raw_nul_is_named_with_its_column() {
        let (m, c) = json_message(b"{\"id\":1,\"text\":\"a\x00b\"}");
        assert!(m.contains("raw NUL byte"), "{m}");
        assert_eq!(c, Some(18));
        let (m, c) = json_message(b"{\"id\":1,\"text\":\"ab\"}\x00");
        assert!(m.contains("raw NUL byte"), "{m}");
        assert_eq!(c, Some(21));
    }

    #[test]
    fn json_errors_say_what_was_expected() {
        let (m, c) = json_message(b"{\"id\":1,\"text\":\"a\tb\"}");
        assert!(m.contains("control character"), "{m}");
        assert_eq!(c, Some(18));
        let (m, _) = json_message(br#"{"id":1,"text":"cut off"#);
        assert!(m.contains("EOF while parsing"), "{m}");
        let (m, c) = json_message(br#"{"id":1 "text":"x"}"#);
        assert!(m.contains("expected `,` or `}`"), "{m}");
        assert_eq!(c, Some(9));
    }

    /// `line` parsed on the simd-json path and on the serde_json path of
    /// lines over [`HUGE_LINE`].
    fn both(line: &[u8]) -> [Parsed; 2] {
        [false, true].map(|huge| {
            let loc = RecordLoc {
                file: 0,
                line: 7,
                start: 0,
                end: line.len() as u64,
            };
            parse_with(
                line,
                huge,
                loc,
                Path::new("in.jsonl"),
                false,
                &FieldPaths::default(),
                &mut Scratch::default(),
            )
        })
    }

    /// The article both paths read from `line` (they must agree).
    fn article(line: &str) -> (Article, Option<Notice>) {
        let [a, b] = both(line.as_bytes());
        let a = a.unwrap_or_else(|e| panic!("simd path skipped {line}: {e}"));
        let b = b.unwrap_or_else(|e| panic!("serde path skipped {line}: {e}"));
        assert_eq!(a, b, "the paths disagree on {line}");
        a
    }

    /// The skip both paths give for `line` (they must agree).
    fn skipped(line: &[u8]) -> Skipped {
        let [a, b] = both(line);
        let a = a.expect_err("simd path should skip");
        let b = b.expect_err("serde path should skip");
        assert_eq!(a, b);
        a
    }

    #[test]
    fn huge_line_path_agrees_with_simd_json() {
        for line in [
            r#"{"id":"a","text":"caf\u00e9 \"q\"","title":"T","published":"2024-03-05"}"#,
            r#"{"id":7,"text":"x","source":null}"#,
            r#"{"id":"b","text":"x","published":"soon"}"#,
            r#"{"id":"c","body":{"text":"no"},"text":"yes \ud83d\ude00"}"#,
        ] {
            article(line);
        }
        for line in [
            &br#"{"id":1,"text":"abc"#[..],
            br#"[1]"#,
            br#"{"id":1}"#,
            br#"{"id":[1],"text":"t"}"#,
            b"{\"id\":1,\"text\":\"caf\xe9\"}",
        ] {
            skipped(line);
        }
    }

    /// Issue 15: one line nested 10,000 deep overflowed the stack and
    /// killed the scan.
    #[test]
    fn issue_15_deep_nesting_is_skipped_with_its_column() {
        let deep = format!(
            r#"{{"id":"d","text":"a b","x":{}{}}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let s = skipped(deep.as_bytes());
        assert_eq!(s.reason, SkipReason::TooDeep { limit: MAX_DEPTH });
        // `{` is level 1, so level MAX_DEPTH + 1 is bracket MAX_DEPTH.
        assert_eq!(s.at.column, Some(27 + MAX_DEPTH as u64));
        assert!(s
            .to_string()
            .starts_with("in.jsonl:7:127: nested more than 100 levels deep"));
        // At the limit: read. Brackets inside strings do not count.
        let at_limit = format!(
            r#"{{"id":"d","text":"a b","x":{}{}}}"#,
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        article(&at_limit);
        // One past it: skipped, at the bracket that opens level 101 (the
        // simd-json path finds the depth on its tape).
        let past = format!(
            r#"{{"id":"d","text":"a b","x":[{{"y":{}{}}}]}}"#,
            "[".repeat(MAX_DEPTH - 2),
            "]".repeat(MAX_DEPTH - 2)
        );
        let s = skipped(past.as_bytes());
        assert_eq!(s.reason, SkipReason::TooDeep { limit: MAX_DEPTH });
        assert_eq!(too_deep(past.as_bytes()).map(|p| p as u64 + 1), s.at.column);
        let in_strings = format!(
            r#"{{"id":"d","text":"{}\"{}"}}"#,
            "[".repeat(500),
            "{".repeat(500)
        );
        article(&in_strings);
    }

    /// Issue 15: `\ud800` became U+0000, so `x\ud800` and `x\udbff` were
    /// one id; `\udc00` was rejected; the serde path rejected all three.
    #[test]
    fn issue_15_lone_surrogates_are_replacement_characters_on_both_paths() {
        for (line, id, text, title) in [
            (r#"{"id":"x\ud800","text":"t"}"#, "x\u{FFFD}", "t", None),
            (
                r#"{"id":"x\udbff","text":"a\udc00b"}"#,
                "x\u{FFFD}",
                "a\u{FFFD}b",
                None,
            ),
            (
                r#"{"id":"y","text":"\ud83d\ude00 \ud83d","title":"\uDE00\uD83D"}"#,
                "y",
                "\u{1F600} \u{FFFD}",
                Some("\u{FFFD}\u{FFFD}"),
            ),
        ] {
            let (a, n) = article(line);
            assert_eq!((a.meta.id.as_str(), a.text.as_str()), (id, text), "{line}");
            assert_eq!(a.meta.title.as_deref(), title);
            let n = n.expect("a notice");
            assert!(
                n.message.contains("unpaired UTF-16 surrogate"),
                "{}",
                n.message
            );
            assert!(n.message.contains("read as U+FFFD"), "{}", n.message);
        }
        let (_, n) = article(r#"{"id":"x\ud800","text":"t"}"#);
        assert!(n
            .unwrap()
            .message
            .starts_with("1 unpaired UTF-16 surrogate escape (the first at column 9"));
        // Pairs, escaped backslashes and other escapes are left alone.
        let (a, n) = article(r#"{"id":"z","text":"\\ud800 \u00e9 \ud83d\ude00"}"#);
        assert_eq!(a.text, "\\ud800 \u{e9} \u{1F600}");
        assert!(n.is_none());
    }

    /// Issue 15: the first of two `text` keys was read on one path, the
    /// last on the other.
    #[test]
    fn issue_15_duplicate_keys_last_wins_on_both_paths() {
        let (a, n) =
            article(r#"{"id":"a","text":"first","title":"T1","text":"last","title":"T2"}"#);
        assert_eq!(
            (a.text.as_str(), a.meta.title.as_deref()),
            ("last", Some("T2"))
        );
        let m = n.unwrap().message;
        assert!(
            m.contains("field `text`, `title` given more than once"),
            "{m}"
        );
        assert!(m.contains("the last is read"), "{m}");
        // In nested objects, and in objects past 32 keys (simd-json's maps
        // change representation there).
        let names = FieldNames {
            text: "body.plain".into(),
            ..Default::default()
        };
        let line = br#"{"id":1,"body":{"plain":"one","plain":"two"}}"#;
        let (a, _) = parse_line(
            line,
            RecordLoc {
                file: 0,
                line: 1,
                start: 0,
                end: 0,
            },
            Path::new("x"),
            false,
            &FieldPaths::new(&names),
            &mut Scratch::default(),
        )
        .unwrap();
        assert_eq!(a.text, "two");
        let many: String = (0..40).map(|i| format!(r#""k{i}":{i},"#)).collect();
        let (a, _) = article(&format!(r#"{{"text":"one",{many}"id":"m","text":"two"}}"#));
        assert_eq!(a.text, "two");
    }

    /// Issue 15: `2^64` and `1e23` were rejected ("InvalidNumber"); `1.0`
    /// and `1` were both "1".
    #[test]
    fn issue_15_numeric_ids_keep_their_json_text() {
        for (raw, id) in [
            ("18446744073709551616", "18446744073709551616"),
            ("1e23", "1e23"),
            ("1.0", "1.0"),
            ("1", "1"),
            ("-0", "-0"),
            ("42", "42"),
            ("-9223372036854775808", "-9223372036854775808"),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567890",
            ),
        ] {
            let (a, _) = article(&format!(r#"{{"id": {raw} ,"text":"t"}}"#));
            assert_eq!(a.meta.id, id);
        }
        // A number simd-json cannot read elsewhere in the record is no reason to skip it.
        let (a, _) = article(r#"{"id":"n","text":"t","views":18446744073709551616}"#);
        assert_eq!(a.meta.id, "n");
    }

    /// Issue 15: `published` at the ends of i64 made lags wrap.
    #[test]
    fn issue_15_dates_outside_years_0_to_9999_are_undated_with_a_notice() {
        for v in [
            "9223372036854775807",
            "-9223372036854775808",
            "1709596800000",
            "\"999999999999\"",
        ] {
            let (a, n) = article(&format!(r#"{{"id":"d","text":"t","published":{v}}}"#));
            assert_eq!(a.meta.published, None, "{v}");
            let m = n.unwrap().message;
            assert!(m.contains("outside the years 0000-9999"), "{m}");
        }
        let (a, n) = article(r#"{"id":"d","text":"t","published":253402300799}"#);
        assert_eq!(a.meta.published, Some(253402300799));
        assert!(n.is_none());
    }

    /// Issue 15: errors on the serde_json path said "Syntax at character
    /// 0", column 1.
    #[test]
    fn issue_15_serde_path_errors_have_a_reason_and_column() {
        for (line, message, column) in [
            (&br#"{"id":1 "text":"x"}"#[..], "expected `,` or `}`", 9),
            (
                br#"{"id":1,"text":"cut off"#,
                "EOF while parsing a string",
                23,
            ),
            (b"{\"id\":1,\"text\":\"a\tb\"}", "control character", 18),
            (b"{\"id\":1,\"text\":\"a\x00b\"}", "raw NUL byte", 18),
            (
                br#"{"id":1,"text":"x"} trailing"#,
                "trailing characters",
                21,
            ),
        ] {
            let s = skipped(line);
            match &s.reason {
                SkipReason::Json { message: m } => assert!(m.contains(message), "{m}"),
                r => panic!("{r:?}"),
            }
            assert_eq!(
                s.at.column,
                Some(column),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn escaped_nul_survives_parsing() {
        let (a, _) = parse(r#"{"id":1,"text":"a\u0000b"}"#).unwrap();
        assert_eq!(a.text, "a\0b");
    }
}
