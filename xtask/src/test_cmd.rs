//! `cargo xtask test [ARGS]...`: the project's one test command. Makes sure the tools the
//! end-to-end tests run (strace to compare against, gcc to build fixtures, chromium to
//! load the timeline page) and the kernel headers the syscall-table freshness test reads
//! are present, builds the whole workspace so the rtrace binary and plugin .so files
//! exist, then runs `cargo test --workspace` with any extra arguments.

use std::process::Command;

use anyhow::Result;

use crate::arch_specs::ARCHES;
use crate::gen_syscalls::workspace_root;
use crate::install::{ensure, Requirement};
use crate::run::{exit_code, run_status};

const TASK: &str = "test";

/// What the tests need: the programs, and every architecture's kernel headers.
fn requirements() -> Vec<Requirement> {
    let mut needs = vec![
        Requirement::program("strace", "strace"),
        Requirement::program("gcc", "gcc"),
        // xtask's initramfs test reads its archive back with GNU cpio.
        Requirement::program("cpio", "cpio"),
        // The --timeline page is checked in headless Chromium.
        Requirement::program("chromium", "chromium"),
    ];
    for spec in ARCHES {
        for header in spec.headers {
            needs.push(Requirement::file(header, spec.header_package));
        }
    }
    needs
}

/// Runs the steps and returns cargo test's exit code.
pub fn run(extra_args: &[String]) -> Result<i32> {
    step("checking for strace, gcc, cpio, chromium and the kernel headers");
    ensure(TASK, &requirements())?;

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = workspace_root();

    step("cargo build --workspace");
    let status = run_status(Command::new(&cargo).args(["build", "--workspace"]), &root)?;
    if !status.success() {
        return Ok(exit_code(status));
    }

    // --no-fail-fast: one failing test binary must not hide the results of the others.
    step(&format!(
        "cargo test --workspace --no-fail-fast {}",
        extra_args.join(" ")
    ));
    let status = run_status(
        Command::new(&cargo)
            .args(["test", "--workspace", "--no-fail-fast"])
            .args(extra_args),
        &root,
    )?;
    Ok(exit_code(status))
}

fn step(what: &str) {
    crate::run::step(TASK, what);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_arch_header_is_required_with_its_package() {
        let needs = requirements();
        let arm = Requirement::file(
            "/usr/arm-linux-gnueabihf/include/asm/unistd-eabi.h",
            "linux-libc-dev-armhf-cross",
        );
        assert!(needs.contains(&arm), "{needs:?}");
        assert!(needs.contains(&Requirement::program("strace", "strace")));
    }
}
