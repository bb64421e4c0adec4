//! The security plugin against strace 7.2: Landlock rulesets and rules (and
//! restricting the fixture itself at its end) and the LSM calls, by default, with
//! `-v`, `-s 2` and `-e verbose=none`.

mod family_support;

use family_support::{check_family, require_strace_7_2, Case};

const SECURITY_SYSCALLS: &[&str] = &[
    "landlock_create_ruleset",
    "landlock_add_rule",
    "landlock_restrict_self",
    "lsm_list_modules",
    "lsm_get_self_attr",
    "lsm_set_self_attr",
];

#[test]
fn security_family_lines_match_strace() {
    require_strace_7_2();
    let case = |options| Case {
        fixture: "security_calls",
        options,
    };
    check_family(
        "security",
        "rtrace_security",
        SECURITY_SYSCALLS,
        &[
            case(&[]),
            case(&["-v"]),
            case(&["-s", "2"]),
            case(&["-e", "verbose=none"]),
        ],
    );
}
