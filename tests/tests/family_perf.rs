//! The perf plugin against strace 7.2: perf_event_open with software and hardware
//! counters (struct perf_event_attr, abbreviated and with `-v`), and bpf with maps
//! (create, update, look up, iterate, delete), a program load with its log, id
//! iteration and failures, by default, with `-v`, `-s 8` and `-e verbose=none`.
//! BPF map ids are handed out system-wide and differ run to run; they are
//! replaced on the bpf lines only.

mod family_support;
mod family_varying;

use family_support::require_strace_7_2;
use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying::Varying;

const PERF_SYSCALLS: &[&str] = &["perf_event_open", "bpf"];

const VARYING: &[Varying] = &[Varying {
    calls: &["bpf"],
    pattern: r"next_id=\d+",
    replacement: "next_id=ID",
}];

#[test]
fn perf_family_lines_match_strace() {
    require_strace_7_2();
    let runs = [
        Run {
            label: "perf_bpf",
            options: &[],
            command: |dir| fixture_in_dir("perf_bpf", dir),
        },
        Run {
            label: "perf_bpf",
            options: &["-v"],
            command: |dir| fixture_in_dir("perf_bpf", dir),
        },
        Run {
            label: "perf_bpf",
            options: &["-s", "8"],
            command: |dir| fixture_in_dir("perf_bpf", dir),
        },
        Run {
            label: "perf_bpf",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("perf_bpf", dir),
        },
    ];
    check_varying_family("perf", "rtrace_perf", PERF_SYSCALLS, VARYING, &runs);
}
