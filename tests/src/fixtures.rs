//! The C fixtures in `tests/fixtures/*.c`, compiled with gcc into
//! `<target>/rtrace-fixtures/` and rebuilt only when the source is newer; the same
//! sources built as static 32-bit x86 programs for the i386 personality's tests.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::locate::{target_dir, workspace_root};

/// The path of the compiled fixture `name` (from `tests/fixtures/<name>.c`),
/// compiling it first when needed. Panics with the reason when it cannot be built.
pub fn fixture(name: &str) -> PathBuf {
    build(name, &Compiler::NATIVE)
}

/// The fixture `name` built as a static i386 program (`i686-linux-gnu-gcc -static`,
/// packages gcc-i686-linux-gnu and libc6-dev-i386-cross), into
/// `<target>/rtrace-fixtures/i386/`.
pub fn fixture_i386(name: &str) -> PathBuf {
    build(name, &Compiler::I386_STATIC)
}

/// The fixture `name` built as [`fixture`] builds it, but compiled from the workspace
/// root with the source's relative path (`gcc tests/fixtures/NAME.c`), so that its debug
/// information names the file by that relative path, as a build tree's usually does;
/// into `<target>/rtrace-fixtures/relative/`.
pub fn fixture_from_relative_path(name: &str) -> PathBuf {
    build(name, &Compiler::NATIVE_RELATIVE)
}

/// A C compiler and how it builds fixtures.
struct Compiler {
    program: &'static str,
    /// The Debian packages that provide it, named when it is missing.
    packages: &'static str,
    extra_flags: &'static [&'static str],
    /// Below `<target>/rtrace-fixtures/`.
    subdirectory: &'static str,
    /// Compiles in the workspace root from `tests/fixtures/NAME.c` rather than from
    /// the source's absolute path.
    relative_source: bool,
}

impl Compiler {
    const NATIVE: Compiler = Compiler {
        program: "gcc",
        packages: "gcc",
        extra_flags: &[],
        subdirectory: "",
        relative_source: false,
    };
    const NATIVE_RELATIVE: Compiler = Compiler {
        subdirectory: "relative",
        relative_source: true,
        ..Compiler::NATIVE
    };
    const I386_STATIC: Compiler = Compiler {
        program: "i686-linux-gnu-gcc",
        packages: "gcc-i686-linux-gnu libc6-dev-i386-cross",
        extra_flags: &["-static"],
        subdirectory: "i386",
        relative_source: false,
    };
}

fn build(name: &str, compiler: &Compiler) -> PathBuf {
    let relative = Path::new("tests/fixtures").join(format!("{name}.c"));
    let source = workspace_root().join(&relative);
    let out_dir = target_dir()
        .join("rtrace-fixtures")
        .join(compiler.subdirectory);
    let binary = out_dir.join(name);
    if is_up_to_date(&binary, &source) {
        return binary;
    }
    fs::create_dir_all(&out_dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", out_dir.display()));
    // Tests run in parallel and may build the same fixture at once: each compiles to a
    // private name and renames, which is atomic, so no test ever runs a half-written file.
    let partial = out_dir.join(format!("{name}.partial.{}", unique_suffix()));
    let mut command = Command::new(compiler.program);
    command
        .args(["-O1", "-g", "-Wall", "-Wextra", "-Werror", "-pthread"])
        .args(compiler.extra_flags)
        .arg("-o")
        .arg(&partial);
    if compiler.relative_source {
        command.current_dir(workspace_root()).arg(&relative);
    } else {
        command.arg(&source);
    }
    let result = command.output();
    let output = match result {
        Ok(output) => output,
        Err(e) if e.kind() == ErrorKind::NotFound => panic!(
            "{} not found: needed to compile fixture {} (apt-get install {})",
            compiler.program,
            source.display(),
            compiler.packages
        ),
        Err(e) => panic!(
            "cannot run {} for {}: {e}",
            compiler.program,
            source.display()
        ),
    };
    if !output.status.success() {
        let _ = fs::remove_file(&partial);
        panic!(
            "{} failed on {} ({}):\n{}",
            compiler.program,
            source.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    fs::rename(&partial, &binary)
        .unwrap_or_else(|e| panic!("cannot move fixture into {}: {e}", binary.display()));
    binary
}

fn is_up_to_date(binary: &Path, source: &Path) -> bool {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(binary), modified(source)) {
        (Some(built), Some(written)) => built >= written,
        (_, None) => panic!("fixture source {} not found", source.display()),
        _ => false,
    }
}

fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
