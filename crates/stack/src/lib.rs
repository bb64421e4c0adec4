//! rtrace's `-k`: the tracee's user stack at a stop, as strace prints it.
//!
//! Owns: reading a process's mappings (`/proc/PID/maps`), the mapped files' unwind
//! tables (`.eh_frame` with its index, `.debug_frame`) and function symbols, read once
//! per file and shared by every process that maps it; per process, the unwinder built
//! from its mapped files, kept until a call changes its mappings or it execs or exits;
//! unwinding (framehop, from the registers and the stack memory it is handed) and naming
//! each frame by file, function and offset as strace's libunwind back end does, and
//! (`-kk`) by source file and line as its libdw back end does.
//!
//! Must not know: ptrace (registers and memory come from the caller), syscalls (the
//! caller says when mappings changed), or the text and JSON the frames become (the
//! renderer's).
//!
//! The unwinder is framehop, which knows x86_64 and aarch64. Other targets (32-bit ARM)
//! have no unwinder: [`Stacks::unsupported`] says so and the CLI refuses `-k`.

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod files;
mod maps;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod signal_frame;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod source_lines;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod unwind;

use std::sync::Arc;

pub use maps::{read_maps, Mapping};
pub use rtrace_arch::FrameRegisters;

/// Why a build for any other architecture refuses `-k` (the ARM VM test expects it).
pub const NO_UNWINDER: &str =
    "stack traces (-k) need framehop's unwinder, which supports x86_64 and aarch64 only";

/// strace's default `--stack-trace-frame-limit`.
pub const DEFAULT_FRAME_LIMIT: usize = 256;

/// One line of a stack trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// An address in a file-backed executable mapping.
    Call {
        /// The mapping's path.
        file: Arc<str>,
        /// The nearest function symbol at or below the address, and the distance
        /// from it; `None` when the file has none (or cannot be read).
        function: Option<(Arc<str>, u64)>,
        /// The address as an offset in the file (address − mapping start + mapping
        /// offset): what strace prints in brackets, the same whatever the load address.
        file_offset: u64,
        /// `-kk`: the source file and line, from the file's DWARF line tables, for a
        /// frame with a function.
        source: Option<(Arc<str>, u32)>,
    },
    /// An address in no executable file mapping (anonymous code, the vDSO): where the
    /// walk stops.
    Unexpected { address: u64 },
    /// The walk reached the frame limit with frames left.
    TooMany,
}

/// Stack traces for every traced process: the shared file cache and each process's
/// unwinder.
pub struct Stacks {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    frame_limit: usize,
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    inner: unwind::Unwinding,
}

impl Stacks {
    /// Why this build cannot unwind, or `None` when it can.
    pub fn unsupported() -> Option<&'static str> {
        if cfg!(any(target_arch = "x86_64", target_arch = "aarch64")) {
            None
        } else {
            Some(NO_UNWINDER)
        }
    }

    /// `frame_limit`: at most this many frames, then [`Frame::TooMany`] when more follow.
    /// `with_source`: name each frame's source file and line too (`-kk`).
    pub fn new(frame_limit: usize, with_source: bool) -> Stacks {
        let _ = (frame_limit, with_source);
        Stacks {
            #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
            frame_limit,
            #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
            inner: unwind::Unwinding::new(with_source),
        }
    }

    /// Some process's mappings changed (mmap, munmap, mprotect, mremap, execve...):
    /// every process re-reads its mappings before its next walk. (A thread's call
    /// changes its whole process's, and strace's libunwind back end, too, keeps one
    /// generation for all.)
    pub fn mappings_changed(&mut self) {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        self.inner.mappings_changed();
    }

    /// `pid` is gone or exec'd: its unwinder is dropped, and files no process maps.
    pub fn forget(&mut self, pid: i32) {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        self.inner.forget(pid);
        let _ = pid;
    }

    /// Walks `pid`'s stack from `registers` into `frames` (cleared first), reading
    /// stack memory with `read_memory` (which fills a buffer from a tracee address and
    /// returns how many bytes it read).
    pub fn walk(
        &mut self,
        pid: i32,
        registers: FrameRegisters,
        read_memory: &mut dyn FnMut(u64, &mut [u8]) -> usize,
        frames: &mut Vec<Frame>,
    ) {
        frames.clear();
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        self.inner
            .walk(pid, registers, read_memory, self.frame_limit, frames);
        let _ = (pid, registers, read_memory);
    }

    /// How many files are cached (for tests of the cache).
    pub fn cached_files(&self) -> usize {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        return self.inner.cached_files();
        #[allow(unreachable_code)]
        0
    }
}

#[cfg(all(test, any(target_arch = "x86_64", target_arch = "aarch64")))]
mod tests {
    use super::*;

    /// The registers at this point of the caller (the function is inlined into it).
    #[inline(always)]
    fn registers_here() -> FrameRegisters {
        let (pc, sp, fp, lr): (u64, u64, u64, u64);
        // SAFETY: reads registers into outputs; no memory is touched.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            std::arch::asm!(
                "lea {pc}, [rip]",
                "mov {sp}, rsp",
                "mov {fp}, rbp",
                pc = out(reg) pc, sp = out(reg) sp, fp = out(reg) fp,
                options(nomem, nostack, preserves_flags)
            );
            lr = 0;
        }
        // SAFETY: as above.
        #[cfg(target_arch = "aarch64")]
        unsafe {
            std::arch::asm!(
                "adr {pc}, .",
                "mov {sp}, sp",
                "mov {fp}, x29",
                "mov {lr}, x30",
                pc = out(reg) pc, sp = out(reg) sp, fp = out(reg) fp, lr = out(reg) lr,
                options(nomem, nostack, preserves_flags)
            );
        }
        FrameRegisters { pc, sp, fp, lr }
    }

    /// Reads this process's memory the way the tracer reads a tracee's.
    fn read_own(address: u64, buf: &mut [u8]) -> usize {
        let local = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        let remote = libc::iovec {
            iov_base: address as *mut libc::c_void,
            iov_len: buf.len(),
        };
        // SAFETY: the kernel writes at most `buf.len()` bytes into `buf` and checks the
        // remote range itself (an unmapped address is an error, not a fault).
        let n = unsafe { libc::process_vm_readv(libc::getpid(), &local, 1, &remote, 1, 0) };
        usize::try_from(n).unwrap_or(0)
    }

    /// The walk, run on this very thread: its first frame is this function, named
    /// from the test binary's symbols; then the test harness's frames, all in files,
    /// to the thread's start, within the limit.
    #[test]
    #[inline(never)]
    fn walks_its_own_stack() {
        let registers = registers_here();
        let mut stacks = Stacks::new(DEFAULT_FRAME_LIMIT, false);
        // The walk reads the stack with process_vm_readv, which qemu-user lacks: say
        // so (the ARM test run counts that as not run, not as a failure of the walk).
        let mut probe = [0u8; 8];
        if read_own(registers.sp, &mut probe) != probe.len() {
            panic!("process_vm_readv: {}", std::io::Error::last_os_error());
        }
        let mut frames = Vec::new();
        stacks.walk(
            std::process::id() as i32,
            registers,
            &mut read_own,
            &mut frames,
        );
        let names: Vec<String> = frames
            .iter()
            .map(|f| match f {
                Frame::Call {
                    function: Some((name, _)),
                    ..
                } => name.to_string(),
                other => format!("{other:?}"),
            })
            .collect();
        assert!(
            names[0].ends_with("tests::walks_its_own_stack"),
            "{names:#?}"
        );
        assert!(names.len() > 3, "{names:#?}");
        assert!(
            frames.iter().all(|f| matches!(f, Frame::Call { .. })),
            "{frames:#?}"
        );
        assert!(stacks.cached_files() > 0);
        // The process's files stay cached until it is forgotten.
        stacks.forget(std::process::id() as i32);
        assert_eq!(stacks.cached_files(), 0);
    }
}
