//! ptrace (the process plugin) against strace 7.2, from a tracer's side: a child
//! asks to be traced, is peeked and poked, has its options set and is let go, and
//! requests fail on bad pids, pointers and requests; by default, with `-v` and
//! with `-e verbose=none`. The child's pid is this run's.

mod family_support;
mod family_varying;

use family_support::require_strace_7_2;
use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying::Varying;

const VARYING: &[Varying] = &[Varying {
    calls: &["ptrace"],
    // The harness already replaced an unknown request's number by PID (it takes
    // ptrace's first argument for a pid), hence the PID form.
    pattern: r"^ptrace\(([A-Z_]+|(?:PID|0x[0-9a-f]+) /\* PTRACE_\?\?\? \*/), \d+",
    replacement: "ptrace($1, PID",
}];

#[test]
fn ptrace_lines_match_strace() {
    require_strace_7_2();
    let runs = [
        Run {
            label: "ptrace_calls",
            options: &[],
            command: |dir| fixture_in_dir("ptrace_calls", dir),
        },
        Run {
            label: "ptrace_calls",
            options: &["-v"],
            command: |dir| fixture_in_dir("ptrace_calls", dir),
        },
        Run {
            label: "ptrace_calls",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("ptrace_calls", dir),
        },
    ];
    check_varying_family("ptrace", "rtrace_process", &["ptrace"], VARYING, &runs);
}
