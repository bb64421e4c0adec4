//! poll, ppoll, select and pselect6, with strace's notes after the return value:
//! `= 1 ([{fd=3, revents=POLLIN}])`, `= 1 (out [4], left {...})`, `= 0 (Timeout)`.

use rtrace_sdk::kstruct::{time_at, with_struct, Fields, Layout, TimeAbi, TimeUnit};
use rtrace_sdk::{sigset_at, Call, DecodeStatus, Out, Phase};

use crate::tables::POLL_EVENTS;

/// `struct pollfd`: int fd, short events, short revents.
const POLLFD_SIZE: u64 = 8;

/// The largest fd_set strace reads (its own limit is 1024 descriptors per set).
const MAX_FD_SET_BYTES: usize = 1024 / 8;

/// `[{fd=3, events=POLLIN}, ...]`; with `revents_only`, only the entries with events.
fn pollfds(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, count: u64, revents_only: bool) {
    if addr == 0 {
        out.pointer(0);
        return;
    }
    let mut first = [0u8; POLLFD_SIZE as usize];
    if count > 0 && !call.tracee().read_exact(addr, &mut first) {
        out.pointer(addr);
        return;
    }
    let limit = match (call.options().verbose, call.options().string_limit) {
        (true, _) | (_, 0) => u64::MAX,
        (false, n) => u64::from(n),
    };
    let layout = Layout::of(call);
    out.begin_array();
    let mut shown = 0u64;
    for index in 0..count {
        let element = addr.wrapping_add(index * POLLFD_SIZE);
        let mut raw = [0u8; POLLFD_SIZE as usize];
        if !call.tracee().read_exact(element, &mut raw) {
            out.ellipsis();
            out.pointer(element);
            break;
        }
        let f = Fields::new(&raw, layout);
        let revents = f.u16(6);
        if revents_only && revents == 0 {
            continue;
        }
        if shown == limit {
            out.ellipsis();
            break;
        }
        shown += 1;
        out.begin_struct();
        out.field("fd");
        out.int(f.i32(0));
        if revents_only {
            out.field("revents");
            out.flags(revents, POLL_EVENTS);
        } else {
            out.field("events");
            out.flags(f.u16(4), POLL_EVENTS);
        }
        out.end();
    }
    out.end();
}

fn timeout_note(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, unit: TimeUnit) {
    out.field("left");
    time_at(call, out, addr, abi(call), unit);
}

fn abi(call: &Call<'_, '_>) -> TimeAbi {
    TimeAbi::of(call)
}

/// poll(fds, nfds, timeout_ms).
pub fn poll(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            pollfds(call, out, call.arg(0), call.arg(1) & 0xffff_ffff, false);
            out.uint(call.arg(1) & 0xffff_ffff);
            out.int(call.arg_int(2));
        }
        Phase::Exit if !call.is_error() => {
            if call.retval() == 0 {
                out.return_note();
                out.text("Timeout");
            } else if call.options().dereference {
                out.return_note();
                pollfds(call, out, call.arg(0), call.arg(1) & 0xffff_ffff, true);
            }
        }
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}

/// ppoll(fds, nfds, timeout, sigmask, sigsetsize).
pub fn ppoll(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let count = call.arg(1) & 0xffff_ffff;
    match phase {
        Phase::Entry => {
            pollfds(call, out, call.arg(0), count, false);
            out.uint(count);
            time_at(call, out, call.arg(2), abi(call), TimeUnit::Nanos);
            sigset_at(call, out, call.arg(3), call.arg_ulong(4));
            out.uint(call.arg_ulong(4));
        }
        Phase::Exit if !call.is_error() => {
            if call.retval() == 0 {
                out.return_note();
                out.text("Timeout");
            } else if call.options().dereference {
                out.return_note();
                pollfds(call, out, call.arg(0), count, true);
                if call.arg(2) != 0 {
                    timeout_note(call, out, call.arg(2), TimeUnit::Nanos);
                }
            }
        }
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}

/// One fd_set of `nfds` bits: `[3 4]`, `NULL`, or the address. The sets of the note
/// after the return value are data, shown even when structures are not (`-e verbose=`).
fn fd_set(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, nfds: i64, in_note: bool) {
    if addr == 0 {
        out.pointer(0);
        return;
    }
    if nfds < 0 {
        out.pointer(addr);
        return;
    }
    let layout = Layout::of(call);
    let nfds = (nfds as usize).min(MAX_FD_SET_BYTES * 8);
    // The kernel reads whole longs.
    let bytes = nfds.div_ceil(8 * layout.word) * layout.word;
    let mut buf = [0u8; MAX_FD_SET_BYTES];
    let tracee = call.tracee();
    let read = if in_note {
        tracee.read_data_exact(addr, &mut buf[..bytes])
    } else {
        tracee.read_exact(addr, &mut buf[..bytes])
    };
    if !read {
        out.pointer(addr);
        return;
    }
    let f = Fields::new(&buf[..bytes], layout);
    out.begin_set();
    for fd in 0..nfds {
        let word = f.word(fd / (8 * layout.word) * layout.word);
        if word >> (fd % (8 * layout.word)) & 1 != 0 {
            out.int(fd as i64);
        }
    }
    out.end();
}

/// Whether any bit below `nfds` is set in the fd_set at `addr`.
fn fd_set_nonempty(call: &Call<'_, '_>, addr: u64, nfds: i64) -> bool {
    if addr == 0 || nfds <= 0 {
        return false;
    }
    let mut buf = [0u8; MAX_FD_SET_BYTES];
    let nfds = (nfds as usize).min(MAX_FD_SET_BYTES * 8);
    let bytes = nfds.div_ceil(8);
    if !call.tracee().read_data_exact(addr, &mut buf[..bytes]) {
        return false;
    }
    (0..nfds).any(|fd| buf[fd / 8] >> (fd % 8) & 1 != 0)
}

/// select and pselect6: (nfds, readfds, writefds, exceptfds, timeout[, sigmask pair]).
pub fn select(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let nfds = call.arg_int(0);
    let is_pselect = call.name().starts_with("pselect");
    let unit = if is_pselect {
        TimeUnit::Nanos
    } else {
        TimeUnit::Micros
    };
    match phase {
        Phase::Entry => {
            out.int(nfds);
            for index in 1..=3 {
                fd_set(call, out, call.arg(index), nfds, false);
            }
            let abi = if is_pselect {
                abi(call)
            } else {
                TimeAbi::Native
            };
            time_at(call, out, call.arg(4), abi, unit);
            if is_pselect {
                pselect_sigmask(call, out, call.arg(5));
            }
        }
        Phase::Exit if !call.is_error() => {
            out.return_note();
            if call.retval() == 0 {
                out.text("Timeout");
                return DecodeStatus::Complete;
            }
            for (index, label) in [(1, "in"), (2, "out"), (3, "except")] {
                let addr = call.arg(index);
                if fd_set_nonempty(call, addr, nfds) {
                    out.field(label);
                    fd_set(call, out, addr, nfds, true);
                }
            }
            if call.arg(4) != 0 {
                let abi = if is_pselect {
                    abi(call)
                } else {
                    TimeAbi::Native
                };
                out.field("left");
                time_at(call, out, call.arg(4), abi, unit);
            }
        }
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}

/// pselect6's sixth argument: a pointer to `{const sigset_t *ss; size_t ss_len}`.
fn pselect_sigmask(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let layout = Layout::of(call);
    let mut pair = (0u64, 0u64);
    let read = with_struct(call, out, addr, layout.words(2), |_, f| {
        pair = (f.word(0), f.word(layout.word));
    });
    if !read {
        return;
    }
    out.begin_struct();
    out.field("sigmask");
    sigset_at(call, out, pair.0, pair.1);
    out.field("sigsetsize");
    out.uint(pair.1);
    out.end();
}
