//! NETLINK_ROUTE payloads: `struct ifinfomsg` (links), `ifaddrmsg` (addresses),
//! `rtmsg` (routes), `ndmsg` (neighbours), `fib_rule_hdr` (rules) and their attributes;
//! traffic control's messages are [`tc`]'s; others show their family and bytes.

use rtrace_sdk::netdev::{emit_ifindex, ARPHRD_TYPES, IFF_FLAGS};
use rtrace_sdk::Out;

use super::attrs::{attributes_of, Kind, Table};
use super::names::{
    EXT_FILTER_FLAGS, FIB_RULE_FLAGS, FRA_NAMES, FR_ACTIONS, IFA_FLAGS, IFA_NAMES, IFLA_NAMES,
    NDA_NAMES, NTF_FLAGS, NUD_STATES, ROUTE_FLAGS, ROUTE_PROTOCOLS, ROUTE_TYPES_RTN, RTA_NAMES,
    SCOPES, TABLES, TOS_FLAGS, XDP_ATTACHED, XDP_FLAGS,
};
use super::{tc, Ctx};
use crate::tables::FAMILIES;

const IFINFOMSG_SIZE: usize = 16;
const IFADDRMSG_SIZE: usize = 8;
const RTMSG_SIZE: usize = 12;
const NDMSG_SIZE: usize = 12;
const FIB_RULE_HDR_SIZE: usize = 12;
const AF_BRIDGE: u64 = 7;

static XDP_ATTRS: Table = Table {
    names: &[
        "IFLA_XDP_UNSPEC",
        "IFLA_XDP_FD",
        "IFLA_XDP_ATTACHED",
        "IFLA_XDP_FLAGS",
        "IFLA_XDP_PROG_ID",
        "IFLA_XDP_DRV_PROG_ID",
        "IFLA_XDP_SKB_PROG_ID",
        "IFLA_XDP_HW_PROG_ID",
        "IFLA_XDP_EXPECTED_FD",
    ],
    unknown: "IFLA_XDP_???",
    kinds: &[
        (1, Kind::Fd),
        (2, Kind::Const8(XDP_ATTACHED, "XDP_ATTACHED_???")),
        (3, Kind::Flags32(&XDP_FLAGS)),
        (4, Kind::U32),
        (5, Kind::U32),
        (6, Kind::U32),
        (7, Kind::U32),
        (8, Kind::Fd),
    ],
};

/// IFLA_LINKINFO: the link's kind; its kind-specific data stays in hex.
static LINKINFO_ATTRS: Table = Table {
    names: &[
        "IFLA_INFO_UNSPEC",
        "IFLA_INFO_KIND",
        "IFLA_INFO_DATA",
        "IFLA_INFO_XSTATS",
        "IFLA_INFO_SLAVE_KIND",
        "IFLA_INFO_SLAVE_DATA",
    ],
    unknown: "IFLA_INFO_???",
    kinds: &[(1, Kind::Str), (4, Kind::Str)],
};

static LINK_ATTRS: Table = Table {
    names: IFLA_NAMES,
    unknown: "IFLA_???",
    kinds: &[
        (1, Kind::HwAddr),
        (2, Kind::HwAddr),
        (3, Kind::Str),
        (4, Kind::U32),
        (5, Kind::U32),
        (6, Kind::Str),
        (7, Kind::LinkStats),
        (10, Kind::U32),
        (13, Kind::U32),
        (14, Kind::LinkMap),
        (15, Kind::U32),
        (16, Kind::U8),
        (17, Kind::U8),
        (18, Kind::Nested(&LINKINFO_ATTRS)),
        (19, Kind::U32),
        (20, Kind::Str),
        (21, Kind::U32),
        (23, Kind::LinkStats64),
        (26, Kind::AfSpec),
        (27, Kind::U32),
        (28, Kind::Fd),
        (29, Kind::Flags32(&EXT_FILTER_FLAGS)),
        (30, Kind::U32),
        (31, Kind::U32),
        (32, Kind::U32),
        (33, Kind::U8),
        (35, Kind::U32),
        (37, Kind::S32),
        (38, Kind::Str),
        (39, Kind::U8),
        (40, Kind::U32),
        (41, Kind::U32),
        (43, Kind::Nested(&XDP_ATTRS)),
        (45, Kind::S32),
        (46, Kind::S32),
        (47, Kind::U32),
        (48, Kind::U32),
        (49, Kind::IfIndex),
        (50, Kind::U32),
        (51, Kind::U32),
        (53, Kind::Str),
        (54, Kind::HwAddr),
        (56, Kind::Str),
        (57, Kind::Str),
        (58, Kind::U32),
        (59, Kind::U32),
        (60, Kind::U32),
        (61, Kind::U32),
        (62, Kind::U32),
        (63, Kind::U32),
        (64, Kind::U32),
        (66, Kind::U64),
        (67, Kind::U8),
        (68, Kind::U16),
        (69, Kind::U16),
    ],
};

static ADDR_ATTRS: Table = Table {
    names: IFA_NAMES,
    unknown: "IFA_???",
    kinds: &[
        (1, Kind::InetAddr),
        (2, Kind::InetAddr),
        (3, Kind::Str),
        (4, Kind::InetAddr),
        (5, Kind::InetAddr),
        (6, Kind::AddrCacheInfo),
        (7, Kind::InetAddr),
        (8, Kind::Flags32(&IFA_FLAGS)),
        (9, Kind::U32),
        (10, Kind::S32),
    ],
};

static ROUTE_ATTRS: Table = Table {
    names: RTA_NAMES,
    unknown: "RTA_???",
    kinds: &[
        (1, Kind::InetAddr),
        (2, Kind::InetAddr),
        (3, Kind::IfIndex),
        (4, Kind::IfIndex),
        (5, Kind::InetAddr),
        (6, Kind::U32),
        (7, Kind::InetAddr),
        (10, Kind::U32),
        (11, Kind::U32),
        (12, Kind::RouteCacheInfo),
        (14, Kind::U32),
        (15, Kind::Const32(TABLES)),
        (16, Kind::U32),
        (19, Kind::InetAddr),
        (20, Kind::U8),
        (23, Kind::U64),
        (25, Kind::U32),
        (26, Kind::U8),
        (27, Kind::U8),
        (28, Kind::U16),
        (29, Kind::U16),
        (30, Kind::U32),
    ],
};

static NEIGH_ATTRS: Table = Table {
    names: NDA_NAMES,
    unknown: "NDA_???",
    kinds: &[
        (1, Kind::InetAddr),
        (2, Kind::HwAddr),
        (3, Kind::NeighCacheInfo),
        (4, Kind::U32),
        (5, Kind::U16),
        (6, Kind::Be16),
        (7, Kind::U32),
        (8, Kind::IfIndex),
        (9, Kind::IfIndex),
        (10, Kind::U32),
        (11, Kind::U32),
        (12, Kind::IpProto),
        (13, Kind::U32),
    ],
};

static RULE_ATTRS: Table = Table {
    names: FRA_NAMES,
    unknown: "FRA_???",
    kinds: &[
        (1, Kind::InetAddr),
        (2, Kind::InetAddr),
        (3, Kind::Str),
        (4, Kind::U32),
        (6, Kind::U32),
        (10, Kind::U32),
        (11, Kind::U32),
        (13, Kind::U32),
        (14, Kind::U32),
        (15, Kind::Const32(TABLES)),
        (16, Kind::U32),
        (17, Kind::Str),
        (19, Kind::U8),
        (20, Kind::Range32),
        (21, Kind::Const8(ROUTE_PROTOCOLS, "RTPROT_???")),
        (22, Kind::IpProto),
        (23, Kind::Range16),
        (24, Kind::Range16),
        (25, Kind::U8),
    ],
};

/// The payload of a NETLINK_ROUTE message of type `kind`.
pub fn payload(ctx: &Ctx<'_>, out: &mut Out<'_>, kind: u64, at: usize, len: usize) {
    let family = ctx.u8(at);
    match (kind - 16) / 4 {
        // RTM_*LINK
        0 => ifinfomsg(ctx, out, family, at, len),
        // RTM_*ADDR, and multicast and anycast addresses
        1 | 10 | 11 if kind != 23 && kind != 59 && kind != 63 => {
            ifaddrmsg(ctx, out, family, at, len)
        }
        // RTM_*ROUTE
        2 if kind != 27 => rtmsg(ctx, out, family, at, len),
        // RTM_GETNEIGH for bridges asks with an ifinfomsg.
        3 if kind == 30 && family == AF_BRIDGE => ifinfomsg(ctx, out, family, at, len),
        // RTM_*NEIGH
        3 if kind != 31 => ndmsg(ctx, out, family, at, len),
        // RTM_*RULE
        4 if kind != 35 => fib_rule_hdr(ctx, out, family, at, len),
        // RTM_*QDISC, RTM_*TCLASS, RTM_*TFILTER, RTM_*CHAIN
        5..=7 | 21 if kind & 3 != 3 => tc::tcmsg(ctx, out, family, at, len),
        // RTM_*ACTION
        8 if kind != 51 => tc::tcamsg(ctx, out, family, at, len),
        _ => family_only(ctx, out, family, at, len),
    }
}

fn emit_family(out: &mut Out<'_>, field: &'static str, family: u64) {
    out.field(field);
    out.constant_of(family, FAMILIES);
}

/// `{family=AF_INET, data="\x..."}`: a message strace does not decode further.
pub fn family_only(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    out.begin_struct();
    emit_family(out, "family", family);
    if len > 1 {
        out.field("data");
        ctx.hex_bytes(out, at + 1, len - 1);
    }
    out.end();
}

/// A message's fixed header: its size and the attributes that may follow it.
struct Fixed {
    size: usize,
    attrs: &'static Table,
}

const LINK: Fixed = Fixed {
    size: IFINFOMSG_SIZE,
    attrs: &LINK_ATTRS,
};
const ADDR: Fixed = Fixed {
    size: IFADDRMSG_SIZE,
    attrs: &ADDR_ATTRS,
};
const NEIGH: Fixed = Fixed {
    size: NDMSG_SIZE,
    attrs: &NEIGH_ATTRS,
};
const RULE: Fixed = Fixed {
    size: FIB_RULE_HDR_SIZE,
    attrs: &RULE_ATTRS,
};
const ROUTE: Fixed = Fixed {
    size: RTMSG_SIZE,
    attrs: &ROUTE_ATTRS,
};

/// The fixed header, then (when the whole header is there) the attributes after it.
fn with_attributes(
    ctx: &Ctx<'_>,
    out: &mut Out<'_>,
    (at, len): (usize, usize),
    fixed: &Fixed,
    family: u64,
    header: impl FnOnce(&mut Out<'_>),
) {
    out.begin_struct();
    header(out);
    out.end();
    let offset = fixed.size.next_multiple_of(4);
    if len >= fixed.size && len > offset {
        attributes_of(ctx, out, at + offset, len - offset, fixed.attrs, family);
    }
}

fn ifinfomsg(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    with_attributes(ctx, out, (at, len), &LINK, family, |out| {
        emit_family(out, "ifi_family", family);
        if len < IFINFOMSG_SIZE {
            out.ellipsis();
            return;
        }
        out.field("ifi_type");
        out.constant(ctx.u16(at + 2), ARPHRD_TYPES, "ARPHRD_???");
        out.field("ifi_index");
        emit_ifindex(out, ctx.u32(at + 4) as u32);
        out.field("ifi_flags");
        out.flags(ctx.u32(at + 8), &IFF_FLAGS);
        out.field("ifi_change");
        out.hex(ctx.u32(at + 12));
    });
}

fn ifaddrmsg(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    with_attributes(ctx, out, (at, len), &ADDR, family, |out| {
        emit_family(out, "ifa_family", family);
        if len < IFADDRMSG_SIZE {
            out.ellipsis();
            return;
        }
        out.field("ifa_prefixlen");
        out.uint(ctx.u8(at + 1));
        out.field("ifa_flags");
        out.flags(ctx.u8(at + 2), &IFA_FLAGS);
        out.field("ifa_scope");
        named_or_hex(out, ctx.u8(at + 3), SCOPES);
        out.field("ifa_index");
        emit_ifindex(out, ctx.u32(at + 4) as u32);
    });
}

fn ndmsg(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    with_attributes(ctx, out, (at, len), &NEIGH, family, |out| {
        emit_family(out, "ndm_family", family);
        if len < NDMSG_SIZE {
            out.ellipsis();
            return;
        }
        out.field("ndm_ifindex");
        emit_ifindex(out, ctx.u32(at + 4) as u32);
        out.field("ndm_state");
        out.flags(ctx.u16(at + 8), &NUD_STATES);
        out.field("ndm_flags");
        out.flags(ctx.u8(at + 10), &NTF_FLAGS);
        out.field("ndm_type");
        out.constant(ctx.u8(at + 11), ROUTE_TYPES_RTN, "RTN_???");
    });
}

fn fib_rule_hdr(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    with_attributes(ctx, out, (at, len), &RULE, family, |out| {
        emit_family(out, "family", family);
        if len < FIB_RULE_HDR_SIZE {
            out.ellipsis();
            return;
        }
        out.field("dst_len");
        out.uint(ctx.u8(at + 1));
        out.field("src_len");
        out.uint(ctx.u8(at + 2));
        out.field("tos");
        out.flags(ctx.u8(at + 3), &TOS_FLAGS);
        out.field("table");
        named_or_hex(out, ctx.u8(at + 4), TABLES);
        out.field("action");
        out.constant(ctx.u8(at + 7), FR_ACTIONS, "FR_ACT_???");
        out.field("flags");
        out.flags(ctx.u32(at + 8), &FIB_RULE_FLAGS);
    });
}

fn rtmsg(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    with_attributes(ctx, out, (at, len), &ROUTE, family, |out| {
        emit_family(out, "rtm_family", family);
        if len < RTMSG_SIZE {
            out.ellipsis();
            return;
        }
        out.field("rtm_dst_len");
        out.uint(ctx.u8(at + 1));
        out.field("rtm_src_len");
        out.uint(ctx.u8(at + 2));
        out.field("rtm_tos");
        out.flags(ctx.u8(at + 3), &TOS_FLAGS);
        out.field("rtm_table");
        named_or_hex(out, ctx.u8(at + 4), TABLES);
        out.field("rtm_protocol");
        out.constant(ctx.u8(at + 5), ROUTE_PROTOCOLS, "RTPROT_???");
        out.field("rtm_scope");
        named_or_hex(out, ctx.u8(at + 6), SCOPES);
        out.field("rtm_type");
        out.constant(ctx.u8(at + 7), ROUTE_TYPES_RTN, "RTN_???");
        out.field("rtm_flags");
        out.flags(ctx.u32(at + 8), &ROUTE_FLAGS);
    });
}

/// A value of a table strace gives no default name: the name, or the number in hex.
fn named_or_hex(out: &mut Out<'_>, value: u64, table: &'static [(u64, &'static str)]) {
    match table.iter().find(|(v, _)| *v == value) {
        Some((_, name)) => out.name(name),
        None => out.hex(value),
    }
}
