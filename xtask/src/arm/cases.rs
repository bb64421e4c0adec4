//! The programs the VMs trace: C fixtures cross-compiled for each ABI, each traced by
//! rtrace and by the reference strace of its ABI (`-f -o FILE`), then compared on the
//! host.

use crate::targets::Toolchain;

/// A C program built for every ABI a machine traces.
pub struct Program {
    /// The name in `/bin/<abi>/` and in reports.
    pub name: &'static str,
    /// Relative to the workspace.
    pub source: &'static str,
    /// Extra gcc arguments.
    pub cflags: &'static [&'static str],
    /// ABIs the program cannot be built for (it uses calls the ABI lacks).
    pub not_for: &'static [&'static str],
    /// Copied into the VM with its symbol table, which `-k` names frames by (the
    /// others are stripped).
    pub keep_symbols: bool,
}

/// The programs: files, network, processes, memory, IPC, signals, threads.
/// process_children is not among them: where its parent's SIGCHLDs land among its calls,
/// and whether a child stopped, continued and killed at once gets to run in between,
/// depend on the scheduler, so the reference strace agrees with itself on only 95-98% of
/// its lines in these VMs (measured with the reference's second run), too close to the
/// 95% a case needs; fork_wait, exec_child, signals and threads cover processes here.
pub const PROGRAMS: &[Program] = &[
    program("read_hostname", "tests/arm/read_hostname.c"),
    program("fileops", "tests/fixtures/fileops.c"),
    program("families", "tests/arm/families.c"),
    program("net_calls", "tests/fixtures/net_calls.c"),
    Program {
        // Its poll(2) through syscall(SYS_poll): aarch64 has only ppoll.
        not_for: &["aarch64"],
        ..program("ipc_calls", "tests/fixtures/ipc_calls.c")
    },
    Program {
        // MAP_32BIT is x86_64's; elsewhere that one mmap runs without it (it fails with
        // EBADF either way).
        cflags: &["-DMAP_32BIT=0"],
        ..program("mem_ops", "tests/fixtures/mem_ops.c")
    },
    program("fork_wait", "tests/fixtures/fork_wait.c"),
    program("exec_child", "tests/fixtures/exec_child.c"),
    program("exit_code", "tests/fixtures/exit_code.c"),
    program("signals", "tests/fixtures/signals.c"),
    program("signal_calls", "tests/fixtures/signal_calls.c"),
    program("threads", "tests/fixtures/threads.c"),
    Program {
        // For the -k check (`stack_trace`), built as the x86_64 -k test builds it: -O1,
        // since -O2's sibling calls would turn `return getppid();` into a jump and
        // leave no frame of inner_call.
        cflags: &["-O1"],
        keep_symbols: true,
        ..program(super::stack_trace::PROGRAM, "tests/fixtures/stack_calls.c")
    },
];

const fn program(name: &'static str, source: &'static str) -> Program {
    Program {
        name,
        source,
        cflags: &[],
        not_for: &[],
        keep_symbols: false,
    }
}

impl Program {
    pub fn builds_for(&self, toolchain: &Toolchain) -> bool {
        !self.not_for.contains(&toolchain.abi)
    }
}

/// One traced run: a program of [`PROGRAMS`] with its arguments. `{dir}` in an argument
/// is the private directory init empties before each run (the same path for both
/// tracers, so no per-run name needs normalising); `{bin}` is `/bin/<abi>`.
pub struct Case {
    /// Unique per ABI; in reports.
    pub label: &'static str,
    pub program: &'static str,
    pub args: &'static [&'static str],
    /// Syscalls whose count depends on the scheduler (futex waits on a lock), left out of
    /// both sides as the x86_64 differential suite leaves them out.
    pub scheduler_dependent: &'static [&'static str],
}

pub const CASES: &[Case] = &[
    case("read_hostname", "read_hostname", &[]),
    case("fileops", "fileops", &["{dir}"]),
    case("families", "families", &[]),
    case("net_calls", "net_calls", &["{dir}"]),
    case("ipc_calls", "ipc_calls", &["{dir}"]),
    case("mem_ops", "mem_ops", &[]),
    case("fork_wait", "fork_wait", &[]),
    case("exec_child", "exec_child", &["{bin}/exit_code", "7"]),
    case("signals_handle", "signals", &["handle"]),
    case("signals_term", "signals", &["term"]),
    case("signal_calls", "signal_calls", &[]),
    Case {
        scheduler_dependent: &["futex"],
        ..case("threads", "threads", &[])
    },
];

const fn case(label: &'static str, program: &'static str, args: &'static [&'static str]) -> Case {
    Case {
        label,
        program,
        args,
        scheduler_dependent: &[],
    }
}

/// The directory init gives each run, emptied before it.
pub const RUN_DIR: &str = "/tmp/w";

impl Case {
    pub fn runs_for(&self, toolchain: &Toolchain) -> bool {
        PROGRAMS
            .iter()
            .find(|p| p.name == self.program)
            .is_some_and(|p| p.builds_for(toolchain))
    }

    /// The command line in the VM for programs of `toolchain`.
    pub fn command(&self, toolchain: &Toolchain) -> Vec<String> {
        let bin = format!("/bin/{}", toolchain.abi);
        std::iter::once(format!("{bin}/{}", self.program))
            .chain(
                self.args
                    .iter()
                    .map(|a| a.replace("{dir}", RUN_DIR).replace("{bin}", &bin)),
            )
            .collect()
    }

    /// `abi/label`, unique in a machine.
    pub fn id(&self, toolchain: &Toolchain) -> String {
        format!("{}/{}", toolchain.abi, self.label)
    }
}

/// Where the traces go in the VM (init prints the file after each run).
pub const TRACE_FILE: &str = "/tmp/trace";
/// rtrace's place in the VM; its plugins sit beside it.
pub const RTRACE: &str = "/bin/rtrace";
/// The static file (`cargo xtask static`), alone in its directory: no plugin library
/// beside it, no loader or C library used, the bundled families built in.
pub const RTRACE_STATIC: &str = "/static/rtrace";

/// Where the reference strace for `toolchain`'s programs sits in the VM.
pub fn reference_path(toolchain: &Toolchain) -> String {
    format!("/bin/reference-strace-{}", toolchain.abi)
}

/// init's plan for a machine: for every case of every ABI it traces, a line per run,
/// `ID LABEL TRACER -f -o FILE COMMAND...`: the reference strace, rtrace, the static
/// file, the reference again.
pub fn plan(program_abis: &[&Toolchain]) -> String {
    let mut plan = String::new();
    for toolchain in program_abis {
        for case in CASES.iter().filter(|c| c.runs_for(toolchain)) {
            let command = case.command(toolchain).join(" ");
            for (label, tracer) in [
                (super::verdict::REFERENCE, reference_path(toolchain)),
                (super::verdict::RTRACE, RTRACE.to_string()),
                (super::verdict::RTRACE_STATIC, RTRACE_STATIC.to_string()),
                (super::verdict::REFERENCE_AGAIN, reference_path(toolchain)),
            ] {
                plan.push_str(&format!(
                    "{} {label} {tracer} -f -o {TRACE_FILE} {command}\n",
                    case.id(toolchain)
                ));
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::{AARCH64_CROSS, ARMHF_CROSS};

    #[test]
    fn every_case_names_a_program_and_labels_are_unique() {
        for case in CASES {
            assert!(
                PROGRAMS.iter().any(|p| p.name == case.program),
                "{}",
                case.label
            );
            assert_eq!(
                CASES.iter().filter(|c| c.label == case.label).count(),
                1,
                "{}",
                case.label
            );
        }
    }

    #[test]
    fn commands_use_the_abis_directory() {
        let exec = CASES.iter().find(|c| c.label == "exec_child").unwrap();
        assert_eq!(
            exec.command(&AARCH64_CROSS),
            ["/bin/aarch64/exec_child", "/bin/aarch64/exit_code", "7"]
        );
        let ipc = CASES.iter().find(|c| c.label == "ipc_calls").unwrap();
        assert!(ipc.runs_for(&ARMHF_CROSS) && !ipc.runs_for(&AARCH64_CROSS));
        assert_eq!(
            ipc.command(&ARMHF_CROSS),
            ["/bin/armhf/ipc_calls", "/tmp/w"]
        );
    }

    #[test]
    fn the_plan_runs_each_case_under_every_tracer() {
        let plan = plan(&[&AARCH64_CROSS, &ARMHF_CROSS]);
        assert!(plan.contains(
            "aarch64/fileops reference /bin/reference-strace-aarch64 -f -o /tmp/trace \
             /bin/aarch64/fileops /tmp/w\n"
        ));
        assert!(plan.contains(
            "armhf/fileops rtrace /bin/rtrace -f -o /tmp/trace /bin/armhf/fileops /tmp/w\n"
        ));
        assert!(plan.contains(
            "aarch64/threads rtrace-static /static/rtrace -f -o /tmp/trace /bin/aarch64/threads\n"
        ));
        assert!(plan.contains("armhf/ipc_calls reference /bin/reference-strace-armhf"));
        assert!(!plan.contains("aarch64/ipc_calls"));
        assert!(plan.contains("armhf/ipc_calls reference-again /bin/reference-strace-armhf"));
        assert_eq!(plan.lines().count(), 4 * (2 * CASES.len() - 1));
    }
}
