//! What a stop tells the observer.

use rtrace_target_bytes::RawRegs;

/// A syscall stop, as the kernel describes it.
#[derive(Clone, Copy)]
pub enum SyscallStop {
    /// From PTRACE_GET_SYSCALL_INFO at syscall entry.
    Entry {
        audit_arch: u32,
        number: u64,
        args: [u64; 6],
        /// Where the syscall instruction is, for `-i`.
        instruction_pointer: u64,
        /// The stack pointer at entry, for decoders that read the stack.
        stack_pointer: u64,
    },
    /// From PTRACE_GET_SYSCALL_INFO at syscall exit.
    Exit {
        audit_arch: u32,
        value: i64,
        is_error: bool,
    },
    /// Kernels without PTRACE_GET_SYSCALL_INFO: the registers at an entry stop.
    EntryRegs(RawRegs),
    /// Kernels without PTRACE_GET_SYSCALL_INFO: the registers at an exit stop.
    ExitRegs(RawRegs),
}

impl SyscallStop {
    pub fn is_entry(&self) -> bool {
        matches!(self, SyscallStop::Entry { .. } | SyscallStop::EntryRegs(_))
    }
}

/// How a thread ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    Exited(i32),
    Killed { signal: i32, core_dumped: bool },
}
