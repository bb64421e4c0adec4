//! Less common process and IPC calls against strace 7.2: kcmp and pidfd_getfd (the
//! process plugin), the futex2 calls and mq_notify/mq_getsetattr (the ipc plugin),
//! by default, with `-v` and with `-e verbose=none`. kcmp's pids are this run's.

mod family_support;
mod family_varying;

use family_support::require_strace_7_2;
use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying::{self, Varying};

const IPC_EXTRA_SYSCALLS: &[&str] = &[
    "kcmp",
    "pidfd_getfd",
    "futex_waitv",
    "futex_wake",
    "futex_wait",
    "futex_requeue",
    "mq_notify",
    "mq_getsetattr",
];

const VARYING: &[Varying] = varying::KCMP;

#[test]
fn ipc_extra_lines_match_strace() {
    require_strace_7_2();
    let runs = [
        Run {
            label: "ipc_extra",
            options: &[],
            command: |dir| fixture_in_dir("ipc_extra", dir),
        },
        Run {
            label: "ipc_extra",
            options: &["-v"],
            command: |dir| fixture_in_dir("ipc_extra", dir),
        },
        Run {
            label: "ipc_extra",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("ipc_extra", dir),
        },
    ];
    check_varying_family(
        "ipc_extra",
        "rtrace_ipc",
        IPC_EXTRA_SYSCALLS,
        VARYING,
        &runs,
    );
}
