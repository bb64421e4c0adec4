//! The time family's constant and flag tables, in strace's print order.

use rtrace_sdk::{ConstTable, FlagTable};

/// Clock ids (`CLOCK_*`).
pub const CLOCKS: &ConstTable = &ConstTable {
    names: &[
        (0, "CLOCK_REALTIME"),
        (1, "CLOCK_MONOTONIC"),
        (2, "CLOCK_PROCESS_CPUTIME_ID"),
        (3, "CLOCK_THREAD_CPUTIME_ID"),
        (4, "CLOCK_MONOTONIC_RAW"),
        (5, "CLOCK_REALTIME_COARSE"),
        (6, "CLOCK_MONOTONIC_COARSE"),
        (7, "CLOCK_BOOTTIME"),
        (8, "CLOCK_REALTIME_ALARM"),
        (9, "CLOCK_BOOTTIME_ALARM"),
        (10, "CLOCK_SGI_CYCLE"),
        (11, "CLOCK_TAI"),
    ],
    unknown: "CLOCK_???",
};

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
