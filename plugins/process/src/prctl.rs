//! prctl and arch_prctl: the option decides what the other arguments are, so each
//! option is one line of a table saying how its arguments print.

use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::flags::{ARCH_PRCTL_CODES, CAPABILITIES, SECCOMP_MODES, SUID_DUMP};

/// How a prctl option's arguments print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Nothing after the option.
    Nothing,
    /// Argument 2, unsigned decimal.
    Number,
    /// Arguments 2 to 5, unsigned decimal.
    FourNumbers,
    /// Argument 2, a signal.
    Signal,
    /// At exit, the signal stored at argument 2: `[SIGTERM]`.
    SignalOut,
    /// At exit, the int stored at argument 2: `[1]`.
    IntOut,
    /// Argument 2, a task name (at most 16 bytes).
    Name,
    /// At exit, the task name stored at argument 2.
    NameOut,
    /// Argument 2, a `SUID_DUMP_*` value.
    Dumpable,
    /// Argument 2, a capability.
    Capability,
    /// Argument 2, a seccomp mode; a filter's address follows.
    Seccomp,
    /// The four arguments in hex (options not decoded further).
    Raw,
}

/// How the return value is annotated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Note {
    None,
    Dumpable,
}

struct Option_ {
    value: u64,
    name: &'static str,
    shape: Shape,
    note: Note,
    /// The arguments' names under `-N`, as strace 7.2 gives them for this option.
    arg_names: &'static [&'static str],
}

/// What strace calls the arguments of an option it names no other way.
const GENERIC_ARG_NAMES: &[&str] = &["op", "arg2", "arg3", "arg4", "arg5"];

const fn opt(value: u64, name: &'static str, shape: Shape) -> Option_ {
    Option_ {
        value,
        name,
        shape,
        note: Note::None,
        arg_names: GENERIC_ARG_NAMES,
    }
}

impl Option_ {
    const fn arg_names(self, arg_names: &'static [&'static str]) -> Option_ {
        Option_ { arg_names, ..self }
    }
}

const OPTIONS: &[Option_] = &[
    opt(1, "PR_SET_PDEATHSIG", Shape::Signal).arg_names(&["op", "sig"]),
    opt(2, "PR_GET_PDEATHSIG", Shape::SignalOut).arg_names(&["op", "sig"]),
    Option_ {
        value: 3,
        name: "PR_GET_DUMPABLE",
        shape: Shape::Nothing,
        note: Note::Dumpable,
        arg_names: GENERIC_ARG_NAMES,
    },
    opt(4, "PR_SET_DUMPABLE", Shape::Dumpable).arg_names(&["op", "dumpable"]),
    opt(5, "PR_GET_UNALIGN", Shape::Raw).arg_names(&["op", "flags"]),
    opt(6, "PR_SET_UNALIGN", Shape::Raw).arg_names(&["op", "flags"]),
    opt(7, "PR_GET_KEEPCAPS", Shape::Nothing),
    opt(8, "PR_SET_KEEPCAPS", Shape::Number).arg_names(&["op", "state"]),
    opt(9, "PR_GET_FPEMU", Shape::Raw).arg_names(&["op", "fpemu"]),
    opt(10, "PR_SET_FPEMU", Shape::Raw).arg_names(&["op", "fpemu"]),
    opt(11, "PR_GET_FPEXC", Shape::Raw).arg_names(&["op", "mode"]),
    opt(12, "PR_SET_FPEXC", Shape::Raw).arg_names(&["op", "mode"]),
    opt(13, "PR_GET_TIMING", Shape::Nothing),
    opt(14, "PR_SET_TIMING", Shape::Raw).arg_names(&["op", "mode"]),
    opt(15, "PR_SET_NAME", Shape::Name).arg_names(&["op", "name"]),
    opt(16, "PR_GET_NAME", Shape::NameOut).arg_names(&["op", "name"]),
    opt(19, "PR_GET_ENDIAN", Shape::Raw).arg_names(&["op", "endianness"]),
    opt(20, "PR_SET_ENDIAN", Shape::Raw).arg_names(&["op", "endianness"]),
    opt(21, "PR_GET_SECCOMP", Shape::Nothing),
    opt(22, "PR_SET_SECCOMP", Shape::Seccomp).arg_names(&["op", "mode", "filter"]),
    opt(23, "PR_CAPBSET_READ", Shape::Capability).arg_names(&["op", "cap"]),
    opt(24, "PR_CAPBSET_DROP", Shape::Capability).arg_names(&["op", "cap"]),
    opt(25, "PR_GET_TSC", Shape::Raw).arg_names(&["op", "flag"]),
    opt(26, "PR_SET_TSC", Shape::Raw).arg_names(&["op", "flag"]),
    opt(27, "PR_GET_SECUREBITS", Shape::Nothing),
    opt(28, "PR_SET_SECUREBITS", Shape::Raw).arg_names(&["op", "flags"]),
    opt(29, "PR_SET_TIMERSLACK", Shape::Number).arg_names(&["op", "slack"]),
    opt(30, "PR_GET_TIMERSLACK", Shape::Nothing),
    opt(31, "PR_TASK_PERF_EVENTS_DISABLE", Shape::Nothing),
    opt(32, "PR_TASK_PERF_EVENTS_ENABLE", Shape::Nothing),
    opt(33, "PR_MCE_KILL", Shape::Raw),
    opt(34, "PR_MCE_KILL_GET", Shape::FourNumbers),
    opt(35, "PR_SET_MM", Shape::Raw),
    opt(36, "PR_SET_CHILD_SUBREAPER", Shape::Number).arg_names(&["op", "set"]),
    opt(37, "PR_GET_CHILD_SUBREAPER", Shape::IntOut).arg_names(&["op", "isset"]),
    opt(38, "PR_SET_NO_NEW_PRIVS", Shape::FourNumbers)
        .arg_names(&["op", "set", "arg3", "arg4", "arg5"]),
    opt(39, "PR_GET_NO_NEW_PRIVS", Shape::FourNumbers),
    opt(40, "PR_GET_TID_ADDRESS", Shape::Raw).arg_names(&["op", "addr"]),
    opt(41, "PR_SET_THP_DISABLE", Shape::FourNumbers)
        .arg_names(&["op", "flag", "arg3", "arg4", "arg5"]),
    opt(42, "PR_GET_THP_DISABLE", Shape::FourNumbers),
    opt(45, "PR_SET_FP_MODE", Shape::Raw).arg_names(&["op", "mode"]),
    opt(46, "PR_GET_FP_MODE", Shape::Nothing),
    opt(47, "PR_CAP_AMBIENT", Shape::Raw),
    opt(50, "PR_SVE_SET_VL", Shape::Raw),
    opt(51, "PR_SVE_GET_VL", Shape::Nothing),
    opt(52, "PR_GET_SPECULATION_CTRL", Shape::Raw),
    opt(53, "PR_SET_SPECULATION_CTRL", Shape::Raw),
    opt(54, "PR_PAC_RESET_KEYS", Shape::Raw),
    opt(55, "PR_SET_TAGGED_ADDR_CTRL", Shape::Raw),
    opt(56, "PR_GET_TAGGED_ADDR_CTRL", Shape::Raw),
    opt(57, "PR_SET_IO_FLUSHER", Shape::Raw).arg_names(&["op", "state", "arg3", "arg4", "arg5"]),
    opt(58, "PR_GET_IO_FLUSHER", Shape::Raw),
    opt(59, "PR_SET_SYSCALL_USER_DISPATCH", Shape::Raw),
    opt(60, "PR_PAC_SET_ENABLED_KEYS", Shape::Raw),
    opt(61, "PR_PAC_GET_ENABLED_KEYS", Shape::Raw),
    opt(62, "PR_SCHED_CORE", Shape::Raw),
    opt(0x5356_4d41, "PR_SET_VMA", Shape::Raw),
];

/// The kernel's task name length, NUL included.
const TASK_COMM_LEN: u32 = 16;

/// A task name: at most 15 bytes, and no more than `-s`.
fn task_name(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let limit = match call.options().string_limit {
        0 => TASK_COMM_LEN - 1,
        limit => limit.min(TASK_COMM_LEN - 1),
    };
    out.cstring_at(call.tracee(), addr, limit);
}

fn four_numbers(call: &Call<'_, '_>, out: &mut Out<'_>) {
    for index in 1..5 {
        out.uint(call.arg_ulong(index));
    }
}

fn four_hex(call: &Call<'_, '_>, out: &mut Out<'_>) {
    for index in 1..5 {
        out.hex(call.arg_ulong(index));
    }
}

fn int_at(call: &Call<'_, '_>, addr: u64) -> Option<i64> {
    let mut raw = [0u8; 4];
    if call.is_error() || addr == 0 || !call.tracee().read_exact(addr, &mut raw) {
        return None;
    }
    let value = if call.big_endian() {
        i32::from_be_bytes(raw)
    } else {
        i32::from_le_bytes(raw)
    };
    Some(i64::from(value))
}

pub fn prctl(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let option = call.arg(0) & 0xffff_ffff;
    let Some(known) = OPTIONS.iter().find(|o| o.value == option) else {
        out.use_arg_names(GENERIC_ARG_NAMES);
        if phase == Phase::Entry {
            out.text_fmt(format_args!("{option:#x} /* PR_??? */"));
            four_hex(call, out);
        }
        return DecodeStatus::Complete;
    };
    let arg2 = call.arg_ulong(1);
    out.use_arg_names(known.arg_names);
    match phase {
        Phase::Entry => {
            out.name(known.name);
            match known.shape {
                Shape::Nothing => {}
                Shape::Number => out.uint(arg2),
                Shape::FourNumbers => four_numbers(call, out),
                Shape::Signal => out.signal(arg2 as i64),
                Shape::Name => task_name(call, out, arg2),
                Shape::Dumpable => out.constant(arg2, SUID_DUMP.names, SUID_DUMP.unknown),
                Shape::Capability => out.constant(arg2, CAPABILITIES.names, CAPABILITIES.unknown),
                Shape::Seccomp => {
                    out.constant(arg2, SECCOMP_MODES.names, SECCOMP_MODES.unknown);
                    if arg2 == 2 {
                        out.pointer(call.arg_ulong(2));
                    }
                }
                Shape::Raw => four_hex(call, out),
                // Output arguments: printed at exit, after the `, ` printed now.
                Shape::SignalOut | Shape::IntOut | Shape::NameOut => {
                    return DecodeStatus::MoreAtExit
                }
            }
        }
        Phase::Exit => {
            match known.shape {
                Shape::SignalOut => match int_at(call, arg2) {
                    Some(sig) => {
                        out.begin_array();
                        out.signal(sig);
                        out.end();
                    }
                    None => out.pointer(arg2),
                },
                Shape::IntOut => match int_at(call, arg2) {
                    Some(value) => {
                        out.begin_array();
                        out.int(value);
                        out.end();
                    }
                    None => out.pointer(arg2),
                },
                Shape::NameOut if call.is_error() => out.pointer(arg2),
                Shape::NameOut => task_name(call, out, arg2),
                _ => {}
            }
            if known.note == Note::Dumpable && !call.is_error() {
                let value = call.retval() as u64;
                if let Some((_, name)) = SUID_DUMP.names.iter().find(|(v, _)| *v == value) {
                    out.return_note();
                    out.name(name);
                }
            }
        }
    }
    DecodeStatus::Complete
}

const ARCH_SET_GS: u64 = 0x1001;
const ARCH_SET_FS: u64 = 0x1002;
const ARCH_GET_FS: u64 = 0x1003;
const ARCH_GET_GS: u64 = 0x1004;
const ARCH_GET_CPUID: u64 = 0x1011;
const ARCH_SET_CPUID: u64 = 0x1012;

pub fn arch_prctl(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let code = call.arg(0) & 0xffff_ffff;
    let addr = call.arg_ulong(1);
    match phase {
        Phase::Entry => {
            out.constant(code, ARCH_PRCTL_CODES.names, ARCH_PRCTL_CODES.unknown);
            match code {
                ARCH_GET_FS | ARCH_GET_GS => return DecodeStatus::MoreAtExit,
                ARCH_GET_CPUID => {}
                ARCH_SET_CPUID => out.uint(addr),
                ARCH_SET_FS | ARCH_SET_GS => out.hex(addr),
                _ => out.hex(addr),
            }
        }
        Phase::Exit if matches!(code, ARCH_GET_FS | ARCH_GET_GS) => {
            match call.tracee().read_word(addr).filter(|_| !call.is_error()) {
                Some(value) => {
                    out.begin_array();
                    out.hex(value);
                    out.end();
                }
                None => out.pointer(addr),
            }
        }
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}
