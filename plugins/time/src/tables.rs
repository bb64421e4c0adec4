//! The time family's constant and flag tables, in strace's print order.

use rtrace_sdk::{ConstTable, FlagTable};

/// Clock ids, shared with the other families.
pub use rtrace_sdk::shared_flags::CLOCKS;

/// clock_nanosleep's and timer_settime's flags.
pub const TIMER_FLAGS: &FlagTable = &FlagTable::bits(&[(1, "TIMER_ABSTIME")]);

/// setitimer's and getitimer's timers.
pub const ITIMERS: &ConstTable = &ConstTable {
    names: &[
        (0, "ITIMER_REAL"),
        (1, "ITIMER_VIRTUAL"),
        (2, "ITIMER_PROF"),
    ],
    unknown: "ITIMER_???",
};

/// getrandom's flags.
pub const GETRANDOM_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "GRND_NONBLOCK"),
    (2, "GRND_RANDOM"),
    (4, "GRND_INSECURE"),
]);
