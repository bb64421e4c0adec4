//! The net family's constant and flag tables, in strace's print order.

use rtrace_sdk::{ConstTable, FlagTable};

pub const AF_UNIX: u64 = 1;
pub const AF_INET: u64 = 2;
pub const AF_INET6: u64 = 10;
pub const AF_NETLINK: u64 = 16;
pub const AF_RXRPC: u64 = 33;
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

/// Socket levels (setsockopt's and getsockopt's, `cmsg_level`), in strace's order:
/// AF_VSOCK is a level to vsock sockets, and SOL_SOCKET is also 0xffff. Typed by hand:
/// 0xffff is SOL_SOCKET of alpha, mips, parisc and sparc only, and SOL_SCTP and
/// SOL_UDPLITE are kernel-internal (include/linux/socket.h).
pub const LEVELS: &ConstTable = &ConstTable {
    names: &[
        (0, "SOL_IP"),
        (1, "SOL_SOCKET"),
        (6, "SOL_TCP"),
        (17, "SOL_UDP"),
        (40, "AF_VSOCK"),
        (41, "SOL_IPV6"),
        (58, "SOL_ICMPV6"),
        (100, "SOL_CAN_BASE"),
        (101, "SOL_CAN_RAW"),
        (132, "SOL_SCTP"),
        (136, "SOL_UDPLITE"),
        (255, "SOL_RAW"),
        (256, "SOL_IPX"),
        (257, "SOL_AX25"),
        (258, "SOL_ATALK"),
        (259, "SOL_NETROM"),
        (260, "SOL_ROSE"),
        (261, "SOL_DECNET"),
        (262, "SOL_X25"),
        (263, "SOL_PACKET"),
        (264, "SOL_ATM"),
        (265, "SOL_AAL"),
        (266, "SOL_IRDA"),
        (267, "SOL_NETBEUI"),
        (268, "SOL_LLC"),
        (269, "SOL_DCCP"),
        (270, "SOL_NETLINK"),
        (271, "SOL_TIPC"),
        (272, "SOL_RXRPC"),
        (273, "SOL_PPPOL2TP"),
        (274, "SOL_BLUETOOTH"),
        (275, "SOL_PNPIPE"),
        (276, "SOL_RDS"),
        (277, "SOL_IUCV"),
        (278, "SOL_CAIF"),
        (279, "SOL_ALG"),
        (280, "SOL_NFC"),
        (281, "SOL_KCM"),
        (282, "SOL_TLS"),
        (283, "SOL_XDP"),
        (284, "SOL_MPTCP"),
        (285, "SOL_MCTP"),
        (286, "SOL_SMC"),
        (287, "SOL_VSOCK"),
        (65535, "SOL_SOCKET"),
    ],
    unknown: "SOL_???",
};

pub const SO_LINGER: u64 = 13;
pub const SO_PEERCRED: u64 = 17;

pub use crate::kernel_consts::SOCKET_OPTIONS;

pub use crate::kernel_consts::TCP_OPTIONS;

pub use crate::kernel_consts::IP_OPTIONS;

pub use crate::kernel_consts::IPV6_OPTIONS;

/// `cmsg_type` at level SOL_IP. Typed by hand: SCM_SECURITY is kernel-internal
/// (include/linux/socket.h), no UAPI header has it.
pub const IP_CMSG_TYPES: &ConstTable = &ConstTable {
    names: &[
        (1, "IP_TOS"),
        (2, "IP_TTL"),
        (6, "IP_RECVOPTS"),
        (7, "IP_RETOPTS"),
        (8, "IP_PKTINFO"),
        (11, "IP_RECVERR"),
        (20, "IP_ORIGDSTADDR"),
        (23, "IP_CHECKSUM"),
        (52, "IP_PROTOCOL"),
        (3, "SCM_SECURITY"),
    ],
    unknown: "IP_???",
};

/// Control message types at SOL_SOCKET. Typed by hand: SCM_SECURITY and SCM_PIDFD are
/// kernel-internal (include/linux/socket.h), no UAPI header has them.
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
pub const SO_ATTACH_FILTER: u64 = 26;
pub const SO_ATTACH_REUSEPORT_CBPF: u64 = 51;
pub const SO_TXREHASH: u64 = 74;
pub const SOL_RAW: u64 = 255;
/// SOL_RAW's option on ICMP sockets.
pub const ICMP_FILTER: u64 = 1;

pub use crate::kernel_consts::{ICMP_TYPES, TXREHASH_VALUES};

pub use crate::kernel_consts::NETLINK_OPTIONS;
