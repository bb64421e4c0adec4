//! rtrace's bundled `mem` plugin: memory mappings (mmap, mprotect, mremap, brk),
//! advice, locking, residency, barriers, and copies between processes.
//!
//! Owns: the memory family's decoder table, its flag tables and the few custom
//! decoders (mmap's flags, iovec arrays). Must not know: how it is loaded, ptrace, or
//! how its values are rendered; it depends on `rtrace-sdk` alone. Structs whose
//! layout depends on the word size (iovec) are read with the tracee's word size.

pub mod calls;
pub mod flags;
pub mod numa;

use rtrace_sdk::{syscall, Syscall};

use calls::{
    membarrier, mincore_vector, mmap_flags, mremap, page_offset, process_vm_readv,
    process_vm_writev,
};
use flags::{
    MADVISE, MEMFD_SECRET_FLAGS, MLOCK2_FLAGS, MLOCKALL_FLAGS, MSYNC_FLAGS, PKEY_ACCESS, PROT,
    SHADOW_STACK_FLAGS, USERFAULTFD_FLAGS,
};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!(
        "mmap",
        [Ptr, Size, Flags(PROT), Custom(mmap_flags), Fd, Hex],
        ret = Hex
    ),
    syscall!(
        "mmap2",
        [
            Ptr,
            Size,
            Flags(PROT),
            Custom(mmap_flags),
            Fd,
            Custom(page_offset)
        ],
        ret = Hex
    ),
    syscall!("munmap", [Ptr, Size]),
    syscall!("mprotect", [Ptr, Size, Flags(PROT)]),
    syscall!("pkey_mprotect", [Ptr, Size, Flags(PROT), Int]),
    syscall!("pkey_alloc", [Hex, FlagsOrUnknown(PKEY_ACCESS, "PKEY_???")]),
    syscall!("pkey_free", [Int]),
    syscall!("mremap", custom = mremap),
    syscall!("madvise", [Ptr, Size, Const(MADVISE)]),
    syscall!("brk", [Ptr], ret = Hex),
    syscall!("msync", [Ptr, Size, FlagsOrUnknown(MSYNC_FLAGS, "MS_???")]),
    syscall!("mlock", [Ptr, Size]),
    syscall!(
        "mlock2",
        [Ptr, Size, FlagsOrUnknown(MLOCK2_FLAGS, "MLOCK_???")]
    ),
    syscall!("munlock", [Ptr, Size]),
    syscall!("mlockall", [FlagsOrUnknown(MLOCKALL_FLAGS, "MCL_???")]),
    syscall!("munlockall", []),
    syscall!("mincore", [Ptr, Size, CustomAtExit(mincore_vector)]),
    syscall!("membarrier", custom = membarrier),
    syscall!("process_vm_readv", custom = process_vm_readv),
    syscall!("process_vm_writev", custom = process_vm_writev),
    syscall!("process_madvise", custom = numa::process_madvise),
    syscall!("process_mrelease", [Fd, Hex]),
    syscall!(
        "remap_file_pages",
        [Ptr, Size, LongFlags(PROT), Size, Custom(mmap_flags)]
    ),
    syscall!("memfd_secret", [Flags(MEMFD_SECRET_FLAGS)], ret = Fd),
    syscall!(
        "userfaultfd",
        [FlagsOrUnknown(USERFAULTFD_FLAGS, "UFFD_???")],
        ret = Fd
    ),
    syscall!(
        "map_shadow_stack",
        [
            Ptr,
            Size,
            FlagsOrUnknown(SHADOW_STACK_FLAGS, "SHADOW_STACK_???")
        ],
        ret = Hex
    ),
    syscall!("mseal", [Ptr, Size, Hex]),
    // NUMA policies.
    syscall!("mbind", custom = numa::mbind),
    syscall!("set_mempolicy", custom = numa::set_mempolicy),
    syscall!("get_mempolicy", custom = numa::get_mempolicy),
    syscall!("migrate_pages", custom = numa::migrate_pages),
    syscall!("move_pages", custom = numa::move_pages),
    syscall!("set_mempolicy_home_node", [Ptr, Size, Size, Hex]),
];

rtrace_sdk::export_plugin! {
    name: "mem",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
