//! The fs family's flag and constant tables, in strace's print order.

use rtrace_sdk::{Call, FlagTable, OpenFlagValues, Out};

/// open(2)'s flags: `O_ACCMODE` is an enumeration, the rest are bits. Multi-bit names
/// (`O_SYNC`, `O_TMPFILE`) come before the bits they contain.
pub const OPEN_FLAGS: &FlagTable = &FlagTable::with_field(
    0o3,
    &[
        (0, "O_RDONLY"),
        (1, "O_WRONLY"),
        (2, "O_RDWR"),
        (3, "O_ACCMODE"),
    ],
    OPEN_BITS,
);

/// The open flag bits without the access mode (dup3, pipe2 and friends).
pub const O_FLAG_BITS: &FlagTable = &FlagTable::bits(OPEN_BITS);

/// open(2)'s flags on ARM and AArch64, where four bits differ from x86's
/// (O_DIRECTORY, O_NOFOLLOW, O_DIRECT, O_LARGEFILE).
pub const ARM_OPEN_FLAGS: &FlagTable = &FlagTable::with_field(
    0o3,
    &[
        (0, "O_RDONLY"),
        (1, "O_WRONLY"),
        (2, "O_RDWR"),
        (3, "O_ACCMODE"),
    ],
    ARM_OPEN_BITS,
);

/// ARM's open flag bits without the access mode.
pub const ARM_O_FLAG_BITS: &FlagTable = &FlagTable::bits(ARM_OPEN_BITS);

const ARM_OPEN_BITS: &[(u64, &str)] = &[
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o4010000, "O_SYNC"),
    (0o10000, "O_DSYNC"),
    (0o200000, "O_DIRECT"),
    (0o400000, "O_LARGEFILE"),
    (0o100000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o10000000, "O_PATH"),
    (0o20040000, "O_TMPFILE"),
    (0o20000000, "__O_TMPFILE"),
    (0o40000, "O_DIRECTORY"),
    (0o20000, "FASYNC"),
];

/// The open flag table of the tracee's architecture: `(with the access mode, bits only)`.
pub fn open_tables(call: &Call<'_, '_>) -> (&'static FlagTable, &'static FlagTable) {
    match call.abi().open_flags {
        OpenFlagValues::Arm => (ARM_OPEN_FLAGS, ARM_O_FLAG_BITS),
        OpenFlagValues::Generic => (OPEN_FLAGS, O_FLAG_BITS),
    }
}

/// An `int` of open flags with the access mode, per the tracee's architecture.
pub fn open_flags(call: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    out.flags(raw & 0xffff_ffff, open_tables(call).0);
}

/// An `int` of open flag bits without the access mode (dup3, pipe2).
pub fn open_flag_bits(call: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    out.flags(raw & 0xffff_ffff, open_tables(call).1);
}

const OPEN_BITS: &[(u64, &str)] = &[
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o4010000, "O_SYNC"),
    (0o10000, "O_DSYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o10000000, "O_PATH"),
    (0o20200000, "O_TMPFILE"),
    (0o20000000, "__O_TMPFILE"),
    (0o200000, "O_DIRECTORY"),
    (0o20000, "FASYNC"),
];

/// access(2)'s mode.
pub const ACCESS_MODES: &FlagTable =
    &FlagTable::bits(&[(0, "F_OK"), (4, "R_OK"), (2, "W_OK"), (1, "X_OK")]);

pub use crate::kernel_consts::AT_FLAGS;

pub use crate::kernel_consts::UNLINKAT_FLAGS;

pub use crate::kernel_consts::SEEK_WHENCE;

/// The `AT_*` flags of the stat family, with statx's sync type as an enumeration in
/// bits 0x6000, always shown first (`AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW`).
pub const STATX_AT_FLAGS: &FlagTable = &FlagTable::with_field(
    0x6000,
    &[
        (0, "AT_STATX_SYNC_AS_STAT"),
        (0x2000, "AT_STATX_FORCE_SYNC"),
        (0x4000, "AT_STATX_DONT_SYNC"),
        (0x6000, "AT_STATX_SYNC_TYPE"),
    ],
    &[
        (0x100, "AT_SYMLINK_NOFOLLOW"),
        (0x200, "AT_REMOVEDIR"),
        (0x400, "AT_SYMLINK_FOLLOW"),
        (0x800, "AT_NO_AUTOMOUNT"),
        (0x1000, "AT_EMPTY_PATH"),
        (0x8000, "AT_RECURSIVE"),
    ],
);

pub use crate::kernel_consts::STATX_MASK;

pub use crate::kernel_consts::STATX_ATTRS;

pub use crate::kernel_consts::RENAME_FLAGS;

/// splice, tee and vmsplice flags.
pub const SPLICE_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "SPLICE_F_MOVE"),
    (2, "SPLICE_F_NONBLOCK"),
    (4, "SPLICE_F_MORE"),
    (8, "SPLICE_F_GIFT"),
]);

pub use crate::kernel_consts::FLOCK_OPS;

pub use crate::kernel_consts::FALLOC_FLAGS;

pub use crate::kernel_consts::FADVISE_ADVICE;

pub use crate::kernel_consts::MFD_FLAGS;

/// inotify_init1's flags.
pub const INOTIFY_INIT_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0o4000, "IN_NONBLOCK"), (0o2000000, "IN_CLOEXEC")]);

pub use crate::kernel_consts::INOTIFY_MASK;

pub use crate::kernel_consts::XATTR_FLAGS;

/// mount(2)'s flags.
pub const MOUNT_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "MS_RDONLY"),
    (1 << 1, "MS_NOSUID"),
    (1 << 2, "MS_NODEV"),
    (1 << 3, "MS_NOEXEC"),
    (1 << 4, "MS_SYNCHRONOUS"),
    (1 << 5, "MS_REMOUNT"),
    (1 << 6, "MS_MANDLOCK"),
    (1 << 7, "MS_DIRSYNC"),
    (1 << 8, "MS_NOSYMFOLLOW"),
    (1 << 10, "MS_NOATIME"),
    (1 << 11, "MS_NODIRATIME"),
    (1 << 12, "MS_BIND"),
    (1 << 13, "MS_MOVE"),
    (1 << 14, "MS_REC"),
    (1 << 15, "MS_SILENT"),
    (1 << 16, "MS_POSIXACL"),
    (1 << 17, "MS_UNBINDABLE"),
    (1 << 18, "MS_PRIVATE"),
    (1 << 19, "MS_SLAVE"),
    (1 << 20, "MS_SHARED"),
    (1 << 21, "MS_RELATIME"),
    (1 << 22, "MS_KERNMOUNT"),
    (1 << 23, "MS_I_VERSION"),
    (1 << 24, "MS_STRICTATIME"),
    (1 << 25, "MS_LAZYTIME"),
    (1 << 26, "MS_SUBMOUNT"),
    (1 << 27, "MS_NOREMOTELOCK"),
    (1 << 28, "MS_NOSEC"),
    (1 << 29, "MS_BORN"),
    (1 << 30, "MS_ACTIVE"),
    (1 << 31, "MS_NOUSER"),
]);

pub use crate::kernel_consts::UMOUNT_FLAGS;

/// close_range's flags.
pub const CLOSE_RANGE_FLAGS: &FlagTable =
    &FlagTable::bits(&[(2, "CLOSE_RANGE_UNSHARE"), (4, "CLOSE_RANGE_CLOEXEC")]);

/// preadv2 / pwritev2 flags (shared with the aio plugin's requests).
pub use rtrace_sdk::shared_flags::RWF_FLAGS;

pub use crate::kernel_consts::RESOLVE_FLAGS;
