//! The scheduling family's constants, from the kernel's uapi headers
//! (linux/sched.h, linux/ioprio.h), in the order strace prints them.

use rtrace_sdk::{ConstTable, FlagTable};

/// `SCHED_*` policies (SCHED_ISO is glibc's name for 4, which strace shows too).
pub const SCHEDULERS: &ConstTable = &ConstTable {
    names: &[
        (0, "SCHED_OTHER"),
        (1, "SCHED_FIFO"),
        (2, "SCHED_RR"),
        (3, "SCHED_BATCH"),
        (4, "SCHED_ISO"),
        (5, "SCHED_IDLE"),
        (6, "SCHED_DEADLINE"),
        (7, "SCHED_EXT"),
    ],
    unknown: "SCHED_???",
};

/// The bit a policy may carry to reset it in children.
pub const SCHED_RESET_ON_FORK: u64 = 0x4000_0000;

/// `sched_attr.sched_flags`.
pub const SCHED_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x01, "SCHED_FLAG_RESET_ON_FORK"),
    (0x02, "SCHED_FLAG_RECLAIM"),
    (0x04, "SCHED_FLAG_DL_OVERRUN"),
    (0x08, "SCHED_FLAG_KEEP_POLICY"),
    (0x10, "SCHED_FLAG_KEEP_PARAMS"),
    (0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"),
    (0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"),
]);

pub const SCHED_FLAG_KEEP_POLICY: u64 = 0x08;
pub const SCHED_FLAG_KEEP_PARAMS: u64 = 0x10;

/// sched_getattr's flags.
pub const SCHED_GETATTR_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0x01, "SCHED_GETATTR_FLAG_DL_DYNAMIC")]);

/// ioprio_get/ioprio_set's `which`.
pub const IOPRIO_WHO: &ConstTable = &ConstTable {
    names: &[
        (1, "IOPRIO_WHO_PROCESS"),
        (2, "IOPRIO_WHO_PGRP"),
        (3, "IOPRIO_WHO_USER"),
    ],
    unknown: "IOPRIO_WHO_???",
};
