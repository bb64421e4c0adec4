//! Network devices and addresses as strace prints them, shared by every structure that
//! carries them (netlink messages, socket addresses, ioctl requests): interface
//! indexes (`if_nametoindex("eth0")` when the tracer can name the interface: strace
//! asks `if_indextoname` in its own network namespace, and so does this), interface
//! flags, link types, hardware addresses (`00:11:22:33:44:55`) and IP addresses
//! (`inet_addr("127.0.0.1")`, `inet_pton(AF_INET6, "::1")`).

use rtrace_plugin_api::StrStyle;

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

pub use crate::kernel_consts::IFF_FLAGS;

pub use crate::kernel_consts::ARPHRD_TYPES;

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
