//! Without -f, the launched command's children and threads are not traced. Under the
//! adaptive placement they would inherit the tracer's one CPU, so the kernel attaches
//! them (PTRACE_O_TRACEFORK/VFORK/CLONE) only for the tracer to give them the command's
//! affinity and let them go at their first stop: never shown, never counted, as strace
//! without -f never shows them. The parent is kept at its fork event until its child is
//! let go, so that its fork returns with the child free (a debugger under rtrace can
//! trace it at once) and on its CPUs. This keeps rtrace single-threaded without -f (a
//! watchdog thread would be seen: the kernel refuses KEYCTL_SESSION_TO_PARENT to a
//! child of a multi-threaded process).

use nix::errno::Errno;

use super::Tracer;
use crate::wait_status::{pending_signal, restart};

/// The untraced children between their parent's fork event and their first stop.
#[derive(Debug, Default)]
pub(super) struct Untraced {
    /// Child -> its parent, kept at its fork event until the child is let go.
    parked: rustc_hash::FxHashMap<i32, i32>,
    /// Children let go (or gone) before their parent's fork event was seen.
    let_go_early: rustc_hash::FxHashSet<i32>,
}

impl Tracer {
    /// Whether the kernel attaches the launched command's children without -f.
    pub(super) fn attaches_untraced(&self) -> bool {
        self.placement.releases_untraced()
    }

    /// A stop of a thread the tracer does not trace: an untraced child or thread,
    /// attached by the kernel. It gets the command's CPUs and is let go, with the
    /// signal it stopped for, if any.
    pub(super) fn untraced_stopped(&mut self, pid: i32, sig: i32, event: i32) {
        self.let_go(pid, sig, event);
        self.untraced_done(pid);
    }

    fn let_go(&self, pid: i32, sig: i32, event: i32) {
        // Its CPUs back while it is still stopped, so that it never runs on one.
        self.placement.tracee_detached(pid);
        restart(libc::PTRACE_DETACH, pid, pending_signal(sig, event));
    }

    /// An untraced child is let go or gone: its parent may return from its fork.
    pub(super) fn untraced_done(&mut self, child: i32) {
        match self.untraced.parked.remove(&child) {
            Some(parent) => self.resume(parent, 0),
            None => {
                self.untraced.let_go_early.insert(child);
            }
        }
    }

    /// A traced parent's fork event for an untraced `child`: the parent goes on once
    /// the child is let go.
    pub(super) fn untraced_forked(&mut self, parent: i32, child: i32) {
        if self.untraced.let_go_early.remove(&child) {
            self.resume(parent, 0);
        } else {
            self.untraced.parked.insert(child, parent);
        }
    }

    /// Before every tracee is detached: each parked parent's child is waited for (its
    /// first stop is on its way, and not collected yet: the wait loop handles whole
    /// rounds) and let go, and the parent detached from its fork event stop.
    pub(super) fn let_go_parked(&mut self, observer: &mut dyn crate::observer::Observer) {
        let parked: Vec<(i32, i32)> = self.untraced.parked.drain().collect();
        for (child, parent) in parked {
            loop {
                let mut status = 0;
                // SAFETY: wait4 for one thread.
                let got =
                    unsafe { libc::wait4(child, &mut status, libc::__WALL, std::ptr::null_mut()) };
                if got < 0 && Errno::last() == Errno::EINTR {
                    continue;
                }
                if got > 0 && libc::WIFSTOPPED(status) {
                    self.let_go(child, libc::WSTOPSIG(status), (status >> 16) & 0xffff);
                }
                break;
            }
            self.detach_stopped(observer, parent, 0);
        }
    }
}
