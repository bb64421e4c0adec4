//! Records the commit rtrace is built from for `rtrace -V`: `RTRACE_COMMIT` when the
//! build sets it (a build from a source tarball), else `git describe` of the checkout,
//! else `unknown`.
//!
//! With the bundled families built in, also lets the link see several definitions of the
//! two symbols every plugin exports for `dlopen` (abi_stable's root-module header and the
//! interface fingerprint): each family's rlib carries them, since the one crate builds as
//! both cdylib and rlib, and the binary never uses them (it calls each family's
//! `plugin_module()`), so which copy the linker keeps does not matter.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

fn main() {
    if std::env::var_os("CARGO_FEATURE_BUILTIN_PLUGINS").is_some() {
        println!("cargo:rustc-link-arg=-Wl,--allow-multiple-definition");
    }
    println!("cargo:rerun-if-env-changed=RTRACE_COMMIT");
    let commit = std::env::var("RTRACE_COMMIT").ok().or_else(|| {
        // Rebuild when HEAD moves: HEAD itself, the branch it points at, packed refs.
        for name in ["HEAD", "packed-refs"] {
            if let Some(path) = git(&["rev-parse", "--git-path", name]) {
                println!("cargo:rerun-if-changed={path}");
            }
        }
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            if let Some(path) = git(&["rev-parse", "--git-path", &branch]) {
                println!("cargo:rerun-if-changed={path}");
            }
        }
        git(&["describe", "--always", "--dirty", "--abbrev=12"])
    });
    println!(
        "cargo:rustc-env=RTRACE_COMMIT={}",
        commit.unwrap_or_else(|| "unknown".into())
    );
}
