//! wiretrace errors -> Python exceptions, carrying the Rust message (which
//! names the file and line where there is one).

use pyo3::exceptions::{PyException, PyFileNotFoundError, PyOSError, PyValueError};
use pyo3::prelude::*;

pyo3::create_exception!(
    _wiretrace,
    WiretraceError,
    PyException,
    "An input wiretrace could not use (a bad record under strict=True, no \
     articles, inconsistent data). The message says what and where \
     (file:line)."
);

/// The Python exception for `err`: `ValueError` for a bad setting,
/// `FileNotFoundError`/`OSError` for a file that cannot be read,
/// `WiretraceError` for the rest.
pub fn to_py(err: wiretrace::Error) -> PyErr {
    let msg = python_names(&err.to_string());
    match &err {
        wiretrace::Error::Config(_) | wiretrace::Error::Pattern { .. } => {
            PyValueError::new_err(msg)
        }
        wiretrace::Error::Io { err: io, .. } if io.kind() == std::io::ErrorKind::NotFound => {
            PyFileNotFoundError::new_err(msg)
        }
        wiretrace::Error::Io { .. } => PyOSError::new_err(msg),
        wiretrace::Error::Input { .. } => PyFileNotFoundError::new_err(msg),
        _ => WiretraceError::new_err(msg),
    }
}

/// `.map_err(to_py)` as a method.
pub trait IntoPy<T> {
    /// The result with a wiretrace error made a Python exception.
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, wiretrace::Error> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// The core's messages name the CLI's flags (`--text-field`, `--strict`);
/// a Python caller gives keywords (`text_field=`, `strict=True`).
pub fn python_names(msg: &str) -> String {
    let mut out = msg
        .replace("--no-lede", "lede=False")
        .replace("--strict", "strict=True");
    // Longest first, so `--min-excerpt` is not taken for `--min`...
    let mut names: Vec<&str> = crate::settings::NAMES.to_vec();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        let flag = format!("--{}", name.replace('_', "-"));
        out = out.replace(&flag, &format!("{name}="));
    }
    out
}
