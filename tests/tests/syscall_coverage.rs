//! Every syscall of every table rtrace carries is either decoded by a bundled plugin
//! or listed, with why, in tests/undecoded-syscalls.txt (calls strace 7.2 prints raw
//! too, and the few the host shows itself). A new table entry nobody decodes, or a
//! stale line in the list, fails here with the names.

use std::collections::{BTreeMap, BTreeSet};

use rtrace_arch::SyscallTable;
use rtrace_tests::locate::workspace_root;
use rtrace_tests::plugins::decoded_syscalls;

fn tables() -> [(&'static str, &'static SyscallTable); 5] {
    [
        ("x86_64", &rtrace_arch_x86_64::SYSCALLS),
        ("i386", &rtrace_arch_i386::SYSCALLS),
        ("x32", &rtrace_arch_x32::SYSCALLS),
        ("arm", &rtrace_arch_arm::SYSCALLS),
        ("aarch64", &rtrace_arch_aarch64::SYSCALLS),
    ]
}

/// name -> reason, from the list.
fn listed() -> BTreeMap<String, String> {
    let path = workspace_root().join("tests/undecoded-syscalls.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut names = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, reason) = line
            .split_once(char::is_whitespace)
            .unwrap_or_else(|| panic!("line {}: a name without a reason: {line}", number + 1));
        let reason = reason.trim();
        assert!(
            reason.starts_with("raw: ") || reason.starts_with("host: "),
            "line {}: the reason must say raw: or host: ({line})",
            number + 1
        );
        assert!(
            names.insert(name.to_owned(), reason.to_owned()).is_none(),
            "line {}: {name} is listed twice",
            number + 1
        );
    }
    names
}

#[test]
fn every_table_name_is_decoded_or_listed() {
    let claimed: BTreeSet<String> = decoded_syscalls().into_keys().collect();
    let listed = listed();
    let mut missing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut in_tables = BTreeSet::new();
    for (arch, table) in tables() {
        for desc in table.entries {
            in_tables.insert(desc.name);
            if !claimed.contains(desc.name) && !listed.contains_key(desc.name) {
                missing.entry(desc.name).or_default().push(arch);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "syscalls no plugin decodes and tests/undecoded-syscalls.txt does not list: {missing:?}"
    );
    let decoded_yet_listed: Vec<&String> = listed
        .keys()
        .filter(|name| claimed.contains(*name))
        .collect();
    assert!(
        decoded_yet_listed.is_empty(),
        "listed as undecoded but a plugin decodes them (remove the lines): {decoded_yet_listed:?}"
    );
    let in_no_table: Vec<&String> = listed
        .keys()
        .filter(|name| !in_tables.contains(name.as_str()))
        .collect();
    assert!(
        in_no_table.is_empty(),
        "listed but in no table (remove the lines): {in_no_table:?}"
    );
    println!(
        "{} names over {} tables: {} decoded by plugins, {} listed",
        in_tables.len(),
        tables().len(),
        in_tables.iter().filter(|n| claimed.contains(**n)).count(),
        listed.len()
    );
}
