//! The Linux targets rtrace ships for, their Debian cross toolchains (packages, sysroot,
//! qemu-user), and how cargo is told to link for them. One home for these facts: `dist`,
//! `static`, and `test-arm`'s machines, setup and cross builds use them.

use std::process::Command;

use anyhow::{bail, Result};

use crate::install::{ensure, ensure_rust_target, Requirement};

/// A Debian cross toolchain and the ABI its programs have.
#[derive(Debug, PartialEq, Eq)]
pub struct Toolchain {
    /// The ABI's name in file names and reports: `armhf`, `aarch64` (also the name the
    /// reference strace for its programs is found by, `rtrace_tests::locate`).
    pub abi: &'static str,
    /// The GNU triplet: tool prefix (`arm-linux-gnueabihf-gcc`) and multiarch library
    /// directory (`/lib/arm-linux-gnueabihf`, where the loader looks first).
    pub triplet: &'static str,
    /// Where Debian's cross packages install the target's libraries and headers.
    pub sysroot: &'static str,
    /// dpkg's name of the architecture (for the target's packages: zlib, the kernel).
    pub dpkg_arch: &'static str,
    /// Debian's cross packages: gcc, binutils, the static and shared libc, libgcc_s.
    pub packages: CrossPackages,
    /// qemu's user-mode emulator for the ABI (runs unit tests; it has no ptrace).
    pub qemu_user: &'static str,
}

#[derive(Debug, PartialEq, Eq)]
pub struct CrossPackages {
    pub gcc: &'static str,
    pub binutils: &'static str,
    pub libc_dev: &'static str,
    pub libc: &'static str,
    pub libgcc: &'static str,
}

impl Toolchain {
    pub fn tool(&self, name: &str) -> String {
        format!("{}-{name}", self.triplet)
    }
}

pub const ARMHF_CROSS: Toolchain = Toolchain {
    abi: "armhf",
    triplet: "arm-linux-gnueabihf",
    sysroot: "/usr/arm-linux-gnueabihf",
    dpkg_arch: "armhf",
    packages: CrossPackages {
        gcc: "gcc-arm-linux-gnueabihf",
        binutils: "binutils-arm-linux-gnueabihf",
        libc_dev: "libc6-dev-armhf-cross",
        libc: "libc6-armhf-cross",
        libgcc: "libgcc-s1-armhf-cross",
    },
    qemu_user: "qemu-arm",
};

pub const AARCH64_CROSS: Toolchain = Toolchain {
    abi: "aarch64",
    triplet: "aarch64-linux-gnu",
    sysroot: "/usr/aarch64-linux-gnu",
    dpkg_arch: "arm64",
    packages: CrossPackages {
        gcc: "gcc-aarch64-linux-gnu",
        binutils: "binutils-aarch64-linux-gnu",
        libc_dev: "libc6-dev-arm64-cross",
        libc: "libc6-arm64-cross",
        libgcc: "libgcc-s1-arm64-cross",
    },
    qemu_user: "qemu-aarch64",
};

/// The i686 toolchain: the i386 personality's static test programs, and the 32-bit x86
/// values of the header probes (rtrace is not shipped for i686).
pub const I686_CROSS: Toolchain = Toolchain {
    abi: "i686",
    triplet: "i686-linux-gnu",
    sysroot: "/usr/i686-linux-gnu",
    dpkg_arch: "i386",
    packages: CrossPackages {
        gcc: "gcc-i686-linux-gnu",
        binutils: "binutils-i686-linux-gnu",
        libc_dev: "libc6-dev-i386-cross",
        libc: "libc6-i386-cross",
        libgcc: "libgcc-s1-i386-cross",
    },
    qemu_user: "qemu-i386",
};

/// One target triple rtrace is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub triple: &'static str,
    /// Debian's cross toolchain for it (`None`: the host's own gcc).
    pub cross: Option<&'static Toolchain>,
    /// Debian's name for the architecture (a .deb's `Architecture:`).
    pub deb_arch: &'static str,
}

pub const X86_64: Target = Target {
    triple: "x86_64-unknown-linux-gnu",
    cross: None,
    deb_arch: "amd64",
};

pub const AARCH64: Target = Target {
    triple: "aarch64-unknown-linux-gnu",
    cross: Some(&AARCH64_CROSS),
    deb_arch: AARCH64_CROSS.dpkg_arch,
};

pub const ARMV7: Target = Target {
    triple: "armv7-unknown-linux-gnueabihf",
    cross: Some(&ARMHF_CROSS),
    deb_arch: ARMHF_CROSS.dpkg_arch,
};

/// Every target `cargo xtask dist` knows.
pub const ALL: [Target; 3] = [X86_64, AARCH64, ARMV7];

impl Target {
    pub fn by_triple(triple: &str) -> Result<Target> {
        match ALL.iter().find(|t| t.triple == triple) {
            Some(t) => Ok(*t),
            None => bail!(
                "unknown target {triple}; known targets: {}",
                ALL.map(|t| t.triple).join(", ")
            ),
        }
    }

    /// The machine's own target, built without `--target` (sharing `target/release`
    /// with `cargo build --release` and `cargo install --path`).
    pub fn is_host(&self) -> bool {
        self.triple == host_triple()
    }

    /// `gcc`, or the cross gcc.
    pub fn gcc(&self) -> String {
        self.tool("gcc")
    }

    /// `strip`, or the cross binutils' one.
    pub fn strip(&self) -> String {
        self.tool("strip")
    }

    fn tool(&self, name: &str) -> String {
        match self.cross {
            Some(cross) => cross.tool(name),
            None => name.to_string(),
        }
    }

    /// Where the target's C library is, for the static link (`libc.a`).
    fn static_libc(&self) -> String {
        match self.cross {
            Some(cross) => format!("{}/lib/libc.a", cross.sysroot),
            None => format!("/usr/lib/{}/libc.a", self.triple.replace("-unknown", "")),
        }
    }

    /// The Debian packages of the gcc and of the target's C library (with libc.a).
    fn packages(&self) -> [&'static str; 2] {
        match self.cross {
            Some(cross) => [cross.packages.gcc, cross.packages.libc_dev],
            None => ["gcc", "libc6-dev"],
        }
    }

    /// Installs the cross gcc, the target's C library and Rust's standard library for it.
    pub fn ensure_toolchain(&self, task: &str) -> Result<()> {
        ensure(
            task,
            &[
                Requirement::program(&self.gcc(), self.packages()[0]),
                Requirement::program(&self.strip(), self.packages()[0]),
                Requirement::file(self.static_libc(), self.packages()[1]),
            ],
        )?;
        ensure_rust_target(task, self.triple)
    }

    /// `CARGO_TARGET_<TRIPLE>_LINKER` and `CC_<triple>`: the cross gcc links and
    /// compiles C for the target (nothing for the host's own target).
    pub fn cargo_env<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        if self.cross.is_none() {
            return command;
        }
        let upper = self.triple.to_uppercase().replace('-', "_");
        command
            .env(format!("CARGO_TARGET_{upper}_LINKER"), self.gcc())
            .env(format!("CC_{}", self.triple.replace('-', "_")), self.gcc())
    }
}

/// The triple xtask itself was built for (the machine's).
pub fn host_triple() -> &'static str {
    if cfg!(target_arch = "x86_64") {
        X86_64.triple
    } else if cfg!(target_arch = "aarch64") {
        AARCH64.triple
    } else {
        ARMV7.triple
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triples_resolve_and_unknown_ones_are_refused() {
        assert_eq!(
            Target::by_triple("aarch64-unknown-linux-gnu").unwrap(),
            AARCH64
        );
        let err = Target::by_triple("mips-unknown-linux-gnu").unwrap_err();
        assert!(err.to_string().contains("known targets: x86_64"), "{err}");
    }

    #[test]
    fn cross_targets_name_their_linker() {
        let mut command = Command::new("true");
        ARMV7.cargo_env(&mut command);
        let linker = command
            .get_envs()
            .find(|(k, _)| *k == "CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER")
            .and_then(|(_, v)| v.map(|v| v.to_string_lossy().into_owned()));
        assert_eq!(linker.as_deref(), Some("arm-linux-gnueabihf-gcc"));
        assert_eq!(X86_64.static_libc(), "/usr/lib/x86_64-linux-gnu/libc.a");
    }
}
