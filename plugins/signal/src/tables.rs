//! The signal family's constant and flag tables, in strace's print order.

use rtrace_sdk::FlagTable;

pub use crate::kernel_consts::SIGPROCMASK_HOW;

pub use crate::kernel_consts::SA_FLAGS;

pub use crate::kernel_consts::SS_FLAGS;

/// signalfd4's flags (the open flags of the same values).
pub const SFD_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0o2000000, "SFD_CLOEXEC"), (0o4000, "SFD_NONBLOCK")]);

/// pidfd_open's flags.
pub const PIDFD_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0o4000, "PIDFD_NONBLOCK"),
    (0o200, "PIDFD_THREAD"),
    (0o1000, "PIDFD_AUTOKILL"),
]);

/// pidfd_send_signal's flags.
pub const PIDFD_SIGNAL_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "PIDFD_SIGNAL_THREAD"),
    (2, "PIDFD_SIGNAL_THREAD_GROUP"),
    (4, "PIDFD_SIGNAL_PROCESS_GROUP"),
]);
