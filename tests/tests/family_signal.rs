//! The signal plugin against strace 6.1: every line of a signal-family syscall in the
//! signal fixture's trace (handlers, masks, waits, queued signals, the alternate stack,
//! signalfd, rt_sigreturn's restored mask, pidfds), compared whole, by default, with
//! `-v`, `-s 5`, `-xx` and `-e verbose=none`.

mod family_support;
mod family_varying;

use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying;

/// The syscalls the signal plugin decodes (those x86_64 has).
const SIGNAL_SYSCALLS: &[&str] = &[
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigpending",
    "rt_sigsuspend",
    "rt_sigtimedwait",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "rt_sigreturn",
    "sigaltstack",
    "signalfd",
    "signalfd4",
    "pause",
    "pidfd_send_signal",
    "pidfd_open",
];

/// The pids the queueing calls take (the harness knows kill's and tgkill's).

#[test]
fn signal_family_lines_match_strace() {
    let runs = [
        Run {
            label: "signal_calls",
            options: &[],
            command: |dir| fixture_in_dir("signal_calls", dir),
        },
        Run {
            label: "signal_calls",
            options: &["-v"],
            command: |dir| fixture_in_dir("signal_calls", dir),
        },
        Run {
            label: "signal_calls",
            options: &["-s", "5"],
            command: |dir| fixture_in_dir("signal_calls", dir),
        },
        Run {
            label: "signal_calls",
            options: &["-xx"],
            command: |dir| fixture_in_dir("signal_calls", dir),
        },
        Run {
            label: "signal_calls",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("signal_calls", dir),
        },
    ];
    check_varying_family(
        "signal",
        "rtrace_signal",
        SIGNAL_SYSCALLS,
        varying::SIGNAL,
        &runs,
    );
}
