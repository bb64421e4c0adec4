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
use rtrace_target_bytes::word_from_bytes;

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
    /// True when the tracee's pointers are 32 bits though its registers are wider
    /// (x32): an address with any upper bit set is none of its memory, and is not read
    /// (strace shows such an argument as an address).
    pub addresses_32_bit: bool,
}

impl<'t, T: TraceeAccess + ?Sized> HostBinding<'t, T> {
    pub fn new(tracee: &'t T, pid: i32, word_size: u8, big_endian: bool) -> Self {
        HostBinding {
            tracee,
            pid,
            word_size,
            big_endian,
            addresses_32_bit: false,
        }
    }

    /// The same binding, for a tracee whose pointers are `pointer_size` bytes.
    pub fn with_pointer_size(mut self, pointer_size: u8) -> Self {
        self.addresses_32_bit = pointer_size == 4;
        self
    }

    /// Whether `addr` can be one of the tracee's addresses (see `addresses_32_bit`).
    fn addressable(&self, addr: u64) -> bool {
        !self.addresses_32_bit || addr >> 32 == 0
    }

    /// The services over this binding, borrowing it: whatever holds them (a
    /// `CallContext`) cannot outlive it.
    pub fn services(&self) -> HostServices<'_> {
        // SAFETY: each function reads `handle` as a `HostBinding<T>` (this one, alive
        // while the services borrow it) and checks its buffers before using them.
        unsafe {
            HostServices::new(
                self as *const Self as *const c_void,
                read_memory::<T>,
                read_cstring::<T>,
                read_word::<T>,
                fd_path::<T>,
            )
        }
    }

    /// A fresh context for one syscall of this thread, bound to these services; it
    /// borrows the binding, so the compiler refuses a context that outlives it:
    ///
    /// ```compile_fail,E0597
    /// use rtrace_decode::{DecodeOptions, HostBinding};
    /// use rtrace_plugin_testing::FakeTracee;
    /// let tracee = FakeTracee::new();
    /// let ctx = {
    ///     let binding = HostBinding::new(&tracee, 1, 8, false);
    ///     binding.call_context("read", 0, [0; 6], DecodeOptions::default())
    /// };
    /// drop(ctx);
    /// ```
    pub fn call_context<'a>(
        &'a self,
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
            args_at_entry: 0,
        }
    }
}

/// # Safety
/// `handle` is the live `HostBinding<T>` whose `services()` produced this function
/// pointer (HostServices::new's contract, which `services` upholds).
unsafe fn binding<'h, T: TraceeAccess + ?Sized>(handle: *const c_void) -> &'h HostBinding<'h, T> {
    unsafe { &*(handle as *const HostBinding<'h, T>) }
}

/// A `TraceeAccess` that panics must not unwind into the plugin's frames.
fn guarded<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// A slice over a plugin's buffer, or `None` for a null pointer with a length: a zero
/// length gives an empty slice whatever the pointer.
///
/// # Safety
/// When not null, `buf` is valid for writes of `len` bytes for `'b`.
unsafe fn plugin_buffer<'b>(buf: *mut u8, len: usize) -> Option<&'b mut [u8]> {
    if len == 0 {
        return Some(&mut []);
    }
    if buf.is_null() {
        return None;
    }
    // SAFETY: not null, and valid for `len` bytes by the caller's contract.
    Some(unsafe { std::slice::from_raw_parts_mut(buf, len) })
}

/// # Safety
/// The [`rtrace_plugin_api::ReadMemoryFn`] contract.
unsafe extern "C" fn read_memory<T: TraceeAccess + ?Sized>(
    handle: *const c_void,
    addr: u64,
    buf: *mut u8,
    len: usize,
) -> isize {
    guarded(-1, || {
        // SAFETY: `handle` is our binding and `buf` holds `len` bytes (the contract).
        let (b, buf) = unsafe { (binding::<T>(handle), plugin_buffer(buf, len)) };
        let Some(buf) = buf else {
            return -1;
        };
        if !b.addressable(addr) {
            return -1;
        }
        match b.tracee.read_memory(b.pid, addr, buf) {
            Ok(n) => n.min(len) as isize,
            Err(_) => -1,
        }
    })
}

/// Reads page by page until the NUL, so a string near the end of a mapping is still
/// read, and no more is read than needed.
///
/// # Safety
/// The [`rtrace_plugin_api::ReadCStringFn`] contract.
unsafe extern "C" fn read_cstring<T: TraceeAccess + ?Sized>(
    handle: *const c_void,
    addr: u64,
    buf: *mut u8,
    max: usize,
    out_len: *mut usize,
) -> CStrRead {
    const PAGE: u64 = 4096;
    guarded(CStrRead::Unreadable, || {
        if out_len.is_null() {
            return CStrRead::Unreadable;
        }
        // SAFETY: as in read_memory.
        let (b, buf) = unsafe { (binding::<T>(handle), plugin_buffer(buf, max)) };
        let Some(buf) = buf else {
            return CStrRead::Unreadable;
        };
        if !b.addressable(addr) {
            return CStrRead::Unreadable;
        }
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
        // SAFETY: `out_len` is not null and valid for a write (the contract).
        unsafe { *out_len = done };
        status
    })
}

/// # Safety
/// The [`rtrace_plugin_api::ReadWordFn`] contract.
unsafe extern "C" fn read_word<T: TraceeAccess + ?Sized>(
    handle: *const c_void,
    addr: u64,
    out: *mut u64,
) -> bool {
    guarded(false, || {
        if out.is_null() {
            return false;
        }
        // SAFETY: `handle` is our binding (the contract).
        let b = unsafe { binding::<T>(handle) };
        if !b.addressable(addr) {
            return false;
        }
        let width = usize::from(b.word_size.clamp(1, 8));
        let mut bytes = [0u8; 8];
        match b.tracee.read_memory(b.pid, addr, &mut bytes[..width]) {
            Ok(n) if n == width => {
                let value = word_from_bytes(&bytes[..width], b.big_endian);
                // SAFETY: `out` is not null and valid for a write (the contract).
                unsafe { *out = value };
                true
            }
            _ => false,
        }
    })
}

/// # Safety
/// The [`rtrace_plugin_api::FdPathFn`] contract.
unsafe extern "C" fn fd_path<T: TraceeAccess + ?Sized>(
    handle: *const c_void,
    fd: i32,
    buf: *mut u8,
    cap: usize,
) -> isize {
    guarded(-1, || {
        // SAFETY: as in read_memory.
        let (b, buf) = unsafe { (binding::<T>(handle), plugin_buffer(buf, cap)) };
        let Some(buf) = buf else {
            return -1;
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

#[cfg(test)]
mod boundary_tests {
    //! Each rule of the service contracts, driven as a careless plugin would call them.
    use super::*;

    /// A tracee whose only readable bytes are "hello\0" at 0x1000. (Unit tests cannot
    /// use rtrace-plugin-testing's FakeTracee: it implements the `TraceeAccess` of the
    /// non-test build of this crate.)
    struct HelloTracee;

    const HELLO: &[u8] = b"hello\0";

    impl TraceeAccess for HelloTracee {
        fn read_memory(&self, _pid: i32, addr: u64, buf: &mut [u8]) -> io::Result<usize> {
            let from = addr
                .checked_sub(0x1000)
                .filter(|&off| off < HELLO.len() as u64)
                .ok_or_else(|| io::Error::from_raw_os_error(14))? as usize;
            let n = buf.len().min(HELLO.len() - from);
            buf[..n].copy_from_slice(&HELLO[from..from + n]);
            Ok(n)
        }

        fn fd_path(&self, _pid: i32, _fd: i32) -> Option<PathBuf> {
            None
        }
    }

    fn tracee() -> HelloTracee {
        HelloTracee
    }

    #[test]
    fn a_null_buffer_with_a_length_is_refused_not_dereferenced() {
        let mem = tracee();
        let binding = HostBinding::new(&mem, 1, 8, false);
        let handle = &binding as *const HostBinding<'_, HelloTracee> as *const c_void;
        // SAFETY: the handle is a live binding; the null buffers are what is tested.
        unsafe {
            assert_eq!(
                read_memory::<HelloTracee>(handle, 0x1000, std::ptr::null_mut(), 5),
                -1
            );
            assert_eq!(
                fd_path::<HelloTracee>(handle, 0, std::ptr::null_mut(), 16),
                -1
            );
            let mut len = 7usize;
            assert_eq!(
                read_cstring::<HelloTracee>(handle, 0x1000, std::ptr::null_mut(), 8, &mut len),
                CStrRead::Unreadable
            );
            assert_eq!(len, 7, "nothing written through a refused call");
        }
    }

    #[test]
    fn a_zero_length_needs_no_buffer() {
        let mem = tracee();
        let binding = HostBinding::new(&mem, 1, 8, false);
        let handle = &binding as *const HostBinding<'_, HelloTracee> as *const c_void;
        // SAFETY: as above; a zero length may come with a null pointer.
        unsafe {
            assert_eq!(
                read_memory::<HelloTracee>(handle, 0x1000, std::ptr::null_mut(), 0),
                0
            );
        }
        // Through the safe API, an empty slice reads nothing and succeeds.
        assert_eq!(binding.services().read_memory(0x1000, &mut []), Some(0));
    }

    #[test]
    fn null_out_pointers_are_refused() {
        let mem = tracee();
        let binding = HostBinding::new(&mem, 1, 8, false);
        let handle = &binding as *const HostBinding<'_, HelloTracee> as *const c_void;
        let mut buf = [0u8; 8];
        // SAFETY: as above; the null out-pointers are what is tested.
        unsafe {
            assert!(!read_word::<HelloTracee>(
                handle,
                0x1000,
                std::ptr::null_mut()
            ));
            assert_eq!(
                read_cstring::<HelloTracee>(
                    handle,
                    0x1000,
                    buf.as_mut_ptr(),
                    8,
                    std::ptr::null_mut()
                ),
                CStrRead::Unreadable
            );
        }
    }

    #[test]
    fn the_safe_api_reads_what_the_tracee_holds() {
        let mem = tracee();
        let binding = HostBinding::new(&mem, 1, 8, false);
        let services = binding.services();
        let mut buf = [0u8; 16];
        assert_eq!(
            services.read_cstring(0x1000, &mut buf),
            (CStrRead::Complete, 5)
        );
        assert_eq!(&buf[..5], b"hello");
        assert_eq!(services.read_memory(0x9_0000, &mut buf), None);
    }
}
