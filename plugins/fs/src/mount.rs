//! mount(2): which arguments are shown, and how, depends on its flags.

use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::flags::MOUNT_FLAGS;

/// mount: the type and data are meaningless (an address) for some operations.
pub fn mount(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    const MS_MGC_VAL: u64 = 0xc0ed_0000;
    const MS_MGC_MSK: u64 = 0xffff_0000;
    const MS_REMOUNT: u64 = 1 << 5;
    const NO_TYPE_NOR_DATA: u64 =
        (1 << 12) | (1 << 13) | (1 << 17) | (1 << 18) | (1 << 19) | (1 << 20);
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    let mut flags = call.arg_ulong(3);
    let old_magic = flags & MS_MGC_MSK == MS_MGC_VAL;
    if old_magic {
        flags &= !MS_MGC_MSK;
    }
    let (ignore_type, ignore_data) = if flags & MS_REMOUNT != 0 {
        (true, false)
    } else if flags & NO_TYPE_NOR_DATA != 0 {
        (true, true)
    } else {
        (false, false)
    };
    let limit = call.options().string_limit;
    out.path_at(call.tracee(), call.arg_ulong(0));
    out.path_at(call.tracee(), call.arg_ulong(1));
    if ignore_type {
        out.pointer(call.arg_ulong(2));
    } else {
        out.cstring_at(call.tracee(), call.arg_ulong(2), limit);
    }
    if old_magic {
        // `MS_MGC_VAL|MS_RDONLY`: the old magic first, then the flags.
        out.begin_flags();
        out.name("MS_MGC_VAL");
        if flags != 0 {
            out.flags_or_unknown(flags, MOUNT_FLAGS, "MS_???");
        }
        out.end();
    } else {
        out.flags_or_unknown(flags, MOUNT_FLAGS, "MS_???");
    }
    if ignore_data {
        out.pointer(call.arg_ulong(4));
    } else {
        out.cstring_at(call.tracee(), call.arg_ulong(4), limit);
    }
    DecodeStatus::Complete
}
