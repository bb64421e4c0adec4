//! The host tools test-arm needs, installed when missing.

use std::process::Command;

use anyhow::{bail, Context, Result};

use super::{step, GNU_PREFIX, SYSROOT, TARGET};
use crate::install::{apt_update, ensure as apt_ensure, ensure_rust_target, Requirement};

/// Programs and files, each with the Debian package (bookworm) that provides it.
fn requirements() -> Vec<Requirement> {
    vec![
        Requirement::program(&format!("{GNU_PREFIX}-gcc"), "gcc-arm-linux-gnueabihf"),
        Requirement::program(
            &format!("{GNU_PREFIX}-readelf"),
            "binutils-arm-linux-gnueabihf",
        ),
        // The static libc for init, and the shared one the VM's programs load.
        Requirement::file(format!("{SYSROOT}/lib/libc.a"), "libc6-dev-armhf-cross"),
        Requirement::file(format!("{SYSROOT}/lib/libc.so.6"), "libc6-armhf-cross"),
        Requirement::file(
            format!("{SYSROOT}/lib/libgcc_s.so.1"),
            "libgcc-s1-armhf-cross",
        ),
        Requirement::file(
            format!("{SYSROOT}/include/asm/unistd-eabi.h"),
            "linux-libc-dev-armhf-cross",
        ),
        Requirement::program("qemu-arm", "qemu-user"),
        Requirement::program("qemu-system-arm", "qemu-system-arm"),
        Requirement::program("dpkg-deb", "dpkg"),
    ]
}

pub fn ensure() -> Result<()> {
    // apt-get sees the armhf kernel and zlib (downloaded, not installed) only with it.
    ensure_armhf_architecture()?;
    apt_ensure("test-arm", &requirements())?;
    ensure_rust_target("test-arm", TARGET)
}

/// Adds armhf to dpkg's architectures (needed to see armhf packages), then refreshes apt.
fn ensure_armhf_architecture() -> Result<()> {
    let out = Command::new("dpkg")
        .arg("--print-foreign-architectures")
        .output()
        .context("cannot run dpkg")?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|a| a.trim() == "armhf")
    {
        return Ok(());
    }
    step("dpkg --add-architecture armhf");
    let status = Command::new("dpkg")
        .args(["--add-architecture", "armhf"])
        .status()
        .context("cannot run dpkg")?;
    if !status.success() {
        bail!("`dpkg --add-architecture armhf` failed ({status})");
    }
    apt_update("test-arm")
}
