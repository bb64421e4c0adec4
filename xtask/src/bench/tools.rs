//! Getting the programs a bench runs: the C workloads and the floor tracer (gcc), rtrace
//! and its plugins (cargo, release profile), strace and python3 (found on PATH).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::install::find_in_path;
use crate::run::{run_status, step};

use super::TASK;

/// Compiles each benches/workloads/NAME.c into `bin_dir`/NAME.
pub fn build_c_programs(source_dir: &Path, bin_dir: &Path, names: &[&str]) -> Result<()> {
    std::fs::create_dir_all(bin_dir)
        .with_context(|| format!("cannot create {}", bin_dir.display()))?;
    for name in names {
        let source = source_dir.join(format!("{name}.c"));
        let output = Command::new("gcc")
            .args(["-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-o"])
            .arg(bin_dir.join(name))
            .arg(&source)
            .output()
            .context("cannot run gcc")?;
        if !output.status.success() {
            bail!(
                "gcc failed on {}:\n{}",
                source.display(),
                String::from_utf8_lossy(&output.stderr).trim_end()
            );
        }
    }
    Ok(())
}

/// Builds rtrace and every plugin crate (plugins/*) in release mode; the plugins land
/// next to the binary, where rtrace looks for them. Err says why rtrace cannot be used.
pub fn build_rtrace(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let plugins = plugin_packages(root, &cargo).map_err(|e| format!("{e:#}"))?;
    let mut command = Command::new(&cargo);
    command.args(["build", "--release", "-p", "rtrace"]);
    for plugin in &plugins {
        command.args(["-p", plugin]);
    }
    step(
        TASK,
        &format!(
            "cargo build --release -p rtrace -p {}",
            plugins.join(" -p ")
        ),
    );
    let status = run_status(&mut command, root).map_err(|e| format!("{e:#}"))?;
    if !status.success() {
        return Err(format!(
            "rtrace did not build ({status}; see the output above)"
        ));
    }
    Ok(root.join("target/release/rtrace"))
}

/// The package names of the workspace members under plugins/.
fn plugin_packages(root: &Path, cargo: &std::ffi::OsStr) -> Result<Vec<String>> {
    let output = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root)
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr).trim_end()
        );
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("cargo metadata printed bad JSON")?;
    let plugin_dir = root.join("plugins");
    let mut names: Vec<String> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| {
            p["manifest_path"]
                .as_str()
                .is_some_and(|m| Path::new(m).starts_with(&plugin_dir))
        })
        .filter_map(|p| p["name"].as_str().map(String::from))
        .collect();
    names.sort();
    Ok(names)
}

/// strace on PATH.
pub fn strace() -> Result<PathBuf, String> {
    find_in_path("strace").ok_or_else(|| "strace is not installed".to_string())
}

/// The real python3 binary: asked from python3 itself, because the one on PATH may be a
/// shell-script shim (pyenv) whose own start-up would be measured instead.
pub fn python() -> Option<PathBuf> {
    let output = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    (output.status.success() && path.is_file()).then_some(path)
}
