//! Socket addresses as strace prints them, by family:
//! `{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}`,
//! `{sa_family=AF_UNIX, sun_path=@"abstract"}`, and raw `sa_data` for the rest.
//! Every field of these structs is fixed-size, so the layout is the same on all ABIs.

use rtrace_sdk::netdev::{emit_inet6_addr, emit_inet_addr};
use rtrace_sdk::{Call, Out, PidKind, StrStyle};

use crate::tables::{AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNIX, ETHER_PROTOCOLS, FAMILIES};

/// `sizeof(struct sockaddr_storage)`: the most strace reads.
pub const SOCKADDR_MAX: usize = 128;

/// The address of `len` bytes at `addr`: `NULL`, the decoded struct, or the address
/// when unreadable.
pub fn sockaddr_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    let hex = call.options().hex_strings;
    if addr == 0 {
        out.pointer(0);
        return;
    }
    let len = (len as usize).min(SOCKADDR_MAX);
    let mut buf = [0u8; SOCKADDR_MAX];
    if len < 2 || !call.tracee().read_exact(addr, &mut buf[..len]) {
        out.pointer(addr);
        return;
    }
    emit_sockaddr(out, &buf[..len], hex);
}

fn be16(bytes: &[u8], at: usize) -> u64 {
    u64::from(u16::from_be_bytes([bytes[at], bytes[at + 1]]))
}

fn be32(bytes: &[u8], at: usize) -> u64 {
    u64::from(u32::from_be_bytes(
        bytes[at..at + 4].try_into().unwrap_or_default(),
    ))
}

fn ne32(bytes: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes(
        bytes[at..at + 4].try_into().unwrap_or_default(),
    ))
}

/// Decodes a sockaddr already read (at least 2 bytes); `hex` is the `-x` level.
pub fn emit_sockaddr(out: &mut Out<'_>, bytes: &[u8], hex: u8) {
    // sa_family is in host order; every ABI rtrace supports is little-endian.
    let family = u64::from(u16::from_le_bytes([bytes[0], bytes[1]]));
    out.begin_struct();
    out.field("sa_family");
    out.constant_of(family, FAMILIES);
    match family {
        AF_INET if bytes.len() >= 8 => {
            out.field("sin_port");
            htons(out, be16(bytes, 2));
            out.field("sin_addr");
            emit_inet_addr(out, [bytes[4], bytes[5], bytes[6], bytes[7]]);
        }
        AF_INET6 if bytes.len() >= 24 => {
            out.field("sin6_port");
            htons(out, be16(bytes, 2));
            out.field("sin6_flowinfo");
            out.begin_call("htonl");
            out.uint(be32(bytes, 4));
            out.end();
            let mut raw = [0u8; 16];
            raw.copy_from_slice(&bytes[8..24]);
            emit_inet6_addr(out, raw, Some("sin6_addr"));
            if bytes.len() >= 28 {
                out.field("sin6_scope_id");
                out.uint(ne32(bytes, 24));
            }
        }
        AF_UNIX => unix_path(out, &bytes[2..], hex),
        AF_NETLINK if bytes.len() >= 12 => {
            out.field("nl_pid");
            out.pid(i64::from(ne32(bytes, 4) as u32 as i32), PidKind::Tgid);
            out.field("nl_groups");
            out.text_fmt(format_args!("{:08x}", ne32(bytes, 8)));
        }
        AF_PACKET if bytes.len() >= 12 => {
            out.field("sll_protocol");
            ether_protocol(out, be16(bytes, 2));
            out.field("sll_ifindex");
            out.int(ne32(bytes, 4) as u32 as i32 as i64);
            out.field("sll_hatype");
            out.uint(u64::from(u16::from_le_bytes([bytes[8], bytes[9]])));
            out.field("sll_pkttype");
            out.uint(u64::from(bytes[10]));
            out.field("sll_halen");
            out.uint(u64::from(bytes[11]));
        }
        _ => {
            out.field("sa_data");
            out.bytes(&bytes[2..], false, StrStyle::Quoted);
        }
    }
    out.end();
}

/// `htons(37139)`.
fn htons(out: &mut Out<'_>, port: u64) {
    out.begin_call("htons");
    out.uint(port);
    out.end();
}

/// `htons(ETH_P_ALL)` for a protocol in network byte order (the value read big-endian).
pub fn ether_protocol(out: &mut Out<'_>, protocol: u64) {
    out.begin_call("htons");
    match ETHER_PROTOCOLS.iter().find(|(p, _)| *p == protocol) {
        Some((_, name)) => out.name(name),
        None => out.hex(protocol),
    }
    out.end();
}

/// `sun_path="/run/x.sock"`, `sun_path=@"abstract"`, or nothing for an unnamed socket.
fn unix_path(out: &mut Out<'_>, path: &[u8], hex: u8) {
    if path.is_empty() {
        return;
    }
    out.field("sun_path");
    if path[0] == 0 && path.len() > 1 {
        out.text("@");
        // The renderer joins values inside a struct with `, `; the `@` and the
        // string must stay one value, so the marker goes into the text itself.
        let name = &path[1..];
        merge_at_sign(out, name, hex);
    } else {
        let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
        out.bytes(&path[..end], false, StrStyle::Path);
    }
}

/// Replaces the `@` text just emitted by `@"name"` as one literal value, escaped as
/// the renderer escapes strings: every byte in hex under `-xx`, or under `-x` when
/// any byte is not printable ASCII; else C escapes and octal (hex with level 3,
/// `--strings-in-hex=non-ascii-chars`).
fn merge_at_sign(out: &mut Out<'_>, name: &[u8], hex: u8) {
    use std::fmt::Write as _;
    let em = out.emitter();
    em.tokens.pop();
    let printable = |b: u8| (0x20..=0x7e).contains(&b);
    let all_hex = hex == 2 || hex == 1 && !name.iter().all(|&b| printable(b));
    let mut quoted = String::with_capacity(name.len() + 3);
    quoted.push_str("@\"");
    for (i, &b) in name.iter().enumerate() {
        let next_is_digit = name.get(i + 1).is_some_and(u8::is_ascii_digit);
        let _ = match b {
            _ if all_hex => write!(quoted, "\\x{b:02x}"),
            b'"' | b'\\' => write!(quoted, "\\{}", b as char),
            b'\t' => write!(quoted, "\\t"),
            b'\n' => write!(quoted, "\\n"),
            b'\r' => write!(quoted, "\\r"),
            _ if printable(b) => write!(quoted, "{}", b as char),
            _ if hex == 3 => write!(quoted, "\\x{b:02x}"),
            _ if next_is_digit => write!(quoted, "\\{b:03o}"),
            _ => write!(quoted, "\\{b:o}"),
        };
    }
    quoted.push('"');
    out.text(&quoted);
}
