//! The time plugin against strace 6.1: every line of a time-family syscall in the time
//! fixture's trace, compared whole, by default, with `-v`, `-s 5`, `-xx` and `-e
//! verbose=none`. Clock readings (and time(2)'s calendar comments), the time left on
//! timers, times(2)'s tick count, sysinfo's counters and getcpu's cpu change run to run
//! and are replaced on those lines only.

mod family_support;
mod family_varying;

use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying;

/// The syscalls the time plugin decodes (those x86_64 has).
const TIME_SYSCALLS: &[&str] = &[
    "nanosleep",
    "clock_nanosleep",
    "clock_gettime",
    "clock_getres",
    "clock_settime",
    "gettimeofday",
    "settimeofday",
    "timer_create",
    "timer_settime",
    "timer_gettime",
    "timer_getoverrun",
    "timer_delete",
    "setitimer",
    "getitimer",
    "alarm",
    "time",
    "times",
    "getrandom",
    "sysinfo",
    "getcpu",
];

#[test]
fn time_family_lines_match_strace() {
    let runs = [
        Run {
            label: "time_calls",
            options: &[],
            command: |dir| fixture_in_dir("time_calls", dir),
        },
        Run {
            label: "time_calls",
            options: &["-v"],
            command: |dir| fixture_in_dir("time_calls", dir),
        },
        Run {
            label: "time_calls",
            options: &["-s", "5"],
            command: |dir| fixture_in_dir("time_calls", dir),
        },
        Run {
            label: "time_calls",
            options: &["-xx"],
            command: |dir| fixture_in_dir("time_calls", dir),
        },
        Run {
            label: "time_calls",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("time_calls", dir),
        },
    ];
    check_varying_family("time", "rtrace_time", TIME_SYSCALLS, varying::TIME, &runs);
}
