//! The C fixtures in `tests/fixtures/*.c`, compiled with gcc into
//! `<target>/rtrace-fixtures/` and rebuilt only when the source is newer.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::locate::{target_dir, workspace_root};

/// The path of the compiled fixture `name` (from `tests/fixtures/<name>.c`),
/// compiling it first when needed. Panics with the reason when it cannot be built.
pub fn fixture(name: &str) -> PathBuf {
    let source = workspace_root()
        .join("tests/fixtures")
        .join(format!("{name}.c"));
    let out_dir = target_dir().join("rtrace-fixtures");
    let binary = out_dir.join(name);
    if is_up_to_date(&binary, &source) {
        return binary;
    }
    fs::create_dir_all(&out_dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", out_dir.display()));
    // Tests run in parallel and may build the same fixture at once: each compiles to a
    // private name and renames, which is atomic, so no test ever runs a half-written file.
    let partial = out_dir.join(format!("{name}.partial.{}", unique_suffix()));
    let result = Command::new("gcc")
        .args(["-O1", "-g", "-Wall", "-Wextra", "-Werror", "-pthread", "-o"])
        .arg(&partial)
        .arg(&source)
        .output();
    let output = match result {
        Ok(output) => output,
        Err(e) if e.kind() == ErrorKind::NotFound => panic!(
            "gcc not found: needed to compile fixture {} (apt-get install gcc)",
            source.display()
        ),
        Err(e) => panic!("cannot run gcc for {}: {e}", source.display()),
    };
    if !output.status.success() {
        let _ = fs::remove_file(&partial);
        panic!(
            "gcc failed on {} ({}):\n{}",
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
