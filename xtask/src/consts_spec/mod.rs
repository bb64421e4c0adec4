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
];

const FIB_RULES: &str = "<linux/fib_rules.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const IF_LINK: &str = "<linux/if_link.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const RTNETLINK: &str = "<linux/rtnetlink.h> of Linux's UAPI as strace 7.2 bundles it (v7.2-rc1)";
const TCP_STATES: &str = "Linux's include/net/tcp_states.h (strace 7.2's xlat/tcp_states.in)";
