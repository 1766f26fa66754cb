//! The writer's lock: `LOCK` in the index directory, held with an
//! exclusive `flock` for as long as a writer (`add`, `remove`, `compact`)
//! runs. A second writer is refused at once; readers (`export`, `check`,
//! `stats`) take no lock: they read the manifest, which is replaced
//! atomically, and segments, which are never changed once named.
//!
//! The kernel drops a `flock` when its holder dies, so a writer killed
//! with SIGKILL leaves no stale lock behind.

use super::bad;
use crate::error::Error;
use std::fs::File;
use std::path::Path;

/// The lock file's name.
pub const LOCK: &str = "LOCK";

/// A held writer's lock; released when dropped.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

impl WriterLock {
    /// Takes the lock of the index at `dir` (creating the lock file), or
    /// fails at once when another writer holds it.
    pub fn acquire(dir: &Path) -> Result<WriterLock, Error> {
        let path = dir.join(LOCK);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: flock on a file descriptor this function owns; no
            // memory is passed.
            let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if r != 0 {
                let err = std::io::Error::last_os_error();
                if err.kind() == std::io::ErrorKind::WouldBlock {
                    return Err(bad(
                        dir,
                        "another wiretrace is writing to this index (add, remove or compact); \
                         wait for it to finish and run again (export and check work meanwhile)"
                            .into(),
                    ));
                }
                return Err(Error::io(&path, err));
            }
        }
        Ok(WriterLock { _file: file })
    }
}
