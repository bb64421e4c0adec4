//! Foreign packages (armhf, arm64) used without installing them: downloaded once into
//! `target/arm/cache/` with `apt-get download` and unpacked with `dpkg-deb -x` under
//! `target/arm/unpacked/`. Installing armhf runtime packages (libc6:armhf) would put a
//! second ARM libc in /lib/arm-linux-gnueabihf, where the cross sysroot's loader finds it
//! first under `qemu-arm -L` and crashes on the version mismatch.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use debversion::Version;

use super::{step, Dirs};
use crate::run::run_status;
use crate::targets::Toolchain;

/// The directory `package:arch` is unpacked in, downloading and unpacking on first use.
pub fn unpacked(dirs: &Dirs, package: &str, arch: &str) -> Result<PathBuf> {
    let into = dirs.unpacked.join(format!("{package}_{arch}"));
    if into.is_dir() {
        return Ok(into);
    }
    let deb = match cached_deb(&dirs.cache, package, arch)? {
        Some(deb) => deb,
        None => {
            step(&format!("apt-get download {package}:{arch}"));
            let status = run_status(
                Command::new("apt-get").args(["download", "-q", &format!("{package}:{arch}")]),
                &dirs.cache,
            )?;
            if !status.success() {
                bail!("`apt-get download {package}:{arch}` failed ({status})");
            }
            cached_deb(&dirs.cache, package, arch)?
                .with_context(|| format!("apt-get download left no {package}_*_{arch}.deb"))?
        }
    };
    step(&format!("unpacking {}", deb.display()));
    // Into a scratch directory renamed at the end, so an interrupted unpack is redone.
    let partial = dirs.unpacked.join(format!("{package}_{arch}.partial"));
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

/// zlib for the toolchain's ABI: a real shared library of the target that is not a
/// plugin, which the decode tests load under qemu-user (the cross sysroot has none).
pub fn target_libz(dirs: &Dirs, toolchain: &Toolchain) -> Result<PathBuf> {
    let root = unpacked(dirs, "zlib1g", toolchain.dpkg_arch)?;
    let candidates =
        ["lib", "usr/lib"].map(|dir| root.join(dir).join(toolchain.triplet).join("libz.so.1"));
    candidates
        .iter()
        .find(|p| p.exists())
        .cloned()
        .with_context(|| {
            format!(
                "zlib1g:{} holds no {}/libz.so.1 under {}",
                toolchain.dpkg_arch,
                toolchain.triplet,
                root.display()
            )
        })
}

/// The downloaded `.deb` of `package` for `arch` in the cache (apt-get download names it
/// `package_version_arch.deb`, an epoch's `:` written `%3a`), the newest by Debian version
/// if several.
fn cached_deb(cache: &Path, package: &str, arch: &str) -> Result<Option<PathBuf>> {
    let mut found: Vec<(Version, PathBuf)> = Vec::new();
    for entry in
        std::fs::read_dir(cache).with_context(|| format!("cannot read {}", cache.display()))?
    {
        let path = entry
            .with_context(|| format!("cannot read {}", cache.display()))?
            .path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some(version) = deb_version(name, package, arch) {
            found.push((version, path));
        }
    }
    Ok(found.into_iter().max().map(|(_, path)| path))
}

/// The version in `package_version_arch.deb`, if the file name is that package's.
fn deb_version(file_name: &str, package: &str, arch: &str) -> Option<Version> {
    let version = file_name
        .strip_prefix(package)?
        .strip_prefix('_')?
        .strip_suffix(".deb")?
        .strip_suffix(arch)?
        .strip_suffix('_')?;
    version.replace("%3a", ":").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_deb_finds_only_the_package_newest_by_debian_version() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        for name in [
            "linux-image-6.1.0-50-armmp_6.1.176-1_armhf.deb",
            "linux-image-6.1.0-50-armmp-lpae_6.1.176-1_armhf.deb",
            "zlib1g_1%3a1.2.9-1_armhf.deb",
            "zlib1g_1%3a1.2.10-1_armhf.deb",
            "zlib1g_1%3a1.2.13.dfsg-1_arm64.deb",
            "zlib1g_1.3-1_armhf.deb",
        ] {
            std::fs::write(dir.join(name), b"").unwrap();
        }
        let found = cached_deb(dir, "linux-image-6.1.0-50-armmp", "armhf").unwrap();
        let missing = cached_deb(dir, "linux-image-6.1.0-51-armmp", "armhf").unwrap();
        let other_arch = cached_deb(dir, "linux-image-6.1.0-50-armmp", "arm64").unwrap();
        // 1.2.10 is newer than 1.2.9 (not as text), and an epoch outranks any version.
        let zlib = cached_deb(dir, "zlib1g", "armhf").unwrap();
        assert_eq!(
            found.unwrap().file_name().unwrap(),
            "linux-image-6.1.0-50-armmp_6.1.176-1_armhf.deb"
        );
        assert!(missing.is_none());
        assert!(other_arch.is_none());
        assert_eq!(
            zlib.unwrap().file_name().unwrap(),
            "zlib1g_1%3a1.2.10-1_armhf.deb"
        );
    }
}
