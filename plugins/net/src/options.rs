//! setsockopt and getsockopt: the level, the option's name per level, and its value
//! (`[1]` for an int, `{l_onoff=1, l_linger=5}` for SO_LINGER, bytes otherwise).

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::level_options::LEVEL_OPTIONS;
use crate::msghdr::{emit_ucred, UCRED_SIZE};
use crate::tables::{ICMP_FILTER, ICMP_TYPES, SOL_RAW};
use crate::tables::{
    IPV6_OPTIONS, IP_OPTIONS, LEVELS, NETLINK_OPTIONS, SOCKET_OPTIONS, SOL_IP, SOL_IPV6,
    SOL_NETLINK, SOL_SOCKET, SOL_TCP, SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF, SO_ERROR,
    SO_LINGER, SO_PEERCRED, SO_TXREHASH, TCP_OPTIONS, TXREHASH_VALUES,
};

fn level_and_name(call: &Call<'_, '_>, out: &mut Out<'_>) {
    let level = call.arg(1) & 0xffff_ffff;
    let name = call.arg(2) & 0xffff_ffff;
    // strace's default for an unknown level here has two `?` (`0x270f /* SOL_?? */`),
    // three in `cmsg_level`.
    out.constant(level, LEVELS.names, "SOL_??");
    let table = match level {
        SOL_SOCKET => Some(SOCKET_OPTIONS),
        SOL_TCP => Some(TCP_OPTIONS),
        SOL_IP => Some(IP_OPTIONS),
        SOL_IPV6 => Some(IPV6_OPTIONS),
        SOL_NETLINK => Some(NETLINK_OPTIONS),
        _ => LEVEL_OPTIONS
            .iter()
            .find(|(l, _)| *l == level)
            .map(|(_, table)| *table),
    };
    match table {
        Some(table) => out.constant_of(name, table),
        None => out.uint(name),
    }
}

/// The option's value, `len` bytes at `addr`; `got`: getsockopt's result.
fn value(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64, got: bool) {
    let level = call.arg(1) & 0xffff_ffff;
    let name = call.arg(2) & 0xffff_ffff;
    // Option values are structures to strace: `-e verbose=` leaves their address.
    if addr == 0 || !call.options().dereference {
        out.pointer(addr);
        return;
    }
    if level == SOL_SOCKET && name == SO_LINGER && len == 8 {
        with_struct(call, out, addr, 8, |out, f| {
            out.structure(|out| {
                out.field("l_onoff");
                out.int(f.i32(0));
                out.field("l_linger");
                out.int(f.i32(4));
            })
        });
    } else if got && level == SOL_SOCKET && name == SO_PEERCRED && len > 0 {
        // The peer's credentials: at most the struct, as strace reads it.
        let len = (len as usize).min(UCRED_SIZE);
        with_struct(call, out, addr, len, |out, f| emit_ucred(out, &f, 0, len));
    } else if level == SOL_SOCKET && name == SO_ERROR && len >= 4 {
        // A pending socket error: `[ECONNREFUSED]`.
        with_struct(call, out, addr, 4, |out, f| {
            out.array(|out| rtrace_sdk::errno::emit_errno(out, f.u32(0) as i64, false))
        });
    } else if level == SOL_RAW && name == ICMP_FILTER {
        icmp_filter(call, out, addr, len);
    } else if level == SOL_SOCKET && name == SO_TXREHASH && len >= 4 {
        // `[SOCK_TXREHASH_ENABLED]`, or `[99 /* SOCK_TXREHASH_??? */]` in decimal.
        with_struct(call, out, addr, 4, |out, f| {
            out.array(|out| {
                let value = f.i32(0);
                match TXREHASH_VALUES.name(value as u32 as u64) {
                    Some(name) => out.name(name),
                    None => out.text_fmt(format_args!("{value} /* {} */", TXREHASH_VALUES.unknown)),
                }
            })
        });
    } else if len == 4 {
        with_struct(call, out, addr, 4, |out, f| {
            out.array(|out| out.int(f.i32(0)))
        });
    } else {
        out.buffer_at(call.tracee(), addr, len, call.options().string_limit);
    }
}

/// SOL_RAW's ICMP_FILTER: the ICMP types filtered out, as a set of bit numbers
/// (`[ICMP_ECHO ICMP_TIMESTAMP]`), or `~[...]` of those not in it when more than half
/// are; at most 4 bytes are read, over a filter of all ones, as the kernel does.
fn icmp_filter(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    let len = len as i32;
    if len <= 0 {
        out.pointer(addr);
        return;
    }
    let len = (len as usize).min(4);
    let mut raw = [0xffu8; 4];
    if !call.tracee().read_exact(addr, &mut raw[..len]) {
        out.pointer(addr);
        return;
    }
    let mut data = if call.big_endian() {
        u32::from_be_bytes(raw)
    } else {
        u32::from_le_bytes(raw)
    };
    let complement = data.count_ones() > 16;
    if complement {
        data = !data;
    }
    // The renderer has no complement group: the set is one literal value, as
    // signal sets are.
    let members: Vec<String> = (0..32)
        .filter(|bit| data & (1 << bit) != 0)
        .map(|bit| match ICMP_TYPES.iter().find(|(v, _)| *v == bit) {
            Some((_, name)) => (*name).to_owned(),
            None => format!("{bit:#x} /* ICMP_??? */"),
        })
        .collect();
    let tilde = if complement { "~" } else { "" };
    out.text_fmt(format_args!("{tilde}[{}]", members.join(" ")));
}

/// setsockopt(fd, level, optname, optval, optlen).
pub fn setsockopt(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.fd(call.arg_int(0) as i32);
        level_and_name(call, out);
        let len = call.arg(4) & 0xffff_ffff;
        let (level, name) = (call.arg(1) & 0xffff_ffff, call.arg(2) & 0xffff_ffff);
        let attaches_filter =
            level == SOL_SOCKET && (name == SO_ATTACH_FILTER || name == SO_ATTACH_REUSEPORT_CBPF);
        if attaches_filter && len == 2 * u64::from(call.word_size()) {
            // A classic BPF program (`struct sock_fprog`).
            rtrace_sdk::bpf_filter::sock_fprog(call, out, call.arg_ulong(3), None);
        } else if attaches_filter {
            out.pointer(call.arg_ulong(3));
        } else {
            value(call, out, call.arg_ulong(3), len, false);
        }
        out.int(call.arg_int(4));
    }
    DecodeStatus::Complete
}

/// getsockopt(fd, level, optname, optval, optlen *): value and `[4]` at exit.
pub fn getsockopt(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let len_addr = call.arg_ulong(4);
    match phase {
        Phase::Entry => {
            let mut raw = [0u8; 4];
            let ok = len_addr != 0 && call.tracee().read_exact(len_addr, &mut raw);
            call.scratch()[0] = u64::from(u32::from_le_bytes(raw));
            call.scratch()[1] = u64::from(ok);
            out.fd(call.arg_int(0) as i32);
            level_and_name(call, out);
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let before = call.scratch()[0];
            let mut raw = [0u8; 4];
            let after =
                (!call.is_error() && len_addr != 0 && call.tracee().read_exact(len_addr, &mut raw))
                    .then(|| u64::from(u32::from_le_bytes(raw)));
            if call.is_error() {
                out.pointer(call.arg_ulong(3));
            } else {
                value(call, out, call.arg_ulong(3), after.unwrap_or(before), true);
            }
            if len_addr == 0 || call.scratch()[1] == 0 {
                out.pointer(len_addr);
            } else {
                out.begin_array();
                out.uint(before);
                if let Some(after) = after.filter(|&a| a != before) {
                    out.arrow();
                    out.uint(after);
                }
                out.end();
            }
            DecodeStatus::Complete
        }
    }
}
