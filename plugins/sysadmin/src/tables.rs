//! The family's constants, from the kernel's uapi headers, in strace's order.

use rtrace_sdk::FlagTable;

pub use crate::kernel_consts::REBOOT_MAGIC1;
pub use crate::kernel_consts::REBOOT_MAGIC2;
pub const REBOOT_CMD_RESTART2: u64 = 0xa1b2_c3d4;
pub const REBOOT_CMDS: &[(u64, &str)] = &[
    (0x0123_4567, "LINUX_REBOOT_CMD_RESTART"),
    (0xcdef_0123, "LINUX_REBOOT_CMD_HALT"),
    (0x89ab_cdef, "LINUX_REBOOT_CMD_CAD_ON"),
    (0x0000_0000, "LINUX_REBOOT_CMD_CAD_OFF"),
    (0x4321_fedc, "LINUX_REBOOT_CMD_POWER_OFF"),
    (REBOOT_CMD_RESTART2, "LINUX_REBOOT_CMD_RESTART2"),
    (0xd000_fce2, "LINUX_REBOOT_CMD_SW_SUSPEND"),
    (0x4558_4543, "LINUX_REBOOT_CMD_KEXEC"),
];

pub const MODULE_INIT_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "MODULE_INIT_IGNORE_MODVERSIONS"),
    (1 << 1, "MODULE_INIT_IGNORE_VERMAGIC"),
    (1 << 2, "MODULE_INIT_COMPRESSED_FILE"),
]);
pub const DELETE_MODULE_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0o4000, "O_NONBLOCK"), (0o1000, "O_TRUNC")]);

pub const SWAP_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x8000, "SWAP_FLAG_PREFER"),
    (0x10000, "SWAP_FLAG_DISCARD"),
    (0x20000, "SWAP_FLAG_DISCARD_ONCE"),
    (0x40000, "SWAP_FLAG_DISCARD_PAGES"),
]);
pub const SWAP_FLAG_PRIO_MASK: u64 = 0x7fff;

pub const SYSLOG_ACTIONS: &[(u64, &str)] = &[
    (0, "SYSLOG_ACTION_CLOSE"),
    (1, "SYSLOG_ACTION_OPEN"),
    (2, "SYSLOG_ACTION_READ"),
    (3, "SYSLOG_ACTION_READ_ALL"),
    (4, "SYSLOG_ACTION_READ_CLEAR"),
    (5, "SYSLOG_ACTION_CLEAR"),
    (6, "SYSLOG_ACTION_CONSOLE_OFF"),
    (7, "SYSLOG_ACTION_CONSOLE_ON"),
    (8, "SYSLOG_ACTION_CONSOLE_LEVEL"),
    (9, "SYSLOG_ACTION_SIZE_UNREAD"),
    (10, "SYSLOG_ACTION_SIZE_BUFFER"),
];
pub const LOGLEVELS: &[(u64, &str)] = &[
    (0, "LOGLEVEL_EMERG"),
    (1, "LOGLEVEL_ALERT"),
    (2, "LOGLEVEL_CRIT"),
    (3, "LOGLEVEL_ERR"),
    (4, "LOGLEVEL_WARNING"),
    (5, "LOGLEVEL_NOTICE"),
    (6, "LOGLEVEL_INFO"),
    (7, "LOGLEVEL_DEBUG"),
    (8, "LOGLEVEL_DEBUG+1"),
];
