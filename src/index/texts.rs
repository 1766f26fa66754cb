//! Texts of indexed articles, re-read from the files they were added from.
//!
//! The index keeps no text (it would be most of its size): each article's
//! file (as an absolute path), line and byte range, and the xxh3 of its
//! text. A text is re-read there and used only when its hash matches; a
//! file moved, changed or deleted since makes the article unreadable,
//! which lineage counts (never guesses).

use super::segment::StoredMeta;
use crate::error::Error;
use crate::ingest::{self, Inputs, ReadOptions, RecordLoc, TextSource};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Where one article's text is, and its hash.
#[derive(Debug, Clone)]
pub struct TextRef {
    /// The file, absolute.
    pub path: String,
    /// Line, byte range.
    pub loc: RecordLoc,
    /// xxh3 of the text.
    pub hash: u64,
    /// The text itself, for articles not in any file (a query's batch).
    pub held: Option<Arc<str>>,
}

impl TextRef {
    /// The reference of an article stored as `m` in file `path`.
    pub fn stored(m: &StoredMeta, path: String) -> Self {
        TextRef {
            path,
            loc: RecordLoc {
                file: 0,
                line: m.line,
                start: m.start,
                end: m.end,
            },
            hash: m.text,
            held: None,
        }
    }
}

/// A [`TextSource`] over indexed articles: each text re-read from its
/// file (each file opened once and kept while the source lives).
pub struct ArchiveTexts {
    refs: Vec<TextRef>,
    opts: ReadOptions,
    open: Mutex<HashMap<String, Arc<Inputs>>>,
}

impl ArchiveTexts {
    /// The texts of `refs` (article `i` of the corpus is `refs[i]`), parsed
    /// with `opts` (the index's field names).
    pub fn new(refs: Vec<TextRef>, opts: ReadOptions) -> Self {
        ArchiveTexts {
            refs,
            opts,
            open: Mutex::new(HashMap::new()),
        }
    }

    fn inputs(&self, path: &str) -> Result<Arc<Inputs>, String> {
        if let Some(i) = self.open.lock().map_err(|e| e.to_string())?.get(path) {
            return Ok(i.clone());
        }
        let inputs = ingest::open(&[PathBuf::from(path)]).map_err(|e| e.to_string())?;
        if inputs.files.is_empty() {
            return Err(format!("{path} can no longer be read"));
        }
        let inputs = Arc::new(inputs);
        self.open
            .lock()
            .map_err(|e| e.to_string())?
            .insert(path.to_owned(), inputs.clone());
        Ok(inputs)
    }

    /// The text of article `i`, or why it cannot be had.
    pub fn get(&self, i: u32) -> Result<String, String> {
        let r = self
            .refs
            .get(i as usize)
            .ok_or_else(|| format!("only {} articles", self.refs.len()))?;
        self.read(r)
    }

    /// The text `r` points at (its file opened once per source), or why it
    /// cannot be had.
    pub fn read(&self, r: &TextRef) -> Result<String, String> {
        if let Some(t) = &r.held {
            return Ok(t.to_string());
        }
        let inputs = self.inputs(&r.path)?;
        let a = ingest::reload(&inputs, r.loc, &self.opts).map_err(|s| s.to_string())?;
        if xxhash_rust::xxh3::xxh3_64(a.text.as_bytes()) != r.hash {
            return Err(format!(
                "{}:{} changed since it was indexed",
                r.path, r.loc.line
            ));
        }
        Ok(a.text)
    }
}

impl TextSource for ArchiveTexts {
    fn text(&self, article: u32) -> Result<Cow<'_, str>, Error> {
        self.get(article)
            .map(Cow::Owned)
            .map_err(|why| Error::Text { article, why })
    }
}
