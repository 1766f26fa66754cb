//! The stored form of a fingerprint: `docs/fingerprint.md` gives it byte by
//! byte.
//!
//! Fixed layout, little-endian, every field at an offset that depends only
//! on `k`: an index can read one field of a fingerprint without decoding
//! the rest, and a reader in another language needs no parser. Sketch slots
//! are stored whole (unused slots too), so decoding gives back the very
//! value encoded (`from_bytes(to_bytes(fp)) == fp`), not an equivalent one.

use super::Fingerprint;
use crate::lsh::lede::LEDE_K;
use crate::verify::{AnchorSketch, FigureSketch, Header, ANCHOR_K, FK, TK};

/// The first four bytes of a stored fingerprint.
pub const MAGIC: [u8; 4] = *b"WTFP";

/// The layout version this build writes and reads.
pub const VERSION: u8 = 1;

/// Bytes before the signature: magic, version, reserved, k, size.
const HEAD: usize = 12;
/// Bytes after the signature: lede, anchors, figures, header.
const TAIL: usize = 2 * LEDE_K + (1 + 4 + 4 * ANCHOR_K) + (1 + 2 + 2 * FK) + (1 + 4 + 8 + 4 * TK);

/// Why bytes are not a fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Fewer bytes than the fixed part, or not the length `k` implies.
    #[error("a fingerprint of k = {k} is {expected} bytes, not {found}")]
    Length {
        /// Signature length read (0 when too short to hold it).
        k: usize,
        /// Bytes the layout needs.
        expected: usize,
        /// Bytes given.
        found: usize,
    },
    /// Not starting with [`MAGIC`].
    #[error("not a wiretrace fingerprint (no `WTFP` magic)")]
    Magic,
    /// A layout version this build does not read.
    #[error("fingerprint layout version {0}; this build reads version {VERSION}")]
    Version(u8),
    /// A field out of its range (a count above its sketch's slots, a
    /// reserved byte not 0).
    #[error("fingerprint field `{0}` is out of range")]
    Field(&'static str),
}

impl Fingerprint {
    /// Bytes of a stored fingerprint with a signature of `k` values:
    /// `225 + 2 k` (481 at k = 128).
    pub const fn stored_len(k: usize) -> usize {
        HEAD + 2 * k + TAIL
    }

    /// The stored form (see `docs/fingerprint.md`).
    ///
    /// Panics if the signature is longer than 65,535 values (a config
    /// allows at most 4,096; see `Config::validate`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let k = self.signature.len();
        let k16 = u16::try_from(k).expect("signature of at most 65535 values");
        let mut out = Vec::with_capacity(Self::stored_len(k));
        out.extend_from_slice(&MAGIC);
        out.push(VERSION);
        out.push(0);
        out.extend_from_slice(&k16.to_le_bytes());
        out.extend_from_slice(&self.size.to_le_bytes());
        for v in self.signature.iter() {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in &self.lede {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let (slots, used, total) = self.anchors.raw();
        out.push(used);
        out.extend_from_slice(&total.to_le_bytes());
        for v in slots {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let (slots, used, total) = self.figures.raw();
        out.push(used);
        out.extend_from_slice(&total.to_le_bytes());
        for v in slots {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let (title, used, outlet, published) = self.header.raw();
        out.push(used);
        out.extend_from_slice(&outlet.to_le_bytes());
        out.extend_from_slice(&published.to_le_bytes());
        for v in title {
            out.extend_from_slice(&v.to_le_bytes());
        }
        debug_assert_eq!(out.len(), Self::stored_len(k));
        out
    }

    /// A fingerprint from its stored form.
    ///
    /// Fails when `bytes` lack the magic, are of another layout version,
    /// are not exactly [`Fingerprint::stored_len`] of the `k` they declare,
    /// or hold a count beyond its sketch's slots.
    pub fn from_bytes(bytes: &[u8]) -> Result<Fingerprint, DecodeError> {
        if bytes.len() < HEAD {
            return Err(DecodeError::Length {
                k: 0,
                expected: HEAD + TAIL,
                found: bytes.len(),
            });
        }
        if bytes[..4] != MAGIC {
            return Err(DecodeError::Magic);
        }
        if bytes[4] != VERSION {
            return Err(DecodeError::Version(bytes[4]));
        }
        if bytes[5] != 0 {
            return Err(DecodeError::Field("reserved"));
        }
        let k = u16::from_le_bytes([bytes[6], bytes[7]]) as usize;
        if bytes.len() != Self::stored_len(k) {
            return Err(DecodeError::Length {
                k,
                expected: Self::stored_len(k),
                found: bytes.len(),
            });
        }
        let mut r = Reader { bytes, at: 8 };
        let size = r.u32();
        let signature = (0..k).map(|_| r.u16()).collect();
        let lede = std::array::from_fn(|_| r.u16());
        let used = r.u8();
        let total = r.u32();
        let slots = std::array::from_fn(|_| r.u32());
        let anchors =
            AnchorSketch::from_raw(slots, used, total).ok_or(DecodeError::Field("anchors.used"))?;
        let used = r.u8();
        let total = r.u16();
        let slots = std::array::from_fn(|_| r.u16());
        let figures =
            FigureSketch::from_raw(slots, used, total).ok_or(DecodeError::Field("figures.used"))?;
        let used = r.u8();
        let outlet = r.u32();
        let published = r.i64();
        let title = std::array::from_fn(|_| r.u32());
        let header = Header::from_raw(title, used, outlet, published)
            .ok_or(DecodeError::Field("header.used"))?;
        debug_assert_eq!(r.at, bytes.len());
        Ok(Fingerprint {
            signature,
            lede,
            size,
            anchors,
            figures,
            header,
        })
    }
}

/// Reads little-endian fields in order; the length was checked first.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut b = [0; N];
        b.copy_from_slice(&self.bytes[self.at..self.at + N]);
        self.at += N;
        b
    }
    fn u8(&mut self) -> u8 {
        self.take::<1>()[0]
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.take())
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }
    fn i64(&mut self) -> i64 {
        i64::from_le_bytes(self.take())
    }
}
