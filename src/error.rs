//! Errors and record locations.
//!
//! Every error names what was wrong, where (file, and line and column where
//! there is one), and what to do about it.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// A path as text for outputs and messages: as it is when it is UTF-8,
/// otherwise with each byte that is not UTF-8 written `\xFF`.
///
/// Crawls and archives unpacked from other systems hold Latin-1 and
/// Shift-JIS file names; a JSON string cannot carry raw bytes, and writing
/// U+FFFD instead would make two such names look alike. The escaped form
/// says which bytes they are and never stops an output.
pub fn path_text(path: &Path) -> Cow<'_, str> {
    if let Some(s) = path.to_str() {
        return Cow::Borrowed(s);
    }
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str());
    #[cfg(not(unix))]
    let lossy = path.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    Cow::Owned(out)
}

/// Serializes a path as [`path_text`] (serde's own form fails on a path
/// that is not UTF-8, which stopped every output).
pub fn serialize_path<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path_text(path))
}

/// A place in an input: a file, and a line and column where known.
///
/// Displays as `path:line:column`, the form editors and terminals link to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Location {
    /// The file as the user named it (or as found under a named directory).
    #[serde(serialize_with = "serialize_path")]
    pub path: PathBuf,
    /// 1-based line number; 0 for a whole-file article or a file-level problem.
    pub line: u64,
    /// 1-based byte column within the line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
}

impl Location {
    /// A location covering a whole file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: 0,
            column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", path_text(&self.path))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

/// A fatal error: the run cannot go on (or `--strict` made a bad record fatal).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened, read, mapped or written.
    #[error("{}: {err}", path_text(path))]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        err: std::io::Error,
    },
    /// An input argument names nothing that can be read.
    #[error("{}: {why}", path_text(path))]
    Input {
        /// The argument.
        path: PathBuf,
        /// What is wrong and what to do.
        why: String,
    },
    /// A bad record under `--strict`.
    #[error("{at}: {reason} (run without --strict to skip bad records and go on)")]
    BadRecord {
        /// Where the record is.
        at: Location,
        /// What is wrong with it.
        reason: SkipReason,
    },
    /// A setting is out of range or inconsistent.
    #[error("invalid setting: {0}")]
    Config(String),
    /// A boilerplate pattern file could not be used.
    #[error("{at}: invalid boilerplate pattern: {why}")]
    Pattern {
        /// The pattern's line.
        at: Location,
        /// What the regex compiler said.
        why: String,
    },
    /// An article's text could not be fetched (by a
    /// [`TextSource`](crate::ingest::TextSource)): its file changed since
    /// it was read, or the article is out of the source's range.
    #[error("article #{article}: text unavailable: {why}")]
    Text {
        /// The article's index in the corpus.
        article: u32,
        /// Why.
        why: String,
    },
    /// Plain data given to a library function do not fit together (clusters
    /// for another number of articles, say).
    #[error("inconsistent input data: {0}")]
    Data(String),
    /// Nothing was read at all.
    #[error("no articles found in the inputs (expected JSON Lines, CSV/TSV, WARC or HTML files, compressed or not, or .txt/.md files in a directory)")]
    NoArticles,
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, err: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            err,
        }
    }
}

/// Why a record was skipped. Each reason says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkipReason {
    /// The line is not valid JSON.
    #[error("invalid JSON: {message}")]
    Json {
        /// The parser's message.
        message: String,
    },
    /// The line is valid JSON but not an object.
    #[error("not a JSON object (each line must be one article object)")]
    NotObject,
    /// The line is not valid UTF-8.
    #[error("invalid UTF-8 (re-encode the file as UTF-8, or pass --lossy to replace bad bytes)")]
    Utf8,
    /// A required field is absent.
    #[error("no field `{field}`; name the right one with --{flag}-field")]
    MissingField {
        /// The field path looked for.
        field: String,
        /// The flag that renames it.
        flag: String,
    },
    /// A field has the wrong JSON type.
    #[error("field `{field}` must be {expected}")]
    FieldType {
        /// The field path.
        field: String,
        /// What it must be.
        expected: String,
    },
    /// Arrays and objects nested deeper than the limit.
    #[error("nested more than {limit} levels deep (news records nest a few; this is generated or corrupt data, skipped so it cannot overflow the parser's stack)")]
    TooDeep {
        /// The limit, `ingest::MAX_DEPTH`.
        limit: usize,
    },
    /// The text is empty or only whitespace.
    #[error("empty text (the text field is empty or only whitespace)")]
    EmptyText,
    /// The file is of no kind wiretrace reads (or a kind it cannot read
    /// in this form).
    #[error("not an input wiretrace can read: {looks}; {what}")]
    UnknownKind {
        /// What its content looks like.
        looks: String,
        /// What to do.
        what: String,
    },
    /// An HTML page in which no main text was found.
    #[error("no article text found in the page (an index, a gallery or a page of links?)")]
    NoMainText,
    /// A record that holds no article (a WARC response that is an image,
    /// a redirect).
    #[error("not an article: {why}")]
    NotAnArticle {
        /// What it is instead.
        why: String,
    },
    /// The file could not be read.
    #[error("unreadable: {message}")]
    Unreadable {
        /// What the operating system said.
        message: String,
    },
}

/// A record (or file) that was not scanned, with where it is and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// Where it is.
    pub at: Location,
    /// Why it was skipped.
    pub reason: SkipReason,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn paths_that_are_not_utf8_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"dir/caf\xE9 \xFF\xFE.jsonl"));
        assert_eq!(path_text(p), "dir/caf\\xE9 \\xFF\\xFE.jsonl");
        assert_eq!(path_text(Path::new("dir/café.jsonl")), "dir/café.jsonl");
        let at = Location {
            path: p.to_owned(),
            line: 3,
            column: Some(2),
        };
        assert_eq!(at.to_string(), "dir/caf\\xE9 \\xFF\\xFE.jsonl:3:2");
        let json = serde_json::to_string(&at).unwrap();
        assert!(
            json.contains(r#""path":"dir/caf\\xE9 \\xFF\\xFE.jsonl""#),
            "{json}"
        );
    }
}
