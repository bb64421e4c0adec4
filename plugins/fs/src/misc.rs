//! The fs calls whose arguments need a little code: openat2's `struct open_how`,
//! utimensat's times, offsets passed by pointer (sendfile's `[0 => 5]`), pipe's fd
//! pair, _llseek's 64-bit offset, getcwd's path, xattr values and mount's
//! flag-dependent arguments.

use rtrace_sdk::kstruct::{with_struct, Layout, TimeAbi};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, Timestamp};

use crate::flags::{open_tables, MOUNT_FLAGS, RESOLVE_FLAGS, SEEK_WHENCE};

const O_CREAT: u64 = 0o100;
const O_TMPFILE_BIT: u64 = 0o20000000;

/// openat2's `struct open_how` (three u64, 24 bytes in its first version):
/// `{flags=O_WRONLY|O_CREAT, mode=0600, resolve=0}`; `mode` only when the flags create
/// a file or it is not zero.
pub fn open_how(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.arg_ulong(3) < 24 {
        out.pointer(addr);
        return;
    }
    let table = open_tables(call).0;
    with_struct(call, out, addr, 24, |out, f| {
        let (flags, mode) = (f.u64(0), f.u64(8));
        out.begin_struct();
        out.field("flags");
        out.flags(flags, table);
        if flags & (O_CREAT | O_TMPFILE_BIT) != 0 || mode != 0 {
            out.field("mode");
            out.octal(mode);
        }
        out.field("resolve");
        out.flags(f.u64(16), RESOLVE_FLAGS);
        out.end();
    });
}

/// utimensat's `[{tv_sec=.., tv_nsec=..} /* date */, UTIME_OMIT]`.
pub fn utimens_times(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    const UTIME_NOW: i64 = (1 << 30) - 1;
    const UTIME_OMIT: i64 = (1 << 30) - 2;
    if addr == 0 {
        out.pointer(0);
        return;
    }
    let abi = TimeAbi::of(call);
    let one = abi.size(Layout::of(call));
    with_struct(call, out, addr, 2 * one, |out, f| {
        out.begin_array();
        for index in 0..2 {
            let (sec, nsec) = abi.read(&f, index * one);
            match nsec {
                UTIME_NOW => out.name("UTIME_NOW"),
                UTIME_OMIT => out.name("UTIME_OMIT"),
                _ => out.text_fmt(format_args!(
                    "{{tv_sec={sec}, tv_nsec={nsec}}}{}",
                    Timestamp::new(sec, nsec as u64).comment()
                )),
            }
        }
        out.end();
    });
}

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

/// pipe / pipe2's `[3, 4]`, at exit; the address when the call failed.
pub fn fd_pair(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    with_struct(call, out, addr, 8, |out, f| {
        out.array(|out| {
            out.fd(f.i32(0) as i32);
            out.fd(f.i32(4) as i32);
        })
    });
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
            out.constant(
                call.arg(4) & 0xffff_ffff,
                SEEK_WHENCE.names,
                SEEK_WHENCE.unknown,
            );
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

/// getcwd's path, at exit (never cut at -s).
pub fn cwd_path(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        out.path_at(call.tracee(), addr);
    }
}

/// An xattr value or name list the kernel filled: the returned bytes, cut at -s;
/// `NULL` or the address when there is nothing to show.
pub fn xattr_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let len = call.retval();
    if call.is_error() || addr == 0 || len <= 0 {
        out.pointer(addr);
        return;
    }
    let limit = call.options().string_limit;
    out.buffer_at(call.tracee(), addr, len as u64, limit);
}

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
        let mut rest = flags;
        for &(bit, name) in MOUNT_FLAGS.bits {
            if rest & bit == bit {
                out.name(name);
                rest &= !bit;
            }
        }
        if rest != 0 {
            out.hex(rest);
        }
        out.end();
    } else {
        out.flags(flags, MOUNT_FLAGS);
    }
    if ignore_data {
        out.pointer(call.arg_ulong(4));
    } else {
        out.cstring_at(call.tracee(), call.arg_ulong(4), limit);
    }
    DecodeStatus::Complete
}
