//! rtrace's `-k`: the tracee's user stack at a stop, as strace prints it.
//!
//! Owns: reading a process's mappings (`/proc/PID/maps`), the mapped files' unwind
//! tables (`.eh_frame` with its index, `.debug_frame`) and function symbols, read once
//! per file and shared by every process that maps it; per process, the unwinder built
//! from its mapped files, kept until a call changes its mappings or it execs or exits;
//! unwinding (framehop, from the registers and the stack memory it is handed) and naming
//! each frame by file, function and offset as strace's libunwind back end does.
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
mod unwind;

use std::sync::Arc;

pub use maps::{read_maps, Mapping};
pub use rtrace_arch::FrameRegisters;

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
            Some("stack traces (-k) need framehop's unwinder, which supports x86_64 and aarch64 only")
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
