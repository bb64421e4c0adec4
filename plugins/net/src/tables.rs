//! The net family's constant and flag tables, in strace's print order.

use rtrace_sdk::{ConstTable, FlagTable};

pub const AF_UNIX: u64 = 1;
pub const AF_INET: u64 = 2;
pub const AF_INET6: u64 = 10;
pub const AF_NETLINK: u64 = 16;
pub const AF_PACKET: u64 = 17;

pub use crate::kernel_consts::FAMILIES;

pub use crate::kernel_consts::SOCK_TYPES;

/// The flag bits of socket's type, and accept4's flags.
pub const SOCK_FLAG_BITS: &[(u64, &str)] =
    &[(0o2000000, "SOCK_CLOEXEC"), (0o4000, "SOCK_NONBLOCK")];
pub const SOCK_FLAGS: &FlagTable = &FlagTable::bits(SOCK_FLAG_BITS);

pub use crate::kernel_consts::IP_PROTOCOLS;

pub use crate::kernel_consts::NETLINK_PROTOCOLS;

pub use crate::kernel_consts::ETHER_PROTOCOLS;

pub use crate::kernel_consts::MSG_FLAGS;

pub use crate::kernel_consts::SHUTDOWN_HOW;

pub const SOL_SOCKET: u64 = 1;
pub const SOL_IP: u64 = 0;
pub const SOL_TCP: u64 = 6;
pub const SOL_IPV6: u64 = 41;

pub const LEVELS: &ConstTable = &ConstTable {
    names: &[
        (0, "SOL_IP"),
        (1, "SOL_SOCKET"),
        (6, "SOL_TCP"),
        (17, "SOL_UDP"),
        (41, "SOL_IPV6"),
        (58, "SOL_ICMPV6"),
        (132, "SOL_SCTP"),
        (136, "SOL_UDPLITE"),
        (255, "SOL_RAW"),
        (263, "SOL_PACKET"),
        (270, "SOL_NETLINK"),
        (274, "SOL_ALG"),
        (282, "SOL_TLS"),
        (283, "SOL_XDP"),
        (284, "SOL_MPTCP"),
    ],
    unknown: "SOL_???",
};

pub const SO_LINGER: u64 = 13;
pub const SO_PEERCRED: u64 = 17;

pub use crate::kernel_consts::SOCKET_OPTIONS;

pub use crate::kernel_consts::TCP_OPTIONS;

pub use crate::kernel_consts::IP_OPTIONS;

pub use crate::kernel_consts::IPV6_OPTIONS;

/// Control message types at SOL_SOCKET.
pub const SCM_TYPES: &ConstTable = &ConstTable {
    names: &[
        (1, "SCM_RIGHTS"),
        (2, "SCM_CREDENTIALS"),
        (3, "SCM_SECURITY"),
        (4, "SCM_PIDFD"),
        (29, "SO_TIMESTAMP_OLD"),
        (35, "SO_TIMESTAMPNS_OLD"),
        (37, "SO_TIMESTAMPING_OLD"),
    ],
    unknown: "SCM_???",
};

pub const SOL_NETLINK: u64 = 270;
pub const SO_ERROR: u64 = 4;

pub use crate::kernel_consts::NETLINK_OPTIONS;
