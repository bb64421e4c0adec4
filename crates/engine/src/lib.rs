//! The rtrace engine: everything that talks to ptrace and wait4.
//!
//! Owns: launching a command or attaching to pids, ptrace options, the single wait4
//! loop (`__WALL`), a state per thread (in a syscall or not), following
//! clone/fork/vfork, execve by a non-leader thread, signal re-injection, group-stops
//! (PTRACE_LISTEN), detaching cleanly on interrupt, and reading tracee memory
//! (process_vm_readv, PTRACE_PEEKDATA as the fallback) and fd paths.
//!
//! Must not know: any syscall's name or meaning, any architecture's register layout
//! (raw register bytes go to the arch crates), or how anything is printed. It reports
//! raw stops to an [`Observer`].

pub mod memory;
mod seccomp;
mod spawn;
mod stop;
mod tracer;

pub use memory::{fd_path, read_cstring, read_memory, StringRead};
pub use seccomp::{SeccompFilter, SeccompSection};
pub use spawn::{resolve_command, Credentials, SpawnError};
pub use stop::{ExitKind, SyscallStop};
pub use tracer::{
    install_interrupt_handlers, read_regs, AttachError, CpuPlacement, Observer, RunOutcome,
    StopAction, Tracer, TracerOptions,
};
