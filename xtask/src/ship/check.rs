//! The shipping checks `cargo xtask test` runs (also alone: `cargo xtask test-ship`): each
//! artifact used as a user would, on this machine's own target.
//!
//! 1. The dist tarball, unpacked into a temporary directory, traces `cat` fully decoded
//!    with the plugin libraries it carries.
//! 2. Its binary copied alone (dynamic, no built-in families) warns in one line where it
//!    looked for plugins, and shows the calls raw.
//! 3. `cargo install --root TMP --path crates/cli` gives a binary that decodes alone (the
//!    families built in).
//! 4. `cargo xtask install --prefix TMP` decodes with the plugins under TMP.
//! 5. The .deb installs with dpkg, `rtrace ls` decodes, and `dpkg -r` leaves none of its
//!    files; the package is then purged, so the machine is as before (as root only).
//! 6. The static file, copied alone into an empty directory, traces itself there under
//!    chroot fully decoded, and refuses `--plugin` in one line.
//!
//! "Fully decoded" ([`fully_decoded`]): the trace's first call is `execve` with its path
//! shown as a string, the calls named in `expect` appear exactly as written, and every
//! call in the trace belongs to a family the binary lists (`--list-plugins`). A raw trace
//! of the same command must fail that check: each check runs it on one too.
//!
//! Every run gets an empty HOME and no XDG_DATA_HOME or RTRACE_PLUGIN_PATH, so plugins a
//! user installed cannot stand in for the ones under test.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{bail, Context, Result};

use super::{Linking, VERSION};
use crate::gen_syscalls::workspace_root;
use crate::install::{ensure, is_root, Requirement};
use crate::targets::{host_triple, Target};

const TASK: &str = "test-ship";

fn step(what: &str) {
    crate::run::step(TASK, what);
}

/// A scratch directory under target/ (beside what is checked, not in a /tmp that may be
/// mounted noexec), removed when dropped, also on a panic.
fn scratch(name: &str) -> Result<tempfile::TempDir> {
    let checks = super::dist_dir().join("checks");
    fs::create_dir_all(&checks).with_context(|| format!("creating {}", checks.display()))?;
    tempfile::Builder::new()
        .prefix(&format!("{name}-"))
        .tempdir_in(&checks)
        .with_context(|| format!("creating a scratch directory in {}", checks.display()))
}

/// Runs `binary` with `args` in an environment free of the user's plugin directories.
fn run(binary: &Path, args: &[&str], home: &Path) -> Result<Output> {
    let mut command = Command::new(binary);
    command
        .args(args)
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("RTRACE_PLUGIN_PATH");
    command
        .output()
        .with_context(|| format!("cannot run {}", binary.display()))
}

/// Traces `command` with `binary` into a file; returns the trace.
fn trace(binary: &Path, extra: &[&str], command: &[&str], dir: &Path) -> Result<String> {
    let file = dir.join("trace.txt");
    let mut args = vec!["-o", file.to_str().context("non-UTF-8 path")?];
    args.extend_from_slice(extra);
    args.extend_from_slice(command);
    let out = run(binary, &args, dir)?;
    if !out.status.success() {
        bail!(
            "{} {} failed ({}): {}",
            binary.display(),
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))
}

/// The syscalls the binary's plugins decode, from `--list-plugins`, and its listing.
fn decoded_names(binary: &Path, home: &Path) -> Result<(HashSet<String>, String)> {
    let out = run(binary, &["--list-plugins"], home)?;
    let listing = String::from_utf8_lossy(&out.stdout).into_owned();
    Ok((syscalls_listed(&listing), listing))
}

/// Every syscall named on a `--list-plugins` listing's `syscalls:` lines.
fn syscalls_listed(listing: &str) -> HashSet<String> {
    listing
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("syscalls:"))
        .flat_map(|s| s.split_whitespace().map(str::to_string))
        .collect()
}

/// Whether `trace` is fully decoded (see the module doc); the reason when not.
fn fully_decoded(trace: &str, decoded: &HashSet<String>, expect: &[&str]) -> Result<()> {
    let first = trace.lines().next().unwrap_or_default();
    if !first.starts_with("execve(\"") {
        bail!("the first line is not a decoded execve: {first:?}");
    }
    for line in expect {
        if !trace.lines().any(|l| l == *line) {
            bail!("no line {line:?} in the trace:\n{trace}");
        }
    }
    for line in trace.lines() {
        let Some(name) = line.split('(').next().filter(|n| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }) else {
            continue;
        };
        if !decoded.contains(name) {
            bail!("{name} is not decoded by any listed plugin: {line:?}");
        }
    }
    Ok(())
}

/// `cat /etc/hostname` traced fully decoded, and the same check failing on the raw trace
/// (`--no-default-plugins`); returns the binary's `--list-plugins`.
fn traces_cat_decoded(binary: &Path, dir: &Path) -> Result<String> {
    let (decoded, listing) = decoded_names(binary, dir)?;
    if decoded.is_empty() {
        bail!("{} lists no plugin:\n{listing}", binary.display());
    }
    let expect = ["openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3"];
    let cat = find_program("cat")?;
    let full = trace(binary, &[], &[&cat, "/etc/hostname"], dir)?;
    fully_decoded(&full, &decoded, &expect)?;
    let raw = trace(
        binary,
        &["--no-default-plugins"],
        &[&cat, "/etc/hostname"],
        dir,
    )?;
    if fully_decoded(&raw, &decoded, &expect).is_ok() {
        bail!("the check passed a raw trace too:\n{raw}");
    }
    Ok(listing)
}

fn find_program(name: &str) -> Result<String> {
    crate::install::find_in_path(name)
        .map(|p| p.display().to_string())
        .with_context(|| format!("{name} is not on PATH"))
}

/// Every `--list-plugins` line naming a source is from `dir` (or built in, when `built_in`).
fn listed_from(listing: &str, dir: &Path, built_in: bool) -> Result<()> {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    for line in listing.lines().filter(|l| !l.starts_with(' ')) {
        let source = line.splitn(3, ' ').nth(2).unwrap_or_default();
        let ok = if built_in {
            source == "(built in)"
        } else {
            Path::new(source).parent() == Some(dir.as_path())
        };
        if !ok {
            bail!(
                "plugin line {line:?} is not {}",
                if built_in {
                    "built in".to_string()
                } else {
                    format!("from {}", dir.display())
                }
            );
        }
    }
    Ok(())
}

/// One check's outcome.
struct Outcome {
    name: &'static str,
    result: Result<String>,
}

/// Runs every check; returns 0 when all passed.
pub fn run_all() -> Result<i32> {
    ensure(
        TASK,
        &[
            Requirement::program("tar", "tar"),
            Requirement::program("gzip", "gzip"),
            Requirement::program("chroot", "coreutils"),
            Requirement::program("ldd", "libc-bin"),
        ],
    )?;
    let target = Target::by_triple(host_triple())?;
    let mut outcomes = Vec::new();

    step("dist for this machine's target");
    let dist = super::build(target, Linking::Dynamic, None).and_then(|built| {
        let archive = super::tarball(&built)?;
        let deb = super::deb::package(&built, &super::dist_dir())?;
        Ok((archive, deb))
    });
    match dist {
        Ok((archive, deb)) => {
            outcomes.push(Outcome {
                name: "dist tarball unpacked traces cat fully decoded",
                result: check_tarball(&archive, &target),
            });
            outcomes.push(Outcome {
                name: "dist binary copied alone warns where it looked",
                result: check_alone(&archive),
            });
            outcomes.push(Outcome {
                name: ".deb installs, decodes `rtrace ls`, removes cleanly",
                result: check_deb(&deb),
            });
        }
        Err(e) => outcomes.push(Outcome {
            name: "dist build",
            result: Err(e),
        }),
    }
    outcomes.push(Outcome {
        name: "cargo install --root TMP --path crates/cli decodes (built in)",
        result: check_cargo_install(),
    });
    outcomes.push(Outcome {
        name: "cargo xtask install --prefix TMP decodes",
        result: check_prefix_install(),
    });
    outcomes.push(Outcome {
        name: "static file alone in an empty chroot decodes",
        result: check_static(target),
    });

    println!();
    let mut failed = 0;
    for outcome in &outcomes {
        match &outcome.result {
            Ok(note) => step(&format!("ok: {}{}", outcome.name, note_suffix(note))),
            Err(e) => {
                failed += 1;
                step(&format!("FAILED: {}: {e:#}", outcome.name));
            }
        }
    }
    let passed = outcomes.len() - failed;
    step(&format!("{passed} passed, {failed} failed"));
    Ok(i32::from(failed > 0))
}

fn note_suffix(note: &str) -> String {
    if note.is_empty() {
        String::new()
    } else {
        format!(" ({note})")
    }
}

fn unpack(archive: &Path, into: &Path) -> Result<PathBuf> {
    let status = Command::new("tar")
        .arg("-xzf")
        .arg(archive)
        .arg("-C")
        .arg(into)
        .status()
        .context("cannot run tar")?;
    if !status.success() {
        bail!("tar -xzf {} failed ({status})", archive.display());
    }
    let top = into.join(
        archive
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".tar.gz"))
            .context("archive name")?,
    );
    Ok(top)
}

fn check_tarball(archive: &Path, target: &Target) -> Result<String> {
    let scratch = scratch("tarball")?;
    let top = unpack(archive, scratch.path())?;
    for file in [
        "bin/rtrace",
        "share/man/man1/rtrace.1",
        "share/bash-completion/completions/rtrace",
        "share/zsh/site-functions/_rtrace",
        "share/fish/vendor_completions.d/rtrace.fish",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
    ] {
        if !top.join(file).is_file() {
            bail!("{} has no {file}", archive.display());
        }
    }
    let binary = top.join("bin/rtrace");
    let listing = traces_cat_decoded(&binary, scratch.path())?;
    listed_from(&listing, &top.join("lib/rtrace/plugins"), false)?;
    Ok(format!("{}; {}", target.triple, ldd(&binary)))
}

fn check_alone(archive: &Path) -> Result<String> {
    let scratch = scratch("alone")?;
    let top = unpack(archive, scratch.path())?;
    let alone = scratch.path().join("empty");
    fs::create_dir_all(&alone)?;
    let binary = alone.join("rtrace");
    fs::copy(top.join("bin/rtrace"), &binary)?;
    let out = run(&binary, &["/bin/true"], &alone)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warning = stderr
        .lines()
        .find(|l| l.starts_with("rtrace: no decoder plugins found (looked in "))
        .with_context(|| format!("no warning on stderr:\n{stderr}"))?;
    if !warning.contains(&alone.display().to_string()) {
        bail!("the warning does not name {}: {warning}", alone.display());
    }
    if !stderr.contains("execve(0x") {
        bail!("the calls are not shown raw:\n{stderr}");
    }
    let quiet = run(&binary, &["--no-default-plugins", "/bin/true"], &alone)?;
    if String::from_utf8_lossy(&quiet.stderr).contains("no decoder plugins found") {
        bail!("--no-default-plugins still warns");
    }
    Ok(String::new())
}

fn check_cargo_install() -> Result<String> {
    let scratch = scratch("cargo-install")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    step("cargo install --root TMP --path crates/cli");
    let status = Command::new(cargo)
        .args(["install", "--locked", "--root"])
        .arg(scratch.path())
        .args(["--path", "crates/cli"])
        .env_remove("RTRACE_PLUGIN_DIR")
        .current_dir(workspace_root())
        .status()
        .context("cannot run cargo install")?;
    if !status.success() {
        bail!("cargo install failed ({status})");
    }
    let binary = scratch.path().join("bin/rtrace");
    let listing = traces_cat_decoded(&binary, scratch.path())?;
    listed_from(&listing, Path::new("/"), true)?;
    Ok(ldd(&binary))
}

fn check_prefix_install() -> Result<String> {
    let scratch = scratch("prefix")?;
    let prefix = scratch.path().join("usr-local");
    let binary = super::install(&prefix)?;
    let listing = traces_cat_decoded(&binary, scratch.path())?;
    listed_from(&listing, &prefix.join("lib/rtrace/plugins"), false)?;
    // The compiled-in directory alone (the binary moved away from its prefix) finds them.
    let moved = scratch.path().join("elsewhere");
    fs::create_dir_all(&moved)?;
    fs::copy(&binary, moved.join("rtrace"))?;
    let listing = traces_cat_decoded(&moved.join("rtrace"), scratch.path())?;
    listed_from(&listing, &prefix.join("lib/rtrace/plugins"), false)?;
    Ok(String::new())
}

fn check_deb(deb: &Path) -> Result<String> {
    if !is_root() {
        bail!("installing a .deb needs root");
    }
    let state = Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", "rtrace"])
        .output()
        .context("cannot run dpkg-query")?;
    if String::from_utf8_lossy(&state.stdout).contains("installed") {
        bail!("a package named rtrace is already installed; remove it (dpkg -r rtrace) first");
    }
    let contents = Command::new("dpkg-deb")
        .arg("--fsys-tarfile")
        .arg(deb)
        .output()
        .context("cannot run dpkg-deb")?;
    let listing = Command::new("tar")
        .arg("-t")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("piped")
                .write_all(&contents.stdout)?;
            child.wait_with_output()
        })
        .context("cannot list the package")?;
    let files: Vec<PathBuf> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter(|l| !l.ends_with('/'))
        .map(|l| Path::new("/").join(l.trim_start_matches("./")))
        .collect();
    if !files.iter().any(|f| f.ends_with("usr/bin/rtrace")) {
        bail!("the package has no usr/bin/rtrace");
    }
    let result = (|| {
        dpkg(&["-i"], deb)?;
        let scratch = scratch("deb")?;
        let binary = Path::new("/usr/bin/rtrace");
        let (decoded, listing) = decoded_names(binary, scratch.path())?;
        listed_from(&listing, Path::new("/usr/lib/rtrace/plugins"), false)?;
        let ls = find_program("ls")?;
        let expect = ["openat(AT_FDCWD, \"/\", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3"];
        let full = trace(binary, &[], &[&ls, "/"], scratch.path())?;
        fully_decoded(&full, &decoded, &expect)?;
        let raw = trace(
            binary,
            &["--no-default-plugins"],
            &[&ls, "/"],
            scratch.path(),
        )?;
        if fully_decoded(&raw, &decoded, &expect).is_ok() {
            bail!("the check passed a raw trace too");
        }
        Ok(ldd(binary))
    })();
    let removed = dpkg(&["-r"], Path::new("rtrace"));
    let left: Vec<String> = files
        .iter()
        .filter(|f| f.exists())
        .map(|f| f.display().to_string())
        .chain(
            ["/usr/lib/rtrace", "/usr/share/doc/rtrace"]
                .iter()
                .filter(|d| Path::new(d).exists())
                .map(|d| d.to_string()),
        )
        .collect();
    let purged = dpkg(&["--purge"], Path::new("rtrace"));
    let note = result?;
    removed?;
    purged?;
    if !left.is_empty() {
        bail!("dpkg -r left {}", left.join(", "));
    }
    Ok(note)
}

fn dpkg(args: &[&str], what: &Path) -> Result<()> {
    let out = Command::new("dpkg")
        .args(args)
        .arg(what)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .context("cannot run dpkg")?;
    if !out.status.success() {
        bail!(
            "dpkg {} {} failed ({}): {}",
            args.join(" "),
            what.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

fn check_static(target: Target) -> Result<String> {
    if !is_root() {
        bail!("chroot needs root");
    }
    let file = super::static_files(&[target.triple.to_string()])?
        .pop()
        .context("no static file built")?;
    let scratch = scratch("chroot")?;
    let root = scratch.path().join("root");
    fs::create_dir_all(&root)?;
    fs::copy(&file, root.join("rtrace"))?;
    // Found before the environment is cleared for the run inside.
    let chroot = find_program("chroot")?;
    let in_chroot = |args: &[&str]| -> Result<Output> {
        Command::new(&chroot)
            .arg(&root)
            .arg("/rtrace")
            .args(args)
            .env_clear()
            .output()
            .context("cannot run chroot")
    };
    let listing = in_chroot(&["--list-plugins"])?;
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    listed_from(&listing, Path::new("/"), true)?;
    let decoded = syscalls_listed(&listing);
    let out = in_chroot(&["-o", "/trace.txt", "/rtrace", "-V"])?;
    if !out.status.success() {
        bail!(
            "rtrace in the chroot failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let trace = fs::read_to_string(root.join("trace.txt"))?;
    // The traced rtrace prints its version: the write shows it as a string.
    let version_line = format!("write(1, \"rtrace {VERSION}\\n");
    if !trace.lines().any(|l| l.starts_with(&version_line)) {
        bail!("no decoded write of the version:\n{trace}");
    }
    if !trace.starts_with("execve(\"/rtrace\", [\"/rtrace\", \"-V\"], ") {
        bail!("the trace does not start with the decoded execve:\n{trace}");
    }
    fully_decoded(&trace, &decoded, &[])?;
    let refused = in_chroot(&["--plugin", "/x.so", "/rtrace", "-V"])?;
    let stderr = String::from_utf8_lossy(&refused.stderr);
    if refused.status.success()
        || stderr.lines().count() != 1
        || !stderr.contains("statically linked")
    {
        bail!("--plugin is not refused in one line: {stderr:?}");
    }
    Ok(format!("{}; {}", file.display(), ldd(&file)))
}

/// What `ldd` says of a binary, on one line.
pub fn ldd(binary: &Path) -> String {
    match Command::new("ldd").arg(binary).output() {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            format!(
                "ldd: {}",
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        }
        Err(e) => format!("ldd: cannot run: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> HashSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    const DECODED: &str =
        "execve(\"/bin/cat\", [\"cat\", \"/etc/hostname\"], 0x7ffc /* 3 vars */) = 0\n\
                           openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3\n\
                           +++ exited with 0 +++\n";

    #[test]
    fn a_decoded_trace_passes_and_raw_or_unlisted_calls_fail() {
        let all = names(&["execve", "openat"]);
        let expect = ["openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3"];
        fully_decoded(DECODED, &all, &expect).unwrap();
        let raw = "execve(0x5555, 0x5556, 0x5557) = 0\nopenat(0xffffff9c, 0x7f00, 0, 0) = 0x3\n";
        assert!(fully_decoded(raw, &all, &expect).is_err());
        // One call no plugin decodes is enough to fail.
        let err = fully_decoded(DECODED, &names(&["execve"]), &expect).unwrap_err();
        assert!(err.to_string().contains("openat is not decoded"), "{err}");
        // A wrong line fails.
        let wrong = DECODED.replace("O_RDONLY", "O_RDWR");
        assert!(fully_decoded(&wrong, &all, &expect).is_err());
    }

    #[test]
    fn listing_sources_are_checked() {
        let listing = "fs 0.1.0 /opt/x/lib/rtrace/plugins/librtrace_fs.so\n  syscalls: openat\n";
        listed_from(listing, Path::new("/opt/x/lib/rtrace/plugins"), false).unwrap();
        assert!(listed_from(listing, Path::new("/elsewhere"), false).is_err());
        assert!(listed_from(listing, Path::new("/"), true).is_err());
        listed_from(
            "fs 0.1.0 (built in)\n  syscalls: openat\n",
            Path::new("/"),
            true,
        )
        .unwrap();
    }
}
