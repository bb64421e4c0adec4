//! The keys plugin's tables of kernel constants.

use crate::gen_consts::{GenFile, Shape, Table};

pub const FILE: GenFile = GenFile {
    path: "plugins/keys/src/kernel_consts.rs",
    doc: &[
        "The keys plugin's tables of kernel constants, in strace's choice and order of names;",
        "used by tables.rs.",
    ],
    uses: "use rtrace_sdk::FlagTable;",
    headers: &[],
    tables: &[
        Table {
            name: "KEYCTL_MOVE_FLAGS",
            doc: "",
            headers: &["linux/keyctl.h"],
            extends: None,
            shape: Shape::FlagsRef,
            names: &["KEYCTL_MOVE_EXCL"],
        },
        Table {
            name: "KEYCTL_PKEY_OPS",
            doc: "KEYCTL_PKEY_QUERY's supported operations.",
            headers: &["linux/keyctl.h"],
            extends: None,
            shape: Shape::FlagsRef,
            names: &[
                "KEYCTL_SUPPORTS_ENCRYPT",
                "KEYCTL_SUPPORTS_DECRYPT",
                "KEYCTL_SUPPORTS_SIGN",
                "KEYCTL_SUPPORTS_VERIFY",
            ],
        },
    ],
};
