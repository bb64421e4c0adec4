//! The architectures whose syscall tables `gen-syscalls` writes, one declarative entry each.
//!
//! Adding an architecture means adding one [`ArchSpec`] to [`ARCHES`]: which linux-raw-sys
//! module holds its numbers, which constants name syscalls, and what must be added or
//! corrected by hand so that the table names calls as strace does.

/// Everything the generator needs to know about one architecture.
pub struct ArchSpec {
    /// Short name, for messages (`x86_64`, `arm`).
    pub name: &'static str,
    /// The module of linux-raw-sys (`src/<module>/general.rs`) that holds this ABI's
    /// numbers, as bindgen evaluated them from the kernel's UAPI headers.
    pub module: &'static str,
    /// A bit the kernel sets in every number of this ABI (x32's `__X32_SYSCALL_BIT`),
    /// cleared in the table as strace clears it; 0 for none.
    pub number_bit: u32,
    /// The generated file, relative to the workspace root.
    pub output: &'static str,
    /// Constant prefixes that define syscall numbers, with the prefix the syscall's name
    /// gets in the table (`("__ARM_NR_", "")` turns `__ARM_NR_set_tls` into `set_tls`,
    /// strace's spelling).
    pub syscall_prefixes: &'static [(&'static str, &'static str)],
    /// Constants that carry a syscall prefix but are not syscalls (bases), and second
    /// names of a number already listed under the name strace prints.
    pub not_syscalls: &'static [&'static str],
    /// Syscalls the UAPI does not number but strace's table names: `(number, name)`.
    pub extra_entries: &'static [(u32, &'static str)],
    /// Argument counts that differ on this architecture from `syscall-nargs.tsv`, such as
    /// 64-bit arguments split over register pairs on a 32-bit ABI.
    pub nargs_overrides: &'static [(&'static str, u8)],
    /// Header names that strace prints differently: `(header name, strace's name)`.
    /// Applied before argument counts are looked up, so counts are keyed by strace's name.
    pub renames: &'static [(&'static str, &'static str)],
    /// Another ABI reaching the same syscall entry (x32's calls enter x86_64's), whose
    /// numbers below a bound this ABI lacks: strace's table names each `NAME#64` with the
    /// other ABI's argument count, and prints its arguments raw.
    pub borrowed_numbers: Option<BorrowedNumbers>,
}

/// See [`ArchSpec::borrowed_numbers`].
pub struct BorrowedNumbers {
    /// The other ABI's linux-raw-sys module.
    pub module: &'static str,
    /// Only its numbers below this one (x32's own calls start at 512).
    pub below: u32,
    /// What the table appends to the other ABI's name.
    pub suffix: &'static str,
}

pub const ARCHES: &[ArchSpec] = &[
    ArchSpec {
        name: "x86_64",
        module: "x86_64",
        number_bit: 0,
        output: "crates/arch-x86_64/src/syscalls.rs",
        syscall_prefixes: &[("__NR_", "")],
        not_syscalls: &[],
        extra_entries: &[],
        nargs_overrides: &[],
        renames: &[],
        borrowed_numbers: None,
    },
    // 32-bit ARM, EABI only (OABI's 0x900000-based numbers are not supported); the
    // crate's ARM module is generated for EABI (`__NR_SYSCALL_BASE` is 0).
    ArchSpec {
        name: "arm",
        module: "arm",
        number_bit: 0,
        output: "crates/arch-arm/src/syscalls.rs",
        // ARM's private calls (__ARM_NR_set_tls, ...) print without prefix in strace.
        syscall_prefixes: &[("__NR_", ""), ("__ARM_NR_", "")],
        not_syscalls: &[
            "__NR_OABI_SYSCALL_BASE",
            "__NR_SYSCALL_BASE",
            "__NR_SYSCALL_MASK",
            "__ARM_NR_BASE",
            // The UAPI's second name for arm_sync_file_range (renamed below).
            "__NR_sync_file_range2",
        ],
        // Numbers the EABI headers leave out (OABI-only or never wired up on ARM; the
        // kernel answers ENOSYS) but strace's ARM table still names, so a program that
        // makes such a call prints as under strace rather than as `syscall_0x..`.
        extra_entries: &[
            (7, "waitpid"),
            (13, "time"),
            (17, "break"),
            (18, "oldstat"),
            (22, "umount"),
            (25, "stime"),
            (27, "alarm"),
            (28, "oldfstat"),
            (30, "utime"),
            (31, "stty"),
            (32, "gtty"),
            (35, "ftime"),
            (44, "prof"),
            (48, "signal"),
            (53, "lock"),
            (56, "mpx"),
            (58, "ulimit"),
            (59, "oldolduname"),
            (68, "sgetmask"),
            (69, "ssetmask"),
            (76, "getrlimit"),
            (82, "select"),
            (84, "oldlstat"),
            (89, "readdir"),
            (90, "mmap"),
            (98, "profil"),
            (101, "ioperm"),
            (102, "socketcall"),
            (109, "olduname"),
            (110, "iopl"),
            (112, "idle"),
            (113, "syscall"),
            (117, "ipc"),
            (123, "modify_ldt"),
            (127, "create_module"),
            (130, "get_kernel_syms"),
            (137, "afs_syscall"),
            (166, "vm86"),
            (167, "query_module"),
            (188, "getpmsg"),
            (189, "putpmsg"),
            (447, "memfd_secret"),
            // __ARM_NR_cmpxchg, removed in Linux 4.4.
            (0x0f_fff0, "cmpxchg"),
        ],
        // strace's ARM counts: a 64-bit argument takes an aligned register pair (EABI),
        // so it counts as two or three registers; old_mmap and old_select take one
        // pointer to a block of arguments.
        nargs_overrides: &[
            ("pread64", 6),
            ("pwrite64", 6),
            ("readahead", 5),
            ("lookup_dcookie", 4),
            ("truncate64", 4),
            ("ftruncate64", 4),
            ("fadvise64_64", 6),
            ("sync_file_range2", 6),
            ("fallocate", 6),
            ("preadv", 5),
            ("pwritev", 5),
            ("fanotify_mark", 6),
            ("mmap", 1),
            ("select", 1),
        ],
        // The kernel's names for ARM's reordered-argument variants; strace prints the
        // generic names.
        renames: &[
            ("arm_fadvise64_64", "fadvise64_64"),
            ("arm_sync_file_range", "sync_file_range2"),
        ],
        borrowed_numbers: None,
    },
    // 32-bit x86 programs on x86_64 (and int $0x80 from 64-bit code).
    ArchSpec {
        name: "i386",
        module: "x86",
        number_bit: 0,
        output: "crates/arch-i386/src/syscalls.rs",
        syscall_prefixes: &[("__NR_", "")],
        not_syscalls: &[],
        extra_entries: &[],
        // strace's i386 counts: a 64-bit argument takes two registers (no alignment
        // padding, unlike EABI); old_mmap and old_select take one pointer to a block.
        nargs_overrides: &[
            ("select", 1),
            ("mmap", 1),
            ("pread64", 5),
            ("pwrite64", 5),
            ("readahead", 4),
            ("fadvise64", 5),
            ("lookup_dcookie", 4),
            ("sync_file_range", 6),
            ("fallocate", 6),
            ("preadv", 5),
            ("pwritev", 5),
            ("fanotify_mark", 6),
        ],
        renames: &[],
        borrowed_numbers: None,
    },
    // x32: x86_64's registers with 32-bit longs and pointers; numbers carry bit 30.
    ArchSpec {
        name: "x32",
        module: "x32",
        number_bit: 0x4000_0000,
        output: "crates/arch-x32/src/syscalls.rs",
        syscall_prefixes: &[("__NR_", "")],
        not_syscalls: &[],
        extra_entries: &[],
        // x32's compat preadv2/pwritev2 take the offset in one 64-bit register.
        nargs_overrides: &[("preadv2", 5), ("pwritev2", 5)],
        renames: &[],
        borrowed_numbers: Some(BorrowedNumbers {
            module: "x86_64",
            below: 512,
            suffix: "#64",
        }),
    },
    // aarch64: the generic table.
    ArchSpec {
        name: "aarch64",
        module: "aarch64",
        number_bit: 0,
        output: "crates/arch-aarch64/src/syscalls.rs",
        syscall_prefixes: &[("__NR_", "")],
        not_syscalls: &[],
        extra_entries: &[],
        nargs_overrides: &[],
        renames: &[],
        borrowed_numbers: None,
    },
];
