//! Files -> articles (`Article`, each with its `RecordLoc`), plus the records skipped.
//!
//! Inputs are JSON Lines files (`.jsonl`, `.ndjson`, or `-` for stdin), one
//! article object per line, and directories, walked in name order: JSON Lines
//! files inside are read as above, `.txt` and `.md` files as one article each
//! (id = path relative to the directory). A file of 1 MiB or more is
//! memory-mapped (at most [`MAX_MAPS`] at once, with a SIGBUS guard that
//! reports a file truncated while mapped: see `mapped.rs`), a smaller one is
//! read whole and kept, and files past the bound on maps are read in blocks
//! of whole lines (see `files.rs` for why each). Line starts are found with
//! SIMD newline search, then lines are parsed in parallel with simd-json,
//! each copied into a per-thread scratch buffer because simd-json parses in
//! place and the bytes are shared (and a map is read-only).
//! Each file is read once, known by device and inode.
//!
//! Nothing is lost silently: a bad line becomes a [`Skipped`] with its
//! `file:line:column` and a reason; blank lines are not records. Articles are
//! not kept in memory by the pipeline: it keeps each one's [`RecordLoc`] and
//! [`reload`]s the text when a report needs it.
//!
//! Downstream of the scan, articles are plain data: a [`Corpus`] (every
//! [`Meta`], the file names, and a [`TextSource`]) is what lineage and
//! reports read, whether the texts come from the inputs ([`InputTexts`]) or
//! from memory.

mod corpus;
mod date;
mod decode;
mod files;
mod formats;
mod html;
mod jsonl;
mod mapped;
mod table;
mod warc;

pub(crate) use corpus::location_text;
pub use corpus::{file_names, Corpus, InputTexts, TextSource};
pub use date::{format_timestamp, parse_timestamp};
pub use decode::Compression;
pub use files::{
    open, open_excluding, open_with, IgnoreReason, Ignored, InputFile, InputKind, Inputs,
    OpenOptions, BLOCK,
};
pub use formats::DateFrom;
pub use html::{extract as extract_html, Extracted};
pub use jsonl::{FieldPaths, Scratch, HUGE_LINE, MAX_DEPTH};
pub use mapped::MAX_MAPS;

use crate::error::{Location, SkipReason, Skipped};
use serde::Serialize;

/// Where a record lives: which input file, which line, which bytes.
///
/// `Default` (all zero) is the location of an article that came from no
/// file: an in-memory [`Corpus`] built by a caller.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RecordLoc {
    /// Index into [`Inputs::files`].
    pub file: u32,
    /// 1-based line number; 0 for a whole-file article (`.txt`, `.md`).
    pub line: u64,
    /// Byte offset of the record's first byte in the file.
    pub start: u64,
    /// Byte offset one past the record's last byte (newline excluded).
    pub end: u64,
}

/// An article's attributes other than its text: what the pipeline keeps
/// for every input record.
///
/// `Default` so a caller building a [`Corpus`] by hand names only the
/// fields it has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// Id as given (numbers in their decimal form).
    pub id: String,
    /// Headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Outlet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication time, seconds since the Unix epoch (UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<i64>,
    /// Where `published` came from: the record's field (JSON Lines, CSV),
    /// the page's metadata (HTML), or the crawl date (WARC, for a page
    /// with no date of its own).
    #[serde(skip_serializing_if = "DateFrom::is_field")]
    pub date_from: DateFrom,
    /// Where the record is.
    #[serde(skip)]
    pub loc: RecordLoc,
}

/// One article: its attributes and its full original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Id, outlet, date, location.
    pub meta: Meta,
    /// The text as given (boilerplate included; reports show it).
    pub text: String,
}

/// A non-fatal problem with a record that was still read (a date that
/// could not be parsed, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// Where.
    pub at: Location,
    /// What, and what was done about it.
    pub message: String,
}

/// Settings of the ingest stage.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Field paths.
    pub fields: FieldPaths,
    /// Decode invalid UTF-8 lossily instead of skipping the record.
    pub lossy: bool,
}

impl ReadOptions {
    /// Options from the scan's config.
    pub fn from_config(cfg: &crate::Config) -> Self {
        ReadOptions {
            fields: FieldPaths::new(&cfg.fields),
            lossy: cfg.lossy,
        }
    }
}

/// One parsed record, or why it was skipped; notices ride along.
pub type Parsed = Result<(Article, Option<Notice>), Skipped>;

/// Every record of every input, in input order: the simple, whole-corpus
/// form of ingest. The scan pipeline streams instead (see
/// [`Inputs::map_records_chunked`]); this is for tests, tools and small corpora.
pub fn read(inputs: &Inputs, opts: &ReadOptions) -> Vec<Parsed> {
    let mut out = Vec::new();
    let done = inputs.map_records_chunked(
        opts,
        1 << 16,
        || (),
        |_, _, p, _| p,
        |v| {
            out.extend(v);
            Ok::<(), std::convert::Infallible>(())
        },
    );
    match done {
        Ok(()) => out,
        Err(never) => match never {},
    }
}

/// Reads one record again from its location, for reports and exact verification.
pub fn reload(inputs: &Inputs, loc: RecordLoc, opts: &ReadOptions) -> Result<Article, Skipped> {
    let file = inputs.files.get(loc.file as usize).ok_or_else(|| Skipped {
        at: Location::file("?"),
        reason: SkipReason::Unreadable {
            message: format!("no input file #{}", loc.file),
        },
    })?;
    let mut scratch = Scratch::default();
    file.parse_at(loc, opts, &mut scratch).map(|(a, _)| a)
}
