//! Signal names as strace prints them: `SIGCHLD`, `SIGRTMIN`, `SIGRT_3`; and signal sets.

use std::io::Write;

/// The classic signals by number, from the C library's constants so the
/// numbering is the build target's own.
const NAMED: &[(i32, &str)] = &[
    (libc::SIGHUP, "SIGHUP"),
    (libc::SIGINT, "SIGINT"),
    (libc::SIGQUIT, "SIGQUIT"),
    (libc::SIGILL, "SIGILL"),
    (libc::SIGTRAP, "SIGTRAP"),
    (libc::SIGABRT, "SIGABRT"),
    (libc::SIGBUS, "SIGBUS"),
    (libc::SIGFPE, "SIGFPE"),
    (libc::SIGKILL, "SIGKILL"),
    (libc::SIGUSR1, "SIGUSR1"),
    (libc::SIGSEGV, "SIGSEGV"),
    (libc::SIGUSR2, "SIGUSR2"),
    (libc::SIGPIPE, "SIGPIPE"),
    (libc::SIGALRM, "SIGALRM"),
    (libc::SIGTERM, "SIGTERM"),
    (libc::SIGSTKFLT, "SIGSTKFLT"),
    (libc::SIGCHLD, "SIGCHLD"),
    (libc::SIGCONT, "SIGCONT"),
    (libc::SIGSTOP, "SIGSTOP"),
    (libc::SIGTSTP, "SIGTSTP"),
    (libc::SIGTTIN, "SIGTTIN"),
    (libc::SIGTTOU, "SIGTTOU"),
    (libc::SIGURG, "SIGURG"),
    (libc::SIGXCPU, "SIGXCPU"),
    (libc::SIGXFSZ, "SIGXFSZ"),
    (libc::SIGVTALRM, "SIGVTALRM"),
    (libc::SIGPROF, "SIGPROF"),
    (libc::SIGWINCH, "SIGWINCH"),
    (libc::SIGIO, "SIGIO"),
    (libc::SIGPWR, "SIGPWR"),
    (libc::SIGSYS, "SIGSYS"),
];

/// The kernel's first real-time signal (glibc reserves 32 and 33 for itself,
/// but strace, like the kernel, counts from 32).
pub const KERNEL_SIGRTMIN: i32 = 32;
pub const KERNEL_SIGRTMAX: i32 = 64;

/// Appends a signal's name: `SIGTERM`, `SIGRTMIN`, `SIGRT_2`, or the number.
pub fn write_signal_name(out: &mut Vec<u8>, sig: i32) {
    if let Some(&(_, name)) = NAMED.iter().find(|s| s.0 == sig) {
        out.extend_from_slice(name.as_bytes());
    } else if sig == KERNEL_SIGRTMIN {
        out.extend_from_slice(b"SIGRTMIN");
    } else if sig > KERNEL_SIGRTMIN && sig <= KERNEL_SIGRTMAX {
        let _ = write!(out, "SIGRT_{}", sig - KERNEL_SIGRTMIN);
    } else {
        let _ = write!(out, "{sig}");
    }
}

/// A signal's name as a string, for messages.
pub fn signal_name(sig: i32) -> String {
    let mut out = Vec::new();
    write_signal_name(&mut out, sig);
    String::from_utf8(out).unwrap_or_default()
}

/// The signal number for a name (`SIGTERM`, `TERM`, `term`, `RTMIN`, `SIGRT_3`, `15`).
pub fn signal_by_name(name: &str) -> Option<i32> {
    if let Ok(n) = name.parse::<i32>() {
        return (1..=KERNEL_SIGRTMAX).contains(&n).then_some(n);
    }
    let upper = name.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    if let Some(&(n, _)) = NAMED.iter().find(|s| &s.1[3..] == bare) {
        return Some(n);
    }
    if bare == "RTMIN" {
        return Some(KERNEL_SIGRTMIN);
    }
    let n: i32 = bare.strip_prefix("RT_")?.parse().ok()?;
    (KERNEL_SIGRTMIN + n <= KERNEL_SIGRTMAX).then_some(KERNEL_SIGRTMIN + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for sig in 1..=64 {
            let name = signal_name(sig);
            assert_eq!(signal_by_name(&name), Some(sig), "{name}");
        }
        assert_eq!(signal_name(17), "SIGCHLD");
        assert_eq!(signal_name(32), "SIGRTMIN");
        assert_eq!(signal_name(34), "SIGRT_2");
        assert_eq!(signal_by_name("term"), Some(15));
        assert_eq!(signal_by_name("SIGNOPE"), None);
    }
}
