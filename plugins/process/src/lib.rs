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
mod kernel_consts;
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
use resource::{priority_who, rlimit64_in, rlimit64_out, rlimit_in, rlimit_out, rusage_out};
use robust_list::word_out;
use rseq::rseq;
use rtrace_sdk::shared_flags::NAMESPACE_TYPE_FLAGS;
use seccomp::seccomp;
use uname_personality::{personality, utsname_out};
use user_desc::{get_thread_area, modify_ldt, set_thread_area};
use wait::{wait4, waitid};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    // Programs, children, threads.
    syscall!("execve", custom = execve, names = [pathname, argv, envp]),
    syscall!(
        "execveat",
        custom = execveat,
        names = [dirfd, pathname, argv, envp, flags]
    ),
    syscall!(
        "clone",
        // clone labels its arguments itself, with or without -N, as strace does.
        custom = clone
    ),
    syscall!("clone3", custom = clone3, names = [cl_args, size]),
    syscall!("fork", [], ret = Pid),
    syscall!("vfork", [], ret = Pid),
    syscall!(
        "wait4",
        custom = wait4,
        names = [pid, status, options, usage]
    ),
    syscall!("waitpid", custom = wait4, names = [pid, status, options]),
    syscall!(
        "waitid",
        custom = waitid,
        names = [idtype, id, siginfo, options, usage]
    ),
    syscall!("exit", [status: Int]),
    syscall!("exit_group", [status: Int]),
    syscall!("set_tid_address", [tidptr: Ptr], ret = Tid),
    syscall!("set_robust_list", [addr: Ptr, length: Size]),
    syscall!(
        "get_robust_list",
        [pid: Tid, head_ptr: CustomAtExit(word_out), len_ptr: CustomAtExit(word_out)],
    ),
    syscall!("rseq", custom = rseq, names = [rseq, rseq_len, flags, sig]),
    syscall!("ptrace", custom = ptrace::ptrace),
    syscall!("unshare", [flags: FlagsOrUnknown(UNSHARE_FLAGS, "CLONE_???")]),
    syscall!("setns", [fd: Fd, nstype: FlagsOrUnknown(NAMESPACE_TYPE_FLAGS, "CLONE_NEW???")]),
    syscall!("kcmp", custom = compare::kcmp, names = [pid1, pid2, type, idx1, idx2]),
    syscall!(
        "pidfd_getfd",
        custom = compare::pidfd_getfd,
        names = [pidfd, targetfd, flags]
    ),
    // Ids.
    syscall!("getpid", [], ret = Pid),
    syscall!("getppid", [], ret = Pid),
    syscall!("gettid", [], ret = Tid),
    syscall!("getpgrp", [], ret = Pgid),
    // strace prints setsid's result as a plain number.
    syscall!("setsid", []),
    syscall!("getsid", [pid: Pid], ret = Sid),
    syscall!("setpgid", [pid: Pid, pgid: Pgid]),
    syscall!("getpgid", [pid: Pid], ret = Pgid),
    // Signals sent to processes and threads.
    syscall!("kill", [pid: PidOrPgid, signum: Signal]),
    syscall!("tkill", [tid: Tid, signum: Signal]),
    syscall!("tgkill", [tgid: Pid, tid: Tid, signum: Signal]),
    // Control.
    syscall!("prctl", custom = prctl),
    syscall!("arch_prctl", custom = arch_prctl, names = [op, addr]),
    // 32-bit x86's TLS descriptors.
    syscall!(
        "set_thread_area",
        custom = set_thread_area,
        names = [u_info]
    ),
    syscall!(
        "get_thread_area",
        custom = get_thread_area,
        names = [u_info]
    ),
    syscall!(
        "modify_ldt",
        custom = modify_ldt,
        names = [func, ptr, bytecount]
    ),
    syscall!("personality", custom = personality, names = [persona]),
    syscall!(
        "seccomp",
        custom = seccomp,
        names = [operation, flags, args]
    ),
    syscall!("chroot", [path: Path]),
    syscall!("uname", [buf: CustomAtExit(utsname_out)]),
    // Limits and usage.
    syscall!(
        "prlimit64",
        [
            pid: Pid,
            resource: Const(RLIMIT_RESOURCES),
            new_limit: Custom(rlimit64_in),
            old_limit: CustomAtExit(rlimit64_out),
        ],
    ),
    syscall!("getrlimit", [resource: Const(RLIMIT_RESOURCES), rlim: CustomAtExit(rlimit_out)]),
    syscall!("ugetrlimit", [resource: Const(RLIMIT_RESOURCES), rlim: CustomAtExit(rlimit_out)]),
    syscall!("setrlimit", [resource: Const(RLIMIT_RESOURCES), rlim: Custom(rlimit_in)]),
    syscall!("getrusage", [who: Const(RUSAGE_WHO), usage: CustomAtExit(rusage_out)]),
    // Scheduling.
    syscall!("sched_getaffinity", [pid: Pid, cpusetsize: Size, mask: CustomAtExit(cpu_set_out)]),
    syscall!("sched_setaffinity", [pid: Pid, cpusetsize: Size, mask: Custom(cpu_set_in)]),
    syscall!("sched_yield", []),
    syscall!("getpriority", [which: Const(PRIORITY_WHICH), who: Custom(priority_who)]),
    syscall!("nice", [increment: Int]),
    syscall!("setpriority", [which: Const(PRIORITY_WHICH), who: Custom(priority_who), prio: Int]),
    // Credentials (the `*32` names are ARM's and i386's 32-bit-id calls).
    syscall!("getuid", []),
    syscall!("geteuid", []),
    syscall!("getgid", []),
    syscall!("getegid", []),
    syscall!("getuid32", []),
    syscall!("geteuid32", []),
    syscall!("getgid32", []),
    syscall!("getegid32", []),
    syscall!("setuid", [uid: Custom(id)]),
    syscall!("setgid", [uid: Custom(id)]),
    syscall!("setfsuid", [fsuid: Custom(id)]),
    syscall!("setfsgid", [fsuid: Custom(id)]),
    syscall!("setuid32", [uid: Custom(id)]),
    syscall!("setgid32", [uid: Custom(id)]),
    syscall!("setfsuid32", [fsuid: Custom(id)]),
    syscall!("setfsgid32", [fsuid: Custom(id)]),
    syscall!("setreuid", [ruid: Custom(id), euid: Custom(id)]),
    syscall!("setregid", [ruid: Custom(id), euid: Custom(id)]),
    syscall!("setreuid32", [ruid: Custom(id), euid: Custom(id)]),
    syscall!("setregid32", [ruid: Custom(id), euid: Custom(id)]),
    syscall!("setresuid", [ruid: Custom(id), euid: Custom(id), suid: Custom(id)]),
    syscall!("setresgid", [ruid: Custom(id), euid: Custom(id), suid: Custom(id)]),
    syscall!("setresuid32", [ruid: Custom(id), euid: Custom(id), suid: Custom(id)]),
    syscall!("setresgid32", [ruid: Custom(id), euid: Custom(id), suid: Custom(id)]),
    syscall!(
        "getresuid",
        [ruid: CustomAtExit(id_out), euid: CustomAtExit(id_out), suid: CustomAtExit(id_out)],
    ),
    syscall!(
        "getresgid",
        [ruid: CustomAtExit(id_out), euid: CustomAtExit(id_out), suid: CustomAtExit(id_out)],
    ),
    syscall!(
        "getresuid32",
        [ruid: CustomAtExit(id_out), euid: CustomAtExit(id_out), suid: CustomAtExit(id_out)],
    ),
    syscall!(
        "getresgid32",
        [ruid: CustomAtExit(id_out), euid: CustomAtExit(id_out), suid: CustomAtExit(id_out)],
    ),
    syscall!("setgroups", [size: Int, list: Custom(group_list_in)]),
    syscall!("getgroups", [size: Int, list: CustomAtExit(group_list_out)]),
    syscall!("setgroups32", [size: Int, list: Custom(group_list_in)]),
    syscall!("getgroups32", [size: Int, list: CustomAtExit(group_list_out)]),
    syscall!("capget", [hdrp: Custom(cap_header), datap: CustomAtExit(cap_data_out)]),
    syscall!("capset", [hdrp: Custom(cap_header), datap: Custom(cap_data_in)]),
];

rtrace_sdk::export_plugin! {
    name: "process",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
