//! Files -> articles (`Article`, each with its `RecordLoc`), plus the records skipped.
//!
//! Inputs are JSON Lines files (`.jsonl`, `.ndjson`, or `-` for stdin), one
//! article object per line, CSV/TSV, Parquet (feature `parquet`), WARC/WET
//! and HTML files, each plain or compressed (gzip, zstd, bzip2, xz: found by
//! content, `decode.rs`; the kind too, `formats.rs`), and directories,
//! walked in name order: files of those kinds inside are read as above,
//! `.txt` and `.md` files as one article each (id = path relative to the
//! directory). Plain JSON Lines files take the path below; the others are
//! streamed through their reader, records parsed in parallel all the same. A file of 1 MiB or more is
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
#[cfg(feature = "parquet")]
mod parquet;
mod table;
mod warc;

pub(crate) use corpus::location_text;
pub use corpus::{file_names, Corpus, InputTexts, TextSource};
pub use date::{format_timestamp, parse_timestamp};
pub use decode::Compression;
pub use files::{
    keep_budget, open, open_excluding, open_with, IgnoreReason, Ignored, InputFile, InputKind,
    Inputs, OpenOptions, BLOCK,
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
    /// 1-based line number; 0 for a whole-file article (`.txt`, `.md`);
    /// the row (CSV: header = 1; Parquet: over the file) or the WARC
    /// record's number for those formats.
    pub line: u64,
    /// Byte offset of the record's first byte in the file (of the
    /// decompressed text, for a compressed file); the record's ordinal in
    /// its file for CSV, Parquet and WARC.
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

/// What [`write_articles`] read.
#[derive(Debug, Default)]
pub struct ReadCount {
    /// Records read (articles + skipped), files that could not be read included.
    pub records: u64,
    /// Articles written.
    pub articles: u64,
    /// Every record or file skipped, with where and why.
    pub skipped: Vec<Skipped>,
}

/// One line of [`write_articles`]: an article as read, in the JSON Lines
/// input format (default field names), with where its date came from and
/// where the record is.
#[derive(Serialize)]
struct ReadLine<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published_from: Option<DateFrom>,
    text: &'a str,
    location: String,
}

/// Writes every article of `inputs` to `out` as JSON Lines (`wiretrace
/// read`), in input order, records parsed in parallel; the skipped are
/// counted and returned. Fails only when `out` cannot be written.
pub fn write_articles(
    inputs: &Inputs,
    opts: &ReadOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<ReadCount> {
    let names = file_names(inputs);
    let mut count = ReadCount {
        records: inputs.skipped.len() as u64,
        skipped: inputs.skipped.clone(),
        ..Default::default()
    };
    // Records are parsed on rayon's threads and the lines written here:
    // `out` need not be `Send` (the CLI's atomic output is not).
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Result<String, Skipped>>>(2);
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let tx = tx;
            inputs.map_records_chunked(
                opts,
                4096,
                || (),
                |_, loc, parsed, _| match parsed {
                    Ok((a, _)) => {
                        let m = &a.meta;
                        let line = ReadLine {
                            id: &m.id,
                            url: m.url.as_deref(),
                            title: m.title.as_deref(),
                            source: m.source.as_deref(),
                            published: m.published.map(format_timestamp),
                            published_from: m.published.map(|_| m.date_from),
                            text: &a.text,
                            location: location_text(
                                names.get(loc.file as usize).map_or("", String::as_str),
                                loc.line,
                            ),
                        };
                        Ok(serde_json::to_string(&line).unwrap_or_default())
                    }
                    Err(s) => Err(s),
                },
                |lines| tx.send(lines).map_err(|_| ()),
            )
        });
        let mut result = Ok(());
        for lines in rx.iter() {
            for l in lines {
                count.records += 1;
                match l {
                    Ok(l) if result.is_ok() => {
                        count.articles += 1;
                        result = out
                            .write_all(l.as_bytes())
                            .and_then(|_| out.write_all(b"\n"));
                    }
                    Ok(_) => {}
                    Err(s) => count.skipped.push(s),
                }
            }
            if result.is_err() {
                break;
            }
        }
        drop(rx);
        let _ = reader.join();
        result
    })?;
    Ok(count)
}
