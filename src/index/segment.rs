//! Segments: one immutable file per batch of added articles (or per
//! compaction), never changed once written.
//!
//! A segment holds, for its articles: the fingerprints table (each record
//! [`Fingerprint::to_bytes`] followed by its xxh3 checksum, at a fixed
//! stride, so one article is one positioned read), their metadata (JSON
//! records with checksums, found through an offsets table), one sorted run
//! of `(band key, article)` per band (`runs.rs`), the headline word counts
//! of its articles, and the edges verified when it was added. A directory
//! (JSON, checksummed) at the end names where each section lies; the last
//! 32 bytes point at it and end with the magic, so a truncated file is
//! known at once. Every read verifies the checksum of what it read:
//! a corrupt segment is named, never read as garbage.
//!
//! Reads are positioned reads (`pread`) into small buffers, not maps: what
//! a process holds does not grow with the archive, and a reader's pages
//! stay in the page cache, shared, not in its resident set.

use super::bad;
use super::runs::{RunDir, RunReader, RunWriter};
use crate::error::Error;
use crate::fingerprint::Fingerprint;
use crate::ingest::DateFrom;
use crate::verify::{Edge, HeadlineCounts};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

/// The last 8 bytes of every segment file.
pub const SEGMENT_MAGIC: [u8; 8] = *b"WTSEG\x00\x00\x01";
/// The segment layout version this build writes (and the newest it reads).
///
/// 2: metadata records say where an article's date came from
/// ([`StoredMeta::date_from`]). A version 1 segment still opens, its
/// articles' dates taken as their records' fields (`field`), which is what
/// they were unless read from WARC or HTML pages; an older build refuses a
/// version 2 segment (it would drop `date_from` when it compacts), saying to
/// use a newer wiretrace.
pub const SEGMENT_VERSION: u32 = 2;
const TAIL: u64 = 32;

/// An article's metadata as a segment keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMeta {
    /// Id.
    pub id: String,
    /// Headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Outlet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication time, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<i64>,
    /// Where `published` came from (absent: the record's date field, as for
    /// every article of a version 1 segment).
    #[serde(default, skip_serializing_if = "DateFrom::is_field")]
    pub date_from: DateFrom,
    /// The file it was read from: an index into the segment's file table.
    pub file: u32,
    /// Line (0: a whole-file article).
    pub line: u64,
    /// Byte range of the record in its file.
    pub start: u64,
    /// End of that range.
    pub end: u64,
    /// xxh3 of the text as read: a re-read text that differs is not used.
    pub text: u64,
}

/// A checksummed byte range of a segment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Offset.
    pub off: u64,
    /// Length.
    pub len: u64,
    /// xxh3 of the bytes.
    pub sum: u64,
}

/// Where a segment's sections lie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    /// Segment layout version.
    pub version: u32,
    /// Signature length of its fingerprints.
    pub k: usize,
    /// Articles.
    pub articles: u32,
    /// Global number of its first article when written.
    pub first: u32,
    /// Offset of the fingerprints table.
    pub fingerprints: u64,
    /// Bytes per fingerprint record (the fingerprint, then 8 of checksum).
    pub stride: u64,
    /// The metadata offsets table (`articles + 1` u64, relative to `meta_base`).
    pub meta_table: Section,
    /// Where metadata records start.
    pub meta_base: u64,
    /// Input files, as absolute paths, that `StoredMeta::file` indexes.
    pub files: Vec<String>,
    /// Main bands' runs, then the lede bands'.
    pub runs: Vec<RunDir>,
    /// How many of `runs` are lede bands (the last ones).
    pub lede_bands: usize,
    /// Headline word counts of the segment's articles.
    pub headlines: Section,
    /// Edges verified when the segment was written (global numbers).
    pub edges: Section,
}

/// What a new segment holds.
pub struct NewSegment<'a> {
    /// Global number of its first article.
    pub first: u32,
    /// Signature length.
    pub k: usize,
    /// Fingerprints, one per article.
    pub fingerprints: &'a [Fingerprint],
    /// Metadata, one per article.
    pub metas: &'a [StoredMeta],
    /// The file table of `metas`.
    pub files: &'a [String],
    /// Per band, `(key, article within the segment)` (any order).
    pub runs: Vec<Vec<(u64, u32)>>,
    /// How many of `runs` are lede bands.
    pub lede_bands: usize,
    /// Edges, global numbers.
    pub edges: &'a [Edge],
}

struct Counted<W: Write> {
    w: W,
    at: u64,
}

impl<W: Write> Counted<W> {
    fn put(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.w.write_all(b)?;
        self.at += b.len() as u64;
        Ok(())
    }
    fn section(&mut self, b: &[u8]) -> std::io::Result<Section> {
        let off = self.at;
        self.put(b)?;
        Ok(Section {
            off,
            len: b.len() as u64,
            sum: xxh3_64(b),
        })
    }
}

/// Headline counts as bytes: titled (u64), then sorted (word, count) u32 pairs.
fn headline_bytes(c: &HeadlineCounts) -> Vec<u8> {
    let v = c.to_sorted_vec();
    let mut out = Vec::with_capacity(8 + 8 * v.len());
    out.extend_from_slice(&c.titled().to_le_bytes());
    for (w, n) in v {
        out.extend_from_slice(&w.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
    }
    out
}

fn edge_bytes(edges: &[Edge]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 * edges.len());
    for e in edges {
        out.extend_from_slice(&e.a.to_le_bytes());
        out.extend_from_slice(&e.b.to_le_bytes());
        out.extend_from_slice(&e.jaccard.to_le_bytes());
        out.extend_from_slice(&e.containment.to_le_bytes());
    }
    out
}

/// Writes `seg` to `path` (a temporary name: the caller renames it), synced.
/// Returns the file's length.
pub fn write(path: &Path, seg: NewSegment<'_>) -> Result<u64, Error> {
    let io = |e: std::io::Error| Error::io(path, e);
    let file = File::create(path).map_err(io)?;
    let mut w = Counted {
        w: BufWriter::with_capacity(1 << 20, file),
        at: 0,
    };
    let stride = Fingerprint::stored_len(seg.k) as u64 + 8;
    let fingerprints = w.at;
    for fp in seg.fingerprints {
        let b = fp.to_bytes();
        w.put(&b).map_err(io)?;
        w.put(&xxh3_64(&b).to_le_bytes()).map_err(io)?;
    }
    super::hook("segment-fingerprints");
    let meta_base = w.at;
    let mut offsets = Vec::with_capacity(8 * (seg.metas.len() + 1));
    let mut rel = 0u64;
    for m in seg.metas {
        offsets.extend_from_slice(&rel.to_le_bytes());
        let json = serde_json::to_vec(m).map_err(|e| bad(path, e.to_string()))?;
        w.put(&json).map_err(io)?;
        w.put(&xxh3_64(&json).to_le_bytes()).map_err(io)?;
        rel += json.len() as u64 + 8;
    }
    offsets.extend_from_slice(&rel.to_le_bytes());
    let meta_table = w.section(&offsets).map_err(io)?;
    let mut runs = Vec::with_capacity(seg.runs.len());
    for mut run in seg.runs {
        run.sort_unstable();
        let mut rw = RunWriter::new(w.at);
        for chunk in run.chunks(super::runs::RUN_BLOCK) {
            let block = rw.block(chunk);
            w.put(&block).map_err(io)?;
        }
        runs.push(rw.finish());
    }
    super::hook("segment-runs");
    let headlines = w
        .section(&headline_bytes(&HeadlineCounts::of_headers(
            seg.fingerprints.iter().map(|f| f.header()),
        )))
        .map_err(io)?;
    let edges = w.section(&edge_bytes(seg.edges)).map_err(io)?;
    let dir = Directory {
        version: SEGMENT_VERSION,
        k: seg.k,
        articles: seg.fingerprints.len() as u32,
        first: seg.first,
        fingerprints,
        stride,
        meta_table,
        meta_base,
        files: seg.files.to_vec(),
        runs,
        lede_bands: seg.lede_bands,
        headlines,
        edges,
    };
    let dir_bytes = serde_json::to_vec(&dir).map_err(|e| bad(path, e.to_string()))?;
    let dir_off = w.at;
    w.put(&dir_bytes).map_err(io)?;
    let mut tail = Vec::with_capacity(TAIL as usize);
    tail.extend_from_slice(&dir_off.to_le_bytes());
    tail.extend_from_slice(&(dir_bytes.len() as u64).to_le_bytes());
    tail.extend_from_slice(&xxh3_64(&dir_bytes).to_le_bytes());
    tail.extend_from_slice(&SEGMENT_MAGIC);
    w.put(&tail).map_err(io)?;
    let len = w.at;
    let file =
        w.w.into_inner()
            .map_err(|e| Error::io(path, e.into_error()))?;
    file.sync_all().map_err(io)?;
    Ok(len)
}

/// Reads `buf.len()` bytes of `file` at `off`.
pub(crate) fn read_at(file: &File, buf: &mut [u8], off: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, off)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buf[done..],
                off + done as u64,
            )?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
}

/// An open segment.
#[derive(Debug)]
pub struct Segment {
    path: PathBuf,
    file: File,
    /// Its directory.
    pub dir: Directory,
    /// Global number of its first article in the current generation.
    pub first: u32,
}

impl Segment {
    /// Opens the segment at `path`, expected to be `bytes` long and to hold
    /// `articles` articles numbered from `first`. Fails, naming the file,
    /// when it is missing, truncated, of another layout, or its directory
    /// does not match its checksum.
    pub fn open(path: &Path, bytes: u64, articles: u32, first: u32) -> Result<Segment, Error> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        if len != bytes {
            return Err(corrupt(
                path,
                &format!("it is {len} bytes, the manifest says {bytes} (truncated or replaced)"),
            ));
        }
        if len < TAIL {
            return Err(corrupt(path, "too short to be a segment"));
        }
        let mut tail = [0u8; TAIL as usize];
        read_at(&file, &mut tail, len - TAIL).map_err(|e| Error::io(path, e))?;
        if tail[24..] != SEGMENT_MAGIC {
            return Err(corrupt(path, "no segment magic at its end (truncated?)"));
        }
        let word = |i: usize| u64::from_le_bytes(tail[i * 8..i * 8 + 8].try_into().unwrap());
        let (off, dlen, sum) = (word(0), word(1), word(2));
        if off.checked_add(dlen) != Some(len - TAIL) {
            return Err(corrupt(path, "its directory pointer is out of range"));
        }
        let mut dir = vec![0u8; dlen as usize];
        read_at(&file, &mut dir, off).map_err(|e| Error::io(path, e))?;
        if xxh3_64(&dir) != sum {
            return Err(corrupt(path, "its directory fails its checksum"));
        }
        let dir: Directory = serde_json::from_slice(&dir)
            .map_err(|e| corrupt(path, &format!("its directory does not parse ({e})")))?;
        if dir.version > SEGMENT_VERSION {
            return Err(bad(
                path,
                format!(
                    "segment layout version {}; this wiretrace reads version {SEGMENT_VERSION}: use a newer wiretrace",
                    dir.version
                ),
            ));
        }
        if dir.articles != articles {
            return Err(corrupt(
                path,
                &format!(
                    "it holds {} articles, the manifest says {articles}",
                    dir.articles
                ),
            ));
        }
        Ok(Segment {
            path: path.to_owned(),
            file,
            dir,
            first,
        })
    }

    /// The segment's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Articles in it.
    pub fn len(&self) -> u32 {
        self.dir.articles
    }

    /// Whether it holds no article.
    pub fn is_empty(&self) -> bool {
        self.dir.articles == 0
    }

    fn read(&self, off: u64, len: u64) -> Result<Vec<u8>, Error> {
        let mut buf = vec![0u8; len as usize];
        read_at(&self.file, &mut buf, off).map_err(|e| Error::io(&self.path, e))?;
        Ok(buf)
    }

    fn section(&self, s: Section, what: &str) -> Result<Vec<u8>, Error> {
        let b = self.read(s.off, s.len)?;
        if xxh3_64(&b) != s.sum {
            return Err(corrupt(
                &self.path,
                &format!("its {what} fail their checksum"),
            ));
        }
        Ok(b)
    }

    fn fingerprint_record(&self, rec: &[u8], i: u32) -> Result<Fingerprint, Error> {
        let n = rec.len() - 8;
        let sum = u64::from_le_bytes(rec[n..].try_into().unwrap());
        if xxh3_64(&rec[..n]) != sum {
            return Err(corrupt(
                &self.path,
                &format!("the fingerprint of its article #{i} fails its checksum"),
            ));
        }
        Fingerprint::from_bytes(&rec[..n])
            .map_err(|e| corrupt(&self.path, &format!("fingerprint #{i}: {e}")))
    }

    /// The fingerprint of article `i` of the segment.
    pub fn fingerprint(&self, i: u32) -> Result<Fingerprint, Error> {
        let s = self.dir.stride;
        let rec = self.read(self.dir.fingerprints + i as u64 * s, s)?;
        self.fingerprint_record(&rec, i)
    }

    /// Every fingerprint, in order, read in large sequential blocks.
    pub fn for_each_fingerprint(
        &self,
        mut f: impl FnMut(u32, Fingerprint) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let s = self.dir.stride;
        let per = (4 << 20) / s.max(1) + 1;
        let mut i = 0u32;
        while i < self.dir.articles {
            let n = (per as u32).min(self.dir.articles - i);
            let buf = self.read(self.dir.fingerprints + i as u64 * s, n as u64 * s)?;
            for (j, rec) in buf.chunks_exact(s as usize).enumerate() {
                f(i + j as u32, self.fingerprint_record(rec, i + j as u32)?)?;
            }
            i += n;
        }
        Ok(())
    }

    /// The metadata offsets table.
    fn meta_offsets(&self) -> Result<Vec<u64>, Error> {
        let b = self.section(self.dir.meta_table, "metadata offsets")?;
        Ok(b.chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect())
    }

    fn meta_record(&self, rec: &[u8], i: u32) -> Result<StoredMeta, Error> {
        if rec.len() < 8 {
            return Err(corrupt(&self.path, &format!("metadata #{i} is cut short")));
        }
        let n = rec.len() - 8;
        let sum = u64::from_le_bytes(rec[n..].try_into().unwrap());
        if xxh3_64(&rec[..n]) != sum {
            return Err(corrupt(
                &self.path,
                &format!("the metadata of its article #{i} fail their checksum"),
            ));
        }
        serde_json::from_slice(&rec[..n])
            .map_err(|e| corrupt(&self.path, &format!("metadata #{i}: {e}")))
    }

    /// Every article's metadata, in order.
    pub fn metas(&self) -> Result<Vec<StoredMeta>, Error> {
        let offs = self.meta_offsets()?;
        if offs.len() != self.dir.articles as usize + 1 {
            return Err(corrupt(
                &self.path,
                "its metadata table has the wrong length",
            ));
        }
        let all = self.read(self.dir.meta_base, *offs.last().unwrap_or(&0))?;
        offs.windows(2)
            .enumerate()
            .map(|(i, w)| {
                let r = all
                    .get(w[0] as usize..w[1] as usize)
                    .ok_or_else(|| corrupt(&self.path, "a metadata offset is out of range"))?;
                self.meta_record(r, i as u32)
            })
            .collect()
    }

    /// The metadata of article `i` (two offsets and one record read).
    pub fn meta(&self, i: u32) -> Result<StoredMeta, Error> {
        let t = self.dir.meta_table;
        if (i as u64 + 2) * 8 > t.len {
            return Err(corrupt(&self.path, "a metadata offset is out of range"));
        }
        // The table's own checksum covers it whole; the record's checksum
        // below catches a bad offset (it would frame other bytes).
        let b = self.read(t.off + i as u64 * 8, 16)?;
        let (a, z) = (
            u64::from_le_bytes(b[..8].try_into().unwrap()),
            u64::from_le_bytes(b[8..].try_into().unwrap()),
        );
        if z < a || z - a > 1 << 30 {
            return Err(corrupt(&self.path, "a metadata offset is out of range"));
        }
        let r = self.read(self.dir.meta_base + a, z - a)?;
        self.meta_record(&r, i)
    }

    /// The metadata of the articles `which` (sorted, within the segment).
    pub fn metas_of(&self, which: &[u32]) -> Result<Vec<StoredMeta>, Error> {
        let offs = self.meta_offsets()?;
        which
            .iter()
            .map(|&i| {
                let (a, b) = match (offs.get(i as usize), offs.get(i as usize + 1)) {
                    (Some(&a), Some(&b)) if a <= b => (a, b),
                    _ => return Err(corrupt(&self.path, "a metadata offset is out of range")),
                };
                let r = self.read(self.dir.meta_base + a, b - a)?;
                self.meta_record(&r, i)
            })
            .collect()
    }

    /// The headline counts of the segment's articles.
    pub fn headlines(&self) -> Result<HeadlineCounts, Error> {
        let b = self.section(self.dir.headlines, "headline counts")?;
        if b.len() < 8 || (b.len() - 8) % 8 != 0 {
            return Err(corrupt(&self.path, "its headline counts have a bad length"));
        }
        let titled = u64::from_le_bytes(b[..8].try_into().unwrap());
        let pairs = b[8..].chunks_exact(8).map(|c| {
            (
                u32::from_le_bytes(c[..4].try_into().unwrap()),
                u32::from_le_bytes(c[4..].try_into().unwrap()),
            )
        });
        Ok(HeadlineCounts::from_counts(titled, pairs))
    }

    /// The edges stored with the segment (global numbers as written:
    /// the directory's `first` tells their base).
    pub fn edges(&self) -> Result<Vec<Edge>, Error> {
        let b = self.section(self.dir.edges, "edges")?;
        if b.len() % 16 != 0 {
            return Err(corrupt(&self.path, "its edges have a bad length"));
        }
        Ok(b.chunks_exact(16)
            .map(|c| {
                let f = |i: usize| c[i * 4..i * 4 + 4].try_into().unwrap();
                Edge {
                    a: u32::from_le_bytes(f(0)),
                    b: u32::from_le_bytes(f(1)),
                    jaccard: f32::from_le_bytes(f(2)),
                    containment: f32::from_le_bytes(f(3)),
                }
            })
            .collect())
    }

    /// A reader of run `band` (main bands first, then lede bands).
    pub fn run(&self, band: usize) -> Result<RunReader<'_>, Error> {
        let dir = self
            .dir
            .runs
            .get(band)
            .ok_or_else(|| corrupt(&self.path, &format!("it has no run for band {band}")))?;
        Ok(RunReader::new(&self.file, &self.path, dir))
    }

    /// Verifies every checksum of the segment (fingerprints, metadata,
    /// runs, counts, edges). Returns the bytes read.
    pub fn verify(&self) -> Result<u64, Error> {
        self.for_each_fingerprint(|_, _| Ok(()))?;
        self.metas()?;
        self.headlines()?;
        self.edges()?;
        for b in 0..self.dir.runs.len() {
            let mut r = self.run(b)?;
            while r.next_entry()?.is_some() {}
        }
        Ok(self.file.metadata().map(|m| m.len()).unwrap_or(0))
    }
}

/// The error of a corrupt segment: names it and says what to do.
pub fn corrupt(path: &Path, what: &str) -> Error {
    bad(
        path,
        format!(
            "corrupt index segment: {what}; the index was not changed. Restore the index \
             directory from a backup, or rebuild it with `wiretrace index add`"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 1 segment's metadata record (no `date_from`) reads as
    /// dated by its field; a crawl date is stored and read back; a
    /// field date is not written (version 1 records stay as they were).
    #[test]
    fn metadata_say_where_the_date_came_from_and_version_1_still_reads() {
        let v1 =
            br#"{"id":"a","published":1719820800,"file":0,"line":3,"start":10,"end":90,"text":7}"#;
        let m: StoredMeta = serde_json::from_slice(v1).unwrap();
        assert_eq!(m.date_from, DateFrom::Field);
        assert_eq!(serde_json::to_vec(&m).unwrap(), v1.to_vec());
        let crawl = StoredMeta {
            date_from: DateFrom::Crawl,
            ..m
        };
        let json = serde_json::to_string(&crawl).unwrap();
        assert!(json.contains(r#""date_from":"crawl""#), "{json}");
        assert_eq!(serde_json::from_str::<StoredMeta>(&json).unwrap(), crawl);
    }
}
