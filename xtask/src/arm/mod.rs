//! `cargo xtask test-arm`: rtrace on 32-bit ARM (EABI), from a bare x86_64 Debian 12.
//!
//! 1. [`setup`]: installs what is missing: the rustup target, the cross gcc and armhf
//!    libraries, qemu-user, qemu-system-arm, and Debian's armmp kernel (cached).
//! 2. [`cross`]: cross-builds the workspace and runs the unit tests under qemu-arm, which
//!    has no ptrace, process_vm_readv or NETLINK_SOCK_DIAG: tests failing for that reason
//!    (their message names the call and its error) are listed as not run, never as
//!    passed. The tests get `RTRACE_TEST_TARGET_LIBZ` (an armhf zlib, unpacked by
//!    [`debs`], not installed) and `RTRACE_TEST_RUNNER` (qemu-arm, for tests that run
//!    their own binary again). `CARGO_TARGET_DIR` is honoured, so a fresh one replays a
//!    new machine's first run.
//! 3. [`initramfs`]: packs a static init (`tests/arm/init.c`), rtrace with its plugins, the
//!    ARM fixtures and the shared libraries they load into a cpio archive.
//! 4. [`vm`]: boots it under qemu-system-arm; the init runs the checks of
//!    `tests/arm/checks.txt` and prints `N passed, M failed` before powering off.
//!
//! Any failure, a kernel that does not boot, or the timeout makes the task fail.

mod cross;
mod debs;
mod initramfs;
mod kernel;
mod setup;
mod vm;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::gen_syscalls::workspace_root;

/// The Rust target triple and the matching GNU toolchain prefix.
pub const TARGET: &str = "armv7-unknown-linux-gnueabihf";
pub const GNU_PREFIX: &str = "arm-linux-gnueabihf";
/// Where Debian's armhf cross packages install the target's libraries and headers.
pub const SYSROOT: &str = "/usr/arm-linux-gnueabihf";

const TASK: &str = "test-arm";

/// What `cargo xtask test-arm` was asked to do.
pub struct Options {
    /// Skip running the unit tests under qemu-arm (the VM checks still run).
    pub skip_unit_tests: bool,
    /// Seconds the VM may take, boot to power-off.
    pub vm_timeout: Duration,
}

/// Cargo's output directory: `CARGO_TARGET_DIR` (relative to the workspace) when set, so
/// a run with a fresh one starts from nothing, as on a new machine; else `target/`.
pub fn target_root(workspace: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace.join(dir),
        _ => workspace.join("target"),
    }
}

/// Directories under `<target>/arm/`.
pub struct Dirs {
    pub root: PathBuf,
    /// Downloaded .deb files, kept between runs.
    pub cache: PathBuf,
    /// Cross-compiled C programs.
    pub bin: PathBuf,
    /// Unpacked .deb files (the kernel, the armhf zlib), one directory per package.
    pub unpacked: PathBuf,
    pub initramfs: PathBuf,
}

impl Dirs {
    fn new(root: &Path) -> Self {
        let arm = target_root(root).join("arm");
        Dirs {
            root: root.to_path_buf(),
            cache: arm.join("cache"),
            bin: arm.join("bin"),
            unpacked: arm.join("unpacked"),
            initramfs: arm.join("initramfs.cpio"),
        }
    }
}

pub fn run(options: &Options) -> Result<i32> {
    let started = Instant::now();
    let dirs = Dirs::new(&workspace_root());
    for dir in [&dirs.cache, &dirs.bin, &dirs.unpacked] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }

    step("installing what is missing");
    setup::ensure()?;
    let vmlinuz = kernel::fetch(
        &dirs,
        kernel::Flavour {
            name: "armmp",
            dpkg_arch: "armhf",
        },
    )?;

    step(&format!("cross-building the workspace for {TARGET}"));
    cross::build_workspace(&dirs.root)?;

    let unit = if options.skip_unit_tests {
        step("unit tests under qemu-arm skipped (--skip-unit-tests)");
        None
    } else {
        step("unit tests under qemu-arm");
        let libz = debs::target_libz(&dirs)?;
        Some(cross::unit_tests(&dirs.root, &libz)?)
    };

    step("building init and fixtures, packing the initramfs");
    let programs = cross::build_c_programs(&dirs)?;
    let files = initramfs::contents(&dirs, &programs)?;
    let archive = initramfs::write(&dirs.initramfs, &files)?;
    step(&format!(
        "initramfs: {} files, {} KiB",
        files.len(),
        archive / 1024
    ));

    step(&format!("booting {}", vmlinuz.display()));
    let vm = vm::boot(&vmlinuz, &dirs.initramfs, options.vm_timeout)?;

    println!();
    if let Some(unit) = &unit {
        step(&format!(
            "unit tests under qemu-arm: {} passed, {} failed; not run (qemu-user lacks \
             ptrace, process_vm_readv or sock_diag): {}",
            unit.passed,
            unit.failed,
            if unit.not_run.is_empty() {
                "none".to_string()
            } else {
                unit.not_run.join(", ")
            }
        ));
        for binary in &unit.crashed {
            step(&format!("test binary died without a verdict: {binary}"));
        }
    }
    step(&format!(
        "in the VM: {} passed, {} failed (boot to power-off {:.1} s)",
        vm.passed,
        vm.failed,
        vm.elapsed.as_secs_f64()
    ));
    step(&format!("took {:.0} s", started.elapsed().as_secs_f64()));
    let unit_failed = unit.as_ref().map_or(0, |u| u.failed);
    let passed = vm.passed + unit.as_ref().map_or(0, |u| u.passed);
    let failed = vm.failed + unit_failed;
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        bail!("{failed} ARM check(s) failed");
    }
    if vm.passed == 0 {
        bail!("the VM ran no check");
    }
    Ok(0)
}

fn step(what: &str) {
    crate::run::step(TASK, what);
}
