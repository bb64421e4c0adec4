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
    /// in the table (`("__ARM_NR_", "ARM_")` turns `__ARM_NR_set_tls` into `ARM_set_tls`,
    /// strace's spelling).
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
}

pub const ARCHES: &[ArchSpec] = &[ArchSpec {
    name: "x86_64",
    headers: &["/usr/include/x86_64-linux-gnu/asm/unistd_64.h"],
    header_package: "linux-libc-dev",
    output: "crates/arch-x86_64/src/syscalls.rs",
    syscall_prefixes: &[("__NR_", "")],
    not_syscalls: &[],
    fixed_macros: &[],
    extra_entries: &[],
    nargs_overrides: &[],
}];
