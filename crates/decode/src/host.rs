//! The host services a plugin calls back into, built over [`TraceeAccess`], which the
//! CLI implements over the engine (so this crate never depends on the engine).

use std::ffi::c_void;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use abi_stable::std_types::RStr;
use rtrace_plugin_api::AbiFacts;
use rtrace_plugin_api::{CStrRead, CallContext, DecodeOptions, HostServices};

/// What the decoders may ask about a tracee.
pub trait TraceeAccess {
    /// Reads up to `buf.len()` bytes at `addr` of process `pid`; returns how many were
    /// read (fewer when an unmapped page follows), or an error when none could be.
    fn read_memory(&self, pid: i32, addr: u64, buf: &mut [u8]) -> io::Result<usize>;

    /// The path `/proc/PID/fd/FD` points to, if that fd is open.
    fn fd_path(&self, pid: i32, fd: i32) -> Option<PathBuf>;
}

/// One tracee thread as the services see it: who to read from and its word layout.
///
/// Its [`services`](Self::services) point back at it: a binding must outlive every
/// decode call made with a `CallContext` holding those services. Bind right before
/// decoding (`ctx.host = binding.services()`); it costs nothing.
pub struct HostBinding<'t, T: TraceeAccess + ?Sized> {
    pub tracee: &'t T,
    pub pid: i32,
    pub word_size: u8,
    pub big_endian: bool,
}

impl<'t, T: TraceeAccess + ?Sized> HostBinding<'t, T> {
    pub fn new(tracee: &'t T, pid: i32, word_size: u8, big_endian: bool) -> Self {
        HostBinding {
            tracee,
            pid,
            word_size,
            big_endian,
        }
    }

    pub fn services(&self) -> HostServices {
        HostServices {
            handle: self as *const Self as *const c_void,
            read_memory: read_memory::<T>,
            read_cstring: read_cstring::<T>,
            read_word: read_word::<T>,
            fd_path: fd_path::<T>,
        }
    }

    /// A fresh context for one syscall of this thread, bound to these services.
    pub fn call_context<'a>(
        &self,
        name: &'a str,
        number: u64,
        args: [u64; 6],
        options: DecodeOptions,
    ) -> CallContext<'a> {
        CallContext {
            name: RStr::from_str(name),
            number,
            audit_arch: 0,
            word_size: self.word_size,
            big_endian: self.big_endian,
            pid: self.pid,
            args,
            retval: 0,
            is_error: false,
            options,
            scratch: [0; 4],
            host: self.services(),
            stack_pointer: 0,
            abi: AbiFacts::default(),
        }
    }
}

/// # Safety
/// `handle` is the `HostBinding<T>` whose `services()` produced this function pointer.
unsafe fn binding<'h, T: TraceeAccess + ?Sized>(handle: *const c_void) -> &'h HostBinding<'h, T> {
    unsafe { &*(handle as *const HostBinding<'h, T>) }
}

/// A `TraceeAccess` that panics must not unwind into the plugin's frames.
fn guarded<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

extern "C" fn read_memory<T: TraceeAccess + ?Sized>(
    handle: *const c_void,
    addr: u64,
    buf: *mut u8,
    len: usize,
) -> isize {
    guarded(-1, || {
        // SAFETY: the plugin passes a buffer of `len` bytes; `handle` is our binding.
        let (b, buf) = unsafe {
            (
                binding::<T>(handle),
                std::slice::from_raw_parts_mut(buf, len),
            )
        };
        match b.tracee.read_memory(b.pid, addr, buf) {
            Ok(n) => n.min(len) as isize,
            Err(_) => -1,
        }
    })
}

/// Reads page by page until the NUL, so a string near the end of a mapping is still
/// read, and no more is read than needed.
extern "C" fn read_cstring<T: TraceeAccess + ?Sized>(
    handle: *const c_void,
    addr: u64,
    buf: *mut u8,
    max: usize,
    out_len: *mut usize,
) -> CStrRead {
    const PAGE: u64 = 4096;
    guarded(CStrRead::Unreadable, || {
        // SAFETY: as in read_memory; `out_len` points to the plugin's usize.
        let (b, buf) = unsafe {
            (
                binding::<T>(handle),
                std::slice::from_raw_parts_mut(buf, max),
            )
        };
        let mut done = 0usize;
        let status = loop {
            if done == max {
                break CStrRead::Truncated;
            }
            let at = addr.wrapping_add(done as u64);
            let to_page_end = (PAGE - at % PAGE) as usize;
            let want = to_page_end.min(max - done);
            let got = match b.tracee.read_memory(b.pid, at, &mut buf[done..done + want]) {
                Ok(n) if n > 0 => n.min(want),
                _ if done == 0 => break CStrRead::Unreadable,
                // The string runs into unreadable memory: show what was read.
                _ => break CStrRead::Truncated,
            };
            if let Some(nul) = buf[done..done + got].iter().position(|&c| c == 0) {
                done += nul;
                break CStrRead::Complete;
            }
            done += got;
        };
        unsafe { *out_len = done };
        status
    })
}

extern "C" fn read_word<T: TraceeAccess + ?Sized>(
    handle: *const c_void,
    addr: u64,
    out: *mut u64,
) -> bool {
    guarded(false, || {
        // SAFETY: `handle` is our binding; `out` points to the plugin's u64.
        let b = unsafe { binding::<T>(handle) };
        let width = usize::from(b.word_size.clamp(1, 8));
        let mut bytes = [0u8; 8];
        match b.tracee.read_memory(b.pid, addr, &mut bytes[..width]) {
            Ok(n) if n == width => {
                let mut value = 0u64;
                for (i, &byte) in bytes[..width].iter().enumerate() {
                    let shift = if b.big_endian {
                        (width - 1 - i) * 8
                    } else {
                        i * 8
                    };
                    value |= u64::from(byte) << shift;
                }
                unsafe { *out = value };
                true
            }
            _ => false,
        }
    })
}

extern "C" fn fd_path<T: TraceeAccess + ?Sized>(
    handle: *const c_void,
    fd: i32,
    buf: *mut u8,
    cap: usize,
) -> isize {
    guarded(-1, || {
        // SAFETY: as in read_memory.
        let (b, buf) = unsafe {
            (
                binding::<T>(handle),
                std::slice::from_raw_parts_mut(buf, cap),
            )
        };
        match b.tracee.fd_path(b.pid, fd) {
            Some(path) => {
                let bytes = path.as_os_str().as_bytes();
                let n = bytes.len().min(cap);
                buf[..n].copy_from_slice(&bytes[..n]);
                bytes.len() as isize
            }
            None => -1,
        }
    })
}
