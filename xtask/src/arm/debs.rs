//! armhf packages used without installing them: downloaded once into `target/arm/cache/`
//! with `apt-get download` and unpacked with `dpkg-deb -x` under `target/arm/unpacked/`.
//! Installing armhf runtime packages (libc6:armhf) would put a second ARM libc in
//! /lib/arm-linux-gnueabihf, where the cross sysroot's loader finds it first under
//! `qemu-arm -L` and crashes on the version mismatch.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use super::{step, Dirs, GNU_PREFIX};
use crate::run::run_status;

/// The directory `package:armhf` is unpacked in, downloading and unpacking on first use.
pub fn unpacked(dirs: &Dirs, package: &str) -> Result<PathBuf> {
    let into = dirs.unpacked.join(package);
    if into.is_dir() {
        return Ok(into);
    }
    let deb = match cached_deb(&dirs.cache, package)? {
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
            cached_deb(&dirs.cache, package)?
                .with_context(|| format!("apt-get download left no {package}_*.deb"))?
        }
    };
    step(&format!("unpacking {}", deb.display()));
    // Into a scratch directory renamed at the end, so an interrupted unpack is redone.
    let partial = dirs.unpacked.join(format!("{package}.partial"));
    let _ = std::fs::remove_dir_all(&partial);
    let status = run_status(
        Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&partial),
        &dirs.root,
    )?;
    if !status.success() {
        bail!("`dpkg-deb -x {}` failed ({status})", deb.display());
    }
    std::fs::rename(&partial, &into)
        .with_context(|| format!("cannot rename {} to {}", partial.display(), into.display()))?;
    Ok(into)
}

/// zlib for armhf: a real shared library of the target that is not a plugin, which the
/// decode tests load under qemu-arm (the cross sysroot has none).
pub fn target_libz(dirs: &Dirs) -> Result<PathBuf> {
    let root = unpacked(dirs, "zlib1g")?;
    let candidates =
        ["lib", "usr/lib"].map(|dir| root.join(dir).join(GNU_PREFIX).join("libz.so.1"));
    candidates
        .iter()
        .find(|p| p.exists())
        .cloned()
        .with_context(|| {
            format!(
                "zlib1g:armhf holds no {GNU_PREFIX}/libz.so.1 under {}",
                root.display()
            )
        })
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

#[cfg(test)]
mod tests {
    use super::*;

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
