//! The signal family's constant and flag tables, in strace's print order.

use rtrace_sdk::{ConstTable, FlagTable};

/// rt_sigprocmask's `how`.
pub const SIGPROCMASK_HOW: &ConstTable = &ConstTable {
    names: &[(0, "SIG_BLOCK"), (1, "SIG_UNBLOCK"), (2, "SIG_SETMASK")],
    unknown: "SIG_???",
};

/// `sa_flags` of the kernel's sigaction.
pub const SA_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x0400_0000, "SA_RESTORER"),
    (0x0800_0000, "SA_ONSTACK"),
    (0x1000_0000, "SA_RESTART"),
    (0x4000_0000, "SA_NODEFER"),
    (0x8000_0000, "SA_RESETHAND"),
    (0x4, "SA_SIGINFO"),
    (0x1, "SA_NOCLDSTOP"),
    (0x2, "SA_NOCLDWAIT"),
    (0x400, "SA_UNSUPPORTED"),
    (0x800, "SA_EXPOSE_TAGBITS"),
]);

/// `ss_flags` of stack_t.
pub const SS_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "SS_ONSTACK"),
    (2, "SS_DISABLE"),
    (0x8000_0000, "SS_AUTODISARM"),
]);

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
