//! The virtual console's keyboard and display modes (linux/kd.h): the KD* ioctls'
//! values, as strace names them.

use rtrace_sdk::ConstTable;

/// KDSETMODE's and KDGETMODE's display mode.
pub const DISPLAY_MODES: &ConstTable = &ConstTable {
    names: &[
        (0x0, "KD_TEXT"),
        (0x1, "KD_GRAPHICS"),
        (0x2, "KD_TEXT0"),
        (0x3, "KD_TEXT1"),
    ],
    unknown: "KD_???",
};

/// KDSKBMODE's and KDGKBMODE's keyboard mode (strace shows an unknown one in decimal).
pub const KEYBOARD_MODES: &ConstTable = &ConstTable {
    names: &[
        (0, "K_RAW"),
        (1, "K_XLATE"),
        (2, "K_MEDIUMRAW"),
        (3, "K_UNICODE"),
        (4, "K_OFF"),
    ],
    unknown: "K_???",
};

/// KDGKBTYPE's keyboard type.
pub const KEYBOARD_TYPES: &ConstTable = &ConstTable {
    names: &[(0x1, "KB_84"), (0x2, "KB_101"), (0x3, "KB_OTHER")],
    unknown: "KB_???",
};

/// KDSKBMETA's and KDGKBMETA's meta key handling.
pub const META_MODES: &ConstTable = &ConstTable {
    names: &[(0x3, "K_METABIT"), (0x4, "K_ESCPREFIX")],
    unknown: "K_???",
};
