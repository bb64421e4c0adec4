//! `cargo xtask gen-syscalls [--check]`: writes (or checks) each architecture's syscall
//! table from the kernel headers and `xtask/data/syscall-nargs.tsv`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::arch_specs::{ArchSpec, ARCHES};
use crate::header::{HeaderSyntax, Macros};
use crate::nargs::NargsTable;
use crate::table;

/// The shared argument-count table, relative to the workspace root.
pub const NARGS_FILE: &str = "xtask/data/syscall-nargs.tsv";

pub fn workspace_root() -> PathBuf {
    // xtask sits one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

/// Writes every architecture's table, or with `check` only compares them.
pub fn run(check: bool) -> Result<()> {
    let root = workspace_root();
    let nargs = load_nargs(&root)?;
    for spec in ARCHES {
        let generated = generate(spec, &nargs)?;
        let output = root.join(spec.output);
        if check {
            check_current(spec, &generated, &output)?;
            println!("{}: up to date", spec.output);
        } else {
            std::fs::write(&output, &generated)
                .with_context(|| format!("cannot write {}", output.display()))?;
            println!(
                "{}: wrote {} syscalls",
                spec.output,
                count_entries(&generated)
            );
        }
    }
    Ok(())
}

pub fn load_nargs(root: &Path) -> Result<NargsTable> {
    let path = root.join(NARGS_FILE);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    NargsTable::parse(NARGS_FILE, &text)
}

/// The table source for one architecture, from the headers on this machine.
pub fn generate(spec: &ArchSpec, nargs: &NargsTable) -> Result<String> {
    let mut macros = Macros::default();
    for header in spec.headers {
        let text = match std::fs::read_to_string(header) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                "{}: kernel header {header} not found; install {} (apt-get install {})",
                spec.name,
                spec.header_package,
                spec.header_package
            ),
            Err(e) => return Err(e).with_context(|| format!("cannot read {header}")),
        };
        macros.add_header(header, &text);
    }
    let syntax = HeaderSyntax {
        syscall_prefixes: spec.syscall_prefixes,
        not_syscalls: spec.not_syscalls,
        fixed_macros: spec.fixed_macros,
    };
    let mut syscalls = macros
        .syscalls(&syntax)
        .with_context(|| format!("{}: reading syscall numbers", spec.name))?;
    for (_, name) in &mut syscalls {
        if let Some(&(_, strace_name)) = spec.renames.iter().find(|(from, _)| from == name) {
            *name = strace_name.to_string();
        }
    }
    for &(number, name) in spec.extra_entries {
        if let Some((_, existing)) = syscalls.iter().find(|(n, _)| *n == number) {
            bail!(
                "{}: extra entry {name} ({number}) clashes with {existing} from the headers",
                spec.name
            );
        }
        syscalls.push((number, name.to_string()));
    }
    syscalls.sort_by_key(|(number, _)| *number);
    let entries = table::with_nargs(syscalls, nargs, spec.nargs_overrides, NARGS_FILE)
        .with_context(|| spec.name.to_string())?;
    Ok(table::render(&entries, spec.headers))
}

/// Fails with one line naming the file when the checked-in table differs from `generated`.
pub fn check_current(spec: &ArchSpec, generated: &str, output: &Path) -> Result<()> {
    let current = std::fs::read_to_string(output).unwrap_or_default();
    if current != generated {
        bail!(
            "{} is stale or edited by hand; run `cargo xtask gen-syscalls` and commit it",
            spec.output
        );
    }
    Ok(())
}

fn count_entries(source: &str) -> usize {
    source.matches("SyscallDesc {\n").count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in tables match what the headers on this machine produce, so a stale
    /// table (or an edited nargs file not regenerated) fails `cargo test --workspace`.
    #[test]
    fn checked_in_tables_are_current() {
        let root = workspace_root();
        let nargs = load_nargs(&root).unwrap();
        for spec in ARCHES {
            let generated = match generate(spec, &nargs) {
                Ok(text) => text,
                Err(e) => panic!("{e:#}"),
            };
            if let Err(e) = check_current(spec, &generated, &root.join(spec.output)) {
                panic!("{e:#}");
            }
        }
    }

    #[test]
    fn missing_header_names_the_package() {
        let spec = ArchSpec {
            name: "nowhere",
            headers: &["/nonexistent/asm/unistd.h"],
            header_package: "linux-libc-dev",
            output: "unused.rs",
            syscall_prefixes: &[("__NR_", "")],
            not_syscalls: &[],
            fixed_macros: &[],
            extra_entries: &[],
            nargs_overrides: &[],
            renames: &[],
        };
        let nargs = NargsTable::parse("n.tsv", "").unwrap();
        let message = generate(&spec, &nargs).unwrap_err().to_string();
        assert!(message.contains("install linux-libc-dev"), "{message}");
    }

    #[test]
    fn renames_apply_before_argument_counts() {
        let dir = std::env::temp_dir().join(format!("xtask-renames-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let header = dir.join("unistd.h");
        std::fs::write(&header, "#define __NR_arm_sync_file_range 341\n").unwrap();
        let header: &'static str = Box::leak(header.to_string_lossy().into_owned().into());
        let spec = ArchSpec {
            name: "renamed",
            headers: Box::leak(vec![header].into_boxed_slice()),
            header_package: "unused",
            output: "unused.rs",
            syscall_prefixes: &[("__NR_", "")],
            not_syscalls: &[],
            fixed_macros: &[],
            extra_entries: &[(0x0f_fff0, "cmpxchg")],
            nargs_overrides: &[],
            renames: &[("arm_sync_file_range", "sync_file_range2")],
        };
        let nargs = NargsTable::parse("n.tsv", "sync_file_range2\t6\ncmpxchg\t5\n").unwrap();
        let text = generate(&spec, &nargs).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            text.contains("name: \"sync_file_range2\",\n        nargs: 6"),
            "{text}"
        );
        assert!(!text.contains("arm_sync_file_range\""), "{text}");
        assert!(text.contains("number: 1048560"), "{text}");
    }

    /// The facts the rest of rtrace leans on, checked against the shared nargs file so a
    /// slip there is caught here rather than in a trace.
    #[test]
    fn well_known_argument_counts() {
        let nargs = load_nargs(&workspace_root()).unwrap();
        let expected = [
            ("read", 3),
            ("openat", 4),
            ("mmap", 6),
            ("clone", 5),
            ("clone3", 2),
            ("exit_group", 1),
            ("rt_sigaction", 4),
            ("execve", 3),
            ("wait4", 4),
            ("arch_prctl", 2),
            ("rt_sigreturn", 0),
            ("futex", 6),
        ];
        for (name, count) in expected {
            assert_eq!(nargs.get(name), Some(count), "{name}");
        }
    }
}
