//! The signal plugin's tables of kernel constants.

use crate::gen_consts::{GenFile, Shape, Table};

pub const FILE: GenFile = GenFile {
    path: "plugins/signal/src/kernel_consts.rs",
    doc: &[
        "The signal plugin's tables of kernel constants, in strace's choice and order of names;",
        "used by tables.rs.",
    ],
    uses: "use rtrace_sdk::{ConstTable, FlagTable};",
    headers: &[],
    tables: &[
        Table {
            name: "SIGPROCMASK_HOW",
            doc: "rt_sigprocmask's `how`.",
            headers: &["asm-generic/signal-defs.h"],
            extends: None,
            shape: Shape::Consts {
                unknown: "SIG_???",
                hex: false,
            },
            names: &["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"],
        },
        Table {
            name: "SA_FLAGS",
            doc: "`sa_flags` of the kernel's sigaction.",
            headers: &["asm-generic/signal-defs.h", "asm/signal.h"],
            extends: None,
            shape: Shape::FlagsRef,
            names: &[
                "SA_RESTORER",
                "SA_ONSTACK",
                "SA_RESTART",
                "SA_NODEFER",
                "SA_RESETHAND",
                "SA_SIGINFO",
                "SA_NOCLDSTOP",
                "SA_NOCLDWAIT",
                "SA_UNSUPPORTED",
                "SA_EXPOSE_TAGBITS",
            ],
        },
        Table {
            name: "SS_FLAGS",
            doc: "`ss_flags` of stack_t.",
            headers: &["linux/signal.h"],
            extends: None,
            shape: Shape::FlagsRef,
            names: &["SS_ONSTACK", "SS_DISABLE", "SS_AUTODISARM"],
        },
    ],
};
