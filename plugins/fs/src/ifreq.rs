//! `struct ifreq`, the argument of the SIOCGIF* socket ioctls, as strace prints it:
//! the interface name, then the one union member the request fills in
//! (`{ifr_name="lo", ifr_mtu=65536}`), only the name when the call failed.

use rtrace_sdk::kstruct::Fields;
use rtrace_sdk::netdev::{emit_hwaddr, emit_inet_addr, ARPHRD_TYPES, IFF_FLAGS};
use rtrace_sdk::{Call, Out, StrStyle};

/// `struct ifreq`: a 16-byte name, then a union of at most a `struct ifmap`.
pub const IFREQ_SIZE: usize = 40;
const IFNAMSIZ: usize = 16;

/// Which union member a request fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    Index,
    Flags,
    /// An `int` member, by name (ifr_mtu, ifr_qlen, ifr_metric).
    Int(&'static str),
    /// `struct sockaddr` of a link-layer address.
    HwAddr,
    /// `struct sockaddr` of a protocol address, by member name.
    Addr(&'static str),
    /// SIOCGIFNAME: the index goes in, the name comes out.
    Name,
}

const ARPHRD_ETHER: u64 = 1;
const ARPHRD_LOOPBACK: u64 = 772;
const AF_INET: u64 = 2;

/// The struct read at exit: what went in and, unless the call failed, what came out.
pub fn emit_ifreq(call: &Call<'_, '_>, out: &mut Out<'_>, f: &Fields<'_>, member: Member) {
    out.begin_struct();
    if member == Member::Name {
        out.field("ifr_ifindex");
        out.int(f.i32(IFNAMSIZ));
        if !call.is_error() {
            out.field("ifr_name");
            name(out, f);
        }
        out.end();
        return;
    }
    out.field("ifr_name");
    name(out, f);
    if !call.is_error() {
        match member {
            Member::Index => {
                out.field("ifr_ifindex");
                out.int(f.i32(IFNAMSIZ));
            }
            Member::Flags => {
                out.field("ifr_flags");
                out.flags(f.u16(IFNAMSIZ), &IFF_FLAGS);
            }
            Member::Int(field) => {
                out.field(field);
                out.int(f.i32(IFNAMSIZ));
            }
            Member::HwAddr => {
                out.field("ifr_hwaddr");
                hwaddr(out, f);
            }
            Member::Addr(field) => {
                out.field(field);
                address(out, f);
            }
            Member::Name => {}
        }
    }
    out.end();
}

fn name(out: &mut Out<'_>, f: &Fields<'_>) {
    let raw = &f.bytes[..IFNAMSIZ];
    let end = raw.iter().position(|&b| b == 0).unwrap_or(IFNAMSIZ);
    out.bytes(&raw[..end], end == IFNAMSIZ, StrStyle::Quoted);
}

/// `{sa_family=ARPHRD_ETHER, sa_data=00:11:22:33:44:55}`: six bytes for Ethernet-like
/// devices, all fourteen otherwise.
fn hwaddr(out: &mut Out<'_>, f: &Fields<'_>) {
    let family = f.u16(IFNAMSIZ);
    let data = &f.bytes[IFNAMSIZ + 2..IFNAMSIZ + 16];
    let shown = if matches!(family, ARPHRD_ETHER | ARPHRD_LOOPBACK) {
        6
    } else {
        data.len()
    };
    out.begin_struct();
    out.field("sa_family");
    out.constant(family, ARPHRD_TYPES, "ARPHRD_???");
    out.field("sa_data");
    emit_hwaddr(out, &data[..shown]);
    out.end();
}

/// An IPv4 address as strace prints a sockaddr_in; other families' bytes as data.
fn address(out: &mut Out<'_>, f: &Fields<'_>) {
    let bytes = f.bytes;
    let family = f.u16(IFNAMSIZ);
    out.begin_struct();
    out.field("sa_family");
    match family {
        AF_INET => {
            out.name("AF_INET");
            out.field("sin_port");
            out.begin_call("htons");
            out.uint(u64::from(u16::from_be_bytes([bytes[18], bytes[19]])));
            out.end();
            out.field("sin_addr");
            emit_inet_addr(out, [bytes[20], bytes[21], bytes[22], bytes[23]]);
        }
        _ => {
            out.uint(family);
            out.field("sa_data");
            out.bytes(&bytes[IFNAMSIZ + 2..IFNAMSIZ + 16], false, StrStyle::Quoted);
        }
    }
    out.end();
}
