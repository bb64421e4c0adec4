//! Flag and constant tables more than one family prints: poll events (poll, aio poll
//! requests), the per-I/O flags of preadv2/pwritev2 (also in aio requests), clock
//! ids (the time calls, timerfd, futex_waitv's clock, perf_event_attr's clockid), and
//! namespace types (setns, the nsfs NS_GET_NSTYPE ioctl).

use crate::decoder_table::ConstTable;
use crate::flags::FlagTable;

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

/// poll(2)'s `events` / `revents` bits.
pub const POLL_EVENTS: &FlagTable = &FlagTable::bits(&[
    (0x1, "POLLIN"),
    (0x2, "POLLPRI"),
    (0x4, "POLLOUT"),
    (0x8, "POLLERR"),
    (0x10, "POLLHUP"),
    (0x20, "POLLNVAL"),
    (0x40, "POLLRDNORM"),
    (0x80, "POLLRDBAND"),
    (0x100, "POLLWRNORM"),
    (0x200, "POLLWRBAND"),
    (0x400, "POLLMSG"),
    (0x2000, "POLLRDHUP"),
]);

/// preadv2 / pwritev2 flags (RWF_*).
pub const RWF_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "RWF_HIPRI"),
    (2, "RWF_DSYNC"),
    (4, "RWF_SYNC"),
    (8, "RWF_NOWAIT"),
    (0x10, "RWF_APPEND"),
    (0x20, "RWF_NOAPPEND"),
    (0x40, "RWF_ATOMIC"),
    (0x80, "RWF_DONTCACHE"),
    (0x100, "RWF_NOSIGNAL"),
]);

/// A namespace type: one `CLONE_NEW*` value (setns's nstype, NS_GET_NSTYPE's result),
/// or 0 for any (setns), in strace's order.
pub const NAMESPACE_TYPES: &ConstTable = &ConstTable {
    names: &[
        (0, "0"),
        (0x80, "CLONE_NEWTIME"),
        (0x20000, "CLONE_NEWNS"),
        (0x2000000, "CLONE_NEWCGROUP"),
        (0x4000000, "CLONE_NEWUTS"),
        (0x8000000, "CLONE_NEWIPC"),
        (0x10000000, "CLONE_NEWUSER"),
        (0x20000000, "CLONE_NEWPID"),
        (0x40000000, "CLONE_NEWNET"),
    ],
    unknown: "CLONE_NEW???",
};

/// The same names as flag bits: setns takes a set of namespace types (strace prints
/// `CLONE_NEWNS|0x1`).
pub const NAMESPACE_TYPE_FLAGS: &FlagTable = &FlagTable::bits(NAMESPACE_TYPES.names);
