//! Debian's armmp kernel for the VM: found with apt-cache (its name changes with every ABI
//! bump), downloaded once into `target/arm/cache/` and unpacked by [`debs`].

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use super::{debs, Dirs};
use crate::install::apt_update;

/// Returns the path of the unpacked vmlinuz.
/// Needs dpkg's armhf architecture (added by [`super::setup::ensure`]).
pub fn fetch(dirs: &Dirs) -> Result<PathBuf> {
    let package = match newest_kernel_package()? {
        Some(p) => p,
        None => {
            // A fresh machine (or a stale index after a point release): refresh and retry.
            apt_update("test-arm")?;
            newest_kernel_package()?.context(
                "apt-cache finds no linux-image-*-armmp package for armhf; \
                 is Debian's main archive in the apt sources?",
            )?
        }
    };
    let unpacked = debs::unpacked(dirs, &package)?;
    find_vmlinuz(&unpacked).with_context(|| format!("{package} holds no boot/vmlinuz-*"))
}

fn newest_kernel_package() -> Result<Option<String>> {
    let out = Command::new("apt-cache")
        .args(["search", "--names-only", "^linux-image-.*-armmp$"])
        .output()
        .context("cannot run apt-cache")?;
    if !out.status.success() {
        bail!("`apt-cache search` failed ({})", out.status);
    }
    let names = String::from_utf8_lossy(&out.stdout);
    Ok(pick_newest(
        names.lines().filter_map(|l| l.split_whitespace().next()),
    ))
}

/// The newest plain armmp kernel among package names: `linux-image-6.1.0-50-armmp` beats
/// `linux-image-6.1.0-9-armmp`; the rt, lpae and dbg flavours and the unversioned
/// meta-packages are not kernels to boot here.
pub fn pick_newest<'a>(names: impl Iterator<Item = &'a str>) -> Option<String> {
    names
        .filter_map(|name| {
            let version = name.strip_prefix("linux-image-")?.strip_suffix("-armmp")?;
            let key: Option<Vec<u64>> = version
                .split(['.', '-'])
                .map(|part| part.parse().ok())
                .collect();
            Some((key?, name))
        })
        .max()
        .map(|(_, name)| name.to_string())
}

fn find_vmlinuz(unpacked: &Path) -> Option<PathBuf> {
    std::fs::read_dir(unpacked.join("boot"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("vmlinuz-"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_plain_armmp_kernel_wins() {
        let names = [
            "linux-image-6.1.0-9-armmp",
            "linux-image-6.1.0-50-armmp",
            "linux-image-6.1.0-50-armmp-lpae",
            "linux-image-6.1.0-50-armmp-dbg",
            "linux-image-6.1.0-51-rt-armmp",
            "linux-image-armmp",
            "linux-image-6.1.0-47-armmp",
        ];
        assert_eq!(
            pick_newest(names.into_iter()).as_deref(),
            Some("linux-image-6.1.0-50-armmp")
        );
        assert_eq!(pick_newest(["linux-image-rt-armmp"].into_iter()), None);
    }
}
