//! The host tools test-arm needs, installed when missing.

use std::process::Command;

use anyhow::{bail, Context, Result};

use super::machines::{toolchains, MACHINES};
use super::step;
use crate::install::{apt_update, ensure as apt_ensure, ensure_rust_target, Requirement};
use crate::targets::Toolchain;

/// Programs and files, each with the Debian package (bookworm) that provides it.
fn requirements() -> Vec<Requirement> {
    let mut needs = Vec::new();
    for toolchain in toolchains() {
        needs.extend(toolchain_requirements(toolchain));
    }
    for machine in MACHINES {
        // Debian's qemu-system-arm package holds both qemu-system-arm and -aarch64.
        needs.push(Requirement::program(machine.qemu_system, "qemu-system-arm"));
    }
    needs.push(Requirement::program("dpkg-deb", "dpkg"));
    needs
}

fn toolchain_requirements(toolchain: &Toolchain) -> Vec<Requirement> {
    let sysroot = toolchain.sysroot;
    let packages = &toolchain.packages;
    vec![
        Requirement::program(&toolchain.tool("gcc"), packages.gcc),
        Requirement::program(&toolchain.tool("readelf"), packages.binutils),
        Requirement::program(&toolchain.tool("strip"), packages.binutils),
        // The static libc for init, and the shared one the VM's programs load.
        Requirement::file(format!("{sysroot}/lib/libc.a"), packages.libc_dev),
        Requirement::file(format!("{sysroot}/lib/libc.so.6"), packages.libc),
        Requirement::file(format!("{sysroot}/lib/libgcc_s.so.1"), packages.libgcc),
        Requirement::program(toolchain.qemu_user, "qemu-user"),
    ]
}

pub fn ensure() -> Result<()> {
    // apt-get sees the kernels and zlib (downloaded, not installed) only with them.
    for toolchain in toolchains() {
        ensure_dpkg_architecture(toolchain.dpkg_arch)?;
    }
    apt_ensure("test-arm", &requirements())?;
    for machine in MACHINES {
        ensure_rust_target("test-arm", machine.target.triple)?;
    }
    Ok(())
}

/// Adds `arch` to dpkg's architectures (needed to see its packages), then refreshes apt.
fn ensure_dpkg_architecture(arch: &str) -> Result<()> {
    let out = Command::new("dpkg")
        .arg("--print-foreign-architectures")
        .output()
        .context("cannot run dpkg")?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|a| a.trim() == arch)
    {
        return Ok(());
    }
    step(&format!("dpkg --add-architecture {arch}"));
    let status = Command::new("dpkg")
        .args(["--add-architecture", arch])
        .status()
        .context("cannot run dpkg")?;
    if !status.success() {
        bail!("`dpkg --add-architecture {arch}` failed ({status})");
    }
    apt_update("test-arm")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_toolchains_and_both_qemus_are_required() {
        let needs = requirements();
        for need in [
            Requirement::program("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu"),
            Requirement::file("/usr/aarch64-linux-gnu/lib/libc.a", "libc6-dev-arm64-cross"),
            Requirement::program("qemu-aarch64", "qemu-user"),
            Requirement::program("qemu-system-aarch64", "qemu-system-arm"),
            Requirement::program("arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf"),
            Requirement::file(
                "/usr/arm-linux-gnueabihf/lib/libc.so.6",
                "libc6-armhf-cross",
            ),
        ] {
            assert!(needs.contains(&need), "{need:?}");
        }
    }
}
