//! The net family's constant and flag tables, in strace's print order.

use rtrace_sdk::{ConstTable, FlagTable};

pub const AF_UNIX: u64 = 1;
pub const AF_INET: u64 = 2;
pub const AF_INET6: u64 = 10;
pub const AF_NETLINK: u64 = 16;
pub const AF_RXRPC: u64 = 33;
pub const AF_PACKET: u64 = 17;

/// Address families.
pub const FAMILIES: &ConstTable = &ConstTable {
    names: &[
        (0, "AF_UNSPEC"),
        (1, "AF_UNIX"),
        (2, "AF_INET"),
        (3, "AF_AX25"),
        (4, "AF_IPX"),
        (5, "AF_APPLETALK"),
        (6, "AF_NETROM"),
        (7, "AF_BRIDGE"),
        (8, "AF_ATMPVC"),
        (9, "AF_X25"),
        (10, "AF_INET6"),
        (11, "AF_ROSE"),
        (12, "AF_DECnet"),
        (13, "AF_NETBEUI"),
        (14, "AF_SECURITY"),
        (15, "AF_KEY"),
        (16, "AF_NETLINK"),
        (17, "AF_PACKET"),
        (18, "AF_ASH"),
        (19, "AF_ECONET"),
        (20, "AF_ATMSVC"),
        (21, "AF_RDS"),
        (22, "AF_SNA"),
        (23, "AF_IRDA"),
        (24, "AF_PPPOX"),
        (25, "AF_WANPIPE"),
        (26, "AF_LLC"),
        (27, "AF_IB"),
        (28, "AF_MPLS"),
        (29, "AF_CAN"),
        (30, "AF_TIPC"),
        (31, "AF_BLUETOOTH"),
        (32, "AF_IUCV"),
        (33, "AF_RXRPC"),
        (34, "AF_ISDN"),
        (35, "AF_PHONET"),
        (36, "AF_IEEE802154"),
        (37, "AF_CAIF"),
        (38, "AF_ALG"),
        (39, "AF_NFC"),
        (40, "AF_VSOCK"),
        (41, "AF_KCM"),
        (42, "AF_QIPCRTR"),
        (43, "AF_SMC"),
        (44, "AF_XDP"),
        (45, "AF_MCTP"),
    ],
    unknown: "AF_???",
};

/// The socket type (low four bits of socket's second argument).
pub const SOCK_TYPES: &[(u64, &str)] = &[
    (1, "SOCK_STREAM"),
    (2, "SOCK_DGRAM"),
    (3, "SOCK_RAW"),
    (4, "SOCK_RDM"),
    (5, "SOCK_SEQPACKET"),
    (6, "SOCK_DCCP"),
    (10, "SOCK_PACKET"),
];

/// The flag bits of socket's type, and accept4's flags.
pub const SOCK_FLAG_BITS: &[(u64, &str)] =
    &[(0o2000000, "SOCK_CLOEXEC"), (0o4000, "SOCK_NONBLOCK")];
pub const SOCK_FLAGS: &FlagTable = &FlagTable::bits(SOCK_FLAG_BITS);

pub const IP_PROTOCOLS: &ConstTable = &ConstTable {
    names: &[
        (0, "IPPROTO_IP"),
        (1, "IPPROTO_ICMP"),
        (2, "IPPROTO_IGMP"),
        (4, "IPPROTO_IPIP"),
        (6, "IPPROTO_TCP"),
        (8, "IPPROTO_EGP"),
        (12, "IPPROTO_PUP"),
        (17, "IPPROTO_UDP"),
        (22, "IPPROTO_IDP"),
        (29, "IPPROTO_TP"),
        (33, "IPPROTO_DCCP"),
        (41, "IPPROTO_IPV6"),
        (46, "IPPROTO_RSVP"),
        (47, "IPPROTO_GRE"),
        (50, "IPPROTO_ESP"),
        (51, "IPPROTO_AH"),
        (58, "IPPROTO_ICMPV6"),
        (92, "IPPROTO_MTP"),
        (94, "IPPROTO_BEETPH"),
        (98, "IPPROTO_ENCAP"),
        (103, "IPPROTO_PIM"),
        (108, "IPPROTO_COMP"),
        (115, "IPPROTO_L2TP"),
        (132, "IPPROTO_SCTP"),
        (136, "IPPROTO_UDPLITE"),
        (137, "IPPROTO_MPLS"),
        (143, "IPPROTO_ETHERNET"),
        (255, "IPPROTO_RAW"),
        (262, "IPPROTO_MPTCP"),
    ],
    unknown: "IPPROTO_???",
};

pub const NETLINK_PROTOCOLS: &ConstTable = &ConstTable {
    names: &[
        (0, "NETLINK_ROUTE"),
        (1, "NETLINK_UNUSED"),
        (2, "NETLINK_USERSOCK"),
        (3, "NETLINK_FIREWALL"),
        (4, "NETLINK_SOCK_DIAG"),
        (5, "NETLINK_NFLOG"),
        (6, "NETLINK_XFRM"),
        (7, "NETLINK_SELINUX"),
        (8, "NETLINK_ISCSI"),
        (9, "NETLINK_AUDIT"),
        (10, "NETLINK_FIB_LOOKUP"),
        (11, "NETLINK_CONNECTOR"),
        (12, "NETLINK_NETFILTER"),
        (13, "NETLINK_IP6_FW"),
        (14, "NETLINK_DNRTMSG"),
        (15, "NETLINK_KOBJECT_UEVENT"),
        (16, "NETLINK_GENERIC"),
        (18, "NETLINK_SCSITRANSPORT"),
        (19, "NETLINK_ECRYPTFS"),
        (20, "NETLINK_RDMA"),
        (21, "NETLINK_CRYPTO"),
        (22, "NETLINK_SMC"),
    ],
    unknown: "NETLINK_???",
};

/// Ethernet protocol ids (AF_PACKET's protocol, in network byte order).
pub const ETHER_PROTOCOLS: &[(u64, &str)] = &[
    (0x0003, "ETH_P_ALL"),
    (0x0800, "ETH_P_IP"),
    (0x0806, "ETH_P_ARP"),
    (0x8100, "ETH_P_8021Q"),
    (0x86dd, "ETH_P_IPV6"),
];

pub const MSG_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x1, "MSG_OOB"),
    (0x2, "MSG_PEEK"),
    (0x4, "MSG_DONTROUTE"),
    (0x8, "MSG_CTRUNC"),
    (0x10, "MSG_PROXY"),
    (0x20, "MSG_TRUNC"),
    (0x40, "MSG_DONTWAIT"),
    (0x80, "MSG_EOR"),
    (0x100, "MSG_WAITALL"),
    (0x200, "MSG_FIN"),
    (0x400, "MSG_SYN"),
    (0x800, "MSG_CONFIRM"),
    (0x1000, "MSG_RST"),
    (0x2000, "MSG_ERRQUEUE"),
    (0x4000, "MSG_NOSIGNAL"),
    (0x8000, "MSG_MORE"),
    (0x10000, "MSG_WAITFORONE"),
    (0x40000, "MSG_BATCH"),
    (0x4000000, "MSG_ZEROCOPY"),
    (0x20000000, "MSG_FASTOPEN"),
    (0x40000000, "MSG_CMSG_CLOEXEC"),
]);

pub const SHUTDOWN_HOW: &ConstTable = &ConstTable {
    names: &[(0, "SHUT_RD"), (1, "SHUT_WR"), (2, "SHUT_RDWR")],
    unknown: "SHUT_???",
};

pub const SOL_SOCKET: u64 = 1;
pub const SOL_IP: u64 = 0;
pub const SOL_TCP: u64 = 6;
pub const SOL_IPV6: u64 = 41;

/// Socket levels (setsockopt's and getsockopt's, `cmsg_level`), in strace's order:
/// AF_VSOCK is a level to vsock sockets, and SOL_SOCKET is also 0xffff.
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

pub const SOCKET_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "SO_DEBUG"),
        (2, "SO_REUSEADDR"),
        (3, "SO_TYPE"),
        (4, "SO_ERROR"),
        (5, "SO_DONTROUTE"),
        (6, "SO_BROADCAST"),
        (7, "SO_SNDBUF"),
        (8, "SO_RCVBUF"),
        (9, "SO_KEEPALIVE"),
        (10, "SO_OOBINLINE"),
        (11, "SO_NO_CHECK"),
        (12, "SO_PRIORITY"),
        (13, "SO_LINGER"),
        (14, "SO_BSDCOMPAT"),
        (15, "SO_REUSEPORT"),
        (16, "SO_PASSCRED"),
        (17, "SO_PEERCRED"),
        (18, "SO_RCVLOWAT"),
        (19, "SO_SNDLOWAT"),
        (20, "SO_RCVTIMEO_OLD"),
        (21, "SO_SNDTIMEO_OLD"),
        (22, "SO_SECURITY_AUTHENTICATION"),
        (23, "SO_SECURITY_ENCRYPTION_TRANSPORT"),
        (24, "SO_SECURITY_ENCRYPTION_NETWORK"),
        (25, "SO_BINDTODEVICE"),
        (26, "SO_ATTACH_FILTER"),
        (27, "SO_DETACH_FILTER"),
        (28, "SO_PEERNAME"),
        (29, "SO_TIMESTAMP_OLD"),
        (30, "SO_ACCEPTCONN"),
        (31, "SO_PEERSEC"),
        (32, "SO_SNDBUFFORCE"),
        (33, "SO_RCVBUFFORCE"),
        (34, "SO_PASSSEC"),
        (35, "SO_TIMESTAMPNS_OLD"),
        (36, "SO_MARK"),
        (37, "SO_TIMESTAMPING_OLD"),
        (38, "SO_PROTOCOL"),
        (39, "SO_DOMAIN"),
        (40, "SO_RXQ_OVFL"),
        (41, "SO_WIFI_STATUS"),
        (42, "SO_PEEK_OFF"),
        (43, "SO_NOFCS"),
        (44, "SO_LOCK_FILTER"),
        (45, "SO_SELECT_ERR_QUEUE"),
        (46, "SO_BUSY_POLL"),
        (47, "SO_MAX_PACING_RATE"),
        (48, "SO_BPF_EXTENSIONS"),
        (49, "SO_INCOMING_CPU"),
        (50, "SO_ATTACH_BPF"),
        (51, "SO_ATTACH_REUSEPORT_CBPF"),
        (52, "SO_ATTACH_REUSEPORT_EBPF"),
        (53, "SO_CNX_ADVICE"),
        (55, "SO_MEMINFO"),
        (56, "SO_INCOMING_NAPI_ID"),
        (57, "SO_COOKIE"),
        (59, "SO_PEERGROUPS"),
        (60, "SO_ZEROCOPY"),
        (61, "SO_TXTIME"),
        (62, "SO_BINDTOIFINDEX"),
        (63, "SO_TIMESTAMP_NEW"),
        (64, "SO_TIMESTAMPNS_NEW"),
        (65, "SO_TIMESTAMPING_NEW"),
        (66, "SO_RCVTIMEO_NEW"),
        (67, "SO_SNDTIMEO_NEW"),
        (68, "SO_DETACH_REUSEPORT_BPF"),
        (69, "SO_PREFER_BUSY_POLL"),
        (70, "SO_BUSY_POLL_BUDGET"),
        (71, "SO_NETNS_COOKIE"),
        (72, "SO_BUF_LOCK"),
        (73, "SO_RESERVE_MEM"),
        (SO_TXREHASH, "SO_TXREHASH"),
        (75, "SO_RCVMARK"),
        (76, "SO_PASSPIDFD"),
        (77, "SO_PEERPIDFD"),
        (82, "SO_RCVPRIORITY"),
        (83, "SO_PASSRIGHTS"),
        (84, "SO_INQ"),
    ],
    unknown: "SO_???",
};

pub const TCP_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "TCP_NODELAY"),
        (2, "TCP_MAXSEG"),
        (3, "TCP_CORK"),
        (4, "TCP_KEEPIDLE"),
        (5, "TCP_KEEPINTVL"),
        (6, "TCP_KEEPCNT"),
        (7, "TCP_SYNCNT"),
        (8, "TCP_LINGER2"),
        (9, "TCP_DEFER_ACCEPT"),
        (10, "TCP_WINDOW_CLAMP"),
        (11, "TCP_INFO"),
        (12, "TCP_QUICKACK"),
        (13, "TCP_CONGESTION"),
        (14, "TCP_MD5SIG"),
        (18, "TCP_USER_TIMEOUT"),
        (23, "TCP_FASTOPEN"),
        (25, "TCP_NOTSENT_LOWAT"),
    ],
    unknown: "TCP_???",
};

pub const IP_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "IP_TOS"),
        (2, "IP_TTL"),
        (3, "IP_HDRINCL"),
        (4, "IP_OPTIONS"),
        (6, "IP_RECVOPTS"),
        (8, "IP_PKTINFO"),
        (10, "IP_MTU_DISCOVER"),
        (11, "IP_RECVERR"),
        (12, "IP_RECVTTL"),
        (13, "IP_RECVTOS"),
        (14, "IP_MTU"),
        (15, "IP_FREEBIND"),
        (32, "IP_MULTICAST_IF"),
        (33, "IP_MULTICAST_TTL"),
        (34, "IP_MULTICAST_LOOP"),
        (35, "IP_ADD_MEMBERSHIP"),
        (36, "IP_DROP_MEMBERSHIP"),
    ],
    unknown: "IP_???",
};

pub const IPV6_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (16, "IPV6_UNICAST_HOPS"),
        (17, "IPV6_MULTICAST_IF"),
        (18, "IPV6_MULTICAST_HOPS"),
        (19, "IPV6_MULTICAST_LOOP"),
        (23, "IPV6_MTU_DISCOVER"),
        (25, "IPV6_RECVERR"),
        (26, "IPV6_V6ONLY"),
        (49, "IPV6_RECVPKTINFO"),
        (67, "IPV6_TCLASS"),
    ],
    unknown: "IPV6_???",
};

/// Control message types at SOL_SOCKET.
/// `cmsg_type` at level SOL_IP.
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

/// ICMP message types, by the bit ICMP_FILTER gives them.
pub const ICMP_TYPES: &[(u32, &str)] = &[
    (0, "ICMP_ECHOREPLY"),
    (3, "ICMP_DEST_UNREACH"),
    (4, "ICMP_SOURCE_QUENCH"),
    (5, "ICMP_REDIRECT"),
    (8, "ICMP_ECHO"),
    (11, "ICMP_TIME_EXCEEDED"),
    (12, "ICMP_PARAMETERPROB"),
    (13, "ICMP_TIMESTAMP"),
    (14, "ICMP_TIMESTAMPREPLY"),
    (15, "ICMP_INFO_REQUEST"),
    (16, "ICMP_INFO_REPLY"),
    (17, "ICMP_ADDRESS"),
    (18, "ICMP_ADDRESSREPLY"),
];

/// SO_TXREHASH's values (strace shows an unknown one in decimal).
pub const TXREHASH_VALUES: &ConstTable = &ConstTable {
    names: &[
        (0, "SOCK_TXREHASH_DISABLED"),
        (1, "SOCK_TXREHASH_ENABLED"),
        (255, "SOCK_TXREHASH_DEFAULT"),
    ],
    unknown: "SOCK_TXREHASH_???",
};

/// SOL_NETLINK's options (linux/netlink.h).
pub const NETLINK_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "NETLINK_ADD_MEMBERSHIP"),
        (2, "NETLINK_DROP_MEMBERSHIP"),
        (3, "NETLINK_PKTINFO"),
        (4, "NETLINK_BROADCAST_ERROR"),
        (5, "NETLINK_NO_ENOBUFS"),
        (6, "NETLINK_RX_RING"),
        (7, "NETLINK_TX_RING"),
        (8, "NETLINK_LISTEN_ALL_NSID"),
        (9, "NETLINK_LIST_MEMBERSHIPS"),
        (10, "NETLINK_CAP_ACK"),
        (11, "NETLINK_EXT_ACK"),
        (12, "NETLINK_GET_STRICT_CHK"),
    ],
    unknown: "NETLINK_???",
};
