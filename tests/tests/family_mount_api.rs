//! The new mount API (the fs plugin) against strace 7.2: fsopen, fsconfig, fsmount,
//! move_mount, open_tree, open_tree_attr, mount_setattr, fspick, listmount,
//! statmount and pivot_root, in a private mount namespace under a private directory,
//! by default, with `-v` and with `-e verbose=none`. Mount ids are handed out
//! afresh for every mount, so each run's differ; they are replaced on the lines
//! of listmount and statmount only.

mod family_support;
mod family_varying;

use family_support::require_strace_7_2;
use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying::{self, Varying};

const MOUNT_API_SYSCALLS: &[&str] = &[
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "move_mount",
    "open_tree",
    "open_tree_attr",
    "mount_setattr",
    "listmount",
    "statmount",
    "pivot_root",
];

/// Mount ids, this boot's (`varying::MOUNT_IDS`).
const VARYING: &[Varying] = varying::MOUNT_IDS;

#[test]
fn mount_api_lines_match_strace() {
    require_strace_7_2();
    let runs = [
        Run {
            label: "mount_api",
            options: &[],
            command: |dir| fixture_in_dir("mount_api", dir),
        },
        Run {
            label: "mount_api",
            options: &["-v"],
            command: |dir| fixture_in_dir("mount_api", dir),
        },
        Run {
            label: "mount_api",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("mount_api", dir),
        },
    ];
    check_varying_family("mount_api", "rtrace_fs", MOUNT_API_SYSCALLS, VARYING, &runs);
}
