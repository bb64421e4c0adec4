//! Leaving the tracees: on interrupt, after a failed start, or one thread at a time.

use nix::errno::Errno;
use nix::sys::ptrace;
use nix::unistd::Pid;

use super::Tracer;
use crate::observer::Observer;
use crate::wait_status::pending_signal;

impl Tracer {
    /// Detaches from every tracee without waiting for the trace to end (an attach that
    /// failed half-way, or a launch that failed after attaching).
    pub fn detach_everything(&mut self, observer: &mut dyn Observer) {
        // Parents kept at a fork event for an untraced child: the child let go first.
        self.let_go_parked(observer);
        // Held threads are in a stop already reported: detached as they are.
        for (tid, signal) in self.holds.take_all() {
            self.detach_stopped(observer, tid, signal);
        }
        // In creation order, the leader first, as strace reports them.
        let mut tids: Vec<i32> = self.threads.keys().copied().collect();
        tids.sort_unstable();
        for tid in tids {
            self.detach_one(observer, tid);
        }
    }

    /// Leaves every tracee: attached ones running as they were, the launched command
    /// sent `sig` first (as strace does).
    pub(super) fn detach_all(&mut self, observer: &mut dyn Observer, sig: i32) {
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
                let pass = pending_signal(libc::WSTOPSIG(status), (status >> 16) & 0xffff);
                self.detach_stopped(observer, tid, pass);
                return;
            }
        }
    }

    /// Detaches a thread that is in a ptrace-stop, delivering `sig` (0: none), and
    /// forgets it.
    pub(super) fn detach_stopped(&mut self, observer: &mut dyn Observer, tid: i32, sig: i32) {
        // Its CPUs back while it is still stopped, so that it never runs detached on one.
        self.placement.tracee_detached(tid);
        // SAFETY: PTRACE_DETACH of a stopped tracee, with a signal number as data.
        unsafe {
            libc::ptrace(libc::PTRACE_DETACH, tid, 0, sig as libc::c_long);
        }
        self.threads.remove(&tid);
        observer.detached(tid);
    }
}
