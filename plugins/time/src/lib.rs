//! rtrace's bundled `time` plugin: clocks, sleeps, POSIX and interval timers, alarm,
//! times, and the odd ones strace files nearby (getrandom, sysinfo, getcpu).
//!
//! Owns: the time family's decoder table and its constant tables. Must not know: how
//! it is loaded, ptrace, or how values are rendered; it depends on `rtrace-sdk` alone.
//! Struct layouts follow the tracee's word size (`kstruct`), so 32-bit tracees work too.

mod kernel_consts;
mod tables;
mod timex;

use rtrace_sdk::kstruct::{interval_time_at, time_at, with_struct, Layout, TimeAbi, TimeUnit};
use rtrace_sdk::{syscall, Call, DecodeStatus, Out, Phase, StrStyle, Syscall, Timestamp};

use rtrace_sdk::sigevent::sigevent_at;
use tables::{CLOCKS, GETRANDOM_FLAGS, ITIMERS, TIMER_FLAGS};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!("nanosleep", [req: Custom(timespec_in), rem: CustomAtExit(remaining)]),
    syscall!(
        "clock_nanosleep",
        [
            clockid: Const(CLOCKS),
            flags: FlagsOrUnknown(TIMER_FLAGS, "TIMER_???"),
            request: Custom(timespec_in),
            remain: CustomAtExit(remaining),
        ],
    ),
    syscall!(
        "clock_nanosleep_time64",
        [
            clockid: Const(CLOCKS),
            flags: FlagsOrUnknown(TIMER_FLAGS, "TIMER_???"),
            request: Custom(timespec_in),
            remain: CustomAtExit(remaining),
        ],
    ),
    syscall!("clock_gettime", [clockid: Const(CLOCKS), tp: CustomAtExit(timespec_out)]),
    syscall!("adjtimex", custom = timex::adjtimex, names = [buf]),
    syscall!(
        "clock_adjtime",
        custom = timex::clock_adjtime,
        names = [clockid, buf]
    ),
    syscall!(
        "clock_adjtime64",
        custom = timex::clock_adjtime,
        names = [clockid, buf]
    ),
    syscall!("clock_gettime64", [clockid: Const(CLOCKS), tp: CustomAtExit(timespec_out)]),
    syscall!("clock_getres", [clockid: Const(CLOCKS), tp: CustomAtExit(timespec_out)]),
    syscall!("clock_getres_time64", [clockid: Const(CLOCKS), tp: CustomAtExit(timespec_out)]),
    syscall!("clock_settime", [clockid: Const(CLOCKS), tp: Custom(timespec_in)]),
    syscall!("clock_settime64", [clockid: Const(CLOCKS), tp: Custom(timespec_in)]),
    syscall!("gettimeofday", [tv: CustomAtExit(timeval_out), tz: CustomAtExit(timezone_out)]),
    syscall!("settimeofday", [tv: Custom(timeval_in), tz: Custom(timezone_in)]),
    syscall!(
        "timer_create",
        [clockid: Const(CLOCKS), sevp: Custom(sigevent_at), timerid: CustomAtExit(timer_id_out)],
    ),
    syscall!(
        "timer_settime",
        [
            timerid: Int,
            flags: FlagsOrUnknown(TIMER_FLAGS, "TIMER_???"),
            new_value: Custom(itimerspec_in),
            old_value: CustomAtExit(itimerspec_out),
        ],
    ),
    syscall!(
        "timer_settime64",
        [
            timerid: Int,
            flags: FlagsOrUnknown(TIMER_FLAGS, "TIMER_???"),
            new_value: Custom(itimerspec_in),
            old_value: CustomAtExit(itimerspec_out),
        ],
    ),
    syscall!("timer_gettime", [timerid: Int, curr_value: CustomAtExit(itimerspec_out)]),
    syscall!("timer_gettime64", [timerid: Int, curr_value: CustomAtExit(itimerspec_out)]),
    syscall!("timer_getoverrun", [Int]),
    syscall!("timer_delete", [timerid: Int]),
    syscall!(
        "setitimer",
        [
            which: Const(ITIMERS),
            new_value: Custom(itimerval_in),
            old_value: CustomAtExit(itimerval_out),
        ],
    ),
    syscall!("getitimer", [which: Const(ITIMERS), curr_value: CustomAtExit(itimerval_out)]),
    syscall!("alarm", [seconds: Uint]),
    syscall!("time", custom = time, names = [tloc]),
    // strace decodes stime as time (sys_stime is its sys_time).
    syscall!("stime", [tloc: CustomAtExit(stime_value)]),
    syscall!("times", [buf: CustomAtExit(tms_out)]),
    syscall!(
        "getrandom",
        [
            buf: CustomAtExit(random_bytes),
            buflen: Size,
            flags: FlagsOrUnknown(GETRANDOM_FLAGS, "GRND_???"),
        ],
    ),
    syscall!("sysinfo", [info: CustomAtExit(sysinfo_out)]),
    syscall!("getcpu", [cpu: CustomAtExit(uint_out), node: CustomAtExit(uint_out), tcache: Ptr]),
];

rtrace_sdk::export_plugin! {
    name: "time",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}

/// An output pointer of a call that failed was not filled: strace shows its address.
fn failed_output(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) -> bool {
    if call.is_error() {
        out.pointer(addr);
        return true;
    }
    false
}

fn timespec_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    time_at(call, out, addr, TimeAbi::of(call), TimeUnit::Nanos);
}

fn timespec_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if !failed_output(call, out, addr) {
        timespec_in(call, out, addr);
    }
}

/// errno values (and the kernel's restart codes) after which a sleep's remaining
/// time was written: EINTR, ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND,
/// ERESTART_RESTARTBLOCK.
const INTERRUPTED: &[i64] = &[4, 512, 513, 514, 516];

/// A sleep's `rem`: filled only when the sleep was interrupted, else its address.
fn remaining(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() && INTERRUPTED.contains(&-call.retval()) {
        timespec_in(call, out, addr);
    } else {
        out.pointer(addr);
    }
}

fn timeval_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    time_at(call, out, addr, TimeAbi::Native, TimeUnit::Micros);
}

fn timeval_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if !failed_output(call, out, addr) {
        timeval_in(call, out, addr);
    }
}

/// `struct timezone`: two ints.
fn timezone_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    with_struct(call, out, addr, 8, |out, f| {
        out.structure(|out| {
            out.field("tz_minuteswest");
            out.int(f.i32(0));
            out.field("tz_dsttime");
            out.int(f.i32(4));
        })
    });
}

fn timezone_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if !failed_output(call, out, addr) {
        timezone_in(call, out, addr);
    }
}

fn itimerspec_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    interval_time_at(call, out, addr, TimeAbi::of(call), TimeUnit::Nanos);
}

fn itimerspec_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if !failed_output(call, out, addr) {
        itimerspec_in(call, out, addr);
    }
}

fn itimerval_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    interval_time_at(call, out, addr, TimeAbi::Native, TimeUnit::Micros);
}

fn itimerval_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if !failed_output(call, out, addr) {
        itimerval_in(call, out, addr);
    }
}

/// `[N]`: an `int` or `unsigned int` the kernel writes (a timer id, getcpu's cpu).
fn uint_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if failed_output(call, out, addr) {
        return;
    }
    with_struct(call, out, addr, 4, |out, f| {
        out.array(|out| out.uint(f.u32(0)))
    });
}

fn timer_id_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if failed_output(call, out, addr) {
        return;
    }
    with_struct(call, out, addr, 4, |out, f| {
        out.array(|out| out.int(f.i32(0)))
    });
}

/// time(tloc): the `time_t` written (`[1795757913 /* 2026-11-27T05:38:33+0000 */]`)
/// and the same calendar time as a note after the return value.
fn time(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        return DecodeStatus::MoreAtExit;
    }
    let addr = call.arg_ulong(0);
    if !failed_output(call, out, addr) {
        let layout = Layout::of(call);
        with_struct(call, out, addr, layout.word, |out, f| {
            out.array(|out| {
                let sec = f.long(0);
                out.text_fmt(format_args!("{sec}{}", Timestamp::new(sec, 0).comment()))
            })
        });
    }
    // strace names no date for the epoch itself (its sprinttime gives none for 0).
    if !call.is_error() && call.retval() != 0 {
        out.return_note();
        out.text_fmt(format_args!("{}", Timestamp::new(call.retval(), 0)));
    }
    DecodeStatus::Complete
}

/// stime's time_t, shown at exit as strace does (sys_stime is its sys_time).
fn stime_value(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if failed_output(call, out, addr) {
        return;
    }
    let layout = Layout::of(call);
    with_struct(call, out, addr, layout.word, |out, f| {
        out.array(|out| {
            let sec = f.long(0);
            out.text_fmt(format_args!("{sec}{}", Timestamp::new(sec, 0).comment()))
        })
    });
}

/// `struct tms`: four `clock_t` (longs).
fn tms_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if failed_output(call, out, addr) {
        return;
    }
    let layout = Layout::of(call);
    with_struct(call, out, addr, layout.words(4), |out, f| {
        out.structure(|out| {
            for (i, name) in ["tms_utime", "tms_stime", "tms_cutime", "tms_cstime"]
                .into_iter()
                .enumerate()
            {
                out.field(name);
                out.clock_ticks(f.word(layout.words(i)));
            }
        })
    });
}

/// getrandom's buffer, in hex as strace prints it, up to the count returned.
fn random_bytes(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if failed_output(call, out, addr) {
        return;
    }
    let len = call.retval().max(0) as usize;
    let limit = len.min(rtrace_sdk::shown_bytes(call.options().string_limit) as usize);
    let mut buf = vec![0u8; limit];
    // A data buffer, not a structure: shown even when `-e verbose=` excludes the call.
    if call.tracee().read_data_exact(addr, &mut buf) {
        out.bytes(&buf, limit < len, StrStyle::Hex);
    } else {
        out.pointer(addr);
    }
}

/// `struct sysinfo`: longs, three load averages, then a short and an int.
fn sysinfo_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if failed_output(call, out, addr) {
        return;
    }
    let layout = Layout::of(call);
    let w = |n: usize| layout.words(n);
    with_struct(call, out, addr, w(14), |out, f| {
        out.begin_struct();
        out.field("uptime");
        out.int(f.long(0));
        out.field("loads");
        out.array(|out| {
            for i in 1..=3 {
                out.uint(f.word(w(i)));
            }
        });
        let counters = [
            ("totalram", 4),
            ("freeram", 5),
            ("sharedram", 6),
            ("bufferram", 7),
            ("totalswap", 8),
            ("freeswap", 9),
        ];
        for (name, index) in counters {
            out.field(name);
            out.uint(f.word(w(index)));
        }
        out.field("procs");
        out.uint(f.u16(w(10)));
        out.field("totalhigh");
        out.uint(f.word(w(11)));
        out.field("freehigh");
        out.uint(f.word(w(12)));
        out.field("mem_unit");
        out.uint(f.u32(w(13)));
        out.end();
    });
}
