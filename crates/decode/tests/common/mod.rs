//! Helpers shared by the plugin tests: where things are, building out-of-tree
//! plugins, and a compact dump of tokens to compare against.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use rtrace_decode::{Emitter, Token};
use rtrace_plugin_api::StrStyle;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Out-of-tree plugins share one target dir under the workspace's, so reruns are cached.
pub fn oot_target_dir() -> PathBuf {
    workspace_root().join("target/oot-plugins")
}

/// The bundled fs plugin, built by cargo as a dev-dependency, next to this test binary.
pub fn fs_plugin() -> PathBuf {
    bundled_plugin("fs")
}

/// The bundled plugin `librtrace_<name>.so`, built by cargo as a dev-dependency (its
/// cdylib lands next to this test binary).
pub fn bundled_plugin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap();
    let file = format!("librtrace_{name}.so");
    for candidate in [dir.join(&file), dir.join("..").join(&file)] {
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "{file} not found next to {} (is rtrace-plugin-{name} a dev-dependency?)",
        exe.display()
    );
}

/// The target triple these tests were cross-compiled for, or None for a host build
/// (set by build.rs from cargo's TARGET and HOST).
pub fn cross_target() -> Option<&'static str> {
    let target = env!("RTRACE_DECODE_BUILD_TARGET");
    (target != env!("RTRACE_DECODE_BUILD_HOST")).then_some(target)
}

/// Builds the cdylib crate at `manifest_dir` (its own workspace) for the target of this
/// test binary and returns the library `lib<lib_name>.so`. Panics with cargo's output if
/// the build fails. A cross build takes its linker from the `CARGO_TARGET_<TRIPLE>_LINKER`
/// the outer cargo was given (the test process inherits it).
pub fn build_out_of_tree(manifest_dir: &Path, lib_name: &str) -> PathBuf {
    let target = oot_target_dir();
    let cross = cross_target();
    let lock = manifest_dir.join("Cargo.lock");
    if !lock.exists() {
        // Pin the same dependency versions as the main workspace (and build offline).
        std::fs::copy(workspace_root().join("Cargo.lock"), &lock).unwrap();
    }
    let output = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet", "--manifest-path"])
        .arg(manifest_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .args(cross.iter().flat_map(|triple| ["--target", triple]))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cannot run cargo");
    assert!(
        output.status.success(),
        "building {} failed:\n{}",
        manifest_dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let lib = match cross {
        Some(triple) => target.join(triple),
        None => target,
    }
    .join("debug")
    .join(format!("lib{lib_name}.so"));
    assert!(lib.is_file(), "{} was not produced", lib.display());
    lib
}

/// The tokens as one line: `Name(AT_FDCWD) Path("/etc") Flags[O_RDONLY O_CLOEXEC]`.
pub fn dump(em: &Emitter) -> String {
    let mut parts = Vec::new();
    for token in em.tokens.iter() {
        parts.push(match *token {
            Token::Int(v) => format!("Int({v})"),
            Token::Uint(v) => format!("Uint({v})"),
            Token::Hex(v) => format!("Hex({v:#x})"),
            Token::Octal(v) => format!("Octal({v:o})"),
            Token::Pointer(v) => format!("Ptr({v:#x})"),
            Token::Bytes {
                start,
                len,
                truncated,
                style,
            } => {
                let kind = match style {
                    StrStyle::Quoted => "Str",
                    StrStyle::Hex => "HexStr",
                    StrStyle::Path => "Path",
                };
                let text = em.arena(start, len).escape_ascii().to_string();
                format!("{kind}(\"{text}\"{})", if truncated { "..." } else { "" })
            }
            Token::Name(n) | Token::Constant { name: n, .. } => n.as_str().to_string(),
            Token::Text { start, len } => {
                format!("Text({})", String::from_utf8_lossy(em.arena(start, len)))
            }
            Token::FlagsBegin | Token::FlagSet(_) | Token::ModeSet(_) => "Flags[".into(),
            Token::StructBegin => "{".into(),
            Token::Field(f) | Token::ArgName(f) => format!("{}=", f.as_str()),
            Token::ArrayBegin => "Array[".into(),
            Token::SetBegin => "Set[".into(),
            Token::CallBegin(n) => format!("{}(", n.as_str()),
            Token::End => "]".into(),
            Token::Ellipsis => "...".into(),
            Token::Arrow => "=>".into(),
            Token::ReturnNote => "Note".into(),
            Token::Fd(fd) => format!("Fd({fd})"),
            Token::Dirfd(-100) => "AT_FDCWD".into(),
            Token::Dirfd(fd) => format!("Fd({fd})"),
            Token::Pid { value, .. } => format!("Pid({value})"),
        });
    }
    parts.join(" ").replace("[ ", "[").replace(" ]", "]")
}
