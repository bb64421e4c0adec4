//! Network devices and addresses as strace prints them, shared by every structure that
//! carries them (netlink messages, socket addresses, ioctl requests): interface
//! indexes (`if_nametoindex("eth0")` when the tracer can name the interface: strace
//! asks `if_indextoname` in its own network namespace, and so does this), interface
//! flags, link types, hardware addresses (`00:11:22:33:44:55`) and IP addresses
//! (`inet_addr("127.0.0.1")`, `inet_pton(AF_INET6, "::1")`).

use rtrace_plugin_api::StrStyle;

use crate::flags::FlagTable;
use crate::value_builder::Out;

/// The name of interface `index`, if the tracer's network namespace has one.
pub fn interface_name(index: u32) -> Option<String> {
    if index == 0 {
        return None;
    }
    let mut buf = [0 as libc::c_char; libc::IF_NAMESIZE];
    // SAFETY: `buf` holds IF_NAMESIZE bytes, the size if_indextoname writes at most
    // (the name and its NUL); it returns NULL or a pointer into `buf`.
    let name = unsafe { libc::if_indextoname(index, buf.as_mut_ptr()) };
    if name.is_null() {
        return None;
    }
    // SAFETY: on success `buf` holds a NUL-terminated name.
    let name = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) };
    Some(String::from_utf8_lossy(name.to_bytes()).into_owned())
}

/// `if_nametoindex("lo")`, or the number when no interface has it.
pub fn emit_ifindex(out: &mut Out<'_>, index: u32) {
    match interface_name(index) {
        Some(name) => {
            out.begin_call("if_nametoindex");
            out.bytes(name.as_bytes(), false, rtrace_plugin_api::StrStyle::Quoted);
            out.end();
        }
        None => out.uint(u64::from(index)),
    }
}

/// Interface flags (linux/if.h): ifinfomsg's ifi_flags, ifreq's ifr_flags.
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

/// Link types (linux/if_arp.h): ifinfomsg's ifi_type, a hardware address's family.
pub const ARPHRD_TYPES: &[(u64, &str)] = &[
    (0, "ARPHRD_NETROM"),
    (1, "ARPHRD_ETHER"),
    (2, "ARPHRD_EETHER"),
    (3, "ARPHRD_AX25"),
    (4, "ARPHRD_PRONET"),
    (5, "ARPHRD_CHAOS"),
    (6, "ARPHRD_IEEE802"),
    (7, "ARPHRD_ARCNET"),
    (8, "ARPHRD_APPLETLK"),
    (15, "ARPHRD_DLCI"),
    (19, "ARPHRD_ATM"),
    (23, "ARPHRD_METRICOM"),
    (24, "ARPHRD_IEEE1394"),
    (27, "ARPHRD_EUI64"),
    (32, "ARPHRD_INFINIBAND"),
    (256, "ARPHRD_SLIP"),
    (257, "ARPHRD_CSLIP"),
    (258, "ARPHRD_SLIP6"),
    (259, "ARPHRD_CSLIP6"),
    (260, "ARPHRD_RSRVD"),
    (264, "ARPHRD_ADAPT"),
    (270, "ARPHRD_ROSE"),
    (271, "ARPHRD_X25"),
    (272, "ARPHRD_HWX25"),
    (280, "ARPHRD_CAN"),
    (290, "ARPHRD_MCTP"),
    (512, "ARPHRD_PPP"),
    (513, "ARPHRD_CISCO"),
    (516, "ARPHRD_LAPB"),
    (517, "ARPHRD_DDCMP"),
    (518, "ARPHRD_RAWHDLC"),
    (519, "ARPHRD_RAWIP"),
    (768, "ARPHRD_TUNNEL"),
    (769, "ARPHRD_TUNNEL6"),
    (770, "ARPHRD_FRAD"),
    (771, "ARPHRD_SKIP"),
    (772, "ARPHRD_LOOPBACK"),
    (773, "ARPHRD_LOCALTLK"),
    (774, "ARPHRD_FDDI"),
    (775, "ARPHRD_BIF"),
    (776, "ARPHRD_SIT"),
    (777, "ARPHRD_IPDDP"),
    (778, "ARPHRD_IPGRE"),
    (779, "ARPHRD_PIMREG"),
    (780, "ARPHRD_HIPPI"),
    (781, "ARPHRD_ASH"),
    (782, "ARPHRD_ECONET"),
    (783, "ARPHRD_IRDA"),
    (784, "ARPHRD_FCPP"),
    (785, "ARPHRD_FCAL"),
    (786, "ARPHRD_FCPL"),
    (787, "ARPHRD_FCFABRIC"),
    (800, "ARPHRD_IEEE802_TR"),
    (801, "ARPHRD_IEEE80211"),
    (802, "ARPHRD_IEEE80211_PRISM"),
    (803, "ARPHRD_IEEE80211_RADIOTAP"),
    (804, "ARPHRD_IEEE802154"),
    (805, "ARPHRD_IEEE802154_MONITOR"),
    (820, "ARPHRD_PHONET"),
    (821, "ARPHRD_PHONET_PIPE"),
    (822, "ARPHRD_CAIF"),
    (823, "ARPHRD_IP6GRE"),
    (824, "ARPHRD_NETLINK"),
    (825, "ARPHRD_6LOWPAN"),
    (826, "ARPHRD_VSOCKMON"),
    (0xfffe, "ARPHRD_NONE"),
    (0xffff, "ARPHRD_VOID"),
];

/// A hardware address: its bytes in hex, joined by colons.
pub fn emit_hwaddr(out: &mut Out<'_>, bytes: &[u8]) {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            text.push(':');
        }
        let _ = write!(text, "{b:02x}");
    }
    out.text(&text);
}

/// `inet_addr("127.0.0.1")` for an IPv4 address in network order.
pub fn emit_inet_addr(out: &mut Out<'_>, addr: [u8; 4]) {
    out.begin_call("inet_addr");
    let ip = std::net::Ipv4Addr::from(addr);
    out.bytes(ip.to_string().as_bytes(), false, StrStyle::Quoted);
    out.end();
}

/// `inet_pton(AF_INET6, "::1")`, or with the field it fills
/// (`inet_pton(AF_INET6, "::1", &sin6_addr)`) as strace writes inside structures.
pub fn emit_inet6_addr(out: &mut Out<'_>, addr: [u8; 16], field: Option<&str>) {
    out.begin_call("inet_pton");
    out.name("AF_INET6");
    let ip = std::net::Ipv6Addr::from(addr);
    out.bytes(ip.to_string().as_bytes(), false, StrStyle::Quoted);
    if let Some(field) = field {
        out.text_fmt(format_args!("&{field}"));
    }
    out.end();
}
