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

/// Typed by hand: the header's RUSAGE_CHILDREN is -1, which the compilers give as 64
/// bits; strace names the 32-bit argument.
pub const RUSAGE_WHO: &ConstTable = &ConstTable {
    names: &[
        (0, "RUSAGE_SELF"),
        (0xffff_ffff, "RUSAGE_CHILDREN"),
        (1, "RUSAGE_THREAD"),
    ],
    unknown: "RUSAGE_???",
};

pub use crate::kernel_consts::PRIORITY_WHICH;

/// personality(2): the execution domain in the low byte, then flag bits. Typed by hand:
/// linux/personality.h's `PER_*` carry flag bits (PER_SVR4 is 0x1 | STICKY_TIMEOUTS |
/// MMAP_PAGE_ZERO), strace names the low byte.
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
)
.field_unknown("PER_???");

pub use crate::kernel_consts::CAPABILITIES;

/// Capability sets (capget/capset) as bits: `1<<CAP_CHOWN|1<<CAP_KILL`. Typed by hand:
/// strace's `1<<CAP_*` is a C int, which overflows from bit 31, so the compilers cannot
/// evaluate the names as written.
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

use crate::kernel_consts::PAC_KEY_BITS;
pub use crate::kernel_consts::{
    EXECVEAT_FLAGS, PR_CAP_AMBIENT_OPS, PR_FP_MODES, PR_MCE_KILL_OPS, PR_MCE_KILL_POLICIES,
    PR_MDWE_FLAGS, PR_SCHED_CORE_OPS, PR_SET_MM_OPS, PR_SET_VMA_ATTRS, PR_SPEC_MISFEATURES,
    PR_SPEC_SETTINGS, PR_SPEC_STATES, PR_SYS_DISPATCH_OPS, PR_TSC, PR_UNALIGN_FLAGS, SECURE_BITS,
};

/// Typed by hand: `SUID_DUMP_*` are kernel-internal, no UAPI header has them.
pub const SUID_DUMP: &ConstTable = &ConstTable {
    names: &[
        (0, "SUID_DUMP_DISABLE"),
        (1, "SUID_DUMP_USER"),
        (2, "SUID_DUMP_ROOT"),
    ],
    unknown: "SUID_DUMP_???",
};

/// PR_SCHED_CORE's pid type (strace shows it as `0 /* PIDTYPE_PID */`). Typed by hand:
/// `PIDTYPE_*` are kernel-internal (enum pid_type), no UAPI header has them.
pub const PR_SCHED_CORE_PID_TYPES: &ConstTable = &ConstTable {
    names: &[
        (0, "PIDTYPE_PID"),
        (1, "PIDTYPE_TGID"),
        (2, "PIDTYPE_PGID"),
        (3, "PIDTYPE_SID"),
    ],
    unknown: "PIDTYPE_???",
};

/// arch_prctl's code. Typed by hand: x86's asm/prctl.h, which the ARM compilers lack, and
/// whose `ARCH_GET_UNTAG_MASK` and `ARCH_SHSTK_*` are newer than 6.1.
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
        (0x4001, "ARCH_GET_UNTAG_MASK"),
        (0x4002, "ARCH_ENABLE_TAGGED_ADDR"),
        (0x4003, "ARCH_GET_MAX_TAG_BITS"),
        (0x4004, "ARCH_FORCE_TAGGED_SVA"),
        (0x5001, "ARCH_SHSTK_ENABLE"),
        (0x5002, "ARCH_SHSTK_DISABLE"),
        (0x5003, "ARCH_SHSTK_LOCK"),
        (0x5004, "ARCH_SHSTK_UNLOCK"),
        (0x5005, "ARCH_SHSTK_STATUS"),
    ],
    unknown: "ARCH_???",
};

/// The x86 extended state components (`XFEATURE_*`) ARCH_REQ_XCOMP_PERM asks for. Typed
/// by hand, as is XFEATURE_MASKS: kernel-internal (arch/x86/include/asm/fpu/types.h).
pub const XFEATURES: &ConstTable = &ConstTable {
    names: &[
        (0, "XFEATURE_FP"),
        (1, "XFEATURE_SSE"),
        (2, "XFEATURE_YMM"),
        (3, "XFEATURE_BNDREGS"),
        (4, "XFEATURE_BNDCSR"),
        (5, "XFEATURE_OPMASK"),
        (6, "XFEATURE_ZMM_Hi256"),
        (7, "XFEATURE_Hi16_ZMM"),
        (8, "XFEATURE_PT_UNIMPLEMENTED_SO_FAR"),
        (9, "XFEATURE_PKRU"),
        (10, "XFEATURE_PASID"),
        (15, "XFEATURE_LBR"),
        (17, "XFEATURE_XTILE_CFG"),
        (18, "XFEATURE_XTILE_DATA"),
    ],
    unknown: "XFEATURE_???",
};

/// The same components as a mask (`XFEATURE_MASK_*`), groups first.
pub const XFEATURE_MASKS: &FlagTable = &FlagTable::bits(&[
    (0x3, "XFEATURE_MASK_FPSSE"),
    (1 << 0, "XFEATURE_MASK_FP"),
    (1 << 1, "XFEATURE_MASK_SSE"),
    (1 << 2, "XFEATURE_MASK_YMM"),
    (1 << 3, "XFEATURE_MASK_BNDREGS"),
    (1 << 4, "XFEATURE_MASK_BNDCSR"),
    (0xe0, "XFEATURE_MASK_AVX512"),
    (1 << 5, "XFEATURE_MASK_OPMASK"),
    (1 << 6, "XFEATURE_MASK_ZMM_Hi256"),
    (1 << 7, "XFEATURE_MASK_Hi16_ZMM"),
    (1 << 8, "XFEATURE_MASK_PT"),
    (1 << 9, "XFEATURE_MASK_PKRU"),
    (1 << 10, "XFEATURE_MASK_PASID"),
    (1 << 15, "XFEATURE_MASK_LBR"),
    (3 << 17, "XFEATURE_MASK_XTILE"),
    (1 << 17, "XFEATURE_MASK_XTILE_CFG"),
    (1 << 18, "XFEATURE_MASK_XTILE_DATA"),
]);

/// The arm64 pointer authentication keys: PR_PAC_RESET_KEYS takes all five,
/// PR_PAC_SET_ENABLED_KEYS the first four.
pub const PR_PAC_KEYS: &FlagTable = &FlagTable::bits(PAC_KEY_BITS);
pub const PR_PAC_ENABLED_KEYS: &FlagTable = &FlagTable::bits(PAC_KEY_BITS.split_at(4).0);
