//! The sysadmin plugin's tables of kernel constants.

use crate::gen_consts::{GenFile, Shape, Table};

pub const FILE: GenFile = GenFile {
    path: "plugins/sysadmin/src/kernel_consts.rs",
    doc: &[
        "The sysadmin plugin's tables of kernel constants, in strace's choice and order of names;",
        "used by quota.rs, tables.rs.",
    ],
    uses: "use rtrace_sdk::FlagTable;",
    headers: &[],
    tables: &[
        Table {
            name: "QUOTA_TYPES",
            doc: "",
            headers: &["linux/quota.h"],
            extends: None,
            shape: Shape::Decimal,
            names: &["USRQUOTA", "GRPQUOTA", "PRJQUOTA"],
        },
        Table {
            name: "REBOOT_MAGIC1",
            doc: "",
            headers: &["linux/reboot.h"],
            extends: None,
            shape: Shape::Hex,
            names: &["LINUX_REBOOT_MAGIC1"],
        },
        Table {
            name: "REBOOT_MAGIC2",
            doc: "",
            headers: &["linux/reboot.h"],
            extends: None,
            shape: Shape::Decimal,
            names: &[
                "LINUX_REBOOT_MAGIC2",
                "LINUX_REBOOT_MAGIC2A",
                "LINUX_REBOOT_MAGIC2B",
                "LINUX_REBOOT_MAGIC2C",
            ],
        },
        Table {
            name: "KEXEC_LOAD_FLAGS",
            doc: "",
            headers: &["linux/kexec.h"],
            extends: None,
            shape: Shape::FlagsRef,
            names: &[
                "KEXEC_ON_CRASH",
                "KEXEC_PRESERVE_CONTEXT",
                "KEXEC_UPDATE_ELFCOREHDR",
                "KEXEC_CRASH_HOTPLUG_SUPPORT",
            ],
        },
        Table {
            name: "KEXEC_FILE_FLAGS",
            doc: "",
            headers: &["linux/kexec.h"],
            extends: None,
            shape: Shape::FlagsRef,
            names: &[
                "KEXEC_FILE_UNLOAD",
                "KEXEC_FILE_ON_CRASH",
                "KEXEC_FILE_NO_INITRAMFS",
                "KEXEC_FILE_DEBUG",
                "KEXEC_FILE_NO_CMA",
                "KEXEC_FILE_FORCE_DTB",
            ],
        },
        Table {
            name: "QUOTA_FORMATS",
            doc: "",
            headers: &["linux/quota.h"],
            extends: None,
            shape: Shape::Decimal,
            names: &[
                "QFMT_VFS_OLD",
                "QFMT_VFS_V0",
                "QFMT_OCFS2",
                "QFMT_VFS_V1",
                "QFMT_SHMEM",
            ],
        },
    ],
};
