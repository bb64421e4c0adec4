//! The rtrace engine: everything that talks to ptrace and wait4.
//!
//! Owns: launching a command or attaching to pids, ptrace options, the single wait4
//! loop (`__WALL`), a state per thread (in a syscall or not), following
//! clone/fork/vfork, execve by a non-leader thread, signal re-injection, group-stops
//! (PTRACE_LISTEN), detaching cleanly on interrupt, and reading tracee memory
//! (process_vm_readv, PTRACE_PEEKDATA as the fallback) and fd paths; tampering's writes
//! (a syscall's number and result, tracee memory) and holding a thread stopped for a
//! while; and where the tracees run (`--cpu-placement`; the adaptive placement's
//! watchdog is the engine's one thread besides the wait loop's).
//!
//! Must not know: any syscall's name or meaning, any architecture's register layout
//! (raw register bytes go to the arch crates in `rtrace_target_bytes::RawRegs`; where
//! tampering must edit a register set, the personality's `RegisterAbi`, handed in by the
//! caller, does the editing), or how anything is printed. It reports raw stops to an
//! [`Observer`].

mod hold;
mod interrupt;
mod observer;
mod placement;
mod seccomp;
mod spawn;
mod stop;
mod syscall_info;
pub mod tamper;
pub mod tracee_memory;
mod tracer;
mod wait_status;

pub use hold::Resume;
pub use interrupt::{handle_fatal_signals, Interruptible};
pub use observer::{Observer, StopAction};
pub use placement::CpuPlacement;
pub use seccomp::{SeccompFilter, SeccompSection};
pub use spawn::{resolve_command, Credentials, Daemonize, SpawnError};
pub use stop::{ExitKind, SyscallStop};
pub use syscall_info::read_regs;
pub use tracee_memory::{fd_path, read_cstring, read_memory, StringRead};
pub use tracer::{AttachError, RunOutcome, Tracer, TracerOptions};
