//! Resource limits and usage: `struct rlimit` (two tracee words), `struct rlimit64`
//! (two 64-bit values) and `struct rusage` (two timevals and fourteen words).

use rtrace_sdk::kstruct::{emit_time, with_struct, Fields, Layout, TimeAbi, TimeUnit};
use rtrace_sdk::{Call, Out, PidKind};

/// One limit: `RLIM64_INFINITY`, `8192*1024` for whole KiB, else decimal.
fn limit_value(out: &mut Out<'_>, value: u64, infinity: u64, infinity_name: &'static str) {
    if value == infinity {
        out.name(infinity_name);
    } else if value > 1024 && value % 1024 == 0 {
        out.text_fmt(format_args!("{}*1024", value / 1024));
    } else {
        out.uint(value);
    }
}

fn limits(out: &mut Out<'_>, cur: u64, max: u64, infinity: u64, name: &'static str) {
    out.begin_struct();
    out.field("rlim_cur");
    limit_value(out, cur, infinity, name);
    out.field("rlim_max");
    limit_value(out, max, infinity, name);
    out.end();
}

/// A `struct rlimit64` pointer (prlimit64).
pub fn rlimit64_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    with_struct(call, out, addr, 16, |out, f| {
        limits(out, f.u64(0), f.u64(8), u64::MAX, "RLIM64_INFINITY")
    });
}

/// A native `struct rlimit` pointer (getrlimit, setrlimit): words of the tracee; a
/// 64-bit tracee's infinity is strace's `RLIM64_INFINITY`, a 32-bit one's `RLIM_INFINITY`.
pub fn rlimit_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let layout = Layout::of(call);
    let (infinity, name) = if layout.word == 8 {
        (u64::MAX, "RLIM64_INFINITY")
    } else {
        (u64::from(u32::MAX), "RLIM_INFINITY")
    };
    with_struct(call, out, addr, layout.words(2), |out, f| {
        limits(out, f.word(0), f.word(layout.word), infinity, name)
    });
}

pub fn rlimit64_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    rlimit64_at(call, out, addr);
}

pub fn rlimit64_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        rlimit64_at(call, out, addr);
    }
}

pub fn rlimit_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    rlimit_at(call, out, addr);
}

pub fn rlimit_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        rlimit_at(call, out, addr);
    }
}

/// The fields of `struct rusage` after the two times, each a `long`.
const RUSAGE_COUNTERS: [&str; 14] = [
    "ru_maxrss",
    "ru_ixrss",
    "ru_idrss",
    "ru_isrss",
    "ru_minflt",
    "ru_majflt",
    "ru_nswap",
    "ru_inblock",
    "ru_oublock",
    "ru_msgsnd",
    "ru_msgrcv",
    "ru_nsignals",
    "ru_nvcsw",
    "ru_nivcsw",
];

/// `{ru_utime={...}, ru_stime={...}, ...}`; every counter with `-v`.
pub fn rusage_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let layout = Layout::of(call);
    let verbose = call.options().verbose;
    with_struct(call, out, addr, layout.words(18), |out, f| {
        rusage_fields(out, &f, verbose)
    });
}

fn rusage_fields(out: &mut Out<'_>, f: &Fields<'_>, verbose: bool) {
    let word = f.layout.word;
    out.begin_struct();
    out.field("ru_utime");
    emit_time(out, f, 0, TimeAbi::Native, TimeUnit::Micros);
    out.field("ru_stime");
    emit_time(out, f, 2 * word, TimeAbi::Native, TimeUnit::Micros);
    if verbose {
        for (index, name) in RUSAGE_COUNTERS.iter().enumerate() {
            out.field(name);
            out.int(f.long((4 + index) * word));
        }
    } else {
        out.ellipsis();
    }
    out.end();
}

/// getrusage's output argument.
pub fn rusage_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        rusage_at(call, out, addr);
    }
}

/// `which` values of getpriority and setpriority that make `who` a process id.
const PRIO_PROCESS: u64 = 0;
const PRIO_PGRP: u64 = 1;

/// getpriority's and setpriority's `who`: a process, a process group or a user, as
/// `which` says.
pub fn priority_who(call: &mut Call<'_, '_>, out: &mut Out<'_>, _raw: u64) {
    let who = call.arg_int(1);
    match call.arg(0) & 0xffff_ffff {
        PRIO_PROCESS => out.pid(who, PidKind::Tgid),
        PRIO_PGRP => out.pid(who, PidKind::Pgid),
        _ => out.int(who),
    }
}
