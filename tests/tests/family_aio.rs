//! The aio plugin against strace 7.2: Linux AIO (a context, writes, reads,
//! vectored writes, fsync and poll requests reaped one at a time, cancelling,
//! io_pgetevents with a signal mask) and io_uring (setup with and without
//! parameters, enter, register), in a private directory, by default, with `-v`,
//! `-s 4` and `-e verbose=none`.

mod family_support;
mod family_varying;

use family_support::require_strace_7_2;
use family_varying::{check_varying_family, fixture_in_dir, Run};

const AIO_SYSCALLS: &[&str] = &[
    "io_setup",
    "io_destroy",
    "io_submit",
    "io_cancel",
    "io_getevents",
    "io_pgetevents",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
];

#[test]
fn aio_family_lines_match_strace() {
    require_strace_7_2();
    let runs = [
        Run {
            label: "aio_calls",
            options: &[],
            command: |dir| fixture_in_dir("aio_calls", dir),
        },
        Run {
            label: "aio_calls",
            options: &["-v"],
            command: |dir| fixture_in_dir("aio_calls", dir),
        },
        Run {
            label: "aio_calls",
            options: &["-s", "4"],
            command: |dir| fixture_in_dir("aio_calls", dir),
        },
        Run {
            label: "aio_calls",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("aio_calls", dir),
        },
    ];
    check_varying_family("aio", "rtrace_aio", AIO_SYSCALLS, &[], &runs);
}
