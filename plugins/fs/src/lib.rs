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
pub mod console;
pub mod dirents;
pub mod fanotify;
pub mod fcntl;
pub mod fiemap;
pub mod flags;
pub mod handles;
pub mod ifreq;
pub mod ioctl;
pub mod ioctl_codes;
mod kernel_consts;
pub mod kvm;
pub mod loop_status;
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
    open_flag_bits, open_flags, ACCESS_MODES, AT_FLAGS, CLOSE_RANGE_FLAGS, FALLOC_FLAGS, FLOCK_OPS,
    INOTIFY_INIT_FLAGS, INOTIFY_MASK, MFD_FLAGS, RENAME_FLAGS, SEEK_WHENCE, SPLICE_FLAGS,
    STATX_AT_FLAGS, STATX_MASK, UMOUNT_FLAGS, UNLINKAT_FLAGS, XATTR_FLAGS,
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
        [pathname: Path, flags: Custom(open_flags), mode: OpenMode { flags_arg: 1 }],
        ret = Fd,
    ),
    syscall!(
        "openat",
        [dirfd: Dirfd, pathname: Path, flags: Custom(open_flags), mode: OpenMode { flags_arg: 2 }],
        ret = Fd,
    ),
    syscall!(
        "openat2",
        [dirfd: Dirfd, pathname: Path, how: Custom(open_how), size: Size],
        ret = Fd,
    ),
    syscall!("creat", [pathname: Path, mode: Mode], ret = Fd),
    syscall!("read", [fd: Fd, buf: OutBuf { len_arg: 2 }, count: Size], ret = Size),
    syscall!("write", [fd: Fd, buf: InBuf { len_arg: 2 }, count: Size], ret = Size),
    syscall!(
        "pread64",
        [fd: Fd, buf: OutBuf { len_arg: 2 }, count: Size, offset: Custom(fourth_offset)],
        ret = Size,
    ),
    syscall!(
        "pwrite64",
        [fd: Fd, buf: InBuf { len_arg: 2 }, count: Size, offset: Custom(fourth_offset)],
        ret = Size,
    ),
    syscall!("readv", [fd: Fd, iov: CustomAtExit(read_vector), iovcnt: Int], ret = Size),
    syscall!("writev", [fd: Fd, iov: Custom(write_vector), iovcnt: Int], ret = Size),
    syscall!(
        "preadv",
        [fd: Fd, iov: CustomAtExit(read_vector), iovcnt: Int, offset: Custom(vector_offset)],
        ret = Size,
    ),
    syscall!(
        "pwritev",
        [fd: Fd, iov: Custom(write_vector), iovcnt: Int, offset: Custom(vector_offset)],
        ret = Size,
    ),
    syscall!(
        "preadv2",
        [
            fd: Fd,
            iov: CustomAtExit(read_vector),
            iovcnt: Int,
            offset: Custom(vector_offset),
            flags: Custom(vector_flags),
        ],
        ret = Size,
    ),
    syscall!(
        "pwritev2",
        [
            fd: Fd,
            iov: Custom(write_vector),
            iovcnt: Int,
            offset: Custom(vector_offset),
            flags: Custom(vector_flags),
        ],
        ret = Size,
    ),
    syscall!("close", [fd: Fd]),
    syscall!(
        "close_range",
        [first: Fd, last: Uint, flags: FlagsOrUnknown(CLOSE_RANGE_FLAGS, "CLOSE_RANGE_???")],
    ),
    syscall!("lseek", [fd: Fd, offset: Long, whence: Const(SEEK_WHENCE)], ret = Size),
    syscall!(
        "_llseek",
        custom = offsets::llseek,
        names = [fd, offset, result, whence]
    ),
    syscall!("dup", [oldfd: Fd], ret = Fd),
    syscall!("dup2", [oldfd: Fd, newfd: Fd], ret = Fd),
    syscall!("dup3", [oldfd: Fd, newfd: Fd, flags: Custom(open_flag_bits)], ret = Fd),
    syscall!("fcntl", custom = fcntl::fcntl, names = [fd, op, arg]),
    syscall!("fcntl64", custom = fcntl::fcntl, names = [fd, op, arg]),
    syscall!("ioctl", custom = ioctl::ioctl, names = [fd, op, argp]),
    // Pipes and moving data between descriptors.
    syscall!("pipe", [pipefd: CustomAtExit(fd_pair)]),
    syscall!("pipe2", [pipefd: CustomAtExit(fd_pair), flags: Custom(open_flag_bits)]),
    syscall!(
        "sendfile",
        custom = offsets::sendfile,
        names = [out_fd, in_fd, offset, count]
    ),
    syscall!(
        "sendfile64",
        custom = offsets::sendfile,
        names = [out_fd, in_fd, offset, count]
    ),
    syscall!(
        "copy_file_range",
        [
            fd_in: Fd,
            off_in: Custom(loff_in),
            fd_out: Fd,
            off_out: Custom(loff_in),
            len: Size,
            flags: Uint,
        ],
        ret = Size,
    ),
    syscall!(
        "splice",
        [
            fd_in: Fd,
            off_in: Custom(loff_in),
            fd_out: Fd,
            off_out: Custom(loff_in),
            len: Size,
            flags: FlagsOrUnknown(SPLICE_FLAGS, "SPLICE_F_???"),
        ],
        ret = Size,
    ),
    syscall!("tee", [fd_in: Fd, fd_out: Fd, len: Size, flags: FlagsOrUnknown(SPLICE_FLAGS, "SPLICE_F_???")], ret = Size),
    // Names in the tree.
    syscall!("access", [pathname: Path, mode: FlagsOrUnknown(ACCESS_MODES, "?_OK")]),
    syscall!("faccessat", [dirfd: Dirfd, pathname: Path, mode: FlagsOrUnknown(ACCESS_MODES, "?_OK")]),
    syscall!(
        "faccessat2",
        [dirfd: Dirfd, pathname: Path, mode: FlagsOrUnknown(ACCESS_MODES, "?_OK"), flags: FlagsOrUnknown(AT_FLAGS, "AT_???")],
    ),
    syscall!("unlink", [path: Path]),
    syscall!("unlinkat", [dirfd: Dirfd, pathname: Path, flags: FlagsOrUnknown(UNLINKAT_FLAGS, "AT_???")]),
    syscall!("mkdir", [pathname: Path, mode: Mode]),
    syscall!("mkdirat", [Dirfd, Path, Mode]),
    syscall!("rmdir", [path: Path]),
    syscall!("rename", [oldpath: Path, newpath: Path]),
    syscall!("renameat", [olddirfd: Dirfd, oldpath: Path, newdirfd: Dirfd, newpath: Path]),
    syscall!(
        "renameat2",
        [
            olddirfd: Dirfd,
            oldpath: Path,
            newdirfd: Dirfd,
            newpath: Path,
            flags: FlagsOrUnknown(RENAME_FLAGS, "RENAME_???"),
        ],
    ),
    syscall!("link", [oldpath: Path, newpath: Path]),
    syscall!(
        "linkat",
        [olddirfd: Dirfd, oldpath: Path, newdirfd: Dirfd, newpath: Path, flags: FlagsOrUnknown(AT_FLAGS, "AT_???")],
    ),
    syscall!("symlink", [oldpath: Path, newpath: Path]),
    syscall!("symlinkat", [target: Path, newdirfd: Dirfd, linkpath: Path]),
    syscall!("readlink", [pathname: Path, buf: OutBuf { len_arg: 2 }, bufsiz: Size]),
    syscall!(
        "readlinkat",
        [dirfd: Dirfd, pathname: Path, buf: OutBuf { len_arg: 3 }, bufsiz: Size],
    ),
    syscall!("getdents64", [fd: Fd, dirp: CustomAtExit(dirents64), count: Uint]),
    syscall!("getdents", [fd: Fd, dirp: CustomAtExit(dirents_old), count: Uint]),
    syscall!("chdir", [path: Path]),
    // i386's and ARM's old umount: umount2 without flags (strace decodes it as chdir).
    syscall!("umount", [path: Path]),
    syscall!(
        "readdir",
        custom = dirents::readdir,
        names = [fd, dirp, count]
    ),
    syscall!("fchdir", [fd: Fd]),
    syscall!("getcwd", [buf: CustomAtExit(cwd_path), size: Size]),
    // Metadata.
    syscall!("stat", [pathname: Path, statbuf: CustomAtExit(stat_struct)]),
    syscall!("lstat", [pathname: Path, statbuf: CustomAtExit(stat_struct)]),
    syscall!("fstat", [fd: Fd, statbuf: CustomAtExit(stat_struct)]),
    syscall!(
        "newfstatat",
        [dirfd: Dirfd, pathname: Path, statbuf: CustomAtExit(stat_struct), flags: FlagsOrUnknown(AT_FLAGS, "AT_???")],
    ),
    syscall!("stat64", [pathname: Path, statbuf: CustomAtExit(stat_struct)]),
    syscall!("lstat64", [pathname: Path, statbuf: CustomAtExit(stat_struct)]),
    syscall!("fstat64", [fd: Fd, statbuf: CustomAtExit(stat_struct)]),
    syscall!(
        "fstatat64",
        [dirfd: Dirfd, pathname: Path, statbuf: CustomAtExit(stat_struct), flags: FlagsOrUnknown(AT_FLAGS, "AT_???")],
    ),
    syscall!(
        "statx",
        [
            dirfd: Dirfd,
            pathname: Path,
            flags: Flags(STATX_AT_FLAGS),
            mask: FlagsOrUnknown(STATX_MASK, "STATX_???"),
            statxbuf: CustomAtExit(statx_struct),
        ],
    ),
    syscall!("statfs", [pathname: Path, buf: CustomAtExit(statfs_struct)]),
    syscall!("fstatfs", [fd: Fd, buf: CustomAtExit(statfs_struct)]),
    syscall!("statfs64", [Path, Size, CustomAtExit(statfs64_struct)]),
    syscall!("fstatfs64", [Fd, Size, CustomAtExit(statfs64_struct)]),
    syscall!("chmod", [pathname: Path, mode: Mode]),
    syscall!("fchmod", [fd: Fd, mode: Mode]),
    syscall!("fchmodat", [dirfd: Dirfd, pathname: Path, mode: Mode]),
    syscall!("chown", [pathname: Path, owner: Int, group: Int]),
    syscall!("lchown", [pathname: Path, owner: Int, group: Int]),
    syscall!("fchown", [fd: Fd, owner: Int, group: Int]),
    syscall!("chown32", [pathname: Path, owner: Int, group: Int]),
    syscall!("lchown32", [pathname: Path, owner: Int, group: Int]),
    syscall!("fchown32", [fd: Fd, owner: Int, group: Int]),
    syscall!(
        "fchownat",
        [dirfd: Dirfd, pathname: Path, owner: Int, group: Int, flags: FlagsOrUnknown(AT_FLAGS, "AT_???")],
    ),
    syscall!("truncate", [path: Path, length: Long]),
    syscall!("ftruncate", [fd: Fd, length: Long]),
    syscall!("truncate64", [path: Path, length: Custom(split_length)]),
    syscall!("ftruncate64", [fd: Fd, length: Custom(split_length)]),
    syscall!("umask", [mask: Mode], ret = Octal),
    syscall!(
        "utimensat",
        [dirfd: Dirfd, pathname: Path, times: Custom(utimens_times), flags: FlagsOrUnknown(AT_FLAGS, "AT_???")],
    ),
    syscall!(
        "utimensat_time64",
        [dirfd: Dirfd, pathname: Path, times: Custom(utimens_times), flags: FlagsOrUnknown(AT_FLAGS, "AT_???")],
    ),
    // Extended attributes.
    syscall!(
        "getxattr",
        [pathname: Path, name: CStr, value: CustomAtExit(xattr_out), size: Size],
        ret = Size,
    ),
    syscall!(
        "lgetxattr",
        [pathname: Path, name: CStr, value: CustomAtExit(xattr_out), size: Size],
        ret = Size,
    ),
    syscall!(
        "fgetxattr",
        [fd: Fd, name: CStr, value: CustomAtExit(xattr_out), size: Size],
        ret = Size,
    ),
    syscall!(
        "setxattr",
        [
            pathname: Path,
            name: CStr,
            value: InBuf { len_arg: 3 },
            size: Size,
            flags: FlagsOrUnknown(XATTR_FLAGS, "XATTR_???"),
        ],
    ),
    syscall!(
        "lsetxattr",
        [
            pathname: Path,
            name: CStr,
            value: InBuf { len_arg: 3 },
            size: Size,
            flags: FlagsOrUnknown(XATTR_FLAGS, "XATTR_???"),
        ],
    ),
    syscall!(
        "fsetxattr",
        [fd: Fd, name: CStr, value: InBuf { len_arg: 3 }, size: Size, flags: FlagsOrUnknown(XATTR_FLAGS, "XATTR_???")],
    ),
    syscall!("listxattr", [pathname: Path, list: CustomAtExit(xattr_out), size: Size], ret = Size),
    syscall!("llistxattr", [pathname: Path, list: CustomAtExit(xattr_out), size: Size], ret = Size),
    syscall!("flistxattr", [fd: Fd, list: CustomAtExit(xattr_out), size: Size], ret = Size),
    syscall!("removexattr", [pathname: Path, name: CStr]),
    syscall!("lremovexattr", [pathname: Path, name: CStr]),
    syscall!("fremovexattr", [fd: Fd, name: CStr]),
    // Durability, locks, space, advice.
    syscall!("fsync", [fd: Fd]),
    syscall!("fdatasync", [fd: Fd]),
    syscall!("syncfs", [fd: Fd]),
    syscall!("sync", []),
    syscall!("flock", [fd: Fd, op: FlagsOrUnknown(FLOCK_OPS, "LOCK_???")]),
    syscall!(
        "fallocate",
        [
            fd: Fd,
            mode: FlagsOrUnknown(FALLOC_FLAGS, "FALLOC_FL_???"),
            offset: Custom(pagecache::fallocate_offset),
            len: Custom(pagecache::fallocate_len),
        ],
    ),
    syscall!(
        "fadvise64",
        custom = pagecache::fadvise64,
        names = [fd, offset, len, advice]
    ),
    // Special files.
    syscall!("memfd_create", [name: CStr, flags: FlagsOrUnknown(MFD_FLAGS, "MFD_???")], ret = Fd),
    syscall!("inotify_init", [], ret = Fd),
    syscall!("inotify_init1", [flags: FlagsOrUnknown(INOTIFY_INIT_FLAGS, "IN_???")], ret = Fd),
    syscall!("inotify_add_watch", [fd: Fd, pathname: Path, mask: FlagsOrUnknown(INOTIFY_MASK, "IN_???")]),
    syscall!("inotify_rm_watch", [fd: Fd, wd: Int]),
    syscall!(
        "mknod",
        custom = nodes::mknod,
        names = [pathname, mode, dev]
    ),
    syscall!(
        "mknodat",
        custom = nodes::mknodat,
        names = [dirfd, pathname, mode, dev]
    ),
    syscall!(
        "fanotify_init",
        custom = fanotify::fanotify_init,
        names = [flags, event_f_flags]
    ),
    syscall!(
        "fanotify_mark",
        custom = fanotify::fanotify_mark,
        names = [fanotify_fd, flags, mask, dirfd, pathname],
    ),
    syscall!(
        "vmsplice",
        [
            fd: Fd,
            iov: Custom(write_vector),
            nr_segs: Size,
            flags: FlagsOrUnknown(SPLICE_FLAGS, "SPLICE_F_???"),
        ],
    ),
    // Old ways of setting times.
    syscall!("utime", [filename: Path, times: Custom(utimbuf)]),
    syscall!("utimes", [pathname: Path, times: Custom(timeval_pair)]),
    syscall!("futimesat", [dirfd: Dirfd, pathname: Path, times: Custom(timeval_pair)]),
    // The page cache.
    syscall!(
        "readahead",
        custom = pagecache::readahead,
        names = [fd, offset, count]
    ),
    syscall!(
        "fadvise64_64",
        custom = pagecache::fadvise64_64,
        names = [fd, offset, len, advice]
    ),
    syscall!(
        "sync_file_range",
        custom = pagecache::sync_file_range,
        names = [fd, offset, nbytes, flags],
    ),
    syscall!(
        "sync_file_range2",
        custom = pagecache::sync_file_range2,
        names = [fd, flags, offset, nbytes],
    ),
    syscall!(
        "cachestat",
        custom = pagecache::cachestat,
        names = [fd, cstat_range, cstat, flags]
    ),
    // File handles.
    syscall!(
        "name_to_handle_at",
        custom = handles::name_to_handle_at,
        names = [dirfd, pathname, handle, mount_id, flags],
    ),
    syscall!(
        "open_by_handle_at",
        custom = handles::open_by_handle_at,
        names = [mount_fd, handle, flags],
    ),
    // Newer *at calls.
    syscall!(
        "fchmodat2",
        [dirfd: Dirfd, pathname: Path, mode: Mode, flags: FlagsOrUnknown(AT_FLAGS, "AT_???")],
    ),
    syscall!(
        "setxattrat",
        custom = xattrat::setxattrat,
        names = [dirfd, pathname, flags, name, args, size],
    ),
    syscall!(
        "getxattrat",
        custom = xattrat::getxattrat,
        names = [dirfd, pathname, flags, name, args, size],
    ),
    syscall!(
        "listxattrat",
        [
            dirfd: Dirfd,
            pathname: Path,
            flags: FlagsOrUnknown(XATTRAT_FLAGS, "AT_???"),
            list: CustomAtExit(xattr_out),
            size: Size,
        ],
    ),
    syscall!(
        "removexattrat",
        [dirfd: Dirfd, pathname: Path, flags: FlagsOrUnknown(XATTRAT_FLAGS, "AT_???"), name: CStr],
    ),
    syscall!(
        "file_getattr",
        custom = xattrat::file_getattr,
        names = [dirfd, pathname, attr, size, flags],
    ),
    syscall!(
        "file_setattr",
        custom = xattrat::file_setattr,
        names = [dirfd, pathname, attr, size, flags],
    ),
    // Obsolete calls.
    syscall!("ustat", [dev: Custom(dev_arg), ubuf: Ptr]),
    syscall!("uselib", [path: Path]),
    // Mounts.
    syscall!(
        "mount",
        custom = mount::mount,
        names = [source, target, filesystemtype, mountflags, data],
    ),
    syscall!("umount2", [target: Path, flags: FlagsOrUnknown(UMOUNT_FLAGS, "MNT_???")]),
    syscall!("pivot_root", [oldpath: Path, newpath: Path]),
    syscall!("fsopen", [fsname: CStr, flags: FlagsOrUnknown(FSOPEN_FLAGS, "FSOPEN_???")], ret = Fd),
    syscall!(
        "fsconfig",
        custom = mount_api::fsconfig,
        names = [fd, cmd, key, value, aux]
    ),
    syscall!(
        "fsmount",
        [
            fd: Fd,
            flags: FlagsOrUnknown(FSMOUNT_FLAGS, "FSMOUNT_???"),
            attr_flags: FlagsOrUnknown(FSMOUNT_ATTRS, "MOUNT_ATTR_???"),
        ],
        ret = Fd,
    ),
    syscall!(
        "fspick",
        [dirfd: Dirfd, pathname: Path, flags: FlagsOrUnknown(FSPICK_FLAGS, "FSPICK_???")],
        ret = Fd,
    ),
    syscall!(
        "move_mount",
        [
            from_dfd: Dirfd,
            from_pathname: Path,
            to_dfd: Dirfd,
            to_pathname: Path,
            flags: FlagsOrUnknown(MOVE_MOUNT_FLAGS, "MOVE_MOUNT_???"),
        ],
    ),
    syscall!(
        "open_tree",
        [dirfd: Dirfd, pathname: Path, flags: FlagsOrUnknown(OPEN_TREE_FLAGS, "OPEN_TREE_???")],
        ret = Fd,
    ),
    syscall!(
        "open_tree_attr",
        custom = mount_api::mount_setattr,
        names = [dirfd, pathname, flags, attr, size],
    ),
    syscall!(
        "mount_setattr",
        custom = mount_api::mount_setattr,
        names = [dirfd, pathname, flags, attr, size],
    ),
    syscall!(
        "statmount",
        custom = mount_api::statmount,
        names = [req, buf, bufsize, flags]
    ),
    syscall!(
        "listmount",
        custom = mount_api::listmount,
        names = [req, mnt_ids, nr_mnt_ids, flags]
    ),
];

rtrace_sdk::export_plugin! {
    name: "fs",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
