//! Where each shipped file goes, for the tarball, an install prefix and the .deb: the
//! binary, the plugin libraries (in `lib/rtrace/plugins`, where rtrace looks relative to
//! itself), the man page and completions (from `cargo xtask docs`), README and licences.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use super::Built;
use crate::gen_syscalls::workspace_root;
use crate::run::run_status;
use crate::targets::Target;

/// The licence files at the workspace root (`MIT OR Apache-2.0`).
pub const LICENCES: [&str; 2] = ["LICENSE-MIT", "LICENSE-APACHE"];

/// Directories relative to the tree's root.
pub struct Layout {
    pub bin: &'static str,
    pub plugins: &'static str,
    pub man: &'static str,
    pub bash: &'static str,
    pub zsh: &'static str,
    pub fish: &'static str,
    /// README and licences.
    pub doc: &'static str,
    /// Man page gzipped (Debian's policy).
    pub gzip_man: bool,
}

impl Layout {
    /// Under `rtrace-VERSION-T/`: README and licences at the top, where a user looks.
    pub fn tarball() -> Self {
        Layout {
            doc: ".",
            ..Self::prefix()
        }
    }

    /// Under an install prefix such as /usr/local.
    pub fn prefix() -> Self {
        Layout {
            bin: "bin",
            plugins: "lib/rtrace/plugins",
            man: "share/man/man1",
            bash: "share/bash-completion/completions",
            zsh: "share/zsh/site-functions",
            fish: "share/fish/vendor_completions.d",
            doc: "share/doc/rtrace",
            gzip_man: false,
        }
    }

    /// Under /usr in a Debian package.
    pub fn deb() -> Self {
        Layout {
            zsh: "share/zsh/vendor-completions",
            gzip_man: true,
            ..Self::prefix()
        }
    }

    /// Copies every file under `root`; returns the files written.
    pub fn stage(&self, built: &Built, root: &Path) -> Result<Vec<PathBuf>> {
        let workspace = workspace_root();
        let mut written = Vec::new();
        let mut put = |from: &Path, dir: &str, name: &str, strip: bool| -> Result<()> {
            let dir = root.join(dir);
            fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            let to = dir.join(name);
            if strip {
                copy_stripped(&built.target, from, &to)?;
            } else {
                fs::copy(from, &to)
                    .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
            }
            written.push(to);
            Ok(())
        };
        put(&built.binary, self.bin, "rtrace", true)?;
        for plugin in &built.plugins {
            let name = plugin.file_name().unwrap_or_default().to_string_lossy();
            put(plugin, self.plugins, &name, true)?;
        }
        let docs = super::dist_dir().join("docs");
        crate::docs::generate(&docs)?;
        if self.gzip_man {
            gzip(&docs.join("rtrace.1"))?;
            put(&docs.join("rtrace.1.gz"), self.man, "rtrace.1.gz", false)?;
        } else {
            put(&docs.join("rtrace.1"), self.man, "rtrace.1", false)?;
        }
        put(&docs.join("rtrace.bash"), self.bash, "rtrace", false)?;
        put(&docs.join("_rtrace"), self.zsh, "_rtrace", false)?;
        put(&docs.join("rtrace.fish"), self.fish, "rtrace.fish", false)?;
        fs::remove_dir_all(&docs).with_context(|| format!("removing {}", docs.display()))?;
        for file in std::iter::once("README.md").chain(LICENCES) {
            put(&workspace.join(file), self.doc, file, false)?;
        }
        Ok(written)
    }
}

/// Copies an ELF file without its debug information (the release profile keeps line
/// tables), with the target's own `strip`.
pub fn copy_stripped(target: &Target, from: &Path, to: &Path) -> Result<()> {
    let status = run_status(
        Command::new(target.strip())
            .arg("--strip-debug")
            .arg("-o")
            .arg(to)
            .arg(from),
        &workspace_root(),
    )?;
    if !status.success() {
        bail!("{} failed on {} ({status})", target.strip(), from.display());
    }
    Ok(())
}

/// `gzip -9n`: no name or time stamp inside, so the package does not change between builds.
fn gzip(path: &Path) -> Result<()> {
    let status = run_status(
        Command::new("gzip").args(["-9nf"]).arg(path),
        &workspace_root(),
    )?;
    if !status.success() {
        bail!("gzip failed on {} ({status})", path.display());
    }
    Ok(())
}
