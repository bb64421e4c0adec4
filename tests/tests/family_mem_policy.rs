//! The mem plugin's NUMA-policy and newer calls against strace 7.2: mbind,
//! get/set_mempolicy, migrate_pages, move_pages, set_mempolicy_home_node,
//! remap_file_pages, memfd_secret, userfaultfd, process_madvise, process_mrelease,
//! map_shadow_stack and mseal, by default, with `-v` and with `-e verbose=none`.

mod family_support;

use family_support::{check_family, require_strace_7_2, Case};

const MEM_POLICY_SYSCALLS: &[&str] = &[
    "mbind",
    "get_mempolicy",
    "set_mempolicy",
    "migrate_pages",
    "move_pages",
    "set_mempolicy_home_node",
    "remap_file_pages",
    "memfd_secret",
    "userfaultfd",
    "process_madvise",
    "process_mrelease",
    "map_shadow_stack",
    "mseal",
];

#[test]
fn mem_policy_lines_match_strace() {
    require_strace_7_2();
    let case = |options| Case {
        fixture: "mem_policy",
        options,
    };
    check_family(
        "mem_policy",
        "rtrace_mem",
        MEM_POLICY_SYSCALLS,
        &[case(&[]), case(&["-v"]), case(&["-e", "verbose=none"])],
    );
}
