//! The wait4 loop and the per-thread state.

use rustc_hash::FxHashMap;
use std::ffi::OsString;
use std::path::Path;
use std::sync::atomic::{AtomicI32, Ordering};

use nix::errno::Errno;
use nix::sys::ptrace::{self, Options};
use nix::unistd::Pid;
use rtrace_arch::RawRegs;

use crate::seccomp::SeccompFilter;
use crate::spawn::{spawn_stopped, Credentials, SpawnError};
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

/// How the tracer keeps the stop hand-over cheap. On a VM, a tracer and a tracee on
/// different vCPUs pay for a halted vCPU's wake-up at every stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CpuPlacement {
    /// Nothing: the scheduler decides.
    #[default]
    Free,
    /// The tracer pins itself to the CPU it starts on, and the launched command (which
    /// inherits the affinity) runs there too. Attached processes are not moved.
    SameCpu,
    /// Before blocking in wait4, poll with WNOHANG for a few microseconds, so the
    /// tracer's CPU stays awake for the next stop.
    Spin,
}

/// How many WNOHANG polls `CpuPlacement::Spin` makes before blocking (about 20 us).
const SPIN_POLLS: u32 = 40;

/// After a round in which no other thread was stopped, this many rounds go without
/// the draining wait4(WNOHANG): it is an extra syscall at every stop when threads
/// take turns (as they do on one CPU), while a thread that wait4 keeps passing over
/// still waits at most this many stops.
const DRAIN_EVERY: u32 = 8;

/// Why attaching to a pid failed.
#[derive(Debug, thiserror::Error)]
#[error("attach: ptrace(PTRACE_SEIZE, {pid}): {}", crate::spawn::errno_desc(*.errno))]
pub struct AttachError {
    pub pid: i32,
    pub errno: Errno,
}

impl AttachError {
    /// strace's second line when the attach was refused: who traces the process already
    /// (`/proc/PID/status`'s TracerPid), if anyone.
    pub fn diagnosis(&self) -> Option<String> {
        if self.errno != Errno::EPERM {
            return None;
        }
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        let tracer: i32 = status
            .lines()
            .find_map(|l| l.strip_prefix("TracerPid:"))?
            .trim()
            .parse()
            .ok()?;
        (tracer > 0).then(|| {
            format!(
                "Process {} is already being traced by pid {tracer}",
                self.pid
            )
        })
    }
}

/// How the trace ended.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOutcome {
    /// How the launched command ended, if there was one.
    pub launched: Option<ExitKind>,
    /// The signal that interrupted rtrace, if one did.
    pub interrupted_by: Option<i32>,
}

#[derive(Debug, Clone, Copy)]
struct Thread {
    /// Between a syscall-entry stop and its exit stop.
    in_syscall: bool,
    /// No stop seen yet: its first PTRACE_EVENT_STOP is the attach stop, not a group-stop.
    starting: bool,
    /// Part of the command rtrace launched (killed, not just detached, on interrupt).
    launched: bool,
    /// The observer passed on this call: its exit stop needs no look at all.
    ignore_exit: bool,
}

/// Traces a set of threads until none is left or rtrace is interrupted.
pub struct Tracer {
    options: TracerOptions,
    /// Looked up at every stop: a fast hash for pid keys.
    threads: FxHashMap<i32, Thread>,
    launched_pid: Option<i32>,
    launched_exit: Option<ExitKind>,
    /// PTRACE_GET_SYSCALL_INFO works on this kernel (checked at the first syscall stop).
    use_syscall_info: bool,
    /// System CPU time wait4 reported with the latest stop.
    last_system_time: std::time::Duration,
    /// Stops collected in one round of the wait loop (kept to reuse its allocation).
    batch: Vec<(i32, i32, std::time::Duration)>,
    /// Rounds until the next drain of every ready stop.
    rounds_to_drain: u32,
}

/// The fatal signal rtrace received (0: none).
static INTERRUPTED: AtomicI32 = AtomicI32::new(0);
/// A tracee to PTRACE_INTERRUPT from the signal handler, so that a wait4 entered just
/// after the flag was checked still returns.
static WAKE_TID: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_fatal_signal(sig: libc::c_int) {
    INTERRUPTED.store(sig, Ordering::SeqCst);
    let tid = WAKE_TID.load(Ordering::SeqCst);
    if tid > 0 {
        // SAFETY: ptrace is a plain syscall, async-signal-safe.
        unsafe {
            libc::ptrace(libc::PTRACE_INTERRUPT, tid, 0, 0);
        }
    }
}

/// Makes SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE end the trace cleanly (detaching or
/// killing the tracees) instead of killing rtrace outright. Without SA_RESTART, so a
/// blocked wait4 returns. SIGPIPE is one of them as in strace: a trace written into a
/// closed pipe ends the trace instead of going on unseen.
pub fn install_interrupt_handlers() {
    for sig in [
        libc::SIGINT,
        libc::SIGTERM,
        libc::SIGHUP,
        libc::SIGQUIT,
        libc::SIGPIPE,
    ] {
        // SAFETY: reading a disposition, and installing a handler that only touches
        // atomics and calls ptrace.
        unsafe {
            let mut inherited: libc::sigaction = std::mem::zeroed();
            libc::sigaction(sig, std::ptr::null(), &mut inherited);
            // A signal that rtrace's parent ignores (nohup, a background job) stays
            // ignored, for rtrace and, through execve, for the command, as with strace.
            // Not SIGPIPE: Rust's runtime ignored that one, not the parent.
            if sig != libc::SIGPIPE && inherited.sa_sigaction == libc::SIG_IGN {
                continue;
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_fatal_signal as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = 0;
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

fn is_stop_signal(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
    )
}

/// Restarts a stopped tracee with `request`, delivering `sig` (0: none). A tracee
/// that vanished meanwhile (ESRCH) will be reported by wait4.
fn restart(request: libc::c_uint, pid: i32, sig: i32) {
    // SAFETY: a ptrace restart request with a signal number as data.
    unsafe {
        libc::ptrace(request, pid, 0, sig as libc::c_long);
    }
}

/// One wait4(-1, __WALL | `flags`): the pid, its status and, with `cpu_times`, the
/// system CPU time it reports; None when nothing is ready (WNOHANG) or on error (errno
/// says which).
fn wait_stop(flags: i32, cpu_times: bool) -> Option<(i32, i32, std::time::Duration)> {
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let usage_ptr: *mut libc::rusage = if cpu_times {
        &mut usage
    } else {
        std::ptr::null_mut()
    };
    // SAFETY: wait4 with a valid status pointer and a valid or null rusage pointer.
    let pid = unsafe { libc::wait4(-1, &mut status, libc::__WALL | flags, usage_ptr) };
    if pid <= 0 {
        return None;
    }
    let system = std::time::Duration::new(
        usage.ru_stime.tv_sec as u64,
        usage.ru_stime.tv_usec as u32 * 1000,
    );
    Some((pid, status, system))
}

/// Pins the calling thread (and so every process it forks) to the CPU it is on.
fn pin_to_current_cpu() {
    // SAFETY: sched_getcpu and sched_setaffinity on this thread, with a zeroed set.
    unsafe {
        let cpu = libc::sched_getcpu();
        if cpu < 0 {
            return;
        }
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu as usize, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

/// The thread's general registers (PTRACE_GETREGSET, NT_PRSTATUS) at a ptrace stop.
pub fn read_regs(pid: i32) -> Option<RawRegs> {
    let mut regs = RawRegs::default();
    let mut iov = libc::iovec {
        iov_base: regs.0.as_mut_ptr().cast(),
        iov_len: regs.0.len(),
    };
    // SAFETY: PTRACE_GETREGSET writes at most iov_len bytes and updates iov_len.
    let res = unsafe {
        libc::ptrace(
            libc::PTRACE_GETREGSET,
            pid,
            libc::NT_PRSTATUS as usize,
            &mut iov,
        )
    };
    (res == 0).then_some(regs)
}

impl Tracer {
    pub fn new(options: TracerOptions) -> Self {
        if options.placement == CpuPlacement::SameCpu {
            pin_to_current_cpu();
        }
        Tracer {
            options,
            threads: FxHashMap::default(),
            launched_pid: None,
            launched_exit: None,
            use_syscall_info: true,
            last_system_time: std::time::Duration::ZERO,
            batch: Vec::new(),
            rounds_to_drain: 0,
        }
    }

    fn ptrace_options(&self) -> Options {
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
        if self.options.follow_forks {
            o |= Options::PTRACE_O_TRACECLONE
                | Options::PTRACE_O_TRACEFORK
                | Options::PTRACE_O_TRACEVFORK;
        }
        o
    }

    fn add_thread(&mut self, pid: i32, launched: bool) {
        self.threads.insert(
            pid,
            Thread {
                in_syscall: false,
                starting: true,
                launched,
                ignore_exit: false,
            },
        );
        WAKE_TID.store(pid, Ordering::SeqCst);
    }

    /// Starts `program` stopped, seizes it and lets it run to its execve.
    pub fn launch(
        &mut self,
        program: &Path,
        argv: &[OsString],
        env: &[(OsString, OsString)],
        credentials: Option<&Credentials>,
    ) -> Result<i32, SpawnError> {
        let filter = match &self.options.seccomp {
            Some(f) => Some(f.program().map_err(SpawnError::System)?),
            None => None,
        };
        let child = spawn_stopped(program, argv, env, credentials, filter.as_deref())?;
        if let Err(e) = ptrace::seize(child, self.ptrace_options()) {
            let _ = nix::sys::signal::kill(child, nix::sys::signal::Signal::SIGKILL);
            return Err(SpawnError::System(format!(
                "ptrace(PTRACE_SEIZE, {child}): {}",
                crate::spawn::errno_desc(e)
            )));
        }
        let pid = child.as_raw();
        self.add_thread(pid, true);
        self.launched_pid = Some(pid);
        // The child stopped itself; wake it so that it goes on to execve.
        let _ = nix::sys::signal::kill(child, nix::sys::signal::Signal::SIGCONT);
        Ok(pid)
    }

    /// Attaches to a running process (and, with `-f`, all its threads). Returns the
    /// thread ids attached.
    pub fn attach(&mut self, pid: i32) -> Result<Vec<i32>, AttachError> {
        let mut tids = vec![pid];
        if self.options.follow_forks {
            if let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) {
                tids = dir
                    .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                    .collect();
                tids.sort_unstable();
                // The leader first, as strace reports it.
                if let Some(i) = tids.iter().position(|&t| t == pid) {
                    tids.swap(0, i);
                }
            }
        }
        let mut attached = Vec::new();
        for tid in tids {
            if self.threads.contains_key(&tid) {
                continue;
            }
            match ptrace::seize(Pid::from_raw(tid), self.ptrace_options()) {
                Ok(()) => {
                    let _ = ptrace::interrupt(Pid::from_raw(tid));
                    self.add_thread(tid, false);
                    attached.push(tid);
                }
                // A thread that exited between the listing and the seize is no error.
                Err(Errno::ESRCH) if tid != pid => {}
                Err(errno) => {
                    if attached.is_empty() {
                        return Err(AttachError { pid: tid, errno });
                    }
                }
            }
        }
        Ok(attached)
    }

    pub fn live_threads(&self) -> usize {
        self.threads.len()
    }

    /// Runs the wait4 loop until no tracee is left, or until rtrace is interrupted
    /// (then every tracee is detached, and the launched command sent that signal).
    pub fn run(&mut self, observer: &mut dyn Observer) -> RunOutcome {
        let mut outcome = RunOutcome::default();
        loop {
            let sig = INTERRUPTED.load(Ordering::SeqCst);
            if sig != 0 {
                self.detach_all(observer, sig);
                outcome.interrupted_by = Some(sig);
                break;
            }
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
        }
        outcome.launched = self.launched_exit;
        outcome
    }

    /// Waits for the next stop, spinning first under `CpuPlacement::Spin`.
    fn next_stop(&mut self) -> Result<(i32, i32, std::time::Duration), Errno> {
        if self.options.placement == CpuPlacement::Spin {
            for _ in 0..SPIN_POLLS {
                if let Some(stop) = wait_stop(libc::WNOHANG, self.options.cpu_times) {
                    return Ok(stop);
                }
                std::hint::spin_loop();
            }
        }
        wait_stop(0, self.options.cpu_times).ok_or_else(Errno::last)
    }

    fn handle_status(&mut self, observer: &mut dyn Observer, pid: i32, status: i32) {
        if libc::WIFEXITED(status) {
            self.thread_gone(observer, pid, ExitKind::Exited(libc::WEXITSTATUS(status)));
        } else if libc::WIFSIGNALED(status) {
            let how = ExitKind::Killed {
                signal: libc::WTERMSIG(status),
                core_dumped: libc::WCOREDUMP(status),
            };
            self.thread_gone(observer, pid, how);
        } else if libc::WIFSTOPPED(status) {
            self.handle_stop(
                observer,
                pid,
                libc::WSTOPSIG(status),
                (status >> 16) & 0xffff,
            );
        }
    }

    fn thread_gone(&mut self, observer: &mut dyn Observer, pid: i32, how: ExitKind) {
        if self.threads.remove(&pid).is_none() {
            return;
        }
        if Some(pid) == self.launched_pid {
            self.launched_exit = Some(how);
        }
        if WAKE_TID.load(Ordering::SeqCst) == pid {
            WAKE_TID.store(
                self.threads.keys().next().copied().unwrap_or(0),
                Ordering::SeqCst,
            );
        }
        observer.exited(pid, how);
    }

    fn thread(&mut self, pid: i32, observer: &mut dyn Observer) -> &mut Thread {
        if !self.threads.contains_key(&pid) {
            // A new child's first stop can arrive before its parent's fork event.
            self.add_thread(pid, false);
            observer.new_tracee(pid);
        }
        self.threads.get_mut(&pid).expect("just inserted")
    }

    /// Lets a stopped thread run on: to its next syscall stop, or, under a seccomp
    /// filter and outside a syscall, until the filter or a signal stops it.
    fn resume(&self, pid: i32, sig: i32) {
        let in_syscall = self.threads.get(&pid).is_some_and(|t| t.in_syscall);
        let request = if self.options.seccomp.is_some() && !in_syscall {
            libc::PTRACE_CONT
        } else {
            libc::PTRACE_SYSCALL
        };
        restart(request, pid, sig);
    }

    fn handle_stop(&mut self, observer: &mut dyn Observer, pid: i32, sig: i32, event: i32) {
        if sig == libc::SIGTRAP | 0x80 {
            if self.syscall_stop(observer, pid) == StopAction::Detach {
                // SAFETY: the thread is in a ptrace-stop; detaching lets it run.
                unsafe {
                    libc::ptrace(libc::PTRACE_DETACH, pid, 0, 0);
                }
                self.threads.remove(&pid);
                observer.detached(pid);
            } else {
                self.resume(pid, 0);
            }
            return;
        }
        match event {
            0 => self.signal_stop(observer, pid, sig),
            libc::PTRACE_EVENT_STOP => {
                let thread = self.thread(pid, observer);
                if std::mem::replace(&mut thread.starting, false) || !is_stop_signal(sig) {
                    self.resume(pid, 0);
                } else {
                    observer.group_stop(pid, sig);
                    restart(libc::PTRACE_LISTEN, pid, 0);
                }
            }
            libc::PTRACE_EVENT_FORK | libc::PTRACE_EVENT_VFORK | libc::PTRACE_EVENT_CLONE => {
                if let Ok(child) = ptrace::getevent(Pid::from_raw(pid)) {
                    let child = child as i32;
                    let launched = self.threads.get(&pid).is_some_and(|t| t.launched);
                    if !self.threads.contains_key(&child) {
                        self.add_thread(child, launched);
                        observer.new_tracee(child);
                    }
                }
                self.resume(pid, 0);
            }
            libc::PTRACE_EVENT_EXEC => {
                let former = ptrace::getevent(Pid::from_raw(pid))
                    .map(|t| t as i32)
                    .unwrap_or(pid);
                if former != pid {
                    // The exec'ing thread takes over the leader's pid: its state moves.
                    if let Some(state) = self.threads.remove(&former) {
                        self.threads.insert(pid, state);
                    }
                }
                observer.exec(pid, former);
                self.resume(pid, 0);
            }
            libc::PTRACE_EVENT_SECCOMP => {
                // The filter selected this syscall: it is the entry stop.
                if self.syscall_stop(observer, pid) == StopAction::Detach {
                    // SAFETY: the thread is in a ptrace-stop; detaching lets it run.
                    unsafe {
                        libc::ptrace(libc::PTRACE_DETACH, pid, 0, 0);
                    }
                    self.threads.remove(&pid);
                    observer.detached(pid);
                } else {
                    self.resume(pid, 0);
                }
            }
            _ => self.resume(pid, 0),
        }
    }

    fn signal_stop(&mut self, observer: &mut dyn Observer, pid: i32, sig: i32) {
        self.thread(pid, observer).starting = false;
        match ptrace::getsiginfo(Pid::from_raw(pid)) {
            Ok(info) => observer.signal(pid, &info),
            // No siginfo: a group-stop of a thread not seized (cannot happen with SEIZE).
            Err(_) if is_stop_signal(sig) => {
                observer.group_stop(pid, sig);
                restart(libc::PTRACE_LISTEN, pid, 0);
                return;
            }
            Err(_) => {}
        }
        self.resume(pid, sig);
    }

    fn syscall_stop(&mut self, observer: &mut dyn Observer, pid: i32) -> StopAction {
        let use_info = self.use_syscall_info;
        let thread = self.thread(pid, observer);
        thread.starting = false;
        if thread.in_syscall && thread.ignore_exit {
            // The exit of a call the observer passed on.
            thread.in_syscall = false;
            thread.ignore_exit = false;
            return StopAction::Continue;
        }
        let stop = if use_info {
            match ptrace::syscall_info(Pid::from_raw(pid)) {
                Ok(info) => match info.op {
                    libc::PTRACE_SYSCALL_INFO_ENTRY => {
                        // SAFETY: op says the entry member of the union is valid.
                        let entry = unsafe { info.u.entry };
                        Some(SyscallStop::Entry {
                            audit_arch: info.arch,
                            number: entry.nr,
                            args: entry.args,
                            instruction_pointer: info.instruction_pointer,
                            stack_pointer: info.stack_pointer,
                        })
                    }
                    libc::PTRACE_SYSCALL_INFO_SECCOMP => {
                        // SAFETY: op says the seccomp member of the union is valid.
                        let entry = unsafe { info.u.seccomp };
                        Some(SyscallStop::Entry {
                            audit_arch: info.arch,
                            number: entry.nr,
                            args: entry.args,
                            instruction_pointer: info.instruction_pointer,
                            stack_pointer: info.stack_pointer,
                        })
                    }
                    libc::PTRACE_SYSCALL_INFO_EXIT => {
                        // SAFETY: op says the exit member of the union is valid.
                        let exit = unsafe { info.u.exit };
                        Some(SyscallStop::Exit {
                            audit_arch: info.arch,
                            value: exit.sval,
                            is_error: exit.is_error != 0,
                        })
                    }
                    _ => None,
                },
                Err(Errno::EIO) | Err(Errno::EINVAL) => {
                    self.use_syscall_info = false;
                    None
                }
                Err(_) => None,
            }
        } else {
            None
        };
        let thread = self.threads.get_mut(&pid).expect("thread exists");
        let stop = match stop {
            Some(stop) => stop,
            None => {
                let Some(regs) = read_regs(pid) else {
                    return StopAction::Continue;
                };
                if thread.in_syscall {
                    SyscallStop::ExitRegs(regs)
                } else {
                    SyscallStop::EntryRegs(regs)
                }
            }
        };
        thread.in_syscall = stop.is_entry();
        let action = observer.syscall(pid, &stop, self.last_system_time);
        if action == StopAction::IgnoreExit {
            if let Some(thread) = self.threads.get_mut(&pid) {
                thread.ignore_exit = thread.in_syscall;
            }
        }
        action
    }

    /// Detaches from every tracee without waiting for the trace to end (an attach that
    /// failed half-way, or a launch that failed after attaching).
    pub fn detach_everything(&mut self, observer: &mut dyn Observer) {
        // In creation order, the leader first, as strace reports them.
        let mut tids: Vec<i32> = self.threads.keys().copied().collect();
        tids.sort_unstable();
        for tid in tids {
            self.detach_one(observer, tid);
        }
    }

    /// Leaves every tracee: attached ones running as they were, the launched command
    /// sent `sig` first (as strace does).
    fn detach_all(&mut self, observer: &mut dyn Observer, sig: i32) {
        if let Some(pid) = self.launched_pid.filter(|p| self.threads.contains_key(p)) {
            // SAFETY: plain kill(2).
            unsafe {
                libc::kill(pid, libc::SIGCONT);
                libc::kill(pid, sig);
            }
        }
        self.detach_everything(observer);
    }

    fn detach_one(&mut self, observer: &mut dyn Observer, tid: i32) {
        if ptrace::interrupt(Pid::from_raw(tid)).is_err() {
            // Already gone: reap it if it is ours to reap.
            let _ = ptrace::detach(Pid::from_raw(tid), None);
        }
        loop {
            let mut status = 0;
            // SAFETY: wait4 for one thread.
            let got = unsafe { libc::wait4(tid, &mut status, libc::__WALL, std::ptr::null_mut()) };
            if got < 0 {
                if Errno::last() == Errno::EINTR {
                    continue;
                }
                self.threads.remove(&tid);
                return;
            }
            if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
                self.handle_status(observer, tid, status);
                return;
            }
            if libc::WIFSTOPPED(status) {
                let sig = libc::WSTOPSIG(status);
                let event = (status >> 16) & 0xffff;
                // A pending signal is passed on so that detaching does not swallow it.
                let pass = if event == 0 && sig != (libc::SIGTRAP | 0x80) {
                    sig
                } else {
                    0
                };
                // SAFETY: PTRACE_DETACH with a signal number as data.
                unsafe {
                    libc::ptrace(libc::PTRACE_DETACH, tid, 0, pass as libc::c_long);
                }
                self.threads.remove(&tid);
                observer.detached(tid);
                return;
            }
        }
    }
}
