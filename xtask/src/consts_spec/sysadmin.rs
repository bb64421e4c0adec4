//! The sysadmin plugin's tables of kernel constants.

use crate::gen_consts::{GenFile, Shape, Table};

pub const FILE: GenFile = GenFile {
    path: "plugins/sysadmin/src/kernel_consts.rs",
    doc: &[
        "The sysadmin plugin's tables of kernel constants, in strace's choice and order of names;",
        "used by quota.rs, tables.rs.",
    ],
    uses: "",
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
    ],
};
