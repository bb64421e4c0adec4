//! rtrace's bundled `sched` plugin: scheduling policies and parameters
//! (sched_setscheduler, sched_getparam...), `struct sched_attr` (sched_setattr,
//! sched_getattr), priority ranges, round-robin intervals, and I/O priorities
//! (ioprio_get, ioprio_set).
//!
//! Owns: the family's decoder table, its constants and the layouts of sched_param and
//! sched_attr. Must not know: how it is loaded, ptrace, or how values are rendered;
//! it depends on `rtrace-sdk` alone. CPU affinity and nice values belong to the
//! `process` plugin.

mod attr;
mod ioprio;
mod policy;
mod tables;

use rtrace_sdk::{syscall, Syscall};

use tables::{IOPRIO_WHO, SCHEDULERS};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!("sched_getscheduler", custom = policy::sched_getscheduler),
    syscall!(
        "sched_setscheduler",
        [Pid, Custom(policy::policy), Custom(policy::param)]
    ),
    syscall!("sched_getparam", [Pid, CustomAtExit(policy::param)]),
    syscall!("sched_setparam", [Pid, Custom(policy::param)]),
    syscall!("sched_get_priority_max", [Const(SCHEDULERS)]),
    syscall!("sched_get_priority_min", [Const(SCHEDULERS)]),
    syscall!(
        "sched_rr_get_interval",
        [Pid, CustomAtExit(policy::interval)]
    ),
    syscall!(
        "sched_rr_get_interval_time64",
        [Pid, CustomAtExit(policy::interval)]
    ),
    syscall!("sched_setattr", custom = attr::sched_setattr),
    syscall!("sched_getattr", custom = attr::sched_getattr),
    syscall!("ioprio_get", custom = ioprio::ioprio_get),
    syscall!(
        "ioprio_set",
        [
            Const(IOPRIO_WHO),
            Custom(ioprio::who),
            Custom(ioprio::ioprio)
        ]
    ),
];

rtrace_sdk::export_plugin! {
    name: "sched",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
