//! File offsets and lengths that are not one plain register: offsets passed by pointer
//! (sendfile's `[0 => 5]`), _llseek's 64-bit offset and result, and the offsets and
//! lengths split over two registers.

use rtrace_sdk::kstruct::{with_struct, Layout};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::flags::SEEK_WHENCE;

/// A 64-bit `loff_t` passed by pointer, shown at entry: `[0]` (copy_file_range, splice).
pub fn loff_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    with_struct(call, out, addr, 8, |out, f| {
        out.array(|out| out.int(f.i64(0)))
    });
}

/// sendfile: the offset goes in and comes back moved (`[0 => 5]`). sendfile's offset
/// is an `off_t` (a word); sendfile64's a `loff_t`.
pub fn sendfile(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let addr = call.arg_ulong(2);
    let width = if call.name() == "sendfile64" {
        8
    } else {
        Layout::of(call).word
    };
    let read_offset = |call: &Call<'_, '_>| -> Option<i64> {
        let mut raw = [0u8; 8];
        call.tracee().read_exact(addr, &mut raw[..width]).then(|| {
            let f = rtrace_sdk::kstruct::Fields::new(&raw, Layout::of(call));
            if width == 4 {
                f.i32(0)
            } else {
                f.i64(0)
            }
        })
    };
    match phase {
        Phase::Entry => {
            out.fd(call.arg_int(0) as i32);
            out.fd(call.arg_int(1) as i32);
            let before = if addr == 0 { None } else { read_offset(call) };
            let scratch = call.scratch();
            scratch[0] = u64::from(before.is_some());
            scratch[1] = before.unwrap_or(0) as u64;
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let (known, before) = (call.scratch()[0] != 0, call.scratch()[1] as i64);
            if !known {
                out.pointer(addr);
            } else {
                // strace 7: `[0 => 5]`, the offset changed inside its brackets.
                let after = (!call.is_error()).then(|| read_offset(call)).flatten();
                out.array(|out| {
                    out.int(before);
                    if let Some(after) = after {
                        out.arrow();
                        out.int(after);
                    }
                });
            }
            out.uint(call.arg_ulong(3));
            DecodeStatus::Complete
        }
    }
}

/// _llseek(fd, offset_high, offset_low, &result, whence): `_llseek(3, 0, [0], SEEK_SET)`.
pub fn llseek(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.fd(call.arg_int(0) as i32);
            let offset = (call.arg(1) & 0xffff_ffff) << 32 | (call.arg(2) & 0xffff_ffff);
            out.int(offset as i64);
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let addr = call.arg_ulong(3);
            if call.is_error() {
                out.pointer(addr);
            } else {
                loff_in(call, out, addr);
            }
            out.constant_of(call.arg(4) & 0xffff_ffff, SEEK_WHENCE);
            DecodeStatus::Complete
        }
    }
}

/// A 64-bit length split over two registers on 32-bit ABIs (truncate64, ftruncate64):
/// ARM EABI puts it in an even register pair (arguments 2 and 3, after an unused
/// one), i386 right after the first argument.
pub fn split_length(call: &mut Call<'_, '_>, out: &mut Out<'_>, _first_half: u64) {
    let low_index = if call.abi().pairs_aligned { 2 } else { 1 };
    let low = call.arg(low_index) & 0xffff_ffff;
    let high = call.arg(low_index + 1) & 0xffff_ffff;
    out.int((high << 32 | low) as i64);
}

/// pread64's and pwrite64's offset, the fourth argument: a full register on 64-bit
/// ABIs; on 32-bit ones a register pair, which ARM EABI aligns to an even register
/// (r4:r5, after an unused r3) and i386 does not (arguments 4 and 5).
pub fn fourth_offset(call: &mut Call<'_, '_>, out: &mut Out<'_>, _first_half: u64) {
    if call.word_size() == 8 {
        out.int(call.arg_long(3));
        return;
    }
    let low_index = if call.abi().pairs_aligned { 4 } else { 3 };
    let low = call.arg(low_index) & 0xffff_ffff;
    let high = call.arg(low_index + 1) & 0xffff_ffff;
    out.int((high << 32 | low) as i64);
}
