//! The fs plugin against strace 6.1: every line of an fs-family syscall in the
//! fixtures' traces, compared whole, by default, with `-v` and with `-s 5`.
//!
//! `fs_ops` makes every call of the family with ordinary and tricky arguments; its
//! files are new each run (inode numbers and times change), so its `-v` output is
//! compared through `fs_verbose`, which stats only files no one changes and holds
//! the other calls whose `-v` form differs (termios, long iovec arrays, dirents).

mod family_support;

use family_support::{check_family, Case};

/// The syscalls the fs plugin decodes (those x86_64 has; the 32-bit ARM variants
/// share their decoders and are checked by the ARM tests' tracees).
const FS_SYSCALLS: &[&str] = &[
    "open",
    "openat",
    "openat2",
    "creat",
    "read",
    "write",
    "pread64",
    "pwrite64",
    "readv",
    "writev",
    "preadv",
    "pwritev",
    "preadv2",
    "pwritev2",
    "close",
    "close_range",
    "lseek",
    "dup",
    "dup2",
    "dup3",
    "fcntl",
    "ioctl",
    "pipe",
    "pipe2",
    "sendfile",
    "copy_file_range",
    "splice",
    "tee",
    "access",
    "faccessat",
    "faccessat2",
    "unlink",
    "unlinkat",
    "mkdir",
    "mkdirat",
    "rmdir",
    "rename",
    "renameat",
    "renameat2",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "readlink",
    "readlinkat",
    "getdents64",
    "getdents",
    "chdir",
    "fchdir",
    "getcwd",
    "stat",
    "lstat",
    "fstat",
    "newfstatat",
    "statx",
    "statfs",
    "fstatfs",
    "chmod",
    "fchmod",
    "fchmodat",
    "chown",
    "lchown",
    "fchown",
    "fchownat",
    "truncate",
    "ftruncate",
    "umask",
    "utimensat",
    "getxattr",
    "lgetxattr",
    "fgetxattr",
    "setxattr",
    "lsetxattr",
    "fsetxattr",
    "listxattr",
    "llistxattr",
    "flistxattr",
    "removexattr",
    "lremovexattr",
    "fremovexattr",
    "fsync",
    "fdatasync",
    "syncfs",
    "sync",
    "flock",
    "fallocate",
    "fadvise64",
    "memfd_create",
    "inotify_init",
    "inotify_init1",
    "inotify_add_watch",
    "inotify_rm_watch",
    "mount",
    "umount2",
];

#[test]
fn fs_family_lines_match_strace() {
    check_family(
        "fs",
        "rtrace_fs",
        FS_SYSCALLS,
        &[
            Case {
                fixture: "fs_ops",
                options: &[],
            },
            Case {
                fixture: "fs_ops",
                options: &["-s", "5"],
            },
            Case {
                fixture: "fs_verbose",
                options: &[],
            },
            Case {
                fixture: "fs_verbose",
                options: &["-v"],
            },
            // The loader's and libc's own file calls in programs written for other
            // families (threads, children, a second program's startup).
            Case {
                fixture: "process_children",
                options: &["-f"],
            },
        ],
    );
}
