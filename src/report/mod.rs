//! Scan results -> files: assignments (JSONL) and clusters (JSON / JSONL).
//!
//! Every file is written atomically: to a temporary file beside the
//! target, renamed over it only when complete, so an error or Ctrl-C never
//! leaves a half-written report.

mod clusters;

pub use clusters::{
    cluster_records, write_assignments, write_clusters, ClusterRecord, ClustersFormat,
};

use crate::error::Error;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes `path` atomically with `fill`: a temporary file in the same
/// directory, flushed, then renamed over `path`.
///
/// Fails with the path and the OS error; the temporary file is removed.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.wiretrace-{}.tmp", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}
