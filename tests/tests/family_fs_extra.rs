//! The fs plugin's less common calls against strace 7.2: device and fifo nodes, the
//! old time-setting calls, readahead and range syncs, file handles, fanotify,
//! vmsplice, ustat, uselib, and the calls newer than Linux 6.1 (cachestat,
//! fchmodat2, the *xattrat calls, file_getattr/file_setattr), in a private
//! directory, by default, with `-v` and with `-e verbose=none`. A file handle's
//! bytes encode the inode of a file created per run, and are replaced on those lines.

mod family_support;
mod family_varying;

use family_support::require_strace_7_2;
use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying::Varying;

const FS_EXTRA_SYSCALLS: &[&str] = &[
    "mknod",
    "mknodat",
    "utime",
    "utimes",
    "futimesat",
    "readahead",
    "sync_file_range",
    "name_to_handle_at",
    "open_by_handle_at",
    "fanotify_init",
    "fanotify_mark",
    "vmsplice",
    "ustat",
    "uselib",
    "cachestat",
    "fchmodat2",
    "setxattrat",
    "getxattrat",
    "listxattrat",
    "removexattrat",
    "file_getattr",
    "file_setattr",
];

const VARYING: &[Varying] = &[Varying {
    calls: &["name_to_handle_at", "open_by_handle_at"],
    pattern: r#"f_handle="[^"]*""#,
    replacement: r#"f_handle="HANDLE""#,
}];

#[test]
fn fs_extra_lines_match_strace() {
    require_strace_7_2();
    let runs = [
        Run {
            label: "fs_extra",
            options: &[],
            command: |dir| fixture_in_dir("fs_extra", dir),
        },
        Run {
            label: "fs_extra",
            options: &["-v"],
            command: |dir| fixture_in_dir("fs_extra", dir),
        },
        Run {
            label: "fs_extra",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("fs_extra", dir),
        },
    ];
    check_varying_family("fs_extra", "rtrace_fs", FS_EXTRA_SYSCALLS, VARYING, &runs);
}
