//! Network interface indexes as strace prints them: `if_nametoindex("eth0")` when the
//! tracer can name the interface (strace asks `if_indextoname` in its own network
//! namespace, and so does this), the bare number otherwise.
//!
//! Shared by every structure that carries an interface index (netlink messages, socket
//! addresses, ioctl requests).

use crate::values::Out;

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
