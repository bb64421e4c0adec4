//! The fs family's flag and constant tables, in strace's print order.

use rtrace_sdk::{ConstTable, FlagTable};

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
