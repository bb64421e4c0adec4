//! The fs family's flag and constant tables, in strace's print order.

use rtrace_sdk::{Call, ConstTable, FlagTable, OpenFlagValues, Out};

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

/// The `AT_*` flags of the `*at` calls.
pub const AT_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x100, "AT_SYMLINK_NOFOLLOW"),
    (0x200, "AT_EACCESS"),
    (0x400, "AT_SYMLINK_FOLLOW"),
    (0x800, "AT_NO_AUTOMOUNT"),
    (0x1000, "AT_EMPTY_PATH"),
]);

/// unlinkat(2)'s flag.
pub const UNLINKAT_FLAGS: &FlagTable = &FlagTable::bits(&[(0x200, "AT_REMOVEDIR")]);

/// lseek(2)'s whence.
pub const SEEK_WHENCE: &ConstTable = &ConstTable {
    names: &[
        (0, "SEEK_SET"),
        (1, "SEEK_CUR"),
        (2, "SEEK_END"),
        (3, "SEEK_DATA"),
        (4, "SEEK_HOLE"),
    ],
    unknown: "SEEK_???",
};

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

/// statx's `mask` and `stx_mask`: the two group names first, as strace tries them.
pub const STATX_MASK: &FlagTable = &FlagTable::bits(&[
    (0xfff, "STATX_ALL"),
    (0x7ff, "STATX_BASIC_STATS"),
    (0x1, "STATX_TYPE"),
    (0x2, "STATX_MODE"),
    (0x4, "STATX_NLINK"),
    (0x8, "STATX_UID"),
    (0x10, "STATX_GID"),
    (0x20, "STATX_ATIME"),
    (0x40, "STATX_MTIME"),
    (0x80, "STATX_CTIME"),
    (0x100, "STATX_INO"),
    (0x200, "STATX_SIZE"),
    (0x400, "STATX_BLOCKS"),
    (0x800, "STATX_BTIME"),
    (0x1000, "STATX_MNT_ID"),
    (0x2000, "STATX_DIOALIGN"),
]);

/// statx's `stx_attributes` and `stx_attributes_mask`.
pub const STATX_ATTRS: &FlagTable = &FlagTable::bits(&[
    (0x4, "STATX_ATTR_COMPRESSED"),
    (0x10, "STATX_ATTR_IMMUTABLE"),
    (0x20, "STATX_ATTR_APPEND"),
    (0x40, "STATX_ATTR_NODUMP"),
    (0x800, "STATX_ATTR_ENCRYPTED"),
    (0x1000, "STATX_ATTR_AUTOMOUNT"),
    (0x2000, "STATX_ATTR_MOUNT_ROOT"),
    (0x100000, "STATX_ATTR_VERITY"),
    (0x200000, "STATX_ATTR_DAX"),
]);

/// renameat2's flags.
pub const RENAME_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "RENAME_NOREPLACE"),
    (2, "RENAME_EXCHANGE"),
    (4, "RENAME_WHITEOUT"),
]);

/// splice, tee and vmsplice flags.
pub const SPLICE_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "SPLICE_F_MOVE"),
    (2, "SPLICE_F_NONBLOCK"),
    (4, "SPLICE_F_MORE"),
    (8, "SPLICE_F_GIFT"),
]);

/// flock(2)'s operation.
pub const FLOCK_OPS: &FlagTable = &FlagTable::bits(&[
    (1, "LOCK_SH"),
    (2, "LOCK_EX"),
    (4, "LOCK_NB"),
    (8, "LOCK_UN"),
    (0x20, "LOCK_MAND"),
    (0x40, "LOCK_READ"),
    (0x80, "LOCK_WRITE"),
]);

/// fallocate(2)'s mode.
pub const FALLOC_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x1, "FALLOC_FL_KEEP_SIZE"),
    (0x2, "FALLOC_FL_PUNCH_HOLE"),
    (0x4, "FALLOC_FL_NO_HIDE_STALE"),
    (0x8, "FALLOC_FL_COLLAPSE_RANGE"),
    (0x10, "FALLOC_FL_ZERO_RANGE"),
    (0x20, "FALLOC_FL_INSERT_RANGE"),
    (0x40, "FALLOC_FL_UNSHARE_RANGE"),
]);

/// posix_fadvise's advice.
pub const FADVISE_ADVICE: &ConstTable = &ConstTable {
    names: &[
        (0, "POSIX_FADV_NORMAL"),
        (1, "POSIX_FADV_RANDOM"),
        (2, "POSIX_FADV_SEQUENTIAL"),
        (3, "POSIX_FADV_WILLNEED"),
        (4, "POSIX_FADV_DONTNEED"),
        (5, "POSIX_FADV_NOREUSE"),
    ],
    unknown: "POSIX_FADV_???",
};

/// memfd_create's flags.
pub const MFD_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "MFD_CLOEXEC"),
    (2, "MFD_ALLOW_SEALING"),
    (4, "MFD_HUGETLB"),
]);

/// inotify_init1's flags.
pub const INOTIFY_INIT_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0o4000, "IN_NONBLOCK"), (0o2000000, "IN_CLOEXEC")]);

/// inotify_add_watch's event mask.
pub const INOTIFY_MASK: &FlagTable = &FlagTable::bits(&[
    (0x1, "IN_ACCESS"),
    (0x2, "IN_MODIFY"),
    (0x4, "IN_ATTRIB"),
    (0x8, "IN_CLOSE_WRITE"),
    (0x10, "IN_CLOSE_NOWRITE"),
    (0x20, "IN_OPEN"),
    (0x40, "IN_MOVED_FROM"),
    (0x80, "IN_MOVED_TO"),
    (0x100, "IN_CREATE"),
    (0x200, "IN_DELETE"),
    (0x400, "IN_DELETE_SELF"),
    (0x800, "IN_MOVE_SELF"),
    (0x2000, "IN_UNMOUNT"),
    (0x4000, "IN_Q_OVERFLOW"),
    (0x8000, "IN_IGNORED"),
    (0x0100_0000, "IN_ONLYDIR"),
    (0x0200_0000, "IN_DONT_FOLLOW"),
    (0x0400_0000, "IN_EXCL_UNLINK"),
    (0x1000_0000, "IN_MASK_CREATE"),
    (0x2000_0000, "IN_MASK_ADD"),
    (0x4000_0000, "IN_ISDIR"),
    (0x8000_0000, "IN_ONESHOT"),
]);

/// The xattr setters' flags.
pub const XATTR_FLAGS: &FlagTable = &FlagTable::bits(&[(1, "XATTR_CREATE"), (2, "XATTR_REPLACE")]);

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

/// umount2's flags.
pub const UMOUNT_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "MNT_FORCE"),
    (2, "MNT_DETACH"),
    (4, "MNT_EXPIRE"),
    (8, "UMOUNT_NOFOLLOW"),
]);

/// close_range's flags.
pub const CLOSE_RANGE_FLAGS: &FlagTable =
    &FlagTable::bits(&[(2, "CLOSE_RANGE_UNSHARE"), (4, "CLOSE_RANGE_CLOEXEC")]);

/// preadv2 / pwritev2 flags (shared with the aio plugin's requests).
pub use rtrace_sdk::shared_flags::RWF_FLAGS;

/// openat2's `resolve` field.
pub const RESOLVE_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x1, "RESOLVE_NO_XDEV"),
    (0x2, "RESOLVE_NO_MAGICLINKS"),
    (0x4, "RESOLVE_NO_SYMLINKS"),
    (0x8, "RESOLVE_BENEATH"),
    (0x10, "RESOLVE_IN_ROOT"),
    (0x20, "RESOLVE_CACHED"),
]);
