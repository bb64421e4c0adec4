//! prctl and arch_prctl: the option decides what the other arguments are, so each
//! option is one line of a table saying how its arguments print.

use rtrace_sdk::{Call, ConstTable, DecodeStatus, FlagTable, Out, Phase, PidKind, ReturnStyle};

use crate::flags::{
    ARCH_PRCTL_CODES, CAPABILITIES, PR_CAP_AMBIENT_OPS, PR_FP_MODES, PR_MCE_KILL_OPS,
    PR_MCE_KILL_POLICIES, PR_MDWE_FLAGS, PR_PAC_ENABLED_KEYS, PR_PAC_KEYS, PR_SCHED_CORE_OPS,
    PR_SCHED_CORE_PID_TYPES, PR_SET_MM_OPS, PR_SET_VMA_ATTRS, PR_SPEC_MISFEATURES,
    PR_SPEC_SETTINGS, PR_SPEC_STATES, PR_SYS_DISPATCH_OPS, PR_TSC, PR_UNALIGN_FLAGS, SECCOMP_MODES,
    SECURE_BITS, SUID_DUMP, XFEATURES, XFEATURE_MASKS,
};

/// How a prctl option's arguments print.
#[derive(Debug, Clone, Copy)]
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
    /// Argument 2, a named constant (`0x7 /* PR_TSC_??? */` when unknown).
    Const(&'static ConstTable),
    /// At exit, the constant stored at argument 2: `[PR_TSC_ENABLE]`.
    ConstOut(&'static ConstTable),
    /// Argument 2, flag bits with strace's default for a value with no known bit.
    Flags(&'static FlagTable, &'static str),
    /// Argument 2 a named constant, then arguments 3 to 5 in hex.
    ConstThenHex(&'static ConstTable),
    /// Argument 2 flag bits (with strace's default), then arguments 3 to 5 in hex.
    FlagsThenHex(&'static FlagTable, &'static str),
    /// PR_MCE_KILL: the operation; PR_MCE_KILL_SET's policy.
    MceKill,
    /// PR_CAP_AMBIENT: the operation; a capability for those that take one.
    CapAmbient,
    /// PR_GET_SPECULATION_CTRL's misfeature.
    SpeculationGet,
    /// PR_SET_SPECULATION_CTRL's misfeature and value.
    SpeculationSet,
    /// PR_SCHED_CORE: operation, pid, pid type, and PR_SCHED_CORE_GET's cookie at exit.
    SchedCore,
    /// PR_SET_VMA: the attribute; PR_SET_VMA_ANON_NAME's range and name.
    SetVma,
    /// PR_SET_SYSCALL_USER_DISPATCH: operation, offset and size in hex, the switch's
    /// address.
    SysDispatch,
    /// PR_PAC_SET_ENABLED_KEYS: the keys affected and the keys set, then arguments 4
    /// and 5 in hex.
    PacEnabledKeys,
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
    opt(
        6,
        "PR_SET_UNALIGN",
        Shape::Flags(PR_UNALIGN_FLAGS, "PR_UNALIGN_???"),
    )
    .arg_names(&["op", "flags"]),
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
    opt(25, "PR_GET_TSC", Shape::ConstOut(PR_TSC)).arg_names(&["op", "flag"]),
    opt(26, "PR_SET_TSC", Shape::Const(PR_TSC)).arg_names(&["op", "flag"]),
    opt(27, "PR_GET_SECUREBITS", Shape::Nothing),
    opt(
        28,
        "PR_SET_SECUREBITS",
        Shape::Flags(SECURE_BITS, "SECBIT_???"),
    )
    .arg_names(&["op", "flags"]),
    opt(29, "PR_SET_TIMERSLACK", Shape::Number).arg_names(&["op", "slack"]),
    opt(30, "PR_GET_TIMERSLACK", Shape::Nothing),
    opt(31, "PR_TASK_PERF_EVENTS_DISABLE", Shape::Nothing),
    opt(32, "PR_TASK_PERF_EVENTS_ENABLE", Shape::Nothing),
    opt(33, "PR_MCE_KILL", Shape::MceKill).arg_names(OPERATION_HEX),
    opt(34, "PR_MCE_KILL_GET", Shape::FourNumbers),
    opt(35, "PR_SET_MM", Shape::ConstThenHex(PR_SET_MM_OPS)).arg_names(OPERATION_HEX),
    opt(36, "PR_SET_CHILD_SUBREAPER", Shape::Number).arg_names(&["op", "set"]),
    opt(37, "PR_GET_CHILD_SUBREAPER", Shape::IntOut).arg_names(&["op", "isset"]),
    opt(38, "PR_SET_NO_NEW_PRIVS", Shape::FourNumbers)
        .arg_names(&["op", "set", "arg3", "arg4", "arg5"]),
    opt(39, "PR_GET_NO_NEW_PRIVS", Shape::FourNumbers),
    opt(40, "PR_GET_TID_ADDRESS", Shape::Raw).arg_names(&["op", "addr"]),
    opt(41, "PR_SET_THP_DISABLE", Shape::FourNumbers)
        .arg_names(&["op", "flag", "arg3", "arg4", "arg5"]),
    opt(42, "PR_GET_THP_DISABLE", Shape::FourNumbers),
    opt(
        45,
        "PR_SET_FP_MODE",
        Shape::Flags(PR_FP_MODES, "PR_FP_MODE_???"),
    )
    .arg_names(&["op", "mode"]),
    opt(46, "PR_GET_FP_MODE", Shape::Nothing),
    opt(47, "PR_CAP_AMBIENT", Shape::CapAmbient).arg_names(OPERATION_HEX),
    opt(50, "PR_SVE_SET_VL", Shape::Raw),
    opt(51, "PR_SVE_GET_VL", Shape::Nothing),
    opt(52, "PR_GET_SPECULATION_CTRL", Shape::SpeculationGet).arg_names(&["op", "misfeature"]),
    opt(53, "PR_SET_SPECULATION_CTRL", Shape::SpeculationSet).arg_names(&[
        "op",
        "misfeature",
        "value",
    ]),
    opt(
        54,
        "PR_PAC_RESET_KEYS",
        Shape::FlagsThenHex(PR_PAC_KEYS, "PR_PAC_???"),
    )
    .arg_names(&["op", "keys", "arg3", "arg4", "arg5"]),
    opt(55, "PR_SET_TAGGED_ADDR_CTRL", Shape::Raw),
    opt(56, "PR_GET_TAGGED_ADDR_CTRL", Shape::Raw),
    opt(57, "PR_SET_IO_FLUSHER", Shape::Raw).arg_names(&["op", "state", "arg3", "arg4", "arg5"]),
    opt(58, "PR_GET_IO_FLUSHER", Shape::Raw),
    opt(59, "PR_SET_SYSCALL_USER_DISPATCH", Shape::SysDispatch).arg_names(&[
        "op",
        "operation",
        "off",
        "size",
        "switch",
    ]),
    opt(60, "PR_PAC_SET_ENABLED_KEYS", Shape::PacEnabledKeys).arg_names(&[
        "op",
        "bitmask_affected",
        "bitmask_set",
        "arg4",
        "arg5",
    ]),
    opt(61, "PR_PAC_GET_ENABLED_KEYS", Shape::Raw),
    opt(62, "PR_SCHED_CORE", Shape::SchedCore).arg_names(&[
        "op",
        "operation",
        "pid",
        "pid_type",
        "arg5",
    ]),
    opt(
        65,
        "PR_SET_MDWE",
        Shape::FlagsThenHex(PR_MDWE_FLAGS, "PR_MDWE_???"),
    )
    .arg_names(&["op", "mask", "arg3", "arg4", "arg5"]),
    opt(66, "PR_GET_MDWE", Shape::Raw),
    opt(67, "PR_SET_MEMORY_MERGE", Shape::Raw),
    opt(68, "PR_GET_MEMORY_MERGE", Shape::Raw),
    opt(74, "PR_GET_SHADOW_STACK_STATUS", Shape::Raw),
    opt(75, "PR_SET_SHADOW_STACK_STATUS", Shape::Raw),
    opt(76, "PR_LOCK_SHADOW_STACK_STATUS", Shape::Raw),
    opt(77, "PR_TIMER_CREATE_RESTORE_IDS", Shape::Raw),
    opt(0x5356_4d41, "PR_SET_VMA", Shape::SetVma)
        .arg_names(&["op", "attr", "arg3", "arg4", "arg5"]),
];

/// The names of an option whose second argument is an operation and the rest hex.
const OPERATION_HEX: &[&str] = &["op", "operation", "arg3", "arg4", "arg5"];

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
    hex_from(call, out, 1);
}

/// Arguments `first` to 5 (counting from 0) in hex, as strace prints what it does not
/// decode.
fn hex_from(call: &Call<'_, '_>, out: &mut Out<'_>, first: usize) {
    for index in first..5 {
        out.hex(call.arg_ulong(index));
    }
}

fn mce_kill(call: &Call<'_, '_>, out: &mut Out<'_>, operation: u64) {
    const PR_MCE_KILL_SET: u64 = 1;
    out.constant_of(operation, PR_MCE_KILL_OPS);
    if operation == PR_MCE_KILL_SET {
        out.use_arg_names(&["op", "operation", "policy", "arg4", "arg5"]);
        let policy = call.arg_ulong(2);
        out.constant_of(policy, PR_MCE_KILL_POLICIES);
        hex_from(call, out, 3);
    } else {
        hex_from(call, out, 2);
    }
}

fn cap_ambient(call: &Call<'_, '_>, out: &mut Out<'_>, operation: u64) {
    out.constant_of(operation, PR_CAP_AMBIENT_OPS);
    // IS_SET, RAISE and LOWER take a capability.
    if (1..=3).contains(&operation) {
        out.use_arg_names(&["op", "operation", "caps", "arg4", "arg5"]);
        let cap = call.arg_ulong(2);
        out.constant_of(cap, CAPABILITIES);
        hex_from(call, out, 3);
    } else {
        hex_from(call, out, 2);
    }
}

fn speculation_set(call: &Call<'_, '_>, out: &mut Out<'_>, misfeature: u64) {
    out.constant_of(misfeature, PR_SPEC_MISFEATURES);
    let value = call.arg_ulong(2);
    if PR_SPEC_MISFEATURES.name(misfeature).is_some() {
        out.constant_of(value, PR_SPEC_SETTINGS);
    } else {
        out.hex(value);
    }
}

/// ` = 0x2 (PR_SPEC_ENABLE)`: the state of a known misfeature, in hex with its names
/// (none when no bit has a name).
fn speculation_state(call: &Call<'_, '_>, out: &mut Out<'_>, misfeature: u64) {
    let known = PR_SPEC_MISFEATURES.name(misfeature).is_some();
    if call.is_error() || !known {
        return;
    }
    let value = call.retval() as u64 & 0xffff_ffff;
    out.return_style(ReturnStyle::Hex);
    if value == 0 || PR_SPEC_STATES.names_a_bit(value) {
        out.return_note();
        out.flags(value, PR_SPEC_STATES);
    }
}

const PR_SCHED_CORE_GET: u64 = 0;

fn sched_core(call: &Call<'_, '_>, out: &mut Out<'_>, operation: u64) -> DecodeStatus {
    out.constant_of(operation & 0xffff_ffff, PR_SCHED_CORE_OPS);
    let pid_type = call.arg(3) & 0xffff_ffff;
    let pid = call.arg_int(2);
    match pid_type {
        0 => out.pid(pid, PidKind::Tid),
        1 => out.pid(pid, PidKind::Tgid),
        2 => out.pid(pid, PidKind::Pgid),
        3 => out.pid(pid, PidKind::Sid),
        _ => out.int(pid),
    }
    // strace shows the pid type with its value: `0 /* PIDTYPE_PID */`.
    out.verbose_constant_of(pid_type, PR_SCHED_CORE_PID_TYPES);
    if operation & 0xffff_ffff == PR_SCHED_CORE_GET {
        out.use_arg_names(&["op", "operation", "pid", "pid_type", "cookie"]);
        return DecodeStatus::MoreAtExit;
    }
    hex_from(call, out, 4);
    DecodeStatus::Complete
}

/// PR_SCHED_CORE_GET's cookie: `[0x1234]`, or the address when the call failed.
fn sched_core_cookie(call: &Call<'_, '_>, out: &mut Out<'_>) {
    let addr = call.arg_ulong(4);
    let mut raw = [0u8; 8];
    if call.is_error() || addr == 0 || !call.tracee().read_exact(addr, &mut raw) {
        out.pointer(addr);
        return;
    }
    let value = if call.big_endian() {
        u64::from_be_bytes(raw)
    } else {
        u64::from_le_bytes(raw)
    };
    out.begin_array();
    out.hex(value);
    out.end();
}

fn set_vma(call: &Call<'_, '_>, out: &mut Out<'_>, attr: u64) {
    const PR_SET_VMA_ANON_NAME: u64 = 0;
    out.constant_of(attr, PR_SET_VMA_ATTRS);
    if attr == PR_SET_VMA_ANON_NAME {
        out.use_arg_names(&["op", "attr", "addr", "size", "name"]);
        out.pointer(call.arg_ulong(2));
        out.uint(call.arg_ulong(3));
        out.cstring_at(
            call.tracee(),
            call.arg_ulong(4),
            call.options().string_limit,
        );
    } else {
        hex_from(call, out, 2);
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
                Shape::Dumpable => out.constant_of(arg2, SUID_DUMP),
                Shape::Capability => out.constant_of(arg2, CAPABILITIES),
                Shape::Seccomp => {
                    out.constant_of(arg2, SECCOMP_MODES);
                    // SECCOMP_MODE_STRICT takes nothing more, SECCOMP_MODE_FILTER a
                    // program; strace shows any other mode's arguments in hex.
                    match arg2 {
                        1 => {}
                        2 => crate::seccomp::filter_program(call, out, call.arg_ulong(2)),
                        _ => hex_from(call, out, 2),
                    }
                }
                Shape::Raw => four_hex(call, out),
                Shape::Const(table) => out.constant_of(arg2, table),
                Shape::Flags(table, unknown) => out.flags_or_unknown(arg2, table, unknown),
                Shape::ConstThenHex(table) => {
                    out.constant_of(arg2, table);
                    hex_from(call, out, 2);
                }
                Shape::FlagsThenHex(table, unknown) => {
                    out.flags_or_unknown(arg2, table, unknown);
                    hex_from(call, out, 2);
                }
                Shape::MceKill => mce_kill(call, out, arg2),
                Shape::CapAmbient => cap_ambient(call, out, arg2),
                Shape::SpeculationGet => out.constant_of(arg2, PR_SPEC_MISFEATURES),
                Shape::SpeculationSet => speculation_set(call, out, arg2),
                Shape::SchedCore => return sched_core(call, out, arg2),
                Shape::SetVma => set_vma(call, out, arg2),
                Shape::SysDispatch => {
                    out.constant_of(arg2, PR_SYS_DISPATCH_OPS);
                    out.hex(call.arg_ulong(2));
                    out.hex(call.arg_ulong(3));
                    out.pointer(call.arg_ulong(4));
                }
                Shape::PacEnabledKeys => {
                    out.flags_or_unknown(arg2, PR_PAC_ENABLED_KEYS, "PR_PAC_???");
                    out.flags_or_unknown(call.arg_ulong(2), PR_PAC_ENABLED_KEYS, "PR_PAC_???");
                    hex_from(call, out, 3);
                }
                // Output arguments: printed at exit, after the `, ` printed now.
                Shape::SignalOut | Shape::IntOut | Shape::NameOut | Shape::ConstOut(_) => {
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
                Shape::ConstOut(table) => match int_at(call, arg2) {
                    Some(value) => {
                        out.begin_array();
                        out.constant_of(value as u32 as u64, table);
                        out.end();
                    }
                    None => out.pointer(arg2),
                },
                Shape::SchedCore if arg2 & 0xffff_ffff == PR_SCHED_CORE_GET => {
                    sched_core_cookie(call, out)
                }
                Shape::SpeculationGet => speculation_state(call, out, arg2),
                _ => {}
            }
            if known.note == Note::Dumpable && !call.is_error() {
                let value = call.retval() as u64;
                if let Some(name) = SUID_DUMP.name(value) {
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
const ARCH_GET_XCOMP_SUPP: u64 = 0x1021;
const ARCH_GET_XCOMP_PERM: u64 = 0x1022;
const ARCH_REQ_XCOMP_PERM: u64 = 0x1023;
const ARCH_GET_XCOMP_GUEST_PERM: u64 = 0x1024;
const ARCH_REQ_XCOMP_GUEST_PERM: u64 = 0x1025;

/// strace shows the XFEATURE values with their number, as for `-X verbose`:
/// `0x12 /* XFEATURE_XTILE_DATA */`, `0x63 /* XFEATURE_??? */`.
fn xfeature(out: &mut Out<'_>, value: u64) {
    out.verbose_constant_of(value, XFEATURES);
}

/// A mask of XFEATUREs the same way: `0x602e7 /* XFEATURE_MASK_FPSSE|...|0x400 */`,
/// `0x100000 /* XFEATURE_MASK_??? */`, or `0`.
fn xfeature_mask(out: &mut Out<'_>, value: u64) {
    if value == 0 {
        out.hex(0);
        return;
    }
    let mut rest = value;
    let mut names = Vec::new();
    for &(bits, name) in XFEATURE_MASKS.bits {
        if rest & bits == bits {
            names.push(name.to_owned());
            rest &= !bits;
        }
    }
    if names.is_empty() {
        out.text_fmt(format_args!("{value:#x} /* XFEATURE_MASK_??? */"));
        return;
    }
    if rest != 0 {
        names.push(format!("{rest:#x}"));
    }
    out.text_fmt(format_args!("{value:#x} /* {} */", names.join("|")));
}

pub fn arch_prctl(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let code = call.arg(0) & 0xffff_ffff;
    let addr = call.arg_ulong(1);
    match phase {
        Phase::Entry => {
            out.constant_of(code, ARCH_PRCTL_CODES);
            match code {
                ARCH_GET_FS | ARCH_GET_GS => return DecodeStatus::MoreAtExit,
                ARCH_GET_XCOMP_SUPP | ARCH_GET_XCOMP_PERM | ARCH_GET_XCOMP_GUEST_PERM => {
                    return DecodeStatus::MoreAtExit
                }
                ARCH_REQ_XCOMP_PERM | ARCH_REQ_XCOMP_GUEST_PERM => {
                    xfeature(out, addr);
                    return DecodeStatus::MoreAtExit;
                }
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
        Phase::Exit
            if matches!(
                code,
                ARCH_GET_XCOMP_SUPP | ARCH_GET_XCOMP_PERM | ARCH_GET_XCOMP_GUEST_PERM
            ) =>
        {
            let mut raw = [0u8; 8];
            if call.is_error() || addr == 0 || !call.tracee().read_exact(addr, &mut raw) {
                out.pointer(addr);
            } else {
                let value = if call.big_endian() {
                    u64::from_be_bytes(raw)
                } else {
                    u64::from_le_bytes(raw)
                };
                out.begin_array();
                xfeature_mask(out, value);
                out.end();
            }
        }
        // A granted permission returns the components now allowed.
        Phase::Exit
            if matches!(code, ARCH_REQ_XCOMP_PERM | ARCH_REQ_XCOMP_GUEST_PERM)
                && call.retval() > 0 =>
        {
            let value = call.retval() as u64;
            out.return_style(ReturnStyle::Hex);
            if XFEATURE_MASKS.names_a_bit(value) {
                out.return_note();
                out.flags(value, XFEATURE_MASKS);
            }
        }
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}
