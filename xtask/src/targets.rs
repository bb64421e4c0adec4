//! The Linux targets rtrace ships for, what cross-building each needs from Debian, and
//! how cargo is told to link for it. One home for these facts: `dist`, `static`, and the
//! ARM test's cross build use them.

use std::process::Command;

use anyhow::{bail, Result};

use crate::install::{ensure, ensure_rust_target, Requirement};

/// One target triple rtrace is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub triple: &'static str,
    /// The GNU toolchain prefix of Debian's cross gcc (`None`: the host's own gcc).
    pub gnu_prefix: Option<&'static str>,
    /// Debian's name for the architecture (a .deb's `Architecture:`).
    pub deb_arch: &'static str,
    /// The Debian packages of the cross gcc and the target's C library (with libc.a).
    pub packages: [&'static str; 2],
}

pub const X86_64: Target = Target {
    triple: "x86_64-unknown-linux-gnu",
    gnu_prefix: None,
    deb_arch: "amd64",
    packages: ["gcc", "libc6-dev"],
};

pub const AARCH64: Target = Target {
    triple: "aarch64-unknown-linux-gnu",
    gnu_prefix: Some("aarch64-linux-gnu"),
    deb_arch: "arm64",
    packages: ["gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross"],
};

pub const ARMV7: Target = Target {
    triple: "armv7-unknown-linux-gnueabihf",
    gnu_prefix: Some("arm-linux-gnueabihf"),
    deb_arch: "armhf",
    packages: ["gcc-arm-linux-gnueabihf", "libc6-dev-armhf-cross"],
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
        match self.gnu_prefix {
            Some(prefix) => format!("{prefix}-{name}"),
            None => name.to_string(),
        }
    }

    /// Where the target's C library is, for the static link (`libc.a`).
    fn static_libc(&self) -> String {
        match self.gnu_prefix {
            Some(prefix) => format!("/usr/{prefix}/lib/libc.a"),
            None => format!("/usr/lib/{}/libc.a", self.triple.replace("-unknown", "")),
        }
    }

    /// Installs the cross gcc, the target's C library and Rust's standard library for it.
    pub fn ensure_toolchain(&self, task: &str) -> Result<()> {
        ensure(
            task,
            &[
                Requirement::program(&self.gcc(), self.packages[0]),
                Requirement::program(&self.strip(), self.packages[0]),
                Requirement::file(self.static_libc(), self.packages[1]),
            ],
        )?;
        ensure_rust_target(task, self.triple)
    }

    /// `CARGO_TARGET_<TRIPLE>_LINKER` and `CC_<triple>`: the cross gcc links and
    /// compiles C for the target (nothing for the host's own target).
    pub fn cargo_env<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        if self.gnu_prefix.is_none() {
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
