//! rtrace's bundled `mem` plugin: memory mappings (mmap, mprotect, mremap, brk),
//! advice, locking, residency, barriers, and copies between processes.
//!
//! Owns: the memory family's decoder table, its flag tables and the few custom
//! decoders (mmap's flags, iovec arrays). Must not know: how it is loaded, ptrace, or
//! how its values are rendered; it depends on `rtrace-sdk` alone. Structs whose
//! layout depends on the word size (iovec) are read with the tracee's word size.

pub mod calls;
pub mod flags;
mod kernel_consts;
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
        [
            addr: Ptr,
            length: Size,
            prot: LongFlagsOrUnknown(PROT, "PROT_???"),
            flags: Custom(mmap_flags),
            fd: Fd,
            offset: Hex,
        ],
        ret = Hex,
    ),
    syscall!(
        "mmap2",
        [
            addr: Ptr,
            length: Size,
            prot: LongFlagsOrUnknown(PROT, "PROT_???"),
            flags: Custom(mmap_flags),
            fd: Fd,
            offset: Custom(page_offset),
        ],
        ret = Hex,
    ),
    syscall!("munmap", [addr: Ptr, length: Size]),
    syscall!("mprotect", [addr: Ptr, length: Size, prot: LongFlagsOrUnknown(PROT, "PROT_???")]),
    syscall!("pkey_mprotect", [addr: Ptr, length: Size, prot: LongFlagsOrUnknown(PROT, "PROT_???"), pkey: Int]),
    syscall!("pkey_alloc", [flags: Hex, access_rights: FlagsOrUnknown(PKEY_ACCESS, "PKEY_???")]),
    syscall!("pkey_free", [pkey: Int]),
    syscall!(
        "mremap",
        custom = mremap,
        names = [old_address, old_size, new_size, flags, new_address],
    ),
    syscall!("madvise", [addr: Ptr, length: Size, advice: Const(MADVISE)]),
    syscall!("brk", [addr: Ptr], ret = Hex),
    syscall!("msync", [addr: Ptr, length: Size, flags: FlagsOrUnknown(MSYNC_FLAGS, "MS_???")]),
    syscall!("mlock", [addr: Ptr, length: Size]),
    syscall!("mlock2", [addr: Ptr, length: Size, flags: FlagsOrUnknown(MLOCK2_FLAGS, "MLOCK_???")]),
    syscall!("munlock", [addr: Ptr, length: Size]),
    syscall!("mlockall", [flags: FlagsOrUnknown(MLOCKALL_FLAGS, "MCL_???")]),
    syscall!("munlockall", []),
    syscall!("mincore", [addr: Ptr, length: Size, vec: CustomAtExit(mincore_vector)]),
    syscall!("membarrier", custom = membarrier, names = [cmd, flags]),
    syscall!(
        "process_vm_readv",
        custom = process_vm_readv,
        names = [pid, local_iov, liovcnt, remote_iov, riovcnt, flags],
    ),
    syscall!(
        "process_vm_writev",
        custom = process_vm_writev,
        names = [pid, local_iov, liovcnt, remote_iov, riovcnt, flags],
    ),
    syscall!(
        "process_madvise",
        custom = numa::process_madvise,
        names = [pidfd, iovec, n, advice, flags],
    ),
    syscall!("process_mrelease", [pidfd: Fd, flags: Hex]),
    syscall!(
        "remap_file_pages",
        [addr: Ptr, size: Size, prot: LongFlagsOrUnknown(PROT, "PROT_???"), pgoff: Size, flags: Custom(mmap_flags)],
    ),
    syscall!("memfd_secret", [flags: Flags(MEMFD_SECRET_FLAGS)], ret = Fd),
    syscall!("userfaultfd", [flags: FlagsOrUnknown(USERFAULTFD_FLAGS, "UFFD_???")], ret = Fd),
    syscall!(
        "map_shadow_stack",
        [addr: Ptr, len: Size, flags: FlagsOrUnknown(SHADOW_STACK_FLAGS, "SHADOW_STACK_???")],
        ret = Hex,
    ),
    syscall!("mseal", [addr: Ptr, length: Size, flags: Hex]),
    // NUMA policies.
    syscall!(
        "mbind",
        custom = numa::mbind,
        names = [addr, len, mode, nodemask, maxnode, flags]
    ),
    syscall!(
        "set_mempolicy",
        custom = numa::set_mempolicy,
        names = [mode, nodemask, maxnode]
    ),
    syscall!(
        "get_mempolicy",
        custom = numa::get_mempolicy,
        names = [mode, nodemask, maxnode, addr, flags],
    ),
    syscall!(
        "migrate_pages",
        custom = numa::migrate_pages,
        names = [pid, maxnode, old_nodes, new_nodes],
    ),
    syscall!(
        "move_pages",
        custom = numa::move_pages,
        names = [pid, count, pages, nodes, status, flags],
    ),
    syscall!("set_mempolicy_home_node", [start: Ptr, len: Size, home_node: Size, flags: Hex]),
];

rtrace_sdk::export_plugin! {
    name: "mem",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
