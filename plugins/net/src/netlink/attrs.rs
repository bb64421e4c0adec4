//! Netlink attributes (`struct nlattr` and what follows it): `[{nla_len=8,
//! nla_type=IFLA_MTU}, 1500]`, in a list when more follow. Which value an attribute
//! holds is a line in a table of [`Kind`]s; what no table knows shows in hex.

use rtrace_sdk::netdev::{emit_hwaddr, emit_ifindex, emit_inet6_addr, emit_inet_addr};
use rtrace_sdk::{FlagTable, Out, StrStyle};

use super::Ctx;

const NLA_HDRLEN: usize = 4;
const NLA_F_NESTED: u64 = 0x8000;
const NLA_F_NET_BYTEORDER: u64 = 0x4000;
const NLA_TYPE_MASK: u64 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

/// What an attribute's payload is.
#[derive(Clone, Copy)]
pub enum Kind {
    /// Shown in hex (no decoder, as strace).
    Raw,
    U8,
    U16,
    U32,
    U64,
    S32,
    /// A NUL-terminated string.
    Str,
    /// A link-layer address: `00:11:22:33:44:55`.
    HwAddr,
    /// An address of the message's family: `inet_addr("...")`.
    InetAddr,
    IfIndex,
    /// A `u32` of flags.
    Flags32(&'static FlagTable),
    /// A `u32` named by a table, its number in hex when the table has no name.
    Const32(&'static [(u64, &'static str)]),
    /// `struct rtnl_link_stats` (u32 counters) / `rtnl_link_stats64`.
    LinkStats,
    LinkStats64,
    /// `struct ifa_cacheinfo`.
    AddrCacheInfo,
    /// `struct nda_cacheinfo`.
    NeighCacheInfo,
    /// A `u16` in network order: `htons(N)`.
    Be16,
    /// `struct unix_diag_vfs` (inode, then device), shown device first:
    /// `{udiag_vfs_dev=makedev(0x8, 0x1), udiag_vfs_ino=N}`.
    UnixVfs,
    /// `struct unix_diag_rqlen`.
    UnixRqlen,
    /// An array of `u32` (inode numbers).
    U32Array,
    /// `{start=N, end=N}` of two `u32` (uid ranges) or two `u16` (port ranges).
    Range32,
    Range16,
    /// `struct rta_cacheinfo`.
    RouteCacheInfo,
    /// INET_DIAG_SHUTDOWN: one byte of RCV_SHUTDOWN|SEND_SHUTDOWN.
    Shutdown,
    /// INET_DIAG_SOCKOPT's bit fields.
    SockOpt,
    /// `struct inet_diag_meminfo`.
    DiagMemInfo,
    /// An IP protocol number.
    IpProto,
    /// A `u8` named by a table (with its default for unknown values).
    Const8(&'static [(u64, &'static str)], &'static str),
    /// A file descriptor (`s32`).
    Fd,
    /// `struct rtnl_link_ifmap`.
    LinkMap,
    /// More attributes, of another table.
    Nested(&'static Table),
    /// IFLA_AF_SPEC's per-family attributes.
    AfSpec,
    /// An array with named indexes.
    Indexed(&'static IndexedArray),
    /// `struct ifla_cacheinfo` (IPv6's).
    Inet6CacheInfo,
    /// An IPv6 address whatever the message's family.
    In6Addr,
    /// A structure of integers: `{name=N, ...}` (hex when shorter than the layout).
    Struct(&'static Layout),
    /// An array of `u16`.
    U16Array,
    /// Milliseconds in up to 8 bytes: `N /* S.MMM s */` when not zero.
    Millis,
    /// An array misusing nesting: attributes whose types are indexes (shown in hex),
    /// each holding attributes of the table.
    IndexedNested(&'static Table),
}

/// A fixed structure of integer fields, each `(name, offset, type)`; the payload must
/// hold `size` bytes (strace's sizeof, or its offsetofend of the last field).
pub struct Layout {
    pub size: usize,
    pub fields: &'static [(&'static str, usize, Int)],
}

/// An integer field's width and sign.
#[derive(Clone, Copy)]
pub enum Int {
    U8,
    S8,
    S16,
    U32,
    S32,
    U64,
}

/// The attributes of one structure: names by number, and the kind of each payload.
pub struct Table {
    pub names: &'static [&'static str],
    pub unknown: &'static str,
    pub kinds: &'static [(u64, Kind)],
}

impl Table {
    fn kind(&self, kind: u64) -> Kind {
        self.kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(Kind::Raw, |(_, v)| *v)
    }
}

/// The attributes in `len` bytes at `at`; `family` is the message's address family.
pub fn attributes(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, len: usize, table: &Table) {
    attributes_of(ctx, out, at, len, table, 0);
}

pub fn attributes_of(
    ctx: &Ctx<'_>,
    out: &mut Out<'_>,
    at: usize,
    len: usize,
    table: &Table,
    family: u64,
) {
    let nla_len = |ctx: &Ctx<'_>, at: usize| ctx.u16(at) as usize;
    super::records(ctx, out, (at, len), NLA_HDRLEN, nla_len, |out, at, len| {
        attribute(ctx, out, at, len, table, family)
    });
}

fn attribute(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, len: usize, table: &Table, family: u64) {
    let name = |out: &mut Out<'_>, kind: u64| match table.names.get(kind as usize) {
        Some(name) => out.name(name),
        None if kind == 0 => out.text_fmt(format_args!("0 /* {} */", table.unknown)),
        None => out.text_fmt(format_args!("{kind:#x} /* {} */", table.unknown)),
    };
    let data = |out: &mut Out<'_>, kind: u64, at: usize, size: usize| {
        value(ctx, out, table.kind(kind), at, size, family)
    };
    attribute_with(ctx, out, (at, len), name, data);
}

/// One attribute: its header with the type named by `name`, then its payload shown by
/// `data` (in hex when that declines).
fn attribute_with(
    ctx: &Ctx<'_>,
    out: &mut Out<'_>,
    (at, len): (usize, usize),
    name: impl Fn(&mut Out<'_>, u64),
    data: impl Fn(&mut Out<'_>, u64, usize, usize) -> bool,
) {
    let nla_len = (ctx.u16(at) as usize).min(len);
    let raw_type = ctx.u16(at + 2);
    let kind = raw_type & NLA_TYPE_MASK;
    let with_data = nla_len > NLA_HDRLEN;
    if with_data {
        out.begin_array();
    }
    out.begin_struct();
    out.field("nla_len");
    out.uint(ctx.u16(at));
    out.field("nla_type");
    out.begin_flags();
    if raw_type & NLA_F_NESTED != 0 {
        out.name("NLA_F_NESTED");
    }
    if raw_type & NLA_F_NET_BYTEORDER != 0 {
        out.name("NLA_F_NET_BYTEORDER");
    }
    name(out, kind);
    out.end();
    out.end();
    if with_data {
        let at = at + NLA_HDRLEN;
        let size = nla_len - NLA_HDRLEN;
        if !data(out, kind, at, size) {
            ctx.hex_bytes(out, at, size);
        }
        out.end();
    }
}

/// IFLA_AF_SPEC: attributes whose types are address families, each holding the
/// family's own attributes (IPv4's and IPv6's device configuration).
fn af_spec(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, len: usize) {
    let families = crate::tables::FAMILIES;
    super::records(
        ctx,
        out,
        (at, len),
        NLA_HDRLEN,
        |ctx, at| ctx.u16(at) as usize,
        |out, at, len| {
            let name = |out: &mut Out<'_>, kind: u64| out.constant_of(kind, families);
            let data = |out: &mut Out<'_>, kind: u64, at: usize, size: usize| {
                let table = match kind {
                    crate::tables::AF_INET => &INET_ATTRS,
                    crate::tables::AF_INET6 => &INET6_ATTRS,
                    _ => return false,
                };
                attributes_of(ctx, out, at, size, table, kind);
                true
            };
            attribute_with(ctx, out, (at, len), name, data);
        },
    );
}

/// `[[NAME]=value, ...]`: an array whose indexes have names, `[37 /* PREFIX_??? */]=0`
/// past the names; `width`-byte elements, signed or not.
fn indexed_array(
    ctx: &Ctx<'_>,
    out: &mut Out<'_>,
    (at, len): (usize, usize),
    array: &IndexedArray,
) {
    out.begin_array();
    let count = len / array.width;
    for index in 0..count {
        if ctx.truncate_at(index) {
            out.ellipsis();
            break;
        }
        let item = at + index * array.width;
        let value = if array.width == 8 {
            ctx.u64(item)
        } else {
            ctx.u32(item)
        };
        let shown = match array.names.get(index) {
            Some(name) => format!("[{name}]="),
            None => format!("[{index} /* {} */]=", array.unknown),
        };
        if array.signed {
            out.text_fmt(format_args!("{shown}{}", value as u32 as i32));
        } else {
            out.text_fmt(format_args!("{shown}{value}"));
        }
    }
    out.end();
}

/// The names of an array's indexes.
pub struct IndexedArray {
    pub names: &'static [&'static str],
    pub unknown: &'static str,
    pub width: usize,
    pub signed: bool,
}

static INET_ATTRS: Table = Table {
    names: &["IFLA_INET_UNSPEC", "IFLA_INET_CONF"],
    unknown: "IFLA_INET_???",
    kinds: &[(1, Kind::Indexed(&IPV4_DEVCONF))],
};

static INET6_ATTRS: Table = Table {
    names: &[
        "IFLA_INET6_UNSPEC",
        "IFLA_INET6_FLAGS",
        "IFLA_INET6_CONF",
        "IFLA_INET6_STATS",
        "IFLA_INET6_MCAST",
        "IFLA_INET6_CACHEINFO",
        "IFLA_INET6_ICMP6STATS",
        "IFLA_INET6_TOKEN",
        "IFLA_INET6_ADDR_GEN_MODE",
        "IFLA_INET6_RA_MTU",
    ],
    unknown: "IFLA_INET6_???",
    kinds: &[
        (1, Kind::Flags32(&INET6_IF_FLAGS)),
        (2, Kind::Indexed(&IPV6_DEVCONF)),
        (3, Kind::Indexed(&IPSTATS)),
        (5, Kind::Inet6CacheInfo),
        (6, Kind::Indexed(&ICMP6STATS)),
        (7, Kind::In6Addr),
        (8, Kind::Const8(ADDR_GEN_MODES, "IN6_ADDR_GEN_MODE_???")),
        (9, Kind::U32),
    ],
};

static INET6_IF_FLAGS: FlagTable = FlagTable::bits(&[
    (0x10, "IF_RS_SENT"),
    (0x20, "IF_RA_RCVD"),
    (0x40, "IF_RA_MANAGED"),
    (0x80, "IF_RA_OTHERCONF"),
    (0x8000_0000, "IF_READY"),
]);

use crate::kernel_consts::ADDR_GEN_MODES;

/// IFLA_INET_CONF's indexes (linux/ip.h: IPV4_DEVCONF_* less one).
static IPV4_DEVCONF: IndexedArray = IndexedArray {
    names: &[
        "IPV4_DEVCONF_FORWARDING-1",
        "IPV4_DEVCONF_MC_FORWARDING-1",
        "IPV4_DEVCONF_PROXY_ARP-1",
        "IPV4_DEVCONF_ACCEPT_REDIRECTS-1",
        "IPV4_DEVCONF_SECURE_REDIRECTS-1",
        "IPV4_DEVCONF_SEND_REDIRECTS-1",
        "IPV4_DEVCONF_SHARED_MEDIA-1",
        "IPV4_DEVCONF_RP_FILTER-1",
        "IPV4_DEVCONF_ACCEPT_SOURCE_ROUTE-1",
        "IPV4_DEVCONF_BOOTP_RELAY-1",
        "IPV4_DEVCONF_LOG_MARTIANS-1",
        "IPV4_DEVCONF_TAG-1",
        "IPV4_DEVCONF_ARPFILTER-1",
        "IPV4_DEVCONF_MEDIUM_ID-1",
        "IPV4_DEVCONF_NOXFRM-1",
        "IPV4_DEVCONF_NOPOLICY-1",
        "IPV4_DEVCONF_FORCE_IGMP_VERSION-1",
        "IPV4_DEVCONF_ARP_ANNOUNCE-1",
        "IPV4_DEVCONF_ARP_IGNORE-1",
        "IPV4_DEVCONF_PROMOTE_SECONDARIES-1",
        "IPV4_DEVCONF_ARP_ACCEPT-1",
        "IPV4_DEVCONF_ARP_NOTIFY-1",
        "IPV4_DEVCONF_ACCEPT_LOCAL-1",
        "IPV4_DEVCONF_SRC_VMARK-1",
        "IPV4_DEVCONF_PROXY_ARP_PVLAN-1",
        "IPV4_DEVCONF_ROUTE_LOCALNET-1",
        "IPV4_DEVCONF_IGMPV2_UNSOLICITED_REPORT_INTERVAL-1",
        "IPV4_DEVCONF_IGMPV3_UNSOLICITED_REPORT_INTERVAL-1",
        "IPV4_DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN-1",
        "IPV4_DEVCONF_DROP_UNICAST_IN_L2_MULTICAST-1",
        "IPV4_DEVCONF_DROP_GRATUITOUS_ARP-1",
        "IPV4_DEVCONF_BC_FORWARDING-1",
        "IPV4_DEVCONF_ARP_EVICT_NOCARRIER-1",
    ],
    unknown: "IPV4_DEVCONF_???",
    width: 4,
    signed: true,
};

/// IFLA_INET6_CONF's indexes (linux/ipv6.h).
static IPV6_DEVCONF: IndexedArray = IndexedArray {
    names: &[
        "DEVCONF_FORWARDING",
        "DEVCONF_HOPLIMIT",
        "DEVCONF_MTU6",
        "DEVCONF_ACCEPT_RA",
        "DEVCONF_ACCEPT_REDIRECTS",
        "DEVCONF_AUTOCONF",
        "DEVCONF_DAD_TRANSMITS",
        "DEVCONF_RTR_SOLICITS",
        "DEVCONF_RTR_SOLICIT_INTERVAL",
        "DEVCONF_RTR_SOLICIT_DELAY",
        "DEVCONF_USE_TEMPADDR",
        "DEVCONF_TEMP_VALID_LFT",
        "DEVCONF_TEMP_PREFERED_LFT",
        "DEVCONF_REGEN_MAX_RETRY",
        "DEVCONF_MAX_DESYNC_FACTOR",
        "DEVCONF_MAX_ADDRESSES",
        "DEVCONF_FORCE_MLD_VERSION",
        "DEVCONF_ACCEPT_RA_DEFRTR",
        "DEVCONF_ACCEPT_RA_PINFO",
        "DEVCONF_ACCEPT_RA_RTR_PREF",
        "DEVCONF_RTR_PROBE_INTERVAL",
        "DEVCONF_ACCEPT_RA_RT_INFO_MAX_PLEN",
        "DEVCONF_PROXY_NDP",
        "DEVCONF_OPTIMISTIC_DAD",
        "DEVCONF_ACCEPT_SOURCE_ROUTE",
        "DEVCONF_MC_FORWARDING",
        "DEVCONF_DISABLE_IPV6",
        "DEVCONF_ACCEPT_DAD",
        "DEVCONF_FORCE_TLLAO",
        "DEVCONF_NDISC_NOTIFY",
        "DEVCONF_MLDV1_UNSOLICITED_REPORT_INTERVAL",
        "DEVCONF_MLDV2_UNSOLICITED_REPORT_INTERVAL",
        "DEVCONF_SUPPRESS_FRAG_NDISC",
        "DEVCONF_ACCEPT_RA_FROM_LOCAL",
        "DEVCONF_USE_OPTIMISTIC",
        "DEVCONF_ACCEPT_RA_MTU",
        "DEVCONF_STABLE_SECRET",
        "DEVCONF_USE_OIF_ADDRS_ONLY",
        "DEVCONF_ACCEPT_RA_MIN_HOP_LIMIT",
        "DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN",
        "DEVCONF_DROP_UNICAST_IN_L2_MULTICAST",
        "DEVCONF_DROP_UNSOLICITED_NA",
        "DEVCONF_KEEP_ADDR_ON_DOWN",
        "DEVCONF_RTR_SOLICIT_MAX_INTERVAL",
        "DEVCONF_SEG6_ENABLED",
        "DEVCONF_SEG6_REQUIRE_HMAC",
        "DEVCONF_ENHANCED_DAD",
        "DEVCONF_ADDR_GEN_MODE",
        "DEVCONF_DISABLE_POLICY",
        "DEVCONF_ACCEPT_RA_RT_INFO_MIN_PLEN",
        "DEVCONF_NDISC_TCLASS",
        "DEVCONF_RPL_SEG_ENABLED",
        "DEVCONF_RA_DEFRTR_METRIC",
        "DEVCONF_IOAM6_ENABLED",
        "DEVCONF_IOAM6_ID",
        "DEVCONF_IOAM6_ID_WIDE",
        "DEVCONF_NDISC_EVICT_NOCARRIER",
        "DEVCONF_ACCEPT_UNTRACKED_NA",
        "DEVCONF_ACCEPT_RA_MIN_LFT",
        "DEVCONF_FORCE_FORWARDING",
    ],
    unknown: "DEVCONF_???",
    width: 4,
    signed: true,
};

/// IFLA_INET6_STATS's indexes (linux/snmp.h).
static IPSTATS: IndexedArray = IndexedArray {
    names: &[
        "IPSTATS_MIB_NUM",
        "IPSTATS_MIB_INPKTS",
        "IPSTATS_MIB_INOCTETS",
        "IPSTATS_MIB_INDELIVERS",
        "IPSTATS_MIB_OUTFORWDATAGRAMS",
        "IPSTATS_MIB_OUTPKTS",
        "IPSTATS_MIB_OUTOCTETS",
        "IPSTATS_MIB_INHDRERRORS",
        "IPSTATS_MIB_INTOOBIGERRORS",
        "IPSTATS_MIB_INNOROUTES",
        "IPSTATS_MIB_INADDRERRORS",
        "IPSTATS_MIB_INUNKNOWNPROTOS",
        "IPSTATS_MIB_INTRUNCATEDPKTS",
        "IPSTATS_MIB_INDISCARDS",
        "IPSTATS_MIB_OUTDISCARDS",
        "IPSTATS_MIB_OUTNOROUTES",
        "IPSTATS_MIB_REASMTIMEOUT",
        "IPSTATS_MIB_REASMREQDS",
        "IPSTATS_MIB_REASMOKS",
        "IPSTATS_MIB_REASMFAILS",
        "IPSTATS_MIB_FRAGOKS",
        "IPSTATS_MIB_FRAGFAILS",
        "IPSTATS_MIB_FRAGCREATES",
        "IPSTATS_MIB_INMCASTPKTS",
        "IPSTATS_MIB_OUTMCASTPKTS",
        "IPSTATS_MIB_INBCASTPKTS",
        "IPSTATS_MIB_OUTBCASTPKTS",
        "IPSTATS_MIB_INMCASTOCTETS",
        "IPSTATS_MIB_OUTMCASTOCTETS",
        "IPSTATS_MIB_INBCASTOCTETS",
        "IPSTATS_MIB_OUTBCASTOCTETS",
        "IPSTATS_MIB_CSUMERRORS",
        "IPSTATS_MIB_NOECTPKTS",
        "IPSTATS_MIB_ECT1PKTS",
        "IPSTATS_MIB_ECT0PKTS",
        "IPSTATS_MIB_CEPKTS",
        "IPSTATS_MIB_REASM_OVERLAPS",
    ],
    unknown: "IPSTATS_MIB_???",
    width: 8,
    signed: false,
};

/// IFLA_INET6_ICMP6STATS's indexes (linux/snmp.h).
static ICMP6STATS: IndexedArray = IndexedArray {
    names: &[
        "ICMP6_MIB_NUM",
        "ICMP6_MIB_INMSGS",
        "ICMP6_MIB_INERRORS",
        "ICMP6_MIB_OUTMSGS",
        "ICMP6_MIB_OUTERRORS",
        "ICMP6_MIB_CSUMERRORS",
    ],
    unknown: "ICMP6_MIB_???",
    width: 8,
    signed: false,
};

/// The payload as `kind` says, or false when it does not fit (shown in hex then).
fn value(ctx: &Ctx<'_>, out: &mut Out<'_>, kind: Kind, at: usize, len: usize, family: u64) -> bool {
    match kind {
        Kind::Raw => return false,
        Kind::U8 if len >= 1 => out.uint(ctx.u8(at)),
        Kind::U16 if len >= 2 => out.uint(ctx.u16(at)),
        Kind::U32 if len >= 4 => out.uint(ctx.u32(at)),
        Kind::U64 if len >= 8 => out.uint(ctx.u64(at)),
        Kind::S32 if len >= 4 => out.int(i64::from(ctx.u32(at) as u32 as i32)),
        Kind::IpProto if len <= 8 => {
            let value = ctx.u8(at);
            let table = crate::tables::IP_PROTOCOLS;
            out.constant_of(value, table);
        }
        Kind::Str => {
            let bytes = ctx.slice(at, len);
            let (text, terminated) = match bytes.split_last() {
                Some((0, rest)) => (rest, true),
                _ => (bytes, false),
            };
            let shown = text.len().min(ctx.string_limit);
            out.bytes(
                &text[..shown],
                shown < text.len() || !terminated,
                StrStyle::Quoted,
            );
        }
        Kind::HwAddr if len <= 32 => emit_hwaddr(out, ctx.slice(at, len)),
        Kind::InetAddr => return inet_addr(ctx, out, family, at, len),
        Kind::IfIndex if len >= 4 => emit_ifindex(out, ctx.u32(at) as u32),
        // As strace's flag attributes: the first four of up to eight bytes.
        Kind::Flags32(table) if (4..=8).contains(&len) => out.flags(ctx.u32(at), table),
        Kind::Const32(table) if len >= 4 => {
            let value = ctx.u32(at);
            match table.iter().find(|(v, _)| *v == value) {
                Some((_, name)) => out.name(name),
                None => out.hex(value),
            }
        }
        Kind::LinkStats => return link_stats(ctx, out, at, len, 4),
        Kind::LinkStats64 => return link_stats(ctx, out, at, len, 8),
        Kind::AddrCacheInfo if len >= 16 => u32_fields(
            ctx,
            out,
            at,
            &["ifa_prefered", "ifa_valid", "cstamp", "tstamp"],
        ),
        Kind::NeighCacheInfo if len >= 16 => u32_fields(
            ctx,
            out,
            at,
            &["ndm_confirmed", "ndm_used", "ndm_updated", "ndm_refcnt"],
        ),
        Kind::Be16 if len >= 2 => {
            out.begin_call("htons");
            out.uint(u64::from((ctx.u16(at) as u16).swap_bytes()));
            out.end();
        }
        Kind::UnixVfs if len >= 8 => {
            // The kernel's dev_t, split as glibc's major() and minor() split it.
            let dev = ctx.u32(at + 4);
            out.begin_struct();
            out.field("udiag_vfs_dev");
            out.device_number(dev);
            out.field("udiag_vfs_ino");
            out.uint(ctx.u32(at));
            out.end();
        }
        Kind::Range32 if len >= 8 => u32_fields(ctx, out, at, &["start", "end"]),
        Kind::Range16 if len >= 4 => {
            out.begin_struct();
            out.field("start");
            out.uint(ctx.u16(at));
            out.field("end");
            out.uint(ctx.u16(at + 2));
            out.end();
        }
        Kind::UnixRqlen if len >= 8 => u32_fields(ctx, out, at, &["udiag_rqueue", "udiag_wqueue"]),
        Kind::U32Array if len >= 4 => {
            out.begin_array();
            for (index, item) in (at..at + len - len % 4).step_by(4).enumerate() {
                if ctx.truncate_at(index) {
                    out.ellipsis();
                    break;
                }
                out.uint(ctx.u32(item));
            }
            out.end();
        }
        Kind::RouteCacheInfo if len >= 32 => u32_fields(
            ctx,
            out,
            at,
            &[
                "rta_clntref",
                "rta_lastuse",
                "rta_expires",
                "rta_error",
                "rta_used",
                "rta_id",
                "rta_ts",
                "rta_tsage",
            ],
        ),
        Kind::DiagMemInfo if len >= 16 => u32_fields(
            ctx,
            out,
            at,
            &["idiag_rmem", "idiag_wmem", "idiag_fmem", "idiag_tmem"],
        ),
        Kind::Shutdown if (1..=8).contains(&len) => {
            let value = ctx.u8(at);
            match value {
                0 => out.uint(0),
                _ => {
                    let mut names = String::new();
                    for (bit, name) in [(1, "RCV_SHUTDOWN"), (2, "SEND_SHUTDOWN")] {
                        if value & bit != 0 {
                            if !names.is_empty() {
                                names.push('|');
                            }
                            names.push_str(name);
                        }
                    }
                    if value & !3 != 0 {
                        if !names.is_empty() {
                            names.push('|');
                        }
                        names.push_str(&format!("{:#x}", value & !3));
                    }
                    out.text_fmt(format_args!("{value:#x} /* {names} */"));
                }
            }
        }
        Kind::SockOpt if len >= 2 => sockopt(ctx, out, at, len),
        Kind::Const8(table, unknown) if len >= 1 => out.constant(ctx.u8(at), table, unknown),
        Kind::Fd if len >= 4 => out.fd(ctx.u32(at) as u32 as i32),
        Kind::LinkMap if len >= 28 => {
            out.begin_struct();
            for (i, name) in ["mem_start", "mem_end", "base_addr"].iter().enumerate() {
                out.field(name);
                out.hex(ctx.u64(at + 8 * i));
            }
            out.field("irq");
            out.uint(ctx.u16(at + 24));
            out.field("dma");
            out.uint(ctx.u8(at + 26));
            out.field("port");
            out.uint(ctx.u8(at + 27));
            out.end();
        }
        Kind::Nested(table) => attributes_of(ctx, out, at, len, table, family),
        Kind::AfSpec => af_spec(ctx, out, at, len),
        Kind::Indexed(array) if len >= array.width => indexed_array(ctx, out, (at, len), array),
        Kind::Inet6CacheInfo if len >= 16 => u32_fields(
            ctx,
            out,
            at,
            &["max_reasm_len", "tstamp", "reachable_time", "retrans_time"],
        ),
        Kind::In6Addr if len >= 16 => {
            let mut raw = [0u8; 16];
            raw.copy_from_slice(&ctx.slice(at, 16)[..16]);
            emit_inet6_addr(out, raw, None);
        }
        Kind::Struct(layout) if len >= layout.size => struct_fields(ctx, out, at, layout),
        Kind::U16Array if len >= 2 => {
            out.begin_array();
            for (index, item) in (at..at + len - len % 2).step_by(2).enumerate() {
                if ctx.truncate_at(index) {
                    out.ellipsis();
                    break;
                }
                out.uint(ctx.u16(item));
            }
            out.end();
        }
        Kind::Millis if len <= 8 => {
            let mut raw = [0u8; 8];
            raw[..len].copy_from_slice(&ctx.slice(at, len)[..len]);
            let millis = u64::from_le_bytes(raw);
            if millis == 0 {
                out.uint(0);
            } else {
                out.text_fmt(format_args!(
                    "{millis} /* {}.{:03} s */",
                    millis / 1000,
                    millis % 1000
                ));
            }
        }
        Kind::IndexedNested(table) => indexed_nested(ctx, out, at, len, table, family),
        _ => return false,
    }
    true
}

fn struct_fields(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, layout: &Layout) {
    out.begin_struct();
    for &(name, offset, int) in layout.fields {
        out.field(name);
        let at = at + offset;
        match int {
            Int::U8 => out.uint(ctx.u8(at)),
            Int::S8 => out.int(i64::from(ctx.u8(at) as u8 as i8)),
            Int::S16 => out.int(i64::from(ctx.u16(at) as u16 as i16)),
            Int::U32 => out.uint(ctx.u32(at)),
            Int::S32 => out.int(i64::from(ctx.u32(at) as u32 as i32)),
            Int::U64 => out.uint(ctx.u64(at)),
        }
    }
    out.end();
}

/// Attributes whose types are indexes into an array (hex, no name), each holding
/// attributes of `table` (TCA_ROOT_TAB's actions).
fn indexed_nested(
    ctx: &Ctx<'_>,
    out: &mut Out<'_>,
    at: usize,
    len: usize,
    table: &Table,
    family: u64,
) {
    super::records(
        ctx,
        out,
        (at, len),
        NLA_HDRLEN,
        |ctx, at| ctx.u16(at) as usize,
        |out, at, len| {
            let name = |out: &mut Out<'_>, index: u64| out.hex(index);
            let data = |out: &mut Out<'_>, _: u64, at: usize, size: usize| {
                attributes_of(ctx, out, at, size, table, family);
                true
            };
            attribute_with(ctx, out, (at, len), name, data);
        },
    );
}

fn u32_fields(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, names: &[&'static str]) {
    out.begin_struct();
    for (i, name) in names.iter().enumerate() {
        out.field(name);
        out.uint(ctx.u32(at + 4 * i));
    }
    out.end();
}

/// `inet_addr("127.0.0.1")` or `inet_pton(AF_INET6, "::1")` for an address of
/// `family`; false (hex) for any other family or a length that does not fit.
pub fn inet_addr(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) -> bool {
    let bytes = ctx.slice(at, len);
    match family {
        crate::tables::AF_INET if bytes.len() >= 4 => {
            emit_inet_addr(out, [bytes[0], bytes[1], bytes[2], bytes[3]]);
            true
        }
        crate::tables::AF_INET6 if bytes.len() >= 16 => {
            let mut raw = [0u8; 16];
            raw.copy_from_slice(&bytes[..16]);
            emit_inet6_addr(out, raw, None);
            true
        }
        _ => false,
    }
}

/// The counters of `struct rtnl_link_stats` (`width` 4) or `rtnl_link_stats64` (8):
/// the 23 every kernel has, then those newer ones that fit.
fn link_stats(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, len: usize, width: usize) -> bool {
    const FIELDS: &[&str] = &[
        "rx_packets",
        "tx_packets",
        "rx_bytes",
        "tx_bytes",
        "rx_errors",
        "tx_errors",
        "rx_dropped",
        "tx_dropped",
        "multicast",
        "collisions",
        "rx_length_errors",
        "rx_over_errors",
        "rx_crc_errors",
        "rx_frame_errors",
        "rx_fifo_errors",
        "rx_missed_errors",
        "tx_aborted_errors",
        "tx_carrier_errors",
        "tx_fifo_errors",
        "tx_heartbeat_errors",
        "tx_window_errors",
        "rx_compressed",
        "tx_compressed",
        "rx_nohandler",
        "rx_otherhost_dropped",
    ];
    // strace's struct: 24 fields (rtnl_link_stats) or 25 (rtnl_link_stats64); a
    // payload of exactly the 23 oldest is also accepted.
    let full = if width == 4 { 24 } else { 25 };
    let count = if len >= full * width {
        full
    } else if len == 23 * width {
        23
    } else {
        return false;
    };
    out.begin_struct();
    for (i, name) in FIELDS[..count].iter().enumerate() {
        out.field(name);
        out.uint(if width == 4 {
            ctx.u32(at + 4 * i)
        } else {
            ctx.u64(at + 8 * i)
        });
    }
    out.end();
    true
}

/// INET_DIAG_SOCKOPT: the bits that are set (all of them with `-v`).
fn sockopt(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, _len: usize) {
    const BITS: &[&str] = &[
        "recverr",
        "is_icsk",
        "freebind",
        "hdrincl",
        "mc_loop",
        "transparent",
        "mc_all",
        "nodefrag",
        "bind_address_no_port",
        "recverr_rfc4884",
        "defer_connect",
    ];
    let value = ctx.u16(at);
    let all = ctx.elements == 0;
    out.begin_struct();
    for (bit, name) in BITS.iter().enumerate() {
        let set = (value >> bit) & 1;
        if all || set != 0 {
            out.field(name);
            out.uint(set);
        }
    }
    let unused = value >> 11;
    if all || unused != 0 {
        out.field("unused");
        if unused == 0 {
            out.text("0 /* bits 3..8 */");
        } else {
            out.text_fmt(format_args!("{unused:#x} /* bits 3..8 */"));
        }
    }
    out.end();
}
