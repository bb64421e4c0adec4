//! The names strace gives netlink's numbers (linux/netlink.h, rtnetlink.h, if_link.h,
//! if_addr.h, if_arp.h, if.h, inet_diag.h, tcp_states.h, gen_stats.h, pkt_sched.h,
//! pkt_cls.h; strace's spellings).

use rtrace_sdk::FlagTable;

/// Control messages (below NLMSG_MIN_TYPE), whatever the protocol.
pub const CONTROL_TYPES: &[(u64, &str)] = &[
    (1, "NLMSG_NOOP"),
    (2, "NLMSG_ERROR"),
    (3, "NLMSG_DONE"),
    (4, "NLMSG_OVERRUN"),
];

/// NETLINK_ROUTE's message types.
pub const ROUTE_TYPES: &[(u64, &str)] = &[
    (16, "RTM_NEWLINK"),
    (17, "RTM_DELLINK"),
    (18, "RTM_GETLINK"),
    (19, "RTM_SETLINK"),
    (20, "RTM_NEWADDR"),
    (21, "RTM_DELADDR"),
    (22, "RTM_GETADDR"),
    (24, "RTM_NEWROUTE"),
    (25, "RTM_DELROUTE"),
    (26, "RTM_GETROUTE"),
    (28, "RTM_NEWNEIGH"),
    (29, "RTM_DELNEIGH"),
    (30, "RTM_GETNEIGH"),
    (32, "RTM_NEWRULE"),
    (33, "RTM_DELRULE"),
    (34, "RTM_GETRULE"),
    (36, "RTM_NEWQDISC"),
    (37, "RTM_DELQDISC"),
    (38, "RTM_GETQDISC"),
    (40, "RTM_NEWTCLASS"),
    (41, "RTM_DELTCLASS"),
    (42, "RTM_GETTCLASS"),
    (44, "RTM_NEWTFILTER"),
    (45, "RTM_DELTFILTER"),
    (46, "RTM_GETTFILTER"),
    (48, "RTM_NEWACTION"),
    (49, "RTM_DELACTION"),
    (50, "RTM_GETACTION"),
    (52, "RTM_NEWPREFIX"),
    (56, "RTM_NEWMULTICAST"),
    (57, "RTM_DELMULTICAST"),
    (58, "RTM_GETMULTICAST"),
    (60, "RTM_NEWANYCAST"),
    (61, "RTM_DELANYCAST"),
    (62, "RTM_GETANYCAST"),
    (64, "RTM_NEWNEIGHTBL"),
    (66, "RTM_GETNEIGHTBL"),
    (67, "RTM_SETNEIGHTBL"),
    (68, "RTM_NEWNDUSEROPT"),
    (72, "RTM_NEWADDRLABEL"),
    (73, "RTM_DELADDRLABEL"),
    (74, "RTM_GETADDRLABEL"),
    (78, "RTM_GETDCB"),
    (79, "RTM_SETDCB"),
    (80, "RTM_NEWNETCONF"),
    (81, "RTM_DELNETCONF"),
    (82, "RTM_GETNETCONF"),
    (84, "RTM_NEWMDB"),
    (85, "RTM_DELMDB"),
    (86, "RTM_GETMDB"),
    (88, "RTM_NEWNSID"),
    (89, "RTM_DELNSID"),
    (90, "RTM_GETNSID"),
    (92, "RTM_NEWSTATS"),
    (94, "RTM_GETSTATS"),
    (96, "RTM_NEWCACHEREPORT"),
    (100, "RTM_NEWCHAIN"),
    (101, "RTM_DELCHAIN"),
    (102, "RTM_GETCHAIN"),
    (104, "RTM_NEWNEXTHOP"),
    (105, "RTM_DELNEXTHOP"),
    (106, "RTM_GETNEXTHOP"),
    (108, "RTM_NEWLINKPROP"),
    (109, "RTM_DELLINKPROP"),
    (110, "RTM_GETLINKPROP"),
    (112, "RTM_NEWVLAN"),
    (113, "RTM_DELVLAN"),
    (114, "RTM_GETVLAN"),
    (116, "RTM_NEWNEXTHOPBUCKET"),
    (117, "RTM_DELNEXTHOPBUCKET"),
    (118, "RTM_GETNEXTHOPBUCKET"),
];

/// NETLINK_SOCK_DIAG's message types.
pub const SOCK_DIAG_TYPES: &[(u64, &str)] = &[
    (18, "TCPDIAG_GETSOCK"),
    (19, "DCCPDIAG_GETSOCK"),
    (20, "SOCK_DIAG_BY_FAMILY"),
    (21, "SOCK_DESTROY"),
];

/// The flags every message may carry, first.
macro_rules! message_flags {
    ($($more:expr,)*) => {
        &[
            (0x1, "NLM_F_REQUEST"),
            (0x2, "NLM_F_MULTI"),
            (0x4, "NLM_F_ACK"),
            (0x8, "NLM_F_ECHO"),
            (0x10, "NLM_F_DUMP_INTR"),
            (0x20, "NLM_F_DUMP_FILTERED"),
            $($more,)*
        ]
    };
}

pub static MESSAGE_FLAGS: FlagTable = FlagTable::bits(message_flags![]);
/// Requests for objects (GET).
pub static GET_FLAGS: FlagTable = FlagTable::bits(message_flags![
    (0x300, "NLM_F_DUMP"),
    (0x100, "NLM_F_ROOT"),
    (0x200, "NLM_F_MATCH"),
    (0x400, "NLM_F_ATOMIC"),
]);
/// Creating objects (NEW).
pub static NEW_FLAGS: FlagTable = FlagTable::bits(message_flags![
    (0x100, "NLM_F_REPLACE"),
    (0x200, "NLM_F_EXCL"),
    (0x400, "NLM_F_CREATE"),
    (0x800, "NLM_F_APPEND"),
]);
/// Deleting objects (DEL).
pub static DELETE_FLAGS: FlagTable = FlagTable::bits(message_flags![
    (0x100, "NLM_F_NONREC"),
    (0x200, "NLM_F_BULK"),
]);
/// Acknowledgements (NLMSG_ERROR).
pub static ACK_FLAGS: FlagTable = FlagTable::bits(message_flags![
    (0x100, "NLM_F_CAPPED"),
    (0x200, "NLM_F_ACK_TLVS"),
]);

/// IFLA_EXT_MASK's RTEXT_FILTER_* bits.
pub static EXT_FILTER_FLAGS: FlagTable = FlagTable::bits(&[
    (0x1, "RTEXT_FILTER_VF"),
    (0x2, "RTEXT_FILTER_BRVLAN"),
    (0x4, "RTEXT_FILTER_BRVLAN_COMPRESSED"),
    (0x8, "RTEXT_FILTER_SKIP_STATS"),
    (0x10, "RTEXT_FILTER_MRP"),
    (0x20, "RTEXT_FILTER_CFM_CONFIG"),
    (0x40, "RTEXT_FILTER_CFM_STATUS"),
    (0x80, "RTEXT_FILTER_MST"),
    (0x100, "RTEXT_FILTER_NAME_ONLY"),
]);

/// `ifa_flags` and IFA_FLAGS (linux/if_addr.h).
pub static IFA_FLAGS: FlagTable = FlagTable::bits(&[
    (0x1, "IFA_F_SECONDARY"),
    (0x2, "IFA_F_NODAD"),
    (0x4, "IFA_F_OPTIMISTIC"),
    (0x8, "IFA_F_DADFAILED"),
    (0x10, "IFA_F_HOMEADDRESS"),
    (0x20, "IFA_F_DEPRECATED"),
    (0x40, "IFA_F_TENTATIVE"),
    (0x80, "IFA_F_PERMANENT"),
    (0x100, "IFA_F_MANAGETEMPADDR"),
    (0x200, "IFA_F_NOPREFIXROUTE"),
    (0x400, "IFA_F_MCAUTOJOIN"),
    (0x800, "IFA_F_STABLE_PRIVACY"),
]);

/// `rtm_scope`, `ifa_scope`.
pub const SCOPES: &[(u64, &str)] = &[
    (0, "RT_SCOPE_UNIVERSE"),
    (200, "RT_SCOPE_SITE"),
    (253, "RT_SCOPE_LINK"),
    (254, "RT_SCOPE_HOST"),
    (255, "RT_SCOPE_NOWHERE"),
];

/// `rtm_table`, RTA_TABLE.
pub const TABLES: &[(u64, &str)] = &[
    (0, "RT_TABLE_UNSPEC"),
    (252, "RT_TABLE_COMPAT"),
    (253, "RT_TABLE_DEFAULT"),
    (254, "RT_TABLE_MAIN"),
    (255, "RT_TABLE_LOCAL"),
];

/// `rtm_protocol`.
pub const ROUTE_PROTOCOLS: &[(u64, &str)] = &[
    (0, "RTPROT_UNSPEC"),
    (1, "RTPROT_REDIRECT"),
    (2, "RTPROT_KERNEL"),
    (3, "RTPROT_BOOT"),
    (4, "RTPROT_STATIC"),
    (8, "RTPROT_GATED"),
    (9, "RTPROT_RA"),
    (10, "RTPROT_MRT"),
    (11, "RTPROT_ZEBRA"),
    (12, "RTPROT_BIRD"),
    (13, "RTPROT_DNROUTED"),
    (14, "RTPROT_XORP"),
    (15, "RTPROT_NTK"),
    (16, "RTPROT_DHCP"),
    (17, "RTPROT_MROUTED"),
    (18, "RTPROT_KEEPALIVED"),
    (42, "RTPROT_BABEL"),
    (84, "RTPROT_OVN"),
    (99, "RTPROT_OPENR"),
    (186, "RTPROT_BGP"),
    (187, "RTPROT_ISIS"),
    (188, "RTPROT_OSPF"),
    (189, "RTPROT_RIP"),
    (192, "RTPROT_EIGRP"),
];

/// `rtm_type`.
pub const ROUTE_TYPES_RTN: &[(u64, &str)] = &[
    (0, "RTN_UNSPEC"),
    (1, "RTN_UNICAST"),
    (2, "RTN_LOCAL"),
    (3, "RTN_BROADCAST"),
    (4, "RTN_ANYCAST"),
    (5, "RTN_MULTICAST"),
    (6, "RTN_BLACKHOLE"),
    (7, "RTN_UNREACHABLE"),
    (8, "RTN_PROHIBIT"),
    (9, "RTN_THROW"),
    (10, "RTN_NAT"),
    (11, "RTN_XRESOLVE"),
];

/// `rtm_tos`.
pub static TOS_FLAGS: FlagTable = FlagTable::bits(&[
    (0x10, "IPTOS_LOWDELAY"),
    (0x08, "IPTOS_THROUGHPUT"),
    (0x04, "IPTOS_RELIABILITY"),
    (0x02, "IPTOS_MINCOST"),
]);

/// `rtm_flags`.
pub static ROUTE_FLAGS: FlagTable = FlagTable::bits(&[
    (0x100, "RTM_F_NOTIFY"),
    (0x200, "RTM_F_CLONED"),
    (0x400, "RTM_F_EQUALIZE"),
    (0x800, "RTM_F_PREFIX"),
    (0x1000, "RTM_F_LOOKUP_TABLE"),
    (0x2000, "RTM_F_FIB_MATCH"),
    (0x4000, "RTM_F_OFFLOAD"),
    (0x8000, "RTM_F_TRAP"),
    (0x2000_0000, "RTM_F_OFFLOAD_FAILED"),
]);

/// TCP states (idiag_state).
pub const TCP_STATES: &[(u64, &str)] = &[
    (1, "TCP_ESTABLISHED"),
    (2, "TCP_SYN_SENT"),
    (3, "TCP_SYN_RECV"),
    (4, "TCP_FIN_WAIT1"),
    (5, "TCP_FIN_WAIT2"),
    (6, "TCP_TIME_WAIT"),
    (7, "TCP_CLOSE"),
    (8, "TCP_CLOSE_WAIT"),
    (9, "TCP_LAST_ACK"),
    (10, "TCP_LISTEN"),
    (11, "TCP_CLOSING"),
    (12, "TCP_NEW_SYN_RECV"),
    (13, "TCP_BOUND_INACTIVE"),
];

/// idiag_states: a bit per TCP state.
pub static TCP_STATE_FLAGS: FlagTable = FlagTable::bits(&[
    (0x2, "1<<TCP_ESTABLISHED"),
    (0x4, "1<<TCP_SYN_SENT"),
    (0x8, "1<<TCP_SYN_RECV"),
    (0x10, "1<<TCP_FIN_WAIT1"),
    (0x20, "1<<TCP_FIN_WAIT2"),
    (0x40, "1<<TCP_TIME_WAIT"),
    (0x80, "1<<TCP_CLOSE"),
    (0x100, "1<<TCP_CLOSE_WAIT"),
    (0x200, "1<<TCP_LAST_ACK"),
    (0x400, "1<<TCP_LISTEN"),
    (0x800, "1<<TCP_CLOSING"),
    (0x1000, "1<<TCP_NEW_SYN_RECV"),
    (0x2000, "1<<TCP_BOUND_INACTIVE"),
]);

/// idiag_ext: a bit per attribute asked for (its number minus one).
pub static DIAG_EXT_FLAGS: FlagTable = FlagTable::bits(&[
    (0x1, "1<<(INET_DIAG_MEMINFO-1)"),
    (0x2, "1<<(INET_DIAG_INFO-1)"),
    (0x4, "1<<(INET_DIAG_VEGASINFO-1)"),
    (0x8, "1<<(INET_DIAG_CONG-1)"),
    (0x10, "1<<(INET_DIAG_TOS-1)"),
    (0x20, "1<<(INET_DIAG_TCLASS-1)"),
    (0x40, "1<<(INET_DIAG_SKMEMINFO-1)"),
    (0x80, "1<<(INET_DIAG_SHUTDOWN-1)"),
    (0x100, "1<<(INET_DIAG_DCTCPINFO-1)"),
    (0x200, "1<<(INET_DIAG_PROTOCOL-1)"),
    (0x400, "1<<(INET_DIAG_SKV6ONLY-1)"),
    (0x800, "1<<(INET_DIAG_LOCALS-1)"),
    (0x1000, "1<<(INET_DIAG_PEERS-1)"),
    (0x2000, "1<<(INET_DIAG_PAD-1)"),
    (0x4000, "1<<(INET_DIAG_MARK-1)"),
    (0x8000, "1<<(INET_DIAG_BBRINFO-1)"),
    (0x10000, "1<<(INET_DIAG_CLASS_ID-1)"),
    (0x20000, "1<<(INET_DIAG_MD5SIG-1)"),
    (0x40000, "1<<(INET_DIAG_ULP_INFO-1)"),
    (0x80000, "1<<(INET_DIAG_SK_BPF_STORAGES-1)"),
    (0x100000, "1<<(INET_DIAG_CGROUP_ID-1)"),
    (0x200000, "1<<(INET_DIAG_SOCKOPT-1)"),
]);

/// The attribute names, by number: IFLA_*.
pub const IFLA_NAMES: &[&str] = &[
    "IFLA_UNSPEC",
    "IFLA_ADDRESS",
    "IFLA_BROADCAST",
    "IFLA_IFNAME",
    "IFLA_MTU",
    "IFLA_LINK",
    "IFLA_QDISC",
    "IFLA_STATS",
    "IFLA_COST",
    "IFLA_PRIORITY",
    "IFLA_MASTER",
    "IFLA_WIRELESS",
    "IFLA_PROTINFO",
    "IFLA_TXQLEN",
    "IFLA_MAP",
    "IFLA_WEIGHT",
    "IFLA_OPERSTATE",
    "IFLA_LINKMODE",
    "IFLA_LINKINFO",
    "IFLA_NET_NS_PID",
    "IFLA_IFALIAS",
    "IFLA_NUM_VF",
    "IFLA_VFINFO_LIST",
    "IFLA_STATS64",
    "IFLA_VF_PORTS",
    "IFLA_PORT_SELF",
    "IFLA_AF_SPEC",
    "IFLA_GROUP",
    "IFLA_NET_NS_FD",
    "IFLA_EXT_MASK",
    "IFLA_PROMISCUITY",
    "IFLA_NUM_TX_QUEUES",
    "IFLA_NUM_RX_QUEUES",
    "IFLA_CARRIER",
    "IFLA_PHYS_PORT_ID",
    "IFLA_CARRIER_CHANGES",
    "IFLA_PHYS_SWITCH_ID",
    "IFLA_LINK_NETNSID",
    "IFLA_PHYS_PORT_NAME",
    "IFLA_PROTO_DOWN",
    "IFLA_GSO_MAX_SEGS",
    "IFLA_GSO_MAX_SIZE",
    "IFLA_PAD",
    "IFLA_XDP",
    "IFLA_EVENT",
    "IFLA_NEW_NETNSID",
    "IFLA_IF_NETNSID",
    "IFLA_CARRIER_UP_COUNT",
    "IFLA_CARRIER_DOWN_COUNT",
    "IFLA_NEW_IFINDEX",
    "IFLA_MIN_MTU",
    "IFLA_MAX_MTU",
    "IFLA_PROP_LIST",
    "IFLA_ALT_IFNAME",
    "IFLA_PERM_ADDRESS",
    "IFLA_PROTO_DOWN_REASON",
    "IFLA_PARENT_DEV_NAME",
    "IFLA_PARENT_DEV_BUS_NAME",
    "IFLA_GRO_MAX_SIZE",
    "IFLA_TSO_MAX_SIZE",
    "IFLA_TSO_MAX_SEGS",
    "IFLA_ALLMULTI",
    "IFLA_DEVLINK_PORT",
    "IFLA_GSO_IPV4_MAX_SIZE",
    "IFLA_GRO_IPV4_MAX_SIZE",
    "IFLA_DPLL_PIN",
    "IFLA_MAX_PACING_OFFLOAD_HORIZON",
    "IFLA_NETNS_IMMUTABLE",
    "IFLA_HEADROOM",
    "IFLA_TAILROOM",
];

/// IFA_*.
pub const IFA_NAMES: &[&str] = &[
    "IFA_UNSPEC",
    "IFA_ADDRESS",
    "IFA_LOCAL",
    "IFA_LABEL",
    "IFA_BROADCAST",
    "IFA_ANYCAST",
    "IFA_CACHEINFO",
    "IFA_MULTICAST",
    "IFA_FLAGS",
    "IFA_RT_PRIORITY",
    "IFA_TARGET_NETNSID",
    "IFA_PROTO",
];

/// RTA_*.
pub const RTA_NAMES: &[&str] = &[
    "RTA_UNSPEC",
    "RTA_DST",
    "RTA_SRC",
    "RTA_IIF",
    "RTA_OIF",
    "RTA_GATEWAY",
    "RTA_PRIORITY",
    "RTA_PREFSRC",
    "RTA_METRICS",
    "RTA_MULTIPATH",
    "RTA_PROTOINFO",
    "RTA_FLOW",
    "RTA_CACHEINFO",
    "RTA_SESSION",
    "RTA_MP_ALGO",
    "RTA_TABLE",
    "RTA_MARK",
    "RTA_MFC_STATS",
    "RTA_VIA",
    "RTA_NEWDST",
    "RTA_PREF",
    "RTA_ENCAP_TYPE",
    "RTA_ENCAP",
    "RTA_EXPIRES",
    "RTA_PAD",
    "RTA_UID",
    "RTA_TTL_PROPAGATE",
    "RTA_IP_PROTO",
    "RTA_SPORT",
    "RTA_DPORT",
    "RTA_NH_ID",
    "RTA_FLOWLABEL",
];

/// INET_DIAG_* (responses).
pub const INET_DIAG_NAMES: &[&str] = &[
    "INET_DIAG_NONE",
    "INET_DIAG_MEMINFO",
    "INET_DIAG_INFO",
    "INET_DIAG_VEGASINFO",
    "INET_DIAG_CONG",
    "INET_DIAG_TOS",
    "INET_DIAG_TCLASS",
    "INET_DIAG_SKMEMINFO",
    "INET_DIAG_SHUTDOWN",
    "INET_DIAG_DCTCPINFO",
    "INET_DIAG_PROTOCOL",
    "INET_DIAG_SKV6ONLY",
    "INET_DIAG_LOCALS",
    "INET_DIAG_PEERS",
    "INET_DIAG_PAD",
    "INET_DIAG_MARK",
    "INET_DIAG_BBRINFO",
    "INET_DIAG_CLASS_ID",
    "INET_DIAG_MD5SIG",
    "INET_DIAG_ULP_INFO",
    "INET_DIAG_SK_BPF_STORAGES",
    "INET_DIAG_CGROUP_ID",
    "INET_DIAG_SOCKOPT",
];

/// INET_DIAG_REQ_* (requests).
pub const INET_DIAG_REQ_NAMES: &[&str] = &[
    "INET_DIAG_REQ_NONE",
    "INET_DIAG_REQ_BYTECODE",
    "INET_DIAG_REQ_SK_BPF_STORAGES",
    "INET_DIAG_REQ_PROTOCOL",
];

/// NLMSGERR_ATTR_* (extended acknowledgements).
pub const NLMSGERR_NAMES: &[&str] = &[
    "NLMSGERR_ATTR_UNUSED",
    "NLMSGERR_ATTR_MSG",
    "NLMSGERR_ATTR_OFFS",
    "NLMSGERR_ATTR_COOKIE",
    "NLMSGERR_ATTR_POLICY",
    "NLMSGERR_ATTR_MISS_TYPE",
    "NLMSGERR_ATTR_MISS_NEST",
];

/// IFLA_XDP_ATTACHED.
pub const XDP_ATTACHED: &[(u64, &str)] = &[
    (0, "XDP_ATTACHED_NONE"),
    (1, "XDP_ATTACHED_DRV"),
    (2, "XDP_ATTACHED_SKB"),
    (3, "XDP_ATTACHED_HW"),
    (4, "XDP_ATTACHED_MULTI"),
];

/// IFLA_XDP_FLAGS.
pub static XDP_FLAGS: FlagTable = FlagTable::bits(&[
    (0x1, "XDP_FLAGS_UPDATE_IF_NOEXIST"),
    (0x2, "XDP_FLAGS_SKB_MODE"),
    (0x4, "XDP_FLAGS_DRV_MODE"),
    (0x8, "XDP_FLAGS_HW_MODE"),
    (0x10, "XDP_FLAGS_REPLACE"),
]);

/// `ndm_state` (linux/neighbour.h).
pub static NUD_STATES: FlagTable = FlagTable::bits(&[
    (0x00, "NUD_NONE"),
    (0x01, "NUD_INCOMPLETE"),
    (0x02, "NUD_REACHABLE"),
    (0x04, "NUD_STALE"),
    (0x08, "NUD_DELAY"),
    (0x10, "NUD_PROBE"),
    (0x20, "NUD_FAILED"),
    (0x40, "NUD_NOARP"),
    (0x80, "NUD_PERMANENT"),
]);

/// `ndm_flags`.
pub static NTF_FLAGS: FlagTable = FlagTable::bits(&[
    (0x01, "NTF_USE"),
    (0x02, "NTF_SELF"),
    (0x04, "NTF_MASTER"),
    (0x08, "NTF_PROXY"),
    (0x10, "NTF_EXT_LEARNED"),
    (0x20, "NTF_OFFLOADED"),
    (0x40, "NTF_STICKY"),
    (0x80, "NTF_ROUTER"),
]);

/// NDA_*.
pub const NDA_NAMES: &[&str] = &[
    "NDA_UNSPEC",
    "NDA_DST",
    "NDA_LLADDR",
    "NDA_CACHEINFO",
    "NDA_PROBES",
    "NDA_VLAN",
    "NDA_PORT",
    "NDA_VNI",
    "NDA_IFINDEX",
    "NDA_MASTER",
    "NDA_LINK_NETNSID",
    "NDA_SRC_VNI",
    "NDA_PROTOCOL",
    "NDA_NH_ID",
    "NDA_FDB_EXT_ATTRS",
    "NDA_FLAGS_EXT",
    "NDA_NDM_STATE_MASK",
    "NDA_NDM_FLAGS_MASK",
];

/// udiag_show: what a unix_diag request asks for.
pub static UDIAG_SHOW: FlagTable = FlagTable::bits(&[
    (0x01, "UDIAG_SHOW_NAME"),
    (0x02, "UDIAG_SHOW_VFS"),
    (0x04, "UDIAG_SHOW_PEER"),
    (0x08, "UDIAG_SHOW_ICONS"),
    (0x10, "UDIAG_SHOW_RQLEN"),
    (0x20, "UDIAG_SHOW_MEMINFO"),
    (0x40, "UDIAG_SHOW_UID"),
]);

/// UNIX_DIAG_*.
pub const UNIX_DIAG_NAMES: &[&str] = &[
    "UNIX_DIAG_NAME",
    "UNIX_DIAG_VFS",
    "UNIX_DIAG_PEER",
    "UNIX_DIAG_ICONS",
    "UNIX_DIAG_RQLEN",
    "UNIX_DIAG_MEMINFO",
    "UNIX_DIAG_SHUTDOWN",
    "UNIX_DIAG_UID",
];

/// A routing rule's action (linux/fib_rules.h).
pub const FR_ACTIONS: &[(u64, &str)] = &[
    (0, "FR_ACT_UNSPEC"),
    (1, "FR_ACT_TO_TBL"),
    (2, "FR_ACT_GOTO"),
    (3, "FR_ACT_NOP"),
    (4, "FR_ACT_RES3"),
    (5, "FR_ACT_RES4"),
    (6, "FR_ACT_BLACKHOLE"),
    (7, "FR_ACT_UNREACHABLE"),
    (8, "FR_ACT_PROHIBIT"),
];

/// A routing rule's flags.
pub static FIB_RULE_FLAGS: FlagTable = FlagTable::bits(&[
    (0x1, "FIB_RULE_PERMANENT"),
    (0x2, "FIB_RULE_INVERT"),
    (0x4, "FIB_RULE_UNRESOLVED"),
    (0x8, "FIB_RULE_IIF_DETACHED"),
    (0x10, "FIB_RULE_OIF_DETACHED"),
    (0x10000, "FIB_RULE_FIND_SADDR"),
]);

/// FRA_*.
pub const FRA_NAMES: &[&str] = &[
    "FRA_UNSPEC",
    "FRA_DST",
    "FRA_SRC",
    "FRA_IIFNAME",
    "FRA_GOTO",
    "FRA_UNUSED2",
    "FRA_PRIORITY",
    "FRA_UNUSED3",
    "FRA_UNUSED4",
    "FRA_UNUSED5",
    "FRA_FWMARK",
    "FRA_FLOW",
    "FRA_TUN_ID",
    "FRA_SUPPRESS_IFGROUP",
    "FRA_SUPPRESS_PREFIXLEN",
    "FRA_TABLE",
    "FRA_FWMASK",
    "FRA_OIFNAME",
    "FRA_PAD",
    "FRA_L3MDEV",
    "FRA_UID_RANGE",
    "FRA_PROTOCOL",
    "FRA_IP_PROTO",
    "FRA_SPORT_RANGE",
    "FRA_DPORT_RANGE",
    "FRA_DSCP",
    "FRA_FLOWLABEL",
    "FRA_FLOWLABEL_MASK",
    "FRA_SPORT_MASK",
    "FRA_DPORT_MASK",
    "FRA_DSCP_MASK",
];

/// TCA_* (linux/rtnetlink.h): a traffic-control object's attributes.
pub const TCA_NAMES: &[&str] = &[
    "TCA_UNSPEC",
    "TCA_KIND",
    "TCA_OPTIONS",
    "TCA_STATS",
    "TCA_XSTATS",
    "TCA_RATE",
    "TCA_FCNT",
    "TCA_STATS2",
    "TCA_STAB",
    "TCA_PAD",
    "TCA_DUMP_INVISIBLE",
    "TCA_CHAIN",
    "TCA_HW_OFFLOAD",
    "TCA_INGRESS_BLOCK",
    "TCA_EGRESS_BLOCK",
    "TCA_DUMP_FLAGS",
    "TCA_EXT_WARN_MSG",
];

/// TCA_STATS_* (linux/gen_stats.h): TCA_STATS2's and TCA_ACT_STATS's attributes.
pub const TCA_STATS_NAMES: &[&str] = &[
    "TCA_STATS_UNSPEC",
    "TCA_STATS_BASIC",
    "TCA_STATS_RATE_EST",
    "TCA_STATS_QUEUE",
    "TCA_STATS_APP",
    "TCA_STATS_RATE_EST64",
    "TCA_STATS_PAD",
    "TCA_STATS_BASIC_HW",
    "TCA_STATS_PKT64",
];

/// TCA_STAB_* (linux/pkt_sched.h): a size table's attributes.
pub const TCA_STAB_NAMES: &[&str] = &["TCA_STAB_UNSPEC", "TCA_STAB_BASE", "TCA_STAB_DATA"];

/// TCA_ROOT_* (linux/rtnetlink.h): the attributes of an action message.
pub const TCA_ROOT_NAMES: &[&str] = &[
    "TCA_ROOT_UNSPEC",
    "TCA_ROOT_TAB",
    "TCA_ROOT_FLAGS",
    "TCA_ROOT_COUNT",
    "TCA_ROOT_TIME_DELTA",
    "TCA_ROOT_EXT_WARN_MSG",
];

/// TCA_ACT_* (linux/pkt_cls.h): one action's attributes.
pub const TCA_ACT_NAMES: &[&str] = &[
    "TCA_ACT_UNSPEC",
    "TCA_ACT_KIND",
    "TCA_ACT_OPTIONS",
    "TCA_ACT_INDEX",
    "TCA_ACT_STATS",
    "TCA_ACT_PAD",
    "TCA_ACT_COOKIE",
    "TCA_ACT_FLAGS",
    "TCA_ACT_HW_STATS",
    "TCA_ACT_USED_HW_STATS",
    "TCA_ACT_IN_HW_COUNT",
];

/// TCA_ROOT_FLAGS' bits (linux/rtnetlink.h).
pub static TCA_ROOT_FLAGS: FlagTable = FlagTable::bits(&[
    (0x1, "TCA_ACT_FLAG_LARGE_DUMP_ON"),
    (0x2, "TCA_ACT_FLAG_TERSE_DUMP"),
]);

/// TCA_ACT_FLAGS' bits (linux/pkt_cls.h).
pub static TCA_ACT_FLAGS: FlagTable = FlagTable::bits(&[
    (0x1, "TCA_ACT_FLAGS_NO_PERCPU_STATS"),
    (0x2, "TCA_ACT_FLAGS_SKIP_HW"),
    (0x4, "TCA_ACT_FLAGS_SKIP_SW"),
]);

/// TCA_ACT_HW_STATS' and TCA_ACT_USED_HW_STATS' bits (linux/pkt_cls.h).
pub static TCA_ACT_HW_STATS: FlagTable = FlagTable::bits(&[
    (0x1, "TCA_ACT_HW_STATS_IMMEDIATE"),
    (0x2, "TCA_ACT_HW_STATS_DELAYED"),
]);
