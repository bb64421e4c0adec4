//! The keys plugin against strace 7.2: every add_key, request_key and keyctl line of
//! the keys fixture (a user key and a keyring in the process keyring, keyctl's
//! commands, failures), compared whole, by default, with `-v`, `-s 4` and
//! `-e verbose=none`. Key serial numbers are random per run and are replaced on
//! those lines only.

mod family_support;
mod family_varying;

use family_support::require_strace_7_2;
use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying::{self, Varying};

const KEYS_SYSCALLS: &[&str] = varying::KEY_CALLS;

/// Key serials, random per run (`varying::KEYS`).
const VARYING: &[Varying] = varying::KEYS;

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
