//! The spec of `cargo xtask gen-consts`: per generated file, the headers and the tables,
//! each with the names it keeps in the order it keeps them (strace's choice of names
//! and their order, which is a decoding choice); the values are the compilers'
//! (`gen_consts`). And the names newer than Debian 12's headers, with their definition
//! and where it comes from.

use crate::gen_consts::{GenFile, Newer};

mod aio;
mod fs;
mod ipc;
mod keys;
mod mem;
mod net;
mod netlink;
mod perf;
mod process;
mod sched;
mod sdk;
mod security;
mod signal;
mod sysadmin;
mod time;

pub const FILES: &[GenFile] = &[
    netlink::FILE,
    sdk::FILE,
    aio::FILE,
    fs::FILE,
    ipc::FILE,
    keys::FILE,
    mem::FILE,
    net::FILE,
    perf::FILE,
    process::FILE,
    sched::FILE,
    signal::FILE,
    sysadmin::FILE,
    time::FILE,
    security::FILE,
];

/// Names newer than Debian 12's headers (Linux 6.1): an enum's member is its position.
pub const NEWER_THAN_HEADERS: &[Newer] = &[
    Newer {
        name: "FRA_DSCP",
        definition: "25",
        source: FIB_RULES,
    },
    Newer {
        name: "FRA_FLOWLABEL",
        definition: "26",
        source: FIB_RULES,
    },
    Newer {
        name: "FRA_FLOWLABEL_MASK",
        definition: "27",
        source: FIB_RULES,
    },
    Newer {
        name: "FRA_SPORT_MASK",
        definition: "28",
        source: FIB_RULES,
    },
    Newer {
        name: "FRA_DPORT_MASK",
        definition: "29",
        source: FIB_RULES,
    },
    Newer {
        name: "FRA_DSCP_MASK",
        definition: "30",
        source: FIB_RULES,
    },
    Newer {
        name: "IFLA_DEVLINK_PORT",
        definition: "62",
        source: IF_LINK,
    },
    Newer {
        name: "IFLA_GSO_IPV4_MAX_SIZE",
        definition: "63",
        source: IF_LINK,
    },
    Newer {
        name: "IFLA_GRO_IPV4_MAX_SIZE",
        definition: "64",
        source: IF_LINK,
    },
    Newer {
        name: "IFLA_DPLL_PIN",
        definition: "65",
        source: IF_LINK,
    },
    Newer {
        name: "IFLA_MAX_PACING_OFFLOAD_HORIZON",
        definition: "66",
        source: IF_LINK,
    },
    Newer {
        name: "IFLA_NETNS_IMMUTABLE",
        definition: "67",
        source: IF_LINK,
    },
    Newer {
        name: "IFLA_HEADROOM",
        definition: "68",
        source: IF_LINK,
    },
    Newer {
        name: "IFLA_TAILROOM",
        definition: "69",
        source: IF_LINK,
    },
    Newer {
        name: "RTA_FLOWLABEL",
        definition: "31",
        source: RTNETLINK,
    },
    Newer {
        name: "RTEXT_FILTER_NAME_ONLY",
        definition: "1 << 8",
        source: RTNETLINK,
    },
    Newer {
        name: "RTM_NEWMULTICAST",
        definition: "56",
        source: RTNETLINK,
    },
    Newer {
        name: "RTM_DELMULTICAST",
        definition: "57",
        source: RTNETLINK,
    },
    Newer {
        name: "RTM_NEWANYCAST",
        definition: "60",
        source: RTNETLINK,
    },
    Newer {
        name: "RTM_DELANYCAST",
        definition: "61",
        source: RTNETLINK,
    },
    Newer {
        name: "RTPROT_OVN",
        definition: "84",
        source: RTNETLINK,
    },
    // In the host's 6.1 headers (6.1.x), not in the cross compilers' (6.1.4).
    Newer {
        name: "TCA_EXT_WARN_MSG",
        definition: "16",
        source: RTNETLINK,
    },
    Newer {
        name: "TCA_ROOT_EXT_WARN_MSG",
        definition: "5",
        source: RTNETLINK,
    },
    // The kernel's own header (include/net/tcp_states.h, not UAPI); glibc's
    // <netinet/tcp.h> stops at TCP_CLOSING.
    Newer {
        name: "TCP_NEW_SYN_RECV",
        definition: "12",
        source: TCP_STATES,
    },
    Newer {
        name: "TCP_BOUND_INACTIVE",
        definition: "13",
        source: TCP_STATES,
    },
    // Newer than 6.1, from the headers strace 7.2 bundles.
    Newer {
        name: "AT_HANDLE_MNT_ID_UNIQUE",
        definition: "1",
        source: FCNTL,
    },
    Newer {
        name: "AT_HANDLE_CONNECTABLE",
        definition: "2",
        source: FCNTL,
    },
    Newer {
        name: "AT_HANDLE_FID",
        definition: "0x200",
        source: FCNTL,
    },
    Newer {
        name: "FS_XFLAG_VERITY",
        definition: "0x20000",
        source: FS,
    },
    Newer {
        name: "FUTEX2_SIZE_U8",
        definition: "0",
        source: FUTEX,
    },
    Newer {
        name: "FUTEX2_SIZE_U16",
        definition: "1",
        source: FUTEX,
    },
    Newer {
        name: "FUTEX2_SIZE_U32",
        definition: "2",
        source: FUTEX,
    },
    Newer {
        name: "FUTEX2_SIZE_U64",
        definition: "3",
        source: FUTEX,
    },
    Newer {
        name: "FUTEX2_NUMA",
        definition: "4",
        source: FUTEX,
    },
    Newer {
        name: "FUTEX2_MPOL",
        definition: "8",
        source: FUTEX,
    },
    Newer {
        name: "FUTEX2_PRIVATE",
        definition: "0x80",
        source: FUTEX,
    },
    Newer {
        name: "IORING_REGISTER_PBUF_STATUS",
        definition: "26",
        source: IO_URING,
    },
    Newer {
        name: "IORING_REGISTER_NAPI",
        definition: "27",
        source: IO_URING,
    },
    Newer {
        name: "IORING_UNREGISTER_NAPI",
        definition: "28",
        source: IO_URING,
    },
    Newer {
        name: "IORING_REGISTER_CLOCK",
        definition: "29",
        source: IO_URING,
    },
    Newer {
        name: "IORING_REGISTER_CLONE_BUFFERS",
        definition: "30",
        source: IO_URING,
    },
    Newer {
        name: "IORING_REGISTER_SEND_MSG_RING",
        definition: "31",
        source: IO_URING,
    },
    Newer {
        name: "IORING_REGISTER_ZCRX_IFQ",
        definition: "0x20",
        source: IO_URING,
    },
    Newer {
        name: "IORING_REGISTER_RESIZE_RINGS",
        definition: "33",
        source: IO_URING,
    },
    Newer {
        name: "IORING_REGISTER_MEM_REGION",
        definition: "34",
        source: IO_URING,
    },
    Newer {
        name: "IORING_REGISTER_QUERY",
        definition: "35",
        source: IO_URING,
    },
    Newer {
        name: "IORING_REGISTER_ZCRX_CTRL",
        definition: "36",
        source: IO_URING,
    },
    Newer {
        name: "IORING_REGISTER_BPF_FILTER",
        definition: "37",
        source: IO_URING,
    },
    Newer {
        name: "KEXEC_UPDATE_ELFCOREHDR",
        definition: "4",
        source: KEXEC,
    },
    Newer {
        name: "KEXEC_CRASH_HOTPLUG_SUPPORT",
        definition: "8",
        source: KEXEC,
    },
    Newer {
        name: "KEXEC_FILE_DEBUG",
        definition: "8",
        source: KEXEC,
    },
    Newer {
        name: "KEXEC_FILE_NO_CMA",
        definition: "0x10",
        source: KEXEC,
    },
    Newer {
        name: "KEXEC_FILE_FORCE_DTB",
        definition: "0x20",
        source: KEXEC,
    },
    Newer {
        name: "LANDLOCK_RULE_NET_PORT",
        definition: "2",
        source: LANDLOCK,
    },
    Newer {
        name: "LSM_ID_UNDEF",
        definition: "0",
        source: LSM,
    },
    Newer {
        name: "LSM_ATTR_UNDEF",
        definition: "0",
        source: LSM,
    },
    Newer {
        name: "LSM_FLAG_SINGLE",
        definition: "1",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_CAPABILITY",
        definition: "100",
        source: LSM,
    },
    Newer {
        name: "LSM_ATTR_CURRENT",
        definition: "100",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_SELINUX",
        definition: "101",
        source: LSM,
    },
    Newer {
        name: "LSM_ATTR_EXEC",
        definition: "101",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_SMACK",
        definition: "102",
        source: LSM,
    },
    Newer {
        name: "LSM_ATTR_FSCREATE",
        definition: "102",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_TOMOYO",
        definition: "103",
        source: LSM,
    },
    Newer {
        name: "LSM_ATTR_KEYCREATE",
        definition: "103",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_APPARMOR",
        definition: "104",
        source: LSM,
    },
    Newer {
        name: "LSM_ATTR_PREV",
        definition: "104",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_YAMA",
        definition: "105",
        source: LSM,
    },
    Newer {
        name: "LSM_ATTR_SOCKCREATE",
        definition: "105",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_LOADPIN",
        definition: "106",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_SAFESETID",
        definition: "107",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_LOCKDOWN",
        definition: "108",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_BPF",
        definition: "109",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_LANDLOCK",
        definition: "110",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_IMA",
        definition: "111",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_EVM",
        definition: "112",
        source: LSM,
    },
    Newer {
        name: "LSM_ID_IPE",
        definition: "113",
        source: LSM,
    },
    Newer {
        name: "STATMOUNT_SB_BASIC",
        definition: "1",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_BY_FD",
        definition: "1",
        source: MOUNT,
    },
    Newer {
        name: "LISTMOUNT_REVERSE",
        definition: "1",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_MNT_BASIC",
        definition: "2",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_PROPAGATE_FROM",
        definition: "4",
        source: MOUNT,
    },
    Newer {
        name: "FSCONFIG_CMD_CREATE_EXCL",
        definition: "8",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_MNT_ROOT",
        definition: "8",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_MNT_POINT",
        definition: "0x10",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_FS_TYPE",
        definition: "0x20",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_MNT_NS_ID",
        definition: "0x40",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_MNT_OPTS",
        definition: "0x80",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_FS_SUBTYPE",
        definition: "0x100",
        source: MOUNT,
    },
    Newer {
        name: "MOVE_MOUNT_BENEATH",
        definition: "0x200",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_SB_SOURCE",
        definition: "0x200",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_OPT_ARRAY",
        definition: "0x400",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_OPT_SEC_ARRAY",
        definition: "0x800",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_SUPPORTED_MASK",
        definition: "0x1000",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_MNT_UIDMAP",
        definition: "0x2000",
        source: MOUNT,
    },
    Newer {
        name: "STATMOUNT_MNT_GIDMAP",
        definition: "0x4000",
        source: MOUNT,
    },
    Newer {
        name: "PERF_ATTR_SIZE_VER8",
        definition: "136",
        source: PERF_EVENT,
    },
    Newer {
        name: "PERF_ATTR_SIZE_VER9",
        definition: "144",
        source: PERF_EVENT,
    },
    Newer {
        name: "QFMT_SHMEM",
        definition: "5",
        source: QUOTA,
    },
    Newer {
        name: "RWF_NOAPPEND",
        definition: "0x00000020",
        source: FS,
    },
    Newer {
        name: "RWF_ATOMIC",
        definition: "0x00000040",
        source: FS,
    },
    Newer {
        name: "RWF_DONTCACHE",
        definition: "0x00000080",
        source: FS,
    },
    Newer {
        name: "RWF_NOSIGNAL",
        definition: "0x00000100",
        source: FS,
    },
    Newer {
        name: "SO_PASSPIDFD",
        definition: "76",
        source: SOCKET,
    },
    Newer {
        name: "SO_PEERPIDFD",
        definition: "77",
        source: SOCKET,
    },
    Newer {
        name: "SO_RCVPRIORITY",
        definition: "82",
        source: SOCKET,
    },
    Newer {
        name: "SO_PASSRIGHTS",
        definition: "83",
        source: SOCKET,
    },
    Newer {
        name: "SO_INQ",
        definition: "84",
        source: SOCKET,
    },
    Newer {
        name: "BPF_MEMSX",
        definition: "0x80",
        source: BPF,
    },
    Newer {
        name: "BPF_JCOND",
        definition: "0xe0",
        source: BPF,
    },
    // Newer than 6.1; the value is the one strace 7.2 prints.
    Newer {
        name: "PACKET_VNET_HDR_SZ",
        definition: "24",
        source: IF_PACKET,
    },
    Newer {
        name: "CAN_RAW_XL_VCID_OPTS",
        definition: "8",
        source: CAN_RAW,
    },
    Newer {
        name: "RXRPC_MANAGE_RESPONSE",
        definition: "7",
        source: RXRPC,
    },
    Newer {
        name: "ALG_SET_KEY_BY_KEY_SERIAL",
        definition: "7",
        source: IF_ALG,
    },
    Newer {
        name: "TLS_TX_MAX_PAYLOAD_LEN",
        definition: "5",
        source: TLS,
    },
    Newer {
        name: "XDP_MAX_TX_SKB_BUDGET",
        definition: "9",
        source: IF_XDP,
    },
    Newer {
        name: "SECBIT_EXEC_RESTRICT_FILE",
        definition: "1 << 8",
        source: SECUREBITS,
    },
    Newer {
        name: "SECBIT_EXEC_RESTRICT_FILE_LOCKED",
        definition: "1 << 9",
        source: SECUREBITS,
    },
    Newer {
        name: "SECBIT_EXEC_DENY_INTERACTIVE",
        definition: "1 << 10",
        source: SECUREBITS,
    },
    Newer {
        name: "SECBIT_EXEC_DENY_INTERACTIVE_LOCKED",
        definition: "1 << 11",
        source: SECUREBITS,
    },
    Newer {
        name: "PR_MDWE_REFUSE_EXEC_GAIN",
        definition: "1 << 0",
        source: PRCTL,
    },
    Newer {
        name: "PR_MDWE_NO_INHERIT",
        definition: "1 << 1",
        source: PRCTL,
    },
    Newer {
        name: "PR_SYS_DISPATCH_EXCLUSIVE_ON",
        definition: "1",
        source: PRCTL,
    },
    Newer {
        name: "PR_SYS_DISPATCH_INCLUSIVE_ON",
        definition: "2",
        source: PRCTL,
    },
];

const FIB_RULES: &str = "<linux/fib_rules.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const IF_LINK: &str = "<linux/if_link.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const RTNETLINK: &str = "<linux/rtnetlink.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const TCP_STATES: &str = "Linux's include/net/tcp_states.h (strace 7.2's xlat/tcp_states.in)";
const FCNTL: &str = "<linux/fcntl.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const FS: &str = "<linux/fs.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const FUTEX: &str = "<linux/futex.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const IO_URING: &str = "<linux/io_uring.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const KEXEC: &str = "<linux/kexec.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const LANDLOCK: &str = "<linux/landlock.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const LSM: &str = "<linux/lsm.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const MOUNT: &str = "<linux/mount.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const PERF_EVENT: &str = "<linux/perf_event.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const SOCKET: &str = "<asm-generic/socket.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const BPF: &str = "<linux/bpf.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const QUOTA: &str = "<linux/quota.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const IF_PACKET: &str =
    "<linux/if_packet.h> of Linux's UAPI after 6.1 (the value strace 7.2 prints)";
const CAN_RAW: &str = "<linux/can/raw.h> of Linux's UAPI after 6.1 (the value strace 7.2 prints)";
const RXRPC: &str = "<linux/rxrpc.h> of Linux's UAPI after 6.1 (the value strace 7.2 prints)";
const IF_ALG: &str = "<linux/if_alg.h> of Linux's UAPI after 6.1 (the value strace 7.2 prints)";
const TLS: &str = "<linux/tls.h> of Linux's UAPI after 6.1 (the value strace 7.2 prints)";
const IF_XDP: &str = "<linux/if_xdp.h> of Linux's UAPI after 6.1 (the value strace 7.2 prints)";
const SECUREBITS: &str =
    "<linux/securebits.h> of Linux's UAPI after 6.1 (the value strace 7.2 prints)";
const PRCTL: &str = "<linux/prctl.h> of Linux's UAPI after 6.1 (the value strace 7.2 prints)";
