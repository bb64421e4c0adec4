//! rtrace's developer tasks, run as `cargo xtask <command>`.
//!
//! Owns: generating the checked-in syscall tables from the linux-raw-sys crate
//! (`gen-syscalls`), the project's one test command (`test`), the ARM tests in armv7 and
//! aarch64 VMs (`test-arm`), the benchmark against strace and the ptrace floor (`bench`),
//! the man page and shell completions (`docs`, from the clap definition in
//! rtrace-options), and shipping: release tarballs and .debs per target (`dist`), one
//! static file (`static`), an install into a prefix (`install`), and their checks
//! (`test-ship`).
//!
//! Must not know: anything about tracing itself; it links no tracing crate (only
//! rtrace-options, which is clap alone, and the end-to-end harness rtrace-tests, which
//! judges the ARM VMs' traces), so a broken crate cannot stop the table that would fix it
//! from being regenerated.

mod arch_specs;
mod arm;
mod bench;
mod consts_spec;
mod docs;
mod gen_consts;
mod gen_ioctl;
mod gen_kvm;
mod gen_syscalls;
mod header_probe;
mod install;
mod kernel_numbers;
mod nargs;
mod run;
mod ship;
mod table_source;
mod targets;
mod test_cmd;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "rtrace's developer tasks")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Generate the syscall tables from the pinned linux-raw-sys crate's numbers.
    GenSyscalls {
        /// Only compare with the checked-in tables; fail if they differ.
        #[arg(long)]
        check: bool,
    },
    /// Generate the fs plugin's KVM name tables from <linux/kvm.h> (needs a C compiler).
    GenKvm {
        /// Only compare with the checked-in table; fail if it differs.
        #[arg(long)]
        check: bool,
    },
    /// Generate the constant and flag tables of xtask/src/consts_spec.rs (netlink's
    /// names, ...) from the UAPI headers, as the four architectures' compilers see them.
    GenConsts {
        /// Only compare with the checked-in files; fail if one differs.
        #[arg(long)]
        check: bool,
    },
    /// Generate the fs plugin's ioctl request codes and their structures' flag tables
    /// from the UAPI headers, as the x86_64, aarch64, i386 and armhf compilers see them.
    GenIoctl {
        /// Only compare with the checked-in file; fail if it differs.
        #[arg(long)]
        check: bool,
    },
    /// Install strace and gcc if needed, build the workspace, run `cargo test --workspace`,
    /// then the ARM tests (`test-arm`).
    Test {
        /// Skip the ARM step (`cargo xtask test-arm`), which otherwise runs after the
        /// workspace tests.
        #[arg(long)]
        no_arm: bool,
        /// Passed on to `cargo test --workspace` (e.g. `-p rtrace-engine -- --nocapture`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        cargo_test_args: Vec<String>,
    },
    /// Cross-build for armv7 and aarch64, run the unit tests under qemu-user (those that
    /// need ptrace in the VMs), and trace real programs with rtrace and the reference
    /// strace in an armv7 and an aarch64 VM (installs what it needs; run as root).
    TestArm {
        /// Do not run the unit tests (under qemu-user nor in the VMs).
        #[arg(long)]
        skip_unit_tests: bool,
        /// Seconds each VM may take from boot to power-off before qemu is killed.
        #[arg(long, default_value_t = arm::DEFAULT_VM_TIMEOUT)]
        vm_timeout: u64,
    },
    /// Generate the man page and shell completions (bash, zsh, fish) into target/docs.
    Docs {
        /// Where to write them.
        #[arg(long)]
        out_dir: Option<std::path::PathBuf>,
    },
    /// Benchmark rtrace against strace and a minimal ptrace tracer on several workloads.
    Bench(bench::BenchArgs),
    /// Release tarballs (target/dist/rtrace-VERSION-T.tar.gz) and .deb packages, for this
    /// machine's target or each --target (installs the cross toolchains it needs).
    Dist {
        /// x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu or
        /// armv7-unknown-linux-gnueabihf (repeatable).
        #[arg(long = "target", value_name = "T")]
        targets: Vec<String>,
    },
    /// One statically linked rtrace with the bundled families built in, per target
    /// (target/dist/rtrace-VERSION-T-static).
    Static {
        /// As for dist (repeatable).
        #[arg(long = "target", value_name = "T")]
        targets: Vec<String>,
    },
    /// Build and install rtrace, its plugins, man page and completions under a prefix.
    Install {
        #[arg(long, default_value = "/usr/local")]
        prefix: std::path::PathBuf,
    },
    /// The shipping checks `test` runs: dist tarball, binary alone, cargo install,
    /// install --prefix, the .deb (as root), the static file in an empty chroot.
    TestShip,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let result = match cli.command {
        Task::GenSyscalls { check } => gen_syscalls::run(check).map(|()| 0),
        Task::GenKvm { check } => gen_kvm::run(check).map(|()| 0),
        Task::GenIoctl { check } => gen_ioctl::run(check).map(|()| 0),
        Task::GenConsts { check } => gen_consts::run(check).map(|()| 0),
        Task::Test {
            no_arm,
            cargo_test_args,
        } => test_cmd::run(&cargo_test_args).and_then(|code| {
            // Every step runs; the command fails if any failed.
            let ship = ship::check::run_all()?;
            let code = if code != 0 { code } else { ship };
            if no_arm {
                return Ok(code);
            }
            // The ARM step always runs too; the command fails if any step failed.
            let arm = arm::run(&arm::Options {
                skip_unit_tests: false,
                vm_timeout: std::time::Duration::from_secs(arm::DEFAULT_VM_TIMEOUT),
            })?;
            Ok(if code != 0 { code } else { arm })
        }),
        Task::Bench(args) => bench::run(&args),
        Task::Dist { targets } => ship::dist(&targets).map(|_| 0),
        Task::Static { targets } => ship::static_files(&targets).map(|_| 0),
        Task::Install { prefix } => ship::install(&prefix).map(|_| 0),
        Task::TestShip => ship::check::run_all(),
        Task::Docs { out_dir } => docs::run(out_dir.as_deref()),
        Task::TestArm {
            skip_unit_tests,
            vm_timeout,
        } => arm::run(&arm::Options {
            skip_unit_tests,
            vm_timeout: std::time::Duration::from_secs(vm_timeout),
        }),
    };
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Bad command lines get one line and exit 2; `--help` and `--version` print as usual.
fn usage_error(e: clap::Error) -> ExitCode {
    let known: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => e.exit(),
        ErrorKind::InvalidSubcommand | ErrorKind::UnknownArgument
            if e.get(clap::error::ContextKind::InvalidSubcommand).is_some() =>
        {
            let given = e
                .get(clap::error::ContextKind::InvalidSubcommand)
                .map(|v| v.to_string())
                .unwrap_or_default();
            eprintln!(
                "xtask: unknown command `{given}`; known commands: {}",
                known.join(", ")
            );
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!(
                "xtask: no command given; known commands: {}",
                known.join(", ")
            );
        }
        _ => {
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            eprintln!("xtask: {}", first.trim_start_matches("error: "));
        }
    }
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_args(argv: &[&str]) -> Vec<String> {
        match Cli::try_parse_from(argv).unwrap().command {
            Task::Test {
                cargo_test_args, ..
            } => cargo_test_args,
            other => panic!("parsed as another task: {}", task_name(&other)),
        }
    }

    #[test]
    fn test_passes_every_argument_through() {
        assert_eq!(
            test_args(&["xtask", "test", "-p", "xtask", "--", "--nocapture"]),
            ["-p", "xtask", "--", "--nocapture"]
        );
        assert!(test_args(&["xtask", "test"]).is_empty());
    }

    fn task_name(task: &Task) -> &'static str {
        match task {
            Task::GenSyscalls { .. } => "gen-syscalls",
            Task::GenKvm { .. } => "gen-kvm",
            Task::GenIoctl { .. } => "gen-ioctl",
            Task::GenConsts { .. } => "gen-consts",
            Task::Test { .. } => "test",
            Task::TestArm { .. } => "test-arm",
            Task::Bench(_) => "bench",
            Task::Docs { .. } => "docs",
            Task::Dist { .. } => "dist",
            Task::Static { .. } => "static",
            Task::Install { .. } => "install",
            Task::TestShip => "test-ship",
        }
    }

    #[test]
    fn test_arm_options() {
        match Cli::try_parse_from(["xtask", "test-arm"]).unwrap().command {
            Task::TestArm {
                skip_unit_tests,
                vm_timeout,
            } => assert_eq!(
                (skip_unit_tests, vm_timeout),
                (false, arm::DEFAULT_VM_TIMEOUT)
            ),
            other => panic!("parsed as {}", task_name(&other)),
        }
        let err = Cli::try_parse_from(["xtask", "test-arm", "--vm-timeout", "soon"]);
        assert!(err.is_err());
    }

    #[test]
    fn unknown_command_is_a_usage_error() {
        let err = Cli::try_parse_from(["xtask", "frobnicate"]).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::InvalidSubcommand);
    }
}
