//! The tracer: the per-thread state and the one wait4 loop. Launching and attaching
//! (`attach`), handling each kind of stop (`stops`) and leaving the tracees (`detach`)
//! are its submodules.

mod attach;
mod detach;
mod stops;
mod untraced;

pub use attach::AttachError;

use rustc_hash::FxHashMap;
use std::sync::Arc;
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::ptrace::Options;

use crate::hold::Holds;
use crate::interrupt::{interrupted_by, set_wake_tid};
use crate::observer::Observer;
use crate::placement::{Activity, CpuPlacement, Placement, SPIN_POLLS};
use crate::seccomp::SeccompFilter;
use crate::stop::ExitKind;
use crate::syscall_info::SyscallInfoSupport;
use crate::wait_status::{wait_stop, Waited};
use untraced::Untraced;

#[derive(Debug, Clone, Default)]
pub struct TracerOptions {
    /// `-f`: follow fork, vfork and clone.
    pub follow_forks: bool,
    /// `--kill-on-exit`: the kernel kills every tracee if rtrace dies (PTRACE_O_EXITKILL).
    pub kill_on_exit: bool,
    /// `--seccomp-bpf`: the launched command gets this filter and runs under PTRACE_CONT
    /// between the syscalls it selects.
    pub seccomp: Option<SeccompFilter>,
    /// Where the tracer runs relative to its tracees.
    pub placement: CpuPlacement,
    /// Ask wait4 for the tracee's CPU time at each stop (`-c` counts it); the kernel
    /// sums it over the thread group, which is not free.
    pub cpu_times: bool,
}

/// After a round in which no other thread was stopped, this many rounds go without
/// the draining wait4(WNOHANG): it is an extra syscall at every stop when threads
/// take turns (as they do on one CPU), while a thread that wait4 keeps passing over
/// still waits at most this many stops.
const DRAIN_EVERY: u32 = 8;

/// How the trace ended.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOutcome {
    /// How the launched command ended, if there was one.
    pub launched: Option<ExitKind>,
    /// The signal that interrupted rtrace, if one did.
    pub interrupted_by: Option<i32>,
}

#[derive(Debug)]
struct Thread {
    /// Between a syscall-entry stop and its exit stop.
    in_syscall: bool,
    /// No stop seen yet: its first PTRACE_EVENT_STOP is the attach stop, not a group-stop.
    starting: bool,
    /// Part of the command rtrace launched (killed, not just detached, on interrupt).
    launched: bool,
    /// The observer passed on this call: its exit stop needs no look at all.
    ignore_exit: bool,
    /// A signal to deliver when the call's exit stop is resumed (one asked for at a
    /// seccomp stop, where the kernel ignores a restart's signal).
    exit_signal: i32,
    /// Its resumes, as the adaptive placement reads them.
    activity: Arc<Activity>,
}

/// Traces a set of threads until none is left or rtrace is interrupted.
pub struct Tracer {
    options: TracerOptions,
    /// Looked up at every stop: a fast hash for pid keys.
    threads: FxHashMap<i32, Thread>,
    launched_pid: Option<i32>,
    launched_exit: Option<ExitKind>,
    /// PTRACE_GET_SYSCALL_INFO works on this kernel (checked at the first syscall stop).
    syscall_info: SyscallInfoSupport,
    /// System CPU time wait4 reported with the latest stop.
    last_system_time: Duration,
    /// Stops collected in one round of the wait loop (kept to reuse its allocation).
    batch: Vec<Waited>,
    /// Rounds until the next drain of every ready stop.
    rounds_to_drain: u32,
    /// Threads kept stopped for a while (`delay_enter=`, `delay_exit=`).
    holds: Holds,
    placement: Placement,
    /// Without -f, the untraced children on their way out of the trace.
    untraced: Untraced,
}

impl Tracer {
    pub fn new(options: TracerOptions) -> Self {
        let placement = Placement::new(options.placement, options.follow_forks);
        Tracer {
            placement,
            options,
            threads: FxHashMap::default(),
            launched_pid: None,
            launched_exit: None,
            syscall_info: SyscallInfoSupport::default(),
            last_system_time: Duration::ZERO,
            batch: Vec::new(),
            rounds_to_drain: 0,
            holds: Holds::default(),
            untraced: Untraced::default(),
        }
    }

    /// The options for a launched command (`launched`) or an attached process.
    fn ptrace_options(&self, launched: bool) -> Options {
        // No PTRACE_O_TRACEEXIT: nothing is shown at a thread's exit event, and its stop
        // would cost every exiting thread a round trip through rtrace.
        let mut o = Options::PTRACE_O_TRACESYSGOOD | Options::PTRACE_O_TRACEEXEC;
        if self.options.kill_on_exit || self.options.seccomp.is_some() {
            // With a seccomp filter left behind, an untraced tracee would see ENOSYS
            // for every selected syscall: it must not outlive rtrace.
            o |= Options::PTRACE_O_EXITKILL;
        }
        if self.options.seccomp.is_some() {
            o |= Options::PTRACE_O_TRACESECCOMP;
        }
        if self.options.follow_forks || (launched && self.attaches_untraced()) {
            o |= Options::PTRACE_O_TRACECLONE
                | Options::PTRACE_O_TRACEFORK
                | Options::PTRACE_O_TRACEVFORK;
        }
        o
    }

    fn add_thread(&mut self, pid: i32, launched: bool) {
        let activity = Arc::new(Activity::default());
        self.threads.insert(
            pid,
            Thread {
                in_syscall: false,
                starting: true,
                launched,
                ignore_exit: false,
                exit_signal: 0,
                activity: Arc::clone(&activity),
            },
        );
        set_wake_tid(pid);
        self.placement
            .tracee_added(pid, &activity, self.threads.len());
    }

    pub fn live_threads(&self) -> usize {
        self.threads.len()
    }

    /// Runs the wait4 loop until no tracee is left, or until rtrace is interrupted
    /// (then every tracee is detached, and the launched command sent that signal).
    pub fn run(&mut self, observer: &mut dyn Observer) -> RunOutcome {
        let mut outcome = RunOutcome::default();
        loop {
            if let Some(sig) = interrupted_by() {
                self.detach_all(observer, sig);
                outcome.interrupted_by = Some(sig);
                break;
            }
            self.holds.release_due();
            let first = match self.next_stop() {
                Ok(stop) => stop,
                Err(Errno::EINTR) => continue,
                Err(_) => break, // ECHILD: every tracee is gone.
            };
            // Every thread that is stopped now is served before any is served twice:
            // collect them all, then handle them in turn.
            let mut batch = std::mem::take(&mut self.batch);
            batch.push(first);
            if self.threads.len() > 1 {
                if self.rounds_to_drain == 0 {
                    while let Some(stop) = wait_stop(libc::WNOHANG, self.options.cpu_times) {
                        batch.push(stop);
                    }
                    self.rounds_to_drain = if batch.len() == 1 { DRAIN_EVERY } else { 0 };
                } else {
                    self.rounds_to_drain -= 1;
                }
            }
            for &(pid, status, system_time) in &batch {
                self.last_system_time = system_time;
                self.handle_status(observer, pid, status);
            }
            batch.clear();
            self.batch = batch;
            if observer.stop_tracing() {
                self.detach_everything(observer);
                break;
            }
        }
        outcome.launched = self.launched_exit;
        outcome
    }

    /// Waits for the next stop, spinning first under `CpuPlacement::Spin`.
    fn next_stop(&mut self) -> Result<Waited, Errno> {
        if self.placement.kind() == CpuPlacement::Spin {
            for _ in 0..SPIN_POLLS {
                if let Some(stop) = wait_stop(libc::WNOHANG, self.options.cpu_times) {
                    return Ok(stop);
                }
                std::hint::spin_loop();
            }
        }
        wait_stop(0, self.options.cpu_times).ok_or_else(Errno::last)
    }
}
