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
//!
//! The stages are public on their own. A [`Fingerprinter`] turns one
//! article into a [`Fingerprint`] (plain data, stored in 481 bytes:
//! `docs/fingerprint.md`); [`lsh::Banding::keys`] gives the band keys the
//! scan groups by, [`verify::pair`] decides a pair as the scan does, and
//! [`cluster::cluster_with_cores`] with [`cluster::FingerprintCores`]
//! clusters the edges. An index or a distributed job built on these gets
//! the scan's answers (`tests/api.rs`):
//!
//! ```
//! use wiretrace::verify::{self, PairContext, Rules};
//! use wiretrace::{lsh::Banding, Config, Fingerprint, Fingerprinter};
//!
//! let cfg = Config::default();
//! let fper = Fingerprinter::new(&cfg).unwrap();
//! let story = "The central bank raised its main interest rate by half a point on Tuesday, \
//!              citing stubborn inflation in food and energy prices across the region, \
//!              and said further increases could follow before the end of the year.";
//! let a = fper.fingerprint(Some("Central bank raises rates"), story, Some("Wire"), None);
//! let copy = format!("{story}\n\nRead the original article here.");
//! let b = fper.fingerprint(Some("Bank lifts rates"), &copy, Some("Gazette"), None);
//!
//! // Stored and loaded back unchanged.
//! let b = Fingerprint::from_bytes(&b.to_bytes()).unwrap();
//! // The two share a band key, so a scan (or an index) meets them...
//! let banding = Banding::from_config(&cfg);
//! let keys: Vec<(usize, u64)> = banding.keys(&a).collect();
//! assert!(banding.keys(&b).any(|k| keys.contains(&k)));
//! // ...and verification joins them (an empty context: headline words weigh 1).
//! let rules = Rules::from_config(&cfg);
//! let edge = verify::pair(&a, &b, &rules, &PairContext::default()).expect("a copy");
//! assert!(edge.jaccard > 0.8);
//!
//! let other_text = "A football match was won late on Sunday by the visiting side after \
//!     a penalty in the last minute of stoppage time.";
//! let other = fper.fingerprint(None, other_text, None, None);
//! assert!(verify::pair(&a, &other, &rules, &PairContext::default()).is_none());
//!
//! // Clusters from the edges, and a report from plain data (no scan).
//! use wiretrace::cluster::{cluster_with_cores, FingerprintCores};
//! use wiretrace::ingest::{Corpus, Meta};
//! use wiretrace::report::{Report, Settings};
//! let fps = vec![a, b, other];
//! let clusters = cluster_with_cores(fps.len(), &[edge], &FingerprintCores::of(&fps, &rules));
//! assert_eq!(clusters.of[0], clusters.of[1]);
//! assert_ne!(clusters.of[0], clusters.of[2]);
//! let docs: Vec<Meta> = ["wire", "gazette", "sport"]
//!     .iter()
//!     .map(|id| Meta { id: id.to_string(), ..Default::default() })
//!     .collect();
//! let texts = vec![story.to_string(), copy, other_text.to_string()];
//! let files = vec!["batch-0".to_string()];
//! let corpus = Corpus::new(&docs, &files, &texts);
//! let report = Report::from_clusters(&corpus, &clusters, Settings::from_config(&cfg), None)
//!     .unwrap();
//! assert_eq!(report.stories.len(), 1);
//! assert_eq!(report.stories[0].members.len(), 2);
//! ```

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
// Originals + corpus -> who republished them (`wiretrace check`).
pub mod check;
// A persistent index on disk: daily batches added, matched, never rescanned.
pub mod index;

// The tools around the pipeline live in the workspace's other crates:
// `crates/wiretrace-gen` (the corpus generator and `eval`, which scores a
// clustering against a truth file) and `crates/wiretrace-cli` (the binary).

pub use check::check;
pub use config::{Config, FieldNames, ShingleSpec};
pub use error::{Error, Location, SkipReason, Skipped};
pub use fingerprint::{Fingerprint, Fingerprinter};
pub use ingest::{Corpus, TextSource};
pub use pipeline::{scan, Scan};
