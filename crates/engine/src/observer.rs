//! What the engine reports, and what the observer answers.

use crate::hold::Resume;
use crate::stop::{ExitKind, SyscallStop};

/// Receives what the tracees do, in the order the kernel reports it.
pub trait Observer {
    /// A syscall-entry or syscall-exit stop. `cpu_time` is the tracee's system CPU
    /// time as wait4 reported it at this stop (what `-c` counts, as strace does).
    fn syscall(
        &mut self,
        pid: i32,
        stop: &SyscallStop,
        cpu_time: std::time::Duration,
    ) -> StopAction;
    /// A signal is about to be delivered (it will be re-injected).
    fn signal(&mut self, pid: i32, siginfo: &libc::siginfo_t);
    /// The thread entered a group-stop (`kill -STOP`).
    fn group_stop(&mut self, pid: i32, signal: i32);
    /// `pid` completed an execve; `former_tid` is the thread that called it (it differs
    /// from `pid` when a non-leader thread exec'd and took over the leader's pid).
    fn exec(&mut self, pid: i32, former_tid: i32);
    /// A new thread or process is traced (a clone/fork/vfork child, or a thread found
    /// when attaching).
    fn new_tracee(&mut self, pid: i32);
    /// The thread is gone.
    fn exited(&mut self, pid: i32, how: ExitKind);
    /// The thread was detached and left running.
    fn detached(&mut self, pid: i32);
    /// How the thread whose syscall stop was just observed goes on (tampering: a signal
    /// to deliver, a time to keep it stopped). By default at once, with no signal.
    fn resume(&mut self, _pid: i32) -> Resume {
        Resume::default()
    }
    /// Asked after each round of stops: true to detach from every tracee (leaving them
    /// running, the launched command too) and end the run (`--syscall-limit`).
    fn stop_tracing(&mut self) -> bool {
        false
    }
}

/// What to do with a thread after its stop was observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopAction {
    Continue,
    /// At an entry: the observer has no use for this call's exit, so the exit stop is
    /// passed through without asking the kernel about it (one ptrace call saved).
    IgnoreExit,
    /// Stop tracing this thread and let it run (`-b execve`).
    Detach,
}
