//! Signal names as strace prints them in event lines and messages: `SIGCHLD`,
//! `SIGRTMIN`, `SIGRT_3` (from the SDK's one table of names).

use std::io::Write;

use rtrace_sdk::signals as names;

use crate::token_text::{write_constant, ConstStyle};

/// The kernel's first real-time signal (glibc reserves 32 and 33 for itself,
/// but strace, like the kernel, counts from 32).
pub const KERNEL_SIGRTMIN: i32 = names::SIGRTMIN as i32;
pub const KERNEL_SIGRTMAX: i32 = names::SIGRTMAX as i32;

/// Appends a signal's name: `SIGTERM`, `SIGRTMIN`, `SIGRT_2`, or the number. The names
/// are the SDK's table, the one the decoders print in arguments.
pub fn write_signal_name(out: &mut Vec<u8>, sig: i32) {
    if let Some(name) = names::signal_name(i64::from(sig)) {
        out.extend_from_slice(name.as_bytes());
    } else {
        let _ = write!(out, "{sig}");
    }
}

/// A signal number in an argument or a siginfo, as `-X` asks: `SIGCHLD`, `17`, or
/// `17 /* SIGCHLD */` (a number without a name is the number under every style).
pub fn write_signal_value(out: &mut Vec<u8>, sig: i32, consts: ConstStyle) {
    match names::signal_name(i64::from(sig)) {
        Some(name) => write_constant(out, name, sig.into(), false, consts),
        None => {
            let _ = write!(out, "{sig}");
        }
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
    if bare == "RTMIN" {
        return Some(KERNEL_SIGRTMIN);
    }
    if let Some(n) = (1..KERNEL_SIGRTMIN)
        .find(|&n| names::signal_name(i64::from(n)).is_some_and(|s| &s[3..] == bare))
    {
        return Some(n);
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
