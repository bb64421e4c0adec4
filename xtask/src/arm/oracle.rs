//! The reference straces the VMs run beside rtrace: strace 7.2 built static for each ABI,
//! kept in the project's shared directory next to the clone (`../shared/oracle` from the
//! workspace root), not in the repository. `RTRACE_ORACLE_DIR` names another directory
//! (for a worktree that does not sit beside shared/).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use super::machines::Toolchain;

/// `RTRACE_ORACLE_DIR` if set, else `<workspace>/../shared/oracle`.
pub fn directory(workspace: &Path) -> PathBuf {
    locate(workspace, std::env::var_os("RTRACE_ORACLE_DIR"))
}

fn locate(workspace: &Path, override_dir: Option<OsString>) -> PathBuf {
    match override_dir {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => workspace.join("..").join("shared").join("oracle"),
    }
}

/// The reference strace for programs of `toolchain` in `dir`, or a one-line reason it is
/// missing.
pub fn strace_for(dir: &Path, toolchain: &Toolchain) -> Result<PathBuf> {
    let path = dir.join(toolchain.reference_strace);
    if !path.is_file() {
        bail!(
            "the reference strace for {} programs is missing: no {} (the VMs compare \
             rtrace with strace 7.2 built static, from ../shared/oracle beside the clone or \
             RTRACE_ORACLE_DIR; see {}/README.md)",
            toolchain.abi,
            path.display(),
            dir.display()
        );
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::super::machines::ARMHF;
    use super::*;

    #[test]
    fn beside_the_clone_unless_overridden() {
        let ws = Path::new("/ci/clone");
        assert_eq!(locate(ws, None), Path::new("/ci/clone/../shared/oracle"));
        assert_eq!(
            locate(ws, Some("".into())),
            Path::new("/ci/clone/../shared/oracle")
        );
        assert_eq!(locate(ws, Some("/o".into())), Path::new("/o"));
    }

    #[test]
    fn a_missing_oracle_names_the_file() {
        let dir = locate(Path::new("/nonexistent/ws"), None);
        let text = strace_for(&dir, &ARMHF).unwrap_err().to_string();
        assert!(
            text.contains("/nonexistent/ws/../shared/oracle/strace-7.2-armhf"),
            "{text}"
        );
    }
}
