//! The sched plugin's tables of kernel constants.

use crate::gen_consts::{GenFile, Shape, Table};

pub const FILE: GenFile = GenFile {
    path: "plugins/sched/src/kernel_consts.rs",
    doc: &[
        "The sched plugin's tables of kernel constants, in strace's choice and order of names;",
        "used by tables.rs.",
    ],
    uses: "use rtrace_sdk::{ConstTable, FlagTable};",
    headers: &[],
    tables: &[
        Table {
            name: "SCHED_FLAGS",
            doc: "`sched_attr.sched_flags`.",
            headers: &["linux/sched.h"],
            extends: None,
            shape: Shape::FlagsRef,
            names: &[
                "SCHED_FLAG_RESET_ON_FORK",
                "SCHED_FLAG_RECLAIM",
                "SCHED_FLAG_DL_OVERRUN",
                "SCHED_FLAG_KEEP_POLICY",
                "SCHED_FLAG_KEEP_PARAMS",
                "SCHED_FLAG_UTIL_CLAMP_MIN",
                "SCHED_FLAG_UTIL_CLAMP_MAX",
            ],
        },
        Table {
            name: "IOPRIO_WHO",
            doc: "ioprio_get/ioprio_set's `which`.",
            headers: &["linux/ioprio.h"],
            extends: None,
            shape: Shape::Consts {
                unknown: "IOPRIO_WHO_???",
                hex: false,
            },
            names: &["IOPRIO_WHO_PROCESS", "IOPRIO_WHO_PGRP", "IOPRIO_WHO_USER"],
        },
    ],
};
