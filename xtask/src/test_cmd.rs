//! `cargo xtask test [ARGS]...`: the project's one test command. Makes sure the tools the
//! end-to-end tests run (strace to compare against, gcc to build fixtures, chromium to
//! load the timeline page) are present, builds the whole workspace so the rtrace binary
//! and plugin .so files exist, then runs `cargo test --workspace` with any extra
//! arguments.

use std::process::Command;

use anyhow::Result;

use crate::gen_syscalls::workspace_root;
use crate::install::{ensure, Requirement};
use crate::run::{exit_code, run_status};
use crate::targets::I686_CROSS;

const TASK: &str = "test";

/// What the tests need: the programs the end-to-end tests run.
fn requirements() -> Vec<Requirement> {
    vec![
        Requirement::program("strace", "strace"),
        Requirement::program("gcc", "gcc"),
        // xtask's initramfs test reads its archive back with GNU cpio.
        Requirement::program("cpio", "cpio"),
        // The --timeline page is checked in headless Chromium.
        Requirement::program("chromium", "chromium"),
        // The i386 personality's static 32-bit fixtures.
        Requirement::program(&I686_CROSS.tool("gcc"), I686_CROSS.packages.gcc),
        Requirement::file(
            format!("{}/lib/libc.a", I686_CROSS.sysroot),
            I686_CROSS.packages.libc_dev,
        ),
        // The netlink test traces ip, ss and tc (tc's objects in a network namespace
        // of their own, made by util-linux's unshare).
        Requirement::program("ip", "iproute2"),
        Requirement::program("ss", "iproute2"),
        Requirement::program("tc", "iproute2"),
        Requirement::program("unshare", "util-linux"),
    ]
}

/// Runs the steps and returns cargo test's exit code.
pub fn run(extra_args: &[String]) -> Result<i32> {
    step("checking for strace, gcc, the i686 cross compiler, cpio, chromium, iproute2 and unshare");
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
