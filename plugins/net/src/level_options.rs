//! The option names of the socket levels strace names beyond SOL_SOCKET, SOL_IP,
//! SOL_IPV6, SOL_TCP and SOL_NETLINK (those are in [`crate::tables`]), each with the
//! default strace writes for a name it does not know (`0x270f /* UDP_??? */`). Values
//! of the kernel's uapi headers (linux/udp.h, linux/if_packet.h, linux/tipc.h, ...), as
//! strace 7.2's lists have them.

use rtrace_sdk::ConstTable;

/// Level AF_VSOCK (40).
const VSOCK_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (0, "SO_VM_SOCKETS_BUFFER_SIZE"),
        (1, "SO_VM_SOCKETS_BUFFER_MIN_SIZE"),
        (2, "SO_VM_SOCKETS_BUFFER_MAX_SIZE"),
        (3, "SO_VM_SOCKETS_PEER_HOST_VM_ID"),
        (5, "SO_VM_SOCKETS_TRUSTED"),
        (6, "SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD"),
        (7, "SO_VM_SOCKETS_NONBLOCK_TXRX"),
        (8, "SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW"),
    ],
    unknown: "SO_VM_SOCKETS_???",
};

/// Level SOL_IPX (256).
const IPX_OPTIONS: &ConstTable = &ConstTable {
    names: &[(1, "IPX_TYPE")],
    unknown: "IPX_???",
};

/// Level SOL_AX25 (257).
const AX25_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "AX25_WINDOW"),
        (2, "AX25_T1"),
        (3, "AX25_N2"),
        (4, "AX25_T3"),
        (5, "AX25_T2"),
        (6, "AX25_BACKOFF"),
        (7, "AX25_EXTSEQ"),
        (8, "AX25_PIDINCL"),
        (9, "AX25_IDLE"),
        (10, "AX25_PACLEN"),
        (12, "AX25_IAMDIGI"),
        (25, "SO_BINDTODEVICE"),
    ],
    unknown: "AX25_???",
};

/// Level SOL_PACKET (263).
const PACKET_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "PACKET_ADD_MEMBERSHIP"),
        (2, "PACKET_DROP_MEMBERSHIP"),
        (3, "PACKET_RECV_OUTPUT"),
        (5, "PACKET_RX_RING"),
        (6, "PACKET_STATISTICS"),
        (7, "PACKET_COPY_THRESH"),
        (8, "PACKET_AUXDATA"),
        (9, "PACKET_ORIGDEV"),
        (10, "PACKET_VERSION"),
        (11, "PACKET_HDRLEN"),
        (12, "PACKET_RESERVE"),
        (13, "PACKET_TX_RING"),
        (14, "PACKET_LOSS"),
        (15, "PACKET_VNET_HDR"),
        (16, "PACKET_TX_TIMESTAMP"),
        (17, "PACKET_TIMESTAMP"),
        (18, "PACKET_FANOUT"),
        (19, "PACKET_TX_HAS_OFF"),
        (20, "PACKET_QDISC_BYPASS"),
        (21, "PACKET_ROLLOVER_STATS"),
        (22, "PACKET_FANOUT_DATA"),
        (23, "PACKET_IGNORE_OUTGOING"),
        (24, "PACKET_VNET_HDR_SZ"),
    ],
    unknown: "PACKET_???",
};

/// Level SOL_CAN_RAW (101).
const CAN_RAW_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "CAN_RAW_FILTER"),
        (2, "CAN_RAW_ERR_FILTER"),
        (3, "CAN_RAW_LOOPBACK"),
        (4, "CAN_RAW_RECV_OWN_MSGS"),
        (5, "CAN_RAW_FD_FRAMES"),
        (6, "CAN_RAW_JOIN_FILTERS"),
        (7, "CAN_RAW_XL_FRAMES"),
        (8, "CAN_RAW_XL_VCID_OPTS"),
    ],
    unknown: "CAN_RAW_???",
};

/// Level SOL_SCTP (132).
const SCTP_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (0, "SCTP_RTOINFO"),
        (1, "SCTP_ASSOCINFO"),
        (2, "SCTP_INITMSG"),
        (3, "SCTP_NODELAY"),
        (4, "SCTP_AUTOCLOSE"),
        (5, "SCTP_SET_PEER_PRIMARY_ADDR"),
        (6, "SCTP_PRIMARY_ADDR"),
        (7, "SCTP_ADAPTATION_LAYER"),
        (8, "SCTP_DISABLE_FRAGMENTS"),
        (9, "SCTP_PEER_ADDR_PARAMS"),
        (10, "SCTP_DEFAULT_SEND_PARAM"),
        (11, "SCTP_EVENTS"),
        (12, "SCTP_I_WANT_MAPPED_V4_ADDR"),
        (13, "SCTP_MAXSEG"),
        (14, "SCTP_STATUS"),
        (15, "SCTP_GET_PEER_ADDR_INFO"),
        (16, "SCTP_DELAYED_SACK"),
        (17, "SCTP_CONTEXT"),
        (18, "SCTP_FRAGMENT_INTERLEAVE"),
        (19, "SCTP_PARTIAL_DELIVERY_POINT"),
        (20, "SCTP_MAX_BURST"),
        (21, "SCTP_AUTH_CHUNK"),
        (22, "SCTP_HMAC_IDENT"),
        (23, "SCTP_AUTH_KEY"),
        (24, "SCTP_AUTH_ACTIVE_KEY"),
        (25, "SCTP_AUTH_DELETE_KEY"),
        (26, "SCTP_PEER_AUTH_CHUNKS"),
        (27, "SCTP_LOCAL_AUTH_CHUNKS"),
        (28, "SCTP_GET_ASSOC_NUMBER"),
        (29, "SCTP_GET_ASSOC_ID_LIST"),
        (30, "SCTP_AUTO_ASCONF"),
        (31, "SCTP_PEER_ADDR_THLDS"),
        (32, "SCTP_RECVRCVINFO"),
        (33, "SCTP_RECVNXTINFO"),
        (34, "SCTP_DEFAULT_SNDINFO"),
        (35, "SCTP_AUTH_DEACTIVATE_KEY"),
        (36, "SCTP_REUSE_PORT"),
        (37, "SCTP_PEER_ADDR_THLDS_V2"),
        (100, "SCTP_SOCKOPT_BINDX_ADD"),
        (101, "SCTP_SOCKOPT_BINDX_REM"),
        (102, "SCTP_SOCKOPT_PEELOFF"),
        (103, "SCTP_GET_PEER_ADDRS_NUM_OLD"),
        (104, "SCTP_GET_PEER_ADDRS_OLD"),
        (105, "SCTP_GET_LOCAL_ADDRS_NUM_OLD"),
        (106, "SCTP_GET_LOCAL_ADDRS_OLD"),
        (107, "SCTP_SOCKOPT_CONNECTX_OLD"),
        (108, "SCTP_GET_PEER_ADDRS"),
        (109, "SCTP_GET_LOCAL_ADDRS"),
        (110, "SCTP_SOCKOPT_CONNECTX"),
        (111, "SCTP_SOCKOPT_CONNECTX3"),
        (112, "SCTP_GET_ASSOC_STATS"),
        (113, "SCTP_PR_SUPPORTED"),
        (114, "SCTP_DEFAULT_PRINFO"),
        (115, "SCTP_PR_ASSOC_STATUS"),
        (116, "SCTP_PR_STREAM_STATUS"),
        (117, "SCTP_RECONFIG_SUPPORTED"),
        (118, "SCTP_ENABLE_STREAM_RESET"),
        (119, "SCTP_RESET_STREAMS"),
        (120, "SCTP_RESET_ASSOC"),
        (121, "SCTP_ADD_STREAMS"),
        (122, "SCTP_SOCKOPT_PEELOFF_FLAGS"),
        (123, "SCTP_STREAM_SCHEDULER"),
        (124, "SCTP_STREAM_SCHEDULER_VALUE"),
        (125, "SCTP_INTERLEAVING_SUPPORTED"),
        (126, "SCTP_SENDMSG_CONNECT"),
        (127, "SCTP_EVENT"),
        (128, "SCTP_ASCONF_SUPPORTED"),
        (129, "SCTP_AUTH_SUPPORTED"),
        (130, "SCTP_ECN_SUPPORTED"),
        (131, "SCTP_EXPOSE_POTENTIALLY_FAILED_STATE"),
        (132, "SCTP_REMOTE_UDP_ENCAPS_PORT"),
        (133, "SCTP_PLPMTUD_PROBE_INTERVAL"),
    ],
    unknown: "SCTP_???",
};

/// Level SOL_RAW (255).
const RAW_OPTIONS: &ConstTable = &ConstTable {
    names: &[(1, "ICMP_FILTER")],
    unknown: "RAW_???",
};

/// Level SOL_UDP (17).
const UDP_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "UDP_CORK"),
        (100, "UDP_ENCAP"),
        (101, "UDP_NO_CHECK6_TX"),
        (102, "UDP_NO_CHECK6_RX"),
        (103, "UDP_SEGMENT"),
        (104, "UDP_GRO"),
    ],
    unknown: "UDP_???",
};

/// Level SOL_IRDA (266).
const IRDA_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "IRLMP_ENUMDEVICES"),
        (2, "IRLMP_IAS_SET"),
        (3, "IRLMP_IAS_QUERY"),
        (4, "IRLMP_HINTS_SET"),
        (5, "IRLMP_QOS_SET"),
        (6, "IRLMP_QOS_GET"),
        (7, "IRLMP_MAX_SDU_SIZE"),
        (8, "IRLMP_IAS_GET"),
        (9, "IRLMP_IAS_DEL"),
        (10, "IRLMP_HINT_MASK_SET"),
        (11, "IRLMP_WAITDEVICE"),
    ],
    unknown: "IRLMP_???",
};

/// Level SOL_LLC (268).
const LLC_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (0, "LLC_OPT_UNKNOWN"),
        (1, "LLC_OPT_RETRY"),
        (2, "LLC_OPT_SIZE"),
        (3, "LLC_OPT_ACK_TMR_EXP"),
        (4, "LLC_OPT_P_TMR_EXP"),
        (5, "LLC_OPT_REJ_TMR_EXP"),
        (6, "LLC_OPT_BUSY_TMR_EXP"),
        (7, "LLC_OPT_TX_WIN"),
        (8, "LLC_OPT_RX_WIN"),
        (9, "LLC_OPT_PKTINFO"),
    ],
    unknown: "LLC_OPT_???",
};

/// Level SOL_DCCP (269).
const DCCP_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "DCCP_SOCKOPT_PACKET_SIZE"),
        (2, "DCCP_SOCKOPT_SERVICE"),
        (3, "DCCP_SOCKOPT_CHANGE_L"),
        (4, "DCCP_SOCKOPT_CHANGE_R"),
        (5, "DCCP_SOCKOPT_GET_CUR_MPS"),
        (6, "DCCP_SOCKOPT_SERVER_TIMEWAIT"),
        (10, "DCCP_SOCKOPT_SEND_CSCOV"),
        (11, "DCCP_SOCKOPT_RECV_CSCOV"),
        (12, "DCCP_SOCKOPT_AVAILABLE_CCIDS"),
        (13, "DCCP_SOCKOPT_CCID"),
        (14, "DCCP_SOCKOPT_TX_CCID"),
        (15, "DCCP_SOCKOPT_RX_CCID"),
        (16, "DCCP_SOCKOPT_QPOLICY_ID"),
        (17, "DCCP_SOCKOPT_QPOLICY_TXQLEN"),
        (128, "DCCP_SOCKOPT_CCID_RX_INFO"),
        (192, "DCCP_SOCKOPT_CCID_TX_INFO"),
    ],
    unknown: "DCCP_SOCKOPT_???",
};

/// Level SOL_TIPC (271).
const TIPC_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (127, "TIPC_IMPORTANCE"),
        (128, "TIPC_SRC_DROPPABLE"),
        (129, "TIPC_DEST_DROPPABLE"),
        (130, "TIPC_CONN_TIMEOUT"),
        (131, "TIPC_NODE_RECVQ_DEPTH"),
        (132, "TIPC_SOCK_RECVQ_DEPTH"),
        (133, "TIPC_MCAST_BROADCAST"),
        (134, "TIPC_MCAST_REPLICAST"),
        (135, "TIPC_GROUP_JOIN"),
        (136, "TIPC_GROUP_LEAVE"),
        (137, "TIPC_SOCK_RECVQ_USED"),
        (138, "TIPC_NODELAY"),
    ],
    unknown: "TIPC_???",
};

/// Level SOL_RXRPC (272).
const RXRPC_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "RXRPC_SECURITY_KEY"),
        (2, "RXRPC_SECURITY_KEYRING"),
        (3, "RXRPC_EXCLUSIVE_CONNECTION"),
        (4, "RXRPC_MIN_SECURITY_LEVEL"),
        (5, "RXRPC_UPGRADEABLE_SERVICE"),
        (6, "RXRPC_SUPPORTED_CMSG"),
        (7, "RXRPC_MANAGE_RESPONSE"),
    ],
    unknown: "RXRPC_???",
};

/// Level SOL_PPPOL2TP (273).
const PPPOL2TP_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "PPPOL2TP_SO_DEBUG"),
        (2, "PPPOL2TP_SO_RECVSEQ"),
        (3, "PPPOL2TP_SO_SENDSEQ"),
        (4, "PPPOL2TP_SO_LNSMODE"),
        (5, "PPPOL2TP_SO_REORDERTO"),
    ],
    unknown: "PPPOL2TP_SO_???",
};

/// Level SOL_BLUETOOTH (274).
const BLUETOOTH_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (4, "BT_SECURITY"),
        (7, "BT_DEFER_SETUP"),
        (8, "BT_FLUSHABLE"),
        (9, "BT_POWER"),
        (10, "BT_CHANNEL_POLICY"),
        (11, "BT_VOICE"),
        (12, "BT_SNDMTU"),
        (13, "BT_RCVMTU"),
    ],
    unknown: "BT_???",
};

/// Level SOL_PNPIPE (275).
const PNPIPE_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "PNPIPE_ENCAP"),
        (2, "PNPIPE_IFINDEX"),
        (3, "PNPIPE_HANDLE"),
        (4, "PNPIPE_INITSTATE"),
    ],
    unknown: "PNPIPE_???",
};

/// Level SOL_RDS (276).
const RDS_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "RDS_CANCEL_SENT_TO"),
        (2, "RDS_GET_MR"),
        (3, "RDS_FREE_MR"),
        (4, "RDS_BARRIER"),
        (5, "RDS_RECVERR"),
        (6, "RDS_CONG_MONITOR"),
        (7, "RDS_GET_MR_FOR_DEST"),
        (8, "SO_RDS_TRANSPORT"),
        (10, "SO_RDS_MSG_RXPATH_LATENCY"),
        (29, "SO_TIMESTAMP_OLD"),
        (10000, "RDS_INFO_COUNTERS"),
        (10001, "RDS_INFO_CONNECTIONS"),
        (10002, "RDS_INFO_FLOWS"),
        (10003, "RDS_INFO_SEND_MESSAGES"),
        (10004, "RDS_INFO_RETRANS_MESSAGES"),
        (10005, "RDS_INFO_RECV_MESSAGES"),
        (10006, "RDS_INFO_SOCKETS"),
        (10007, "RDS_INFO_TCP_SOCKETS"),
        (10008, "RDS_INFO_IB_CONNECTIONS"),
        (10009, "RDS_INFO_CONNECTION_STATS"),
        (10010, "RDS_INFO_IWARP_CONNECTIONS"),
        (16402, "SO_TIMESTAMP_OLD"),
    ],
    unknown: "RDS_???",
};

/// Level SOL_IUCV (277).
const IUCV_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (128, "SO_IPRMDATA_MSG"),
        (4096, "SO_MSGLIMIT"),
        (2048, "SO_MSGSIZE"),
    ],
    unknown: "SO_???",
};

/// Level SOL_CAIF (278).
const CAIF_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (127, "CAIFSO_LINK_SELECT"),
        (128, "CAIFSO_REQ_PARAM"),
        (129, "CAIFSO_RSP_PARAM"),
    ],
    unknown: "CAIFSO_???",
};

/// Level SOL_ALG (279).
const ALG_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "ALG_SET_KEY"),
        (2, "ALG_SET_IV"),
        (3, "ALG_SET_OP"),
        (4, "ALG_SET_AEAD_ASSOCLEN"),
        (5, "ALG_SET_AEAD_AUTHSIZE"),
        (6, "ALG_SET_DRBG_ENTROPY"),
        (7, "ALG_SET_KEY_BY_KEY_SERIAL"),
    ],
    unknown: "ALG_SET_???",
};

/// Level SOL_NFC (280).
const NFC_LLCP_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (0, "NFC_LLCP_RW"),
        (1, "NFC_LLCP_MIUX"),
        (2, "NFC_LLCP_REMOTE_MIU"),
        (3, "NFC_LLCP_REMOTE_LTO"),
        (4, "NFC_LLCP_REMOTE_RW"),
    ],
    unknown: "NFC_LLCP_???",
};

/// Level SOL_KCM (281).
const KCM_OPTIONS: &ConstTable = &ConstTable {
    names: &[(1, "KCM_RECV_DISABLE")],
    unknown: "KCM_???",
};

/// Level SOL_TLS (282).
const TLS_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "TLS_TX"),
        (2, "TLS_RX"),
        (3, "TLS_TX_ZEROCOPY_RO"),
        (4, "TLS_RX_EXPECT_NO_PAD"),
        (5, "TLS_TX_MAX_PAYLOAD_LEN"),
    ],
    unknown: "TLS_???",
};

/// Level SOL_XDP (283).
const XDP_OPTIONS: &ConstTable = &ConstTable {
    names: &[
        (1, "XDP_MMAP_OFFSETS"),
        (2, "XDP_RX_RING"),
        (3, "XDP_TX_RING"),
        (4, "XDP_UMEM_REG"),
        (5, "XDP_UMEM_FILL_RING"),
        (6, "XDP_UMEM_COMPLETION_RING"),
        (7, "XDP_STATISTICS"),
        (8, "XDP_OPTIONS"),
        (9, "XDP_MAX_TX_SKB_BUDGET"),
    ],
    unknown: "XDP_???",
};

/// The option names of each level, by level number.
pub const LEVEL_OPTIONS: &[(u64, &ConstTable)] = &[
    (40, VSOCK_OPTIONS),      // AF_VSOCK
    (256, IPX_OPTIONS),       // SOL_IPX
    (257, AX25_OPTIONS),      // SOL_AX25
    (263, PACKET_OPTIONS),    // SOL_PACKET
    (101, CAN_RAW_OPTIONS),   // SOL_CAN_RAW
    (132, SCTP_OPTIONS),      // SOL_SCTP
    (255, RAW_OPTIONS),       // SOL_RAW
    (17, UDP_OPTIONS),        // SOL_UDP
    (266, IRDA_OPTIONS),      // SOL_IRDA
    (268, LLC_OPTIONS),       // SOL_LLC
    (269, DCCP_OPTIONS),      // SOL_DCCP
    (271, TIPC_OPTIONS),      // SOL_TIPC
    (272, RXRPC_OPTIONS),     // SOL_RXRPC
    (273, PPPOL2TP_OPTIONS),  // SOL_PPPOL2TP
    (274, BLUETOOTH_OPTIONS), // SOL_BLUETOOTH
    (275, PNPIPE_OPTIONS),    // SOL_PNPIPE
    (276, RDS_OPTIONS),       // SOL_RDS
    (277, IUCV_OPTIONS),      // SOL_IUCV
    (278, CAIF_OPTIONS),      // SOL_CAIF
    (279, ALG_OPTIONS),       // SOL_ALG
    (280, NFC_LLCP_OPTIONS),  // SOL_NFC
    (281, KCM_OPTIONS),       // SOL_KCM
    (282, TLS_OPTIONS),       // SOL_TLS
    (283, XDP_OPTIONS),       // SOL_XDP
];
