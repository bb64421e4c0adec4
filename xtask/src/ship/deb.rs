//! The Debian package, built with dpkg-deb from the files of [`Layout::deb`] under /usr:
//! `rtrace_VERSION_ARCH.deb`. Its dependencies are read from the binaries themselves: the
//! newest glibc symbol version they need, and libgcc_s when they link it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use super::{Built, Layout, VERSION};
use crate::install::{ensure, Requirement};
use crate::run::run_status;

/// Builds the package into `out_dir`; returns its path.
pub fn package(built: &Built, out_dir: &Path) -> Result<PathBuf> {
    ensure(super::TASK, &[Requirement::program("dpkg-deb", "dpkg")])?;
    let arch = built.target.deb_arch;
    let root = out_dir.join(format!("deb-{arch}"));
    if root.exists() {
        fs::remove_dir_all(&root).with_context(|| format!("removing {}", root.display()))?;
    }
    let files = Layout::deb().stage(built, &root.join("usr"))?;
    fs::write(root.join("usr/share/doc/rtrace/copyright"), copyright())?;
    let installed_kib = files
        .iter()
        .map(|f| fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum::<u64>()
        .div_ceil(1024);
    let control = control(arch, &depends(built)?, installed_kib);
    fs::create_dir_all(root.join("DEBIAN"))?;
    fs::write(root.join("DEBIAN/control"), control)?;
    let deb = out_dir.join(format!("rtrace_{VERSION}_{arch}.deb"));
    let status = run_status(
        Command::new("dpkg-deb")
            .args(["--root-owner-group", "-Zgzip", "--build"])
            .arg(&root)
            .arg(&deb),
        out_dir,
    )?;
    if !status.success() {
        bail!("dpkg-deb failed on {} ({status})", root.display());
    }
    fs::remove_dir_all(&root).with_context(|| format!("removing {}", root.display()))?;
    Ok(deb)
}

fn control(arch: &str, depends: &str, installed_kib: u64) -> String {
    format!(
        "Package: rtrace\n\
         Version: {VERSION}\n\
         Architecture: {arch}\n\
         Maintainer: rtrace developers <rtrace@example.invalid>\n\
         Installed-Size: {installed_kib}\n\
         Depends: {depends}\n\
         Section: utils\n\
         Priority: optional\n\
         Description: syscall tracer with strace's output and decoder plugins\n \
         rtrace traces the system calls and signals of a command or of running\n \
         processes and prints them as strace does, line for line; each syscall\n \
         family is decoded by a plugin (installed in /usr/lib/rtrace/plugins).\n"
    )
}

fn copyright() -> String {
    let mit = fs::read_to_string(crate::gen_syscalls::workspace_root().join("LICENSE-MIT"))
        .unwrap_or_default();
    format!(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\
         Upstream-Name: rtrace\n\n\
         Files: *\n\
         Copyright: the rtrace contributors\n\
         License: MIT or Apache-2.0\n \
         On Debian systems the Apache License 2.0 is in\n \
         /usr/share/common-licenses/Apache-2.0; the MIT licence follows.\n .\n{}",
        mit.lines()
            .map(|l| if l.is_empty() {
                " .".to_string()
            } else {
                format!(" {l}")
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    )
}

/// `libc6 (>= 2.N)` for the newest `GLIBC_2.N` symbol version any shipped ELF file asks
/// for, and `libgcc-s1` when one links libgcc_s.
fn depends(built: &Built) -> Result<String> {
    let mut newest: Option<(u32, u32)> = None;
    let mut gcc_s = false;
    for file in std::iter::once(&built.binary).chain(&built.plugins) {
        let bytes = fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        gcc_s |= contains(&bytes, b"libgcc_s.so.1");
        for version in glibc_versions(&bytes) {
            newest = newest.max(Some(version));
        }
    }
    let Some((major, minor)) = newest else {
        bail!(
            "{} asks for no GLIBC_ symbol version",
            built.binary.display()
        );
    };
    let mut depends = format!("libc6 (>= {major}.{minor})");
    if gcc_s {
        depends.push_str(", libgcc-s1");
    }
    Ok(depends)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every `GLIBC_X.Y[.Z]` string in an ELF file's bytes, as (X, Y).
fn glibc_versions(bytes: &[u8]) -> Vec<(u32, u32)> {
    const PREFIX: &[u8] = b"GLIBC_";
    let mut found = Vec::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(PREFIX.len()).position(|w| w == PREFIX) {
        rest = &rest[at + PREFIX.len()..];
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_digit() || *b == b'.'))
            .unwrap_or(rest.len());
        let text = String::from_utf8_lossy(&rest[..end]);
        let mut parts = text.split('.').map(|p| p.parse::<u32>());
        if let (Some(Ok(major)), Some(Ok(minor))) = (parts.next(), parts.next()) {
            found.push((major, minor));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glibc_versions_are_read_from_the_version_strings() {
        let bytes = b"\0GLIBC_2.2.5\0GLIBC_2.34\0GLIBC_PRIVATE\0GLIBC_2.3.4\0";
        assert_eq!(glibc_versions(bytes), [(2, 2), (2, 34), (2, 3)]);
    }

    #[test]
    fn control_names_package_version_and_arch() {
        let text = control("armhf", "libc6 (>= 2.34)", 100);
        assert!(text.starts_with("Package: rtrace\nVersion: "), "{text}");
        assert!(text.contains("Architecture: armhf\n"));
        assert!(text.contains("Depends: libc6 (>= 2.34)\n"));
        assert!(text.ends_with("/usr/lib/rtrace/plugins).\n"));
    }
}
