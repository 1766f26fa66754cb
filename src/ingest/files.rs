//! Input arguments -> files to read, and each file -> its records.
//!
//! A regular file is read one of three ways, by its size:
//!
//! - **At least [`BLOCK`] bytes: memory-mapped** (`mapped.rs`) and read
//!   from the map, which stays for the life of the [`Inputs`]: no copy of
//!   the corpus, and a reload (reports, `--exact`, the lede pass) slices the
//!   record from the map, with no open or read. A file truncated while
//!   mapped faults with SIGBUS; the guard there names the file and exits 2.
//! - **Smaller: read whole when opened, and kept.** News articles are a few
//!   KB: one read each, and reloads from memory. Mapping them would spend a
//!   `vm.max_map_count` area (65,530 by default) per file: a map per file
//!   aborted a directory of 100,000 articles (issue 15).
//! - **Past the bound on maps ([`MAX_MAPS`](super::MAX_MAPS) at once), or
//!   where maps are not used: read in blocks** of [`BLOCK`] bytes cut at a
//!   line end, each block let go once its records are parsed, and reloads
//!   re-read the record's bytes ([`InputFile::parse_at`]). A read just
//!   returns fewer bytes from a file that shrinks: it ends early, and the
//!   records lost are reported as one skipped record with the file and
//!   line (see [`Inputs::map_records_chunked`]).
//!
//! No file stays open once opened (a map needs no descriptor), so neither
//! the number of files nor `ulimit -n` limits a scan.
//!
//! Streams (stdin, a FIFO, `<(cmd)`, `/proc` files, anything of size 0)
//! cannot be read twice, so their bytes are read once when opened and kept.
//!
//! Each file is read once: files and directories are known by device and
//! inode, so a file named twice, a file and its directory, a hard link or
//! a symlink loop neither doubles articles nor hangs the walk.

use super::decode::{damage, Compression, Counted};
pub use super::formats::InputKind;
use super::formats::{detect, kind_by_name, Pre, Rec};
use super::jsonl::{parse_line, Scratch};
use super::mapped::Mapped;
use super::{Article, Meta, Notice, Parsed, ReadOptions, RecordLoc};
use crate::error::{path_text, Error, Location, SkipReason, Skipped};
use rayon::prelude::*;
use serde::Serialize;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest article text allocation kept per thread for reuse (see
/// [`Inputs::map_records_chunked`]): news texts are a few KB; a rare
/// larger one is freed after use rather than held.
const SPARE_MAX: usize = 1 << 20;

/// The size from which a regular file is mapped rather than read whole and
/// kept, and the bytes read at once on the block path (a block grows past
/// this only to hold a longer line). A news article is a few KB, so nearly
/// every `.txt`/`.md` file, and a JSON Lines file of up to ~200 articles,
/// is one `read` and a few pages of memory, less than a map's set-up and
/// its area of `vm.max_map_count`; at 1 MiB the cost of a system call is
/// under 1% of copying the bytes, while the blocks in flight (two batches
/// of records, see [`Inputs::map_records_chunked`]) stay tens of MB
/// whatever the corpus.
pub const BLOCK: usize = 1 << 20;

/// A file's identity: device and inode. Two paths with one identity are one
/// file (a hard link, a symlink, `./a` and `a`).
type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(m: &std::fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> Option<FileId> {
    None
}

/// Bytes of a file starting at offset `base`.
#[derive(Debug, Default)]
struct Block {
    base: u64,
    bytes: Vec<u8>,
}

/// The bytes an item's record is in: a block read from a file (shared by
/// the items of its records, dropped with the last), or the whole of a
/// file kept in memory or mapped (borrowed from its [`InputFile`]).
#[derive(Clone)]
enum Bytes<'a> {
    Block(Arc<Block>),
    Whole(&'a [u8]),
}

impl Bytes<'_> {
    /// The file offset of `bytes()[0]`.
    fn base(&self) -> u64 {
        match self {
            Bytes::Block(b) => b.base,
            Bytes::Whole(_) => 0,
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Bytes::Block(b) => &b.bytes,
            Bytes::Whole(w) => w,
        }
    }
}

/// Where a file's bytes are, by its kind and size (see the module's
/// comment for why each).
enum Source {
    /// A regular file past the bound on maps, read in blocks when its
    /// records are and re-read for reloads; `id` and `len` as when opened,
    /// to notice a file changed since.
    Disk { id: Option<FileId>, len: u64 },
    /// Bytes read once and kept: a stream, a regular file under [`BLOCK`],
    /// or an in-memory input.
    Kept(Vec<u8>),
    /// A regular file of [`BLOCK`] bytes or more, mapped for the life of
    /// its [`Inputs`].
    Mapped(Mapped),
}

impl Source {
    /// All of the file's bytes, where they are at hand (kept or mapped).
    fn whole(&self) -> Option<&[u8]> {
        match self {
            Source::Disk { .. } => None,
            Source::Kept(b) => Some(b),
            Source::Mapped(m) => Some(m.bytes()),
        }
    }
}

/// One input file, ready to be split into records.
pub struct InputFile {
    /// The path as named by the user or found under a named directory.
    pub path: PathBuf,
    /// For whole-file articles: the id (path relative to the directory named).
    pub name: String,
    /// How its (decompressed) bytes become articles.
    pub kind: InputKind,
    /// How its bytes are compressed.
    pub compression: Compression,
    /// Index of the input argument it was named by or found under (0 for
    /// in-memory inputs): `check` tells originals from the corpus by it.
    pub arg: usize,
    source: Source,
    /// A streamed file's articles by `RecordLoc::start`, decoded again
    /// on the first reload (see [`InputFile::parse_at`]).
    cache: std::sync::OnceLock<Result<Vec<(u64, Article)>, String>>,
    /// A compressed JSON Lines file's decoded bytes, in the blocks the
    /// scan read them in: kept from the scan's own pass while the run's
    /// [`KeepBudget`] allows, else decoded again on the first reload.
    /// Records are sliced from them by their offsets and parsed one by
    /// one, as from a plain file.
    decoded: std::sync::OnceLock<Result<Vec<Arc<Block>>, String>>,
}

impl std::fmt::Debug for InputFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InputFile")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .field("len", &self.len())
            .finish()
    }
}

/// Why a file under a named directory is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IgnoreReason {
    /// Not named as an input kind (`.jsonl`, `.csv`, `.warc`, ... or
    /// compressed: `.jsonl.gz`).
    OtherKind,
    /// A FIFO, socket or device: reading one found in a directory could
    /// block the walk forever (named explicitly, one is read as a stream).
    NotRegular,
    /// Its name starts with `.`: on real corpora these are `.git`,
    /// `.DS_Store`, macOS `._name.txt` resource forks (binary, with an
    /// article's extension), editor swap and backup files, rsync's partial
    /// `.name.XXXXXX` and wiretrace's own `.NAME.wiretrace-*.tmp`; none is
    /// an article, and reading them would add garbage or half-written
    /// copies. Named explicitly, a hidden file is read.
    Hidden,
    /// One of this run's outputs, left by an earlier run (`--force`):
    /// reading it would scan the scan's own results.
    Output,
}

impl std::fmt::Display for IgnoreReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            IgnoreReason::OtherKind => "not an article file (.jsonl, .ndjson, .csv, .tsv, .parquet, .warc, .wet, .html, .htm, .txt or .md, compressed or not)",
            IgnoreReason::NotRegular => {
                "not a regular file (a FIFO, socket or device); name it to read it"
            }
            IgnoreReason::Hidden => "hidden (name starts with `.`); name it to read it",
            IgnoreReason::Output => "is one of this run's outputs",
        })
    }
}

/// A file under a named directory that is not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ignored {
    /// The file (or directory, for a hidden one).
    #[serde(serialize_with = "crate::error::serialize_path")]
    pub path: PathBuf,
    /// Why.
    pub reason: IgnoreReason,
}

/// Every readable input, and every file that could not be used.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Files in the order they are read (arguments in order, directories in name order).
    pub files: Vec<InputFile>,
    /// Files that could not be opened or are of no kind wiretrace reads.
    pub skipped: Vec<Skipped>,
    /// Inputs named as arguments that could not be opened (a missing
    /// file): the CLI exits 2 for them, since a crawl that is not there is
    /// not a record that was bad.
    pub unopened: Vec<PathBuf>,
    /// Files under named directories that are not read, with why.
    pub ignored: Vec<Ignored>,
    /// What was noticed while opening: files read once though named twice,
    /// symlink loops not followed.
    pub notices: Vec<Notice>,
    /// How many decoded bytes of compressed JSON Lines files may be kept
    /// from the first pass for reloads (see [`Inputs::keep_decoded`]).
    keep: KeepBudget,
}

/// The decoded bytes of compressed JSON Lines files that may still be kept
/// (see [`Inputs::keep_decoded`]). Taken and given back only by the thread
/// that reads the records, so plain loads and stores would do; an atomic
/// lets [`Inputs`] stay `Sync` without a lock.
#[derive(Debug, Default)]
struct KeepBudget {
    left: std::sync::atomic::AtomicU64,
}

impl KeepBudget {
    /// Takes `n` bytes of the budget; false (nothing taken) if fewer are left.
    fn take(&self, n: u64) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        self.left
            .fetch_update(Relaxed, Relaxed, |left| left.checked_sub(n))
            .is_ok()
    }

    fn give(&self, n: u64) {
        self.left.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The decoded blocks of one compressed JSON Lines file kept so far in a
/// pass, and the budget they were taken from (given back if the pass stops
/// before the file's end, or the file outgrows what is left).
struct Keeper<'a> {
    budget: &'a KeepBudget,
    blocks: Vec<Arc<Block>>,
    bytes: u64,
}

impl Keeper<'_> {
    /// Keeps `block`, or lets every block go (false) when the budget has
    /// no room for it: the file is then decoded again on its first reload.
    fn keep(&mut self, block: &Arc<Block>) -> bool {
        let n = block.bytes.capacity() as u64;
        if !self.budget.take(n) {
            return false;
        }
        self.bytes += n;
        self.blocks.push(block.clone());
        true
    }

    /// Hands the blocks to `file` for its reloads (the budget stays taken
    /// for the rest of the run).
    fn finish(mut self, file: &InputFile) {
        let blocks = std::mem::take(&mut self.blocks);
        if file.decoded.set(Ok(blocks)).is_ok() {
            self.bytes = 0;
        }
    }
}

impl Drop for Keeper<'_> {
    fn drop(&mut self) {
        self.budget.give(self.bytes);
    }
}

/// The default of [`Inputs::keep_decoded`] for a scan: an eighth of the
/// machine's physical memory (512 MiB where it cannot be found).
pub fn keep_budget() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: sysconf only reads system configuration.
        let (pages, size) = unsafe {
            (
                libc::sysconf(libc::_SC_PHYS_PAGES),
                libc::sysconf(libc::_SC_PAGESIZE),
            )
        };
        if pages > 0 && size > 0 {
            return (pages as u64).saturating_mul(size as u64) / 8;
        }
    }
    512 << 20
}

/// A record on its way to the parser: its file, the block holding its
/// bytes, and where it is; or why the rest of the file could not be read.
struct Item<'a> {
    file: &'a InputFile,
    block: Bytes<'a>,
    loc: RecordLoc,
    failed: Option<Skipped>,
    /// A record of a format other than JSON Lines, read by its reader.
    pre: Option<Box<Pre>>,
}

impl Item<'_> {
    fn parse(&self, opts: &ReadOptions, scratch: &mut Scratch) -> Parsed {
        if let Some(s) = &self.failed {
            return Err(s.clone());
        }
        if let Some(p) = &self.pre {
            if let Rec::Text(bytes) = &p.rec {
                // A compressed `.txt`/`.md`: one article, as a plain one is.
                return self.file.parse_text(bytes, self.loc, opts.lossy);
            }
            return p.parse(&self.file.path, self.loc, opts, scratch);
        }
        let (base, bytes) = (self.block.base(), self.block.bytes());
        let start = (self.loc.start - base) as usize;
        let end = ((self.loc.end - base) as usize).min(bytes.len());
        let slice = bytes.get(start..end).unwrap_or(&[]);
        self.file.parse_bytes(slice, self.loc, opts, scratch)
    }
}

impl Inputs {
    /// Total bytes of input (of regular files, their size when opened).
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(InputFile::len).sum()
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
    /// The serial work (reading the next chunk's blocks and finding their
    /// lines, and `sink` itself: appending to the scan's tables) runs beside
    /// the parallel mapping of the chunk after it, not between chunks: on
    /// 16 cores, done in turn, it held the other 15 idle for about a tenth
    /// of the ingest. Chunks run across file boundaries, so a directory of
    /// many small files (one article each) is read as much in parallel as
    /// one large file. A block is dropped with the last chunk that holds
    /// one of its records.
    ///
    /// A file that cannot be read now (removed since it was opened, a read
    /// error) or that shrank while it was read gives one more record, a
    /// [`Skipped`] at the line where reading stopped.
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
        let mut records = Records::new(&self.files, BLOCK);
        records.keep = Some(&self.keep);
        // The first chunk is found before anything runs beside it (a whole
        // chunk's line search and first page faults took 10 ms of one
        // thread while the others waited): an eighth of one, so the search
        // for the first full chunk runs beside its parsing.
        let mut cur: Vec<Item> = records.by_ref().take(chunk.div_ceil(8)).collect();
        let mut next = Vec::new();
        let mut pending: Option<Vec<T>> = None;
        while !cur.is_empty() {
            let (results, sunk) = rayon::join(
                || {
                    // At most 64 records a task: rayon otherwise cut a
                    // chunk into a few large pieces, and whichever thread
                    // took the last one worked on alone (perf showed one of
                    // two threads idle for 5-10 ms at most chunk ends).
                    cur.par_iter()
                        .with_min_len(16)
                        .with_max_len(64)
                        .map_init(
                            || (Scratch::default(), init()),
                            |(scratch, state), item| {
                                let parsed = item.parse(opts, scratch);
                                let t = f(state, item.loc, parsed, &mut scratch.spare);
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

    /// Lets the next passes over the records keep up to `bytes` of the
    /// decoded text of compressed JSON Lines files, in the blocks they are
    /// read in, so that reloads (the lede pass, `--exact`, reports) slice
    /// records from memory instead of decoding the file again: that second
    /// decode cost a `.jsonl.zst` scan a fifth of its time, a `.jsonl.gz`
    /// scan more. A file whose decoded text does not fit in what is left
    /// keeps nothing and is decoded again, whole, on its first reload (as
    /// with no budget, the default). The scan sets [`keep_budget`].
    pub fn keep_decoded(&mut self, bytes: u64) {
        self.keep = KeepBudget { left: bytes.into() };
    }

    /// An in-memory JSON Lines input (tests, benches, bindings).
    pub fn from_jsonl(name: &str, bytes: Vec<u8>) -> Self {
        let mut inputs = Inputs::default();
        inputs.push_kept(name, InputKind::JsonLines, bytes);
        inputs
    }

    /// Adds an in-memory whole-file article.
    pub fn push_text(&mut self, name: &str, text: &str) {
        self.push_kept(name, InputKind::Text, text.as_bytes().to_vec());
    }

    /// Adds an in-memory input of `kind`, compressed or not (by its
    /// magic bytes).
    pub fn push_bytes(&mut self, name: &str, kind: InputKind, bytes: Vec<u8>) {
        self.push_kept(name, kind, bytes);
    }

    fn push_kept(&mut self, name: &str, kind: InputKind, bytes: Vec<u8>) {
        self.files.push(InputFile {
            path: PathBuf::from(name),
            name: name.to_owned(),
            kind,
            compression: Compression::of(&bytes),
            arg: 0,
            source: Source::Kept(bytes),
            cache: Default::default(),
            decoded: Default::default(),
        });
    }
}

/// How inputs are opened.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Read every file as this kind, whatever its content and name
    /// (`--input-format`); compression is still found by content.
    pub format: Option<InputKind>,
    /// The text field's name: a header row naming it marks a CSV or TSV.
    pub text_field: String,
}

impl OpenOptions {
    /// The options of a scan's config.
    pub fn from_config(cfg: &crate::Config) -> Self {
        OpenOptions {
            format: cfg.input_format,
            text_field: cfg.fields.text.clone(),
        }
    }
}

/// The first bytes of a decoded stream, for telling its kind: enough for
/// a CSV header row or an HTML page's opening tags.
const SNIFF: usize = 4096;

/// The first [`SNIFF`] bytes of `bytes` decoded (as many as decode, for a
/// damaged stream: the damage is reported when the records are read).
fn sniff(c: Compression, r: impl Read + Send) -> Vec<u8> {
    let mut out = Vec::new();
    if let Ok(d) = c.decoder(r) {
        let _ = d.take(SNIFF as u64).read_to_end(&mut out);
    }
    out
}

/// Opens every input argument (see [`open_excluding`]), excluding nothing.
pub fn open(paths: &[PathBuf]) -> Result<Inputs, Error> {
    open_excluding(paths, &[])
}

/// Opens every input argument: `-` is stdin (JSON Lines), a directory is
/// walked in name order (hidden entries, files of other kinds, anything
/// not a regular file and the files in `exclude` are listed in
/// [`Inputs::ignored`] with why), and a file named explicitly is read by
/// its extension (JSON Lines unless `.txt`/`.md`).
///
/// `exclude` names files not to read (a run's existing outputs); paths
/// that do not exist are passed over. A file reached twice (by device and
/// inode) is read once, at its first path, with a notice; a directory
/// reached again (a symlink loop, or named twice) is not walked again.
///
/// A file that cannot be opened or read, or is of no kind wiretrace
/// reads, becomes a [`Skipped`] entry (one named as an argument and not
/// opened is also in [`Inputs::unopened`]); fails only when stdin cannot
/// be read.
pub fn open_excluding(paths: &[PathBuf], exclude: &[PathBuf]) -> Result<Inputs, Error> {
    open_with(
        paths,
        exclude,
        &OpenOptions::from_config(&crate::Config::default()),
    )
}

/// [`open_excluding`], with a kind forced or the text field named
/// (`opts`). Every file's compression (gzip, zstd, bzip2, xz) and kind
/// are found by its content first, then its name (see `formats.rs`); a
/// file of no kind wiretrace reads is one [`Skipped`] saying what it looks
/// like and what to pass.
pub fn open_with(
    paths: &[PathBuf],
    exclude: &[PathBuf],
    opts: &OpenOptions,
) -> Result<Inputs, Error> {
    let inputs = open_as(paths, exclude, Reading::BySize, opts)?;
    pause_for_tests();
    Ok(inputs)
}

/// How regular files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Under [`BLOCK`] read whole and kept; larger mapped while maps are
    /// left ([`MAX_MAPS`](super::MAX_MAPS)), else read in blocks. What every run does.
    BySize,
    /// Every regular file read in blocks, as past the bound on maps: lets
    /// the tests reach that path with small files.
    #[cfg(test)]
    Blocks,
}

/// A test hook, and nothing else differs with it: with
/// `WIRETRACE_TEST_PAUSE_AFTER_OPEN=P` in the environment, once every input
/// is open (and mapped) the file `P` is created, and the run waits until it
/// is removed (at most a minute). `tests/cli/inputs.rs` truncates a mapped
/// input in that pause, which no timing could do reliably.
fn pause_for_tests() {
    let Some(p) = std::env::var_os("WIRETRACE_TEST_PAUSE_AFTER_OPEN") else {
        return;
    };
    let p = Path::new(&p);
    if std::fs::write(p, b"").is_err() {
        return;
    }
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while p.exists() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

fn open_as(
    paths: &[PathBuf],
    exclude: &[PathBuf],
    reading: Reading,
    opts: &OpenOptions,
) -> Result<Inputs, Error> {
    let mut o = Opener {
        reading,
        opts: opts.clone(),
        inputs: Inputs::default(),
        files: hashbrown::HashMap::new(),
        dirs: hashbrown::HashMap::new(),
        ancestors: Vec::new(),
        exclude: exclude
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok().as_ref().and_then(file_id))
            .collect(),
        arg: 0,
        stdin_read: None,
    };
    for (arg, p) in paths.iter().enumerate() {
        o.arg = arg;
        if p.as_os_str() == "-" {
            o.stdin()?;
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                if o.enter_dir(p, &m) {
                    o.walk(p, p);
                    o.ancestors.pop();
                }
            }
            Ok(_) => {
                let name = path_text(p).into_owned();
                o.push_file(p, name, false);
            }
            Err(e) => {
                o.inputs.unopened.push(p.clone());
                o.unreadable(p, e)
            }
        }
    }
    Ok(o.inputs)
}

/// The state of opening the inputs: what was already read, by identity.
struct Opener {
    inputs: Inputs,
    /// Files read so far, and the path each was first read at.
    files: hashbrown::HashMap<FileId, PathBuf>,
    /// Directories walked so far, and the path each was first walked at.
    dirs: hashbrown::HashMap<FileId, PathBuf>,
    /// The directories being walked, outermost first.
    ancestors: Vec<(Option<FileId>, PathBuf)>,
    exclude: hashbrown::HashSet<FileId>,
    /// The argument being opened.
    arg: usize,
    /// The argument at which `-` was read, if it was.
    stdin_read: Option<usize>,
    reading: Reading,
    opts: OpenOptions,
}

impl Opener {
    fn unreadable(&mut self, path: &Path, e: std::io::Error) {
        self.inputs.skipped.push(Skipped {
            at: Location::file(path),
            reason: SkipReason::Unreadable {
                message: e.to_string(),
            },
        });
    }

    fn notice(&mut self, path: &Path, message: String) {
        self.inputs.notices.push(Notice {
            at: Location::file(path),
            message,
        });
    }

    fn ignore(&mut self, path: PathBuf, reason: IgnoreReason) {
        self.inputs.ignored.push(Ignored { path, reason });
    }

    fn stdin(&mut self) -> Result<(), Error> {
        if self.stdin_read.is_some() {
            // Standard input can be read only once; a second `-` would be
            // empty, and its absence is better said than silent.
            self.notice(
                Path::new("<stdin>"),
                "`-` is named more than once; standard input is read once".into(),
            );
            return Ok(());
        }
        self.stdin_read = Some(self.arg);
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Error::io("<stdin>", e))?;
        self.push_read(Path::new("<stdin>"), "<stdin>".into(), buf);
        Ok(())
    }

    /// Notes that the walk enters directory `dir` (metadata `m`); false,
    /// with a notice, if it was walked already: a symlink loop when it is
    /// one of the directories being walked, else a directory reached twice.
    fn enter_dir(&mut self, dir: &Path, m: &std::fs::Metadata) -> bool {
        let id = file_id(m);
        if let Some(id) = id {
            if let Some(first) = self.dirs.get(&id).cloned() {
                let looped = self.ancestors.iter().any(|(a, _)| *a == Some(id));
                let message = if looped {
                    format!(
                        "symlink loop: this leads back to `{}`, which is being read; not followed",
                        path_text(&first)
                    )
                } else {
                    format!(
                        "the same directory as `{}`, already read; not read again",
                        path_text(&first)
                    )
                };
                self.notice(dir, message);
                return false;
            }
            self.dirs.insert(id, dir.to_owned());
        }
        self.ancestors.push((id, dir.to_owned()));
        true
    }

    fn walk(&mut self, root: &Path, dir: &Path) {
        let entries = match std::fs::read_dir(dir) {
            Ok(rd) => {
                let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                v.sort();
                v
            }
            Err(e) => return self.unreadable(dir, e),
        };
        for path in entries {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."));
            if hidden {
                self.ignore(path, IgnoreReason::Hidden);
                continue;
            }
            // Symlinks are followed: a corpus assembled from links is common,
            // and loops are caught by identity in `enter_dir`.
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                // A broken link or a file removed during the walk: an
                // article file that cannot be read is a loss to report;
                // anything else is ignored as it would have been.
                Err(e) if kind_by_name(&path).is_some() => {
                    self.unreadable(&path, e);
                    continue;
                }
                Err(_) => {
                    self.ignore(path, IgnoreReason::OtherKind);
                    continue;
                }
            };
            if meta.is_dir() {
                if self.enter_dir(&path, &meta) {
                    self.walk(root, &path);
                    self.ancestors.pop();
                }
            } else if kind_by_name(&path).is_some() {
                if !meta.is_file() {
                    // A FIFO or socket found in a directory would block the
                    // walk (named explicitly, one is read like stdin).
                    self.ignore(path, IgnoreReason::NotRegular);
                    continue;
                }
                let rel = path.strip_prefix(root).unwrap_or(&path);
                // Components joined by `/` on every system (ids are the
                // same on Windows), each escaped if it is not UTF-8.
                let name = rel
                    .components()
                    .map(|c| path_text(Path::new(c.as_os_str())).into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                self.push_file(&path, name, true);
            } else {
                self.ignore(path, IgnoreReason::OtherKind);
            }
        }
    }

    /// Opens `path` and adds it: a stream, or a regular file under
    /// [`BLOCK`], by its bytes, read now; a larger file mapped, or past the
    /// bound on maps by its size and identity (read later, in blocks).
    /// Files found in a walk (`walked`) may be one of the run's outputs,
    /// ignored.
    fn push_file(&mut self, path: &Path, name: String, walked: bool) {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                if !walked {
                    self.inputs.unopened.push(path.to_owned());
                }
                return self.unreadable(path, e);
            }
        };
        let meta = match file.metadata() {
            Ok(m) => m,
            Err(e) => return self.unreadable(path, e),
        };
        let id = file_id(&meta);
        if let Some(id) = id {
            if walked && self.exclude.contains(&id) {
                return self.ignore(path.to_owned(), IgnoreReason::Output);
            }
            if let Some(first) = self.files.get(&id).cloned() {
                // Reading it again would make each of its articles a
                // verbatim copy of itself (and, in `check`, an original
                // reported as a copy of itself).
                let message = format!(
                    "the same file as `{}` (named twice, inside a directory also named, or a hard link); read once, as `{}`",
                    path_text(&first),
                    path_text(&first)
                );
                return self.notice(path, message);
            }
            self.files.insert(id, path.to_owned());
        }
        // A FIFO, `/dev/stdin` on a pipe, `<(cmd)` and `/proc` or `/sys`
        // files report size 0 (or no size): read to the end as streams, now,
        // since they cannot be read twice. A regular file that is truly
        // empty costs one read that returns nothing.
        if !meta.is_file() || meta.len() == 0 {
            let mut buf = Vec::new();
            if let Err(e) = file.read_to_end(&mut buf) {
                return self.unreadable(path, e);
            }
            return self.push_read(path, name, buf);
        }
        let len = meta.len();
        let disk = Source::Disk { id, len };
        if len < BLOCK as u64 && self.reading == Reading::BySize {
            // A news article, or a file of a few hundred: one read, now,
            // and kept, so reloads cost no system call and the file needs
            // no map (issue 15: a map per file ran out of map areas).
            let mut buf = Vec::with_capacity(len as usize);
            match (&mut file).take(len).read_to_end(&mut buf) {
                Err(e) => return self.unreadable(path, e),
                Ok(n) if n as u64 == len => return self.push_read(path, name, buf),
                // It shrank since `metadata` (a writer truncated it): the
                // block reader reports the records lost, by line, when its
                // records are read.
                Ok(_) => {
                    let kind = kind_by_name(path).unwrap_or(InputKind::JsonLines);
                    return self.push_source(path, name, kind, Compression::None, disk);
                }
            }
        }
        let mut head = Vec::with_capacity(SNIFF);
        if let Err(e) = (&mut file).take(SNIFF as u64).read_to_end(&mut head) {
            return self.unreadable(path, e);
        }
        let compression = Compression::of(&head);
        if compression != Compression::None {
            let decoded = match file.seek(SeekFrom::Start(0)) {
                Ok(_) => sniff(compression, (&mut file).take(len)),
                Err(e) => return self.unreadable(path, e),
            };
            let Some(kind) = self.kind(path, &decoded, compression) else {
                return;
            };
            return self.push_source(path, name, kind, compression, disk);
        }
        let Some(kind) = self.kind(path, &head, compression) else {
            return;
        };
        if !matches!(
            kind,
            InputKind::JsonLines | InputKind::Text | InputKind::Html
        ) {
            return self.push_source(path, name, kind, compression, disk);
        }
        let source = match self.reading {
            Reading::BySize => Mapped::new(&file, len, path).map_or(disk, Source::Mapped),
            #[cfg(test)]
            Reading::Blocks => disk,
        };
        self.push_source(path, name, kind, compression, source);
    }

    /// The kind of `path`, whose decoded content starts with `head`: the
    /// one forced, else as detected; `None`, with the file skipped and
    /// why, when it is of no kind read (or a compressed Parquet file).
    fn kind(&mut self, path: &Path, head: &[u8], c: Compression) -> Option<InputKind> {
        let kind = match self.opts.format {
            Some(k) => Ok(k),
            None => detect(head, path, &self.opts.text_field),
        };
        let reason = match kind {
            Ok(InputKind::Parquet) if c != Compression::None => SkipReason::UnknownKind {
                looks: format!("a {}-compressed Parquet file (Parquet compresses its own pages and must be read at random)", c.name()),
                what: "decompress it first".into(),
            },
            Ok(k) => return Some(k),
            Err(looks) => SkipReason::UnknownKind {
                looks: if c == Compression::None {
                    looks
                } else {
                    format!("{}-compressed {looks}", c.name())
                },
                what: format!(
                    "if it holds articles, name its kind with --input-format {}",
                    InputKind::NAMES.map(|(n, _)| n).join("|")
                ),
            },
        };
        self.inputs.skipped.push(Skipped {
            at: Location::file(path),
            reason,
        });
        None
    }

    fn push_source(
        &mut self,
        path: &Path,
        name: String,
        kind: InputKind,
        compression: Compression,
        source: Source,
    ) {
        self.inputs.files.push(InputFile {
            path: path.to_owned(),
            name,
            kind,
            compression,
            arg: self.arg,
            source,
            cache: Default::default(),
            decoded: Default::default(),
        });
    }

    /// Adds a stream's bytes, read already.
    fn push_read(&mut self, path: &Path, name: String, bytes: Vec<u8>) {
        let c = Compression::of(&bytes);
        let head = if c == Compression::None {
            bytes[..bytes.len().min(SNIFF)].to_vec()
        } else {
            sniff(c, &bytes[..])
        };
        let Some(kind) = self.kind(path, &head, c) else {
            return;
        };
        self.push_source(path, name, kind, c, Source::Kept(bytes));
    }
}

/// Reads a regular file's lines in blocks: each block ends at a line end
/// (or at the end of the file), so no record spans two.
struct BlockReader<'a> {
    file: Box<dyn Read + Send + 'a>,
    /// Bytes per read.
    block: usize,
    /// File offset of `carry[0]`.
    base: u64,
    /// The start of a line read with the block before.
    carry: Vec<u8>,
    eof: bool,
    /// A read error found after the lines before it, to give once they
    /// are (a damaged compressed stream keeps the records before the damage).
    error: Option<std::io::Error>,
}

impl<'a> BlockReader<'a> {
    /// Reads at most `len` bytes of `file` (its size when opened: a file
    /// appended to while it is read is read as it was then).
    fn new(file: File, len: u64, block: usize) -> Self {
        Self::over(Box::new(file.take(len)), block)
    }

    /// Reads the lines of a stream (a decoder).
    fn over(file: Box<dyn Read + Send + 'a>, block: usize) -> Self {
        BlockReader {
            file,
            block: block.max(1),
            base: 0,
            carry: Vec::new(),
            eof: false,
            error: None,
        }
    }

    /// The next block of whole lines; `None` at the end of the file.
    fn next_block(&mut self) -> std::io::Result<Option<Block>> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let mut buf = std::mem::take(&mut self.carry);
        loop {
            if self.eof {
                if let Some(e) = self.error.take() {
                    self.carry = buf;
                    return Err(e);
                }
                if buf.is_empty() {
                    return Ok(None);
                }
                let block = Block {
                    base: self.base,
                    bytes: buf,
                };
                self.base += block.bytes.len() as u64;
                return Ok(Some(block));
            }
            let old = buf.len();
            // A line longer than a block: read as much again, so a long
            // line costs reads in proportion to its length, not its square.
            let want = self.block.max(old);
            buf.reserve(want);
            let n = match (&mut self.file).take(want as u64).read_to_end(&mut buf) {
                Ok(n) => n,
                Err(e) => {
                    // The whole lines read before the error are records;
                    // the line it cut is lost with the rest.
                    let Some(k) = memchr::memrchr(b'\n', &buf) else {
                        self.carry = buf;
                        return Err(e);
                    };
                    self.error = Some(e);
                    self.eof = true;
                    self.carry = buf.split_off(k + 1);
                    let block = Block {
                        base: self.base,
                        bytes: buf,
                    };
                    self.base += block.bytes.len() as u64;
                    return Ok(Some(block));
                }
            };
            if n < want {
                self.eof = true;
            }
            if let Some(k) = memchr::memrchr(b'\n', &buf[old..]) {
                let cut = old + k + 1;
                self.carry = buf[cut..].to_vec();
                buf.truncate(cut);
                let block = Block {
                    base: self.base,
                    bytes: buf,
                };
                self.base += cut as u64;
                return Ok(Some(block));
            }
        }
    }

    /// Bytes read so far.
    fn read(&self) -> u64 {
        self.base + self.carry.len() as u64
    }
}

/// The file being split into records.
struct Open<'a> {
    file: &'a InputFile,
    index: u32,
    /// `None` for a kept or mapped file: its one block is `block`.
    reader: Option<BlockReader<'a>>,
    /// For a decoded stream: the count of compressed bytes read.
    decoded: Option<Arc<std::sync::atomic::AtomicU64>>,
    /// The decoded blocks kept for reloads (a compressed JSON Lines file,
    /// while the budget lasts).
    keeper: Option<Keeper<'a>>,
    /// The records of a file of another format (CSV, WARC, ...).
    pres: Option<Box<dyn Iterator<Item = Result<Pre, super::warc::Failure>> + Send + 'a>>,
    block: Option<Bytes<'a>>,
    /// Offset in `block` of the next line.
    pos: usize,
    /// Its number.
    line: u64,
}

/// Every record of every file, in order (see [`Inputs::map_records_chunked`]).
struct Records<'a> {
    files: &'a [InputFile],
    next_file: usize,
    open: Option<Open<'a>>,
    block: usize,
    /// Where compressed JSON Lines files' decoded blocks may be kept from
    /// (`None`: keep none).
    keep: Option<&'a KeepBudget>,
}

impl<'a> Records<'a> {
    fn new(files: &'a [InputFile], block: usize) -> Self {
        Records {
            files,
            next_file: 0,
            open: None,
            block,
            keep: None,
        }
    }

    fn failed(file: &'a InputFile, index: u32, line: u64, at: u64, message: String) -> Item<'a> {
        Item {
            file,
            block: Bytes::Whole(&[]),
            loc: RecordLoc {
                file: index,
                line,
                start: at,
                end: at,
            },
            failed: Some(Skipped {
                at: Location {
                    path: file.path.clone(),
                    line,
                    column: None,
                },
                reason: SkipReason::Unreadable { message },
            }),
            pre: None,
        }
    }

    /// Starts a file read through a stream: decompressed, or of a format
    /// other than JSON Lines (`file.streamed()`).
    fn start_stream(&mut self, file: &'a InputFile, i: u32) -> Option<Item<'a>> {
        let (stream, counter) = match file.reader() {
            Ok(r) => r,
            Err(e) => return Some(Self::failed(file, i, 0, 0, e)),
        };
        let mut open = Open {
            file,
            index: i,
            reader: None,
            decoded: (file.compression != Compression::None).then(|| counter.clone()),
            keeper: None,
            pres: None,
            block: None,
            pos: 0,
            line: 1,
        };
        let whole = |rec: Rec| -> Option<Item<'a>> {
            Some(Item {
                file,
                block: Bytes::Whole(&[]),
                loc: RecordLoc {
                    file: i,
                    line: 0,
                    start: 0,
                    end: 1,
                },
                failed: None,
                pre: Some(Box::new(Pre {
                    line: 0,
                    at: (0, None),
                    ordinal: 0,
                    rec,
                })),
            })
        };
        match file.kind {
            InputKind::JsonLines => {
                open.reader = Some(BlockReader::over(stream, self.block));
                if file.decoded.get().is_none() {
                    open.keeper = self.keep.map(|budget| Keeper {
                        budget,
                        blocks: Vec::new(),
                        bytes: 0,
                    });
                }
            }
            InputKind::Csv | InputKind::Tsv => {
                let delim = if file.kind == InputKind::Csv {
                    b','
                } else {
                    b'\t'
                };
                match super::table::Rows::new(stream, delim) {
                    Ok(rows) => open.pres = Some(Box::new(rows)),
                    Err(f) => {
                        let why = file.failure_text(&f, &counter);
                        return Some(Self::failed(file, i, f.line, 0, why));
                    }
                }
            }
            InputKind::Warc => open.pres = Some(Box::new(super::warc::Records::new(stream))),
            InputKind::Parquet => match file.parquet_rows() {
                Ok(rows) => open.pres = Some(rows),
                Err(why) => return Some(Self::failed(file, i, 0, 0, why)),
            },
            InputKind::Text | InputKind::Html => {
                let mut bytes = Vec::new();
                let mut stream = stream;
                if let Err(e) = stream.read_to_end(&mut bytes) {
                    let why = damage(
                        file.compression,
                        &e,
                        counter.load(std::sync::atomic::Ordering::Relaxed),
                        Some(file.len()),
                    );
                    return Some(Self::failed(file, i, 0, 0, why));
                }
                return whole(if file.kind == InputKind::Text {
                    Rec::Text(bytes)
                } else {
                    Rec::Html {
                        html: bytes,
                        id: file.name.clone(),
                        url: None,
                        crawled: None,
                    }
                });
            }
        }
        self.open = Some(open);
        None
    }

    /// Starts file `index`: the one record of a text article, or the
    /// lines of a JSON Lines file (left in `self.open`).
    fn start(&mut self, index: usize) -> Option<Item<'a>> {
        let files = self.files;
        let file = &files[index];
        let i = index as u32;
        if file.streamed() {
            return self.start_stream(file, i);
        }
        let whole = |block: Bytes<'a>| Item {
            file,
            loc: RecordLoc {
                file: i,
                line: 0,
                start: 0,
                end: block.bytes().len() as u64,
            },
            block,
            failed: None,
            pre: None,
        };
        let Source::Disk { len, .. } = &file.source else {
            let bytes = file.source.whole().unwrap_or(&[]);
            if file.kind != InputKind::JsonLines {
                return Some(whole(Bytes::Whole(bytes)));
            }
            self.open = Some(Open {
                file,
                index: i,
                reader: None,
                decoded: None,
                keeper: None,
                pres: None,
                pos: bom_len(bytes),
                block: Some(Bytes::Whole(bytes)),
                line: 1,
            });
            return None;
        };
        let handle = match File::open(&file.path) {
            Ok(h) => h,
            Err(e) => return Some(Self::failed(file, i, 0, 0, e.to_string())),
        };
        if file.kind == InputKind::JsonLines {
            self.open = Some(Open {
                file,
                index: i,
                reader: Some(BlockReader::new(handle, *len, self.block)),
                decoded: None,
                keeper: None,
                pres: None,
                block: None,
                pos: 0,
                line: 1,
            });
            return None;
        }
        let mut bytes = Vec::with_capacity(*len as usize);
        Some(match handle.take(*len).read_to_end(&mut bytes) {
            Err(e) => Self::failed(file, i, 0, 0, e.to_string()),
            Ok(n) if (n as u64) < *len => Self::failed(file, i, 0, 0, shrank(*len, n as u64, None)),
            Ok(_) => whole(Bytes::Block(Arc::new(Block { base: 0, bytes }))),
        })
    }
}

/// Why the records after line `line` of a file are lost.
fn shrank(len: u64, got: u64, line: Option<u64>) -> String {
    let lost = match line {
        Some(l) => format!("records from line {l} on are lost"),
        None => "the article is lost".into(),
    };
    format!(
        "the file shrank while it was read ({len} bytes when opened, {got} read); {lost}. Was it being rewritten? Scan it again once it is complete"
    )
}

fn bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        loop {
            let Some(o) = &mut self.open else {
                if self.next_file == self.files.len() {
                    return None;
                }
                self.next_file += 1;
                if let Some(item) = self.start(self.next_file - 1) {
                    return Some(item);
                }
                continue;
            };
            if let Some(pres) = &mut o.pres {
                let (file, index) = (o.file, o.index);
                match pres.next() {
                    Some(Ok(p)) => {
                        return Some(Item {
                            file,
                            block: Bytes::Whole(&[]),
                            loc: RecordLoc {
                                file: index,
                                line: p.line,
                                start: p.ordinal,
                                end: p.ordinal + 1,
                            },
                            failed: None,
                            pre: Some(Box::new(p)),
                        })
                    }
                    Some(Err(f)) => {
                        let why = match &o.decoded {
                            Some(c) => file.failure_text(&f, c),
                            None => f.message.clone(),
                        };
                        self.open = None;
                        return Some(Self::failed(file, index, f.line, 0, why));
                    }
                    None => {
                        self.open = None;
                        continue;
                    }
                }
            }
            if let Some(b) = &o.block {
                if let Some(s) = next_span(b.bytes(), &mut o.pos, &mut o.line) {
                    return Some(Item {
                        file: o.file,
                        loc: RecordLoc {
                            file: o.index,
                            line: s.line,
                            start: b.base() + s.start as u64,
                            end: b.base() + s.end as u64,
                        },
                        block: b.clone(),
                        failed: None,
                        pre: None,
                    });
                }
                o.block = None;
            }
            let Some(r) = &mut o.reader else {
                self.open = None;
                continue;
            };
            match r.next_block() {
                Ok(Some(mut b)) => {
                    o.pos = if b.base == 0 { bom_len(&b.bytes) } else { 0 };
                    if o.keeper.is_some() && b.bytes.capacity() > b.bytes.len() / 8 * 9 {
                        // A file's last block is mostly spare room: not
                        // worth keeping (blocks before it are full).
                        b.bytes.shrink_to_fit();
                    }
                    let b = Arc::new(b);
                    if o.keeper.as_mut().is_some_and(|k| !k.keep(&b)) {
                        o.keeper = None;
                    }
                    o.block = Some(Bytes::Block(b));
                }
                Ok(None) => {
                    let (got, len) = (r.read(), o.file.len());
                    let (file, index, line) = (o.file, o.index, o.line);
                    let decoded = o.decoded.is_some();
                    if let Some(k) = o.keeper.take() {
                        k.finish(file);
                    }
                    self.open = None;
                    if got < len && !decoded {
                        let why = shrank(len, got, Some(line));
                        return Some(Self::failed(file, index, line, got, why));
                    }
                }
                Err(e) => {
                    let (file, index, line, at) = (o.file, o.index, o.line, r.read());
                    // A damaged stream: the blocks before the damage hold
                    // every record scanned, which is all a reload asks for.
                    if let Some(k) = o.keeper.take() {
                        k.finish(file);
                    }
                    let why = match &o.decoded {
                        Some(c) => format!(
                            "{} (line {line} of the decompressed text on)",
                            damage(
                                file.compression,
                                &e,
                                c.load(std::sync::atomic::Ordering::Relaxed),
                                Some(file.len())
                            )
                        ),
                        None => format!("{e} (records from line {line} on are lost)"),
                    };
                    self.open = None;
                    return Some(Self::failed(file, index, line, at, why));
                }
            }
        }
    }
}

/// A line of a JSON Lines file: its number and byte range.
#[derive(Debug, Clone, Copy)]
struct Span {
    line: u64,
    start: usize,
    end: usize,
}

/// The next non-blank line of `bytes` from `*pos` (line `*line`), moving
/// both past it: CR before LF is dropped; a last line without newline is a
/// line like any other.
fn next_span(bytes: &[u8], pos: &mut usize, line: &mut u64) -> Option<Span> {
    while *pos < bytes.len() {
        let (start, n) = (*pos, *line);
        let nl = memchr::memchr(b'\n', &bytes[start..]).map(|k| start + k);
        let mut end = nl.unwrap_or(bytes.len());
        *pos = end + 1;
        *line += 1;
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        if bytes[start..end].iter().any(|b| !b.is_ascii_whitespace()) {
            return Some(Span {
                line: n,
                start,
                end,
            });
        }
    }
    None
}

impl InputFile {
    /// The file's size in bytes (of a regular file, when it was opened).
    pub fn len(&self) -> u64 {
        match &self.source {
            Source::Disk { len, .. } => *len,
            Source::Kept(b) => b.len() as u64,
            Source::Mapped(m) => m.bytes().len() as u64,
        }
    }

    /// Whether the file has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Parses the record at `loc` (as found by [`Inputs::map_records_chunked`])
    /// again: a kept or mapped file from its bytes in memory (no system
    /// call), a file read in blocks by reading the record's bytes anew.
    /// For the latter, fails with a [`Skipped`] when the file is gone or has
    /// changed since (another identity or size): its bytes may no longer be
    /// the record's. (A mapped file truncated since is the SIGBUS guard's
    /// to report: see `mapped.rs`.)
    pub fn parse_at(&self, loc: RecordLoc, opts: &ReadOptions, scratch: &mut Scratch) -> Parsed {
        if self.streamed() {
            return self.reload_streamed(loc, opts);
        }
        let Source::Disk { id, len } = &self.source else {
            let bytes = self.source.whole().unwrap_or(&[]);
            let (start, end) = (loc.start as usize, (loc.end as usize).min(bytes.len()));
            let slice = bytes.get(start..end).unwrap_or(&[]);
            return self.parse_bytes(slice, loc, opts, scratch);
        };
        match self.read_range(*id, *len, loc.start, loc.end) {
            Ok(bytes) => self.parse_bytes(&bytes, loc, opts, scratch),
            Err(message) => Err(Skipped {
                at: Location {
                    path: self.path.clone(),
                    line: loc.line,
                    column: None,
                },
                reason: SkipReason::Unreadable { message },
            }),
        }
    }

    /// Whether the file is read through a stream (decompressed, or of a
    /// format other than JSON Lines, text or HTML), not from its bytes.
    pub fn streamed(&self) -> bool {
        self.compression != Compression::None
            || !matches!(
                self.kind,
                InputKind::JsonLines | InputKind::Text | InputKind::Html
            )
    }

    /// The file's decoded bytes as a stream, and the count of its
    /// (compressed) bytes read so far. A file on disk is opened again and
    /// must be the one scanned (identity and size).
    fn reader(
        &self,
    ) -> Result<(Box<dyn Read + Send + '_>, Arc<std::sync::atomic::AtomicU64>), String> {
        let raw: Box<dyn Read + Send + '_> = match &self.source {
            Source::Kept(b) => Box::new(&b[..]),
            Source::Mapped(m) => Box::new(m.bytes()),
            Source::Disk { id, len } => {
                let f = File::open(&self.path).map_err(|e| e.to_string())?;
                let m = f.metadata().map_err(|e| e.to_string())?;
                if file_id(&m) != *id || m.len() != *len {
                    return Err(format!(
                        "the file changed after it was opened ({len} bytes then, {} now); scan it again",
                        m.len()
                    ));
                }
                Box::new(f.take(*len))
            }
        };
        let counted = Counted::new(raw);
        let counter = counted.counter();
        let d = self
            .compression
            .decoder(counted)
            .map_err(|e| format!("cannot start the {} decoder: {e}", self.compression.name()))?;
        Ok((d, counter))
    }

    /// The rows of a Parquet file (read at random: from disk or memory).
    #[cfg(feature = "parquet")]
    #[allow(clippy::type_complexity)]
    fn parquet_rows(
        &self,
    ) -> Result<Box<dyn Iterator<Item = Result<Pre, super::warc::Failure>> + Send + '_>, String>
    {
        use super::parquet::Rows;
        Ok(match &self.source {
            Source::Disk { .. } => {
                let f = File::open(&self.path).map_err(|e| e.to_string())?;
                Box::new(Rows::open(f)?)
            }
            Source::Kept(b) => Box::new(Rows::open(bytes::Bytes::from(b.clone()))?),
            Source::Mapped(m) => Box::new(Rows::open(bytes::Bytes::copy_from_slice(m.bytes()))?),
        })
    }

    /// Without the `parquet` feature: what to do instead.
    #[cfg(not(feature = "parquet"))]
    #[allow(clippy::type_complexity)]
    fn parquet_rows(
        &self,
    ) -> Result<Box<dyn Iterator<Item = Result<Pre, super::warc::Failure>> + Send + '_>, String>
    {
        Err("a Parquet file, and this build of wiretrace reads none (built without the `parquet` feature): rebuild with `cargo install --features parquet`, or export the table to JSON Lines or CSV".into())
    }

    /// What to say about a stream that stopped: the reader's message, and
    /// for a decoding error where in the compressed file it was.
    fn failure_text(
        &self,
        f: &super::warc::Failure,
        counter: &std::sync::atomic::AtomicU64,
    ) -> String {
        match f.io {
            Some(kind) if self.compression != Compression::None => {
                let e = std::io::Error::new(kind, f.message.clone());
                damage(
                    self.compression,
                    &e,
                    counter.load(std::sync::atomic::Ordering::Relaxed),
                    Some(self.len()),
                )
            }
            _ => f.message.clone(),
        }
    }

    /// A streamed file's record at `loc`, from its articles decoded again
    /// once, on the first reload, and kept (reports and the lede pass ask
    /// for texts in no order; decoding a stream again for each would cost
    /// its length each time). Memory then holds the file's article texts,
    /// not its compressed or HTML bytes.
    fn reload_streamed(&self, loc: RecordLoc, opts: &ReadOptions) -> Parsed {
        let skip = |message: String| Skipped {
            at: Location {
                path: self.path.clone(),
                line: loc.line,
                column: None,
            },
            reason: SkipReason::Unreadable { message },
        };
        if self.kind == InputKind::JsonLines {
            // Decoding is a fraction of parsing: keep the text, parse only
            // the records asked for (the lede pass asks for a few).
            let blocks = self.decoded.get_or_init(|| {
                let (r, _) = self.reader()?;
                let mut reader = BlockReader::over(r, BLOCK);
                let mut out = Vec::new();
                // A damaged stream: what decoded is what was scanned.
                while let Ok(Some(b)) = reader.next_block() {
                    out.push(Arc::new(b));
                }
                Ok(out)
            });
            let blocks = blocks.as_ref().map_err(|m| skip(m.clone()))?;
            // Blocks end at line ends, so the record is whole in the last
            // block that starts at or before it.
            let slice = blocks
                .partition_point(|b| b.base <= loc.start)
                .checked_sub(1)
                .and_then(|k| {
                    let b = &blocks[k];
                    b.bytes
                        .get((loc.start - b.base) as usize..(loc.end - b.base) as usize)
                })
                .ok_or_else(|| skip("the record is past the end of the file read again; was it changed? Scan it again".into()))?;
            let mut scratch = Scratch::default();
            return self.parse_bytes(slice, loc, opts, &mut scratch);
        }
        let cache = self.cache.get_or_init(|| {
            let mut out = Vec::new();
            let mut records = Records::new(std::slice::from_ref(self), BLOCK);
            loop {
                // Parsed in parallel, chunk by chunk, as in a scan.
                let chunk: Vec<Item> = records.by_ref().take(1 << 12).collect();
                if chunk.is_empty() {
                    break;
                }
                if let Some(s) = chunk.iter().find_map(|i| i.failed.as_ref()) {
                    if out.is_empty() && chunk.len() == 1 {
                        return Err(s.reason.to_string());
                    }
                }
                let parsed: Vec<(u64, Option<Article>)> = chunk
                    .par_iter()
                    .map_init(Scratch::default, |scratch, item| {
                        (
                            item.loc.start,
                            item.parse(opts, scratch).ok().map(|(a, _)| a),
                        )
                    })
                    .collect();
                out.extend(parsed.into_iter().filter_map(|(s, a)| Some((s, a?))));
            }
            Ok(out)
        });
        let articles = cache.as_ref().map_err(|m| skip(m.clone()))?;
        match articles.binary_search_by_key(&loc.start, |(s, _)| *s) {
            Ok(k) => {
                let mut a = articles[k].1.clone();
                a.meta.loc = loc;
                Ok((a, None))
            }
            Err(_) => Err(skip(
                "the record was not found when the file was read again; was it changed? Scan it again".into(),
            )),
        }
    }

    fn read_range(
        &self,
        id: Option<FileId>,
        len: u64,
        start: u64,
        end: u64,
    ) -> Result<Vec<u8>, String> {
        let mut f = File::open(&self.path).map_err(|e| e.to_string())?;
        let m = f.metadata().map_err(|e| e.to_string())?;
        if file_id(&m) != id || m.len() != len {
            return Err(format!(
                "the file changed after it was scanned ({len} bytes then, {} now); scan it again",
                m.len()
            ));
        }
        let mut buf = vec![0; end.saturating_sub(start) as usize];
        f.seek(SeekFrom::Start(start))
            .and_then(|_| f.read_exact(&mut buf))
            .map_err(|e| e.to_string())?;
        Ok(buf)
    }

    fn parse_bytes(
        &self,
        slice: &[u8],
        loc: RecordLoc,
        opts: &ReadOptions,
        scratch: &mut Scratch,
    ) -> Parsed {
        match self.kind {
            InputKind::JsonLines => {
                parse_line(slice, loc, &self.path, opts.lossy, &opts.fields, scratch)
            }
            InputKind::Text => self.parse_text(slice, loc, opts.lossy),
            InputKind::Html => super::formats::page_article(
                slice,
                self.name.clone(),
                None,
                None,
                loc,
                &Location::file(&self.path),
                opts.lossy,
            ),
            // Read through their streams (`streamed`), never from bytes.
            InputKind::Csv | InputKind::Tsv | InputKind::Parquet | InputKind::Warc => {
                Err(Skipped {
                    at: Location::file(&self.path),
                    reason: SkipReason::Unreadable {
                        message: "internal: a record of a streamed format read from bytes".into(),
                    },
                })
            }
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
            loc,
            ..Default::default()
        };
        Ok((Article { meta, text }, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records of `s` as one kept JSON Lines file: (line, bytes).
    fn lines(s: &str) -> Vec<(u64, String)> {
        let f = Inputs::from_jsonl("t", s.as_bytes().to_vec());
        Records::new(&f.files, BLOCK)
            .map(|it| {
                let (a, b) = (it.loc.start as usize, it.loc.end as usize);
                (it.loc.line, s[a..b].to_owned())
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

    /// (line, bytes, failure) of every record of `inputs`, read in blocks of `block` bytes.
    fn records_of(inputs: &Inputs, block: usize) -> Vec<(u64, Vec<u8>, Option<String>)> {
        Records::new(&inputs.files, block)
            .map(|it| {
                let (base, b) = (it.block.base(), it.block.bytes());
                let bytes = if it.failed.is_some() {
                    Vec::new()
                } else {
                    b[(it.loc.start - base) as usize..(it.loc.end - base) as usize].to_vec()
                };
                (it.loc.line, bytes, it.failed.map(|s| s.to_string()))
            })
            .collect()
    }

    /// `path` opened to be read in blocks, as past the bound on maps.
    fn blocks(path: &Path) -> Inputs {
        open_as(
            &[path.to_owned()],
            &[],
            Reading::Blocks,
            &OpenOptions::default(),
        )
        .unwrap()
    }

    /// The production block reader, with blocks of any size (1 byte up):
    /// the same records as the whole file in memory, every line whole.
    #[test]
    fn blocks_of_any_size_give_the_lines_of_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let long = "x".repeat(100);
        let text = format!("\u{FEFF}a\r\n\n  \nbb\n{long}\nc\r\n\nlast");
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, &text).unwrap();
        let disk = blocks(&path);
        assert!(matches!(disk.files[0].source, Source::Disk { .. }));
        let kept = Inputs::from_jsonl("t", text.into_bytes());
        let want = records_of(&kept, BLOCK);
        assert_eq!(want.len(), 5);
        assert_eq!(want[0].1, b"a");
        assert_eq!(want[4], (8, b"last".to_vec(), None));
        for block in (1..=24).chain([BLOCK]) {
            assert_eq!(records_of(&disk, block), want, "block {block}");
        }
    }

    /// On the block path, a file that shrinks between opening and reading
    /// (truncated by a writer) ends early with one skipped record saying
    /// where, not a crash.
    #[test]
    fn a_file_that_shrinks_while_read_reports_the_lost_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        let line = "{\"id\":1,\"text\":\"one two three\"}\n";
        std::fs::write(&path, line.repeat(10)).unwrap();
        let inputs = blocks(&path);
        let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.set_len((line.len() * 4) as u64).unwrap();
        for block in [7, BLOCK] {
            let got = records_of(&inputs, block);
            assert_eq!(got.len(), 5, "block {block}");
            let (n, _, why) = &got[4];
            assert_eq!(*n, 5);
            let why = why.as_deref().unwrap();
            assert!(why.contains("t.jsonl:5: unreadable: the file shrank while it was read (320 bytes when opened, 128 read); records from line 5 on are lost"), "{why}");
        }
        // A text article cut short is skipped whole.
        let txt = dir.path().join("a.txt");
        std::fs::write(&txt, "Some words of an article.").unwrap();
        let inputs = blocks(&txt);
        std::fs::write(&txt, "Some").unwrap();
        let got = records_of(&inputs, BLOCK);
        assert_eq!(got.len(), 1);
        assert!(got[0].2.as_deref().unwrap().contains("the article is lost"));
    }

    /// On the block path, a reload reads the record's bytes again; a file
    /// changed since the scan is refused rather than misread.
    #[test]
    fn reload_rereads_and_refuses_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        std::fs::write(
            &path,
            "{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"b c\"}\n",
        )
        .unwrap();
        let inputs = blocks(&path);
        let opts = ReadOptions::from_config(&crate::Config::default());
        let read = super::super::read(&inputs, &opts);
        let loc = read[1].as_ref().unwrap().0.meta.loc;
        let again = super::super::reload(&inputs, loc, &opts).unwrap();
        assert_eq!((again.meta.id.as_str(), again.text.as_str()), ("2", "b c"));
        std::fs::write(&path, "{}\n").unwrap();
        let err = super::super::reload(&inputs, loc, &opts).unwrap_err();
        assert!(
            err.to_string()
                .contains("t.jsonl:2: unreadable: the file changed after it was scanned"),
            "{err}"
        );
    }

    /// A JSON Lines file of `n` records, padded (blank lines) to `len` bytes
    /// at least, and its last record's text.
    fn padded(n: usize, len: usize) -> (String, String) {
        let mut s: String = (0..n)
            .map(|i| format!("{{\"id\":{i},\"text\":\"words of record {i}\"}}\n"))
            .collect();
        s.push_str(&" \n".repeat(len.saturating_sub(s.len()).div_ceil(2)));
        s.push_str("{\"id\":\"last\",\"text\":\"the very end\"}");
        (s, "the very end".into())
    }

    /// A file under [`BLOCK`] is read whole and kept; one of [`BLOCK`] or
    /// more is mapped (on Linux); both give the records of the same bytes
    /// in memory, and reload from memory: the file can be gone.
    #[test]
    fn files_are_kept_or_mapped_by_size_and_reload_without_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let opts = ReadOptions::from_config(&crate::Config::default());
        for (name, len) in [("small.jsonl", 500), ("large.jsonl", BLOCK + 10)] {
            let (text, last) = padded(5, len);
            let path = dir.path().join(name);
            std::fs::write(&path, &text).unwrap();
            let inputs = open(std::slice::from_ref(&path)).unwrap();
            let src = &inputs.files[0].source;
            if len < BLOCK {
                assert!(matches!(src, Source::Kept(_)), "{name}");
            } else if cfg!(target_os = "linux") {
                assert!(matches!(src, Source::Mapped(_)), "{name}");
            }
            assert_eq!(inputs.files[0].len(), text.len() as u64);
            let kept = Inputs::from_jsonl("t", text.into_bytes());
            assert_eq!(
                records_of(&inputs, BLOCK),
                records_of(&kept, BLOCK),
                "{name}"
            );
            let read = super::super::read(&inputs, &opts);
            assert_eq!(read.len(), 6);
            let loc = read[5].as_ref().unwrap().0.meta.loc;
            // No open per reload: the file may be removed meanwhile.
            std::fs::remove_file(&path).unwrap();
            let again = super::super::reload(&inputs, loc, &opts).unwrap();
            assert_eq!(again.text, last, "{name}");
        }
    }

    /// A text article of [`BLOCK`] bytes or more is one record from the map.
    #[test]
    fn a_large_text_article_is_one_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        let text = format!("# Big\n\n{}", "word ".repeat(BLOCK / 5 + 1));
        std::fs::write(&path, &text).unwrap();
        let inputs = open(std::slice::from_ref(&path)).unwrap();
        let opts = ReadOptions::from_config(&crate::Config::default());
        let read = super::super::read(&inputs, &opts);
        assert_eq!(read.len(), 1);
        let (a, _) = read[0].as_ref().unwrap();
        assert_eq!(
            (a.meta.title.as_deref(), a.text.len()),
            (Some("Big"), text.len())
        );
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// (line, id or skip text) of every record of `inputs`.
    fn read_all(inputs: &Inputs) -> Vec<(u64, Result<String, String>)> {
        let opts = ReadOptions::from_config(&crate::Config::default());
        super::super::read(inputs, &opts)
            .into_iter()
            .map(|p| match p {
                Ok((a, _)) => (a.meta.loc.line, Ok(a.meta.id)),
                Err(s) => (s.at.line, Err(s.to_string())),
            })
            .collect()
    }

    /// `n` JSON Lines records of noisy hex words (so gzip leaves them over
    /// a MiB: a compressed file that large is read from disk, not kept),
    /// gzipped, and the texts in order.
    fn noisy_gzip(n: usize, seed: u64) -> (Vec<u8>, Vec<String>) {
        let mut x = seed | 1;
        let texts: Vec<String> = (0..n)
            .map(|_| {
                (0..12)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        format!("{x:016x}")
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let lines: String = texts
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{{\"id\":{i},\"text\":\"{t}\"}}\n"))
            .collect();
        (gzip(lines.as_bytes()), texts)
    }

    /// With a budget, a pass keeps a compressed file's decoded blocks and
    /// reloads slice records from them (the file can be gone); a file that
    /// outgrows what is left keeps nothing, gives its share back, and is
    /// decoded again on its first reload; a pass that stops early gives
    /// back what it took.
    #[test]
    fn decoded_blocks_are_kept_within_the_budget() {
        let dir = tempfile::tempdir().unwrap();
        let opts = ReadOptions::from_config(&crate::Config::default());
        let (big, big_texts) = noisy_gzip(20_000, 7);
        let (small, small_texts) = noisy_gzip(6_000, 11);
        assert!(small.len() > BLOCK, "{}", small.len());
        let paths = [
            dir.path().join("big.jsonl.gz"),
            dir.path().join("small.jsonl.gz"),
        ];
        std::fs::write(&paths[0], &big).unwrap();
        std::fs::write(&paths[1], &small).unwrap();
        let texts = |inputs: &Inputs| -> Vec<(RecordLoc, String)> {
            super::super::read(inputs, &opts)
                .into_iter()
                .map(|p| p.map(|(a, _)| (a.meta.loc, a.text)).unwrap())
                .collect()
        };
        let want: Vec<&String> = big_texts.iter().chain(&small_texts).collect();
        let reloaded = |inputs: &Inputs, read: &[(RecordLoc, String)]| {
            for (k, (loc, text)) in read.iter().enumerate().step_by(97) {
                let a = super::super::reload(inputs, *loc, &opts).unwrap();
                assert_eq!((&a.text, &a.text), (text, want[k]), "record {k}");
            }
        };

        // Room for both: reloads need neither file.
        let mut inputs = open(&paths).unwrap();
        assert!(inputs
            .files
            .iter()
            .all(|f| matches!(f.source, Source::Disk { .. })));
        inputs.keep_decoded(1 << 30);
        let read = texts(&inputs);
        assert_eq!(read.len(), want.len());
        assert!(inputs.files.iter().all(|f| f.decoded.get().is_some()));
        let moved = dir.path().join("gone");
        std::fs::create_dir(&moved).unwrap();
        for p in &paths {
            std::fs::rename(p, moved.join(p.file_name().unwrap())).unwrap();
        }
        reloaded(&inputs, &read);
        for p in &paths {
            std::fs::rename(moved.join(p.file_name().unwrap()), p).unwrap();
        }

        // Room for the small one only: the big one gives its share back.
        let mut inputs = open(&paths).unwrap();
        let small_decoded = small_texts.iter().map(|t| t.len() + 20).sum::<usize>() as u64;
        inputs.keep_decoded(small_decoded * 5 / 4);
        let read = texts(&inputs);
        assert!(inputs.files[0].decoded.get().is_none());
        assert!(inputs.files[1].decoded.get().is_some());
        reloaded(&inputs, &read);
        assert!(inputs.files[0].decoded.get().is_some(), "decoded again");

        // A pass stopped in the first file keeps nothing and frees its share.
        let mut inputs = open(&paths).unwrap();
        inputs.keep_decoded(1 << 30);
        let stopped = inputs.map_records_chunked(&opts, 64, || (), |_, _, _, _| (), |_| Err(()));
        assert!(stopped.is_err());
        assert!(inputs.files.iter().all(|f| f.decoded.get().is_none()));
        assert_eq!(
            inputs.keep.left.load(std::sync::atomic::Ordering::Relaxed),
            1 << 30
        );
    }
    /// A compressed JSON Lines file, kept (small) or streamed from disk
    /// (large), gives the records of its plain text at the same lines, and
    /// reloads them (decoded again once).
    #[test]
    fn compressed_jsonl_reads_as_plain_at_every_size() {
        let dir = tempfile::tempdir().unwrap();
        let opts = ReadOptions::from_config(&crate::Config::default());
        for (n, pad) in [(5, 100), (5, BLOCK * 3)] {
            let (text, last) = padded(n, pad);
            let packed = gzip(text.as_bytes());
            // A misleading name: content decides.
            let path = dir.path().join(format!("g{pad}.txt.bin"));
            std::fs::write(&path, &packed).unwrap();
            let inputs = open(std::slice::from_ref(&path)).unwrap();
            assert_eq!(inputs.files[0].compression, Compression::Gzip);
            assert_eq!(inputs.files[0].kind, InputKind::JsonLines);
            let plain = Inputs::from_jsonl("p", text.into_bytes());
            let (got, want) = (read_all(&inputs), read_all(&plain));
            assert_eq!(got.len(), n + 1);
            assert_eq!(
                got.iter().map(|g| g.0).collect::<Vec<_>>(),
                want.iter().map(|w| w.0).collect::<Vec<_>>()
            );
            let read = super::super::read(&inputs, &opts);
            let loc = read[n].as_ref().unwrap().0.meta.loc;
            let again = super::super::reload(&inputs, loc, &opts).unwrap();
            assert_eq!(again.text, last);
        }
    }

    /// A truncated gzip keeps the records before the cut and reports the
    /// cut with its compressed offset; a corrupt zstd frame likewise.
    #[test]
    fn damaged_streams_keep_the_records_before_the_damage() {
        let text: String = (0..4000)
            .map(|i| {
                format!(
                    "{{\"id\":{i},\"text\":\"words of record number {i} {}\"}}\n",
                    i * 7919 % 1000
                )
            })
            .collect();
        let packed = gzip(text.as_bytes());
        let cut = packed[..packed.len() / 2].to_vec();
        let got = read_all(&Inputs::from_jsonl("cut.jsonl.gz", cut.clone()));
        let (last, fail) = got.split_last().unwrap();
        assert!(
            fail.len() > 100 && fail.iter().all(|g| g.1.is_ok()),
            "{}",
            fail.len()
        );
        let why = last.1.as_ref().unwrap_err();
        assert!(
            why.contains("the gzip stream ends early")
                && why.contains(&format!("at or before byte {}", cut.len())),
            "{why}"
        );
        assert_eq!(last.0, fail.len() as u64 + 1);

        let mut z = zstd::encode_all(text.as_bytes(), 1).unwrap();
        let mid = z.len() * 3 / 4;
        for b in &mut z[mid..mid + 64] {
            *b ^= 0x5a;
        }
        let got = read_all(&Inputs::from_jsonl("bad.jsonl.zst", z));
        let (last, before) = got.split_last().unwrap();
        assert!(before.iter().all(|g| g.1.is_ok()));
        let why = last.1.as_ref().unwrap_err();
        assert!(
            why.contains("the zstd stream is damaged") && why.contains("at or before byte"),
            "{why}"
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
            // The first batch is an eighth of a chunk, the rest whole chunks.
            let first = chunk.div_ceil(8).min(whole.len());
            let want = 1 + (whole.len() - first).div_ceil(chunk);
            assert_eq!(batches, want, "chunk {chunk}");
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
        // Batches of 1 (the first, an eighth of a chunk rounded up) and 2:
        // the bad record (the second) is in the second batch, the last sunk.
        assert_eq!(seen, 3, "the sink is not called after its error");
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
