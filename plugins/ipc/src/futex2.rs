//! The futex2 calls (Linux 5.16 and 6.7): futex_waitv, futex_wake, futex_wait and
//! futex_requeue, with their size-and-flags word and `struct futex_waitv`.
//!
//! futex_waitv: val u64 @0, uaddr u64 @8, flags u32 @16, __reserved u32 @20.

use rtrace_sdk::kstruct::{time_at, Fields, Layout, TimeAbi, TimeUnit};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::tables::CLOCKS;

use crate::kernel_consts::FUTEX2_SIZES;
const FUTEX2_SIZE_MASK: u64 = 0x3;
use crate::kernel_consts::FUTEX2_FLAGS;
const FUTEX_BITSET_MATCH_ANY: u64 = 0xffff_ffff;
/// The most waiters the kernel takes; strace shows no more.
const FUTEX_WAITV_MAX: u64 = 128;
const WAITER_SIZE: usize = 24;

/// `FUTEX2_SIZE_U32|FUTEX2_PRIVATE`: the size, then the other flags.
fn futex2_flags(out: &mut Out<'_>, flags: u64) {
    out.begin_flag_set(flags);
    if let Some((_, name)) = FUTEX2_SIZES
        .iter()
        .find(|(v, _)| *v == flags & FUTEX2_SIZE_MASK)
    {
        out.name(name);
    }
    let rest = flags & !FUTEX2_SIZE_MASK;
    if rest != 0 {
        out.flags(rest, FUTEX2_FLAGS);
    }
    out.end();
}

/// A wait mask (futex's val3 too): FUTEX_BITSET_MATCH_ANY or hex.
pub(crate) fn bitset(out: &mut Out<'_>, mask: u64) {
    if mask == FUTEX_BITSET_MATCH_ANY {
        out.named(
            "FUTEX_BITSET_MATCH_ANY",
            FUTEX_BITSET_MATCH_ANY as i64,
            true,
        );
    } else {
        out.hex(mask);
    }
}

/// `[{val=0x1, uaddr=0x..., flags=FUTEX2_SIZE_U32}, ...]`.
fn waiters(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, count: u64) {
    if addr == 0 {
        out.pointer(0);
        return;
    }
    let mut bytes = [0u8; WAITER_SIZE];
    let read = |index: u64, bytes: &mut [u8; WAITER_SIZE]| {
        call.tracee()
            .read_exact(addr.wrapping_add(index * WAITER_SIZE as u64), bytes)
    };
    if count > 0 && !read(0, &mut bytes) {
        out.pointer(addr);
        return;
    }
    let limit = u64::from(call.options().string_limit);
    let shown = if call.options().verbose || limit == 0 {
        count
    } else {
        count.min(limit)
    };
    out.array(|out| {
        for index in 0..shown {
            if index >= FUTEX_WAITV_MAX {
                out.ellipsis();
                return;
            }
            if !read(index, &mut bytes) {
                out.ellipsis();
                out.pointer(addr.wrapping_add(index * WAITER_SIZE as u64));
                return;
            }
            let f = Fields::new(&bytes, Layout::of(call));
            out.structure(|out| {
                out.field("val");
                out.hex(f.u64(0));
                out.field("uaddr");
                out.pointer(f.u64(8));
                out.field("flags");
                futex2_flags(out, f.u32(16));
                if f.u32(20) != 0 {
                    out.field("__reserved");
                    out.hex(f.u32(20));
                }
            });
        }
        if shown < count {
            out.ellipsis();
        }
    });
}

fn timeout64(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    time_at(call, out, addr, TimeAbi::Time64, TimeUnit::Nanos);
}

/// futex_waitv(waiters, nr_futexes, flags, timeout, clockid).
pub fn futex_waitv(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        let count = call.arg(1) & 0xffff_ffff;
        waiters(call, out, call.arg_ulong(0), count);
        out.uint(count);
        out.hex(call.arg(2) & 0xffff_ffff);
        timeout64(call, out, call.arg_ulong(3));
        out.constant_of(call.arg(4) & 0xffff_ffff, CLOCKS);
    }
    DecodeStatus::Complete
}

/// futex_wake(uaddr, mask, nr, flags).
pub fn futex_wake(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.pointer(call.arg_ulong(0));
        bitset(out, call.arg_ulong(1));
        out.int(call.arg_int(2));
        futex2_flags(out, call.arg(3) & 0xffff_ffff);
    }
    DecodeStatus::Complete
}

/// futex_wait(uaddr, val, mask, flags, timeout, clockid).
pub fn futex_wait(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.pointer(call.arg_ulong(0));
        out.uint(call.arg_ulong(1));
        bitset(out, call.arg_ulong(2));
        futex2_flags(out, call.arg(3) & 0xffff_ffff);
        timeout64(call, out, call.arg_ulong(4));
        out.constant_of(call.arg(5) & 0xffff_ffff, CLOCKS);
    }
    DecodeStatus::Complete
}

/// futex_requeue(waiters[2], flags, nr_wake, nr_requeue).
pub fn futex_requeue(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        waiters(call, out, call.arg_ulong(0), 2);
        out.hex(call.arg(1) & 0xffff_ffff);
        out.int(call.arg_int(2));
        out.int(call.arg_int(3));
    }
    DecodeStatus::Complete
}
