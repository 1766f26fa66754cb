//! Python bindings for wiretrace: the extension module `wiretrace._wiretrace`
//! behind the Python package `wiretrace` (python/wiretrace).
//!
//! Each Rust file here is one part of the Python API and registers its
//! classes and functions with a `register(m)` function, called once from
//! the module function below.

use pyo3::prelude::*;

mod errors;
// The native API: scan, check, Fingerprinter, verify, cluster, report.
mod native;
// Paths, dicts and Arrow tables in; columns of text for batches.
mod records;
// `**settings` -> Config.
mod settings;
// The Rust half of the Spark job (wiretrace.spark).
mod spark;
// The Rust half of wiretrace.datasketch (MinHash, MinHashLSH).
mod sketch;

/// The extension module. Each part of the API adds its classes and
/// functions here.
#[pymodule]
fn _wiretrace(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "WiretraceError",
        m.py().get_type::<errors::WiretraceError>(),
    )?;
    native::register(m)?;
    sketch::register(m)?;
    spark::register(m)?;
    Ok(())
}
