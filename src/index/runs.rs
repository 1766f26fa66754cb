//! Sorted runs of `(band key, article)`: one per band per segment.
//!
//! A run is cut into blocks of [`RUN_BLOCK`] entries (12 bytes each: the
//! key, then the article within the segment, little-endian), each followed
//! by its xxh3 checksum. The segment's directory keeps each block's first
//! key, so a lookup reads only the blocks that can hold a key, and a batch
//! of sorted keys walks a run's blocks in order, each read once: a
//! merge-join whose reads are sequential and whose memory is one block.

use super::segment::{corrupt, read_at};
use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

/// Entries per block: 512 x 12 bytes = 6 KB, a few pages; small enough
/// that a check of a few keys reads little, large enough that the block
/// index (one key per block) is 1/512 of the run.
pub const RUN_BLOCK: usize = 512;
const ENTRY: usize = 12;

/// Where one run lies and the first key of each block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunDir {
    /// Offset of its first block.
    pub off: u64,
    /// Entries.
    pub entries: u64,
    /// First key of each block.
    pub first_keys: Vec<u64>,
}

/// Builds a run's directory while its blocks are written.
pub struct RunWriter {
    dir: RunDir,
}

impl RunWriter {
    /// A run starting at `off`.
    pub fn new(off: u64) -> Self {
        RunWriter {
            dir: RunDir {
                off,
                entries: 0,
                first_keys: Vec::new(),
            },
        }
    }

    /// The bytes of the next block (sorted entries, at most [`RUN_BLOCK`]).
    pub fn block(&mut self, entries: &[(u64, u32)]) -> Vec<u8> {
        let mut b = Vec::with_capacity(entries.len() * ENTRY + 8);
        for &(k, a) in entries {
            b.extend_from_slice(&k.to_le_bytes());
            b.extend_from_slice(&a.to_le_bytes());
        }
        let sum = xxh3_64(&b);
        b.extend_from_slice(&sum.to_le_bytes());
        self.dir.first_keys.push(entries[0].0);
        self.dir.entries += entries.len() as u64;
        b
    }

    /// The run's directory.
    pub fn finish(self) -> RunDir {
        self.dir
    }
}

/// Reads one run: lookups by key (ascending keys read each block once)
/// and a sequential walk.
pub struct RunReader<'a> {
    file: &'a File,
    path: &'a Path,
    dir: &'a RunDir,
    /// The block held: its number and entries.
    block: Option<(usize, Vec<(u64, u32)>)>,
    /// For the walk: the next block and entry.
    at: (usize, usize),
    /// Bytes read so far.
    pub bytes_read: u64,
}

impl<'a> RunReader<'a> {
    /// A reader of `dir`'s run in `file`.
    pub fn new(file: &'a File, path: &'a Path, dir: &'a RunDir) -> Self {
        RunReader {
            file,
            path,
            dir,
            block: None,
            at: (0, 0),
            bytes_read: 0,
        }
    }

    fn blocks(&self) -> usize {
        self.dir.first_keys.len()
    }

    fn load(&mut self, b: usize) -> Result<&[(u64, u32)], Error> {
        if self.block.as_ref().is_none_or(|(n, _)| *n != b) {
            let n = if b + 1 < self.blocks() {
                RUN_BLOCK
            } else {
                (self.dir.entries as usize).saturating_sub(b * RUN_BLOCK)
            };
            if n == 0 || n > RUN_BLOCK {
                return Err(corrupt(self.path, "a run's block count is inconsistent"));
            }
            let off = self.dir.off + (b * (RUN_BLOCK * ENTRY + 8)) as u64;
            let mut buf = vec![0u8; n * ENTRY + 8];
            read_at(self.file, &mut buf, off).map_err(|e| Error::io(self.path, e))?;
            self.bytes_read += buf.len() as u64;
            let (body, sum) = buf.split_at(n * ENTRY);
            if xxh3_64(body) != u64::from_le_bytes(sum.try_into().unwrap()) {
                return Err(corrupt(
                    self.path,
                    &format!("block {b} of a band run fails its checksum"),
                ));
            }
            let entries = body
                .chunks_exact(ENTRY)
                .map(|c| {
                    (
                        u64::from_le_bytes(c[..8].try_into().unwrap()),
                        u32::from_le_bytes(c[8..].try_into().unwrap()),
                    )
                })
                .collect();
            self.block = Some((b, entries));
        }
        Ok(&self.block.as_ref().unwrap().1)
    }

    /// Merge-joins the sorted, distinct `keys` against the run: calls
    /// `found(i, article)` for each entry whose key is `keys[i]`, in run
    /// order. Reads only the blocks whose key range holds one of `keys`,
    /// each once, in file order; costs O(keys + blocks) besides.
    pub fn join(&mut self, keys: &[u64], mut found: impl FnMut(usize, u32)) -> Result<(), Error> {
        let nb = self.blocks();
        let mut q = 0;
        for b in 0..nb {
            let lo = self.dir.first_keys[b];
            while q < keys.len() && keys[q] < lo {
                q += 1;
            }
            if q >= keys.len() {
                break;
            }
            // Block b holds keys from its first key to the next block's
            // first key (inclusive: a run of equal keys may span blocks).
            let hi = self.dir.first_keys.get(b + 1).copied().unwrap_or(u64::MAX);
            if keys[q] > hi {
                continue;
            }
            let entries = self.load(b)?;
            let mut j = q;
            for &(k, a) in entries {
                while j < keys.len() && keys[j] < k {
                    j += 1;
                }
                if j >= keys.len() {
                    break;
                }
                if keys[j] == k {
                    found(j, a);
                }
            }
            // Keys equal to the block's last key may go on in the next.
            if let Some(&(last, _)) = entries.last() {
                while q < keys.len() && keys[q] < last {
                    q += 1;
                }
            }
        }
        Ok(())
    }

    /// The next entry of a walk over the whole run, in order.
    pub fn next_entry(&mut self) -> Result<Option<(u64, u32)>, Error> {
        loop {
            let (b, i) = self.at;
            if b >= self.blocks() {
                return Ok(None);
            }
            let entries = self.load(b)?;
            if let Some(&e) = entries.get(i) {
                self.at = (b, i + 1);
                return Ok(Some(e));
            }
            self.at = (b + 1, 0);
        }
    }
}
