//! rtrace's bundled `fs` plugin: files and descriptors (open, read, write, close, ...).
//!
//! Owns: the fs family's decoder table and flag tables. Must not know: how it is
//! loaded, ptrace, or how its values are rendered; it depends on `rtrace-sdk` alone.
//!
//! Adding a syscall is one line in [`DECODERS`]; the stat family will need custom
//! struct decoders (`Arg::CustomAtExit`) and joins the same table.

pub mod flags;

use rtrace_sdk::{syscall, Syscall};

use flags::{ACCESS_MODES, AT_FLAGS, OPEN_FLAGS, O_FLAG_BITS, SEEK_WHENCE, UNLINKAT_FLAGS};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!(
        "open",
        [Path, Flags(OPEN_FLAGS), OpenMode { flags_arg: 1 }],
        ret = Fd
    ),
    syscall!(
        "openat",
        [Dirfd, Path, Flags(OPEN_FLAGS), OpenMode { flags_arg: 2 }],
        ret = Fd
    ),
    syscall!("creat", [Path, Mode], ret = Fd),
    syscall!("read", [Fd, OutBuf { len_arg: 2 }, Size], ret = Size),
    syscall!("write", [Fd, InBuf { len_arg: 2 }, Size], ret = Size),
    syscall!(
        "pread64",
        [Fd, OutBuf { len_arg: 2 }, Size, Long],
        ret = Size
    ),
    syscall!(
        "pwrite64",
        [Fd, InBuf { len_arg: 2 }, Size, Long],
        ret = Size
    ),
    syscall!("close", [Fd]),
    syscall!("lseek", [Fd, Long, Const(SEEK_WHENCE)], ret = Size),
    syscall!("dup", [Fd], ret = Fd),
    syscall!("dup2", [Fd, Fd], ret = Fd),
    syscall!("dup3", [Fd, Fd, Flags(O_FLAG_BITS)], ret = Fd),
    syscall!("access", [Path, Flags(ACCESS_MODES)]),
    syscall!("faccessat", [Dirfd, Path, Flags(ACCESS_MODES)]),
    syscall!(
        "faccessat2",
        [Dirfd, Path, Flags(ACCESS_MODES), Flags(AT_FLAGS)]
    ),
    syscall!("unlink", [Path]),
    syscall!("unlinkat", [Dirfd, Path, Flags(UNLINKAT_FLAGS)]),
    syscall!("mkdir", [Path, Mode]),
    syscall!("mkdirat", [Dirfd, Path, Mode]),
    syscall!("rmdir", [Path]),
];

rtrace_sdk::export_plugin! {
    name: "fs",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
