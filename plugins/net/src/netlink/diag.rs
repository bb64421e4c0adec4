//! NETLINK_SOCK_DIAG payloads: for AF_INET and AF_INET6 `struct inet_diag_req_v2`
//! (requests) and `struct inet_diag_msg` (answers), for AF_UNIX `struct
//! unix_diag_req` and `struct unix_diag_msg`, with their attributes; other families
//! show their family and bytes.

use rtrace_sdk::netdev::{emit_ifindex, emit_inet6_addr};
use rtrace_sdk::Out;

use super::attrs::{attributes_of, inet_addr, Kind, Table};
use super::names::{
    DIAG_EXT_FLAGS, INET_DIAG_NAMES, INET_DIAG_REQ_NAMES, TCP_STATES, TCP_STATE_FLAGS, UDIAG_SHOW,
    UNIX_DIAG_NAMES,
};
use super::route::family_only;
use super::Ctx;
use crate::tables::{AF_INET, AF_INET6, AF_UNIX, FAMILIES, IP_PROTOCOLS, SOCK_TYPES};

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
    match (family, request) {
        (_, _) if len <= 1 => family_only(ctx, out, family, at, len),
        (AF_INET | AF_INET6, true) => request_v2(ctx, out, family, at, len),
        (AF_INET | AF_INET6, false) => answer(ctx, out, family, at, len),
        (AF_UNIX, true) => unix_request(ctx, out, family, at, len),
        (AF_UNIX, false) => unix_answer(ctx, out, family, at, len),
        _ => family_only(ctx, out, family, at, len),
    }
}

const UNIX_REQ_SIZE: usize = 24;
const UNIX_MSG_SIZE: usize = 16;

static UNIX_ATTRS: Table = Table {
    names: UNIX_DIAG_NAMES,
    unknown: "UNIX_DIAG_???",
    kinds: &[
        (0, Kind::Str),
        (1, Kind::UnixVfs),
        (2, Kind::U32),
        (3, Kind::U32Array),
        (4, Kind::UnixRqlen),
        (6, Kind::U8),
        (7, Kind::U32),
    ],
};

/// `struct unix_diag_req` (no attributes follow it).
fn unix_request(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    out.begin_struct();
    emit_family(out, "sdiag_family", family);
    if len < UNIX_REQ_SIZE {
        out.ellipsis();
    } else {
        out.field("sdiag_protocol");
        out.uint(ctx.u8(at + 1));
        out.field("udiag_states");
        out.flags(ctx.u32(at + 4), &TCP_STATE_FLAGS);
        out.field("udiag_ino");
        out.uint(ctx.u32(at + 8));
        out.field("udiag_show");
        out.flags(ctx.u32(at + 12), &UDIAG_SHOW);
        cookie(ctx, out, "udiag_cookie", at + 16);
    }
    out.end();
}

/// `struct unix_diag_msg` and its attributes.
fn unix_answer(ctx: &Ctx<'_>, out: &mut Out<'_>, family: u64, at: usize, len: usize) {
    out.begin_struct();
    emit_family(out, "udiag_family", family);
    if len < UNIX_MSG_SIZE {
        out.ellipsis();
        out.end();
        return;
    }
    out.field("udiag_type");
    out.constant(ctx.u8(at + 1), SOCK_TYPES, "SOCK_???");
    out.field("udiag_state");
    out.constant(ctx.u8(at + 2), TCP_STATES, "TCP_???");
    out.field("udiag_ino");
    out.uint(ctx.u32(at + 4));
    cookie(ctx, out, "udiag_cookie", at + 8);
    out.end();
    if len > UNIX_MSG_SIZE {
        attributes_of(
            ctx,
            out,
            at + UNIX_MSG_SIZE,
            len - UNIX_MSG_SIZE,
            &UNIX_ATTRS,
            family,
        );
    }
}

/// A socket cookie: two `u32`.
fn cookie(ctx: &Ctx<'_>, out: &mut Out<'_>, field: &'static str, at: usize) {
    out.field(field);
    out.begin_array();
    out.uint(ctx.u32(at));
    out.uint(ctx.u32(at + 4));
    out.end();
}

fn emit_family(out: &mut Out<'_>, field: &'static str, family: u64) {
    out.field(field);
    out.constant_of(family, FAMILIES);
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
    out.constant_of(ctx.u8(at + 1), IP_PROTOCOLS);
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
    cookie(ctx, out, "idiag_cookie", at + 40);
    out.end();
}

/// `inet_pton(AF_INET6, "::1", &idiag_src)`: strace names the field it fills.
fn inet6_field(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, name: &str) {
    let mut raw = [0u8; 16];
    let bytes = ctx.slice(at, 16);
    raw[..bytes.len()].copy_from_slice(bytes);
    emit_inet6_addr(out, raw, Some(name));
}
