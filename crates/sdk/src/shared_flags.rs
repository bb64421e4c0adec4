//! Flag tables more than one family prints: poll events (poll, aio poll
//! requests) and the per-I/O flags of preadv2/pwritev2 (also in aio requests).

use crate::flags::FlagTable;

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
]);
