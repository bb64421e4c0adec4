//! The process plugin against strace 6.1: every line of a process-family syscall in
//! the fixtures' traces, compared whole, default and with `-v` and `-s 5`, children
//! and threads followed with `-f`.

mod family_support;

use family_support::{check_family, Case};

/// The syscalls the process plugin decodes (those x86_64 has).
const PROCESS_SYSCALLS: &[&str] = &[
    "execve",
    "execveat",
    "clone",
    "clone3",
    "fork",
    "vfork",
    "wait4",
    "waitid",
    "exit",
    "exit_group",
    "set_tid_address",
    "set_robust_list",
    "get_robust_list",
    "rseq",
    "unshare",
    "setns",
    "getpid",
    "getppid",
    "gettid",
    "getpgrp",
    "setsid",
    "getsid",
    "setpgid",
    "getpgid",
    "kill",
    "tkill",
    "tgkill",
    "prctl",
    "arch_prctl",
    "personality",
    "seccomp",
    "chroot",
    "uname",
    "prlimit64",
    "getrlimit",
    "setrlimit",
    "getrusage",
    "sched_getaffinity",
    "sched_setaffinity",
    "sched_yield",
    "getpriority",
    "setpriority",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "setuid",
    "setgid",
    "setfsuid",
    "setfsgid",
    "setreuid",
    "setregid",
    "setresuid",
    "setresgid",
    "getresuid",
    "getresgid",
    "setgroups",
    "getgroups",
    "capget",
    "capset",
];

#[test]
fn process_family_lines_match_strace() {
    check_family(
        "process",
        "rtrace_process",
        PROCESS_SYSCALLS,
        &[
            Case {
                fixture: "process_ops",
                options: &[],
            },
            Case {
                fixture: "process_ops",
                options: &["-v"],
            },
            Case {
                fixture: "process_ops",
                options: &["-s", "5"],
            },
            Case {
                fixture: "process_children",
                options: &["-f"],
            },
            Case {
                fixture: "process_children",
                options: &["-f", "-v", "-s", "3"],
            },
        ],
    );
}
