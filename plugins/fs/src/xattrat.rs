//! The `*xattrat` calls (Linux 6.13), which pass an xattr's value in a
//! `struct xattr_args`, and file_getattr/file_setattr (6.17) with their
//! `struct file_attr`.
//!
//! xattr_args: value u64 @0, size u32 @8, flags u32 @12 (16 bytes, XATTR_ARGS_SIZE_VER0).
//! file_attr: fa_xflags u64 @0, fa_extsize @8, fa_nextents @12, fa_projid @16,
//! fa_cowextsize @20 (u32 each; 24 bytes, FILE_ATTR_SIZE_VER0).

use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out, Phase};

use crate::flags::XATTR_FLAGS;

/// The `AT_*` flags these calls take.
pub const XATTRAT_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0x100, "AT_SYMLINK_NOFOLLOW"), (0x1000, "AT_EMPTY_PATH")]);

pub(crate) use crate::kernel_consts::FS_XFLAGS;

const XATTR_ARGS_SIZE: u64 = 16;
const FILE_ATTR_SIZE: u64 = 24;
/// Longer values are shown by address (XATTR_SIZE_MAX).
const XATTR_SIZE_MAX: u64 = 65536;

/// dirfd, path, flags (and the name, for all but listxattrat).
fn emit_location(call: &Call<'_, '_>, out: &mut Out<'_>, with_name: bool) {
    out.dirfd(call.arg_int(0) as i32);
    out.path_at(call.tracee(), call.arg(1));
    out.flags_or_unknown(call.arg(2) & 0xffff_ffff, XATTRAT_FLAGS, "AT_???");
    if with_name {
        out.cstring_at(call.tracee(), call.arg(3), call.options().string_limit);
    }
}

/// An xattr value of `len` bytes, its trailing NUL left out.
fn emit_value(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    if len > XATTR_SIZE_MAX || addr == 0 {
        out.pointer(addr);
        return;
    }
    let mut len = len;
    let mut last = [0u8; 1];
    if len > 0 && call.tracee().read_data_exact(addr + len - 1, &mut last) && last[0] == 0 {
        len -= 1;
    }
    out.buffer_at(call.tracee(), addr, len, call.options().string_limit);
}

/// `{value=..., size=N, flags=...}`; the value's bytes when `value_len` is given.
fn emit_args(call: &Call<'_, '_>, out: &mut Out<'_>, value_len: Option<u64>) {
    let addr = call.arg_ulong(4);
    let size = call.arg_ulong(5);
    if size < XATTR_ARGS_SIZE {
        out.pointer(addr);
        return;
    }
    with_struct(call, out, addr, XATTR_ARGS_SIZE as usize, |out, f| {
        out.structure(|out| {
            out.field("value");
            match value_len {
                Some(len) => emit_value(call, out, f.u64(0), len),
                None => out.pointer(f.u64(0)),
            }
            out.field("size");
            out.uint(f.u32(8));
            out.field("flags");
            out.flags_or_unknown(f.u32(12), XATTR_FLAGS, "XATTR_???");
        })
    });
}

/// The size field of the xattr_args, if the struct is there to read.
fn args_size(call: &Call<'_, '_>) -> Option<u64> {
    let mut bytes = [0u8; 16];
    (call.arg_ulong(5) >= XATTR_ARGS_SIZE
        && call.tracee().read_exact(call.arg_ulong(4), &mut bytes))
    .then(|| Fields::new(&bytes, rtrace_sdk::kstruct::Layout::of(call)).u32(8))
}

pub fn setxattrat(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    emit_location(call, out, true);
    let len = args_size(call).unwrap_or(0);
    emit_args(call, out, Some(len));
    out.uint(call.arg_ulong(5));
    DecodeStatus::Complete
}

/// getxattrat: the value is shown at exit, as many bytes as returned (the address
/// on error); with no room for one (size 0), the struct is shown at entry.
pub fn getxattrat(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            emit_location(call, out, true);
            match args_size(call) {
                Some(size) if size != 0 => {
                    call.scratch()[0] = 1;
                    return DecodeStatus::MoreAtExit;
                }
                Some(_) => emit_args(call, out, None),
                None => out.pointer(call.arg_ulong(4)),
            }
            out.uint(call.arg_ulong(5));
            DecodeStatus::Complete
        }
        // Shown whole at entry (no room for a value, or no struct to read).
        Phase::Exit if call.scratch()[0] != 1 => DecodeStatus::Complete,
        Phase::Exit => {
            if call.is_error() {
                emit_args(call, out, None);
            } else {
                emit_args(call, out, Some(call.retval() as u64));
            }
            out.uint(call.arg_ulong(5));
            DecodeStatus::Complete
        }
    }
}

/// file_getattr/file_setattr's struct: by address when shorter than the first
/// version or longer than a page; fa_nextents only for the get.
fn emit_file_attr(call: &Call<'_, '_>, out: &mut Out<'_>, is_get: bool) {
    const PAGE_SIZE: u64 = 4096;
    let addr = call.arg_ulong(2);
    let size = call.arg_ulong(3);
    if !(FILE_ATTR_SIZE..=PAGE_SIZE).contains(&size) || (is_get && call.is_error()) {
        out.pointer(addr);
    } else {
        with_struct(call, out, addr, FILE_ATTR_SIZE as usize, |out, f| {
            out.structure(|out| {
                out.field("fa_xflags");
                out.flags_or_unknown(f.u64(0), FS_XFLAGS, "FS_XFLAG_???");
                out.field("fa_extsize");
                out.uint(f.u32(8));
                if is_get {
                    out.field("fa_nextents");
                    out.uint(f.u32(12));
                }
                out.field("fa_projid");
                out.hex(f.u32(16));
                out.field("fa_cowextsize");
                out.uint(f.u32(20));
            })
        });
    }
    out.uint(size);
    out.flags_or_unknown(call.arg(4) & 0xffff_ffff, XATTRAT_FLAGS, "AT_???");
}

pub fn file_getattr(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.dirfd(call.arg_int(0) as i32);
            out.path_at(call.tracee(), call.arg(1));
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            emit_file_attr(call, out, true);
            DecodeStatus::Complete
        }
    }
}

pub fn file_setattr(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.dirfd(call.arg_int(0) as i32);
    out.path_at(call.tracee(), call.arg(1));
    emit_file_attr(call, out, false);
    DecodeStatus::Complete
}
