//! NETLINK_SOCK_DIAG payloads for AF_INET and AF_INET6: `struct inet_diag_req_v2`
//! (requests) and `struct inet_diag_msg` (answers) with their attributes; other
//! families show their family and bytes.

use rtrace_sdk::netdev::{emit_ifindex, emit_inet6_addr};
use rtrace_sdk::Out;

use super::attrs::{attributes_of, inet_addr, Kind, Table};
use super::names::{
    DIAG_EXT_FLAGS, INET_DIAG_NAMES, INET_DIAG_REQ_NAMES, TCP_STATES, TCP_STATE_FLAGS,
};
use super::route::family_only;
use super::Ctx;
use crate::tables::{AF_INET, AF_INET6, FAMILIES, IP_PROTOCOLS};

const SOCKID_SIZE: usize = 48;
const REQ_V2_SIZE: usize = 8 + SOCKID_SIZE;
const MSG_SIZE: usize = 4 + SOCKID_SIZE + 20;

static REQUEST_ATTRS: Table = Table {
    names: INET_DIAG_REQ_NAMES,
    unknown: "INET_DIAG_REQ_???",
    kinds: &[(3, Kind::IpProto)],
};

static ANSWER_ATTRS: Table = Table {
    names: INET_DIAG_NAMES,
    unknown: "INET_DIAG_???",
    kinds: &[
        (1, Kind::DiagMemInfo),
        (4, Kind::Str),
        (5, Kind::U8),
        (6, Kind::U8),
        (8, Kind::Shutdown),
        (10, Kind::IpProto),
        (11, Kind::U8),
        (15, Kind::U32),
        (17, Kind::U32),
        (21, Kind::U64),
        (22, Kind::SockOpt),
    ],
};

/// The payload of a sock_diag message (`request`: NLM_F_REQUEST is set).
pub fn payload(ctx: &Ctx<'_>, out: &mut Out<'_>, request: bool, at: usize, len: usize) {
    let family = ctx.u8(at);
    let inet = matches!(family, AF_INET | AF_INET6) && len > 1;
    match (inet, request) {
        (true, true) => request_v2(ctx, out, family, at, len),
        (true, false) => answer(ctx, out, family, at, len),
        (false, _) => family_only(ctx, out, family, at, len),
    }
}

fn emit_family(out: &mut Out<'_>, field: &'static str, family: u64) {
    out.field(field);
    out.constant(family, FAMILIES.names, FAMILIES.unknown);
}

fn request_v2(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    out.begin_struct();
    emit_family(out, "sdiag_family", family);
    if len < REQ_V2_SIZE {
        out.ellipsis();
        out.end();
        return;
    }
    out.field("sdiag_protocol");
    out.constant(ctx.u8(at + 1), IP_PROTOCOLS.names, IP_PROTOCOLS.unknown);
    out.field("idiag_ext");
    out.flags(ctx.u8(at + 2), &DIAG_EXT_FLAGS);
    out.field("idiag_states");
    out.flags(ctx.u32(at + 4), &TCP_STATE_FLAGS);
    out.field("id");
    sockid(ctx, out, family, at + 8);
    out.end();
    if len > REQ_V2_SIZE {
        attributes_of(
            ctx,
            out,
            at + REQ_V2_SIZE,
            len - REQ_V2_SIZE,
            &REQUEST_ATTRS,
            family,
        );
    }
}

fn answer(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    out.begin_struct();
    emit_family(out, "idiag_family", family);
    if len < MSG_SIZE {
        out.ellipsis();
        out.end();
        return;
    }
    out.field("idiag_state");
    out.constant(ctx.u8(at + 1), TCP_STATES, "TCP_???");
    out.field("idiag_timer");
    out.uint(ctx.u8(at + 2));
    out.field("idiag_retrans");
    out.uint(ctx.u8(at + 3));
    out.field("id");
    sockid(ctx, out, family, at + 4);
    let rest = at + 4 + SOCKID_SIZE;
    for (i, name) in [
        "idiag_expires",
        "idiag_rqueue",
        "idiag_wqueue",
        "idiag_uid",
        "idiag_inode",
    ]
    .iter()
    .enumerate()
    {
        out.field(name);
        out.uint(ctx.u32(rest + 4 * i));
    }
    out.end();
    if len > MSG_SIZE {
        attributes_of(
            ctx,
            out,
            at + MSG_SIZE,
            len - MSG_SIZE,
            &ANSWER_ATTRS,
            family,
        );
    }
}

/// `struct inet_diag_sockid`: ports in network order, addresses of `family`.
fn sockid(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize) {
    out.begin_struct();
    for (i, name) in ["idiag_sport", "idiag_dport"].iter().enumerate() {
        out.field(name);
        out.begin_call("htons");
        out.uint(u64::from((ctx.u16(at + 2 * i) as u16).swap_bytes()));
        out.end();
    }
    for (i, name) in ["idiag_src", "idiag_dst"].iter().enumerate() {
        let addr = at + 4 + 16 * i;
        if family == AF_INET6 {
            // strace names the field inside the call alone.
            inet6_field(ctx, out, addr, name);
        } else {
            out.field(name);
            inet_addr(ctx, out, family, addr, 16);
        }
    }
    out.field("idiag_if");
    emit_ifindex(out, ctx.u32(at + 36) as u32);
    out.field("idiag_cookie");
    out.begin_array();
    out.uint(ctx.u32(at + 40));
    out.uint(ctx.u32(at + 44));
    out.end();
    out.end();
}

/// `inet_pton(AF_INET6, "::1", &idiag_src)`: strace names the field it fills.
fn inet6_field(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, name: &str) {
    let mut raw = [0u8; 16];
    let bytes = ctx.slice(at, 16);
    raw[..bytes.len()].copy_from_slice(bytes);
    emit_inet6_addr(out, raw, Some(name));
}
