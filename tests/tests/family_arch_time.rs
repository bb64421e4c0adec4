//! Clock adjustment queries (the time plugin's adjtimex and clock_adjtime, asked
//! to change nothing) and x86 segment descriptors (the process plugin's
//! modify_ldt, set_thread_area and get_thread_area) against strace 7.2, by
//! default, with `-v` and with `-e verbose=none`. The clock's current time and
//! error estimates move between two runs and are replaced on those lines only.

mod family_support;
mod family_varying;

use family_support::require_strace_7_2;
use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying::Varying;

const ARCH_TIME_SYSCALLS: &[&str] = &[
    "adjtimex",
    "clock_adjtime",
    "modify_ldt",
    "set_thread_area",
    "get_thread_area",
];

const VARYING: &[Varying] = &[
    Varying {
        calls: &["adjtimex", "clock_adjtime"],
        pattern: r"time=\{tv_sec=\d+, tv_usec=\d+\}",
        replacement: "time={tv_sec=N, tv_usec=N}",
    },
    Varying {
        calls: &["adjtimex", "clock_adjtime"],
        pattern: r"(maxerror|esterror)=\d+",
        replacement: "$1=N",
    },
];

#[test]
fn arch_time_lines_match_strace() {
    require_strace_7_2();
    let runs = [
        Run {
            label: "arch_time_calls",
            options: &[],
            command: |dir| fixture_in_dir("arch_time_calls", dir),
        },
        Run {
            label: "arch_time_calls",
            options: &["-v"],
            command: |dir| fixture_in_dir("arch_time_calls", dir),
        },
        Run {
            label: "arch_time_calls",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("arch_time_calls", dir),
        },
    ];
    check_varying_family(
        "arch_time",
        "rtrace_time",
        ARCH_TIME_SYSCALLS,
        VARYING,
        &runs,
    );
}
