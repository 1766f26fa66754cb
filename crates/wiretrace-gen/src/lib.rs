//! The tools around wiretrace's pipeline: corpora generated with ground
//! truth ([`gen`]) and the scores of a clustering against a truth file
//! ([`eval`]). A crate of its own so that the core library carries neither,
//! while its tests and benches (dev-dependency) and the CLI (`wiretrace
//! gen`, `wiretrace eval`) use both.

#![deny(missing_docs)]

// Scores a clustering against a truth file.
pub mod eval;
// Generates syndication corpora with ground truth.
pub mod gen;
