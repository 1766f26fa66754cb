//! Compressed inputs, known by their magic bytes, and streaming decoders.
//!
//! gzip (`.gz`, multi-member: every member is read, as `zcat` does, since a
//! `.warc.gz` is one member per record and `cat a.gz b.gz` is a valid gzip
//! file), zstd (every frame), bzip2 (every stream) and xz are recognised by
//! their first bytes, not their names: corpora are renamed, and a download
//! without its extension is as common as one with a wrong one. Each is read
//! through a streaming decoder, so memory is bounded by the decoder's window
//! (32 KiB for gzip, at most 128 MiB for zstd's largest legal window, 900 KB
//! for bzip2, the dictionary for xz) and the block of lines in flight, not by
//! the file.
//!
//! A damaged stream (a truncated download, a corrupt frame) keeps the
//! records decoded before the damage; the decoder's error is reported with
//! the compressed offset read so far ([`Counted`]), so a person can tell a
//! cut-off transfer (the offset is the file's size) from corruption inside.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How a file's bytes are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (RFC 1952), one member or many.
    Gzip,
    /// Zstandard, one frame or many.
    Zstd,
    /// bzip2, one stream or many.
    Bzip2,
    /// xz (LZMA2).
    Xz,
}

impl Compression {
    /// The compression `head` (a file's first bytes, at least 6 when the
    /// file has them) starts with.
    pub fn of(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else if head.starts_with(b"BZh") && head.get(3).is_some_and(|b| (b'1'..=b'9').contains(b))
        {
            Compression::Bzip2
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            Compression::Xz
        } else {
            Compression::None
        }
    }

    /// The name a person knows it by.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
        }
    }

    /// A decoder of `r` (the compressed bytes), or `r` itself when not
    /// compressed. Fails only when zstd cannot allocate its context.
    pub fn decoder<'a>(self, r: impl Read + Send + 'a) -> io::Result<Box<dyn Read + Send + 'a>> {
        // Decoders read their input in buffers of this size: large enough
        // that a system call per buffer costs nothing next to decoding it.
        const BUF: usize = 64 << 10;
        let r = io::BufReader::with_capacity(BUF, r);
        Ok(match self {
            Compression::None => Box::new(r),
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(r)),
            Compression::Zstd => {
                let mut d = zstd::stream::read::Decoder::with_buffer(r)?;
                // Frames written with --long (windows up to 2 GiB) are
                // refused past zstd's default limit of 128 MiB: 2^27 is
                // the largest window a decoder needs for normal levels.
                d.window_log_max(27)?;
                Box::new(d)
            }
            Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(r)),
            Compression::Xz => Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(r)),
        })
    }
}

/// A reader that counts the bytes read through it, readable from another
/// handle ([`Counted::counter`]) while the reader itself is inside a decoder.
pub struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Counted<R> {
    /// Counts the bytes read from `inner`.
    pub fn new(inner: R) -> Self {
        Counted {
            inner,
            count: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A handle on the count.
    pub fn counter(&self) -> Arc<AtomicU64> {
        self.count.clone()
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// What to say about a decoding error: the decoder's message, where in the
/// compressed file it was found, and what to do.
pub fn damage(
    c: Compression,
    e: &io::Error,
    compressed_read: u64,
    compressed_len: Option<u64>,
) -> String {
    let of = compressed_len.map_or(String::new(), |n| format!(" (of {n})"));
    let truncated = e.kind() == io::ErrorKind::UnexpectedEof;
    let what = if truncated {
        format!("the {} stream ends early (a truncated file?)", c.name())
    } else {
        format!("the {} stream is damaged", c.name())
    };
    format!(
        "{what}: {e}, at or before byte {compressed_read}{of} of the compressed file; the records before it were read, the rest are lost. Fetch or compress the file again"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn compress(c: Compression, data: &[u8]) -> Vec<u8> {
        match c {
            Compression::None => data.to_vec(),
            Compression::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Compression::Zstd => zstd::encode_all(data, 3).unwrap(),
            Compression::Bzip2 => {
                let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Compression::Xz => {
                let mut e = liblzma::write::XzEncoder::new(Vec::new(), 1);
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
        }
    }

    const ALL: [Compression; 5] = [
        Compression::None,
        Compression::Gzip,
        Compression::Zstd,
        Compression::Bzip2,
        Compression::Xz,
    ];

    /// Each kind is known by its bytes and decodes back, and two members
    /// (or frames, or streams) one after the other read as one.
    #[test]
    fn every_kind_is_detected_and_decodes_whole_with_many_members() {
        let (a, b) = (b"{\"id\":1}\n".repeat(50), b"{\"id\":2}\n".repeat(70));
        for c in ALL {
            let mut bytes = compress(c, &a);
            assert_eq!(Compression::of(&bytes), c);
            bytes.extend(compress(c, &b));
            let mut out = Vec::new();
            c.decoder(&bytes[..])
                .unwrap()
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, [a.clone(), b.clone()].concat(), "{c:?}");
        }
    }

    /// A truncated stream gives the bytes before the cut, then an error.
    #[test]
    fn a_truncated_stream_gives_its_start_then_an_error() {
        let data: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        for c in [
            Compression::Gzip,
            Compression::Zstd,
            Compression::Bzip2,
            Compression::Xz,
        ] {
            let bytes = compress(c, &data);
            let cut = &bytes[..bytes.len() * 2 / 3];
            let mut out = Vec::new();
            let err = c.decoder(cut).unwrap().read_to_end(&mut out);
            assert!(err.is_err(), "{c:?}");
            assert!(data.starts_with(&out), "{c:?}");
        }
    }
}
