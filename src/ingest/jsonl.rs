//! One JSON Lines record -> one `Article`, or the reason it was skipped.

use super::{Article, Meta, Notice, Parsed, RecordLoc};
use crate::config::FieldNames;
use crate::error::{Location, SkipReason, Skipped};
use simd_json::prelude::*;
use simd_json::BorrowedValue;

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

fn lookup<'v, 'a>(v: &'v BorrowedValue<'a>, path: &[String]) -> Option<&'v BorrowedValue<'a>> {
    let mut cur = v;
    for seg in path {
        cur = cur.get(seg.as_str())?;
    }
    if cur.is_null() {
        None
    } else {
        Some(cur)
    }
}

/// Moves the string at `path` out of `v` (no copy when the parser already
/// made it an owned string, as for [`HUGE_LINE`]s; otherwise copied into
/// `spare`'s allocation); `len` is its length as checked by the caller,
/// used only to size a fallback.
fn take_string(
    v: &mut BorrowedValue<'_>,
    path: &[String],
    len: usize,
    spare: &mut String,
) -> String {
    let mut cur = v;
    for seg in path {
        match cur.as_object_mut().and_then(|o| o.get_mut(seg.as_str())) {
            Some(next) => cur = next,
            None => return String::with_capacity(len),
        }
    }
    match cur {
        BorrowedValue::String(std::borrow::Cow::Borrowed(s)) => {
            let mut t = std::mem::take(spare);
            t.clear();
            t.push_str(s);
            t
        }
        BorrowedValue::String(s) => std::mem::take(s).into_owned(),
        _ => String::with_capacity(len),
    }
}

fn optional_string(
    v: &BorrowedValue<'_>,
    path: &[String],
    name: &str,
) -> Result<Option<String>, SkipReason> {
    match lookup(v, path) {
        None => Ok(None),
        Some(x) => match x.as_str() {
            Some(s) => Ok(Some(s.to_owned())),
            None => Err(SkipReason::FieldType {
                field: name.to_owned(),
                expected: "a string".into(),
            }),
        },
    }
}

/// Lines longer than this are parsed by serde_json straight from the mapped
/// input instead of by simd-json from a copy: simd-json needs the line
/// copied (it parses in place) and sizes its own buffers by it, about four
/// times the line in all; serde_json reads the line where it is and
/// allocates little beyond the strings it returns.
pub const HUGE_LINE: usize = 16 << 20;

/// Parses a line over [`HUGE_LINE`] (see there); errors as in [`parse_line`].
fn parse_huge(
    bytes: &[u8],
    lossy: bool,
) -> Result<BorrowedValue<'static>, (SkipReason, Option<u64>)> {
    let text: std::borrow::Cow<'_, str> = match std::str::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) if lossy => String::from_utf8_lossy(bytes),
        Err(e) => return Err((SkipReason::Utf8, Some(e.valid_up_to() as u64 + 1))),
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => BorrowedValue::try_from(v).map_err(|e| {
            (
                SkipReason::Json {
                    message: format!("{e:?}"),
                },
                None,
            )
        }),
        Err(_) => {
            let (message, column) = json_error(
                text.as_bytes(),
                &simd_json::Error::generic(simd_json::ErrorType::Syntax),
            );
            Err((SkipReason::Json { message }, Some(column)))
        }
    }
}

/// A readable message and 1-based byte column for a line simd-json
/// rejected. simd-json's messages are terse ("Syntax at character 0"), so
/// the line is parsed again, on this error path only, by serde_json, whose
/// messages say what was expected and where; a raw NUL byte is named as such.
fn json_error(line: &[u8], simd: &simd_json::Error) -> (String, u64) {
    if let Some(p) = memchr::memchr(0, line) {
        return (
            "raw NUL byte (binary or corrupt data; inside JSON text it must be written \\u0000)"
                .into(),
            p as u64 + 1,
        );
    }
    match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
        Err(e) => {
            let full = e.to_string();
            let message = match full.rsplit_once(" at line ") {
                Some(("expected ident", _)) => {
                    "expected a JSON value (string, number, object, array, true, false or null)"
                        .to_owned()
                }
                Some((m, _)) => m.to_owned(),
                None => full,
            };
            // serde_json counts the column of the last byte read, 1-based;
            // for a control character that is the byte before it.
            let mut column = (e.column() as u64).clamp(1, line.len() as u64 + 1);
            if message.starts_with("control character") {
                let from = column as usize - 1;
                if let Some(p) = line[from.min(line.len())..].iter().position(|&b| b < 0x20) {
                    column = (from + p) as u64 + 1;
                }
            }
            (message, column)
        }
        Ok(_) => (
            format!("{simd}"),
            (simd.index() as u64 + 1).min(line.len() as u64 + 1),
        ),
    }
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
    let at = |column: Option<u64>| Location {
        path: path.to_owned(),
        line: loc.line,
        column,
    };
    let skip = |reason, column| Skipped {
        at: at(column),
        reason,
    };
    let mut value = if bytes.len() > HUGE_LINE {
        parse_huge(bytes, lossy).map_err(|(reason, column)| skip(reason, column))?
    } else {
        // simd-json validates UTF-8 as it parses, so the line is checked
        // again only when parsing fails, to name the problem.
        scratch.buf.clear();
        scratch.buf.extend_from_slice(bytes);
        match simd_json::to_borrowed_value_with_buffers(&mut scratch.buf, &mut scratch.buffers) {
            Ok(v) => v,
            Err(e) => match std::str::from_utf8(bytes) {
                Err(u) if !lossy => {
                    return Err(skip(SkipReason::Utf8, Some(u.valid_up_to() as u64 + 1)))
                }
                Err(_) => {
                    let fixed = String::from_utf8_lossy(bytes);
                    scratch.lossy.clear();
                    scratch.lossy.extend_from_slice(fixed.as_bytes());
                    match simd_json::to_borrowed_value_with_buffers(
                        &mut scratch.lossy,
                        &mut scratch.buffers,
                    ) {
                        Ok(v) => v,
                        Err(e) => {
                            // simd-json parsed in place: explain from the line as read.
                            let (message, column) = json_error(fixed.as_bytes(), &e);
                            return Err(skip(SkipReason::Json { message }, Some(column)));
                        }
                    }
                }
                Ok(_) => {
                    let (message, column) = json_error(bytes, &e);
                    return Err(skip(SkipReason::Json { message }, Some(column)));
                }
            },
        }
    };
    if !value.is_object() {
        return Err(skip(SkipReason::NotObject, None));
    }
    let f = fields;
    let missing = |field: &str, flag: &str| {
        skip(
            SkipReason::MissingField {
                field: field.to_owned(),
                flag: flag.to_owned(),
            },
            None,
        )
    };
    let id = match lookup(&value, &f.id) {
        None => return Err(missing(&f.names.id, "id")),
        Some(v) => {
            if let Some(s) = v.as_str() {
                s.to_owned()
            } else if let Some(n) = v.as_u64() {
                n.to_string()
            } else if let Some(n) = v.as_i64() {
                n.to_string()
            } else if let Some(n) = v.as_f64() {
                n.to_string()
            } else {
                return Err(skip(
                    SkipReason::FieldType {
                        field: f.names.id.clone(),
                        expected: "a string or a number".into(),
                    },
                    None,
                ));
            }
        }
    };
    let text = match lookup(&value, &f.text) {
        None => return Err(missing(&f.names.text, "text")),
        Some(v) => match v.as_str() {
            Some(s) => s,
            None => {
                return Err(skip(
                    SkipReason::FieldType {
                        field: f.names.text.clone(),
                        expected: "a string".into(),
                    },
                    None,
                ))
            }
        },
    };
    if text.trim().is_empty() {
        return Err(skip(SkipReason::EmptyText, None));
    }
    let text_len = text.len();
    let title = optional_string(&value, &f.title, &f.names.title).map_err(|r| skip(r, None))?;
    let source = optional_string(&value, &f.source, &f.names.source).map_err(|r| skip(r, None))?;
    let url = optional_string(&value, &f.url, &f.names.url).map_err(|r| skip(r, None))?;
    let mut notice = None;
    let published = match lookup(&value, &f.date) {
        None => None,
        Some(v) => {
            let parsed = if let Some(s) = v.as_str() {
                super::parse_timestamp(s)
            } else {
                v.as_i64()
            };
            if parsed.is_none() {
                notice = Some(Notice {
                    at: at(None),
                    message: format!(
                        "field `{}` is not an RFC 3339 date-time or YYYY-MM-DD date; read as undated",
                        f.names.date
                    ),
                });
            }
            parsed
        }
    };
    let meta = Meta {
        id,
        title,
        source,
        url,
        published,
        loc,
    };
    Ok((
        Article {
            meta,
            text: take_string(&mut value, &f.text, text_len, &mut scratch.spare),
        },
        notice,
    ))
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

    #[test]
    fn huge_line_path_agrees_with_simd_json() {
        for line in [
            &br#"{"id":"a","text":"caf\u00e9 \"q\"","title":"T","published":"2024-03-05"}"#[..],
            br#"{"id":7,"text":"x","source":null}"#,
            br#"{"id":1,"text":"abc"#,
            br#"[1]"#,
            b"{\"id\":1,\"text\":\"caf\xe9\"}",
        ] {
            let simd = parse_bytes(line, false)
                .map(|(a, _)| a)
                .map_err(|e| e.reason);
            let huge = parse_huge(line, false).map_err(|(r, _)| r).map(|mut v| {
                // The rest of parse_line, on the value serde_json made.
                let t = lookup(&v, &["text".to_owned()])
                    .and_then(|t| t.as_str())
                    .map(str::len);
                t.map(|n| take_string(&mut v, &["text".to_owned()], n, &mut String::new()))
            });
            match (simd, huge) {
                (Ok(a), Ok(t)) => assert_eq!(Some(a.text), t),
                (Err(SkipReason::NotObject), Ok(_)) => {}
                (Err(a), Err(b)) => {
                    assert_eq!(std::mem::discriminant(&a), std::mem::discriminant(&b))
                }
                (a, b) => panic!("{a:?} vs {b:?}"),
            }
        }
    }

    #[test]
    fn escaped_nul_survives_parsing() {
        let (a, _) = parse(r#"{"id":1,"text":"a\u0000b"}"#).unwrap();
        assert_eq!(a.text, "a\0b");
    }
}
