//! The ptrace primitives of the wait loop: one wait4 call, and restarting a stopped
//! thread.

use std::time::Duration;

/// What one wait4 reported: the pid, its status, and the system CPU time (zero unless
/// asked for).
pub(crate) type Waited = (i32, i32, Duration);

/// One wait4(-1, __WALL | `flags`): the pid, its status and, with `cpu_times`, the
/// system CPU time it reports; None when nothing is ready (WNOHANG) or on error (errno
/// says which).
pub(crate) fn wait_stop(flags: i32, cpu_times: bool) -> Option<Waited> {
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
    let system = Duration::new(
        usage.ru_stime.tv_sec as u64,
        usage.ru_stime.tv_usec as u32 * 1000,
    );
    Some((pid, status, system))
}

/// Restarts a stopped tracee with `request`, delivering `sig` (0: none). A tracee
/// that vanished meanwhile (ESRCH) will be reported by wait4.
pub(crate) fn restart(request: libc::c_uint, pid: i32, sig: i32) {
    // SAFETY: a ptrace restart request with a signal number as data.
    unsafe {
        libc::ptrace(request, pid, 0, sig as libc::c_long);
    }
}

/// The signal a stop leaves pending, to pass on when the tracee is restarted or
/// detached from it (so that detaching does not swallow it): that of a
/// signal-delivery-stop; none for syscall, event and group stops.
pub(crate) fn pending_signal(sig: i32, event: i32) -> i32 {
    if event == 0 && sig != (libc::SIGTRAP | 0x80) {
        sig
    } else {
        0
    }
}

/// The signals whose stop is a group-stop.
pub(crate) fn is_stop_signal(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
    )
}
