//! What single fs calls pass by pointer: openat2's `struct open_how`, utimensat's
//! times, pipe's fd pair, getcwd's path and xattr values.

use rtrace_sdk::kstruct::{with_struct, Layout, TimeAbi};
use rtrace_sdk::{Call, Out, Timestamp};

use crate::flags::{open_tables, RESOLVE_FLAGS};

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
    const UTIME_NOW: u64 = (1 << 30) - 1;
    const UTIME_OMIT: u64 = (1 << 30) - 2;
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
                    Timestamp::new(sec, nsec).comment()
                )),
            }
        }
        out.end();
    });
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

/// getcwd's path, at exit (never cut at -s): as many bytes as the call returned, NUL
/// included, as strace reads it.
pub fn cwd_path(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        out.path_at_most(call.tracee(), addr, call.retval() as u64);
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
