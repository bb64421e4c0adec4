//! The option names of the socket levels strace names beyond SOL_SOCKET, SOL_IP,
//! SOL_IPV6, SOL_TCP and SOL_NETLINK (those are in [`crate::tables`]), each with the
//! default strace writes for a name it does not know (`0x270f /* UDP_??? */`). The tables
//! whose names the headers have are generated from them (`kernel_consts`, in strace
//! 7.2's order); the four typed here say why.

use rtrace_sdk::ConstTable;

use crate::kernel_consts::{
    ALG_OPTIONS, AX25_OPTIONS, CAIF_OPTIONS, CAN_RAW_OPTIONS, DCCP_OPTIONS, IPX_OPTIONS,
    IUCV_OPTIONS, KCM_OPTIONS, LLC_OPTIONS, NFC_LLCP_OPTIONS, PACKET_OPTIONS, PNPIPE_OPTIONS,
    PPPOL2TP_OPTIONS, RAW_OPTIONS, RXRPC_OPTIONS, TIPC_OPTIONS, TLS_OPTIONS, UDP_OPTIONS,
    VSOCK_OPTIONS, XDP_OPTIONS,
};

/// Level SOL_SCTP (132). Typed by hand: linux/sctp.h no longer has the four `*_OLD`
/// address options (103 to 106) strace still names.
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

/// Level SOL_IRDA (266). Typed by hand: IrDA left the kernel (4.17), and its header.
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

/// Level SOL_BLUETOOTH (274). Typed by hand: no UAPI header has the `BT_*` options
/// (the kernel's net/bluetooth/bluetooth.h, BlueZ's).
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

/// Level SOL_RDS (276). Typed by hand: strace also names 16402, SO_TIMESTAMP_OLD of
/// parisc's headers, which none of the four architectures' compilers have.
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
