//! The security plugin's tables of kernel constants.

use crate::gen_consts::{GenFile, Shape, Table};

pub const FILE: GenFile = GenFile {
    path: "plugins/security/src/kernel_consts.rs",
    doc: &[
        "The security plugin's tables of kernel constants, in strace's choice and order of names;",
        "used by landlock.rs, lsm.rs.",
    ],
    uses: "use rtrace_sdk::{ConstTable, FlagTable};",
    headers: &[],
    tables: &[
        Table {
            name: "RULE_TYPES",
            doc: "",
            headers: &["linux/landlock.h"],
            extends: None,
            shape: Shape::Consts {
                unknown: "LANDLOCK_RULE_???",
                hex: false,
            },
            names: &["LANDLOCK_RULE_PATH_BENEATH", "LANDLOCK_RULE_NET_PORT"],
        },
        Table {
            name: "LSM_IDS",
            doc: "",
            headers: &[],
            extends: None,
            shape: Shape::Decimal,
            names: &[
                "LSM_ID_UNDEF",
                "LSM_ID_CAPABILITY",
                "LSM_ID_SELINUX",
                "LSM_ID_SMACK",
                "LSM_ID_TOMOYO",
                "LSM_ID_APPARMOR",
                "LSM_ID_YAMA",
                "LSM_ID_LOADPIN",
                "LSM_ID_SAFESETID",
                "LSM_ID_LOCKDOWN",
                "LSM_ID_BPF",
                "LSM_ID_LANDLOCK",
                "LSM_ID_IMA",
                "LSM_ID_EVM",
                "LSM_ID_IPE",
            ],
        },
        Table {
            name: "LSM_ATTRS",
            doc: "",
            headers: &[],
            extends: None,
            shape: Shape::Consts {
                unknown: "LSM_ATTR_???",
                hex: false,
            },
            names: &[
                "LSM_ATTR_UNDEF",
                "LSM_ATTR_CURRENT",
                "LSM_ATTR_EXEC",
                "LSM_ATTR_FSCREATE",
                "LSM_ATTR_KEYCREATE",
                "LSM_ATTR_PREV",
                "LSM_ATTR_SOCKCREATE",
            ],
        },
        Table {
            name: "LSM_FLAGS",
            doc: "",
            headers: &[],
            extends: None,
            shape: Shape::FlagsRef,
            names: &["LSM_FLAG_SINGLE"],
        },
    ],
};
