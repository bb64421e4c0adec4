//! Flag and constant tables more than one family prints: poll events (poll, aio poll
//! requests), the per-I/O flags of preadv2/pwritev2 (also in aio requests), clock
//! ids (the time calls, timerfd, futex_waitv's clock, perf_event_attr's clockid), and
//! namespace types (setns, the nsfs NS_GET_NSTYPE ioctl). Generated from the kernel's
//! headers (`kernel_consts`, by `cargo xtask gen-consts`).

use crate::flags::FlagTable;
pub use crate::kernel_consts::{CLOCKS, NAMESPACE_TYPES, POLL_EVENTS, RWF_FLAGS};

/// The same names as flag bits: setns takes a set of namespace types (strace prints
/// `CLONE_NEWNS|0x1`).
pub const NAMESPACE_TYPE_FLAGS: &FlagTable = &FlagTable::bits(NAMESPACE_TYPES.names);
