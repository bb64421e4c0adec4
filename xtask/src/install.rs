//! Installing what a task needs from Debian packages: each need is a program on PATH or a
//! file, with the package that provides it. Only missing packages are installed, so a
//! prepared machine pays nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::run::{run_status, step};

/// Something a task needs, and the Debian package that provides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub need: Need,
    pub package: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// An executable found on PATH.
    Program(String),
    /// A file at a fixed path (headers, libraries).
    File(PathBuf),
}

impl Requirement {
    pub fn program(name: &str, package: &str) -> Self {
        Requirement {
            need: Need::Program(name.to_string()),
            package: package.to_string(),
        }
    }

    pub fn file(path: impl Into<PathBuf>, package: &str) -> Self {
        Requirement {
            need: Need::File(path.into()),
            package: package.to_string(),
        }
    }

    pub fn is_met(&self) -> bool {
        match &self.need {
            Need::Program(name) => find_in_path(name).is_some(),
            Need::File(path) => path.exists(),
        }
    }

    fn describe(&self) -> String {
        match &self.need {
            Need::Program(name) => name.clone(),
            Need::File(path) => path.display().to_string(),
        }
    }
}

/// The packages of the requirements not met, each once, in order.
pub fn missing_packages(requirements: &[Requirement]) -> Vec<String> {
    let mut packages: Vec<String> = Vec::new();
    for r in requirements.iter().filter(|r| !r.is_met()) {
        if !packages.contains(&r.package) {
            packages.push(r.package.clone());
        }
    }
    packages
}

/// Installs the packages of any unmet requirement with apt-get (as root), then checks again.
pub fn ensure(task: &str, requirements: &[Requirement]) -> Result<()> {
    let missing = missing_packages(requirements);
    if missing.is_empty() {
        return Ok(());
    }
    let install = format!("apt-get install -y {}", missing.join(" "));
    if !is_root() {
        bail!(
            "missing packages {}; install them as root: apt-get update && {install}",
            missing.join(", ")
        );
    }
    step(task, &format!("installing {}", missing.join(", ")));
    apt_update(task)?;
    let status = run_status(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
        Path::new("/"),
    )?;
    if !status.success() {
        bail!("`{install}` failed ({status})");
    }
    if let Some(unmet) = requirements.iter().find(|r| !r.is_met()) {
        bail!(
            "{} is still missing after installing {}",
            unmet.describe(),
            unmet.package
        );
    }
    Ok(())
}

/// `apt-get update`. A failure is only a warning: a mirror caught mid-sync fails one index
/// while the others are fine, and the install that follows fails on its own if it matters.
pub fn apt_update(task: &str) -> Result<()> {
    let status = run_status(
        Command::new("apt-get").args(["update", "-q"]),
        Path::new("/"),
    )?;
    if !status.success() {
        step(
            task,
            &format!(
                "warning: `apt-get update` failed ({status}); going on with the indexes it has"
            ),
        );
    }
    Ok(())
}

/// `rustup target add TARGET` when the standard library for it is missing.
pub fn ensure_rust_target(task: &str, target: &str) -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .with_context(|| format!("cannot run rustup (needed to add the target {target})"))?;
    if !installed.status.success() {
        bail!(
            "`rustup target list --installed` failed ({})",
            installed.status
        );
    }
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == target)
    {
        return Ok(());
    }
    step(task, &format!("rustup target add {target}"));
    let status = Command::new("rustup")
        .args(["target", "add", target])
        .status()
        .context("cannot run rustup")?;
    if !status.success() {
        bail!("`rustup target add {target}` failed ({status})");
    }
    Ok(())
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

pub fn find_in_path(program: &str) -> Option<PathBuf> {
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
    fn missing_packages_are_listed_once_in_order() {
        let requirements = [
            Requirement::program("sh", "dash"),
            Requirement::program("surely-not-a-real-program-xtask", "pkg-a"),
            Requirement::file("/nonexistent/xtask/a.h", "pkg-b"),
            Requirement::file("/nonexistent/xtask/b.h", "pkg-a"),
            Requirement::file("/", "base-files"),
        ];
        assert_eq!(missing_packages(&requirements), ["pkg-a", "pkg-b"]);
    }
}
