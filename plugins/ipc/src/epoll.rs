//! epoll_ctl's event and epoll_wait's results: `{events=EPOLLIN, data=0x4}`.
//!
//! `struct epoll_event` is packed on x86 (12 bytes: data at offset 4) and naturally
//! aligned elsewhere (16 bytes: data at offset 8).

use rtrace_sdk::kstruct::{time_at, Fields, Layout, TimeAbi, TimeUnit};
use rtrace_sdk::{sigset_at, Call, Out};

use crate::tables::EPOLL_EVENTS;

/// (size, offset of data) of one epoll_event for the tracee's architecture.
fn event_layout(call: &Call<'_, '_>) -> (usize, usize) {
    if call.abi().epoll_packed {
        (12, 4)
    } else {
        (16, 8)
    }
}

fn emit_event(out: &mut Out<'_>, f: &Fields<'_>, data_at: usize) {
    out.begin_struct();
    out.field("events");
    out.flags(f.u32(0), EPOLL_EVENTS);
    // strace 7.2 prints the 64-bit data word in hex (6.1 showed {u32=.., u64=..}).
    out.field("data");
    out.hex(f.u64(data_at));
    out.end();
}

pub fn event_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let (size, data_at) = event_layout(call);
    let mut raw = [0u8; 16];
    if addr == 0 || !call.tracee().read_exact(addr, &mut raw[..size]) {
        out.pointer(addr);
        return;
    }
    emit_event(out, &Fields::new(&raw[..size], Layout::of(call)), data_at);
}

/// The events the kernel returned, as many as the return value says.
pub fn events_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let (size, data_at) = event_layout(call);
    let count = call.retval().max(0) as u64;
    let limit = match (call.options().verbose, call.options().string_limit) {
        (true, _) | (_, 0) => u64::MAX,
        (false, n) => u64::from(n),
    };
    let mut first = [0u8; 16];
    if count > 0 && !call.tracee().read_exact(addr, &mut first[..size]) {
        out.pointer(addr);
        return;
    }
    out.begin_array();
    for index in 0..count {
        if index == limit {
            out.ellipsis();
            break;
        }
        let element = addr.wrapping_add(index * size as u64);
        let mut raw = [0u8; 16];
        if !call.tracee().read_exact(element, &mut raw[..size]) {
            out.ellipsis();
            out.pointer(element);
            break;
        }
        emit_event(out, &Fields::new(&raw[..size], Layout::of(call)), data_at);
    }
    out.end();
}

/// epoll_pwait's and epoll_pwait2's mask, sized by the last argument.
pub fn sigmask(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    sigset_at(call, out, addr, call.arg_ulong(5));
}

/// epoll_pwait2's timeout: a `struct __kernel_timespec` (64-bit fields everywhere).
pub fn timeout(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    time_at(call, out, addr, TimeAbi::Time64, TimeUnit::Nanos);
}
