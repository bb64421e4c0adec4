//! `struct msghdr` (sendmsg, recvmsg), `struct mmsghdr` arrays (sendmmsg, recvmmsg)
//! and control messages (SCM_RIGHTS, SCM_CREDENTIALS). Pointers and lengths are
//! tracee words, so the offsets follow the word size.

use rtrace_sdk::iovec::{iovec_array_with, IovContents};
use rtrace_sdk::kstruct::{with_struct, Fields, Layout};
use rtrace_sdk::{Call, Out, PidKind, StrStyle};

use crate::sockaddr::sockaddr_at;
use crate::tables::{IP_CMSG_TYPES, LEVELS, MSG_FLAGS, SCM_TYPES, SOL_IP, SOL_SOCKET};

/// The most control-message bytes shown.
const MAX_CONTROL: usize = 512;

/// What part of the iovec data is meaningful: all of it (sending) or as many bytes as
/// the call returned (receiving); on a netlink socket of protocol `netlink` the data
/// are netlink messages.
pub fn emit_msghdr(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    f: &Fields<'_>,
    data: IovContents,
    netlink: Option<u32>,
) {
    let [name, namelen, iov, iovlen, control, controllen, flags] = f.layout.msghdr_offsets();
    let namelen_value = f.u32(namelen);
    out.begin_struct();
    out.field("msg_name");
    sockaddr_at(call, out, f.word(name), namelen_value);
    out.field("msg_namelen");
    out.uint(namelen_value);
    out.field("msg_iov");
    let iov_count = f.word(iovlen);
    let limit = call.options().string_limit;
    iovec_array_with(
        call,
        out,
        f.word(iov),
        iov_count,
        data,
        |call, out, base, len| match netlink {
            Some(protocol) => crate::netlink::emit_netlink(call, out, base, len, protocol),
            None => out.buffer_at(call.tracee(), base, len, limit),
        },
    );
    out.field("msg_iovlen");
    out.uint(iov_count);
    let control_len = f.word(controllen);
    if control_len != 0 {
        out.field("msg_control");
        control_messages(call, out, f.word(control), control_len);
    }
    out.field("msg_controllen");
    out.uint(control_len);
    out.field("msg_flags");
    out.flags(f.u32(flags), MSG_FLAGS);
    out.end();
}

/// A msghdr pointer: the struct, or its address when unreadable.
pub fn msghdr_at(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    addr: u64,
    data: IovContents,
    netlink: Option<u32>,
) {
    let layout = Layout::of(call);
    with_struct(call, out, addr, layout.msghdr_size(), |out, f| {
        emit_msghdr(call, out, &f, data, netlink)
    });
}

/// The control messages in `len` bytes at `addr`: `[{cmsg_len=20, cmsg_level=SOL_SOCKET,
/// cmsg_type=SCM_RIGHTS, cmsg_data=[3]}]`.
fn control_messages(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    let layout = Layout::of(call);
    let len = (len as usize).min(MAX_CONTROL);
    let mut buf = [0u8; MAX_CONTROL];
    if addr == 0 || !call.tracee().read_exact(addr, &mut buf[..len]) {
        out.pointer(addr);
        return;
    }
    let f = Fields::new(&buf[..len], layout);
    let header = layout.word + 8;
    let data_at = header.next_multiple_of(layout.word);
    let mut at = 0usize;
    out.begin_array();
    while at + header <= len {
        let cmsg_len = f.word(at) as usize;
        let level = f.u32(at + layout.word);
        let kind = f.u32(at + layout.word + 4);
        out.begin_struct();
        out.field("cmsg_len");
        out.uint(cmsg_len as u64);
        out.field("cmsg_level");
        out.constant_of(level, LEVELS);
        out.field("cmsg_type");
        let types = match level {
            SOL_SOCKET => Some(SCM_TYPES),
            SOL_IP => Some(IP_CMSG_TYPES),
            _ => None,
        };
        match types {
            Some(table) => out.constant_of(kind, table),
            None => out.hex(kind),
        }
        let data_end = (at + cmsg_len).min(len);
        let data = at + data_at;
        let decoded =
            level == SOL_SOCKET && data <= data_end && control_data(out, &f, kind, data, data_end);
        // strace shows the data of a type it has no name for as hex bytes.
        let named = types.is_some_and(|t| t.names.iter().any(|(v, _)| *v == kind));
        if !decoded && !named && data < data_end {
            out.field("cmsg_data");
            out.bytes(&buf[data..data_end], false, StrStyle::Hex);
        }
        out.end();
        if cmsg_len < header {
            break;
        }
        at += cmsg_len.next_multiple_of(layout.word);
    }
    out.end();
}

const SCM_RIGHTS: u64 = 1;
const SCM_CREDENTIALS: u64 = 2;

/// The data of the SOL_SOCKET types decoded here; whether it was.
fn control_data(out: &mut Out<'_>, f: &Fields<'_>, kind: u64, start: usize, end: usize) -> bool {
    match kind {
        SCM_RIGHTS => {
            out.field("cmsg_data");
            out.begin_array();
            for at in (start..end).step_by(4).take_while(|at| at + 4 <= end) {
                out.int(f.i32(at));
            }
            out.end();
        }
        SCM_CREDENTIALS if end - start >= UCRED_SIZE => {
            out.field("cmsg_data");
            emit_ucred(out, f, start, UCRED_SIZE);
        }
        _ => return false,
    }
    true
}

/// `struct ucred`'s size: pid, uid and gid, 32 bits each.
pub const UCRED_SIZE: usize = 12;

/// The first `len` bytes of a `struct ucred` at `start` (SCM_CREDENTIALS, SO_PEERCRED):
/// `{pid=1234, uid=0, gid=0}`, the pid a process id (`-Y` names it), an id of all ones
/// as -1; as strace, a field the length cuts shows as its bytes in hex, and the fields
/// after it not at all.
pub fn emit_ucred(out: &mut Out<'_>, f: &Fields<'_>, start: usize, len: usize) {
    out.structure(|out| {
        for (name, at) in [("pid", 0), ("uid", 4), ("gid", 8)] {
            if len <= at {
                break;
            }
            out.field(name);
            if len < at + 4 {
                let cut = f.bytes.get(start + at..start + len).unwrap_or_default();
                out.bytes(cut, false, StrStyle::Hex);
                break;
            }
            let value = f.u32(start + at);
            match name {
                "pid" => out.pid(f.i32(start + at), PidKind::Tgid),
                _ if value == u64::from(u32::MAX) => out.int(-1),
                _ => out.uint(value),
            }
        }
    });
}

/// The first `count` mmsghdrs at `addr`: `[{msg_hdr={...}, msg_len=3}, ...]`.
pub fn mmsghdrs(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    addr: u64,
    count: u64,
    received: bool,
    netlink: Option<u32>,
) {
    let layout = Layout::of(call);
    let size = layout.mmsghdr_size();
    let mut first = [0u8; 8];
    if addr == 0 || !call.tracee().read_exact(addr, &mut first[..1]) {
        out.pointer(addr);
        return;
    }
    out.begin_array();
    for index in 0..count {
        let element = addr.wrapping_add(index * size as u64);
        let ok = with_struct(call, out, element, size, |out, f| {
            let msg_len = f.u32(layout.msghdr_size());
            let data = if received {
                IovContents::Bytes(u64::from(msg_len as u32))
            } else {
                IovContents::Bytes(u64::MAX)
            };
            out.begin_struct();
            out.field("msg_hdr");
            emit_msghdr(call, out, &f, data, netlink);
            out.field("msg_len");
            out.uint(msg_len);
            out.end();
        });
        if !ok {
            break;
        }
    }
    out.end();
}
