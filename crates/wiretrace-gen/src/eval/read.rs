//! Reading assignment files (JSON Lines) with errors that name file:line.

use std::collections::HashSet;
use std::fmt;
use std::io::BufRead;
use std::path::Path;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::Assignment;

/// Why an assignment file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be opened or read (or is not UTF-8).
    #[error("{path}: {err}")]
    Io {
        /// File name as given.
        path: String,
        /// The underlying error.
        #[source]
        err: std::io::Error,
    },
    /// A line is not a JSON object of the expected shape.
    #[error("{path}:{line}: {msg}")]
    Json {
        /// File name as given.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// A line lacks `id` or `cluster` (or has it as `null`).
    #[error("{path}:{line}: missing field `{field}`")]
    MissingField {
        /// File name as given.
        path: String,
        /// 1-based line number.
        line: usize,
        /// The missing field.
        field: &'static str,
    },
    /// An id appears on two lines.
    #[error("{path}:{line}: duplicate id `{id}`")]
    DuplicateId {
        /// File name as given.
        path: String,
        /// 1-based line number of the second occurrence.
        line: usize,
        /// The repeated id.
        id: String,
    },
}

/// A JSON string, or a number kept as its decimal text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
                Ok(Key(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                match serde_json::Number::from_f64(v) {
                    Some(n) => Ok(Key(n.to_string())),
                    None => Err(E::custom("number is not finite")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    id: Option<Key>,
    #[serde(default)]
    cluster: Option<Key>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    parent: Option<Key>,
}

/// Parses assignments from a reader; `name` is used in errors.
pub(crate) fn read_from(mut r: impl BufRead, name: &str) -> Result<Vec<Assignment>, EvalError> {
    let mut out = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut buf = String::new();
    let mut line = 0;
    loop {
        buf.clear();
        let n = r.read_line(&mut buf).map_err(|err| EvalError::Io {
            path: name.to_string(),
            err,
        })?;
        if n == 0 {
            break;
        }
        line += 1;
        let text = buf.trim();
        if text.is_empty() {
            continue;
        }
        if !text.starts_with('{') {
            return Err(EvalError::Json {
                path: name.to_string(),
                line,
                msg: "expected a JSON object".into(),
            });
        }
        let raw: Raw = serde_json::from_str(text).map_err(|e| EvalError::Json {
            path: name.to_string(),
            line,
            msg: e.to_string(),
        })?;
        let missing = |field| EvalError::MissingField {
            path: name.to_string(),
            line,
            field,
        };
        let id = raw.id.ok_or_else(|| missing("id"))?.0;
        let cluster = raw.cluster.ok_or_else(|| missing("cluster"))?.0;
        if !seen.insert(id.clone()) {
            return Err(EvalError::DuplicateId {
                path: name.to_string(),
                line,
                id,
            });
        }
        out.push(Assignment {
            id,
            cluster,
            kind: raw.kind,
            parent: raw.parent.map(|k| k.0),
        });
    }
    Ok(out)
}

/// Reads a JSON Lines file of `{"id", "cluster"[, "kind"]}` objects.
/// Blank lines are skipped, other fields ignored; `id` and `cluster` may be
/// strings or numbers (kept as decimal text), `kind` a string or null.
pub fn read_assignments(path: &Path) -> Result<Vec<Assignment>, EvalError> {
    let name = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|err| EvalError::Io {
        path: name.clone(),
        err,
    })?;
    read_from(std::io::BufReader::with_capacity(1 << 16, f), &name)
}

/// Parses assignment JSON Lines from memory; `name` labels errors.
pub fn parse_assignments(text: &str, name: &str) -> Result<Vec<Assignment>, EvalError> {
    read_from(text.as_bytes(), name)
}
