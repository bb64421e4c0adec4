//! `struct sched_attr` (linux/sched/types.h): sched_setattr passes one in, whose
//! first field says how big it is; sched_getattr gets one filled.
//!
//! Layout: size u32 @0, sched_policy u32 @4, sched_flags u64 @8, sched_nice s32 @16,
//! sched_priority u32 @20, sched_runtime @24, sched_deadline @32, sched_period @40
//! (u64 each; SCHED_ATTR_SIZE_VER0 = 48 ends here), sched_util_min u32 @48,
//! sched_util_max u32 @52 (VER1 = 56).

use rtrace_sdk::kstruct::{Fields, Layout};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, PidKind};

use crate::tables::{
    SCHEDULERS, SCHED_FLAGS, SCHED_FLAG_KEEP_PARAMS, SCHED_FLAG_KEEP_POLICY, SCHED_GETATTR_FLAGS,
};

const SIZE_VER0: usize = 48;
const SIZE_VER1: usize = 56;
/// The kernel's E2BIG: sched_setattr's attr was larger than it knows; it wrote its size back.
const E2BIG: i64 = 7;

/// What of the struct to print.
struct Shown {
    /// The struct's fields as read (up to [`SIZE_VER1`] bytes).
    bytes: [u8; SIZE_VER1],
    /// How many bytes hold fields to show.
    size: usize,
    /// sched_setattr's struct (the KEEP flags hide fields), not sched_getattr's.
    is_set: bool,
    /// The struct is larger than what is shown: `...` ends it.
    more: bool,
}

fn emit(out: &mut Out<'_>, shown: &Shown, layout: Layout) {
    let f = Fields::new(&shown.bytes, layout);
    let flags = f.u64(8);
    out.structure(|out| {
        out.field("size");
        out.uint(f.u32(0));
        if shown.size >= SIZE_VER0 {
            let policy = f.u32(4);
            let keep = SCHED_FLAG_KEEP_POLICY | SCHED_FLAG_KEEP_PARAMS;
            if !shown.is_set || policy & 0x8000_0000 != 0 || flags & keep == 0 {
                out.field("sched_policy");
                out.constant_of(policy, SCHEDULERS);
            }
            out.field("sched_flags");
            out.flags_or_unknown(flags, SCHED_FLAGS, "SCHED_FLAG_???");
            if !shown.is_set || flags & SCHED_FLAG_KEEP_PARAMS == 0 {
                out.field("sched_nice");
                out.int(f.i32(16));
                out.field("sched_priority");
                out.uint(f.u32(20));
                out.field("sched_runtime");
                out.uint(f.u64(24));
                out.field("sched_deadline");
                out.uint(f.u64(32));
                out.field("sched_period");
                out.uint(f.u64(40));
            }
            if shown.size >= SIZE_VER1 {
                out.field("sched_util_min");
                out.uint(f.u32(48));
                out.field("sched_util_max");
                out.uint(f.u32(52));
            }
        }
        if shown.more {
            out.ellipsis();
        }
    });
}

/// The size field of sched_setattr's struct, read at entry (at exit the kernel may
/// have replaced it by the size it knows).
fn declared_size(call: &Call<'_, '_>, addr: u64) -> Option<u32> {
    let mut bytes = [0u8; 4];
    (addr != 0 && call.tracee().read_exact(addr, &mut bytes))
        .then(|| Fields::new(&bytes, Layout::of(call)).u32(0) as u32)
}

/// sched_setattr's struct of `declared` bytes (0 means the first version's size):
/// as much as this decoder knows of it, `...` when it is larger.
fn attr_in(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, declared: u32) {
    let wanted = if declared == 0 {
        SIZE_VER0
    } else {
        declared as usize
    };
    let size = wanted.min(SIZE_VER1);
    let mut shown = Shown {
        bytes: [0; SIZE_VER1],
        size,
        is_set: true,
        more: wanted > size,
    };
    if size >= SIZE_VER0 && !call.tracee().read_exact(addr, &mut shown.bytes[..size]) {
        out.pointer(addr);
        return;
    }
    let layout = Layout::of(call);
    let size_field: [u8; 4] = if layout.big_endian {
        declared.to_be_bytes()
    } else {
        declared.to_le_bytes()
    };
    shown.bytes[..4].copy_from_slice(&size_field);
    emit(out, &shown, layout);
}

/// sched_setattr(pid, attr, flags). On E2BIG the kernel writes the size it knows
/// into attr, shown after ` => `; so attr is shown at exit, from the size read at
/// entry (kept in scratch[0], scratch[1] = 1 when it could be read).
pub fn sched_setattr(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let addr = call.arg_ulong(1);
    match phase {
        Phase::Entry => {
            out.pid(call.arg_int(0), PidKind::Tgid);
            let declared = declared_size(call, addr);
            let scratch = call.scratch();
            scratch[0] = u64::from(declared.unwrap_or(0));
            scratch[1] = u64::from(declared.is_some());
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let (declared, readable) = (call.scratch()[0] as u32, call.scratch()[1] == 1);
            if readable {
                attr_in(call, out, addr, declared);
            } else {
                out.pointer(addr);
            }
            if readable && call.is_error() && call.retval() == -E2BIG {
                if let Some(known) = declared_size(call, addr) {
                    out.arrow();
                    out.structure(|out| {
                        out.field("size");
                        out.uint(u64::from(known));
                    });
                }
            }
            out.hex(call.arg(2) & 0xffff_ffff);
            DecodeStatus::Complete
        }
    }
}

/// sched_getattr(pid, attr, size, flags): the struct as the kernel filled it, as
/// long as the size it wrote says.
pub fn sched_getattr(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.pid(call.arg_int(0), PidKind::Tgid);
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let addr = call.arg_ulong(1);
            let usize_arg = (call.arg(2) & 0xffff_ffff) as usize;
            let read = usize_arg.min(SIZE_VER1);
            let mut shown = Shown {
                bytes: [0; SIZE_VER1],
                size: 0,
                is_set: false,
                more: false,
            };
            if usize_arg == 0
                || call.is_error()
                || addr == 0
                || !call.tracee().read_exact(addr, &mut shown.bytes[..read])
            {
                out.pointer(addr);
            } else {
                let layout = Layout::of(call);
                shown.size = Fields::new(&shown.bytes, layout).u32(0) as usize;
                emit(out, &shown, layout);
            }
            out.uint(usize_arg as u64);
            out.flags(call.arg(3) & 0xffff_ffff, SCHED_GETATTR_FLAGS);
            DecodeStatus::Complete
        }
    }
}
