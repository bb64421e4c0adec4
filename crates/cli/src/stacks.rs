//! `-k`: when the session walks a tracee's stack, and what it tells the stack crate.
//!
//! strace's rules (its libunwind back end): the stack is walked at a call's exit and
//! printed after its line; `exit` and `exit_group`, which never return, are walked at
//! entry and printed when the thread is gone; a signal's stack follows its `---` line;
//! only the native personality is unwound (an i386 or x32 call on x86_64, an ARM call
//! on aarch64 prints no frames). Calls that change mappings (strace's list) make every
//! process re-read its mappings before its next walk.

use rtrace_arch::RegisterAbi;
use rtrace_stack::{Frame, Stacks};
use rustc_hash::FxHashMap;

/// The calls after which a process's mappings may differ (strace marks the same ones).
pub const CHANGES_MAPPINGS: &[&str] = &[
    "mmap",
    "mmap2",
    "mprotect",
    "pkey_mprotect",
    "munmap",
    "brk",
    "mremap",
    "remap_file_pages",
    "shmat",
    "shmdt",
    "execve",
    "execveat",
];

/// The calls that never return: their stack is taken at entry.
const NEVER_RETURN: &[&str] = &["exit", "exit_group"];

pub struct StackTraces {
    stacks: Stacks,
    /// Reused for every walk.
    frames: Vec<Frame>,
    /// Frames taken at the entry of a call that never returns, by thread.
    held: FxHashMap<i32, Vec<Frame>>,
}

impl StackTraces {
    pub fn new(frame_limit: usize, with_source: bool) -> StackTraces {
        StackTraces {
            stacks: Stacks::new(frame_limit, with_source),
            frames: Vec::new(),
            held: FxHashMap::default(),
        }
    }

    /// At every syscall entry, traced or not: a call that changes mappings makes the
    /// cached ones stale (its exit may not stop, so its entry says so).
    pub fn entered(&mut self, name: Option<&str>) {
        if name.is_some_and(|n| CHANGES_MAPPINGS.contains(&n)) {
            self.stacks.mappings_changed();
        }
    }

    /// At a shown call's exit: a mapping-changing call has now changed them.
    pub fn exited_call(&mut self, name: &str) {
        if CHANGES_MAPPINGS.contains(&name) {
            self.stacks.mappings_changed();
        }
    }

    /// Whether a shown call of this name is walked at its entry.
    pub fn walks_at_entry(name: Option<&str>) -> bool {
        name.is_some_and(|n| NEVER_RETURN.contains(&n))
    }

    /// Walks `pid`'s stack now, when `personality` (the thread's ABI name) is the
    /// native one. The frames are lent out; hand them back with
    /// [`StackTraces::give_back`] so the buffer is reused.
    pub fn walk(
        &mut self,
        pid: i32,
        personality: &str,
        native: &dyn RegisterAbi,
    ) -> Option<Vec<Frame>> {
        if personality != native.name() {
            return None;
        }
        let registers = native.frame_registers(&rtrace_engine::read_regs(pid)?)?;
        let mut frames = std::mem::take(&mut self.frames);
        let mut read = |address: u64, buf: &mut [u8]| rtrace_engine::read_memory(pid, address, buf);
        self.stacks.walk(pid, registers, &mut read, &mut frames);
        Some(frames)
    }

    pub fn give_back(&mut self, mut frames: Vec<Frame>) {
        frames.clear();
        self.frames = frames;
    }

    /// Walks now and keeps the frames until the thread is gone.
    pub fn hold(&mut self, pid: i32, personality: &str, native: &dyn RegisterAbi) {
        if let Some(frames) = self.walk(pid, personality, native) {
            self.held.insert(pid, frames);
        }
    }

    pub fn take_held(&mut self, pid: i32) -> Option<Vec<Frame>> {
        self.held.remove(&pid)
    }

    /// The thread is gone: its unwinder is dropped.
    pub fn forget(&mut self, pid: i32) {
        self.held.remove(&pid);
        self.stacks.forget(pid);
    }

    /// The thread exec'd (`former_tid` is the one that called execve): a new image.
    pub fn exec(&mut self, pid: i32, former_tid: i32) {
        self.stacks.forget(pid);
        self.stacks.forget(former_tid);
        self.stacks.mappings_changed();
    }
}
