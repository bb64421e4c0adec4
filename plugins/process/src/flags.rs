//! The process family's flag and constant tables, in strace's print order.

use rtrace_sdk::{ConstTable, FlagTable};

pub use crate::kernel_consts::CLONE_FLAGS;

pub use crate::kernel_consts::UNSHARE_FLAGS;

pub const CSIGNAL: u64 = 0xff;
pub const CLONE_PIDFD: u64 = 0x1000;
pub const CLONE_SETTLS: u64 = 0x80000;
pub const CLONE_PARENT_SETTID: u64 = 0x100000;
pub const CLONE_CHILD_CLEARTID: u64 = 0x200000;
pub const CLONE_CHILD_SETTID: u64 = 0x1000000;
pub const CLONE_INTO_CGROUP: u64 = 0x200000000;

pub use crate::kernel_consts::WAIT_OPTIONS;

pub use crate::kernel_consts::WAITID_TYPES;
pub const P_PID: u64 = 1;
pub const P_PGID: u64 = 2;
pub const P_PIDFD: u64 = 3;

pub use crate::kernel_consts::RLIMIT_RESOURCES;

pub const RUSAGE_WHO: &ConstTable = &ConstTable {
    names: &[
        (0, "RUSAGE_SELF"),
        (0xffff_ffff, "RUSAGE_CHILDREN"),
        (1, "RUSAGE_THREAD"),
    ],
    unknown: "RUSAGE_???",
};

pub use crate::kernel_consts::PRIORITY_WHICH;

/// personality(2): the execution domain in the low byte, then flag bits.
pub const PERSONALITY: &FlagTable = &FlagTable::with_field(
    0xff,
    &[
        (0x00, "PER_LINUX"),
        (0x01, "PER_SVR4"),
        (0x02, "PER_SVR3"),
        (0x03, "PER_SCOSVR3"),
        (0x04, "PER_WYSEV386"),
        (0x05, "PER_ISCR4"),
        (0x06, "PER_BSD"),
        (0x07, "PER_XENIX"),
        (0x08, "PER_LINUX32"),
        (0x09, "PER_IRIX32"),
        (0x0a, "PER_IRIXN32"),
        (0x0b, "PER_IRIX64"),
        (0x0c, "PER_RISCOS"),
        (0x0d, "PER_SOLARIS"),
        (0x0e, "PER_UW7"),
        (0x0f, "PER_OSF4"),
        (0x10, "PER_HPUX"),
    ],
    &[
        (0x0020000, "UNAME26"),
        (0x0040000, "ADDR_NO_RANDOMIZE"),
        (0x0080000, "FDPIC_FUNCPTRS"),
        (0x0100000, "MMAP_PAGE_ZERO"),
        (0x0200000, "ADDR_COMPAT_LAYOUT"),
        (0x0400000, "READ_IMPLIES_EXEC"),
        (0x0800000, "ADDR_LIMIT_32BIT"),
        (0x1000000, "SHORT_INODE"),
        (0x2000000, "WHOLE_SECONDS"),
        (0x4000000, "STICKY_TIMEOUTS"),
        (0x8000000, "ADDR_LIMIT_3GB"),
    ],
);

pub use crate::kernel_consts::CAPABILITIES;

/// Capability sets (capget/capset) as bits: `1<<CAP_CHOWN|1<<CAP_KILL`.
pub const CAPABILITY_SET: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "1<<CAP_CHOWN"),
    (1 << 1, "1<<CAP_DAC_OVERRIDE"),
    (1 << 2, "1<<CAP_DAC_READ_SEARCH"),
    (1 << 3, "1<<CAP_FOWNER"),
    (1 << 4, "1<<CAP_FSETID"),
    (1 << 5, "1<<CAP_KILL"),
    (1 << 6, "1<<CAP_SETGID"),
    (1 << 7, "1<<CAP_SETUID"),
    (1 << 8, "1<<CAP_SETPCAP"),
    (1 << 9, "1<<CAP_LINUX_IMMUTABLE"),
    (1 << 10, "1<<CAP_NET_BIND_SERVICE"),
    (1 << 11, "1<<CAP_NET_BROADCAST"),
    (1 << 12, "1<<CAP_NET_ADMIN"),
    (1 << 13, "1<<CAP_NET_RAW"),
    (1 << 14, "1<<CAP_IPC_LOCK"),
    (1 << 15, "1<<CAP_IPC_OWNER"),
    (1 << 16, "1<<CAP_SYS_MODULE"),
    (1 << 17, "1<<CAP_SYS_RAWIO"),
    (1 << 18, "1<<CAP_SYS_CHROOT"),
    (1 << 19, "1<<CAP_SYS_PTRACE"),
    (1 << 20, "1<<CAP_SYS_PACCT"),
    (1 << 21, "1<<CAP_SYS_ADMIN"),
    (1 << 22, "1<<CAP_SYS_BOOT"),
    (1 << 23, "1<<CAP_SYS_NICE"),
    (1 << 24, "1<<CAP_SYS_RESOURCE"),
    (1 << 25, "1<<CAP_SYS_TIME"),
    (1 << 26, "1<<CAP_SYS_TTY_CONFIG"),
    (1 << 27, "1<<CAP_MKNOD"),
    (1 << 28, "1<<CAP_LEASE"),
    (1 << 29, "1<<CAP_AUDIT_WRITE"),
    (1 << 30, "1<<CAP_AUDIT_CONTROL"),
    (1 << 31, "1<<CAP_SETFCAP"),
    (1 << 32, "1<<CAP_MAC_OVERRIDE"),
    (1 << 33, "1<<CAP_MAC_ADMIN"),
    (1 << 34, "1<<CAP_SYSLOG"),
    (1 << 35, "1<<CAP_WAKE_ALARM"),
    (1 << 36, "1<<CAP_BLOCK_SUSPEND"),
    (1 << 37, "1<<CAP_AUDIT_READ"),
    (1 << 38, "1<<CAP_PERFMON"),
    (1 << 39, "1<<CAP_BPF"),
    (1 << 40, "1<<CAP_CHECKPOINT_RESTORE"),
]);

pub use crate::kernel_consts::CAP_VERSIONS;
pub const CAP_VERSION_1: u64 = 0x19980330;

pub use crate::kernel_consts::SECCOMP_OPS;
pub const SECCOMP_GET_ACTION_AVAIL: u64 = 2;

pub use crate::kernel_consts::SECCOMP_FILTER_FLAGS;

pub use crate::kernel_consts::SECCOMP_RETURN_ACTIONS;

pub use crate::kernel_consts::SECCOMP_MODES;

pub const SUID_DUMP: &ConstTable = &ConstTable {
    names: &[
        (0, "SUID_DUMP_DISABLE"),
        (1, "SUID_DUMP_USER"),
        (2, "SUID_DUMP_ROOT"),
    ],
    unknown: "SUID_DUMP_???",
};

pub const ARCH_PRCTL_CODES: &ConstTable = &ConstTable {
    names: &[
        (0x1001, "ARCH_SET_GS"),
        (0x1002, "ARCH_SET_FS"),
        (0x1003, "ARCH_GET_FS"),
        (0x1004, "ARCH_GET_GS"),
        (0x1011, "ARCH_GET_CPUID"),
        (0x1012, "ARCH_SET_CPUID"),
        (0x1021, "ARCH_GET_XCOMP_SUPP"),
        (0x1022, "ARCH_GET_XCOMP_PERM"),
        (0x1023, "ARCH_REQ_XCOMP_PERM"),
        (0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
        (0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"),
        (0x2001, "ARCH_MAP_VDSO_X32"),
        (0x2002, "ARCH_MAP_VDSO_32"),
        (0x2003, "ARCH_MAP_VDSO_64"),
    ],
    unknown: "ARCH_???",
};

/// execveat's flags.
pub const EXECVEAT_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0x100, "AT_SYMLINK_NOFOLLOW"), (0x1000, "AT_EMPTY_PATH")]);
