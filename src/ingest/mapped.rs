//! Large input files -> read-only maps, and the SIGBUS guard over them.
//!
//! A regular file of at least [`BLOCK`](super::BLOCK) bytes is mapped and
//! read from the map for the life of its [`Inputs`](super::Inputs): no copy
//! of the corpus is made, and a report that needs a text again slices it
//! from the map instead of opening and reading the file. Maps have two
//! hazards (issue 15), each handled here:
//!
//! - **Their number.** Every map is one of the process's
//!   `vm.max_map_count` areas (65,530 by default), which the allocator,
//!   thread stacks and shared libraries use too; a map per input file ran
//!   out at about 65,500 files and aborted the scan. At most [`MAX_MAPS`]
//!   files are mapped at once in a process; smaller files are read whole
//!   (`files.rs`) and files past the bound are read in blocks, so the count
//!   of input files has no limit. The file is closed once mapped (a map
//!   needs no descriptor), so `ulimit -n` is no limit either.
//! - **SIGBUS.** A mapped file that another process truncates faults at the
//!   first page past its new end, and the default action of SIGBUS kills
//!   the process without a word. Before the first map, a handler is
//!   installed that finds the fault address in a table of the mapped
//!   ranges, says which file and byte on stderr, and exits with status 2.
//!   Outputs are written to temporary files renamed when complete, so none
//!   is left half-written; the temporary files of the dead process are
//!   removed by the next run writing the same output (`report::write`).
//!   A fault outside every input map is not ours: the default action is
//!   restored and the signal raised again, as if no handler were there.
//!
//! Maps are made only on Linux, where the guard is built and tested; other
//! systems read every file (in blocks), which is always safe.

use std::fs::File;
use std::path::Path;

/// The most input files mapped at once in a process. `vm.max_map_count`
/// defaults to 65,530 areas per process, and the allocator (each arena, each
/// large allocation), thread stacks and guard pages, and shared libraries
/// need areas too; a quarter of the default leaves them ample room. Files
/// of at least 1 MiB are mapped, so 16,384 maps already cover 16 GiB of
/// input: beyond that, reading in blocks costs a copy, not a failure.
pub const MAX_MAPS: usize = 16_384;

/// A read-only map of an input file's first `len` bytes, known to the SIGBUS
/// guard until dropped.
pub(super) struct Mapped {
    #[cfg(target_os = "linux")]
    map: memmap2::Mmap,
    /// Index in the guard's table.
    #[cfg(target_os = "linux")]
    slot: usize,
    /// The start of the message the guard writes for this file (the table
    /// points into it; a box's contents do not move with the box).
    #[cfg(target_os = "linux")]
    _message: Box<[u8]>,
}

impl Mapped {
    /// Maps the first `len` bytes of `file` (opened from `path`), or `None`
    /// when it should be read instead: not Linux, [`MAX_MAPS`] maps live
    /// already, the guard could not be installed, or the map failed. A map
    /// is a choice for speed, never a requirement.
    #[cfg_attr(not(target_os = "linux"), allow(unused_variables))]
    pub(super) fn new(file: &File, len: u64, path: &Path) -> Option<Mapped> {
        #[cfg(target_os = "linux")]
        {
            guard::map(file, len, path)
        }
        #[cfg(not(target_os = "linux"))]
        {
            None
        }
    }

    /// The mapped bytes.
    pub(super) fn bytes(&self) -> &[u8] {
        #[cfg(target_os = "linux")]
        {
            &self.map
        }
        #[cfg(not(target_os = "linux"))]
        {
            &[]
        }
    }
}

#[cfg(target_os = "linux")]
impl Drop for Mapped {
    /// Takes the range out of the guard's table before the map (a field,
    /// dropped after this) is unmapped, so the table never names an address
    /// that another map may reuse.
    fn drop(&mut self) {
        guard::release(self.slot);
    }
}

/// The maps' table and the SIGBUS handler that reads it.
///
/// The handler may run on any thread at any instruction, so it reads only
/// atomics in a static table (no lock, no allocation) and calls only
/// async-signal-safe functions (`write`, `_exit`, `sigaction`, `raise`).
/// Writers take a mutex, which the handler never touches, to pick a slot.
#[cfg(target_os = "linux")]
mod guard {
    use super::{Mapped, MAX_MAPS};
    use std::fs::File;
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering::SeqCst};
    use std::sync::{Mutex, OnceLock};

    /// One mapped range and its message, or free (`start == 0`).
    struct Slot {
        start: AtomicUsize,
        len: AtomicUsize,
        message: AtomicPtr<u8>,
        message_len: AtomicUsize,
    }

    #[allow(clippy::declare_interior_mutable_const)] // each array element is its own slot
    const FREE_SLOT: Slot = Slot {
        start: AtomicUsize::new(0),
        len: AtomicUsize::new(0),
        message: AtomicPtr::new(std::ptr::null_mut()),
        message_len: AtomicUsize::new(0),
    };

    /// 512 KiB of zeroes in `.bss`, touched only as slots are used.
    static SLOTS: [Slot; MAX_MAPS] = [FREE_SLOT; MAX_MAPS];

    /// Slots not in use: those never used (`fresh..`) and those released.
    struct Free {
        fresh: usize,
        released: Vec<usize>,
    }

    static FREE: Mutex<Free> = Mutex::new(Free {
        fresh: 0,
        released: Vec::new(),
    });

    /// Whether the handler is installed (tried once, before the first map).
    static INSTALLED: OnceLock<bool> = OnceLock::new();

    pub(super) fn map(file: &File, len: u64, path: &Path) -> Option<Mapped> {
        if !*INSTALLED.get_or_init(install) {
            return None;
        }
        let len = usize::try_from(len).ok().filter(|&l| l > 0)?;
        let slot = take_slot()?;
        // SAFETY: the map is read-only and private to this process, but
        // the file is not: another process may change or truncate it
        // while it is mapped. A change makes the bytes read differ from
        // the bytes scanned (a record may fail to parse; never undefined
        // behaviour for code that treats them as untrusted `u8`s, as all
        // of ingest does). A truncation makes a read past the new end
        // fault with SIGBUS, which the handler installed above reports and
        // turns into exit 2 before any code sees the missing bytes.
        let map = unsafe { memmap2::MmapOptions::new().len(len).map(file) };
        let map = match map {
            Ok(m) if m.len() == len => m,
            _ => {
                release(slot);
                return None;
            }
        };
        let message = message_for(path);
        let s = &SLOTS[slot];
        s.message.store(message.as_ptr().cast_mut(), SeqCst);
        s.message_len.store(message.len(), SeqCst);
        s.len.store(len, SeqCst);
        // Last: the handler takes a slot with a start as complete.
        s.start.store(map.as_ptr() as usize, SeqCst);
        Some(Mapped {
            map,
            slot,
            _message: message,
        })
    }

    fn take_slot() -> Option<usize> {
        take(
            &mut FREE.lock().unwrap_or_else(|e| e.into_inner()),
            MAX_MAPS,
        )
    }

    /// A free slot of `free`, of the first `cap`; `None` when all are used
    /// (the file is then read in blocks, not mapped).
    fn take(free: &mut Free, cap: usize) -> Option<usize> {
        if let Some(slot) = free.released.pop() {
            return Some(slot);
        }
        (free.fresh < cap).then(|| {
            free.fresh += 1;
            free.fresh - 1
        })
    }

    /// Frees `slot`: its range is out of the table when this returns.
    pub(super) fn release(slot: usize) {
        SLOTS[slot].start.store(0, SeqCst);
        let mut free = FREE.lock().unwrap_or_else(|e| e.into_inner());
        free.released.push(slot);
    }

    /// The first part of the message for `path`: made now, since the
    /// handler cannot allocate. The path is written as in other messages
    /// (bad bytes escaped), with control characters escaped as the binary
    /// does for everything it prints for a person: a file name could
    /// otherwise send the terminal a control sequence.
    fn message_for(path: &Path) -> Box<[u8]> {
        let mut m = String::from("wiretrace: ");
        for c in crate::error::path_text(path).chars() {
            let bidi = matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi {
                m.extend(c.escape_unicode());
            } else {
                m.push(c);
            }
        }
        m.push_str(" was truncated or changed while it was read (SIGBUS at byte ");
        m.into_bytes().into_boxed_slice()
    }

    /// Installs the handler; false (and no file is mapped) if the system
    /// refuses it.
    fn install() -> bool {
        // SAFETY: `sa` is fully initialised (zeroed, then every field this
        // code relies on set); `on_sigbus` has the three-argument
        // signature SA_SIGINFO requires and does only async-signal-safe
        // work (see the module's comment).
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                on_sigbus;
            sa.sa_sigaction = handler as libc::sighandler_t;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(libc::SIGBUS, &sa, std::ptr::null_mut()) == 0
        }
    }

    extern "C" fn on_sigbus(sig: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
        // SAFETY: with SA_SIGINFO the kernel passes a valid siginfo_t; for
        // SIGBUS `si_addr` is the faulting address.
        let addr = unsafe { (*info).si_addr() } as usize;
        for s in SLOTS.iter() {
            let start = s.start.load(SeqCst);
            if start == 0 || addr < start || addr - start >= s.len.load(SeqCst) {
                continue;
            }
            // The fault is in this live map, so the thread that faulted
            // holds a borrow of it: the map and its message are not
            // dropped until that thread goes on, which it never does.
            let (ptr, len) = (s.message.load(SeqCst), s.message_len.load(SeqCst));
            // SAFETY: `ptr` and `len` describe the boxed message of this
            // slot's `Mapped`, alive as said above.
            write_stderr(unsafe { std::slice::from_raw_parts(ptr, len) });
            let mut digits = [0u8; 20];
            write_stderr(decimal((addr - start) as u64, &mut digits));
            write_stderr(if crate::report::write::any_output_started() {
                b"); outputs finished before it are complete, one being written was not finished \
                  (a file keeps its old contents). Scan it again once it is complete.\n"
            } else {
                b"); no output was written. Scan it again once it is complete.\n"
            });
            // SAFETY: `_exit` is async-signal-safe and ends the process at
            // once, with no destructors or atexit handlers (which could
            // touch the missing bytes or take locks held by the thread that
            // faulted).
            unsafe { libc::_exit(2) };
        }
        // Not an input: restore the default action (kill, with a core
        // dump) and raise again; SIGBUS is blocked in its handler, so it is
        // delivered as the handler returns, and a hardware fault would
        // recur on the same instruction anyway.
        // SAFETY: both calls are async-signal-safe.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    /// Writes all of `bytes` to standard error with write(2), as far as it
    /// goes: nothing more can be done about a failed write in a handler.
    fn write_stderr(mut bytes: &[u8]) {
        while !bytes.is_empty() {
            // SAFETY: the pointer and length are those of a live slice.
            let n = unsafe { libc::write(2, bytes.as_ptr().cast(), bytes.len()) };
            if n <= 0 {
                return;
            }
            bytes = &bytes[n as usize..];
        }
    }

    /// `n` in decimal, in `buf` (no allocation).
    fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
        let mut i = buf.len();
        loop {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                return &buf[i..];
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// The bound on maps: `cap` slots, then none until one is released.
        #[test]
        fn slots_run_out_at_the_bound_and_come_back() {
            let mut free = Free {
                fresh: 0,
                released: Vec::new(),
            };
            let got: Vec<_> = (0..5).map(|_| take(&mut free, 3)).collect();
            assert_eq!(got, [Some(0), Some(1), Some(2), None, None]);
            free.released.push(1);
            assert_eq!(take(&mut free, 3), Some(1));
            assert_eq!(take(&mut free, 3), None);
        }

        #[test]
        fn decimal_writes_every_width() {
            let mut b = [0u8; 20];
            for n in [0, 7, 10, 4096, 1 << 20, u64::MAX] {
                assert_eq!(decimal(n, &mut b), n.to_string().as_bytes());
            }
        }

        #[test]
        fn messages_escape_control_characters() {
            let m = message_for(Path::new("a\x1b]0;x\x07.jsonl"));
            let m = String::from_utf8(m.into_vec()).unwrap();
            assert!(
                m.starts_with("wiretrace: a\\u{1b}]0;x\\u{7}.jsonl was truncated"),
                "{m}"
            );
        }

        /// A map is in the table while it lives, and out once dropped.
        #[test]
        fn the_table_holds_each_live_map() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("m.jsonl");
            std::fs::write(&path, vec![b'x'; 10_000]).unwrap();
            let f = File::open(&path).unwrap();
            let m = map(&f, 10_000, &path).unwrap();
            drop(f);
            let start = m.bytes().as_ptr() as usize;
            let s = &SLOTS[m.slot];
            assert_eq!((s.start.load(SeqCst), s.len.load(SeqCst)), (start, 10_000));
            assert!(m.bytes().iter().all(|&b| b == b'x'));
            let slot = m.slot;
            drop(m);
            assert_eq!(SLOTS[slot].start.load(SeqCst), 0);
        }
    }
}
