//! The sysadmin plugin against strace 7.2: reboot, modules, swap, host and domain
//! names, quotactl, kexec, syslog, acct, ioperm, iopl and lookup_dcookie, each
//! made so that it changes nothing (see the fixture), by default, with `-v`,
//! `-s 3` and `-e verbose=none`.

mod family_support;

use family_support::{check_family, require_strace_7_2, Case};

const SYSADMIN_SYSCALLS: &[&str] = &[
    "reboot",
    "init_module",
    "finit_module",
    "delete_module",
    "swapon",
    "swapoff",
    "sethostname",
    "setdomainname",
    "quotactl",
    "quotactl_fd",
    "kexec_load",
    "kexec_file_load",
    "syslog",
    "acct",
    "ioperm",
    "iopl",
    "lookup_dcookie",
    "sysfs",
    "create_module",
    "get_kernel_syms",
    "query_module",
    "nfsservctl",
    "_sysctl",
];

#[test]
fn sysadmin_family_lines_match_strace() {
    require_strace_7_2();
    let case = |options| Case {
        fixture: "sysadmin_calls",
        options,
    };
    check_family(
        "sysadmin",
        "rtrace_sysadmin",
        SYSADMIN_SYSCALLS,
        &[
            case(&[]),
            case(&["-v"]),
            case(&["-s", "3"]),
            case(&["-e", "verbose=none"]),
        ],
    );
}
