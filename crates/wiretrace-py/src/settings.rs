//! `**settings` -> `wiretrace::Config`: the CLI's flags as keyword
//! arguments (snake_case: `--num-perm 64` is `num_perm=64`, `--shingle
//! word:5` is `shingle="word:5"`, `--no-lede` is `lede=False`).

use crate::errors::IntoPy;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;
use wiretrace::lsh::Banding;
use wiretrace::verify::Rules;
use wiretrace::{Config, ShingleSpec};

/// Every keyword a settings call accepts, for the error that names them.
pub const NAMES: &[&str] = &[
    "shingle",
    "num_perm",
    "seed",
    "threshold",
    "containment",
    "min_excerpt",
    "anchor_containment",
    "min_anchors",
    "min_shared",
    "title_agreement",
    "recurrence_days",
    "figure_agreement",
    "bands",
    "rows",
    "exact",
    "lede",
    "max_bucket",
    "min_shingles",
    "max_errors",
    "strict",
    "lossy",
    "boilerplate",
    "id_field",
    "text_field",
    "title_field",
    "source_field",
    "url_field",
    "date_field",
    "threads",
];

/// A config and what is derived from it once: the banding the scan groups
/// by and the verification rules.
#[derive(Debug)]
pub struct Settings {
    /// The library config.
    pub config: Config,
    /// Worker threads for batch calls (`None`: rayon's pool, every core).
    pub threads: Option<usize>,
    /// The main banding ([`Banding::from_config`]).
    pub banding: Banding,
    /// The lede banding, unless `lede=False`.
    pub lede: Option<Banding>,
    /// The verification rules.
    pub rules: Rules,
    /// The keywords as given: a fingerprint pickles with them, so it loads
    /// back with the same settings.
    pub kwargs: Py<PyDict>,
}

fn shingles(v: &Bound<'_, PyAny>) -> PyResult<Vec<ShingleSpec>> {
    let specs: Vec<String> = match v.extract::<String>() {
        Ok(s) => vec![s],
        Err(_) => v.extract().map_err(|_| {
            PyTypeError::new_err("shingle: expected a str such as \"word:5\" or a list of them")
        })?,
    };
    specs
        .iter()
        .map(|s| {
            s.parse()
                .map_err(|e: String| PyValueError::new_err(format!("shingle: {e}")))
        })
        .collect()
}

impl Settings {
    /// The settings `kwargs` name, on top of the defaults. Unknown names
    /// raise `TypeError` (listing the known ones); values out of range
    /// raise `ValueError` with the core's message.
    pub fn from_kwargs(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Arc<Self>> {
        let mut c = Config::default();
        let (mut bands, mut rows, mut threads) = (None::<usize>, None::<usize>, None::<usize>);
        let kept = PyDict::new(py);
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                let name: String = k.extract()?;
                if v.is_none() {
                    continue;
                }
                kept.set_item(&name, &v)?;
                let bad = |e: PyErr| PyTypeError::new_err(format!("{name}: {e}"));
                match name.as_str() {
                    "shingle" => c.shingles = shingles(&v)?,
                    "num_perm" => c.num_perm = v.extract().map_err(bad)?,
                    "seed" => c.seed = v.extract().map_err(bad)?,
                    "threshold" => c.threshold = v.extract().map_err(bad)?,
                    "containment" => c.containment = v.extract().map_err(bad)?,
                    "min_excerpt" => c.min_excerpt = v.extract().map_err(bad)?,
                    "anchor_containment" => c.anchor_containment = v.extract().map_err(bad)?,
                    "min_anchors" => c.min_anchors = v.extract().map_err(bad)?,
                    "min_shared" => c.min_shared = v.extract().map_err(bad)?,
                    "title_agreement" => c.title_agreement = v.extract().map_err(bad)?,
                    "recurrence_days" => c.recurrence_days = v.extract().map_err(bad)?,
                    "figure_agreement" => c.figure_agreement = v.extract().map_err(bad)?,
                    "bands" => bands = Some(v.extract().map_err(bad)?),
                    "rows" => rows = Some(v.extract().map_err(bad)?),
                    "exact" => c.exact = v.extract().map_err(bad)?,
                    "lede" => c.lede = v.extract().map_err(bad)?,
                    "max_bucket" => c.max_bucket = v.extract().map_err(bad)?,
                    "min_shingles" => c.min_shingles = v.extract().map_err(bad)?,
                    "max_errors" => c.max_errors = v.extract().map_err(bad)?,
                    "strict" => c.strict = v.extract().map_err(bad)?,
                    "lossy" => c.lossy = v.extract().map_err(bad)?,
                    "boilerplate" => c.boilerplate = v.extract().map_err(bad)?,
                    "id_field" => c.fields.id = v.extract().map_err(bad)?,
                    "text_field" => c.fields.text = v.extract().map_err(bad)?,
                    "title_field" => c.fields.title = v.extract().map_err(bad)?,
                    "source_field" => c.fields.source = v.extract().map_err(bad)?,
                    "url_field" => c.fields.url = v.extract().map_err(bad)?,
                    "date_field" => c.fields.date = v.extract().map_err(bad)?,
                    "threads" => threads = Some(v.extract().map_err(bad)?),
                    _ => {
                        return Err(PyTypeError::new_err(format!(
                            "unknown setting `{name}`; the settings are: {}",
                            NAMES.join(", ")
                        )))
                    }
                }
            }
        }
        c.bands =
            match (bands, rows) {
                (Some(b), Some(r)) => Some((b, r)),
                (None, None) => None,
                _ => return Err(PyValueError::new_err(
                    "bands and rows go together: give both (bands * rows <= num_perm) or neither",
                )),
            };
        if threads == Some(0) {
            return Err(PyValueError::new_err(
                "threads=0: give at least 1, or leave it out to use every core",
            ));
        }
        c.validate().py_err()?;
        Ok(Arc::new(Settings {
            banding: Banding::from_config(&c),
            lede: Banding::lede_from_config(&c),
            rules: Rules::from_config(&c),
            config: c,
            threads,
            kwargs: kept.unbind(),
        }))
    }

    /// Runs `f` on `threads` workers (a pool of its own), or on rayon's
    /// global pool when `threads` was not given.
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> PyResult<R> {
        match self.threads {
            None => Ok(f()),
            Some(n) => {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| PyValueError::new_err(format!("threads={n}: {e}")))?;
                Ok(pool.install(f))
            }
        }
    }
}
