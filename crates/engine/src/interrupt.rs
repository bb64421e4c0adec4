//! rtrace's own fatal signals, per `-I`: the handler that turns SIGINT, SIGTERM, SIGHUP,
//! SIGQUIT and SIGPIPE into a clean end of the trace, the two globals it shares with the
//! wait loop, and the dispositions a launched command gets back.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::OnceLock;

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

/// The signals that end the trace (strace's "fatal" ones).
const FATAL: [libc::c_int; 5] = [
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGPIPE,
    libc::SIGTERM,
];

/// Every signal whose disposition [`handle_fatal_signals`] may change: the fatal ones,
/// the terminal's stop signals (ignored, as strace does, so that a background rtrace
/// writing to the terminal is not stopped), and SIGTSTP.
const CHANGED: [libc::c_int; 8] = [
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGPIPE,
    libc::SIGTERM,
    libc::SIGTTOU,
    libc::SIGTTIN,
    libc::SIGTSTP,
];

/// `-I`: when signals may interrupt the trace (strace's modes and their meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interruptible {
    /// The fatal signals keep the disposition rtrace was started with: one that is not
    /// ignored kills rtrace at once (the kernel then detaches the tracees).
    Anywhere,
    /// The fatal signals interrupt the wait loop, which detaches every tracee (and
    /// sends the signal to the launched command) and ends. Installed whatever the
    /// inherited disposition: a background job started by a non-interactive shell
    /// inherits SIGINT and SIGQUIT ignored, and `kill -INT` must still end the trace.
    Waiting,
    /// The fatal signals are ignored.
    Never,
    /// The fatal signals and SIGTSTP are ignored.
    NeverTstp,
}

/// The dispositions rtrace was started with, for the signals it changes, so that a
/// launched command starts with them (as strace's command, forked before its tracer
/// changed anything, does): `(signal, handler)`.
static INHERITED: OnceLock<[(libc::c_int, libc::sighandler_t); CHANGED.len()]> = OnceLock::new();

/// Sets rtrace's dispositions for the signals that may end the trace, per `mode`.
/// Without SA_RESTART, so a blocked wait4 returns. SIGPIPE is one of them as in strace:
/// a trace written into a closed pipe ends the trace instead of going on unseen.
pub fn handle_fatal_signals(mode: Interruptible) {
    INHERITED.get_or_init(|| {
        CHANGED.map(|sig| {
            // SAFETY: reading a disposition into a zeroed (valid) sigaction.
            let old = unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                libc::sigaction(sig, std::ptr::null(), &mut old);
                old
            };
            // Rust's runtime, not rtrace's parent, ignored SIGPIPE: the command gets
            // the default, as from a shell.
            let handler = if sig == libc::SIGPIPE {
                libc::SIG_DFL
            } else {
                old.sa_sigaction
            };
            (sig, handler)
        })
    });
    set_disposition(libc::SIGTTOU, libc::SIG_IGN);
    set_disposition(libc::SIGTTIN, libc::SIG_IGN);
    let fatal = match mode {
        // Only SIGPIPE was changed (by Rust's runtime): back to its default.
        Interruptible::Anywhere => {
            set_disposition(libc::SIGPIPE, libc::SIG_DFL);
            return;
        }
        Interruptible::Waiting => on_fatal_signal as extern "C" fn(libc::c_int) as usize,
        Interruptible::Never => libc::SIG_IGN,
        Interruptible::NeverTstp => {
            set_disposition(libc::SIGTSTP, libc::SIG_IGN);
            libc::SIG_IGN
        }
    };
    for sig in FATAL {
        set_disposition(sig, fatal);
    }
}

fn set_disposition(sig: libc::c_int, handler: libc::sighandler_t) {
    // SAFETY: installing SIG_IGN, SIG_DFL, or a handler that only touches atomics and
    // calls ptrace; no flags, an empty mask.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = handler;
        libc::sigemptyset(&mut action.sa_mask);
        action.sa_flags = 0;
        libc::sigaction(sig, &action, std::ptr::null_mut());
    }
}

/// In a launched command's child, before execve: the dispositions rtrace inherited
/// (SIGPIPE: the default). Async-signal-safe: only sigaction(2).
pub(crate) fn restore_inherited_dispositions() {
    let Some(inherited) = INHERITED.get() else {
        // The handlers were not set yet: only Rust's SIGPIPE differs.
        set_disposition(libc::SIGPIPE, libc::SIG_DFL);
        return;
    };
    for &(sig, handler) in inherited {
        set_disposition(sig, handler);
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
