//! The declarative decoder table: one line per syscall listing its argument kinds.
//!
//! Most syscalls are a list of typed arguments; [`Arg`] names the kinds and
//! [`decode_args`] turns a list into values, splitting it at the first argument that
//! the kernel fills in (printed at exit). What no kind covers is a [`Arg::Custom`]
//! function, or a whole-syscall [`Decoding::Custom`] function.

use rtrace_plugin_api::{DecodeStatus, Phase, PidKind, ReturnStyle};

use crate::call::Call;
use crate::flags::FlagTable;
use crate::value_builder::Out;

/// Decodes one argument whose kind the table has no name for; gets the raw value.
pub type ArgFn = fn(&mut Call<'_, '_>, &mut Out<'_>, u64);

/// Decodes a whole syscall, both phases.
pub type DecodeFn = fn(Phase, &mut Call<'_, '_>, &mut Out<'_>) -> DecodeStatus;

/// Named constants, and what strace writes for a value it does not know
/// (`SEEK_???` gives `0x7 /* SEEK_??? */`).
#[derive(Debug)]
pub struct ConstTable {
    pub names: &'static [(u64, &'static str)],
    pub unknown: &'static str,
}

impl ConstTable {
    /// The name of `value`, if the table has one.
    pub fn name(&self, value: u64) -> Option<&'static str> {
        lookup(self.names, value)
    }

    /// The name of `value`, or the table's default (`SEEK_???`).
    pub fn name_or_unknown(&self, value: u64) -> &'static str {
        self.name(value).unwrap_or(self.unknown)
    }
}

/// The name of `value` in a `(value, name)` table.
pub fn lookup(names: &[(u64, &'static str)], value: u64) -> Option<&'static str> {
    names
        .iter()
        .find(|(v, _)| *v == value)
        .map(|&(_, name)| name)
}

/// How one syscall argument is shown.
#[derive(Debug, Clone, Copy)]
pub enum Arg {
    /// C `int`, signed decimal.
    Int,
    /// A signed word (`long`, `off_t`), decimal.
    Long,
    /// C `unsigned int`, decimal.
    Uint,
    /// `size_t`: an unsigned word, decimal.
    Size,
    /// Hexadecimal.
    Hex,
    /// An address: `NULL` or hex.
    Ptr,
    /// A file descriptor.
    Fd,
    /// A directory fd of the `*at` calls: `AT_FDCWD` for -100.
    Dirfd,
    /// A process id (`pid_t`): `-Y` adds its command name.
    Pid,
    /// A thread id.
    Tid,
    /// A process group id.
    Pgid,
    /// kill's and wait4's pid: a process when positive, a process group below -1.
    PidOrPgid,
    /// A path: a string never cut at `-s`.
    Path,
    /// A NUL-terminated string cut at `-s`.
    CStr,
    /// A file mode in octal.
    Mode,
    /// open's mode: shown only when the flags argument at `flags_arg` creates a file
    /// (`O_CREAT` or `__O_TMPFILE`), otherwise not shown at all.
    OpenMode { flags_arg: u8 },
    /// An `int` of flag bits.
    Flags(&'static FlagTable),
    /// A word of flag bits.
    LongFlags(&'static FlagTable),
    /// An `int` of flag bits shown as `0x10 /* MLOCK_??? */` when no bit is known: the
    /// table and the default strace writes for this argument.
    FlagsOrUnknown(&'static FlagTable, &'static str),
    /// A word of flag bits, with strace's default as in [`Arg::FlagsOrUnknown`].
    LongFlagsOrUnknown(&'static FlagTable, &'static str),
    /// An `int` that is one named constant.
    Const(&'static ConstTable),
    /// An `int` signal number: `SIGTERM`, `SIGRT_3`, `0`.
    Signal,
    /// A buffer the kernel fills (read): shown at exit, as many bytes as the call
    /// returned; `len_arg` is the argument giving its size. On error, its address.
    OutBuf { len_arg: u8 },
    /// A buffer the tracee passes in (write), `len_arg` bytes long.
    InBuf { len_arg: u8 },
    /// Anything else, decoded at entry.
    Custom(ArgFn),
    /// Anything else, decoded at exit (an output argument).
    CustomAtExit(ArgFn),
}

impl Arg {
    /// Whether this argument is only known once the call has returned.
    pub const fn is_output(&self) -> bool {
        matches!(self, Arg::OutBuf { .. } | Arg::CustomAtExit(_))
    }
}

/// How the return value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ret {
    /// Signed decimal.
    Int,
    /// A new file descriptor (decimal).
    Fd,
    /// A byte count (decimal).
    Size,
    /// An address (mmap, brk).
    Hex,
    /// Octal (umask).
    Octal,
    /// A process id (getpid, fork).
    Pid,
    /// A thread id (gettid, clone).
    Tid,
    /// A process group id (getpgrp, getpgid).
    Pgid,
    /// A session id (getsid, setsid).
    Sid,
}

impl Ret {
    pub const fn style(self) -> ReturnStyle {
        match self {
            Ret::Int | Ret::Size => ReturnStyle::Decimal,
            Ret::Fd => ReturnStyle::Fd,
            Ret::Hex => ReturnStyle::Hex,
            Ret::Octal => ReturnStyle::Octal,
            Ret::Pid => ReturnStyle::Pid(PidKind::Tgid),
            Ret::Tid => ReturnStyle::Pid(PidKind::Tid),
            Ret::Pgid => ReturnStyle::Pid(PidKind::Pgid),
            Ret::Sid => ReturnStyle::Pid(PidKind::Sid),
        }
    }
}

/// How a syscall is decoded.
#[derive(Debug, Clone, Copy)]
pub enum Decoding {
    /// A list of argument kinds.
    Args { args: &'static [Arg], ret: Ret },
    /// A function for both phases.
    Custom(DecodeFn),
}

/// One line of a plugin's table.
#[derive(Debug, Clone, Copy)]
pub struct Syscall {
    pub name: &'static str,
    pub decoding: Decoding,
    /// The arguments' names as strace 7.2 prints them under `-N`: for a list of kinds,
    /// one per kind; for a custom decoder, in the order it shows the arguments. Empty
    /// when unknown (the values then print without names).
    pub arg_names: &'static [&'static str],
}

/// One table line: `syscall!("openat", [dirfd: Dirfd, pathname: Path, flags: Flags(OPEN_FLAGS),
/// mode: OpenMode { flags_arg: 2 }], ret = Fd)`, or `syscall!("ioctl", custom = decode_ioctl,
/// names = [fd, op, arg])`. `ret` defaults to `Int`; the names (for `-N`) may be left out.
#[macro_export]
macro_rules! syscall {
    ($name:literal, custom = $f:expr $(,)?) => {
        $crate::Syscall { name: $name, decoding: $crate::Decoding::Custom($f), arg_names: &[] }
    };
    ($name:literal, custom = $f:expr, names = [$($arg:ident),* $(,)?] $(,)?) => {
        $crate::Syscall {
            name: $name,
            decoding: $crate::Decoding::Custom($f),
            arg_names: &[$(stringify!($arg)),*],
        }
    };
    ($name:literal, [$($arg:ident : $kind:ident $(($($p:tt)*))? $({$($f:tt)*})?),* $(,)?] $(,)?) => {
        $crate::syscall!($name, [$($arg: $kind $(($($p)*))? $({$($f)*})?),*], ret = Int)
    };
    ($name:literal, [$($arg:ident : $kind:ident $(($($p:tt)*))? $({$($f:tt)*})?),* $(,)?], ret = $ret:ident $(,)?) => {
        $crate::Syscall {
            name: $name,
            decoding: $crate::Decoding::Args {
                args: &[$($crate::Arg::$kind $(($($p)*))? $({$($f)*})?),*],
                ret: $crate::Ret::$ret,
            },
            arg_names: &[$(stringify!($arg)),*],
        }
    };
    ($name:literal, [$($kind:ident $(($($p:tt)*))? $({$($f:tt)*})?),* $(,)?] $(,)?) => {
        $crate::syscall!($name, [$($kind $(($($p)*))? $({$($f)*})?),*], ret = Int)
    };
    ($name:literal, [$($kind:ident $(($($p:tt)*))? $({$($f:tt)*})?),* $(,)?], ret = $ret:ident $(,)?) => {
        $crate::Syscall {
            name: $name,
            decoding: $crate::Decoding::Args {
                args: &[$($crate::Arg::$kind $(($($p)*))? $({$($f)*})?),*],
                ret: $crate::Ret::$ret,
            },
            arg_names: &[],
        }
    };
}

/// Decodes one phase of a table line.
pub fn decode(
    syscall: &Syscall,
    phase: Phase,
    call: &mut Call<'_, '_>,
    out: &mut Out<'_>,
) -> DecodeStatus {
    match syscall.decoding {
        Decoding::Args { args, ret } => decode_args(args, ret, phase, call, out),
        Decoding::Custom(f) => f(phase, call, out),
    }
}

/// Emits the arguments known at `phase`: at entry, those before the first output
/// argument; at exit, the rest.
pub fn decode_args(
    args: &[Arg],
    ret: Ret,
    phase: Phase,
    call: &mut Call<'_, '_>,
    out: &mut Out<'_>,
) -> DecodeStatus {
    out.return_style(ret.style());
    let split = args.iter().position(Arg::is_output).unwrap_or(args.len());
    let (range, status) = match phase {
        Phase::Entry if split < args.len() => (0..split, DecodeStatus::MoreAtExit),
        Phase::Entry => (0..split, DecodeStatus::Complete),
        Phase::Exit => (split..args.len(), DecodeStatus::Complete),
    };
    for index in range {
        out.at_arg(index);
        emit_arg(&args[index], index, call, out);
    }
    status
}

/// open's bits that make it take a mode (the same on x86 and ARM).
const O_CREAT: u64 = 0o100;
const O_TMPFILE_BIT: u64 = 0o20000000;

fn emit_arg(arg: &Arg, index: usize, call: &mut Call<'_, '_>, out: &mut Out<'_>) {
    let value = call.arg(index);
    match *arg {
        Arg::Int => out.int(call.arg_int(index)),
        Arg::Fd => out.fd(call.arg_int(index) as i32),
        Arg::Long => out.int(call.arg_long(index)),
        Arg::Uint => out.uint(value & 0xffff_ffff),
        Arg::Size => out.uint(call.arg_ulong(index)),
        Arg::Hex => out.hex(call.arg_ulong(index)),
        Arg::Ptr => out.pointer(call.arg_ulong(index)),
        Arg::Dirfd => out.dirfd(call.arg_int(index) as i32),
        Arg::Pid => out.pid(call.arg_int(index), PidKind::Tgid),
        Arg::Tid => out.pid(call.arg_int(index), PidKind::Tid),
        Arg::Pgid => out.pid(call.arg_int(index), PidKind::Pgid),
        Arg::PidOrPgid => out.pid(call.arg_int(index), PidKind::TgidOrPgid),
        Arg::Path => out.path_at(call.tracee(), value),
        Arg::CStr => out.cstring_at(call.tracee(), value, call.options().string_limit),
        Arg::Mode => out.octal(value & 0o177777),
        Arg::OpenMode { flags_arg } => {
            if call.arg(flags_arg.into()) & (O_CREAT | O_TMPFILE_BIT) != 0 {
                out.octal(value & 0o177777);
            }
        }
        Arg::Flags(table) => out.flags(value & 0xffff_ffff, table),
        Arg::LongFlags(table) => out.flags(call.arg_ulong(index), table),
        Arg::FlagsOrUnknown(table, unknown) => {
            out.flags_or_unknown(value & 0xffff_ffff, table, unknown)
        }
        Arg::LongFlagsOrUnknown(table, unknown) => {
            out.flags_or_unknown(call.arg_ulong(index), table, unknown)
        }
        Arg::Const(table) => out.constant_of(value & 0xffff_ffff, table),
        Arg::Signal => out.signal(call.arg_int(index)),
        Arg::OutBuf { .. } if call.is_error() => out.pointer(call.arg_ulong(index)),
        Arg::OutBuf { .. } => {
            let len = call.retval().max(0) as u64;
            let limit = call.options().string_limit;
            out.buffer_at(call.tracee(), call.arg_ulong(index), len, limit);
        }
        Arg::InBuf { len_arg } => {
            let len = call.arg_ulong(len_arg.into());
            let limit = call.options().string_limit;
            out.buffer_at(call.tracee(), call.arg_ulong(index), len, limit);
        }
        Arg::Custom(f) | Arg::CustomAtExit(f) => f(call, out, value),
    }
}
