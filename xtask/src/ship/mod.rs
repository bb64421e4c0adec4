//! Shipping rtrace: release builds per target, laid out as an installed system tool.
//!
//! - `cargo xtask dist [--target T]...`: `target/dist/rtrace-VERSION-T.tar.gz` (bin/rtrace,
//!   lib/rtrace/plugins/*.so, man page, completions, README, licences) and
//!   `target/dist/rtrace_VERSION_ARCH.deb`, from one build per target: dynamically linked,
//!   without the built-in families (the plugin libraries are shipped beside it).
//! - `cargo xtask static [--target T]...`: `target/dist/rtrace-VERSION-T-static`, one
//!   statically linked file with the bundled families built in, for a board or a container.
//! - `cargo xtask install [--prefix DIR]`: the dist layout under DIR (default /usr/local),
//!   with DIR's plugin directory compiled in.
//! - [`check`]: what `cargo xtask test` runs: each of those, used as a user would.

pub mod check;
mod deb;
mod layout;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::arm::target_root;
use crate::gen_syscalls::workspace_root;
use crate::run::run_status;
use crate::targets::Target;

pub use layout::Layout;

/// The workspace version (`[workspace.package]`, which xtask shares).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const TASK: &str = "dist";

fn step(what: &str) {
    crate::run::step(TASK, what);
}

/// How the rtrace binary is linked, and where its decoders come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linking {
    /// Against the C library, loading the plugin libraries shipped beside it.
    Dynamic,
    /// One file: the C library linked in (crt-static) and the bundled families built
    /// in; it cannot load plugin libraries.
    Static,
}

/// What a release build produced.
pub struct Built {
    pub target: Target,
    pub binary: PathBuf,
    /// The plugin libraries (none for a static build).
    pub plugins: Vec<PathBuf>,
}

/// The bundled plugin families: one directory each under `plugins/`, package
/// `rtrace-plugin-NAME`, library `librtrace_NAME.so`.
pub fn plugin_families(root: &Path) -> Result<Vec<String>> {
    let dir = root.join("plugins");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        if entry.path().join("Cargo.toml").is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// A release build of rtrace for `target`: dynamically linked with the plugin libraries
/// (`cargo build`), or static with the families built in (`cargo rustc`, which gives
/// `crt-static` to the final link alone: the dependencies are the very ones the other
/// release builds and `cargo install` use, and the C library's link attributes are
/// chosen at that final link). `plugin_dir` is compiled in as the install prefix's plugin
/// directory. The host's target builds without `--target`, in `target/release`, shared
/// with `cargo install --path crates/cli`.
pub fn build(target: Target, linking: Linking, plugin_dir: Option<&Path>) -> Result<Built> {
    let root = workspace_root();
    target.ensure_toolchain(TASK)?;
    let families = plugin_families(&root)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    match linking {
        Linking::Dynamic => {
            command.args([
                "build",
                "--release",
                "-p",
                "rtrace",
                "--no-default-features",
            ]);
            for family in &families {
                command.args(["-p", &format!("rtrace-plugin-{family}")]);
            }
        }
        Linking::Static => {
            command.args(["rustc", "--release", "-p", "rtrace", "--bin", "rtrace"]);
        }
    }
    let out_dir = if target.is_host() {
        target_root(&root).join("release")
    } else {
        command.args(["--target", target.triple]);
        target_root(&root).join(target.triple).join("release")
    };
    if linking == Linking::Static {
        command.args(["--", "-C", "target-feature=+crt-static"]);
    }
    target.cargo_env(&mut command);
    command.env_remove("RTRACE_PLUGIN_DIR");
    if let Some(dir) = plugin_dir {
        command.env("RTRACE_PLUGIN_DIR", dir);
    }
    step(&format!(
        "building rtrace for {} ({})",
        target.triple,
        match linking {
            Linking::Dynamic => "dynamically linked, with the plugin libraries",
            Linking::Static => "static, families built in",
        }
    ));
    let status = run_status(&mut command, &root)?;
    if !status.success() {
        bail!("the release build for {} failed ({status})", target.triple);
    }
    let plugins = match linking {
        Linking::Dynamic => families
            .iter()
            .map(|f| out_dir.join(format!("librtrace_{f}.so")))
            .collect(),
        Linking::Static => Vec::new(),
    };
    let built = Built {
        target,
        binary: out_dir.join("rtrace"),
        plugins,
    };
    for file in std::iter::once(&built.binary).chain(&built.plugins) {
        if !file.is_file() {
            bail!("the build did not produce {}", file.display());
        }
    }
    Ok(built)
}

/// `target/dist`.
pub fn dist_dir() -> PathBuf {
    target_root(&workspace_root()).join("dist")
}

/// The targets asked for, or the host's alone.
fn targets(triples: &[String]) -> Result<Vec<Target>> {
    if triples.is_empty() {
        return Ok(vec![Target::by_triple(crate::targets::host_triple())?]);
    }
    triples.iter().map(|t| Target::by_triple(t)).collect()
}

/// `cargo xtask dist`: a tarball and a .deb per target; returns what it wrote.
pub fn dist(triples: &[String]) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for target in targets(triples)? {
        let built = build(target, Linking::Dynamic, None)?;
        written.push(tarball(&built)?);
        written.push(deb::package(&built, &dist_dir())?);
    }
    for path in &written {
        step(&format!("wrote {} ({})", path.display(), size_of(path)));
    }
    Ok(written)
}

/// `target/dist/rtrace-VERSION-T.tar.gz`, its files under `rtrace-VERSION-T/`.
pub fn tarball(built: &Built) -> Result<PathBuf> {
    let name = format!("rtrace-{VERSION}-{}", built.target.triple);
    let staging = dist_dir().join("staging");
    let top = staging.join(&name);
    if top.exists() {
        std::fs::remove_dir_all(&top).with_context(|| format!("removing {}", top.display()))?;
    }
    Layout::tarball().stage(built, &top)?;
    let archive = dist_dir().join(format!("{name}.tar.gz"));
    let status = run_status(
        Command::new("tar")
            .args([
                "--sort=name",
                "--owner=0",
                "--group=0",
                "--numeric-owner",
                "-czf",
            ])
            .arg(&archive)
            .arg(&name),
        &staging,
    )?;
    if !status.success() {
        bail!("tar failed on {} ({status})", top.display());
    }
    std::fs::remove_dir_all(&staging).with_context(|| format!("removing {}", staging.display()))?;
    Ok(archive)
}

/// `cargo xtask static`: one file per target.
pub fn static_files(triples: &[String]) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for target in targets(triples)? {
        let built = build(target, Linking::Static, None)?;
        let out = dist_dir().join(format!("rtrace-{VERSION}-{}-static", target.triple));
        std::fs::create_dir_all(dist_dir())?;
        layout::copy_stripped(&target, &built.binary, &out)?;
        step(&format!("wrote {} ({})", out.display(), size_of(&out)));
        written.push(out);
    }
    Ok(written)
}

/// `cargo xtask install`: the dist layout under `prefix`, with its plugin directory
/// compiled in; returns the installed binary.
pub fn install(prefix: &Path) -> Result<PathBuf> {
    let prefix = if prefix.is_absolute() {
        prefix.to_path_buf()
    } else {
        std::env::current_dir()?.join(prefix)
    };
    let layout = Layout::prefix();
    let built = build(
        Target::by_triple(crate::targets::host_triple())?,
        Linking::Dynamic,
        Some(&prefix.join(layout.plugins)),
    )?;
    let installed = layout.stage(&built, &prefix)?;
    for path in &installed {
        step(&format!("installed {}", path.display()));
    }
    Ok(prefix.join(layout.bin).join("rtrace"))
}

fn size_of(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) => format!("{:.1} MiB", m.len() as f64 / (1024.0 * 1024.0)),
        Err(e) => format!("size unknown: {e}"),
    }
}
