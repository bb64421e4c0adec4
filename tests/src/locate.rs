//! Where the binaries under test live: the workspace's target dir for rtrace and its
//! plugins, `PATH` for strace and gcc, `../shared/oracle/` for the reference strace 7.2.

use std::env;
use std::path::{Path, PathBuf};

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent directory")
        .to_path_buf()
}

/// `$CARGO_TARGET_DIR` (relative to the workspace root when relative), else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace_root().join(dir),
        _ => workspace_root().join("target"),
    }
}

/// Names another binary to test in place of the debug build (a release build, or a
/// wrapper around strace to check the suite itself).
pub const BINARY_OVERRIDE: &str = "RTRACE_TESTS_BINARY";

/// The debug `rtrace` binary (or `$RTRACE_TESTS_BINARY`); panics with what to do when
/// it has not been built, because every test that calls this needs it.
pub fn rtrace_binary() -> PathBuf {
    let path = match env::var_os(BINARY_OVERRIDE) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => target_dir().join("debug").join("rtrace"),
    };
    if !path.is_file() {
        panic!(
            "rtrace binary not found at {}: build it first: cargo build --workspace",
            path.display()
        );
    }
    path
}

/// A program found in `PATH`, or `None`.
pub fn find_in_path(program: &str) -> Option<PathBuf> {
    env::split_paths(&env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// strace, the reference the differential tests compare with: the reference strace 7.2
/// for x86_64 (`shared/oracle/`). Panics with where it looked when it is missing.
pub fn strace_binary() -> PathBuf {
    oracle_strace("x86_64")
}

/// Debian's strace (6.1) from `PATH`, for what the static reference lacks (`-k`, a
/// 64-bit strace's i386 structure decoding); panics with how to install it.
pub fn debian_strace() -> PathBuf {
    find_in_path("strace")
        .unwrap_or_else(|| panic!("strace not found in PATH: apt-get install strace"))
}

/// The reference strace 7.2, built static for `arch` (`x86_64`, `i686`, `armhf`,
/// `aarch64`): `shared/oracle/strace-7.2-ARCH` beside the workspace (CI lays `shared/`
/// next to the clone). Panics with where it looked when it is missing.
pub fn oracle_strace(arch: &str) -> PathBuf {
    let name = format!("strace-7.2-{arch}");
    let candidates = [
        workspace_root().join("../shared/oracle").join(&name),
        workspace_root().join("../../shared/oracle").join(&name),
    ];
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "the reference strace {name} is missing: looked for {} (the project's shared/oracle/)",
                candidates[0].display()
            )
        })
}
