//! The memory family's flag and constant tables, in strace's print order.

use rtrace_sdk::{ConstTable, FlagTable};

pub use crate::kernel_consts::PROT;

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

pub use crate::kernel_consts::MAP_BITS;

pub use crate::kernel_consts::MREMAP_FLAGS;
pub const MREMAP_MAYMOVE: u64 = 0x1;
pub const MREMAP_FIXED: u64 = 0x2;

pub use crate::kernel_consts::MADVISE;

/// msync's flags, in strace's order.
pub const MSYNC_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0x4, "MS_SYNC"), (0x1, "MS_ASYNC"), (0x2, "MS_INVALIDATE")]);

pub use crate::kernel_consts::MLOCK2_FLAGS;

pub use crate::kernel_consts::MLOCKALL_FLAGS;

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

pub use crate::kernel_consts::MEMBARRIER_FLAGS;

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
