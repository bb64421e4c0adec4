//! Vectored I/O: readv, writev, preadv, pwritev, preadv2, pwritev2. Written vectors
//! are shown at entry; read ones at exit, as many bytes as the call returned, and as
//! bare addresses when the call failed (what strace does).

use rtrace_sdk::iovec::{iovec_array, IovContents};
use rtrace_sdk::{Call, Out};

use crate::flags::RWF_FLAGS;

/// The iovec array of a read (argument 1, `count` in argument 2), at exit.
pub fn read_vector(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let contents = if call.is_error() {
        IovContents::Address
    } else {
        IovContents::Bytes(call.retval().max(0) as u64)
    };
    let count = call.arg_ulong(2);
    iovec_array(call, out, addr & word_mask(call), count, contents);
}

/// The iovec array of a write, at entry.
pub fn write_vector(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let count = call.arg_ulong(2);
    iovec_array(
        call,
        out,
        addr & word_mask(call),
        count,
        IovContents::Bytes(u64::MAX),
    );
}

/// The file offset of preadv and friends: one register on 64-bit tracees, the low and
/// high halves in arguments 3 and 4 on 32-bit ones.
pub fn vector_offset(call: &mut Call<'_, '_>, out: &mut Out<'_>, low: u64) {
    if call.word_size() == 4 {
        out.int(((call.arg(4) & 0xffff_ffff) << 32 | (low & 0xffff_ffff)) as i64);
    } else {
        out.int(low as i64);
    }
}

/// preadv2 / pwritev2's flags. They sit in argument 5 whatever the word size (argument
/// 4 is the offset's high half, unused on 64-bit tracees), so this one kind stands in
/// for argument 4 and reads argument 5.
pub fn vector_flags(call: &mut Call<'_, '_>, out: &mut Out<'_>, _high: u64) {
    out.flags_or_unknown(call.arg(5) & 0xffff_ffff, RWF_FLAGS, "RWF_???");
}

fn word_mask(call: &Call<'_, '_>) -> u64 {
    if call.word_size() == 4 {
        0xffff_ffff
    } else {
        u64::MAX
    }
}
