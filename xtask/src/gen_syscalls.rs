//! `cargo xtask gen-syscalls [--check]`: writes (or checks) each architecture's syscall
//! table from the linux-raw-sys crate's numbers and `xtask/data/syscall-nargs.tsv`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::arch_specs::{ArchSpec, BorrowedNumbers, ARCHES};
use crate::kernel_numbers;
use crate::nargs::NargsTable;
use crate::table_source::{self, Entry};

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
    let source = kernel_numbers::crate_dir(&root)?;
    for spec in ARCHES {
        let generated = generate(spec, &source, &nargs)?;
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

/// The table source for one architecture, from linux-raw-sys's source in `source`.
pub fn generate(spec: &ArchSpec, source: &Path, nargs: &NargsTable) -> Result<String> {
    let relative = format!("src/{}/general.rs", spec.module);
    let path = source.join(&relative);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: cannot read {}", spec.name, path.display()))?;
    let mut syscalls = syscalls_of(spec, &text)
        .with_context(|| format!("{}: reading {}", spec.name, path.display()))?;
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
    let mut entries = table_source::with_nargs(syscalls, nargs, spec.nargs_overrides, NARGS_FILE)
        .with_context(|| spec.name.to_string())?;
    if let Some(borrowed) = &spec.borrowed_numbers {
        entries.extend(borrowed_entries(spec, borrowed, &entries, source, nargs)?);
        entries.sort_by_key(|entry| entry.number);
    }
    let crate_name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(table_source::render(
        &entries,
        &[&format!("{crate_name}/{relative}")],
    ))
}

/// The other ABI's calls below `borrowed.below` whose numbers `own` lacks, named with
/// the suffix and counted as the other ABI counts them.
fn borrowed_entries(
    spec: &ArchSpec,
    borrowed: &BorrowedNumbers,
    own: &[Entry],
    source: &Path,
    nargs: &NargsTable,
) -> Result<Vec<Entry>> {
    let relative = format!("src/{}/general.rs", borrowed.module);
    let path = source.join(&relative);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: cannot read {}", spec.name, path.display()))?;
    let lender = ArchSpec {
        name: borrowed.module,
        module: borrowed.module,
        number_bit: 0,
        output: "",
        syscall_prefixes: &[("__NR_", "")],
        not_syscalls: &[],
        extra_entries: &[],
        nargs_overrides: &[],
        renames: &[],
        borrowed_numbers: None,
    };
    let missing: Vec<(u32, String)> = syscalls_of(&lender, &text)?
        .into_iter()
        .filter(|(number, _)| *number < borrowed.below)
        .filter(|(number, _)| !own.iter().any(|entry| entry.number == *number))
        .collect();
    let mut entries = table_source::with_nargs(missing, nargs, &[], NARGS_FILE)
        .with_context(|| format!("{}: {}'s numbers", spec.name, borrowed.module))?;
    for entry in &mut entries {
        entry.name.push_str(borrowed.suffix);
    }
    Ok(entries)
}

/// The `(number, name)` pairs of the syscall constants in one module's text, named as the
/// table names them; a number listed twice is an error naming both.
fn syscalls_of(spec: &ArchSpec, text: &str) -> Result<Vec<(u32, String)>> {
    let mut syscalls = Vec::new();
    for (constant, number) in kernel_numbers::numbered_constants(text, spec.syscall_prefixes)? {
        if spec.not_syscalls.contains(&constant.as_str()) {
            continue;
        }
        let name = spec
            .syscall_prefixes
            .iter()
            .find_map(|(prefix, table_prefix)| {
                let rest = constant.strip_prefix(prefix)?;
                (!rest.is_empty()).then(|| format!("{table_prefix}{rest}"))
            });
        if let Some(name) = name {
            syscalls.push((number & !spec.number_bit, name));
        }
    }
    syscalls.sort_by_key(|(number, _)| *number);
    for pair in syscalls.windows(2) {
        if pair[0].0 == pair[1].0 {
            bail!(
                "syscall number {} is listed twice: {} and {}",
                pair[0].0,
                pair[0].1,
                pair[1].1
            );
        }
    }
    Ok(syscalls)
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

    fn spec(name: &'static str, module: &'static str) -> ArchSpec {
        ArchSpec {
            name,
            module,
            number_bit: 0,
            output: "unused.rs",
            syscall_prefixes: &[("__NR_", "")],
            not_syscalls: &[],
            extra_entries: &[],
            nargs_overrides: &[],
            renames: &[],
            borrowed_numbers: None,
        }
    }

    /// The checked-in tables match what the pinned linux-raw-sys produces, so a stale
    /// table (or an edited nargs file not regenerated) fails `cargo test --workspace`.
    #[test]
    fn checked_in_tables_are_current() {
        let root = workspace_root();
        let nargs = load_nargs(&root).unwrap();
        let source = kernel_numbers::crate_dir(&root).unwrap();
        for spec in ARCHES {
            let generated = match generate(spec, &source, &nargs) {
                Ok(text) => text,
                Err(e) => panic!("{e:#}"),
            };
            if let Err(e) = check_current(spec, &generated, &root.join(spec.output)) {
                panic!("{e:#}");
            }
        }
    }

    #[test]
    fn a_missing_module_names_the_file() {
        let nargs = NargsTable::parse("n.tsv", "").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let message = format!(
            "{:#}",
            generate(&spec("nowhere", "nowhere"), dir.path(), &nargs).unwrap_err()
        );
        assert!(message.contains("src/nowhere/general.rs"), "{message}");
    }

    #[test]
    fn renames_apply_before_argument_counts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src/renamed")).unwrap();
        std::fs::write(
            dir.path().join("src/renamed/general.rs"),
            "pub const __NR_arm_sync_file_range: u32 = 341;\n\
             pub const __NR_sync_file_range2: u32 = 341;\n",
        )
        .unwrap();
        let spec = ArchSpec {
            not_syscalls: &["__NR_sync_file_range2"],
            extra_entries: &[(0x0f_fff0, "cmpxchg")],
            renames: &[("arm_sync_file_range", "sync_file_range2")],
            ..spec("renamed", "renamed")
        };
        let nargs = NargsTable::parse("n.tsv", "sync_file_range2\t6\ncmpxchg\t5\n").unwrap();
        let text = generate(&spec, dir.path(), &nargs).unwrap();
        assert!(
            text.contains("name: \"sync_file_range2\",\n        nargs: 6"),
            "{text}"
        );
        assert!(!text.contains("arm_sync_file_range\""), "{text}");
        assert!(text.contains("number: 1048560"), "{text}");
    }

    #[test]
    fn a_number_listed_twice_is_an_error() {
        let text = "pub const __NR_a: u32 = 7;\npub const __NR_b: u32 = 7;\n";
        let message = syscalls_of(&spec("twice", "twice"), text)
            .unwrap_err()
            .to_string();
        assert!(message.contains("7 is listed twice: a and b"), "{message}");
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
