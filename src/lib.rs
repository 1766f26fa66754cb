//! wiretrace finds near-duplicate news articles in large corpora and traces
//! how a story spread.
//!
//! The pipeline, one module per stage, in the order data flows:
//!
//! ```text
//! paths ─ ingest ─> Article ─ normalize ─> NormText ─ shingle ─> Vec<u64>
//!       ─ minhash ─> Signatures ─ lsh ─> candidate pairs ─ verify ─> Edges
//!       ─ cluster ─> Clusters ─ lineage ─> chains (origin, parents, credit)
//!       ─ report ─> assignments / JSON / Markdown / HTML / CSV
//! ```
//!
//! Stages meet only through plain data types, so any stage can be driven on
//! its own (signatures can be stored and appended: `MinHasher::sign` gives
//! full u32 minima, the scan's table keeps their low 16 bits; a future
//! on-disk index or a distributed engine can run the stages apart).
//! [`pipeline::scan`] runs them all, with lsh and verify fused (each
//! candidate pair is verified where it is found, so no list of them is kept):
//!
//! ```
//! use wiretrace::{ingest::Inputs, pipeline, Config};
//!
//! let story = "The central bank raised its main interest rate by half a point on Tuesday, \
//!              citing stubborn inflation in food and energy prices across the region.";
//! let corpus = format!(
//!     "{}\n{}\n{}\n",
//!     serde_json::json!({"id": "a", "text": story}),
//!     serde_json::json!({"id": "b", "text": format!("{story}\n\nRead original article here")}),
//!     serde_json::json!({"id": "c", "text": "A different story about a football match won late on Sunday by the visiting side."}),
//! );
//! let scan = pipeline::scan_inputs(&Config::default(), Inputs::from_jsonl("demo", corpus.into_bytes()),
//!                                  &pipeline::NoProgress).unwrap();
//! assert_eq!(scan.clusters.of[0], scan.clusters.of[1]);
//! assert_ne!(scan.clusters.of[0], scan.clusters.of[2]);
//! ```

#![deny(missing_docs)]

pub mod config;
pub mod error;
mod seeds;

// The stages, in the order data flows.

// Files -> articles (memory-mapped JSON Lines, text files).
pub mod ingest;
// Article text -> normalized words and anchors, boilerplate removed.
pub mod normalize;
// Normalized text -> shingle hashes.
pub mod shingle;
// Shingle hashes -> MinHash signatures (scalar and SIMD).
pub mod minhash;
// Article -> Fingerprint: the three stages above and the sketches, as plain data.
pub mod fingerprint;
// Signatures -> candidate pairs (banding).
pub mod lsh;
// Candidate pairs -> verified edges.
pub mod verify;
// Edges -> clusters (union-find).
pub mod cluster;
// Clusters -> syndication chains: origin, parents, lag, copy type, credit.
pub mod lineage;
// Clusters and chains -> files for machines and people.
pub mod report;
// All stages in order.
pub mod pipeline;

// Tools around the pipeline.

// Scores a clustering against a truth file.
pub mod eval;
// Generates syndication corpora with ground truth.
pub mod gen;

pub use config::{Config, FieldNames, ShingleSpec};
pub use error::{Error, Location, SkipReason, Skipped};
pub use fingerprint::{Fingerprint, Fingerprinter};
pub use pipeline::{scan, Scan};
