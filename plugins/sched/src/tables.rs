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

pub use crate::kernel_consts::SCHED_FLAGS;

pub const SCHED_FLAG_KEEP_POLICY: u64 = 0x08;
pub const SCHED_FLAG_KEEP_PARAMS: u64 = 0x10;

/// sched_getattr's flags.
pub const SCHED_GETATTR_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0x01, "SCHED_GETATTR_FLAG_DL_DYNAMIC")]);

pub use crate::kernel_consts::IOPRIO_WHO;
