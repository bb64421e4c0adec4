//! Signal names as strace prints them in arguments (`kill(1234, SIGTERM)`), shared by
//! every plugin that shows a signal number: kill/tgkill, clone's exit signal, prctl's
//! death signal, rt_sigaction...
//!
//! The numbers are the generic Linux ones, which x86, x86_64, ARM and AArch64 share
//! (Alpha, MIPS, SPARC and PA-RISC number some signals differently and would need
//! their own table). A plugin cannot use the host's renderer, so the table lives in the
//! SDK: `kernel_consts`, generated from <linux/signal.h> by `cargo xtask gen-consts`.

use crate::kernel_consts::CLASSIC_SIGNALS as CLASSIC;
use crate::value_builder::Out;

/// SIGCHLD's `si_code` names, by code (index = code - 1): the host's `---` lines, the
/// signal family's siginfo and waitid's all print them.
pub const CLD_CODES: [&str; 6] = [
    "CLD_EXITED",
    "CLD_KILLED",
    "CLD_DUMPED",
    "CLD_TRAPPED",
    "CLD_STOPPED",
    "CLD_CONTINUED",
];

/// The name of SIGCHLD's `si_code` `code`, if it has one.
pub fn cld_code_name(code: i64) -> Option<&'static str> {
    let index = usize::try_from(code).ok()?.checked_sub(1)?;
    CLD_CODES.get(index).copied()
}

/// Ticks a second of the `clock_t` values the kernel reports (times, siginfo's
/// si_utime/si_stime): USER_HZ, 100 on every Linux architecture.
pub const USER_HZ: u64 = 100;

/// The kernel's first and last real-time signals (strace counts `SIGRT_N` from the
/// kernel's 32, not from glibc's `SIGRTMIN`, which reserves two).
pub const SIGRTMIN: i64 = 32;
pub const SIGRTMAX: i64 = 64;

/// strace's names of the real-time signals after `SIGRTMIN`: `SIGRT_1` is 33.
const REALTIME: [&str; (SIGRTMAX - SIGRTMIN) as usize] = [
    "SIGRT_1", "SIGRT_2", "SIGRT_3", "SIGRT_4", "SIGRT_5", "SIGRT_6", "SIGRT_7", "SIGRT_8",
    "SIGRT_9", "SIGRT_10", "SIGRT_11", "SIGRT_12", "SIGRT_13", "SIGRT_14", "SIGRT_15", "SIGRT_16",
    "SIGRT_17", "SIGRT_18", "SIGRT_19", "SIGRT_20", "SIGRT_21", "SIGRT_22", "SIGRT_23", "SIGRT_24",
    "SIGRT_25", "SIGRT_26", "SIGRT_27", "SIGRT_28", "SIGRT_29", "SIGRT_30", "SIGRT_31", "SIGRT_32",
];

/// The name of a signal (`SIGTERM`, `SIGRTMIN`, `SIGRT_3`), or `None` for 0 and numbers
/// that are no signal.
pub fn signal_name(sig: i64) -> Option<&'static str> {
    match sig {
        1..=31 => Some(CLASSIC[sig as usize]),
        SIGRTMIN => Some("SIGRTMIN"),
        33..=SIGRTMAX => Some(REALTIME[(sig - SIGRTMIN - 1) as usize]),
        _ => None,
    }
}

impl Out<'_> {
    /// A signal number as strace shows it: `SIGTERM`, `SIGRTMIN`, `SIGRT_3`, or the
    /// number itself (`0`, `100`); under `-X raw` the number in decimal.
    pub fn signal(&mut self, sig: i64) {
        match signal_name(sig) {
            Some(name) => self.named(name, sig, false),
            None => self.int(sig),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_classic_and_realtime_signals() {
        assert_eq!(signal_name(9), Some("SIGKILL"));
        assert_eq!(signal_name(17), Some("SIGCHLD"));
        assert_eq!(signal_name(31), Some("SIGSYS"));
        assert_eq!(signal_name(32), Some("SIGRTMIN"));
        assert_eq!(signal_name(0), None);
        assert_eq!(signal_name(33), Some("SIGRT_1"));
        assert_eq!(signal_name(64), Some("SIGRT_32"));
        assert_eq!(signal_name(65), None);
        assert_eq!(signal_name(-1), None);
    }

    #[test]
    fn out_signal_emits_names_with_their_numbers_and_bare_numbers() {
        use rtrace_plugin_api::{Emitter, Token};
        let mut em = Emitter::default();
        let mut out = Out::new(&mut em);
        out.signal(15);
        out.signal(35);
        out.signal(0);
        out.signal(100);
        assert_eq!(
            em.tokens[0],
            Token::Constant {
                name: "SIGTERM".into(),
                value: 15,
                hex: false
            }
        );
        assert_eq!(
            em.tokens[1],
            Token::Constant {
                name: "SIGRT_3".into(),
                value: 35,
                hex: false
            }
        );
        assert_eq!(em.tokens[2], Token::Int(0));
        assert_eq!(em.tokens[3], Token::Int(100));
    }
}
