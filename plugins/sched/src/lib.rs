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
mod kernel_consts;
mod policy;
mod tables;

use rtrace_sdk::{syscall, Syscall};

use tables::{IOPRIO_WHO, SCHEDULERS};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!(
        "sched_getscheduler",
        custom = policy::sched_getscheduler,
        names = [pid]
    ),
    syscall!(
        "sched_setscheduler",
        [pid: Pid, policy: Custom(policy::policy), param: Custom(policy::param)],
    ),
    syscall!("sched_getparam", [pid: Pid, param: CustomAtExit(policy::param)]),
    syscall!("sched_setparam", [pid: Pid, param: Custom(policy::param)]),
    syscall!("sched_get_priority_max", [policy: Const(SCHEDULERS)]),
    syscall!("sched_get_priority_min", [policy: Const(SCHEDULERS)]),
    syscall!("sched_rr_get_interval", [pid: Pid, tp: CustomAtExit(policy::interval)]),
    syscall!("sched_rr_get_interval_time64", [pid: Pid, tp: CustomAtExit(policy::interval)]),
    syscall!(
        "sched_setattr",
        custom = attr::sched_setattr,
        names = [pid, attr, flags]
    ),
    syscall!(
        "sched_getattr",
        custom = attr::sched_getattr,
        names = [pid, attr, size, flags]
    ),
    syscall!(
        "ioprio_get",
        custom = ioprio::ioprio_get,
        names = [which, who]
    ),
    syscall!("ioprio_set", [which: Const(IOPRIO_WHO), who: Custom(ioprio::who), ioprio: Custom(ioprio::ioprio)]),
];

rtrace_sdk::export_plugin! {
    name: "sched",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
