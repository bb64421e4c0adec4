//! Running child processes from a task: progress lines and exit codes.

use std::path::Path;
use std::process::{Command, ExitStatus};

use anyhow::{Context, Result};

/// One progress line, `xtask <task>: <what>`, so a long log shows where it is.
pub fn step(task: &str, what: &str) {
    println!("xtask {task}: {}", what.trim_end());
}

pub fn run_status(command: &mut Command, dir: &Path) -> Result<ExitStatus> {
    command
        .current_dir(dir)
        .status()
        .with_context(|| format!("cannot run {:?}", command.get_program()))
}

/// The exit code to pass on; a child killed by a signal counts as the shell would report it.
pub fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
