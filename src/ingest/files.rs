//! Input arguments -> readable files (mapped), and each file -> its records.

use super::jsonl::{parse_line, Scratch};
use super::{Article, Meta, Parsed, ReadOptions, RecordLoc};
use crate::error::{Error, Location, SkipReason, Skipped};
use memmap2::Mmap;
use rayon::prelude::*;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest article text allocation kept per thread for reuse (see
/// [`Inputs::map_records_chunked`]): news texts are a few KB; a rare
/// larger one is freed after use rather than held.
const SPARE_MAX: usize = 1 << 20;

/// How a file's bytes become articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// One JSON object per line.
    JsonLines,
    /// The whole file is one article.
    Text,
}

enum Data {
    Mapped(Mmap),
    Owned(Vec<u8>),
}

/// One input file, mapped or read, ready to be split into records.
pub struct InputFile {
    /// The path as named by the user or found under a named directory.
    pub path: PathBuf,
    /// For whole-file articles: the id (path relative to the directory named).
    pub name: String,
    /// JSON Lines or whole-file text.
    pub kind: InputKind,
    data: Data,
}

impl std::fmt::Debug for InputFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InputFile")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .field("len", &self.bytes().len())
            .finish()
    }
}

/// Every readable input, and every file that could not be used.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Files in the order they are read (arguments in order, directories in name order).
    pub files: Vec<InputFile>,
    /// Files that could not be opened or are of a known wrong kind (gzip).
    pub skipped: Vec<Skipped>,
    /// Files under named directories that are not articles (ignored, listed for the summary).
    pub ignored: Vec<PathBuf>,
}

impl Inputs {
    /// Total bytes of input.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes().len() as u64).sum()
    }

    /// Parses every record of every file, in input order, `chunk` records
    /// at a time: each chunk is parsed and mapped with `f` in parallel (with
    /// a per-thread state made by `init`), and handed, in order, to `sink`,
    /// so memory holds two chunks' results, not the corpus's. Stops at the
    /// first error `sink` returns.
    ///
    /// `f`'s last argument is a spare `String`: a mapping that is done with
    /// an article's text may move it there, and the next record parsed on
    /// that thread reuses its allocation (one over 1 MB is let go, so a huge
    /// record does not stay held per thread).
    ///
    /// The serial work (finding the next chunk's lines, and `sink` itself:
    /// appending to the scan's tables) runs beside the parallel mapping of
    /// the chunk after it, not between chunks: on 16 cores, done in turn, it
    /// held the other 15 idle for about a tenth of the ingest. Chunks run
    /// across file boundaries, so a directory of many small files (one
    /// article each) is read as much in parallel as one large file.
    pub fn map_records_chunked<S, T, E, I, F, K>(
        &self,
        opts: &ReadOptions,
        chunk: usize,
        init: I,
        f: F,
        mut sink: K,
    ) -> Result<(), E>
    where
        T: Send,
        E: Send,
        I: Fn() -> S + Sync + Send,
        F: Fn(&mut S, RecordLoc, Parsed, &mut String) -> T + Sync + Send,
        K: FnMut(Vec<T>) -> Result<(), E> + Send,
    {
        let chunk = chunk.max(1);
        let mut records = self
            .files
            .iter()
            .enumerate()
            .flat_map(|(i, file)| file.records(i as u32));
        let mut cur: Vec<(&InputFile, RecordLoc)> = records.by_ref().take(chunk).collect();
        let mut next = Vec::new();
        let mut pending: Option<Vec<T>> = None;
        while !cur.is_empty() {
            let (results, sunk) = rayon::join(
                || {
                    cur.par_iter()
                        .with_min_len(16)
                        .map_init(
                            || (Scratch::default(), init()),
                            |(scratch, state), &(file, loc)| {
                                let parsed = file.parse_at(loc, opts, scratch);
                                let t = f(state, loc, parsed, &mut scratch.spare);
                                if scratch.spare.capacity() > SPARE_MAX {
                                    scratch.spare = String::new();
                                }
                                t
                            },
                        )
                        .collect::<Vec<T>>()
                },
                || {
                    next.clear();
                    next.extend(records.by_ref().take(chunk));
                    pending.take().map_or(Ok(()), &mut sink)
                },
            );
            sunk?;
            pending = Some(results);
            std::mem::swap(&mut cur, &mut next);
        }
        pending.map_or(Ok(()), sink)
    }

    /// An in-memory JSON Lines input (tests, benches, bindings).
    pub fn from_jsonl(name: &str, bytes: Vec<u8>) -> Self {
        let file = InputFile {
            path: PathBuf::from(name),
            name: name.to_owned(),
            kind: InputKind::JsonLines,
            data: Data::Owned(bytes),
        };
        Inputs {
            files: vec![file],
            ..Default::default()
        }
    }

    /// Adds an in-memory whole-file article.
    pub fn push_text(&mut self, name: &str, text: &str) {
        self.files.push(InputFile {
            path: PathBuf::from(name),
            name: name.to_owned(),
            kind: InputKind::Text,
            data: Data::Owned(text.as_bytes().to_vec()),
        });
    }
}

fn kind_of(path: &Path) -> Option<InputKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => Some(InputKind::JsonLines),
        "txt" | "md" => Some(InputKind::Text),
        _ => None,
    }
}

/// Opens every input argument: `-` is stdin (JSON Lines), a directory is
/// walked in name order (hidden entries skipped; files of other kinds, and
/// anything not a regular file, listed in [`Inputs::ignored`]), and a file
/// named explicitly is read by its extension (JSON Lines unless `.txt`/`.md`).
///
/// A file that cannot be opened or read, or is gzip-compressed, becomes a
/// [`Skipped`] entry; fails only when stdin cannot be read.
pub fn open(paths: &[PathBuf]) -> Result<Inputs, Error> {
    let mut inputs = Inputs::default();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Error::io("<stdin>", e))?;
            inputs.files.push(InputFile {
                path: PathBuf::from("<stdin>"),
                name: "<stdin>".into(),
                kind: InputKind::JsonLines,
                data: Data::Owned(buf),
            });
        } else if p.is_dir() {
            walk(p, p, &mut inputs);
        } else {
            let kind = kind_of(p).unwrap_or(InputKind::JsonLines);
            let name = p.to_string_lossy().into_owned();
            push_file(p, name, kind, &mut inputs);
        }
    }
    Ok(inputs)
}

fn walk(root: &Path, dir: &Path, inputs: &mut Inputs) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
            v.sort();
            v
        }
        Err(e) => {
            inputs.skipped.push(Skipped {
                at: Location::file(dir),
                reason: SkipReason::Unreadable {
                    message: e.to_string(),
                },
            });
            return;
        }
    };
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, inputs);
        } else if let (Some(kind), true) = (kind_of(&path), path.is_file()) {
            // Only regular files: a FIFO or socket found in a directory would
            // block the walk (named explicitly, one is read like stdin).
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let name = rel.to_string_lossy().replace('\\', "/");
            push_file(&path, name, kind, inputs);
        } else {
            inputs.ignored.push(path);
        }
    }
}

fn push_file(path: &Path, name: String, kind: InputKind, inputs: &mut Inputs) {
    let unreadable = |e: std::io::Error| Skipped {
        at: Location::file(path),
        reason: SkipReason::Unreadable {
            message: e.to_string(),
        },
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return inputs.skipped.push(unreadable(e)),
    };
    let len = match file.metadata() {
        Ok(m) => m.len(),
        Err(e) => return inputs.skipped.push(unreadable(e)),
    };
    let data = if len == 0 {
        Data::Owned(Vec::new())
    } else {
        // SAFETY: the map is read-only. If another process truncates the
        // file while we read it, reads past the new end fault (SIGBUS); that
        // is the documented risk of mapping, taken by ripgrep and others for
        // the speed of parsing in place without a copy of the corpus.
        match unsafe { Mmap::map(&file) } {
            Ok(m) => Data::Mapped(m),
            Err(_) => {
                // Not mappable (a pipe, a special file): read it instead.
                let mut buf = Vec::new();
                let mut f = file;
                if let Err(e) = f.read_to_end(&mut buf) {
                    return inputs.skipped.push(unreadable(e));
                }
                Data::Owned(buf)
            }
        }
    };
    let bytes: &[u8] = match &data {
        Data::Mapped(m) => m,
        Data::Owned(v) => v,
    };
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return inputs.skipped.push(Skipped {
            at: Location::file(path),
            reason: SkipReason::Gzip,
        });
    }
    inputs.files.push(InputFile {
        path: path.to_owned(),
        name,
        kind,
        data,
    });
}

/// A line of a JSON Lines file: its number and byte range.
#[derive(Debug, Clone, Copy)]
struct Span {
    line: u64,
    start: usize,
    end: usize,
}

impl InputFile {
    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.data {
            Data::Mapped(m) => m,
            Data::Owned(v) => v,
        }
    }

    /// Non-blank lines with their numbers; a UTF-8 BOM and CR before LF are
    /// dropped. A last line without newline is a line like any other.
    #[cfg(test)]
    fn spans(&self) -> Vec<Span> {
        Spans::new(self.bytes()).collect()
    }

    /// This file's records, in order: its non-blank lines, or the whole
    /// file for a text article. `file` is its index in [`Inputs::files`].
    fn records(&self, file: u32) -> impl Iterator<Item = (&InputFile, RecordLoc)> + Send + '_ {
        let (lines, whole) = match self.kind {
            InputKind::JsonLines => (Some(Spans::new(self.bytes())), None),
            InputKind::Text => (
                None,
                Some(RecordLoc {
                    file,
                    line: 0,
                    start: 0,
                    end: self.bytes().len() as u64,
                }),
            ),
        };
        let lines = lines.into_iter().flatten().map(move |s| RecordLoc {
            file,
            line: s.line,
            start: s.start as u64,
            end: s.end as u64,
        });
        whole.into_iter().chain(lines).map(move |loc| (self, loc))
    }

    /// Parses the record at `loc` (as found by [`Inputs::map_records_chunked`]).
    pub fn parse_at(&self, loc: RecordLoc, opts: &ReadOptions, scratch: &mut Scratch) -> Parsed {
        let bytes = self.bytes();
        let (start, end) = (loc.start as usize, (loc.end as usize).min(bytes.len()));
        let slice = bytes.get(start..end).unwrap_or(&[]);
        match self.kind {
            InputKind::JsonLines => {
                parse_line(slice, loc, &self.path, opts.lossy, &opts.fields, scratch)
            }
            InputKind::Text => self.parse_text(slice, loc, opts.lossy),
        }
    }

    fn parse_text(&self, bytes: &[u8], loc: RecordLoc, lossy: bool) -> Parsed {
        let skip = |reason, column| Skipped {
            at: Location {
                path: self.path.clone(),
                line: 0,
                column,
            },
            reason,
        };
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) if lossy => String::from_utf8_lossy(bytes).into_owned(),
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u64
                    + 1;
                return Err(Skipped {
                    at: Location {
                        path: self.path.clone(),
                        line,
                        column: None,
                    },
                    reason: SkipReason::Utf8,
                });
            }
        };
        if text.trim().is_empty() {
            return Err(skip(SkipReason::EmptyText, None));
        }
        // A Markdown file's leading `# Heading`, or a text file's first
        // short line followed by a blank line, is its headline.
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let title = first
            .strip_prefix("# ")
            .map(str::trim)
            .or_else(|| {
                let blank_after = text
                    .trim_start()
                    .split_once('\n')
                    .is_some_and(|(_, rest)| rest.starts_with('\n') || rest.starts_with("\r\n"));
                (first.len() < 200 && blank_after).then(|| first.trim())
            })
            .map(str::to_owned);
        let meta = Meta {
            id: self.name.clone(),
            title,
            source: None,
            url: None,
            published: None,
            loc,
        };
        Ok((Article { meta, text }, None))
    }
}

/// The non-blank lines of a file's bytes, in order, with their numbers
/// (see [`Inputs::map_records_chunked`]): a UTF-8 BOM and CR before LF
/// are dropped; a last line without newline is a line like any other.
struct Spans<'a> {
    bytes: &'a [u8],
    /// Start of the next line.
    start: usize,
    /// Its 1-based number.
    line: u64,
}

impl<'a> Spans<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        Spans {
            bytes,
            start,
            line: 1,
        }
    }
}

impl Iterator for Spans<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        let bytes = self.bytes;
        while self.start < bytes.len() {
            let (start, line) = (self.start, self.line);
            let nl = memchr::memchr(b'\n', &bytes[start..]).map(|k| start + k);
            let mut end = nl.unwrap_or(bytes.len());
            self.start = end + 1;
            self.line += 1;
            if end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            if bytes[start..end].iter().any(|b| !b.is_ascii_whitespace()) {
                return Some(Span { line, start, end });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<(u64, String)> {
        let f = Inputs::from_jsonl("t", s.as_bytes().to_vec());
        let file = &f.files[0];
        file.spans()
            .iter()
            .map(|s| {
                (
                    s.line,
                    String::from_utf8_lossy(&file.bytes()[s.start..s.end]).into_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn spans_skip_blank_lines_and_keep_numbers() {
        assert_eq!(
            lines("a\n\nb\n  \nc"),
            vec![(1, "a".into()), (3, "b".into()), (5, "c".into())]
        );
    }

    #[test]
    fn spans_strip_crlf_and_bom() {
        assert_eq!(
            lines("\u{FEFF}a\r\nb\r\n"),
            vec![(1, "a".into()), (2, "b".into())]
        );
    }

    #[test]
    fn empty_file_has_no_lines() {
        assert!(lines("").is_empty());
        assert!(lines("\n\n").is_empty());
    }

    /// Mixed inputs: JSON Lines files with bad and blank lines, and text
    /// articles, so chunks cross file boundaries of both kinds.
    fn mixed_inputs() -> Inputs {
        let mut inputs = Inputs::from_jsonl(
            "a.jsonl",
            b"{\"id\":\"a1\",\"text\":\"one\"}\n\nnot json\n{\"id\":\"a2\",\"text\":\"two\"}\n"
                .to_vec(),
        );
        inputs.push_text("t1.txt", "Text one.");
        inputs.push_text("t2.txt", "   ");
        let b = Inputs::from_jsonl("b.jsonl", b"{\"id\":\"b1\",\"text\":\"three\"}".to_vec());
        inputs.files.extend(b.files);
        inputs.push_text("t3.md", "# Three\n\nText three.");
        inputs
    }

    /// Where each record came from and what became of it.
    fn outline(r: &(RecordLoc, Parsed)) -> (u32, u64, Result<String, String>) {
        let (loc, p) = r;
        let what = match p {
            Ok((a, _)) => Ok(a.meta.id.clone()),
            Err(s) => Err(format!("{}", s.at)),
        };
        (loc.file, loc.line, what)
    }

    #[test]
    fn chunks_of_any_size_give_every_record_in_input_order() {
        let inputs = mixed_inputs();
        let opts = ReadOptions::from_config(&crate::Config::default());
        let mut whole = Vec::new();
        inputs
            .map_records_chunked(
                &opts,
                usize::MAX,
                || (),
                |_, l, p, _| (l, p),
                |v| {
                    whole.extend(v);
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
        let whole: Vec<_> = whole.iter().map(outline).collect();
        let ids: Vec<_> = whole.iter().map(|w| w.2.clone()).collect();
        assert_eq!(whole.len(), 7, "{whole:?}");
        assert_eq!(ids[0], Ok("a1".to_owned()));
        assert!(
            ids[1].as_ref().unwrap_err().starts_with("a.jsonl:3"),
            "{:?}",
            ids[1]
        );
        assert_eq!(ids[2], Ok("a2".to_owned()));
        assert_eq!(ids[3], Ok("t1.txt".to_owned()));
        assert!(ids[4].is_err(), "blank text article is skipped");
        assert_eq!(ids[5], Ok("b1".to_owned()));
        assert_eq!(ids[6], Ok("t3.md".to_owned()));
        for chunk in 1..=8 {
            let mut got = Vec::new();
            let mut batches = 0;
            inputs
                .map_records_chunked(
                    &opts,
                    chunk,
                    || (),
                    |_, l, p, _| (l, p),
                    |v| {
                        assert!(v.len() <= chunk);
                        batches += 1;
                        got.extend(v);
                        Ok::<(), ()>(())
                    },
                )
                .unwrap();
            let got: Vec<_> = got.iter().map(outline).collect();
            assert_eq!(got, whole, "chunk {chunk}");
            assert_eq!(batches, whole.len().div_ceil(chunk), "chunk {chunk}");
        }
    }

    #[test]
    fn sink_error_stops_the_stream() {
        let inputs = mixed_inputs();
        let opts = ReadOptions::from_config(&crate::Config::default());
        let mut seen = 0;
        let r = inputs.map_records_chunked(
            &opts,
            2,
            || (),
            |_, _, p, _| p.is_ok(),
            |v| {
                seen += v.len();
                if v.iter().any(|ok| !ok) {
                    Err("bad record")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("bad record"));
        assert_eq!(seen, 2, "the sink is not called after its error");
    }

    #[test]
    fn text_file_title() {
        let mut inputs = Inputs::default();
        inputs.push_text("a.md", "# Head line\n\nBody text here.");
        let p = super::super::read(
            &inputs,
            &ReadOptions::from_config(&crate::Config::default()),
        );
        let (a, _) = p[0].as_ref().unwrap();
        assert_eq!(a.meta.title.as_deref(), Some("Head line"));
        assert_eq!(a.meta.id, "a.md");
    }

    use proptest::prelude::*;

    /// Bytes that look like JSON Lines often enough to reach every branch:
    /// fragments of records, bad bytes, line ends, BOMs, NULs.
    fn jsonlish() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"{\"id\":1,\"text\":\"a b c d\"}".to_vec()),
            Just(b"{\"id\":\"x\",\"text\":\"".to_vec()),
            Just(b"\"}".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\xEF\xBB\xBF".to_vec()),
            Just(b"\x00".to_vec()),
            Just(b"\\u0000".to_vec()),
            Just(b"\xff\xfe".to_vec()),
            Just(b"[1,{}]".to_vec()),
            Just(b"  ".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..12),
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
    }

    fn non_blank_lines(bytes: &[u8]) -> usize {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        bytes
            .split(|&b| b == b'\n')
            .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
            .count()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any bytes: one result per non-blank line, each an article or a
        /// skip with the line it came from; never a panic.
        #[test]
        fn any_bytes_give_one_result_per_line(bytes in prop_oneof![jsonlish(), proptest::collection::vec(any::<u8>(), 0..300)], lossy in any::<bool>()) {
            let inputs = Inputs::from_jsonl("p.jsonl", bytes.clone());
            let cfg = crate::Config { lossy, ..Default::default() };
            let out = super::super::read(&inputs, &ReadOptions::from_config(&cfg));
            prop_assert_eq!(out.len(), non_blank_lines(&bytes));
            let lines = bytes.split(|&b| b == b'\n').count() as u64;
            for r in &out {
                let line = match r {
                    Ok((a, _)) => a.meta.loc.line,
                    Err(s) => s.at.line,
                };
                prop_assert!(line >= 1 && line <= lines);
                if let Err(s) = r {
                    prop_assert!(!s.reason.to_string().is_empty());
                }
            }
        }

    }

    proptest! {
        // A scan compiles its patterns and picks LSH bands on each call:
        // fewer cases (the fuzz target `jsonl` runs this property at length).
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// The scan accounts for every record: records = articles + skipped.
        #[test]
        fn scan_counts_add_up(bytes in jsonlish()) {
            let n = non_blank_lines(&bytes) as u64;
            let inputs = Inputs::from_jsonl("p.jsonl", bytes);
            match crate::pipeline::scan_inputs(&crate::Config::default(), inputs, &crate::pipeline::NoProgress) {
                Ok(scan) => {
                    let s = &scan.stats;
                    prop_assert_eq!(s.records, n);
                    prop_assert_eq!(s.records, s.articles + s.skipped);
                    prop_assert_eq!(scan.clusters.of.len() as u64, s.articles);
                    prop_assert_eq!(s.per_file[0].records, n);
                }
                Err(crate::Error::NoArticles) => prop_assert_eq!(n, 0),
                Err(e) => prop_assert!(false, "unexpected error {}", e),
            }
        }
    }
}
