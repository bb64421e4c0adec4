//! rtrace's own fatal signals: the handler that turns SIGINT, SIGTERM, SIGHUP, SIGQUIT
//! and SIGPIPE into a clean end of the trace, and the two globals it shares with the
//! wait loop.

use std::sync::atomic::{AtomicI32, Ordering};

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

/// The fatal signal received so far, if any.
pub(crate) fn interrupted_by() -> Option<i32> {
    match INTERRUPTED.load(Ordering::SeqCst) {
        0 => None,
        sig => Some(sig),
    }
}

/// Names the tracee the handler interrupts to wake the wait loop (0: none).
pub(crate) fn set_wake_tid(tid: i32) {
    WAKE_TID.store(tid, Ordering::SeqCst);
}

/// The tracee the handler would interrupt now.
pub(crate) fn wake_tid() -> i32 {
    WAKE_TID.load(Ordering::SeqCst)
}
