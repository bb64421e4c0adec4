//! `cargo xtask test [ARGS]...`: the project's one test command. Makes sure the tools the
//! end-to-end tests run (strace to compare against, gcc to build fixtures) are present,
//! builds the whole workspace so the rtrace binary and plugin .so files exist, then runs
//! `cargo test --workspace` with any extra arguments.

use std::path::Path;
use std::process::{Command, ExitStatus};

use anyhow::{bail, Context, Result};

use crate::gen_syscalls::workspace_root;

/// Programs the tests need, each with the Debian package that provides it.
const REQUIRED_TOOLS: &[(&str, &str)] = &[("strace", "strace"), ("gcc", "gcc")];

/// Runs the steps and returns cargo test's exit code.
pub fn run(extra_args: &[String]) -> Result<i32> {
    step("checking for strace and gcc");
    ensure_tools()?;

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = workspace_root();

    step("cargo build --workspace");
    let status = run_status(Command::new(&cargo).args(["build", "--workspace"]), &root)?;
    if !status.success() {
        return Ok(exit_code(status));
    }

    step(&format!("cargo test --workspace {}", extra_args.join(" ")));
    let status = run_status(
        Command::new(&cargo)
            .args(["test", "--workspace"])
            .args(extra_args),
        &root,
    )?;
    Ok(exit_code(status))
}

fn step(what: &str) {
    println!("xtask test: {}", what.trim_end());
}

fn ensure_tools() -> Result<()> {
    let missing: Vec<&str> = REQUIRED_TOOLS
        .iter()
        .filter(|(tool, _)| find_in_path(tool).is_none())
        .map(|&(_, package)| package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install = format!("apt-get install -y {}", missing.join(" "));
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        bail!(
            "missing {}; install them as root: apt-get update && {install}",
            missing.join(", ")
        );
    }
    step(&format!("installing {}", missing.join(", ")));
    let root = workspace_root();
    for args in [vec!["update"], vec!["install", "-y"]] {
        let mut command = Command::new("apt-get");
        command.args(&args);
        if args[0] == "install" {
            command.args(&missing);
        }
        let status = run_status(&mut command, &root)?;
        if !status.success() {
            bail!("`apt-get {}` failed ({status})", args.join(" "));
        }
    }
    if let Some((tool, _)) = REQUIRED_TOOLS
        .iter()
        .find(|(tool, _)| find_in_path(tool).is_none())
    {
        bail!("{tool} is still missing after `{install}`");
    }
    Ok(())
}

fn run_status(command: &mut Command, dir: &Path) -> Result<ExitStatus> {
    command
        .current_dir(dir)
        .status()
        .with_context(|| format!("cannot run {:?}", command.get_program()))
}

/// The exit code to pass on; a child killed by a signal counts as the shell would report it.
fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1)
}

fn find_in_path(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_programs_on_path_only() {
        assert!(find_in_path("sh").is_some());
        assert!(find_in_path("surely-not-a-real-program-xtask").is_none());
    }

    #[test]
    fn exit_codes_pass_through() {
        let status = Command::new("sh").args(["-c", "exit 3"]).status().unwrap();
        assert_eq!(exit_code(status), 3);
        let killed = Command::new("sh")
            .args(["-c", "kill -TERM $$"])
            .status()
            .unwrap();
        assert_eq!(exit_code(killed), 128 + libc::SIGTERM);
    }
}
