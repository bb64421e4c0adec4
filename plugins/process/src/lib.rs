//! rtrace's bundled `process` plugin: processes and threads (clone, fork, exec,
//! wait, exit), their ids and credentials, signals sent to them, limits and usage,
//! prctl, scheduling affinity and priority, capabilities, sessions and namespaces.
//!
//! Owns: the process family's decoder table, its flag tables and its custom
//! decoders. Must not know: how it is loaded, ptrace, or how its values are
//! rendered; it depends on `rtrace-sdk` alone. Structs whose layout depends on the
//! word size (rusage, rlimit, siginfo) are read with the tracee's word size.

pub mod capabilities;
pub mod clone;
pub mod compare;
pub mod cpu_sets;
pub mod exec;
pub mod flags;
pub mod ids;
pub mod prctl;
pub mod ptrace;
pub mod resource;
pub mod robust_list;
pub mod rseq;
pub mod seccomp;
pub mod uname_personality;
pub mod user_desc;
pub mod wait;

use rtrace_sdk::{syscall, Syscall};

use capabilities::{cap_data_in, cap_data_out, cap_header};
use clone::{clone, clone3};
use cpu_sets::{cpu_set_in, cpu_set_out};
use exec::{execve, execveat};
use flags::{PRIORITY_WHICH, RLIMIT_RESOURCES, RUSAGE_WHO, UNSHARE_FLAGS};
use ids::{group_list_in, group_list_out, id, id_out};
use prctl::{arch_prctl, prctl};
use resource::{rlimit64_in, rlimit64_out, rlimit_in, rlimit_out, rusage_out};
use robust_list::word_out;
use rseq::rseq;
use rtrace_sdk::shared_flags::NAMESPACE_TYPES;
use seccomp::seccomp;
use uname_personality::{personality, utsname_out};
use user_desc::{get_thread_area, modify_ldt, set_thread_area};
use wait::{wait4, waitid};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    // Programs, children, threads.
    syscall!("execve", custom = execve),
    syscall!("execveat", custom = execveat),
    syscall!("clone", custom = clone),
    syscall!("clone3", custom = clone3),
    syscall!("fork", []),
    syscall!("vfork", []),
    syscall!("wait4", custom = wait4),
    syscall!("waitpid", custom = wait4),
    syscall!("waitid", custom = waitid),
    syscall!("exit", [Int]),
    syscall!("exit_group", [Int]),
    syscall!("set_tid_address", [Ptr]),
    syscall!("set_robust_list", [Ptr, Size]),
    syscall!(
        "get_robust_list",
        [Int, CustomAtExit(word_out), CustomAtExit(word_out)]
    ),
    syscall!("rseq", custom = rseq),
    syscall!("ptrace", custom = ptrace::ptrace),
    syscall!("unshare", [FlagsOrUnknown(UNSHARE_FLAGS, "CLONE_???")]),
    syscall!("setns", [Fd, Const(NAMESPACE_TYPES)]),
    syscall!("kcmp", custom = compare::kcmp),
    syscall!("pidfd_getfd", custom = compare::pidfd_getfd),
    // Ids.
    syscall!("getpid", []),
    syscall!("getppid", []),
    syscall!("gettid", []),
    syscall!("getpgrp", []),
    syscall!("setsid", []),
    syscall!("getsid", [Int]),
    syscall!("setpgid", [Int, Int]),
    syscall!("getpgid", [Int]),
    // Signals sent to processes and threads.
    syscall!("kill", [Int, Signal]),
    syscall!("tkill", [Int, Signal]),
    syscall!("tgkill", [Int, Int, Signal]),
    // Control.
    syscall!("prctl", custom = prctl),
    syscall!("arch_prctl", custom = arch_prctl),
    // 32-bit x86's TLS descriptors.
    syscall!("set_thread_area", custom = set_thread_area),
    syscall!("get_thread_area", custom = get_thread_area),
    syscall!("modify_ldt", custom = modify_ldt),
    syscall!("personality", custom = personality),
    syscall!("seccomp", custom = seccomp),
    syscall!("chroot", [Path]),
    syscall!("uname", [CustomAtExit(utsname_out)]),
    // Limits and usage.
    syscall!(
        "prlimit64",
        [
            Int,
            Const(RLIMIT_RESOURCES),
            Custom(rlimit64_in),
            CustomAtExit(rlimit64_out)
        ]
    ),
    syscall!(
        "getrlimit",
        [Const(RLIMIT_RESOURCES), CustomAtExit(rlimit_out)]
    ),
    syscall!(
        "ugetrlimit",
        [Const(RLIMIT_RESOURCES), CustomAtExit(rlimit_out)]
    ),
    syscall!("setrlimit", [Const(RLIMIT_RESOURCES), Custom(rlimit_in)]),
    syscall!("getrusage", [Const(RUSAGE_WHO), CustomAtExit(rusage_out)]),
    // Scheduling.
    syscall!("sched_getaffinity", [Int, Size, CustomAtExit(cpu_set_out)]),
    syscall!("sched_setaffinity", [Int, Size, Custom(cpu_set_in)]),
    syscall!("sched_yield", []),
    syscall!("getpriority", [Const(PRIORITY_WHICH), Int]),
    syscall!("nice", [Int]),
    syscall!("setpriority", [Const(PRIORITY_WHICH), Int, Int]),
    // Credentials (the `*32` names are ARM's and i386's 32-bit-id calls).
    syscall!("getuid", []),
    syscall!("geteuid", []),
    syscall!("getgid", []),
    syscall!("getegid", []),
    syscall!("getuid32", []),
    syscall!("geteuid32", []),
    syscall!("getgid32", []),
    syscall!("getegid32", []),
    syscall!("setuid", [Custom(id)]),
    syscall!("setgid", [Custom(id)]),
    syscall!("setfsuid", [Custom(id)]),
    syscall!("setfsgid", [Custom(id)]),
    syscall!("setuid32", [Custom(id)]),
    syscall!("setgid32", [Custom(id)]),
    syscall!("setfsuid32", [Custom(id)]),
    syscall!("setfsgid32", [Custom(id)]),
    syscall!("setreuid", [Custom(id), Custom(id)]),
    syscall!("setregid", [Custom(id), Custom(id)]),
    syscall!("setreuid32", [Custom(id), Custom(id)]),
    syscall!("setregid32", [Custom(id), Custom(id)]),
    syscall!("setresuid", [Custom(id), Custom(id), Custom(id)]),
    syscall!("setresgid", [Custom(id), Custom(id), Custom(id)]),
    syscall!("setresuid32", [Custom(id), Custom(id), Custom(id)]),
    syscall!("setresgid32", [Custom(id), Custom(id), Custom(id)]),
    syscall!(
        "getresuid",
        [
            CustomAtExit(id_out),
            CustomAtExit(id_out),
            CustomAtExit(id_out)
        ]
    ),
    syscall!(
        "getresgid",
        [
            CustomAtExit(id_out),
            CustomAtExit(id_out),
            CustomAtExit(id_out)
        ]
    ),
    syscall!(
        "getresuid32",
        [
            CustomAtExit(id_out),
            CustomAtExit(id_out),
            CustomAtExit(id_out)
        ]
    ),
    syscall!(
        "getresgid32",
        [
            CustomAtExit(id_out),
            CustomAtExit(id_out),
            CustomAtExit(id_out)
        ]
    ),
    syscall!("setgroups", [Int, Custom(group_list_in)]),
    syscall!("getgroups", [Int, CustomAtExit(group_list_out)]),
    syscall!("setgroups32", [Int, Custom(group_list_in)]),
    syscall!("getgroups32", [Int, CustomAtExit(group_list_out)]),
    syscall!("capget", [Custom(cap_header), CustomAtExit(cap_data_out)]),
    syscall!("capset", [Custom(cap_header), Custom(cap_data_in)]),
];

rtrace_sdk::export_plugin! {
    name: "process",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
