//! The keys plugin against strace 7.2: every add_key, request_key and keyctl line of
//! the keys fixture (a user key and a keyring in the process keyring, keyctl's
//! commands, failures), compared whole, by default, with `-v`, `-s 4` and
//! `-e verbose=none`. Key serial numbers are random per run and are replaced on
//! those lines only.

mod family_support;
mod family_varying;

use family_support::require_strace_7_2;
use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying::Varying;

const KEYS_SYSCALLS: &[&str] = &["add_key", "request_key", "keyctl"];

/// Key serials are random 31-bit numbers (at least 3): four digits or more, in
/// decimal. Smaller numbers in these lines (lengths, timeouts) are replaced on both
/// sides alike.
const VARYING: &[Varying] = &[Varying {
    calls: KEYS_SYSCALLS,
    pattern: r"\b\d{4,}\b",
    replacement: "SERIAL",
}];

#[test]
fn keys_family_lines_match_strace() {
    require_strace_7_2();
    let runs = [
        Run {
            label: "keys_calls",
            options: &[],
            command: |dir| fixture_in_dir("keys_calls", dir),
        },
        Run {
            label: "keys_calls",
            options: &["-v"],
            command: |dir| fixture_in_dir("keys_calls", dir),
        },
        Run {
            label: "keys_calls",
            options: &["-s", "4"],
            command: |dir| fixture_in_dir("keys_calls", dir),
        },
        Run {
            label: "keys_calls",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("keys_calls", dir),
        },
    ];
    check_varying_family("keys", "rtrace_keys", KEYS_SYSCALLS, VARYING, &runs);
}
