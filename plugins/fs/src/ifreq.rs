//! `struct ifreq`, the argument of the SIOCGIF* socket ioctls, as strace prints it:
//! the interface name, then the one union member the request fills in
//! (`{ifr_name="lo", ifr_mtu=65536}`), only the name when the call failed; and
//! SIOCGIFCONF's `struct ifconf`, its array of them.

use rtrace_sdk::array::array_at;
use rtrace_sdk::kstruct::{Fields, Layout};
use rtrace_sdk::netdev::{emit_hwaddr, emit_inet_addr, ARPHRD_TYPES, IFF_FLAGS};
use rtrace_sdk::{Call, Out, StrStyle};

use crate::ioctl_codes::{Field, Ifconf, IFCONF, IFCONF_32, IFREQ, IFREQ_32};

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

pub(crate) fn name(out: &mut Out<'_>, f: &Fields<'_>) {
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
pub(crate) fn address(out: &mut Out<'_>, f: &Fields<'_>) {
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

/// SIOCGIFCONF's `struct ifconf`, read at entry (kept in the call's scratch: whether it
/// could be read, `ifc_len`, `ifc_buf`) and shown at exit as strace shows the two:
/// `{ifc_len=80 /* 2 * sizeof(struct ifreq) */, ifc_buf=NULL}` for the size query,
/// `{ifc_len=320 /* ... */ => 80 /* ... */, ifc_buf=[{ifr_name="lo", ifr_addr={...}},
/// ...]}` for the list, each interface's name and address.
pub fn ifconf_entry(call: &mut Call<'_, '_>, addr: u64) {
    let layout = ifconf_layout(call);
    let mut bytes = [0u8; 16];
    let len = layout.size.min(bytes.len());
    let read = addr != 0 && call.tracee().read_exact(addr, &mut bytes[..len]);
    let f = Fields::new(&bytes[..len], Layout::of(call));
    let (ifc_len, ifc_buf) = (f.i32(layout.ifc_len.offset), field(&f, layout.ifc_buf));
    *call.scratch() = [u64::from(read), ifc_len as u64, ifc_buf, 0];
}

pub fn ifconf_exit(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let [read, entry_len, entry_buf, _] = call.scratch_copy();
    if read == 0 {
        out.pointer(addr);
        return;
    }
    let entry_len = entry_len as i64 as i32;
    let layout = ifconf_layout(call);
    let ifreq = if call.word_size() == 4 {
        IFREQ_32
    } else {
        IFREQ
    };
    let mut bytes = [0u8; 16];
    let len = layout.size.min(bytes.len());
    let now = call.tracee().read_exact(addr, &mut bytes[..len]).then(|| {
        let f = Fields::new(&bytes[..len], Layout::of(call));
        (
            f.i32(layout.ifc_len.offset) as i32,
            field(&f, layout.ifc_buf),
        )
    });
    out.structure(|out| {
        out.field("ifc_len");
        let Some((exit_len, exit_buf)) = now else {
            ifc_len(out, entry_len, ifreq.size);
            out.field("ifc_buf");
            out.pointer(entry_buf);
            return;
        };
        if entry_buf != 0 {
            ifc_len(out, entry_len, ifreq.size);
            if entry_len != exit_len {
                out.arrow();
            }
        }
        if entry_buf == 0 || entry_len != exit_len {
            ifc_len(out, exit_len, ifreq.size);
        }
        out.field("ifc_buf");
        if entry_buf == 0 || call.is_error() {
            out.pointer(entry_buf);
            if entry_buf != exit_buf {
                out.arrow();
                out.pointer(exit_buf);
            }
            return;
        }
        let count = (exit_len as u32 as usize / ifreq.size) as u64;
        array_at(call, out, exit_buf, count, ifreq.size, |out, f| {
            out.structure(|out| {
                out.field("ifr_name");
                name(out, &f);
                out.field("ifr_addr");
                address(out, &f);
            })
        });
    });
}

/// `80 /* 2 * sizeof(struct ifreq) */`: the length, and the count of structures when
/// it is a whole positive number of them.
fn ifc_len(out: &mut Out<'_>, len: i32, ifreq_size: usize) {
    let count = len as u32 as usize / ifreq_size;
    if len > 0 && count * ifreq_size == len as u32 as usize {
        out.text_fmt(format_args!("{len} /* {count} * sizeof(struct ifreq) */"));
    } else {
        out.int(i64::from(len));
    }
}

fn ifconf_layout(call: &Call<'_, '_>) -> Ifconf {
    if call.word_size() == 4 {
        IFCONF_32
    } else {
        IFCONF
    }
}

fn field(f: &Fields<'_>, field: Field) -> u64 {
    f.unsigned(field.offset, field.size)
}
