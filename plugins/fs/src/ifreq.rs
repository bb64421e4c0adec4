//! `struct ifreq`, the argument of the SIOCGIF* socket ioctls, as strace prints it:
//! the interface name, then the one union member the request fills in
//! (`{ifr_name="lo", ifr_mtu=65536}`), only the name when the call failed.

use rtrace_sdk::kstruct::Fields;
use rtrace_sdk::{Call, FlagTable, Out, StrStyle};

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

/// `ifi_flags`'s bits, which ifr_flags shares (linux/if.h, in strace's order).
pub static IFF_FLAGS: FlagTable = FlagTable::bits(&[
    (0x1, "IFF_UP"),
    (0x2, "IFF_BROADCAST"),
    (0x4, "IFF_DEBUG"),
    (0x8, "IFF_LOOPBACK"),
    (0x10, "IFF_POINTOPOINT"),
    (0x20, "IFF_NOTRAILERS"),
    (0x40, "IFF_RUNNING"),
    (0x80, "IFF_NOARP"),
    (0x100, "IFF_PROMISC"),
    (0x200, "IFF_ALLMULTI"),
    (0x400, "IFF_MASTER"),
    (0x800, "IFF_SLAVE"),
    (0x1000, "IFF_MULTICAST"),
    (0x2000, "IFF_PORTSEL"),
    (0x4000, "IFF_AUTOMEDIA"),
    (0x8000, "IFF_DYNAMIC"),
    (0x10000, "IFF_LOWER_UP"),
    (0x20000, "IFF_DORMANT"),
    (0x40000, "IFF_ECHO"),
]);

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
    out.constant(family, ARPHRD_NAMES, "ARPHRD_???");
    out.field("sa_data");
    let text: Vec<String> = data[..shown].iter().map(|b| format!("{b:02x}")).collect();
    out.text(&text.join(":"));
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
            out.begin_call("inet_addr");
            let ip = std::net::Ipv4Addr::new(bytes[20], bytes[21], bytes[22], bytes[23]);
            out.bytes(ip.to_string().as_bytes(), false, StrStyle::Quoted);
            out.end();
        }
        _ => {
            out.uint(family);
            out.field("sa_data");
            out.bytes(&bytes[IFNAMSIZ + 2..IFNAMSIZ + 16], false, StrStyle::Quoted);
        }
    }
    out.end();
}

/// The hardware types an interface has in practice (linux/if_arp.h).
const ARPHRD_NAMES: &[(u64, &str)] = &[
    (0, "ARPHRD_NETROM"),
    (1, "ARPHRD_ETHER"),
    (32, "ARPHRD_INFINIBAND"),
    (512, "ARPHRD_PPP"),
    (768, "ARPHRD_TUNNEL"),
    (769, "ARPHRD_TUNNEL6"),
    (772, "ARPHRD_LOOPBACK"),
    (776, "ARPHRD_SIT"),
    (778, "ARPHRD_IPGRE"),
    (801, "ARPHRD_IEEE80211"),
    (803, "ARPHRD_IEEE80211_RADIOTAP"),
    (823, "ARPHRD_IP6GRE"),
    (824, "ARPHRD_NETLINK"),
    (65534, "ARPHRD_NONE"),
    (65535, "ARPHRD_VOID"),
];
