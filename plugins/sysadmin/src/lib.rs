//! rtrace's bundled `sysadmin` plugin: the calls that administer the system —
//! reboot, kernel modules, swap, host and domain names, disk quotas, kexec, the
//! kernel log (syslog), process accounting, I/O port permissions, vhangup and
//! lookup_dcookie.
//!
//! Owns: the family's decoder table, its constants (linux/reboot.h, linux/module.h,
//! linux/swap.h, linux/quota.h, linux/kexec.h) and the layouts of if_dqblk,
//! if_dqinfo and kexec_segment. Must not know: how it is loaded, ptrace, or how
//! values are rendered; it depends on `rtrace-sdk` alone.

mod kexec;
mod quota;
mod system;
mod tables;

use rtrace_sdk::{syscall, Syscall};

use tables::{DELETE_MODULE_FLAGS, MODULE_INIT_FLAGS};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!("reboot", custom = system::reboot),
    syscall!("init_module", [Ptr, Size, CStr]),
    syscall!(
        "finit_module",
        [
            Fd,
            CStr,
            FlagsOrUnknown(MODULE_INIT_FLAGS, "MODULE_INIT_???")
        ]
    ),
    syscall!(
        "delete_module",
        [CStr, FlagsOrUnknown(DELETE_MODULE_FLAGS, "O_???")]
    ),
    syscall!("swapon", [Path, Custom(system::swap_flags)]),
    syscall!("swapoff", [Path]),
    syscall!("sethostname", [Custom(system::uts_name), Uint]),
    syscall!("setdomainname", [Custom(system::uts_name), Uint]),
    syscall!("quotactl", custom = quota::quotactl),
    syscall!("quotactl_fd", custom = quota::quotactl_fd),
    syscall!("kexec_load", custom = kexec::kexec_load),
    syscall!("kexec_file_load", custom = kexec::kexec_file_load),
    syscall!("syslog", custom = system::syslog),
    syscall!("acct", [Path]),
    syscall!("ioperm", [Hex, Hex, Int]),
    syscall!("iopl", [Int]),
    syscall!("vhangup", []),
    syscall!("lookup_dcookie", custom = system::lookup_dcookie),
    // Removed from the kernel (they fail with ENOSYS); strace shows their
    // arguments in hex and, unlike a raw call, their result in decimal.
    syscall!("sysfs", [Hex, Hex, Hex]),
    syscall!("create_module", [Hex, Hex]),
    syscall!("get_kernel_syms", [Hex]),
    syscall!("query_module", [Hex, Hex, Hex, Hex, Hex]),
    syscall!("nfsservctl", [Hex, Hex, Hex]),
    // strace decodes struct __sysctl_args; only its address is shown here (the
    // call has failed with ENOSYS since Linux 5.5).
    syscall!("_sysctl", [Ptr]),
];

rtrace_sdk::export_plugin! {
    name: "sysadmin",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
