//! fcntl and fcntl64: each command's third argument and return value as strace shows
//! them (`F_SETFD, FD_CLOEXEC`, `= 0x8002 (flags O_RDWR|O_LARGEFILE)`, `struct flock`).

use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, PidKind, ReturnStyle};

use crate::flags::{open_tables, SEEK_WHENCE};

const F_DUPFD: u64 = 0;
const F_GETFD: u64 = 1;
const F_SETFD: u64 = 2;
const F_GETFL: u64 = 3;
const F_SETFL: u64 = 4;
const F_GETLK: u64 = 5;
const F_SETLK: u64 = 6;
const F_SETLKW: u64 = 7;
const F_SETOWN: u64 = 8;
const F_GETOWN: u64 = 9;
const F_SETSIG: u64 = 10;
const F_GETSIG: u64 = 11;
const F_GETLK64: u64 = 12;
const F_SETLK64: u64 = 13;
const F_SETLKW64: u64 = 14;
const F_SETOWN_EX: u64 = 15;
const F_GETOWN_EX: u64 = 16;
const F_OFD_GETLK: u64 = 36;
const F_OFD_SETLK: u64 = 37;
const F_OFD_SETLKW: u64 = 38;
const F_SETLEASE: u64 = 1024;
const F_GETLEASE: u64 = 1025;
const F_NOTIFY: u64 = 1026;
const F_DUPFD_CLOEXEC: u64 = 1030;
const F_SETPIPE_SZ: u64 = 1031;
const F_GETPIPE_SZ: u64 = 1032;
const F_ADD_SEALS: u64 = 1033;
const F_GET_SEALS: u64 = 1034;
const F_GET_RW_HINT: u64 = 1035;
const F_SET_RW_HINT: u64 = 1036;
const F_GET_FILE_RW_HINT: u64 = 1037;
const F_SET_FILE_RW_HINT: u64 = 1038;

const COMMANDS: &[(u64, &str)] = &[
    (F_DUPFD, "F_DUPFD"),
    (F_GETFD, "F_GETFD"),
    (F_SETFD, "F_SETFD"),
    (F_GETFL, "F_GETFL"),
    (F_SETFL, "F_SETFL"),
    (F_GETLK, "F_GETLK"),
    (F_SETLK, "F_SETLK"),
    (F_SETLKW, "F_SETLKW"),
    (F_SETOWN, "F_SETOWN"),
    (F_GETOWN, "F_GETOWN"),
    (F_SETSIG, "F_SETSIG"),
    (F_GETSIG, "F_GETSIG"),
    (F_GETLK64, "F_GETLK64"),
    (F_SETLK64, "F_SETLK64"),
    (F_SETLKW64, "F_SETLKW64"),
    (F_SETOWN_EX, "F_SETOWN_EX"),
    (F_GETOWN_EX, "F_GETOWN_EX"),
    (17, "F_GETOWNER_UIDS"),
    (F_OFD_GETLK, "F_OFD_GETLK"),
    (F_OFD_SETLK, "F_OFD_SETLK"),
    (F_OFD_SETLKW, "F_OFD_SETLKW"),
    (F_SETLEASE, "F_SETLEASE"),
    (F_GETLEASE, "F_GETLEASE"),
    (F_NOTIFY, "F_NOTIFY"),
    (1029, "F_CANCELLK"),
    (F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC"),
    (F_SETPIPE_SZ, "F_SETPIPE_SZ"),
    (F_GETPIPE_SZ, "F_GETPIPE_SZ"),
    (F_ADD_SEALS, "F_ADD_SEALS"),
    (F_GET_SEALS, "F_GET_SEALS"),
    (F_GET_RW_HINT, "F_GET_RW_HINT"),
    (F_SET_RW_HINT, "F_SET_RW_HINT"),
    (F_GET_FILE_RW_HINT, "F_GET_FILE_RW_HINT"),
    (F_SET_FILE_RW_HINT, "F_SET_FILE_RW_HINT"),
];

use crate::kernel_consts::{FD_FLAGS, RW_HINTS};

use crate::kernel_consts::LOCK_TYPES;

const F_OWNER_TID: u64 = 0;
const F_OWNER_PGRP: u64 = 2;

use crate::kernel_consts::OWNER_TYPES;

use crate::kernel_consts::NOTIFY_FLAGS;

pub use crate::kernel_consts::SEALS;

/// Which `struct flock` a command takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flock {
    /// `struct flock`: word-sized start and length.
    Native,
    /// `struct flock64` (the OFD commands, fcntl64's *LK64): 64-bit fields.
    Wide,
}

/// `{l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}`, with `l_pid` for the
/// getters; the address when unreadable or when the call failed at exit.
fn flock(call: &Call<'_, '_>, out: &mut Out<'_>, kind: Flock, with_pid: bool) {
    let addr = call.arg_ulong(2);
    if with_pid && call.is_error() {
        out.pointer(addr);
        return;
    }
    let word = if call.word_size() == 4 { 4 } else { 8 };
    let (start, width, size) = match kind {
        Flock::Native => (word, word, 4 * word),
        Flock::Wide => (8, 8, 32),
    };
    with_struct(call, out, addr, size, |out, f: Fields<'_>| {
        let signed = |offset: usize| -> i64 {
            let value = f.unsigned(offset, width);
            if width == 4 {
                i64::from(value as u32 as i32)
            } else {
                value as i64
            }
        };
        out.begin_struct();
        out.field("l_type");
        out.constant_of(f.u16(0), LOCK_TYPES);
        out.field("l_whence");
        out.constant_of(f.u16(2), SEEK_WHENCE);
        out.field("l_start");
        out.int(signed(start));
        out.field("l_len");
        out.int(signed(start + width));
        if with_pid {
            out.field("l_pid");
            out.pid(f.i32(start + 2 * width), PidKind::Tgid);
        }
        out.end();
    });
}

/// `[RWH_WRITE_LIFE_SHORT]`: the hint the argument points to; its address when
/// unreadable or when a getter failed.
fn rw_hint(call: &Call<'_, '_>, out: &mut Out<'_>, is_getter: bool) {
    let addr = call.arg_ulong(2);
    if is_getter && call.is_error() {
        out.pointer(addr);
        return;
    }
    with_struct(call, out, addr, 8, |out, f| {
        out.begin_array();
        out.constant_of(f.u64(0), RW_HINTS);
        out.end();
    });
}

fn owner_ex(call: &Call<'_, '_>, out: &mut Out<'_>) {
    let addr = call.arg_ulong(2);
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    with_struct(call, out, addr, 8, |out, f| {
        out.begin_struct();
        out.field("type");
        out.constant_of(f.u32(0), OWNER_TYPES);
        out.field("pid");
        let kind = match f.u32(0) {
            F_OWNER_TID => PidKind::Tid,
            F_OWNER_PGRP => PidKind::Pgid,
            _ => PidKind::Tgid,
        };
        out.pid(f.i32(4), kind);
        out.end();
    });
}

/// fcntl (and fcntl64, whose *LK64 commands take `struct flock64`).
pub fn fcntl(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let cmd = call.arg(1) & 0xffff_ffff;
    let is_fcntl64 = call.name() == "fcntl64";
    match phase {
        Phase::Entry => {
            out.fd(call.arg_int(0) as i32);
            out.constant(cmd, COMMANDS, "F_???");
            entry_argument(call, out, cmd, is_fcntl64)
        }
        Phase::Exit => {
            exit_value(call, out, cmd, is_fcntl64);
            DecodeStatus::Complete
        }
    }
}

fn entry_argument(
    call: &mut Call<'_, '_>,
    out: &mut Out<'_>,
    cmd: u64,
    is_fcntl64: bool,
) -> DecodeStatus {
    let arg = call.arg(2);
    match cmd {
        F_SETFD => out.flags_or_unknown(arg & 0xffff_ffff, FD_FLAGS, "FD_???"),
        F_SETOWN => out.pid(call.arg_int(2), PidKind::TgidOrPgid),
        F_DUPFD | F_DUPFD_CLOEXEC | F_SETPIPE_SZ => out.int(call.arg_long(2)),
        F_SETFL => out.flags(arg & 0xffff_ffff, open_tables(call).0),
        F_SETLK | F_SETLKW => flock(call, out, Flock::Native, false),
        F_SETLK64 | F_SETLKW64 if is_fcntl64 => flock(call, out, Flock::Wide, false),
        F_OFD_SETLK | F_OFD_SETLKW => flock(call, out, Flock::Wide, false),
        F_SETOWN_EX => owner_ex(call, out),
        F_NOTIFY => out.flags_or_unknown(call.arg_ulong(2), NOTIFY_FLAGS, "DN_???"),
        F_SETLEASE => out.constant_of(call.arg_ulong(2), LOCK_TYPES),
        F_ADD_SEALS => out.flags_or_unknown(call.arg_ulong(2), SEALS, "F_SEAL_???"),
        F_SET_RW_HINT | F_SET_FILE_RW_HINT => rw_hint(call, out, false),
        F_SETSIG => out.signal(call.arg_int(2)),
        F_GETLK | F_OFD_GETLK | F_GETOWN_EX | F_GET_RW_HINT | F_GET_FILE_RW_HINT => {
            return DecodeStatus::MoreAtExit
        }
        F_GETLK64 if is_fcntl64 => return DecodeStatus::MoreAtExit,
        F_GETFD | F_GETFL | F_GETOWN | F_GETSIG | F_GETLEASE | F_GETPIPE_SZ | F_GET_SEALS => {}
        _ => out.hex(call.arg_ulong(2)),
    }
    match cmd {
        F_DUPFD | F_DUPFD_CLOEXEC => out.return_style(ReturnStyle::Fd),
        F_GETOWN => out.return_style(GETOWN_RETURN),
        _ => {}
    }
    DecodeStatus::Complete
}

/// F_GETOWN's result: a process when positive; a group (`-N`) is printed bare, as
/// strace prints a negative group id (no name, no translation).
const GETOWN_RETURN: ReturnStyle = ReturnStyle::Pid(PidKind::Tgid);

fn exit_value(call: &mut Call<'_, '_>, out: &mut Out<'_>, cmd: u64, is_fcntl64: bool) {
    match cmd {
        F_GETLK => flock(call, out, Flock::Native, true),
        F_GETLK64 if is_fcntl64 => flock(call, out, Flock::Wide, true),
        F_OFD_GETLK => flock(call, out, Flock::Wide, true),
        F_GETOWN_EX => owner_ex(call, out),
        F_GET_RW_HINT | F_GET_FILE_RW_HINT => rw_hint(call, out, true),
        F_DUPFD | F_DUPFD_CLOEXEC => out.return_style(ReturnStyle::Fd),
        F_GETOWN => out.return_style(GETOWN_RETURN),
        _ => {}
    }
    if call.is_error() {
        return;
    }
    let value = call.retval() as u64 & 0xffff_ffff;
    match cmd {
        F_GETFD | F_GET_SEALS if value != 0 => {
            out.return_style(ReturnStyle::Hex);
            out.return_note();
            if cmd == F_GETFD {
                out.field("flags");
                out.flags(value, FD_FLAGS);
            } else {
                out.field("seals");
                out.flags(value, SEALS);
            }
        }
        F_GETFL => {
            out.return_style(ReturnStyle::Hex);
            out.return_note();
            out.field("flags");
            // strace names the open modes here whatever -X asks.
            out.flag_names(value, open_tables(call).0);
        }
        F_GETLEASE => {
            out.return_style(ReturnStyle::Hex);
            if let Some(name) = LOCK_TYPES.name(value) {
                out.return_note();
                out.name(name);
            }
        }
        F_GETSIG if value != 0 => {
            out.return_note();
            // The name whatever -X asks, as strace's note has it.
            match rtrace_sdk::signals::signal_name(value as i64) {
                Some(name) => out.name(name),
                None => out.int(value as i64),
            }
        }
        _ => {}
    }
}
