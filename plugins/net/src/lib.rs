//! rtrace's bundled `net` plugin: sockets. socket and socketpair, addresses (bind,
//! connect, accept, getsockname...), data (sendto, recvfrom, sendmsg, recvmsg and
//! their mmsg forms, with control messages), options and shutdown.
//!
//! Owns: the family's decoder table, socket address and msghdr layouts, option
//! tables. Must not know: how it is loaded, ptrace, or how values are rendered; it
//! depends on `rtrace-sdk` alone.

mod family_protocols;
mod kernel_consts;
mod level_options;
mod msghdr;
mod netlink;
mod options;
mod sockaddr;
mod tables;

use rtrace_sdk::iovec::IovContents;
use rtrace_sdk::kstruct::{time_at, with_struct, TimeAbi, TimeUnit};
use rtrace_sdk::{decode_args, syscall, Arg, Call, DecodeStatus, Out, Phase, Ret, Syscall};

use family_protocols::{AF_AX25, FAMILY_PROTOCOLS};
use sockaddr::{ether_protocol, sockaddr_at};
use tables::{
    AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_RXRPC, FAMILIES, IP_PROTOCOLS, MSG_FLAGS,
    NETLINK_PROTOCOLS, SHUTDOWN_HOW, SOCK_FLAGS, SOCK_FLAG_BITS, SOCK_TYPES,
};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!(
        "socket",
        [domain: Const(FAMILIES), type: Custom(socket_type), protocol: Custom(protocol)],
        ret = Fd,
    ),
    syscall!(
        "socketpair",
        [
            domain: Const(FAMILIES),
            type: Custom(socket_type),
            protocol: Custom(protocol),
            sv: CustomAtExit(fd_pair),
        ],
    ),
    syscall!("bind", [sockfd: Fd, addr: Custom(sockaddr_len_arg2), addrlen: Int]),
    syscall!("connect", [sockfd: Fd, addr: Custom(sockaddr_len_arg2), addrlen: Int]),
    syscall!("listen", [sockfd: Fd, backlog: Int]),
    syscall!("shutdown", [sockfd: Fd, how: Const(SHUTDOWN_HOW)]),
    syscall!("accept", custom = accept, names = [sockfd, addr, addrlen]),
    syscall!(
        "accept4",
        custom = accept,
        names = [sockfd, addr, addrlen, flags]
    ),
    syscall!(
        "getsockname",
        custom = accept,
        names = [sockfd, addr, addrlen]
    ),
    syscall!(
        "getpeername",
        custom = accept,
        names = [sockfd, addr, addrlen]
    ),
    syscall!(
        "sendto",
        [
            sockfd: Fd,
            buf: Custom(sent_buffer),
            len: Size,
            flags: FlagsOrUnknown(MSG_FLAGS, "MSG_???"),
            dest_addr: Custom(sockaddr_len_arg5),
            addrlen: Int,
        ],
        ret = Size,
    ),
    syscall!(
        "recvfrom",
        custom = recvfrom,
        names = [sockfd, buf, len, flags, src_addr, addrlen]
    ),
    // ARM EABI's own send and recv (sendto/recvfrom without an address).
    syscall!(
        "send",
        [sockfd: Fd, buf: Custom(sent_buffer), len: Size, flags: FlagsOrUnknown(MSG_FLAGS, "MSG_???")],
        ret = Size,
    ),
    syscall!(
        "recv",
        [sockfd: Fd, buf: CustomAtExit(received_buffer), len: Size, flags: FlagsOrUnknown(MSG_FLAGS, "MSG_???")],
        ret = Size,
    ),
    syscall!(
        "sendmsg",
        [sockfd: Fd, msg: Custom(msghdr_in), flags: FlagsOrUnknown(MSG_FLAGS, "MSG_???")],
        ret = Size,
    ),
    syscall!("sendmsg", [sockfd: Fd, msg: Custom(msghdr_in), flags: FlagsOrUnknown(MSG_FLAGS, "MSG_???")], ret = Size),
    syscall!(
        "recvmsg",
        [sockfd: Fd, msg: CustomAtExit(msghdr_out), flags: FlagsOrUnknown(MSG_FLAGS, "MSG_???")],
        ret = Size,
    ),
    syscall!(
        "sendmmsg",
        [sockfd: Fd, msgvec: CustomAtExit(mmsghdrs_sent), vlen: Uint, flags: FlagsOrUnknown(MSG_FLAGS, "MSG_???")],
    ),
    syscall!(
        "recvmmsg",
        custom = recvmmsg,
        names = [sockfd, msgvec, vlen, flags, timeout]
    ),
    syscall!(
        "recvmmsg_time64",
        custom = recvmmsg,
        names = [sockfd, msgvec, vlen, flags, timeout]
    ),
    syscall!(
        "setsockopt",
        custom = options::setsockopt,
        names = [sockfd, level, optname, optval, optlen],
    ),
    syscall!(
        "getsockopt",
        custom = options::getsockopt,
        names = [sockfd, level, optname, optval, optlen],
    ),
];

rtrace_sdk::export_plugin! {
    name: "net",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}

/// socket's type: `SOCK_STREAM|SOCK_CLOEXEC`, `SOCK_RAW|0x60 /* SOCK_??? */`.
fn socket_type(_call: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    let value = raw & 0xffff_ffff;
    let kind = value & 0xf;
    let mut rest = value & !0xf;
    // The type and the flags are two values under -X raw: `0x1|0x80800`.
    out.begin_flags();
    match SOCK_TYPES.iter().find(|(k, _)| *k == kind) {
        Some((_, name)) => out.named(name, kind as i64, true),
        None => out.hex(kind),
    }
    if rest != 0 {
        out.begin_flag_set(rest);
        for &(bit, name) in SOCK_FLAG_BITS {
            if rest & bit != 0 {
                out.name(name);
                rest &= !bit;
            }
        }
        if rest != 0 {
            out.text_fmt(format_args!("{rest:#x} /* SOCK_??? */"));
        }
        out.end();
    }
    out.end();
}

/// socket's protocol, named per the family in argument 0.
fn protocol(call: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    let value = raw & 0xffff_ffff;
    match call.arg(0) & 0xffff_ffff {
        AF_INET | AF_INET6 => out.constant_of(value, IP_PROTOCOLS),
        AF_NETLINK => out.constant_of(value, NETLINK_PROTOCOLS),
        AF_PACKET => ether_protocol(out, u64::from((value as u16).swap_bytes())),
        // AF_RXRPC's protocol is an address family.
        AF_RXRPC => out.constant_of(value, FAMILIES),
        family => match FAMILY_PROTOCOLS.iter().find(|(f, _)| *f == family) {
            // strace shows these with their value: `0xcc /* AX25_P_IP */`.
            Some(&(AF_AX25, table)) => out.verbose_constant_of(value, table),
            Some(&(_, table)) => out.constant_of(value, table),
            None => out.int(value as u32 as i32 as i64),
        },
    }
}

/// socketpair's `[3, 4]`.
fn fd_pair(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    with_struct(call, out, addr, 8, |out, f| {
        out.array(|out| {
            out.int(f.i32(0));
            out.int(f.i32(4));
        })
    });
}

fn sockaddr_len_arg2(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    sockaddr_at(call, out, addr, call.arg(2) & 0xffff_ffff);
}

fn sockaddr_len_arg5(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    sockaddr_at(call, out, addr, call.arg(5) & 0xffff_ffff);
}

/// A value-result length (`socklen_t *`): read at entry into the scratch space,
/// compared at exit. scratch[0] holds the length, scratch[1] whether it was read.
fn save_length(call: &mut Call<'_, '_>, addr: u64) {
    let mut raw = [0u8; 4];
    let ok = addr != 0 && call.tracee().read_exact(addr, &mut raw);
    let scratch = call.scratch();
    scratch[0] = u64::from(u32::from_le_bytes(raw));
    scratch[1] = u64::from(ok);
}

/// The length read at exit, if readable.
fn current_length(call: &Call<'_, '_>, addr: u64) -> Option<u64> {
    let mut raw = [0u8; 4];
    (addr != 0 && call.tracee().read_exact(addr, &mut raw))
        .then(|| u64::from(u32::from_le_bytes(raw)))
}

/// `[16]`, `[128 => 16]`, `NULL`, or the address.
fn emit_length(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if addr == 0 {
        out.pointer(0);
        return;
    }
    let before = call.scratch()[0];
    if call.scratch()[1] == 0 {
        out.pointer(addr);
        return;
    }
    let after = if call.is_error() {
        None
    } else {
        current_length(call, addr)
    };
    out.begin_array();
    out.uint(before);
    if let Some(after) = after.filter(|&a| a != before) {
        out.arrow();
        out.uint(after);
    }
    out.end();
}

/// The address a call filled, as long as the kernel says (at most the buffer's size).
fn sockaddr_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64, len_addr: u64) {
    if call.is_error() || addr == 0 {
        out.pointer(addr);
        return;
    }
    let capacity = call.scratch()[0];
    let len = current_length(call, len_addr)
        .unwrap_or(capacity)
        .min(capacity);
    sockaddr_at(call, out, addr, len);
}

/// accept, accept4, getsockname, getpeername: (fd, addr, addrlen[, flags]).
fn accept(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let is_accept = call.name().starts_with("accept");
    out.return_style(if is_accept { Ret::Fd } else { Ret::Int }.style());
    match phase {
        Phase::Entry => {
            save_length(call, call.arg(2));
            out.fd(call.arg_int(0) as i32);
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            sockaddr_out(call, out, call.arg(1), call.arg(2));
            emit_length(call, out, call.arg(2));
            if call.name() == "accept4" {
                out.flags_or_unknown(call.arg(3) & 0xffff_ffff, SOCK_FLAGS, "SOCK_???");
            }
            DecodeStatus::Complete
        }
    }
}

/// recvfrom(fd, buf, len, flags, src_addr, addrlen).
fn recvfrom(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    const ARGS: &[Arg] = &[
        Arg::Fd,
        Arg::CustomAtExit(received_buffer),
        Arg::Size,
        Arg::FlagsOrUnknown(MSG_FLAGS, "MSG_???"),
    ];
    let status = decode_args(ARGS, Ret::Size, phase, call, out);
    match phase {
        Phase::Entry => save_length(call, call.arg(5)),
        Phase::Exit => {
            sockaddr_out(call, out, call.arg(4), call.arg(5));
            emit_length(call, out, call.arg(5));
        }
    }
    status
}

/// The netlink protocol of the call's socket (its first argument), when its
/// messages are decoded (not with `-e verbose=none`, as strace).
fn netlink_of(call: &Call<'_, '_>) -> Option<u32> {
    if !call.options().dereference {
        return None;
    }
    netlink::decodes(netlink::netlink_protocol(call, call.arg_int(0) as i32))
}

/// `len` bytes at `addr` sent or received on the call's socket: netlink messages, or
/// a string.
fn socket_buffer(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    match netlink_of(call) {
        Some(protocol) => netlink::emit_netlink(call, out, addr, len, protocol),
        None => out.buffer_at(call.tracee(), addr, len, call.options().string_limit),
    }
}

/// sendto's and send's buffer of `len` (the third argument) bytes.
fn sent_buffer(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    socket_buffer(call, out, addr, call.arg_ulong(2));
}

/// recvfrom's and recv's buffer: as many bytes as the call returned.
fn received_buffer(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    socket_buffer(call, out, addr, call.retval().max(0) as u64);
}

fn msghdr_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let netlink = netlink_of(call);
    msghdr::msghdr_at(call, out, addr, IovContents::Bytes(u64::MAX), netlink);
}

/// recvmsg's msghdr: after a failure strace shows only `{msg_namelen=N}`.
fn msghdr_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        let layout = rtrace_sdk::kstruct::Layout::of(call);
        with_struct(call, out, addr, layout.msghdr_size(), |out, f| {
            out.structure(|out| {
                out.field("msg_namelen");
                out.uint(f.u32(layout.word));
            })
        });
        return;
    }
    let received = call.retval().max(0) as u64;
    let netlink = netlink_of(call);
    msghdr::msghdr_at(call, out, addr, IovContents::Bytes(received), netlink);
}

fn mmsghdrs_sent(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let netlink = netlink_of(call);
    msghdr::mmsghdrs(call, out, addr, call.retval().max(0) as u64, false, netlink);
}

/// recvmmsg(fd, msgvec, vlen, flags, timeout): the messages received, and the time
/// left as a note: `= 1 (left {tv_sec=0, tv_nsec=999999039})`.
fn recvmmsg(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            save_timeout(call);
            out.fd(call.arg_int(0) as i32);
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            if call.is_error() {
                out.pointer(call.arg_ulong(1));
            } else {
                let count = call.retval().max(0) as u64;
                let netlink = netlink_of(call);
                msghdr::mmsghdrs(call, out, call.arg_ulong(1), count, true, netlink);
            }
            out.uint(call.arg(2) & 0xffff_ffff);
            out.flags_or_unknown(call.arg(3) & 0xffff_ffff, MSG_FLAGS, "MSG_???");
            let abi = TimeAbi::of(call);
            saved_timeout(call, out);
            if !call.is_error() && call.arg(4) != 0 && call.options().dereference {
                out.return_note();
                out.field("left");
                time_at(call, out, call.arg(4), abi, TimeUnit::Nanos);
            }
            DecodeStatus::Complete
        }
    }
}

/// recvmmsg's timeout as it went in (the kernel rewrites it with the time left):
/// scratch[0..2] hold seconds and nanoseconds, scratch[2] whether they were read.
fn save_timeout(call: &mut Call<'_, '_>) {
    let layout = rtrace_sdk::kstruct::Layout::of(call);
    let abi = TimeAbi::of(call);
    let mut raw = [0u8; 16];
    let size = abi.size(layout);
    let addr = call.arg(4);
    let ok = addr != 0 && call.tracee().read_exact(addr, &mut raw[..size]);
    let (sec, nsec) = abi.read(&rtrace_sdk::kstruct::Fields::new(&raw[..size], layout), 0);
    let scratch = call.scratch();
    scratch[0] = sec as u64;
    scratch[1] = nsec;
    scratch[2] = u64::from(ok);
}

fn saved_timeout(call: &mut Call<'_, '_>, out: &mut Out<'_>) {
    let addr = call.arg(4);
    let [sec, nsec, ok, _] = *call.scratch();
    if addr == 0 || ok == 0 {
        out.pointer(addr);
        return;
    }
    out.structure(|out| {
        out.field("tv_sec");
        out.int(sec as i64);
        out.field("tv_nsec");
        out.uint(nsec);
    });
}
