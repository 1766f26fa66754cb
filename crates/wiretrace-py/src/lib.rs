//! Python bindings for wiretrace: the extension module `wiretrace._wiretrace`
//! behind the Python package `wiretrace` (python/wiretrace).
//!
//! Each Rust file here is one part of the Python API and registers its
//! classes and functions with a `register(m)` function, called once from
//! [`_wiretrace`].

use pyo3::prelude::*;

/// The extension module. Each part of the API adds its classes and
/// functions here.
#[pymodule]
fn _wiretrace(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
