//! rtrace's bundled `fs` plugin: files, descriptors, directories, metadata, xattrs,
//! pipes, locks, terminals' ioctls and mounts.
//!
//! Owns: the fs family's decoder table ([`DECODERS`]), its flag tables and the few
//! custom decoders the table cannot express (struct stat and friends, fcntl, ioctl,
//! iovec arrays, in/out offsets). Must not know: how it is loaded, ptrace, or how its
//! values are rendered; it depends on `rtrace-sdk` alone. Structs whose layout depends
//! on the ABI are read with the tracee's word size, so 32-bit tracees (ARM's stat64,
//! fcntl64, _llseek, ...) share the same decoders.

pub mod call_structs;
pub mod dirents;
pub mod fanotify;
pub mod fcntl;
pub mod flags;
pub mod handles;
pub mod ifreq;
pub mod ioctl;
pub mod mount;
pub mod mount_api;
pub mod nodes;
pub mod offsets;
pub mod old_times;
pub mod pagecache;
pub mod stat;
pub mod termios;
pub mod vectors;
pub mod xattrat;

use rtrace_sdk::{syscall, Syscall};

use call_structs::{cwd_path, fd_pair, open_how, utimens_times, xattr_out};
use dirents::{dirents64, dirents_old};
use flags::{
    open_flag_bits, open_flags, ACCESS_MODES, AT_FLAGS, CLOSE_RANGE_FLAGS, FADVISE_ADVICE,
    FALLOC_FLAGS, FLOCK_OPS, INOTIFY_INIT_FLAGS, INOTIFY_MASK, MFD_FLAGS, RENAME_FLAGS,
    SEEK_WHENCE, SPLICE_FLAGS, STATX_AT_FLAGS, STATX_MASK, UMOUNT_FLAGS, UNLINKAT_FLAGS,
    XATTR_FLAGS,
};
use mount_api::{
    FSMOUNT_ATTRS, FSMOUNT_FLAGS, FSOPEN_FLAGS, FSPICK_FLAGS, MOVE_MOUNT_FLAGS, OPEN_TREE_FLAGS,
};
use offsets::{fourth_offset, loff_in, split_length};
use old_times::{timeval_pair, utimbuf};
use stat::{dev_arg, stat_struct, statfs64_struct, statfs_struct, statx_struct};
use vectors::{read_vector, vector_flags, vector_offset, write_vector};
use xattrat::XATTRAT_FLAGS;

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    // Opening, reading, writing, closing.
    syscall!(
        "open",
        [Path, Custom(open_flags), OpenMode { flags_arg: 1 }],
        ret = Fd
    ),
    syscall!(
        "openat",
        [Dirfd, Path, Custom(open_flags), OpenMode { flags_arg: 2 }],
        ret = Fd
    ),
    syscall!("openat2", [Dirfd, Path, Custom(open_how), Size], ret = Fd),
    syscall!("creat", [Path, Mode], ret = Fd),
    syscall!("read", [Fd, OutBuf { len_arg: 2 }, Size], ret = Size),
    syscall!("write", [Fd, InBuf { len_arg: 2 }, Size], ret = Size),
    syscall!(
        "pread64",
        [Fd, OutBuf { len_arg: 2 }, Size, Custom(fourth_offset)],
        ret = Size
    ),
    syscall!(
        "pwrite64",
        [Fd, InBuf { len_arg: 2 }, Size, Custom(fourth_offset)],
        ret = Size
    ),
    syscall!("readv", [Fd, CustomAtExit(read_vector), Int], ret = Size),
    syscall!("writev", [Fd, Custom(write_vector), Int], ret = Size),
    syscall!(
        "preadv",
        [Fd, CustomAtExit(read_vector), Int, Custom(vector_offset)],
        ret = Size
    ),
    syscall!(
        "pwritev",
        [Fd, Custom(write_vector), Int, Custom(vector_offset)],
        ret = Size
    ),
    syscall!(
        "preadv2",
        [
            Fd,
            CustomAtExit(read_vector),
            Int,
            Custom(vector_offset),
            Custom(vector_flags)
        ],
        ret = Size
    ),
    syscall!(
        "pwritev2",
        [
            Fd,
            Custom(write_vector),
            Int,
            Custom(vector_offset),
            Custom(vector_flags)
        ],
        ret = Size
    ),
    syscall!("close", [Fd]),
    syscall!(
        "close_range",
        [
            Fd,
            Uint,
            FlagsOrUnknown(CLOSE_RANGE_FLAGS, "CLOSE_RANGE_???")
        ]
    ),
    syscall!("lseek", [Fd, Long, Const(SEEK_WHENCE)], ret = Size),
    syscall!("_llseek", custom = offsets::llseek),
    syscall!("dup", [Fd], ret = Fd),
    syscall!("dup2", [Fd, Fd], ret = Fd),
    syscall!("dup3", [Fd, Fd, Custom(open_flag_bits)], ret = Fd),
    syscall!("fcntl", custom = fcntl::fcntl),
    syscall!("fcntl64", custom = fcntl::fcntl),
    syscall!("ioctl", custom = ioctl::ioctl),
    // Pipes and moving data between descriptors.
    syscall!("pipe", [CustomAtExit(fd_pair)]),
    syscall!("pipe2", [CustomAtExit(fd_pair), Custom(open_flag_bits)]),
    syscall!("sendfile", custom = offsets::sendfile),
    syscall!("sendfile64", custom = offsets::sendfile),
    syscall!(
        "copy_file_range",
        [Fd, Custom(loff_in), Fd, Custom(loff_in), Size, Uint],
        ret = Size
    ),
    syscall!(
        "splice",
        [
            Fd,
            Custom(loff_in),
            Fd,
            Custom(loff_in),
            Size,
            Flags(SPLICE_FLAGS)
        ],
        ret = Size
    ),
    syscall!("tee", [Fd, Fd, Size, Flags(SPLICE_FLAGS)], ret = Size),
    // Names in the tree.
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
    syscall!("rename", [Path, Path]),
    syscall!("renameat", [Dirfd, Path, Dirfd, Path]),
    syscall!("renameat2", [Dirfd, Path, Dirfd, Path, Flags(RENAME_FLAGS)]),
    syscall!("link", [Path, Path]),
    syscall!("linkat", [Dirfd, Path, Dirfd, Path, Flags(AT_FLAGS)]),
    syscall!("symlink", [Path, Path]),
    syscall!("symlinkat", [Path, Dirfd, Path]),
    syscall!("readlink", [Path, OutBuf { len_arg: 2 }, Size]),
    syscall!("readlinkat", [Dirfd, Path, OutBuf { len_arg: 3 }, Size]),
    syscall!("getdents64", [Fd, CustomAtExit(dirents64), Uint]),
    syscall!("getdents", [Fd, CustomAtExit(dirents_old), Uint]),
    syscall!("chdir", [Path]),
    // i386's and ARM's old umount: umount2 without flags.
    syscall!("umount", [Path]),
    syscall!("readdir", custom = dirents::readdir),
    syscall!("fchdir", [Fd]),
    syscall!("getcwd", [CustomAtExit(cwd_path), Size]),
    // Metadata.
    syscall!("stat", [Path, CustomAtExit(stat_struct)]),
    syscall!("lstat", [Path, CustomAtExit(stat_struct)]),
    syscall!("fstat", [Fd, CustomAtExit(stat_struct)]),
    syscall!(
        "newfstatat",
        [Dirfd, Path, CustomAtExit(stat_struct), Flags(AT_FLAGS)]
    ),
    syscall!("stat64", [Path, CustomAtExit(stat_struct)]),
    syscall!("lstat64", [Path, CustomAtExit(stat_struct)]),
    syscall!("fstat64", [Fd, CustomAtExit(stat_struct)]),
    syscall!(
        "fstatat64",
        [Dirfd, Path, CustomAtExit(stat_struct), Flags(AT_FLAGS)]
    ),
    syscall!(
        "statx",
        [
            Dirfd,
            Path,
            Flags(STATX_AT_FLAGS),
            Flags(STATX_MASK),
            CustomAtExit(statx_struct)
        ]
    ),
    syscall!("statfs", [Path, CustomAtExit(statfs_struct)]),
    syscall!("fstatfs", [Fd, CustomAtExit(statfs_struct)]),
    syscall!("statfs64", [Path, Size, CustomAtExit(statfs64_struct)]),
    syscall!("fstatfs64", [Fd, Size, CustomAtExit(statfs64_struct)]),
    syscall!("chmod", [Path, Mode]),
    syscall!("fchmod", [Fd, Mode]),
    syscall!("fchmodat", [Dirfd, Path, Mode]),
    syscall!("chown", [Path, Int, Int]),
    syscall!("lchown", [Path, Int, Int]),
    syscall!("fchown", [Fd, Int, Int]),
    syscall!("chown32", [Path, Int, Int]),
    syscall!("lchown32", [Path, Int, Int]),
    syscall!("fchown32", [Fd, Int, Int]),
    syscall!("fchownat", [Dirfd, Path, Int, Int, Flags(AT_FLAGS)]),
    syscall!("truncate", [Path, Long]),
    syscall!("ftruncate", [Fd, Long]),
    syscall!("truncate64", [Path, Custom(split_length)]),
    syscall!("ftruncate64", [Fd, Custom(split_length)]),
    syscall!("umask", [Mode], ret = Octal),
    syscall!(
        "utimensat",
        [Dirfd, Path, Custom(utimens_times), Flags(AT_FLAGS)]
    ),
    syscall!(
        "utimensat_time64",
        [Dirfd, Path, Custom(utimens_times), Flags(AT_FLAGS)]
    ),
    // Extended attributes.
    syscall!(
        "getxattr",
        [Path, CStr, CustomAtExit(xattr_out), Size],
        ret = Size
    ),
    syscall!(
        "lgetxattr",
        [Path, CStr, CustomAtExit(xattr_out), Size],
        ret = Size
    ),
    syscall!(
        "fgetxattr",
        [Fd, CStr, CustomAtExit(xattr_out), Size],
        ret = Size
    ),
    syscall!(
        "setxattr",
        [Path, CStr, InBuf { len_arg: 3 }, Size, Flags(XATTR_FLAGS)]
    ),
    syscall!(
        "lsetxattr",
        [Path, CStr, InBuf { len_arg: 3 }, Size, Flags(XATTR_FLAGS)]
    ),
    syscall!(
        "fsetxattr",
        [Fd, CStr, InBuf { len_arg: 3 }, Size, Flags(XATTR_FLAGS)]
    ),
    syscall!(
        "listxattr",
        [Path, CustomAtExit(xattr_out), Size],
        ret = Size
    ),
    syscall!(
        "llistxattr",
        [Path, CustomAtExit(xattr_out), Size],
        ret = Size
    ),
    syscall!(
        "flistxattr",
        [Fd, CustomAtExit(xattr_out), Size],
        ret = Size
    ),
    syscall!("removexattr", [Path, CStr]),
    syscall!("lremovexattr", [Path, CStr]),
    syscall!("fremovexattr", [Fd, CStr]),
    // Durability, locks, space, advice.
    syscall!("fsync", [Fd]),
    syscall!("fdatasync", [Fd]),
    syscall!("syncfs", [Fd]),
    syscall!("sync", []),
    syscall!("flock", [Fd, Flags(FLOCK_OPS)]),
    syscall!("fallocate", [Fd, Flags(FALLOC_FLAGS), Long, Long]),
    syscall!("fadvise64", [Fd, Long, Long, Const(FADVISE_ADVICE)]),
    // Special files.
    syscall!(
        "memfd_create",
        [CStr, FlagsOrUnknown(MFD_FLAGS, "MFD_???")],
        ret = Fd
    ),
    syscall!("inotify_init", [], ret = Fd),
    syscall!("inotify_init1", [Flags(INOTIFY_INIT_FLAGS)], ret = Fd),
    syscall!("inotify_add_watch", [Fd, Path, Flags(INOTIFY_MASK)]),
    syscall!("inotify_rm_watch", [Fd, Int]),
    syscall!("mknod", custom = nodes::mknod),
    syscall!("mknodat", custom = nodes::mknodat),
    syscall!("fanotify_init", custom = fanotify::fanotify_init),
    syscall!("fanotify_mark", custom = fanotify::fanotify_mark),
    syscall!(
        "vmsplice",
        [
            Fd,
            Custom(write_vector),
            Size,
            FlagsOrUnknown(SPLICE_FLAGS, "SPLICE_F_???")
        ]
    ),
    // Old ways of setting times.
    syscall!("utime", [Path, Custom(utimbuf)]),
    syscall!("utimes", [Path, Custom(timeval_pair)]),
    syscall!("futimesat", [Dirfd, Path, Custom(timeval_pair)]),
    // The page cache.
    syscall!("readahead", custom = pagecache::readahead),
    syscall!("fadvise64_64", custom = pagecache::fadvise64_64),
    syscall!("sync_file_range", custom = pagecache::sync_file_range),
    syscall!("sync_file_range2", custom = pagecache::sync_file_range2),
    syscall!("cachestat", custom = pagecache::cachestat),
    // File handles.
    syscall!("name_to_handle_at", custom = handles::name_to_handle_at),
    syscall!("open_by_handle_at", custom = handles::open_by_handle_at),
    // Newer *at calls.
    syscall!(
        "fchmodat2",
        [Dirfd, Path, Mode, FlagsOrUnknown(AT_FLAGS, "AT_???")]
    ),
    syscall!("setxattrat", custom = xattrat::setxattrat),
    syscall!("getxattrat", custom = xattrat::getxattrat),
    syscall!(
        "listxattrat",
        [
            Dirfd,
            Path,
            FlagsOrUnknown(XATTRAT_FLAGS, "AT_???"),
            CustomAtExit(xattr_out),
            Size
        ]
    ),
    syscall!(
        "removexattrat",
        [Dirfd, Path, FlagsOrUnknown(XATTRAT_FLAGS, "AT_???"), CStr]
    ),
    syscall!("file_getattr", custom = xattrat::file_getattr),
    syscall!("file_setattr", custom = xattrat::file_setattr),
    // Obsolete calls.
    syscall!("ustat", [Custom(dev_arg), Ptr]),
    syscall!("uselib", [Path]),
    // Mounts.
    syscall!("mount", custom = mount::mount),
    syscall!("umount2", [Path, Flags(UMOUNT_FLAGS)]),
    syscall!("pivot_root", [Path, Path]),
    syscall!(
        "fsopen",
        [CStr, FlagsOrUnknown(FSOPEN_FLAGS, "FSOPEN_???")],
        ret = Fd
    ),
    syscall!("fsconfig", custom = mount_api::fsconfig),
    syscall!(
        "fsmount",
        [
            Fd,
            FlagsOrUnknown(FSMOUNT_FLAGS, "FSMOUNT_???"),
            FlagsOrUnknown(FSMOUNT_ATTRS, "MOUNT_ATTR_???")
        ],
        ret = Fd
    ),
    syscall!(
        "fspick",
        [Dirfd, Path, FlagsOrUnknown(FSPICK_FLAGS, "FSPICK_???")],
        ret = Fd
    ),
    syscall!(
        "move_mount",
        [
            Dirfd,
            Path,
            Dirfd,
            Path,
            FlagsOrUnknown(MOVE_MOUNT_FLAGS, "MOVE_MOUNT_???")
        ]
    ),
    syscall!(
        "open_tree",
        [
            Dirfd,
            Path,
            FlagsOrUnknown(OPEN_TREE_FLAGS, "OPEN_TREE_???")
        ],
        ret = Fd
    ),
    syscall!("open_tree_attr", custom = mount_api::mount_setattr),
    syscall!("mount_setattr", custom = mount_api::mount_setattr),
    syscall!("statmount", custom = mount_api::statmount),
    syscall!("listmount", custom = mount_api::listmount),
];

rtrace_sdk::export_plugin! {
    name: "fs",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
