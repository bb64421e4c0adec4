//! Netlink messages, as strace prints what is sent and received on netlink sockets:
//! NETLINK_ROUTE's and NETLINK_SOCK_DIAG's whole (`[{nlmsg_len=20, nlmsg_type=RTM_GETLINK,
//! nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, ...}, {ifi_family=AF_UNSPEC, ...}, [attributes]]`,
//! several messages as an array of those, NLMSG_ERROR's `{error=-ENOENT, msg=...}`),
//! and the headers and control messages of the protocols strace has no message names
//! for (their payloads in hex, as strace shows them).
//!
//! The buffer is read from the tracee once and decoded from that copy. Layouts are the
//! kernel's (linux/netlink.h, rtnetlink.h, if_link.h, if_addr.h, inet_diag.h) in host
//! byte order, which is little-endian on every ABI rtrace traces.

mod attrs;
mod diag;
mod names;
mod route;
mod tc;

use rtrace_sdk::{Call, Out, PidKind, StrStyle};

pub use rtrace_sdk::sockets::netlink_protocol;

use names::{
    ACK_FLAGS, DELETE_FLAGS, GET_FLAGS, MESSAGE_FLAGS, NEW_FLAGS, ROUTE_TYPES, SOCK_DIAG_TYPES,
};

/// The protocols whose payloads are decoded.
pub const NETLINK_ROUTE: u32 = 0;
pub const NETLINK_SOCK_DIAG: u32 = 4;

/// Protocols whose message types strace names from tables rtrace does not carry
/// (XFRM, SELINUX, AUDIT, NETFILTER, GENERIC's families asked at run time, CRYPTO) or
/// whose messages are not netlink messages (KOBJECT_UEVENT): their buffers stay strings.
const NOT_DECODED: &[u32] = &[6, 7, 9, 12, 15, 16, 21];

const NLMSG_HDRLEN: usize = 16;
const NLMSG_ERROR: u64 = 2;
const NLMSG_DONE: u64 = 3;
const NLMSG_MIN_TYPE: u64 = 0x10;
const NLM_F_REQUEST: u64 = 1;
const NLM_F_CAPPED: u64 = 0x100;

/// The most of one buffer read for decoding.
const MAX_READ: u64 = 1 << 20;

/// Whether buffers on a socket of `protocol` are decoded as netlink messages.
pub fn decodes(protocol: Option<u32>) -> Option<u32> {
    protocol.filter(|p| !NOT_DECODED.contains(p))
}

/// What the decoders share: the tracee's options and the buffer's bytes.
pub(crate) struct Ctx<'a> {
    pub protocol: u32,
    /// The most elements of one sequence shown (`-s`), 0 for all (`-v`).
    pub elements: usize,
    pub string_limit: usize,
    pub data: &'a [u8],
}

impl Ctx<'_> {
    fn truncate_at(&self, index: usize) -> bool {
        self.elements != 0 && index >= self.elements
    }

    /// `len` bytes at `at` in hex, as strace's QUOTE_FORCE_HEX strings.
    pub fn hex_bytes(&self, out: &mut Out<'_>, at: usize, len: usize) {
        let bytes = self.slice(at, len);
        let shown = bytes.len().min(self.string_limit);
        out.bytes(&bytes[..shown], shown < bytes.len(), StrStyle::Hex);
    }

    pub fn slice(&self, at: usize, len: usize) -> &[u8] {
        let start = at.min(self.data.len());
        let end = at.saturating_add(len).min(self.data.len());
        &self.data[start..end]
    }

    pub fn u8(&self, at: usize) -> u64 {
        u64::from(self.data.get(at).copied().unwrap_or(0))
    }

    pub fn u16(&self, at: usize) -> u64 {
        let mut raw = [0u8; 2];
        raw.copy_from_slice(self.slice(at, 2).get(..2).unwrap_or(&[0, 0]));
        u64::from(u16::from_le_bytes(raw))
    }

    pub fn u32(&self, at: usize) -> u64 {
        let mut raw = [0u8; 4];
        if let Some(bytes) = self.slice(at, 4).get(..4) {
            raw.copy_from_slice(bytes);
        }
        u64::from(u32::from_le_bytes(raw))
    }

    pub fn u64(&self, at: usize) -> u64 {
        let mut raw = [0u8; 8];
        if let Some(bytes) = self.slice(at, 8).get(..8) {
            raw.copy_from_slice(bytes);
        }
        u64::from_le_bytes(raw)
    }
}

/// The `len` bytes at `addr` sent or received on a socket of netlink `protocol`.
pub fn emit_netlink(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64, protocol: u32) {
    let options = call.options();
    let string_limit = rtrace_sdk::shown_bytes(options.string_limit) as usize;
    let elements = if options.verbose || options.string_limit == 0 {
        0
    } else {
        options.string_limit as usize
    };
    if addr == 0 {
        out.pointer(0);
        return;
    }
    let mut data = vec![0u8; len.min(MAX_READ) as usize];
    if !data.is_empty() {
        match call.tracee().read(addr, &mut data) {
            Some(n) if n > 0 => data.truncate(n),
            _ => {
                out.pointer(addr);
                return;
            }
        }
    }
    let ctx = Ctx {
        protocol,
        elements,
        string_limit,
        data: &data,
    };
    messages(&ctx, out, 0, data.len());
}

/// Netlink's length-prefixed records (messages, attributes) in `len` bytes at `at`,
/// as strace walks them: one record, or an array when more follow; `...` past the
/// `-s` limit; a tail shorter than a header in hex. `record_len` reads a record's
/// length from its header of `header` bytes; `show` prints one record, given the bytes
/// left from its start.
pub(crate) fn records(
    ctx: &Ctx<'_>,
    out: &mut Out<'_>,
    (mut at, mut len): (usize, usize),
    header: usize,
    record_len: fn(&Ctx<'_>, usize) -> usize,
    mut show: impl FnMut(&mut Out<'_>, usize, usize),
) {
    let mut in_array = false;
    let mut index = 0;
    loop {
        if len < header {
            ctx.hex_bytes(out, at, len);
            break;
        }
        if ctx.truncate_at(index) {
            out.ellipsis();
            break;
        }
        let own_len = record_len(ctx, at);
        let aligned = own_len.next_multiple_of(4);
        let next_len = if own_len >= header {
            len.saturating_sub(aligned)
        } else {
            0
        };
        if !in_array && next_len != 0 {
            out.begin_array();
            in_array = true;
        }
        show(out, at, len);
        if next_len == 0 {
            break;
        }
        at += aligned;
        len = next_len;
        index += 1;
    }
    if in_array {
        out.end();
    }
}

/// The messages in `len` bytes at `at`.
fn messages(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, len: usize) {
    let nlmsg_len = |ctx: &Ctx<'_>, at: usize| ctx.u32(at) as usize;
    records(
        ctx,
        out,
        (at, len),
        NLMSG_HDRLEN,
        nlmsg_len,
        |out, at, len| message(ctx, out, at, len),
    );
}

/// One message: its header, and its payload after it in an array when it has one.
fn message(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, len: usize) {
    let nlmsg_len = (ctx.u32(at) as usize).min(len);
    let with_payload = nlmsg_len > NLMSG_HDRLEN;
    if with_payload {
        out.begin_array();
    }
    header(ctx, out, at);
    if with_payload {
        payload(ctx, out, at, at + NLMSG_HDRLEN, nlmsg_len - NLMSG_HDRLEN);
        out.end();
    }
}

/// `{nlmsg_len=.., nlmsg_type=.., nlmsg_flags=.., nlmsg_seq=.., nlmsg_pid=..}`.
fn header(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize) {
    let kind = ctx.u16(at + 4);
    let flags = ctx.u16(at + 6);
    out.begin_struct();
    out.field("nlmsg_len");
    out.uint(ctx.u32(at));
    out.field("nlmsg_type");
    match ctx.protocol {
        _ if kind < NLMSG_MIN_TYPE => out.constant(kind, names::CONTROL_TYPES, "NLMSG_???"),
        NETLINK_ROUTE => out.constant(kind, ROUTE_TYPES, "RTM_???"),
        NETLINK_SOCK_DIAG => out.constant(kind, SOCK_DIAG_TYPES, "SOCK_DIAG_???"),
        _ => out.constant(kind, names::CONTROL_TYPES, "NLMSG_???"),
    }
    out.field("nlmsg_flags");
    out.flags(flags, flag_table(ctx.protocol, kind));
    out.field("nlmsg_seq");
    out.uint(ctx.u32(at + 8));
    out.field("nlmsg_pid");
    out.pid(i64::from(ctx.u32(at + 12) as u32 as i32), PidKind::Tgid);
    out.end();
}

/// The flags a message type gives meaning to beyond the common ones.
fn flag_table(protocol: u32, kind: u64) -> &'static rtrace_sdk::FlagTable {
    const RTM_DELACTION: u64 = 49;
    if kind < NLMSG_MIN_TYPE {
        return if kind == NLMSG_ERROR {
            &ACK_FLAGS
        } else {
            &MESSAGE_FLAGS
        };
    }
    if protocol == NETLINK_SOCK_DIAG || protocol == NETLINK_ROUTE && kind == RTM_DELACTION {
        return &GET_FLAGS;
    }
    if protocol != NETLINK_ROUTE {
        return &MESSAGE_FLAGS;
    }
    match kind & 3 {
        0 => &NEW_FLAGS,
        1 => &DELETE_FLAGS,
        2 => &GET_FLAGS,
        _ => &MESSAGE_FLAGS,
    }
}

/// What follows a header of `nlmsg_len - 16` bytes.
fn payload(ctx: &Ctx<'_>, out: &mut Out<'_>, header_at: usize, at: usize, len: usize) {
    let kind = ctx.u16(header_at + 4);
    let flags = ctx.u16(header_at + 6);
    if kind == NLMSG_ERROR {
        error(ctx, out, at, len, flags & NLM_F_CAPPED != 0);
        return;
    }
    if kind >= NLMSG_MIN_TYPE {
        match ctx.protocol {
            NETLINK_ROUTE => route::payload(ctx, out, kind, at, len),
            NETLINK_SOCK_DIAG => diag::payload(ctx, out, flags & NLM_F_REQUEST != 0, at, len),
            _ => ctx.hex_bytes(out, at, len),
        }
        return;
    }
    if kind == NLMSG_DONE && len == 4 {
        out.int(i64::from(ctx.u32(at) as u32 as i32));
        return;
    }
    ctx.hex_bytes(out, at, len);
}

/// The attributes of an extended acknowledgement.
static ERROR_ATTRS: attrs::Table = attrs::Table {
    names: names::NLMSGERR_NAMES,
    unknown: "NLMSGERR_ATTR_???",
    kinds: &[(1, attrs::Kind::Str), (2, attrs::Kind::U32)],
};

/// NLMSG_ERROR's `struct nlmsgerr`: the error, the header (and with it, unless the
/// kernel capped it, the payload) of the message it answers, then any attributes.
fn error(ctx: &Ctx<'_>, out: &mut Out<'_>, at: usize, len: usize, capped: bool) {
    const SIZE: usize = 4 + NLMSG_HDRLEN;
    if len < SIZE {
        ctx.hex_bytes(out, at, len);
        return;
    }
    let msg_at = at + 4;
    let msg_room = len - 4;
    let nlmsg_len = (ctx.u32(msg_at) as usize).max(NLMSG_HDRLEN);
    let shown = msg_room.min(if capped { NLMSG_HDRLEN } else { nlmsg_len });
    let with_attributes = msg_room > shown;
    if with_attributes {
        out.begin_array();
    }
    out.begin_struct();
    out.field("error");
    rtrace_sdk::errno::emit_errno(out, i64::from(ctx.u32(at) as u32 as i32), true);
    out.field("msg");
    message(ctx, out, msg_at, shown);
    out.end();
    if with_attributes {
        attrs::attributes(ctx, out, msg_at + shown, msg_room - shown, &ERROR_ATTRS);
        out.end();
    }
}

#[cfg(test)]
mod tests {
    use rtrace_sdk::api::{Emitter, Token};
    use rtrace_sdk::Out;

    use super::{messages, Ctx, NETLINK_ROUTE, NETLINK_SOCK_DIAG};

    fn decode(protocol: u32, data: &[u8], elements: usize) -> Emitter {
        let mut emitter = Emitter::default();
        let ctx = Ctx {
            protocol,
            elements,
            string_limit: 32,
            data,
        };
        messages(&ctx, &mut Out::new(&mut emitter), 0, data.len());
        emitter
    }

    /// Every group opened is closed.
    fn balanced(emitter: &Emitter) -> bool {
        let mut depth = 0i64;
        for token in emitter.tokens.iter() {
            match token {
                Token::End => depth -= 1,
                Token::FlagsBegin
                | Token::StructBegin
                | Token::ArrayBegin
                | Token::SetBegin
                | Token::CallBegin(_)
                | Token::FlagSet(_)
                | Token::ModeSet(_) => depth += 1,
                _ => {}
            }
            if depth < 0 {
                return false;
            }
        }
        depth == 0
    }

    /// Hostile bytes (any lengths, nested lengths pointing anywhere) never panic and
    /// always leave the output well formed.
    #[test]
    fn any_bytes_decode_without_panic() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for round in 0..4000 {
            let len = round % 300;
            let mut data = vec![0u8; len];
            for byte in data.iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *byte = state as u8;
            }
            // Plausible headers now and then, so payloads are reached.
            if len >= 20 && round % 2 == 0 {
                data[..4].copy_from_slice(&(len as u32).to_le_bytes());
                data[4] = [16, 20, 24, 2, 3, 20][round % 6];
                data[5] = 0;
                data[16] = [2, 10, 0][round % 3];
            }
            for protocol in [NETLINK_ROUTE, NETLINK_SOCK_DIAG] {
                for elements in [0, 32] {
                    let emitter = decode(protocol, &data, elements);
                    assert!(balanced(&emitter), "round {round}: {:?}", emitter.tokens);
                }
            }
        }
    }

    /// A dump request: one message, its ifinfomsg and one attribute.
    #[test]
    fn a_link_request_shows_header_payload_and_attribute() {
        let mut data = vec![0u8; 40];
        data[..4].copy_from_slice(&40u32.to_le_bytes());
        data[4..6].copy_from_slice(&18u16.to_le_bytes()); // RTM_GETLINK
        data[6..8].copy_from_slice(&0x301u16.to_le_bytes()); // REQUEST|DUMP
        data[32..34].copy_from_slice(&8u16.to_le_bytes());
        data[34..36].copy_from_slice(&29u16.to_le_bytes()); // IFLA_EXT_MASK
        data[36..40].copy_from_slice(&1u32.to_le_bytes());
        let emitter = decode(NETLINK_ROUTE, &data, 32);
        let names: Vec<String> = emitter
            .tokens
            .iter()
            .filter_map(|t| match t {
                Token::Name(n) | Token::Field(n) => Some(n.to_string()),
                Token::Constant { name, .. } => Some(name.to_string()),
                _ => None,
            })
            .collect();
        for expected in [
            "nlmsg_type",
            "RTM_GETLINK",
            "NLM_F_REQUEST",
            "NLM_F_DUMP",
            "ifi_family",
            "AF_UNSPEC",
            "IFLA_EXT_MASK",
            "RTEXT_FILTER_VF",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} in {names:?}"
            );
        }
        assert!(balanced(&emitter));
    }

    /// A qdisc answer: its tcmsg, then TCA_STATS2's basic counters as a structure, and
    /// a TCA_STATS too short for `struct tc_stats` in hex.
    #[test]
    fn a_qdisc_shows_its_tcmsg_and_statistics() {
        let mut data = vec![0u8; 16 + 20 + 24 + 8];
        let len = data.len() as u32;
        data[..4].copy_from_slice(&len.to_le_bytes());
        data[4..6].copy_from_slice(&36u16.to_le_bytes()); // RTM_NEWQDISC
        data[28..32].copy_from_slice(&0xffff_ffffu32.to_le_bytes()); // tcm_parent
                                                                     // TCA_STATS2 holding TCA_STATS_BASIC {bytes=7, packets=3}
        data[36..38].copy_from_slice(&24u16.to_le_bytes());
        data[38..40].copy_from_slice(&7u16.to_le_bytes());
        data[40..42].copy_from_slice(&20u16.to_le_bytes());
        data[42..44].copy_from_slice(&1u16.to_le_bytes());
        data[44] = 7;
        data[52] = 3;
        // TCA_STATS of 4 bytes
        data[60..62].copy_from_slice(&8u16.to_le_bytes());
        data[62..64].copy_from_slice(&3u16.to_le_bytes());
        let emitter = decode(NETLINK_ROUTE, &data, 32);
        let fields: Vec<String> = emitter
            .tokens
            .iter()
            .filter_map(|t| match t {
                Token::Field(n) | Token::Name(n) => Some(n.to_string()),
                Token::Uint(v) => Some(v.to_string()),
                Token::Bytes { .. } => Some("hex".to_string()),
                _ => None,
            })
            .collect();
        let joined = fields.join(" ");
        for expected in [
            "tcm_handle 0 tcm_parent 4294967295 tcm_info 0",
            "TCA_STATS2",
            "TCA_STATS_BASIC bytes 7 packets 3",
            "TCA_STATS hex",
        ] {
            assert!(joined.contains(expected), "{expected} in {joined}");
        }
        assert!(balanced(&emitter));
    }

    /// A tcmsg cut short shows its family and `...`, and no attributes.
    #[test]
    fn a_short_tcmsg_shows_its_family_only() {
        let mut data = vec![0u8; 20];
        data[..4].copy_from_slice(&20u32.to_le_bytes());
        data[4..6].copy_from_slice(&38u16.to_le_bytes()); // RTM_GETQDISC
        let emitter = decode(NETLINK_ROUTE, &data, 32);
        assert!(emitter
            .tokens
            .iter()
            .any(|t| matches!(t, Token::Field(n) if *n == "tcm_family")));
        assert!(emitter.tokens.iter().any(|t| matches!(t, Token::Ellipsis)));
        assert!(!emitter
            .tokens
            .iter()
            .any(|t| matches!(t, Token::Field(n) if *n == "tcm_ifindex")));
        assert!(balanced(&emitter));
    }
}
