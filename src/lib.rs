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
//!
//! Downstream of the clusters, lineage and reports read plain data: an
//! [`ingest::Corpus`] (every article's metadata and a [`TextSource`] for
//! the texts) and [`cluster::Clusters`], so clusters from an index or
//! another engine give the report a scan gives
//! ([`report::Report::from_clusters`]; the [`report`] docs show one built
//! by hand). [`check()`](check::check) is `wiretrace check` as a call.

#![deny(missing_docs)]

pub mod config;
pub mod error;
mod seeds;
pub mod simd;

// The stages, in the order data flows.

// Files -> articles (memory-mapped JSON Lines, text files).
pub mod ingest;
// Article text -> normalized words and anchors, boilerplate removed.
pub mod normalize;
// Normalized text -> shingle hashes.
pub mod shingle;
// Shingle hashes -> MinHash signatures (scalar and SIMD).
pub mod minhash;
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
// Originals + corpus -> who republished them (`wiretrace check`).
pub mod check;

// The tools around the pipeline live in the workspace's other crates:
// `crates/wiretrace-gen` (the corpus generator and `eval`, which scores a
// clustering against a truth file) and `crates/wiretrace-cli` (the binary).

pub use check::check;
pub use config::{Config, FieldNames, ShingleSpec};
pub use error::{Error, Location, SkipReason, Skipped};
pub use ingest::{Corpus, TextSource};
pub use pipeline::{scan, Scan};
