//! The mem plugin against strace 6.1: every line of a memory-family syscall in the
//! fixtures' traces, compared whole, default and with `-v` and `-s 5`.

mod family_support;

use family_support::{check_family, Case};

/// The syscalls the mem plugin decodes (those x86_64 has).
const MEM_SYSCALLS: &[&str] = &[
    "mmap",
    "munmap",
    "mprotect",
    "pkey_mprotect",
    "pkey_alloc",
    "pkey_free",
    "mremap",
    "madvise",
    "brk",
    "msync",
    "mlock",
    "mlock2",
    "munlock",
    "mlockall",
    "munlockall",
    "mincore",
    "membarrier",
    "process_vm_readv",
    "process_vm_writev",
];

#[test]
fn mem_family_lines_match_strace() {
    check_family(
        "mem",
        "rtrace_mem",
        MEM_SYSCALLS,
        &[
            Case {
                fixture: "mem_ops",
                options: &[],
            },
            Case {
                fixture: "mem_ops",
                options: &["-v"],
            },
            Case {
                fixture: "mem_ops",
                options: &["-s", "5"],
            },
            // Thread stacks, guard pages and the loader of a second program.
            Case {
                fixture: "process_children",
                options: &["-f"],
            },
        ],
    );
}
