//! The memory family's flag and constant tables, in strace's print order.

use rtrace_sdk::{ConstTable, FlagTable};

/// mmap/mprotect's protection bits (`PROT_NONE` for 0).
pub const PROT: &FlagTable = &FlagTable::bits(&[
    (0, "PROT_NONE"),
    (0x1, "PROT_READ"),
    (0x2, "PROT_WRITE"),
    (0x4, "PROT_EXEC"),
    (0x8, "PROT_SEM"),
    (0x0100_0000, "PROT_GROWSDOWN"),
    (0x0200_0000, "PROT_GROWSUP"),
]);

/// The mapping type in mmap's `MAP_TYPE` bits, always printed first.
pub const MAP_TYPE_MASK: u64 = 0xf;
pub const MAP_TYPES: &[(u64, &str)] = &[
    (0x0, "MAP_FILE"),
    (0x1, "MAP_SHARED"),
    (0x2, "MAP_PRIVATE"),
    (0x3, "MAP_SHARED_VALIDATE"),
    (0x8, "MAP_DROPPABLE"),
];

/// The huge page size, `log2(size) << MAP_HUGE_SHIFT`, printed as `N<<MAP_HUGE_SHIFT`.
pub const MAP_HUGE_SHIFT: u32 = 26;
pub const MAP_HUGE_MASK: u64 = 0x3f << MAP_HUGE_SHIFT;

/// mmap's flag bits after the type, in strace's order (not the values' order;
/// x86_64 values, `MAP_32BIT` exists only there).
pub const MAP_BITS: &[(u64, &str)] = &[
    (0x10, "MAP_FIXED"),
    (0x20, "MAP_ANONYMOUS"),
    (0x40, "MAP_32BIT"),
    (0x4000, "MAP_NORESERVE"),
    (0x8000, "MAP_POPULATE"),
    (0x10000, "MAP_NONBLOCK"),
    (0x100, "MAP_GROWSDOWN"),
    (0x800, "MAP_DENYWRITE"),
    (0x1000, "MAP_EXECUTABLE"),
    (0x2000, "MAP_LOCKED"),
    (0x20000, "MAP_STACK"),
    (0x40000, "MAP_HUGETLB"),
    (0x80000, "MAP_SYNC"),
    (0x100000, "MAP_FIXED_NOREPLACE"),
];

pub const MREMAP_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x1, "MREMAP_MAYMOVE"),
    (0x2, "MREMAP_FIXED"),
    (0x4, "MREMAP_DONTUNMAP"),
]);
pub const MREMAP_MAYMOVE: u64 = 0x1;
pub const MREMAP_FIXED: u64 = 0x2;

pub const MADVISE: &ConstTable = &ConstTable {
    names: &[
        (0, "MADV_NORMAL"),
        (1, "MADV_RANDOM"),
        (2, "MADV_SEQUENTIAL"),
        (3, "MADV_WILLNEED"),
        (4, "MADV_DONTNEED"),
        (8, "MADV_FREE"),
        (9, "MADV_REMOVE"),
        (10, "MADV_DONTFORK"),
        (11, "MADV_DOFORK"),
        (12, "MADV_MERGEABLE"),
        (13, "MADV_UNMERGEABLE"),
        (14, "MADV_HUGEPAGE"),
        (15, "MADV_NOHUGEPAGE"),
        (16, "MADV_DONTDUMP"),
        (17, "MADV_DODUMP"),
        (18, "MADV_WIPEONFORK"),
        (19, "MADV_KEEPONFORK"),
        (20, "MADV_COLD"),
        (21, "MADV_PAGEOUT"),
        (22, "MADV_POPULATE_READ"),
        (23, "MADV_POPULATE_WRITE"),
        (24, "MADV_DONTNEED_LOCKED"),
        (25, "MADV_COLLAPSE"),
        (100, "MADV_HWPOISON"),
        (101, "MADV_SOFT_OFFLINE"),
    ],
    unknown: "MADV_???",
};

/// msync's flags, in strace's order.
pub const MSYNC_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0x4, "MS_SYNC"), (0x1, "MS_ASYNC"), (0x2, "MS_INVALIDATE")]);

pub const MLOCK2_FLAGS: &FlagTable = &FlagTable::bits(&[(0x1, "MLOCK_ONFAULT")]);

pub const MLOCKALL_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x1, "MCL_CURRENT"),
    (0x2, "MCL_FUTURE"),
    (0x4, "MCL_ONFAULT"),
]);

/// membarrier's commands: 0 queries, the others are single bits, and the query's
/// result is a set of them.
pub const MEMBARRIER_CMD_QUERY: u64 = 0;
const MEMBARRIER_COMMAND_BITS: &[(u64, &str)] = &[
    (0x1, "MEMBARRIER_CMD_GLOBAL"),
    (0x2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
    (0x4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"),
    (0x8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
    (0x10, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"),
    (0x20, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
    (0x40, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"),
    (0x80, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
    (0x100, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
    (0x200, "MEMBARRIER_CMD_GET_REGISTRATIONS"),
];
pub const MEMBARRIER_COMMANDS: &FlagTable = &FlagTable::bits(MEMBARRIER_COMMAND_BITS);

/// A command argument: the query, or one of the bits.
pub const MEMBARRIER_CMD: &ConstTable = &ConstTable {
    names: &[
        (0, "MEMBARRIER_CMD_QUERY"),
        (0x1, "MEMBARRIER_CMD_GLOBAL"),
        (0x2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
        (0x4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"),
        (0x8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
        (0x10, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"),
        (0x20, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
        (0x40, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"),
        (0x80, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
        (0x100, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
        (0x200, "MEMBARRIER_CMD_GET_REGISTRATIONS"),
    ],
    unknown: "MEMBARRIER_CMD_???",
};

pub const MEMBARRIER_FLAGS: &FlagTable = &FlagTable::bits(&[(0x1, "MEMBARRIER_CMD_FLAG_CPU")]);

/// pkey_alloc's access rights.
pub const PKEY_ACCESS: &FlagTable =
    &FlagTable::bits(&[(0x1, "PKEY_DISABLE_ACCESS"), (0x2, "PKEY_DISABLE_WRITE")]);

/// memfd_secret's flags.
pub const MEMFD_SECRET_FLAGS: &FlagTable = &FlagTable::bits(&[(0o2000000, "O_CLOEXEC")]);

/// userfaultfd's flags (linux/userfaultfd.h, and the open flags it accepts).
pub const USERFAULTFD_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x1, "UFFD_USER_MODE_ONLY"),
    (0o4000, "O_NONBLOCK"),
    (0o2000000, "O_CLOEXEC"),
]);

/// map_shadow_stack's flags (asm-generic/mman-common.h).
pub const SHADOW_STACK_FLAGS: &FlagTable = &FlagTable::bits(&[(0x1, "SHADOW_STACK_SET_TOKEN")]);
