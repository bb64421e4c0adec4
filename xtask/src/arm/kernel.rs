//! Debian's armmp kernel for the VM: found with apt-cache (its name changes with every ABI
//! bump), downloaded once into `target/arm/cache/`, and unpacked with dpkg-deb.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use super::{step, Dirs};
use crate::install::apt_update;
use crate::run::run_status;

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
    let deb = cached_deb(&dirs.cache, &package)?;
    let deb = match deb {
        Some(deb) => deb,
        None => {
            step(&format!("apt-get download {package}:armhf"));
            let status = run_status(
                Command::new("apt-get").args(["download", "-q", &format!("{package}:armhf")]),
                &dirs.cache,
            )?;
            if !status.success() {
                bail!("`apt-get download {package}:armhf` failed ({status})");
            }
            cached_deb(&dirs.cache, &package)?
                .with_context(|| format!("apt-get download left no {package}_*.deb"))?
        }
    };
    let unpacked = dirs.kernel.join(&package);
    let vmlinuz = find_vmlinuz(&unpacked);
    if let Some(vmlinuz) = vmlinuz {
        return Ok(vmlinuz);
    }
    step(&format!("unpacking {}", deb.display()));
    let status = run_status(
        Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&unpacked),
        &dirs.root,
    )?;
    if !status.success() {
        bail!("`dpkg-deb -x {}` failed ({status})", deb.display());
    }
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

/// The downloaded `.deb` of `package` in the cache (any version: apt-get download names
/// it `package_version_armhf.deb`), the newest if several.
fn cached_deb(cache: &Path, package: &str) -> Result<Option<PathBuf>> {
    let prefix = format!("{package}_");
    let mut found: Vec<PathBuf> = std::fs::read_dir(cache)
        .with_context(|| format!("cannot read {}", cache.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with("_armhf.deb"))
        })
        .collect();
    found.sort();
    Ok(found.pop())
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

    #[test]
    fn cached_deb_finds_only_the_package() {
        let dir = std::env::temp_dir().join(format!("xtask-kcache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "linux-image-6.1.0-50-armmp_6.1.176-1_armhf.deb",
            "linux-image-6.1.0-50-armmp-lpae_6.1.176-1_armhf.deb",
        ] {
            std::fs::write(dir.join(name), b"").unwrap();
        }
        let found = cached_deb(&dir, "linux-image-6.1.0-50-armmp").unwrap();
        let missing = cached_deb(&dir, "linux-image-6.1.0-51-armmp").unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            found.unwrap().file_name().unwrap(),
            "linux-image-6.1.0-50-armmp_6.1.176-1_armhf.deb"
        );
        assert!(missing.is_none());
    }
}
