//! rtrace's bundled `sysadmin` plugin: the calls that administer the system —
//! reboot, kernel modules, swap, host and domain names, disk quotas, kexec, the
//! kernel log (syslog), process accounting, I/O port permissions, vhangup and
//! lookup_dcookie.
//!
//! Owns: the family's decoder table, its constants (linux/reboot.h, linux/module.h,
//! linux/swap.h, linux/quota.h, linux/kexec.h) and the layouts of if_dqblk,
//! if_dqinfo and kexec_segment. Must not know: how it is loaded, ptrace, or how
//! values are rendered; it depends on `rtrace-sdk` alone.

mod kernel_consts;
mod kexec;
mod quota;
mod system;
mod tables;

use rtrace_sdk::{syscall, Syscall};

use tables::{DELETE_MODULE_FLAGS, MODULE_INIT_FLAGS};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!(
        "reboot",
        custom = system::reboot,
        names = [magic, magic2, op, arg]
    ),
    syscall!("init_module", [module_image: Ptr, len: Size, param_values: CStr]),
    syscall!(
        "finit_module",
        [fd: Fd, param_values: CStr, flags: FlagsOrUnknown(MODULE_INIT_FLAGS, "MODULE_INIT_???")],
    ),
    syscall!("delete_module", [name: CStr, flags: FlagsOrUnknown(DELETE_MODULE_FLAGS, "O_???")]),
    syscall!("swapon", [path: Path, swapflags: Custom(system::swap_flags)]),
    syscall!("swapoff", [path: Path]),
    syscall!("sethostname", [name: Custom(system::uts_name), len: Uint]),
    syscall!("setdomainname", [name: Custom(system::uts_name), len: Uint]),
    syscall!(
        "quotactl",
        custom = quota::quotactl,
        // The command's own arguments are named by the decoder (`id` only where it has one).
        names = [op, special],
    ),
    syscall!("quotactl_fd", custom = quota::quotactl_fd, names = [fd, op]),
    syscall!(
        "kexec_load",
        custom = kexec::kexec_load,
        names = [entry, nr_segments, segments, flags],
    ),
    syscall!(
        "kexec_file_load",
        custom = kexec::kexec_file_load,
        names = [kernel_fd, initrd_fd, cmdline_len, cmdline, flags],
    ),
    syscall!("syslog", custom = system::syslog, names = [type, bufp, len]),
    syscall!("acct", [path: Path]),
    syscall!("ioperm", [from: Hex, num: Hex, turn_on: Int]),
    syscall!("iopl", [level: Int]),
    syscall!("vhangup", []),
    syscall!(
        "lookup_dcookie",
        custom = system::lookup_dcookie,
        names = [cookie, buffer, len]
    ),
    // Removed from the kernel (they fail with ENOSYS); strace shows their
    // arguments in hex and, unlike a raw call, their result in decimal.
    syscall!("sysfs", [arg1: Hex, arg2: Hex, arg3: Hex]),
    syscall!("create_module", [arg1: Hex, arg2: Hex]),
    syscall!("get_kernel_syms", [arg1: Hex]),
    syscall!("query_module", [arg1: Hex, arg2: Hex, arg3: Hex, arg4: Hex, arg5: Hex]),
    syscall!("nfsservctl", [arg1: Hex, arg2: Hex, arg3: Hex]),
    // strace decodes struct __sysctl_args; only its address is shown here (the
    // call has failed with ENOSYS since Linux 5.5).
    syscall!("_sysctl", [args: Ptr]),
];

rtrace_sdk::export_plugin! {
    name: "sysadmin",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
