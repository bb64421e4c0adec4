//! The aio plugin's tables of kernel constants.

use crate::gen_consts::{GenFile, Shape, Table};

pub const FILE: GenFile = GenFile {
    path: "plugins/aio/src/kernel_consts.rs",
    doc: &[
        "The aio plugin's tables of kernel constants, in strace's choice and order of names;",
        "used by aio.rs.",
    ],
    uses: "use rtrace_sdk::FlagTable;",
    headers: &[],
    tables: &[Table {
        name: "IOCB_FLAGS",
        doc: "",
        headers: &["linux/aio_abi.h"],
        extends: None,
        shape: Shape::FlagsRef,
        names: &["IOCB_FLAG_RESFD", "IOCB_FLAG_IOPRIO"],
    }],
};
