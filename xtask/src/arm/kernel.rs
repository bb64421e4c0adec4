//! Debian's kernel for a VM (armmp for armv7, arm64 for aarch64): chosen with apt-cache,
//! downloaded once into `target/arm/cache/` and unpacked by [`debs`].
//!
//! The archive's names change with every ABI bump and every new kernel series, so the
//! choice reads apt's package records rather than guessing from names: the candidates are
//! the plain flavour's `linux-image-*-FLAVOUR` packages; a meta-package (one that depends
//! on another `linux-image-*` package) stands for the image it depends on; the newest real
//! image by its Debian version (dpkg's ordering) wins.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use debversion::Version;

use super::{debs, Dirs};
use crate::install::apt_update;

/// Which kernel a VM boots: Debian's flavour name and the dpkg architecture it is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flavour {
    /// The package name's last part: `armmp`, `arm64`.
    pub name: &'static str,
    /// dpkg's architecture: `armhf`, `arm64`.
    pub dpkg_arch: &'static str,
}

/// An unpacked kernel package.
pub struct Kernel {
    /// The image qemu boots.
    pub image: PathBuf,
    /// `lib/modules/<release>/kernel`: the modules built for it.
    pub modules: PathBuf,
}

/// Fetches and unpacks the newest kernel of `flavour`.
/// Needs the flavour's dpkg architecture (added by [`super::setup::ensure`]).
pub fn fetch(dirs: &Dirs, flavour: Flavour) -> Result<Kernel> {
    let package = match newest_kernel_package(flavour)? {
        Some(p) => p,
        None => {
            // A fresh machine (or a stale index after a point release): refresh and retry.
            apt_update("test-arm")?;
            newest_kernel_package(flavour)?.with_context(|| {
                format!(
                    "apt-cache finds no linux-image-*-{} kernel image for {}; \
                     is Debian's main archive in the apt sources?",
                    flavour.name, flavour.dpkg_arch
                )
            })?
        }
    };
    let unpacked = debs::unpacked(dirs, &package, flavour.dpkg_arch)?;
    let image =
        find_vmlinuz(&unpacked).with_context(|| format!("{package} holds no boot/vmlinuz-*"))?;
    // vmlinuz-<release> and lib/modules/<release>/ name the same release.
    let release = image
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("vmlinuz-"))
        .unwrap_or_default();
    Ok(Kernel {
        modules: unpacked.join("lib/modules").join(release).join("kernel"),
        image,
    })
}

fn newest_kernel_package(flavour: Flavour) -> Result<Option<String>> {
    let pattern = format!("^linux-image-.*-{}$", flavour.name);
    let names = apt_cache(&["search", "--names-only", &pattern])?;
    let candidates: Vec<String> = names
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| is_plain_flavour(name, flavour.name))
        .map(|name| format!("{name}:{}", flavour.dpkg_arch))
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    let mut args = vec!["show", "--no-all-versions"];
    args.extend(candidates.iter().map(String::as_str));
    let records = parse_records(&apt_cache(&args)?);
    Ok(pick_newest(&records))
}

fn apt_cache(args: &[&str]) -> Result<String> {
    let out = Command::new("apt-cache")
        .args(args)
        .output()
        .context("cannot run apt-cache")?;
    if !out.status.success() {
        bail!(
            "`apt-cache {}` failed ({}): {}",
            args.first().copied().unwrap_or_default(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `linux-image-<version>-<flavour>` of the plain flavour: the part between starts with a
/// digit (`6.1.0-57`, `6.12.118+deb12`, the meta-package's `6.12`), and has no word of
/// its own (`-rt`, `-cloud`, `-lpae` and `-dbg` are other flavours and builds; the
/// unversioned `linux-image-armmp` has no version part).
pub fn is_plain_flavour(name: &str, flavour: &str) -> bool {
    let Some(version) = name
        .strip_prefix("linux-image-")
        .and_then(|rest| rest.strip_suffix(flavour))
        .and_then(|rest| rest.strip_suffix('-'))
    else {
        return false;
    };
    version.starts_with(|c: char| c.is_ascii_digit())
        && !version
            .split('-')
            .any(|word| word.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The fields of one package record of `apt-cache show` that the choice reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub package: String,
    pub version: String,
    pub depends: String,
}

/// Package records (blank-line separated `Field: value` stanzas), by package name.
pub fn parse_records(text: &str) -> BTreeMap<String, Record> {
    let mut records = BTreeMap::new();
    for stanza in text.split("\n\n") {
        let field = |name: &str| {
            stanza.lines().find_map(|line| {
                line.strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .map(|value| value.trim().to_string())
            })
        };
        let (Some(package), Some(version)) = (field("Package"), field("Version")) else {
            continue;
        };
        let depends = field("Depends").unwrap_or_default();
        records.insert(
            package.clone(),
            Record {
                package,
                version,
                depends,
            },
        );
    }
    records
}

/// The `linux-image-*` packages a record depends on (a meta-package's target).
fn image_dependencies(record: &Record) -> impl Iterator<Item = &str> {
    record
        .depends
        .split([',', '|'])
        .filter_map(|dep| dep.split_whitespace().next())
        .filter(|name| name.starts_with("linux-image-"))
}

/// The newest real kernel image among the records: a meta-package is replaced by the real
/// image it depends on (if that is among the records; else it is skipped), then the
/// highest Debian version wins (ties broken by name, so the choice is stable).
pub fn pick_newest(records: &BTreeMap<String, Record>) -> Option<String> {
    let mut real: Vec<(Version, &str)> = Vec::new();
    for record in records.values() {
        let mut targets = image_dependencies(record).peekable();
        let image = if targets.peek().is_none() {
            Some(record)
        } else {
            targets
                .filter_map(|name| records.get(name))
                .find(|target| image_dependencies(target).next().is_none())
        };
        let Some(image) = image else { continue };
        let Ok(version) = image.version.parse::<Version>() else {
            continue;
        };
        if !real.iter().any(|(_, name)| *name == image.package) {
            real.push((version, &image.package));
        }
    }
    real.into_iter().max().map(|(_, name)| name.to_string())
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

    /// `apt-cache search --names-only '^linux-image-.*-armmp$'` on bookworm, 2026-12-04.
    const ARMMP_NAMES: &str = "\
linux-image-6.1.0-47-armmp linux-image-6.1.0-47-rt-armmp linux-image-6.1.0-50-armmp \
linux-image-6.1.0-50-rt-armmp linux-image-rt-armmp linux-image-6.1.0-53-armmp \
linux-image-6.1.0-53-rt-armmp linux-image-6.1.0-54-armmp linux-image-6.1.0-54-rt-armmp \
linux-image-6.1.0-55-armmp linux-image-6.1.0-55-rt-armmp linux-image-6.1.0-56-armmp \
linux-image-6.1.0-56-rt-armmp linux-image-6.1.0-57-armmp linux-image-6.1.0-57-rt-armmp \
linux-image-6.12-armmp linux-image-6.12-rt-armmp linux-image-6.12.107+deb12-armmp \
linux-image-6.12.107+deb12-rt-armmp linux-image-6.12.111+deb12-armmp \
linux-image-6.12.111+deb12-rt-armmp linux-image-6.12.113+deb12-armmp \
linux-image-6.12.113+deb12-rt-armmp linux-image-6.12.115+deb12-armmp \
linux-image-6.12.115+deb12-rt-armmp linux-image-6.12.117+deb12-armmp \
linux-image-6.12.117+deb12-rt-armmp linux-image-6.12.118+deb12-armmp \
linux-image-6.12.118+deb12-rt-armmp";

    /// Part of `apt-cache show --no-all-versions` for the plain armmp candidates of that
    /// day (other fields left out; the parser skips them).
    const ARMMP_RECORDS: &str = "\
Package: linux-image-6.1.0-9-armmp
Version: 6.1.27-1
Depends: kmod, linux-base (>= 4.3~), initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool

Package: linux-image-6.1.0-57-armmp
Source: linux
Version: 6.1.192-3
Installed-Size: 198352
Depends: kmod, linux-base (>= 4.3~), initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool
Description: Linux 6.1 for ARMv7 multiplatform compatible SoCs

Package: linux-image-6.12-armmp
Source: linux-6.12
Version: 6.12.118-1~deb12u1
Provides: linux-latest-modules-6.12.118+deb12-armmp, wireguard-modules (= 1.0.0)
Depends: linux-image-6.12.118+deb12-armmp (= 6.12.118-1~deb12u1)
Description: Linux for ARMv7 multiplatform compatible SoCs (meta-package)

Package: linux-image-6.12.9+deb12-armmp
Version: 6.12.9-1~deb12u1
Depends: kmod, initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool

Package: linux-image-6.12.117+deb12-armmp
Version: 6.12.117-1~deb12u1
Depends: kmod, initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool

Package: linux-image-6.12.118+deb12-armmp
Source: linux-6.12
Version: 6.12.118-1~deb12u1
Depends: kmod, initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool
Description: Linux 6.12 for ARMv7 multiplatform compatible SoCs
";

    #[test]
    fn plain_flavour_names_of_today() {
        let plain: Vec<&str> = ARMMP_NAMES
            .split_whitespace()
            .filter(|n| is_plain_flavour(n, "armmp"))
            .collect();
        assert_eq!(plain.len(), 14, "{plain:?}");
        assert!(plain.contains(&"linux-image-6.12-armmp"));
        assert!(plain.contains(&"linux-image-6.12.118+deb12-armmp"));
        assert!(plain.contains(&"linux-image-6.1.0-57-armmp"));
        assert!(plain.iter().all(|n| !n.contains("-rt-")));
        for other in [
            "linux-image-armmp",
            "linux-image-rt-armmp",
            "linux-image-6.1.0-50-armmp-lpae",
            "linux-image-6.1.0-50-armmp-dbg",
            "linux-image-6.12.118+deb12-cloud-arm64",
            "linux-image-6.12-rt-arm64",
        ] {
            assert!(
                !is_plain_flavour(other, "armmp") && !is_plain_flavour(other, "arm64"),
                "{other}"
            );
        }
        assert!(is_plain_flavour(
            "linux-image-6.12.118+deb12-arm64",
            "arm64"
        ));
        assert!(is_plain_flavour("linux-image-6.1.0-57-arm64", "arm64"));
    }

    #[test]
    fn newest_real_image_wins_by_debian_version() {
        let records = parse_records(ARMMP_RECORDS);
        assert_eq!(records.len(), 6);
        // 6.12.118 beats 6.12.117 and 6.12.9 (not as text) and 6.1.192; the meta-package
        // resolves to the same image and is not chosen itself.
        assert_eq!(
            pick_newest(&records).as_deref(),
            Some("linux-image-6.12.118+deb12-armmp")
        );
    }

    #[test]
    fn a_meta_package_is_resolved_or_skipped() {
        let mut records = parse_records(ARMMP_RECORDS);
        records.remove("linux-image-6.12.118+deb12-armmp");
        // Its target missing from the records, the meta-package is skipped: never chosen
        // for an image it is not.
        assert_eq!(
            pick_newest(&records).as_deref(),
            Some("linux-image-6.12.117+deb12-armmp")
        );
        let only_meta: BTreeMap<_, _> = records
            .into_iter()
            .filter(|(name, _)| name == "linux-image-6.12-armmp")
            .collect();
        assert_eq!(pick_newest(&only_meta), None);
    }

    #[test]
    fn old_series_compares_by_version_not_name() {
        let records = parse_records(
            "Package: linux-image-6.1.0-9-armmp\nVersion: 6.1.27-1\n\n\
             Package: linux-image-6.1.0-10-armmp\nVersion: 6.1.38-1\n",
        );
        assert_eq!(
            pick_newest(&records).as_deref(),
            Some("linux-image-6.1.0-10-armmp")
        );
    }
}
