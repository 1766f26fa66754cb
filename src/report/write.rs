//! Output paths -> files written whole or not at all.
//!
//! Every output (`-o`, `--assignments`, `--report`, `gen`'s files) goes
//! through [`Output`], and each rule here holds for a reason:
//!
//! - **A regular file is written to a temporary file beside it, then renamed
//!   onto it.** Readers see the old file or the complete new one, never half
//!   of it (a full disk, an error or a signal leaves the old contents).
//! - **The temporary file is created exclusively under a random name**
//!   (`O_CREAT | O_EXCL`, which never follows a symbolic link), so a link
//!   planted in the directory by someone who can write there cannot redirect
//!   the write onto another file (issue 15: predictable names let an
//!   unprivileged user make a root scan overwrite a root-owned file).
//! - **Without `--force` the rename never replaces** (`renameat2` with
//!   `RENAME_NOREPLACE`, or `link` + `unlink`): the existence check and the
//!   write are one step, so a file another writer created meanwhile is left
//!   as it is and the run fails. With `--force` the rename replaces.
//! - **A symbolic link is followed to its target**: the temporary file goes
//!   beside the target and is renamed onto it, so the link stays a link.
//! - **A character device or a FIFO is written directly**, with no
//!   temporary file and no `--force` needed: it holds no contents to lose,
//!   and renaming over `/dev/null` or `/dev/stdout` would replace the device
//!   with a regular file. Block devices, sockets and directories are refused.
//! - **`-` is standard output**, and so is a path that names the file the
//!   shell opened as standard output (`--assignments /dev/stdout > a.jsonl`):
//!   renaming over that file would leave the shell's descriptor on the old one.
//! - **Temporary names carry the process id**
//!   (`.NAME.wiretrace-PID-RANDOM.tmp`): on a signal the running process
//!   removes its own ([`remove_pending`]); the ones a killed process (`kill
//!   -9`, a power cut) left are recognised by a PID that no longer runs and
//!   removed before the same output is written again.
//!
//! Two outputs that are one file, and an output that is an input, are found
//! by [`open_outputs`] by comparing files (device and inode, after following
//! links), not spellings.

use crate::error::Error;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where an output's bytes go.
#[derive(Debug)]
enum Dest {
    /// Standard output (`-`, or the file the shell opened as it).
    Stdout,
    /// Standard error (a path naming the file the shell opened as it).
    Stderr,
    /// A character device or FIFO, opened and written as it is.
    Direct(PathBuf),
    /// A regular file (there or not yet), written atomically.
    File {
        /// The file to create or replace: the path with every symbolic link
        /// followed.
        target: PathBuf,
        /// Whether an existing target may be replaced (`--force`).
        replace: bool,
        /// The temporary file, once [`Output::prepare`] created it.
        temp: Option<tempfile::NamedTempFile>,
    },
}

/// What a path is on disk, for telling whether two paths are one file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileId {
    /// An existing file: device and inode.
    Inode(u64, u64),
    /// A file not there yet: its directory (canonical) joined with its name.
    Name(PathBuf),
}

/// One output destination, checked before any input is read and written
/// once with [`Output::write`].
#[derive(Debug)]
pub struct Output {
    path: PathBuf,
    dest: Dest,
    id: Option<FileId>,
    /// A character device (`/dev/null`, a terminal): several outputs and an
    /// input may share it without harm.
    shareable: bool,
    /// A regular file is there already (see [`Output::resolve`]).
    exists: bool,
    stale: Vec<PathBuf>,
}

const STDOUT_NAME: &str = "<stdout>";

impl Output {
    /// Standard output.
    pub fn stdout() -> Output {
        let (id, shareable) = stdio_id(1);
        Output {
            path: PathBuf::from("-"),
            dest: Dest::Stdout,
            id,
            shareable,
            exists: false,
            stale: Vec::new(),
        }
    }

    /// What writing `path` means: `-` is standard output; a character device
    /// or FIFO is written directly; anything else is a regular file, written
    /// atomically at the end of its chain of symbolic links. Nothing is
    /// created yet (see [`Output::prepare`]).
    ///
    /// Fails, naming the path and what to do, when the path's directory is
    /// missing or not a directory, when it is a directory, block device or
    /// socket, or when the file exists and `force` is false.
    pub fn resolve(path: &Path, force: bool) -> Result<Output, Error> {
        let out = Output::resolve_any(path, force)?;
        out.refuse_existing(force)?;
        Ok(out)
    }

    /// The existence rule: an existing regular file is replaced only with
    /// `force`.
    fn refuse_existing(&self, force: bool) -> Result<(), Error> {
        if self.exists && !force {
            return Err(Error::Input {
                path: self.path.clone(),
                why: EXISTS.into(),
            });
        }
        Ok(())
    }

    /// [`Output::resolve`] less the existence rule.
    fn resolve_any(path: &Path, force: bool) -> Result<Output, Error> {
        if path.as_os_str() == "-" {
            return Ok(Output::stdout());
        }
        let refuse = |why: String| Error::Input {
            path: path.to_owned(),
            why,
        };
        let out = |dest: Dest, id: Option<FileId>, shareable: bool| Output {
            path: path.to_owned(),
            dest,
            id,
            shareable,
            exists: false,
            stale: Vec::new(),
        };
        match std::fs::metadata(path) {
            Ok(m) => {
                let id = Some(inode_id(&m, path));
                let ft = m.file_type();
                if ft.is_dir() {
                    return Err(refuse(
                        "is a directory; name a file to write (for example DIR/out.json)".into(),
                    ));
                }
                if ft.is_file() {
                    // The file the shell opened for our stdout or stderr:
                    // written through the open descriptor (see module docs).
                    if id == stdio_id(1).0 {
                        return Ok(out(Dest::Stdout, id, false));
                    }
                    if id == stdio_id(2).0 {
                        return Ok(out(Dest::Stderr, id, false));
                    }
                    // (Without `force` this is refused, by `resolve` or
                    // by `open_outputs` after its more telling checks.)
                    let target = follow_links(path).map_err(|e| Error::io(path, e))?;
                    let dest = Dest::File {
                        target,
                        replace: force,
                        temp: None,
                    };
                    let mut o = out(dest, id, false);
                    o.exists = true;
                    return Ok(o);
                }
                let shareable = special(&ft).map_err(|why| refuse(why.into()))?;
                // Our own stdout's pipe or FIFO (`/dev/stdout`, `/dev/fd/1`)
                // is standard output, so the summary moves to stderr and a
                // second output there is refused. A character device (a
                // terminal, /dev/null) may take any number.
                if !shareable && id == stdio_id(1).0 {
                    return Ok(out(Dest::Stdout, id, false));
                }
                Ok(out(Dest::Direct(path.to_owned()), id, shareable))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // Nothing there yet, or a link to nothing: the file is
                // created at the end of the links, so the link stays.
                let target = follow_links(path).map_err(|e| Error::io(path, e))?;
                let (dir, name) = split(path, &target)?;
                check_dir(path, &dir)?;
                let id = std::fs::canonicalize(&dir)
                    .ok()
                    .map(|d| FileId::Name(d.join(name)));
                let dest = Dest::File {
                    target,
                    replace: force,
                    temp: None,
                };
                Ok(out(dest, id, false))
            }
            Err(e) => {
                // Most often a part of the directory is not a directory:
                // name the directory rather than give the OS's word alone.
                let (dir, _) = split(path, path)?;
                check_dir(path, &dir)?;
                Err(Error::io(path, e))
            }
        }
    }

    /// The path as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this output goes to standard output (so the human summary
    /// must not).
    pub fn is_stdout(&self) -> bool {
        matches!(self.dest, Dest::Stdout)
    }

    /// Temporary files of killed runs that [`Output::prepare`] removed.
    pub fn removed_stale(&self) -> &[PathBuf] {
        &self.stale
    }

    /// For a regular file: creates the temporary file now, so that a
    /// directory that cannot be written is found before any work is done,
    /// and removes stale temporary files of killed runs for this output.
    /// Does nothing for other outputs, or when done already.
    ///
    /// Fails with the directory and the OS error when the file cannot be
    /// created.
    pub fn prepare(&mut self) -> Result<(), Error> {
        let Dest::File { target, temp, .. } = &mut self.dest else {
            return Ok(());
        };
        if temp.is_some() {
            return Ok(());
        }
        let (dir, name) = split(&self.path, target)?;
        let t = create_temp(&dir, &name).map_err(|e| {
            // tempfile appends ` at path "DIR/.NAME.wiretrace-…"`: the
            // random name tells a person nothing; the directory is named.
            let e = e.to_string();
            let os = e.split(" at path \"").next().unwrap_or(&e);
            Error::Input {
                path: self.path.clone(),
                why: format!(
                    "cannot create a file in the directory {}: {os}; choose a directory you can write to",
                    dir.display()
                ),
            }
        })?;
        self.stale = remove_stale(&dir, &name, &t);
        *temp = Some(t);
        Ok(())
    }

    /// Writes the output with `fill`: a regular file atomically (flushed,
    /// synced, then renamed onto the target; with no-replace semantics
    /// unless `force` was given), a device or FIFO directly, standard output
    /// as a stream (a closed pipe ends it cleanly).
    ///
    /// Fails with the path and the OS error (or `fill`'s error); a regular
    /// target then keeps its old contents (or stays absent) and the
    /// temporary file is removed. Fails too when another program created the
    /// file since [`Output::resolve`] and `force` was not given: that file
    /// is left as it is.
    pub fn write(
        mut self,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        self.prepare()?;
        STARTED.store(true, std::sync::atomic::Ordering::SeqCst);
        match &mut self.dest {
            Dest::Stdout => stream(std::io::stdout().lock(), STDOUT_NAME, fill),
            Dest::Stderr => stream(std::io::stderr().lock(), "<stderr>", fill),
            Dest::Direct(p) => {
                // No create, no truncate: the device or FIFO must still be
                // one (if it was replaced by a regular file meanwhile,
                // writing into it unannounced would be clobbering).
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&*p)
                    .map_err(|e| Error::io(&*p, e))?;
                if file.metadata().is_ok_and(|m| m.is_file()) {
                    return Err(Error::Input {
                        path: self.path.clone(),
                        why: "was replaced by a regular file while wiretrace ran; \
                              nothing was written; run again"
                            .into(),
                    });
                }
                let mut w = BufWriter::with_capacity(1 << 16, file);
                fill(&mut w)
                    .and_then(|_| w.flush())
                    .map_err(|e| Error::io(&*p, e))
            }
            Dest::File {
                target,
                replace,
                temp,
            } => {
                let Some(mut t) = temp.take() else {
                    return Err(Error::io(
                        &self.path,
                        std::io::Error::other("no temporary file"),
                    ));
                };
                let tmp_path = t.path().to_owned();
                let written = (|| {
                    let mut w = BufWriter::with_capacity(1 << 16, t.as_file_mut());
                    fill(&mut w)?;
                    w.into_inner().map_err(|e| e.into_error())?.sync_all()
                })();
                let result = match written {
                    Err(e) => Err(Error::io(&self.path, e)),
                    Ok(()) => {
                        let persisted = if *replace {
                            t.persist(&*target).map(drop)
                        } else {
                            t.persist_noclobber(&*target).map(drop)
                        };
                        persisted.map_err(|e| {
                            if !*replace && e.error.kind() == std::io::ErrorKind::AlreadyExists {
                                Error::Input {
                                    path: self.path.clone(),
                                    why: RACED.into(),
                                }
                            } else {
                                Error::io(&self.path, e.error)
                            }
                        })
                    }
                };
                unregister(&tmp_path);
                result
            }
        }
    }
}

impl Drop for Output {
    /// An output never written (the run failed first): its temporary file
    /// is removed by `NamedTempFile`; here it leaves the list of pending ones.
    fn drop(&mut self) {
        if let Dest::File { temp: Some(t), .. } = &self.dest {
            unregister(t.path());
        }
    }
}

const EXISTS: &str = "output already exists; pass --force to overwrite it, or choose another path";

const RACED: &str = "another program created this file while wiretrace was running; it was \
                     left as it is and nothing was written to it; choose another path, or pass \
                     --force to overwrite it";

/// Checks every output path, then creates their temporary files, before
/// any input is read: fails (naming the path and what to do) when an output
/// cannot be written (see [`Output::resolve`] and [`Output::prepare`]), when
/// more than one output is `-`, when two outputs are one file, or when an
/// output is one of `inputs` (`-` there is standard input). Files are
/// compared as files: device and inode after following links, or for files
/// not there yet their canonical directory and name; so `./a.json` and
/// `a.json`, a link and its target, and two hard links are each one file.
/// Character devices (`/dev/null`, a terminal) may be shared.
///
/// On failure nothing is left behind: temporary files already made are
/// removed.
pub fn open_outputs(
    outputs: &[&Path],
    inputs: &[&Path],
    force: bool,
) -> Result<Vec<Output>, Error> {
    let mut outs = outputs
        .iter()
        .map(|p| Output::resolve_any(p, force))
        .collect::<Result<Vec<_>, _>>()?;
    // Two streams into one standard output would interleave into neither
    // format.
    let to_stdout: Vec<&Output> = outs.iter().filter(|o| o.is_stdout()).collect();
    if let [_, second, ..] = to_stdout[..] {
        return Err(Error::Input {
            path: second.path.clone(),
            why: "a second output to standard output; only one output can go there, \
                  write the others to files"
                .into(),
        });
    }
    for (i, x) in outs.iter().enumerate() {
        let Some(id) = x.id.as_ref().filter(|_| !x.shareable) else {
            continue;
        };
        if let Some(y) = outs[..i].iter().find(|y| y.id.as_ref() == Some(id)) {
            // The later write would replace (or interleave with) the earlier.
            return Err(Error::Input {
                path: x.path.clone(),
                why: format!(
                    "named as two outputs (it is the same file as {}); give each output its own path",
                    y.path.display()
                ),
            });
        }
        for input in inputs {
            if input_id(input).as_ref() == Some(id) {
                // The input would be replaced by the output it produced,
                // and read again so on the next run.
                return Err(Error::Input {
                    path: x.path.clone(),
                    why: format!(
                        "output file is also an input (the same file as {}); choose another output path",
                        shown(input)
                    ),
                });
            }
        }
    }
    for o in &outs {
        o.refuse_existing(force)?;
    }
    for o in &mut outs {
        o.prepare()?;
    }
    Ok(outs)
}

/// Writes `path` atomically with `fill`, replacing it if it exists (as
/// `--force`): [`Output::resolve`] then [`Output::write`].
///
/// Whatever happens, `path` holds either its old contents or the complete
/// new ones; on failure (with the path and the OS error, or `fill`'s error)
/// the temporary file is removed, and while the write is in progress it is
/// listed for [`remove_pending`].
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    Output::resolve(path, true)?.write(fill)
}

fn shown(input: &Path) -> String {
    if input.as_os_str() == "-" {
        "<stdin>".into()
    } else {
        input.display().to_string()
    }
}

/// Writes a stream; a closed pipe (`| head`) is a reader that has seen
/// enough, so it ends the output cleanly.
fn stream(
    w: impl Write,
    name: &str,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut w = BufWriter::with_capacity(1 << 16, w);
    match fill(&mut w).and_then(|_| w.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io(name, e)),
        _ => Ok(()),
    }
}

/// `path` with every symbolic link of its last component followed (links
/// in the directories above are left to the OS): the file a write through
/// the link lands in, there or not.
fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_owned();
    // Linux's own limit (MAXSYMLINKS) on links followed in one lookup.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other(
        "too many levels of symbolic links (a loop?)",
    ))
}

/// The directory and file name of `target` (for messages: `path`).
fn split(path: &Path, target: &Path) -> Result<(PathBuf, String), Error> {
    let name = target.file_name().ok_or_else(|| Error::Input {
        path: path.to_owned(),
        why: "does not end in a file name; name a file to write".into(),
    })?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name.to_string_lossy().into_owned()))
}

/// The output's directory must exist and be one; checked before any input
/// is read, so a typo costs no scan and no other output is written.
fn check_dir(path: &Path, dir: &Path) -> Result<(), Error> {
    let why = match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => format!(
            "{} is not a directory; choose an output path in an existing directory",
            dir.display()
        ),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            format!(
                "the output directory {} does not exist; create it first (mkdir -p {}) or choose another path",
                dir.display(),
                dir.display()
            )
        }
        Err(e) => format!("cannot reach the output directory {}: {e}", dir.display()),
    };
    Err(Error::Input {
        path: path.to_owned(),
        why,
    })
}

/// For a file that is neither a directory nor a regular file: whether it
/// is a character device (which outputs and inputs may share); fails with
/// what to do for kinds that cannot take an output.
#[cfg(unix)]
fn special(ft: &std::fs::FileType) -> Result<bool, &'static str> {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_block_device() {
        return Err(
            "is a block device (a disk); wiretrace writes only to files, \
                    character devices and FIFOs; choose a file",
        );
    }
    if ft.is_socket() {
        return Err(
            "is a socket, which cannot be opened for writing; choose a file, \
                    a FIFO or - for standard output",
        );
    }
    Ok(ft.is_char_device())
}

#[cfg(not(unix))]
fn special(_: &std::fs::FileType) -> Result<bool, &'static str> {
    Ok(false)
}

#[cfg(unix)]
fn inode_id(m: &std::fs::Metadata, _: &Path) -> FileId {
    use std::os::unix::fs::MetadataExt;
    FileId::Inode(m.dev(), m.ino())
}

#[cfg(not(unix))]
fn inode_id(_: &std::fs::Metadata, path: &Path) -> FileId {
    FileId::Name(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()))
}

/// The file behind standard input (0), output (1) or error (2), and whether
/// it is a character device; `None` when the descriptor is closed.
#[cfg(unix)]
fn stdio_id(fd: u8) -> (Option<FileId>, bool) {
    use std::os::fd::AsFd;
    let owned = match fd {
        0 => std::io::stdin().as_fd().try_clone_to_owned(),
        1 => std::io::stdout().as_fd().try_clone_to_owned(),
        _ => std::io::stderr().as_fd().try_clone_to_owned(),
    };
    let Ok(m) = owned.and_then(|fd| std::fs::File::from(fd).metadata()) else {
        return (None, false);
    };
    use std::os::unix::fs::FileTypeExt;
    (
        Some(inode_id(&m, Path::new("-"))),
        m.file_type().is_char_device(),
    )
}

#[cfg(not(unix))]
fn stdio_id(_: u8) -> (Option<FileId>, bool) {
    (None, false)
}

/// What an input path is on disk (see [`open_outputs`]); `-` is standard
/// input.
fn input_id(path: &Path) -> Option<FileId> {
    if path.as_os_str() == "-" {
        return stdio_id(0).0;
    }
    match std::fs::metadata(path) {
        Ok(m) => Some(inode_id(&m, path)),
        Err(_) => {
            let target = follow_links(path).ok()?;
            let (dir, name) = split(path, &target).ok()?;
            Some(FileId::Name(std::fs::canonicalize(dir).ok()?.join(name)))
        }
    }
}

/// Temporary files being written now, for [`remove_pending`].
struct Pending {
    temps: Vec<PathBuf>,
    /// Set by [`remove_pending`]: the process is ending, so no new
    /// temporary file may be made (it would outlive the cleanup).
    closed: bool,
}

static PENDING: std::sync::Mutex<Pending> = std::sync::Mutex::new(Pending {
    temps: Vec::new(),
    closed: false,
});

fn pending() -> std::sync::MutexGuard<'static, Pending> {
    // A panic while holding the lock leaves a list that is still valid.
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

fn unregister(tmp: &Path) {
    pending().temps.retain(|p| p != tmp);
}

/// Removes the temporary files of writes still in progress, and returns how
/// many it removed; no temporary file is made after it. For a signal
/// handler (Ctrl-C, SIGTERM, SIGQUIT) that is about to end the process: the
/// targets keep their old contents (or stay absent).
pub fn remove_pending() -> usize {
    let mut p = pending();
    p.closed = true;
    let n = p.temps.len();
    for tmp in p.temps.drain(..) {
        let _ = std::fs::remove_file(tmp);
    }
    n
}

/// The name part of temporary files: a file name near the 255-byte limit
/// must still leave room for the rest of the temporary name.
fn stem(name: &str) -> &str {
    let mut end = name.len().min(200);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// `.NAME.wiretrace-` before the PID.
fn temp_prefix(name: &str) -> String {
    format!(".{}.wiretrace-", stem(name))
}

/// Creates `.NAME.wiretrace-PID-RANDOM.tmp` in `dir`, exclusively, and lists
/// it as pending. The lock is held while it is made, so a signal handler
/// sees it listed or finds it never made.
fn create_temp(dir: &Path, name: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut p = pending();
    if p.closed {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "interrupted",
        ));
    }
    let prefix = format!("{}{}-", temp_prefix(name), std::process::id());
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".tmp").rand_bytes(8);
    // The finished output gets the usual mode (0666 less the umask), as a
    // plain `File::create` would give, not tempfile's private 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let t = b.tempfile_in(dir)?;
    p.temps.push(t.path().to_owned());
    Ok(t)
}

/// Whether any output has begun to be written in this process.
static STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether any [`Output::write`] has begun in this process: the SIGBUS guard
/// over mapped inputs (`ingest/mapped.rs`) says "no output was written" only
/// while none has. An atomic load, safe in a signal handler.
pub(crate) fn any_output_started() -> bool {
    STARTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// The PID of a temporary name of this output, as this version makes them
/// (`.NAME.wiretrace-PID-RANDOM.tmp`) or as versions before issue 15 did
/// (`.NAME.wiretrace-PID.tmp`); `None` for any other name.
fn stale_pid(file: &str, prefix: &str) -> Option<u32> {
    let rest = file.strip_prefix(prefix)?.strip_suffix(".tmp")?;
    let (pid, random) = match rest.split_once('-') {
        Some((pid, r)) => (pid, Some(r)),
        None => (rest, None),
    };
    if random.is_some_and(|r| r.is_empty() || !r.bytes().all(|b| b.is_ascii_alphanumeric())) {
        return None;
    }
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // 0 and values past i32::MAX are no process: kill(0) and kill(-n)
    // would address process groups instead.
    pid.parse::<u32>()
        .ok()
        .filter(|&p| (1..=i32::MAX as u32).contains(&p))
}

/// Removes this output's temporary files left by processes that no longer
/// run (killed with SIGKILL, or a machine that went down), and returns them.
/// Only regular files owned by the owner of `mine` (this process's user)
/// are removed: a symbolic link named like one (planted, perhaps, to point
/// at a file worth deleting) is never followed or removed, nor is another
/// user's file. A process that still runs keeps its file, whoever it is.
///
/// PIDs are local: on a directory shared between machines (NFS) a file of
/// a live process elsewhere looks stale; removing it makes that run fail
/// with an error, never lose or corrupt an output.
#[cfg(unix)]
fn remove_stale(dir: &Path, name: &str, mine: &tempfile::NamedTempFile) -> Vec<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let Ok(uid) = mine.as_file().metadata().map(|m| m.uid()) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let prefix = temp_prefix(name);
    let me = std::process::id();
    let mut removed = Vec::new();
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(pid) = file.to_str().and_then(|f| stale_pid(f, &prefix)) else {
            continue;
        };
        if pid == me || running(pid) {
            continue;
        }
        let path = e.path();
        let ours = std::fs::symlink_metadata(&path)
            .is_ok_and(|m| m.file_type().is_file() && m.uid() == uid);
        // (unlink never follows a link, so even a file swapped for a link
        // after this check is only unlinked, its target untouched.)
        if ours && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

#[cfg(not(unix))]
fn remove_stale(_: &Path, _: &str, _: &tempfile::NamedTempFile) -> Vec<PathBuf> {
    Vec::new()
}

/// Whether process `pid` exists: `kill(pid, 0)` fails with ESRCH only
/// when it does not (EPERM: it runs, as another user).
#[cfg(unix)]
fn running(pid: u32) -> bool {
    use nix::{errno::Errno, sys::signal::kill, unistd::Pid};
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    !matches!(kill(Pid::from_raw(raw), None), Err(Errno::ESRCH))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mine(dir: &Path) -> Vec<PathBuf> {
        pending()
            .temps
            .iter()
            .filter(|p| p.starts_with(dir))
            .cloned()
            .collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn write_atomic_leaves_no_temp_file_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, "old").unwrap();
        let err = write_atomic(&target, |w| {
            w.write_all(b"half of it")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("out.json"), "{err}");
        assert!(err.to_string().contains("disk full"), "{err}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(names(dir.path()), ["out.json"], "only the target remains");
        // Only this test's entries: tests beside it write atomically too,
        // and the list is shared (a whole-list check failed in CI when
        // another test's write was in flight).
        assert!(mine(dir.path()).is_empty());
    }

    #[test]
    fn write_atomic_replaces_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, "old contents, longer").unwrap();
        write_atomic(&target, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(names(dir.path()), ["out.json"]);
    }

    #[test]
    fn a_write_in_progress_is_listed_for_the_interrupt_handler() {
        // (remove_pending itself is not called here: it would remove the
        // temporary files of tests running beside this one.)
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r.html");
        write_atomic(&target, |w| {
            w.write_all(b"<html>")?;
            w.flush()?;
            let listed = mine(dir.path());
            assert_eq!(listed.len(), 1);
            assert!(listed[0].exists(), "the temporary file is the one listed");
            let name = listed[0].file_name().unwrap().to_str().unwrap();
            let pid = stale_pid(name, &temp_prefix("r.html"));
            assert_eq!(pid, Some(std::process::id()), "{name}");
            Ok(())
        })
        .unwrap();
        assert!(mine(dir.path()).is_empty());
    }

    #[test]
    fn an_output_never_written_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Output::resolve(&dir.path().join("a.json"), false).unwrap();
        out.prepare().unwrap();
        assert_eq!(names(dir.path()).len(), 1, "the temporary file");
        drop(out);
        assert!(names(dir.path()).is_empty());
        assert!(mine(dir.path()).is_empty());
    }

    #[test]
    fn temporary_names_are_told_apart() {
        let p = temp_prefix("r.html");
        assert_eq!(p, ".r.html.wiretrace-");
        assert_eq!(stale_pid(".r.html.wiretrace-123-aZ09xy.tmp", &p), Some(123));
        assert_eq!(stale_pid(".r.html.wiretrace-123.tmp", &p), Some(123));
        for other in [
            ".r.html.wiretrace-123-.tmp",
            ".r.html.wiretrace--abc.tmp",
            ".r.html.wiretrace-0-abc.tmp",
            ".r.html.wiretrace-4294967296-abc.tmp",
            ".r.html.wiretrace-3000000000-abc.tmp",
            ".r.html.wiretrace-12a-abc.tmp",
            ".r.html.wiretrace-12-a.b.tmp",
            ".r.html.wiretrace-12-abc",
            ".r.htm.wiretrace-12-abc.tmp",
            "r.html.wiretrace-12-abc.tmp",
        ] {
            assert_eq!(stale_pid(other, &p), None, "{other}");
        }
        let long = "x".repeat(300);
        assert_eq!(stem(&long).len(), 200);
        assert_eq!(stem("é".repeat(150).as_str()).len(), 200);
    }

    #[cfg(unix)]
    #[test]
    fn stale_temporary_files_of_dead_processes_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let me = std::process::id();
        // i32::MAX is no PID (Linux's limit is 2^22).
        let dead = [
            ".a.json.wiretrace-2147483647-AbC123.tmp",
            ".a.json.wiretrace-2147483646.tmp",
        ];
        let kept = [
            format!(".a.json.wiretrace-{me}-live12.tmp"),
            ".b.json.wiretrace-2147483647-AbC123.tmp".to_string(),
            ".a.json.wiretrace-2147483647-notours.part".to_string(),
        ];
        for n in dead.iter().copied().chain(kept.iter().map(|s| s.as_str())) {
            std::fs::write(d.join(n), "partial").unwrap();
        }
        let victim = d.join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let link = ".a.json.wiretrace-2147483645-link00.tmp";
        std::os::unix::fs::symlink(&victim, d.join(link)).unwrap();
        std::fs::create_dir(d.join(".a.json.wiretrace-2147483644-dir000.tmp")).unwrap();

        let mut out = Output::resolve(&d.join("a.json"), false).unwrap();
        out.prepare().unwrap();
        let mut removed: Vec<String> = out
            .removed_stale()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        removed.sort();
        let mut want: Vec<String> = dead.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(removed, want);
        let left = names(d);
        for n in &dead {
            assert!(!left.contains(&n.to_string()), "{n}");
        }
        for n in &kept {
            assert!(left.contains(n), "{n} kept");
        }
        assert!(d.join(link).symlink_metadata().unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(d.join(".a.json.wiretrace-2147483644-dir000.tmp").is_dir());
    }

    #[test]
    fn no_clobber_keeps_a_file_made_after_the_check() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        let out = Output::resolve(&target, false).unwrap();
        std::fs::write(&target, "theirs").unwrap();
        let err = out.write(|w| w.write_all(b"ours")).unwrap_err();
        assert!(
            err.to_string()
                .contains("another program created this file"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs");
        assert_eq!(names(dir.path()), ["a.json"]);
        // With --force the later writer wins, whole.
        let out = Output::resolve(&target, true).unwrap();
        out.write(|w| w.write_all(b"ours")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "ours");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("real")).unwrap();
        std::fs::write(d.join("real/r.json"), "old").unwrap();
        std::os::unix::fs::symlink("real/r.json", d.join("link.json")).unwrap();
        write_atomic(&d.join("link.json"), |w| w.write_all(b"new")).unwrap();
        assert!(d.join("link.json").symlink_metadata().unwrap().is_symlink());
        assert_eq!(
            std::fs::read_to_string(d.join("real/r.json")).unwrap(),
            "new"
        );
        assert_eq!(names(&d.join("real")), ["r.json"]);
        // A link to nothing: the file is made where it points.
        std::os::unix::fs::symlink("real/new.json", d.join("dangling.json")).unwrap();
        write_atomic(&d.join("dangling.json"), |w| w.write_all(b"made")).unwrap();
        assert_eq!(
            std::fs::read_to_string(d.join("real/new.json")).unwrap(),
            "made"
        );
        assert!(d
            .join("dangling.json")
            .symlink_metadata()
            .unwrap()
            .is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn a_character_device_is_written_directly() {
        use std::os::unix::fs::FileTypeExt;
        let out = Output::resolve(Path::new("/dev/null"), false).unwrap();
        assert!(matches!(out.dest, Dest::Direct(_)));
        out.write(|w| w.write_all(b"gone")).unwrap();
        assert!(Path::new("/dev/null")
            .metadata()
            .unwrap()
            .file_type()
            .is_char_device());
    }

    #[test]
    fn directories_and_missing_directories_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let err = Output::resolve(dir.path(), true).unwrap_err().to_string();
        assert!(err.contains("is a directory"), "{err}");
        let p = dir.path().join("nope/a.json");
        let err = Output::resolve(&p, true).unwrap_err().to_string();
        assert!(
            err.contains("the output directory") && err.contains("nope does not exist"),
            "{err}"
        );
        std::fs::write(dir.path().join("file"), "").unwrap();
        let err = Output::resolve(&dir.path().join("file/a.json"), true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("file is not a directory"), "{err}");
    }
}
