//! The sched plugin against strace 7.2: every line of a scheduling or I/O-priority
//! syscall in the sched fixture's trace (policies, sched_param, sched_attr in its
//! sizes and with its KEEP flags, E2BIG's size written back, priority ranges,
//! round-robin intervals, ioprio), compared whole, by default, with `-v` and with
//! `-e verbose=none`.

mod family_support;

use family_support::{check_family, require_strace_7_2, Case};

/// The syscalls the sched plugin decodes (those x86_64 has).
const SCHED_SYSCALLS: &[&str] = &[
    "sched_getscheduler",
    "sched_setscheduler",
    "sched_getparam",
    "sched_setparam",
    "sched_get_priority_max",
    "sched_get_priority_min",
    "sched_rr_get_interval",
    "sched_setattr",
    "sched_getattr",
    "ioprio_get",
    "ioprio_set",
];

#[test]
fn sched_family_lines_match_strace() {
    require_strace_7_2();
    let case = |options| Case {
        fixture: "sched_calls",
        options,
    };
    check_family(
        "sched",
        "rtrace_sched",
        SCHED_SYSCALLS,
        &[case(&[]), case(&["-v"]), case(&["-e", "verbose=none"])],
    );
}
