//! The architectures whose syscall tables `gen-syscalls` writes, one declarative entry each.
//!
//! Adding an architecture means adding one [`ArchSpec`] to [`ARCHES`]: where its kernel
//! headers are, which macros name syscalls, what the headers leave to the preprocessor
//! (bases chosen by `#if`), and what must be added or corrected by hand.

/// Everything the generator needs to know about one architecture.
pub struct ArchSpec {
    /// Short name, for messages (`x86_64`, `arm`).
    pub name: &'static str,
    /// Kernel headers to read, in include order. Later definitions override earlier ones,
    /// as the preprocessor would.
    pub headers: &'static [&'static str],
    /// The Debian package that installs `headers`, named when they are missing.
    pub header_package: &'static str,
    /// The generated file, relative to the workspace root.
    pub output: &'static str,
    /// Macro prefixes that define syscall numbers, with the prefix the syscall's name gets
    /// in the table (`("__ARM_NR_", "")` turns `__ARM_NR_set_tls` into `set_tls`, strace's
    /// spelling).
    pub syscall_prefixes: &'static [(&'static str, &'static str)],
    /// Macros that carry a syscall prefix but are not syscalls (bases, counts).
    pub not_syscalls: &'static [&'static str],
    /// Macros given a fixed value regardless of the headers. The parser does not evaluate
    /// `#if`, so a base that the headers choose by configuration (ARM's
    /// `__NR_SYSCALL_BASE`: 0 for EABI, 0x900000 for OABI) is pinned here.
    pub fixed_macros: &'static [(&'static str, u64)],
    /// Syscalls the headers do not define but the kernel implements: `(number, name)`.
    pub extra_entries: &'static [(u32, &'static str)],
    /// Argument counts that differ on this architecture from `syscall-nargs.tsv`, such as
    /// 64-bit arguments split over register pairs on a 32-bit ABI.
    pub nargs_overrides: &'static [(&'static str, u8)],
    /// Header names that strace prints differently: `(header name, strace's name)`.
    /// Applied before argument counts are looked up, so counts are keyed by strace's name.
    pub renames: &'static [(&'static str, &'static str)],
}

pub const ARCHES: &[ArchSpec] = &[
    ArchSpec {
        name: "x86_64",
        headers: &["/usr/include/x86_64-linux-gnu/asm/unistd_64.h"],
        header_package: "linux-libc-dev",
        output: "crates/arch-x86_64/src/syscalls.rs",
        syscall_prefixes: &[("__NR_", "")],
        not_syscalls: &[],
        fixed_macros: &[],
        extra_entries: &[],
        nargs_overrides: &[],
        renames: &[],
    },
    // 32-bit ARM, EABI only (OABI's 0x900000-based numbers are not supported). The
    // cross headers' unistd.h picks unistd-eabi.h or unistd-oabi.h with `#if`; reading
    // unistd-eabi.h directly and pinning the base to 0 gives the EABI numbers.
    ArchSpec {
        name: "arm",
        headers: &[
            "/usr/arm-linux-gnueabihf/include/asm/unistd.h",
            "/usr/arm-linux-gnueabihf/include/asm/unistd-eabi.h",
        ],
        header_package: "linux-libc-dev-armhf-cross",
        output: "crates/arch-arm/src/syscalls.rs",
        // ARM's private calls (__ARM_NR_set_tls, ...) print without prefix in strace.
        syscall_prefixes: &[("__NR_", ""), ("__ARM_NR_", "")],
        not_syscalls: &[
            "__NR_OABI_SYSCALL_BASE",
            "__NR_SYSCALL_MASK",
            "__ARM_NR_BASE",
        ],
        fixed_macros: &[("__NR_SYSCALL_BASE", 0)],
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
    },
];
