//! The page cache: readahead, sync_file_range and cachestat. Their 64-bit offsets
//! and lengths take a register pair on 32-bit ABIs.

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

pub use crate::kernel_consts::SYNC_FILE_RANGE_FLAGS;

const AUDIT_ARCH_I386: u32 = 0x4000_0003;

/// A 64-bit argument starting at `index`: one register on 64-bit ABIs, a pair on
/// 32-bit ones (ARM EABI starts a pair at an even register). Returns the value and
/// the index of the next argument.
pub(crate) fn wide_arg(call: &Call<'_, '_>, index: usize) -> (i64, usize) {
    if call.word_size() == 8 {
        return (call.arg_long(index), index + 1);
    }
    let low_index = if call.audit_arch() != AUDIT_ARCH_I386 && index % 2 == 1 {
        index + 1
    } else {
        index
    };
    let low = call.arg(low_index) & 0xffff_ffff;
    let high = call.arg(low_index + 1) & 0xffff_ffff;
    ((high << 32 | low) as i64, low_index + 2)
}

/// readahead(fd, offset, count).
pub fn readahead(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    let (offset, next) = wide_arg(call, 1);
    out.int(offset);
    out.uint(call.arg_ulong(next));
    DecodeStatus::Complete
}

/// fallocate's offset, its third argument: a register pair on 32-bit ABIs.
pub fn fallocate_offset(call: &mut Call<'_, '_>, out: &mut Out<'_>, _first_half: u64) {
    out.int(wide_arg(call, 2).0);
}

/// fallocate's length, after the offset (a pair after a pair on 32-bit ABIs).
pub fn fallocate_len(call: &mut Call<'_, '_>, out: &mut Out<'_>, _first_half: u64) {
    let (_, next) = wide_arg(call, 2);
    out.int(wide_arg(call, next).0);
}

/// fadvise64(fd, offset, len, advice): a 64-bit offset (a pair on i386), a `size_t`
/// length.
pub fn fadvise64(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    let (offset, next) = wide_arg(call, 1);
    out.int(offset);
    out.int(call.arg_long(next));
    let advice = crate::flags::FADVISE_ADVICE;
    out.constant_of(call.arg(next + 1) & 0xffff_ffff, advice);
    DecodeStatus::Complete
}

/// fadvise64_64(fd, offset, len, advice) with 64-bit offset and length (i386).
pub fn fadvise64_64(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    let (offset, next) = wide_arg(call, 1);
    out.int(offset);
    let (len, next) = wide_arg(call, next);
    out.int(len);
    let advice = crate::flags::FADVISE_ADVICE;
    out.constant_of(call.arg(next) & 0xffff_ffff, advice);
    DecodeStatus::Complete
}

/// sync_file_range(fd, offset, nbytes, flags).
pub fn sync_file_range(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    let (offset, next) = wide_arg(call, 1);
    out.int(offset);
    let (nbytes, next) = wide_arg(call, next);
    out.int(nbytes);
    let flags = call.arg(next) & 0xffff_ffff;
    out.flags_or_unknown(flags, SYNC_FILE_RANGE_FLAGS, "SYNC_FILE_RANGE_???");
    DecodeStatus::Complete
}

/// sync_file_range2 (ARM): the flags come second, so the pairs need no padding.
pub fn sync_file_range2(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    out.flags_or_unknown(
        call.arg(1) & 0xffff_ffff,
        SYNC_FILE_RANGE_FLAGS,
        "SYNC_FILE_RANGE_???",
    );
    let (offset, next) = wide_arg(call, 2);
    out.int(offset);
    let (nbytes, _) = wide_arg(call, next);
    out.int(nbytes);
    DecodeStatus::Complete
}

/// cachestat(fd, range, cstat, flags): `{off=0, len=4096}` in, five counters out.
pub fn cachestat(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.fd(call.arg_int(0) as i32);
            with_struct(call, out, call.arg_ulong(1), 16, |out, f| {
                out.structure(|out| {
                    out.field("off");
                    out.hex(f.u64(0));
                    out.field("len");
                    out.uint(f.u64(8));
                })
            });
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let addr = call.arg_ulong(2);
            if call.is_error() {
                out.pointer(addr);
            } else {
                with_struct(call, out, addr, 40, |out, f| {
                    out.structure(|out| {
                        for (index, name) in [
                            "nr_cache",
                            "nr_dirty",
                            "nr_writeback",
                            "nr_evicted",
                            "nr_recently_evicted",
                        ]
                        .into_iter()
                        .enumerate()
                        {
                            out.field(name);
                            out.uint(f.u64(8 * index));
                        }
                    })
                });
            }
            out.hex(call.arg(3) & 0xffff_ffff);
            DecodeStatus::Complete
        }
    }
}
