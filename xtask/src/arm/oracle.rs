//! The reference straces the VMs run beside rtrace: strace 7.2 built static for each ABI,
//! kept in the project's shared directory next to the clone (`../shared/oracle` from the
//! workspace root), not in the repository.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use super::machines::Toolchain;

/// `<workspace>/../shared/oracle`.
pub fn directory(workspace: &Path) -> PathBuf {
    workspace.join("..").join("shared").join("oracle")
}

/// The reference strace for programs of `toolchain`, or a one-line reason it is missing.
pub fn strace_for(workspace: &Path, toolchain: &Toolchain) -> Result<PathBuf> {
    let dir = directory(workspace);
    let path = dir.join(toolchain.reference_strace);
    if !path.is_file() {
        bail!(
            "the reference strace for {} programs is missing: no {} (the VMs compare \
             rtrace with strace 7.2 built static; see {}/README.md)",
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
    fn a_missing_oracle_names_the_file() {
        let err = strace_for(Path::new("/nonexistent/ws"), &ARMHF).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("/nonexistent/ws/../shared/oracle/strace-7.2-armhf"),
            "{text}"
        );
    }
}
