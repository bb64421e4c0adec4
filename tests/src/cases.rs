//! The programs every differential test traces, as one table.

use std::path::Path;

use crate::fixtures::fixture;

/// One program to trace under both tracers.
pub struct Case {
    pub name: &'static str,
    /// Follow children and threads (`-f`).
    pub follow: bool,
    /// The command line, given a private temporary directory it may use.
    pub command: fn(&Path) -> Vec<String>,
    /// Syscalls whose number depends on the scheduler (futex waits on a lock), left out
    /// of the comparison: strace does not agree with itself on them.
    pub scheduler_dependent: &'static [&'static str],
}

fn fixture_command(name: &str, args: &[&str]) -> Vec<String> {
    let mut command = vec![fixture(name).display().to_string()];
    command.extend(args.iter().map(|a| a.to_string()));
    command
}

fn words(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

/// A case traced without `-f` whose every call is deterministic.
const fn single(name: &'static str, command: fn(&Path) -> Vec<String>) -> Case {
    Case {
        name,
        follow: false,
        command,
        scheduler_dependent: &[],
    }
}

/// A case traced with `-f`.
const fn followed(name: &'static str, command: fn(&Path) -> Vec<String>) -> Case {
    Case {
        name,
        follow: true,
        command,
        scheduler_dependent: &[],
    }
}

pub const CASES: &[Case] = &[
    single("true", |_| words(&["/bin/true"])),
    single("ls /", |_| words(&["ls", "/"])),
    single("sh -c 'echo hi'", |_| words(&["sh", "-c", "echo hi"])),
    single("exit_code 3", |_| fixture_command("exit_code", &["3"])),
    single("fileops", |dir| {
        fixture_command("fileops", &[dir.to_str().expect("UTF-8 temp path")])
    }),
    single("signals handle", |_| {
        fixture_command("signals", &["handle"])
    }),
    single("signals term", |_| fixture_command("signals", &["term"])),
    single("echo_stdin", |_| fixture_command("echo_stdin", &[])),
    followed("fork_wait", |_| fixture_command("fork_wait", &[])),
    followed("exec_child /bin/true", |_| {
        fixture_command("exec_child", &["/bin/true"])
    }),
    Case {
        scheduler_dependent: &["futex"],
        ..followed("threads", |_| fixture_command("threads", &[]))
    },
];
