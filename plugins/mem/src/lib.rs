//! rtrace's bundled `mem` plugin: memory mappings (mmap, mprotect, mremap, brk),
//! advice, locking, residency, barriers, and copies between processes.
//!
//! Owns: the memory family's decoder table, its flag tables and the few custom
//! decoders (mmap's flags, iovec arrays). Must not know: how it is loaded, ptrace, or
//! how its values are rendered; it depends on `rtrace-sdk` alone. Structs whose
//! layout depends on the word size (iovec) are read with the tracee's word size.

pub mod calls;
pub mod flags;

use rtrace_sdk::{syscall, Syscall};

use calls::{
    membarrier, mincore_vector, mmap_flags, mremap, page_offset, process_vm_readv,
    process_vm_writev,
};
use flags::{MADVISE, MLOCK2_FLAGS, MLOCKALL_FLAGS, MSYNC_FLAGS, PKEY_ACCESS, PROT};

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
];

rtrace_sdk::export_plugin! {
    name: "mem",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
