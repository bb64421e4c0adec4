//! mknod and mknodat: a node's type and permissions, and its device number when it
//! is a character or block device.

use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::stat::emit_mode;

const S_IFMT: u64 = 0o170000;
const S_IFCHR: u64 = 0o020000;
const S_IFBLK: u64 = 0o060000;

/// mknod(path, mode, dev) from argument `first` on (mknodat has a dirfd before).
fn emit_node(call: &Call<'_, '_>, out: &mut Out<'_>, first: usize) {
    out.path_at(call.tracee(), call.arg(first));
    // The kernel takes an umode_t: the low 16 bits.
    let mode = call.arg(first + 1) & 0xffff;
    emit_mode(out, mode);
    if matches!(mode & S_IFMT, S_IFCHR | S_IFBLK) {
        out.device_number(call.arg(first + 2) & 0xffff_ffff);
    }
}

pub fn mknod(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    emit_node(call, out, 0);
    DecodeStatus::Complete
}

pub fn mknodat(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.dirfd(call.arg_int(0) as i32);
    emit_node(call, out, 1);
    DecodeStatus::Complete
}
