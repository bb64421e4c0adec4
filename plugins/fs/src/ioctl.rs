//! ioctl: the request's name (or `_IOC(dir, type, nr, size)` for one strace does not
//! know), and the argument of the terminal and file requests strace decodes
//! (termios, winsize, an `int` behind a pointer, a file descriptor). Other known
//! requests show their argument in hex, as strace does.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::termios::{emit_termios, emit_winsize, TERMIOS_SIZE, WINSIZE_SIZE};

/// How a request's argument is shown, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Not shown at all (FIOCLEX).
    Nothing,
    /// The raw value in hex (the default for requests strace does not decode).
    Raw,
    /// An `int` passed by value.
    Int,
    /// A file descriptor passed by value (FICLONE).
    Fd,
    /// `[int]` read from the tracee, at entry or (`Out`) at exit.
    IntIn,
    IntOut,
    /// `struct termios`, at entry or at exit.
    TermiosIn,
    TermiosOut,
    /// `struct winsize`, at entry or at exit.
    WinsizeIn,
    WinsizeOut,
}

impl Shape {
    fn at_exit(self) -> bool {
        matches!(self, Shape::IntOut | Shape::TermiosOut | Shape::WinsizeOut)
    }
}

/// The requests rtrace names: code, strace's name, argument shape. Codes are the same
/// on x86_64 and ARM.
const REQUESTS: &[(u64, &str, Shape)] = &[
    (0x5401, "TCGETS", Shape::TermiosOut),
    (0x5402, "SNDCTL_TMR_START or TCSETS", Shape::TermiosIn),
    (0x5403, "SNDCTL_TMR_STOP or TCSETSW", Shape::TermiosIn),
    (0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF", Shape::TermiosIn),
    // (Sound timer and terminal requests share these numbers; on a terminal strace 7
    // names only the terminal's, see `terminal_name`.)
    (0x5405, "TCGETA", Shape::Raw),
    (0x5406, "TCSETA", Shape::Raw),
    (0x5407, "TCSETAW", Shape::Raw),
    (0x5408, "TCSETAF", Shape::Raw),
    (0x5409, "TCSBRK", Shape::Int),
    (0x540a, "TCXONC", Shape::Raw),
    (0x540b, "TCFLSH", Shape::Raw),
    (0x540c, "TIOCEXCL", Shape::Nothing),
    (0x540d, "TIOCNXCL", Shape::Nothing),
    (0x540e, "TIOCSCTTY", Shape::Int),
    (0x540f, "TIOCGPGRP", Shape::IntOut),
    (0x5410, "TIOCSPGRP", Shape::IntIn),
    (0x5411, "TIOCOUTQ", Shape::IntOut),
    (0x5412, "TIOCSTI", Shape::Raw),
    (0x5413, "TIOCGWINSZ", Shape::WinsizeOut),
    (0x5414, "TIOCSWINSZ", Shape::WinsizeIn),
    (0x5415, "TIOCMGET", Shape::Raw),
    (0x5416, "TIOCMBIS", Shape::Raw),
    (0x5417, "TIOCMBIC", Shape::Raw),
    (0x5418, "TIOCMSET", Shape::Raw),
    (0x5419, "TIOCGSOFTCAR", Shape::IntOut),
    (0x541a, "TIOCSSOFTCAR", Shape::IntIn),
    (0x541b, "FIONREAD", Shape::IntOut),
    (0x541c, "TIOCLINUX", Shape::Raw),
    (0x541d, "TIOCCONS", Shape::Nothing),
    (0x541e, "TIOCGSERIAL", Shape::Raw),
    (0x541f, "TIOCSSERIAL", Shape::Nothing),
    (0x5420, "TIOCPKT", Shape::IntIn),
    (0x5421, "FIONBIO", Shape::IntIn),
    (0x5422, "TIOCNOTTY", Shape::Nothing),
    (0x5423, "TIOCSETD", Shape::IntIn),
    (0x5424, "TIOCGETD", Shape::IntOut),
    (0x5425, "TCSBRKP", Shape::Int),
    (0x5427, "TIOCSBRK", Shape::Nothing),
    (0x5428, "TIOCCBRK", Shape::Nothing),
    (0x5429, "TIOCGSID", Shape::IntOut),
    (0x8004_5430, "TIOCGPTN", Shape::IntOut),
    (0x4004_5431, "TIOCSPTLCK", Shape::IntIn),
    (0x8004_5432, "TIOCGDEV", Shape::IntOut),
    (0x5441, "TIOCGPTPEER", Shape::Raw),
    (0x5450, "FIONCLEX", Shape::Nothing),
    (0x5451, "FIOCLEX", Shape::Nothing),
    (0x5452, "FIOASYNC", Shape::IntIn),
    (0x5456, "TIOCGLCKTRMIOS", Shape::TermiosOut),
    (0x5457, "TIOCSLCKTRMIOS", Shape::TermiosIn),
    (0x5460, "FIOQSIZE", Shape::Raw),
    (0x4004_9409, "BTRFS_IOC_CLONE or FICLONE", Shape::Fd),
];

/// On a terminal (a character device of the tty majors, 3-5 and 136-143, as
/// Documentation/admin-guide/devices.txt lists them) the requests that terminals share
/// with the sound timer are named as the terminal's alone, as strace 7 does.
fn terminal_name(call: &Call<'_, '_>, name: &'static str) -> &'static str {
    let Some((_, terminal)) = name.split_once(" or ") else {
        return name;
    };
    let mut buf = [0u8; 256];
    let Some(len) = call.tracee().fd_path(call.arg_int(0) as i32, &mut buf) else {
        return name;
    };
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(&buf[..len.min(buf.len())]));
    // The tracer sees the same device files as the tracee; strace stats the same path.
    let is_tty = std::fs::metadata(path).is_ok_and(|m| {
        let major = libc_major(m.rdev());
        m.file_type().is_char_device() && (matches!(major, 3..=5) || matches!(major, 136..=143))
    });
    if is_tty {
        terminal
    } else {
        name
    }
}

/// glibc's gnu_dev_major.
fn libc_major(dev: u64) -> u64 {
    ((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff)
}

/// `_IOC(_IOC_READ, 0x78, 0x42, 0x4)`: a request strace has no name for.
fn emit_ioc(out: &mut Out<'_>, code: u64) {
    let dir = match (code >> 30) & 3 {
        0 => "_IOC_NONE",
        1 => "_IOC_WRITE",
        2 => "_IOC_READ",
        _ => "_IOC_READ|_IOC_WRITE",
    };
    out.begin_call("_IOC");
    out.name(dir);
    out.hex((code >> 8) & 0xff);
    out.hex(code & 0xff);
    out.hex((code >> 16) & 0x3fff);
    out.end();
}

fn emit_argument(call: &Call<'_, '_>, out: &mut Out<'_>, shape: Shape) {
    let addr = call.arg_ulong(2);
    if shape.at_exit() && call.is_error() {
        out.pointer(addr);
        return;
    }
    match shape {
        Shape::Nothing => {}
        Shape::Raw => out.hex(addr),
        Shape::Int => out.int(call.arg_int(2)),
        Shape::Fd => out.fd(call.arg_int(2) as i32),
        Shape::IntIn | Shape::IntOut => {
            with_struct(call, out, addr, 4, |out, f| {
                out.array(|out| out.int(f.i32(0)));
            });
        }
        Shape::TermiosIn | Shape::TermiosOut => {
            let verbose = call.options().verbose;
            with_struct(call, out, addr, TERMIOS_SIZE, |out, f| {
                emit_termios(out, &f, verbose)
            });
        }
        Shape::WinsizeIn | Shape::WinsizeOut => {
            with_struct(call, out, addr, WINSIZE_SIZE, |out, f| {
                emit_winsize(out, &f)
            });
        }
    }
}

pub fn ioctl(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let code = call.arg(1) & 0xffff_ffff;
    let known = REQUESTS.iter().find(|(c, _, _)| *c == code);
    let shape = known.map_or(Shape::Raw, |(_, _, shape)| *shape);
    match phase {
        Phase::Entry => {
            out.fd(call.arg_int(0) as i32);
            match known {
                Some((_, name, _)) => out.name(terminal_name(call, name)),
                None => emit_ioc(out, code),
            }
            if known.is_none() {
                return unknown_argument(phase, call, out, code);
            }
            if shape.at_exit() {
                return DecodeStatus::MoreAtExit;
            }
            emit_argument(call, out, shape);
        }
        Phase::Exit if known.is_none() => return unknown_argument(phase, call, out, code),
        Phase::Exit if shape.at_exit() => emit_argument(call, out, shape),
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}

/// The argument of a request strace has no decoder for: its address, or with `-v` the
/// `_IOC_SIZE` bytes it points to in hex, as the direction says they flow (written at
/// entry, read at exit, both with ` => ` for read-write and no direction).
fn unknown_argument(
    phase: Phase,
    call: &mut Call<'_, '_>,
    out: &mut Out<'_>,
    code: u64,
) -> DecodeStatus {
    let addr = call.arg_ulong(2);
    let size = (code >> 16) & 0x3fff;
    if !call.options().verbose || size == 0 || addr == 0 {
        if phase == Phase::Entry {
            out.hex(addr);
        }
        return DecodeStatus::Complete;
    }
    let limit = call.options().string_limit;
    let (before, after) = match (code >> 30) & 3 {
        1 => (true, false),
        2 => (false, true),
        _ => (true, true),
    };
    match phase {
        Phase::Entry => {
            if before {
                out.hex_buffer_at(call.tracee(), addr, size, limit);
            }
            if after {
                DecodeStatus::MoreAtExit
            } else {
                DecodeStatus::Complete
            }
        }
        Phase::Exit => {
            if after {
                if before {
                    out.arrow();
                }
                out.hex_buffer_at(call.tracee(), addr, size, limit);
            }
            DecodeStatus::Complete
        }
    }
}
