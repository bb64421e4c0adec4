//! NETLINK_ROUTE's traffic control: `struct tcmsg` (qdiscs, classes, filters, chains)
//! and `struct tcamsg` (actions), with their TCA_* attributes; statistics are shown as
//! their structures (linux/pkt_sched.h, gen_stats.h), options stay in hex as strace
//! leaves them.

use rtrace_sdk::netdev::emit_ifindex;
use rtrace_sdk::Out;

use super::attrs::{attributes_of, Int, Kind, Layout, Table};
use super::names::{
    TCA_ACT_FLAGS, TCA_ACT_HW_STATS, TCA_ACT_NAMES, TCA_NAMES, TCA_ROOT_FLAGS, TCA_ROOT_NAMES,
    TCA_STAB_NAMES, TCA_STATS_NAMES,
};
use super::Ctx;
use crate::tables::FAMILIES;

/// `struct tcmsg`: family and padding, ifindex, handle, parent, info.
const TCMSG_SIZE: usize = 20;
/// `struct tcamsg`: family and padding.
const TCAMSG_SIZE: usize = 4;

/// `struct tc_stats`, up to its last field (the kernel pads it to 40 bytes).
static TC_STATS: Layout = Layout {
    size: 36,
    fields: &[
        ("bytes", 0, Int::U64),
        ("packets", 8, Int::U32),
        ("drops", 12, Int::U32),
        ("overlimits", 16, Int::U32),
        ("bps", 20, Int::U32),
        ("pps", 24, Int::U32),
        ("qlen", 28, Int::U32),
        ("backlog", 32, Int::U32),
    ],
};

/// `struct tc_estimator`.
static TC_ESTIMATOR: Layout = Layout {
    size: 2,
    fields: &[("interval", 0, Int::S8), ("ewma_log", 1, Int::U8)],
};

/// `struct gnet_stats_basic`, up to its last field (padded to 16 bytes).
static GNET_STATS_BASIC: Layout = Layout {
    size: 12,
    fields: &[("bytes", 0, Int::U64), ("packets", 8, Int::U32)],
};

/// `struct gnet_stats_rate_est`.
static GNET_STATS_RATE_EST: Layout = Layout {
    size: 8,
    fields: &[("bps", 0, Int::U32), ("pps", 4, Int::U32)],
};

/// `struct gnet_stats_rate_est64`.
static GNET_STATS_RATE_EST64: Layout = Layout {
    size: 16,
    fields: &[("bps", 0, Int::U64), ("pps", 8, Int::U64)],
};

/// `struct gnet_stats_queue`.
static GNET_STATS_QUEUE: Layout = Layout {
    size: 20,
    fields: &[
        ("qlen", 0, Int::U32),
        ("backlog", 4, Int::U32),
        ("drops", 8, Int::U32),
        ("requeues", 12, Int::U32),
        ("overlimits", 16, Int::U32),
    ],
};

/// `struct tc_sizespec`.
static TC_SIZESPEC: Layout = Layout {
    size: 24,
    fields: &[
        ("cell_log", 0, Int::U8),
        ("size_log", 1, Int::U8),
        ("cell_align", 2, Int::S16),
        ("overhead", 4, Int::S32),
        ("linklayer", 8, Int::U32),
        ("mpu", 12, Int::U32),
        ("mtu", 16, Int::U32),
        ("tsize", 20, Int::U32),
    ],
};

/// TCA_STATS2 and TCA_ACT_STATS; TCA_STATS_APP (qdisc-specific) stays in hex.
static STATS_ATTRS: Table = Table {
    names: TCA_STATS_NAMES,
    unknown: "TCA_STATS_???",
    kinds: &[
        (1, Kind::Struct(&GNET_STATS_BASIC)),
        (2, Kind::Struct(&GNET_STATS_RATE_EST)),
        (3, Kind::Struct(&GNET_STATS_QUEUE)),
        (5, Kind::Struct(&GNET_STATS_RATE_EST64)),
        (7, Kind::Struct(&GNET_STATS_BASIC)),
        (8, Kind::U64),
    ],
};

/// TCA_STAB: the size table's parameters and its cells.
static STAB_ATTRS: Table = Table {
    names: TCA_STAB_NAMES,
    unknown: "TCA_STAB_???",
    kinds: &[(1, Kind::Struct(&TC_SIZESPEC)), (2, Kind::U16Array)],
};

/// A qdisc's, class's, filter's or chain's attributes; TCA_OPTIONS and TCA_XSTATS
/// (specific to the kind) stay in hex.
static TC_ATTRS: Table = Table {
    names: TCA_NAMES,
    unknown: "TCA_???",
    kinds: &[
        (1, Kind::Str),
        (3, Kind::Struct(&TC_STATS)),
        (5, Kind::Struct(&TC_ESTIMATOR)),
        (6, Kind::U32),
        (7, Kind::Nested(&STATS_ATTRS)),
        (8, Kind::Nested(&STAB_ATTRS)),
        (11, Kind::U32),
        (12, Kind::U8),
        (13, Kind::U32),
        (14, Kind::U32),
        (15, Kind::U32),
        (16, Kind::Str),
    ],
};

/// One action; its options (specific to the kind) and cookie stay in hex.
static ACTION_ATTRS: Table = Table {
    names: TCA_ACT_NAMES,
    unknown: "TCA_ACT_???",
    kinds: &[
        (1, Kind::Str),
        (3, Kind::U32),
        (4, Kind::Nested(&STATS_ATTRS)),
        (7, Kind::Flags32(&TCA_ACT_FLAGS)),
        (8, Kind::Flags32(&TCA_ACT_HW_STATS)),
        (9, Kind::Flags32(&TCA_ACT_HW_STATS)),
        (10, Kind::U32),
    ],
};

/// An action message's attributes: TCA_ROOT_TAB lists actions by index.
static ROOT_ATTRS: Table = Table {
    names: TCA_ROOT_NAMES,
    unknown: "TCA_ROOT_???",
    kinds: &[
        (1, Kind::IndexedNested(&ACTION_ATTRS)),
        (2, Kind::Flags32(&TCA_ROOT_FLAGS)),
        (3, Kind::U32),
        (4, Kind::Millis),
        (5, Kind::Str),
    ],
};

fn emit_family(out: &mut Out<'_>, field: &'static str, family: u64) {
    out.field(field);
    out.constant_of(family, FAMILIES);
}

/// RTM_*QDISC, RTM_*TCLASS, RTM_*TFILTER, RTM_*CHAIN: `{tcm_family=AF_UNSPEC,
/// tcm_ifindex=..., tcm_handle=N, tcm_parent=N, tcm_info=N}`, then the attributes.
pub fn tcmsg(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    out.begin_struct();
    emit_family(out, "tcm_family", family);
    let whole = len >= TCMSG_SIZE;
    if whole {
        out.field("tcm_ifindex");
        emit_ifindex(out, ctx.u32(at + 4) as u32);
        for (i, name) in ["tcm_handle", "tcm_parent", "tcm_info"].iter().enumerate() {
            out.field(name);
            out.uint(ctx.u32(at + 8 + 4 * i));
        }
    } else {
        out.ellipsis();
    }
    out.end();
    if whole && len > TCMSG_SIZE {
        attributes_of(
            ctx,
            out,
            at + TCMSG_SIZE,
            len - TCMSG_SIZE,
            &TC_ATTRS,
            family,
        );
    }
}

/// RTM_*ACTION: `{tca_family=AF_UNSPEC}`, then the attributes (even when the header
/// is cut short: strace reads only its family).
pub fn tcamsg(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    out.begin_struct();
    emit_family(out, "tca_family", family);
    out.end();
    if len > TCAMSG_SIZE {
        attributes_of(
            ctx,
            out,
            at + TCAMSG_SIZE,
            len - TCAMSG_SIZE,
            &ROOT_ATTRS,
            family,
        );
    }
}
