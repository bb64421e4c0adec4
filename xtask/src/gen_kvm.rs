//! `cargo xtask gen-kvm [--check]`: writes (or checks) the KVM name tables of the fs
//! plugin from the kernel's `<linux/kvm.h>` as the C compiler sees it.
//!
//! linux-raw-sys has no KVM module, and the ioctl codes are `_IOW(KVMIO, 0x46, struct
//! ...)` macros whose size only a compiler evaluates. So the names come from the
//! preprocessor's macro list (`cc -E -dM`), and their values from a small program that
//! prints each one, built against the same header: the x86 `asm/kvm.h` of the machine's
//! kernel headers (linux-libc-dev). The file records the header's `LINUX_VERSION_CODE`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::gen_syscalls::workspace_root;

/// The generated table, relative to the workspace root.
pub const OUTPUT: &str = "plugins/fs/src/kvm/names.rs";

/// Writes the table, or with `check` only compares it with the checked-in one.
pub fn run(check: bool) -> Result<()> {
    let root = workspace_root();
    let generated = generate()?;
    let output = root.join(OUTPUT);
    if check {
        check_current(&generated, &output)?;
        println!("{OUTPUT}: up to date");
    } else {
        std::fs::write(&output, &generated)
            .with_context(|| format!("cannot write {}", output.display()))?;
        println!("{OUTPUT}: written");
    }
    Ok(())
}

/// Fails with one line when the checked-in table differs from `generated`, naming the
/// kernel series of each when they differ (other headers, not a stale table).
fn check_current(generated: &str, output: &Path) -> Result<()> {
    let current = std::fs::read_to_string(output)
        .with_context(|| format!("cannot read {}", output.display()))?;
    if current == generated {
        return Ok(());
    }
    let first = |text: &str| text.lines().next().unwrap_or_default().to_string();
    if first(&current) != first(generated) {
        bail!(
            "{OUTPUT} was generated from other kernel headers than this machine's \
             (it says {:?}, these give {:?}): check it with the same headers",
            first(&current),
            first(generated)
        );
    }
    bail!("{OUTPUT} is stale: run `cargo xtask gen-kvm`");
}

/// One macro of the header: its name and its definition's text.
type Macros = BTreeMap<String, String>;

fn generate() -> Result<String> {
    let dir = std::env::temp_dir().join(format!("rtrace-gen-kvm-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = generate_in(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn generate_in(dir: &Path) -> Result<String> {
    let header = dir.join("header.c");
    std::fs::write(
        &header,
        "#include <linux/version.h>\n#include <linux/kvm.h>\n",
    )?;
    let macros = macros_of(&header)?;
    let version = macros
        .get("LINUX_VERSION_CODE")
        .context("<linux/version.h> has no LINUX_VERSION_CODE")?
        .clone();
    let ioctls: Vec<&str> = macros
        .iter()
        .filter(|(name, body)| {
            name.starts_with("KVM_")
                && is_kvm_ioctl(body)
                && !OTHER_ARCHES.iter().any(|p| name.starts_with(p))
        })
        .map(|(name, _)| name.as_str())
        .collect();
    let numbered = |prefix: &str, exclude: &[&str]| -> Vec<&str> {
        macros
            .iter()
            .filter(|(name, body)| {
                name.starts_with(prefix)
                    && !exclude.iter().any(|e| name.starts_with(e))
                    && body.trim().parse::<u64>().is_ok()
            })
            .map(|(name, _)| name.as_str())
            .collect()
    };
    let exits = numbered(
        "KVM_EXIT_",
        &["KVM_EXIT_IO_", "KVM_EXIT_HYPERV_", "KVM_EXIT_XEN_"],
    );
    let caps = numbered("KVM_CAP_", &[]);
    let flags = |prefix: &str| -> Vec<&str> {
        macros
            .keys()
            .filter(|name| name.starts_with(prefix))
            .map(String::as_str)
            .collect()
    };
    let memory_flags = flags("KVM_MEM_");
    let cpuid_flags = flags("KVM_CPUID_FLAG_");
    let sizes = ["sizeof(struct kvm_run)"];
    let groups: [(&str, &[&str]); 6] = [
        ("ioctl", &ioctls),
        ("exit", &exits),
        ("cap", &caps),
        ("mem", &memory_flags),
        ("cpuid", &cpuid_flags),
        ("size", &sizes),
    ];
    let values = evaluate(dir, &groups)?;
    render(&version, &values)
}

/// The requests kvm.h defines for other architectures only (their structures may even
/// compile on x86): an x86 tracee cannot make them, and strace's x86 table leaves them
/// unnamed.
const OTHER_ARCHES: &[&str] = &[
    "KVM_S390_",
    "KVM_PPC_",
    "KVM_ARM_",
    "KVM_RISCV_",
    "KVM_LOONGARCH_",
];

/// `_IO(KVMIO, 0x00)`, `_IOW(KVMIO, 0x46, struct kvm_userspace_memory_region)`, ...
fn is_kvm_ioctl(body: &str) -> bool {
    let body = body.trim_start();
    ["_IO(", "_IOR(", "_IOW(", "_IOWR("]
        .iter()
        .any(|m| body.starts_with(m))
        && body.contains("KVMIO")
}

fn compiler() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".into())
}

/// Every macro the header defines, from `cc -E -dM`.
fn macros_of(header: &Path) -> Result<Macros> {
    let out = Command::new(compiler())
        .args(["-E", "-dM"])
        .arg(header)
        .output()
        .context("cannot run the C compiler (set CC, or install gcc)")?;
    if !out.status.success() {
        bail!(
            "the C compiler cannot read <linux/kvm.h> (install linux-libc-dev): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let mut macros = Macros::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Some(rest) = line.strip_prefix("#define ") else {
            continue;
        };
        let (name, body) = rest.split_once(' ').unwrap_or((rest, ""));
        if name.contains('(') {
            continue; // a function-like macro
        }
        macros.insert(name.to_string(), body.to_string());
    }
    Ok(macros)
}

/// Builds and runs a program printing `GROUP NAME VALUE` for every name. Some ioctls
/// of kvm.h take other architectures' structures (PPC's, s390's), which this header
/// leaves undefined: those lines fail to compile and are left out, as strace's x86
/// ioctl table leaves them out.
fn evaluate(dir: &Path, groups: &[(&str, &[&str])]) -> Result<Vec<(String, String, u64)>> {
    let mut lines: Vec<(String, String)> = groups
        .iter()
        .flat_map(|(group, names)| names.iter().map(|n| (group.to_string(), n.to_string())))
        .collect();
    let program = dir.join("probe.c");
    let binary = dir.join("probe");
    // The first probe line is line 4 of the program.
    const FIRST_LINE: usize = 4;
    loop {
        let mut source =
            String::from("#include <stdio.h>\n#include <linux/kvm.h>\nint main(void) {\n");
        for (group, name) in &lines {
            writeln!(
                source,
                "  printf(\"{group} {name} %llu\\n\", (unsigned long long)({name}));"
            )?;
        }
        source.push_str("  return 0;\n}\n");
        std::fs::write(&program, source)?;
        let out = Command::new(compiler())
            .args(["-fmax-errors=0", "-o"])
            .arg(&binary)
            .arg(&program)
            .output()
            .context("cannot run the C compiler")?;
        if out.status.success() {
            break;
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        let failed: std::collections::BTreeSet<usize> = stderr
            .lines()
            .filter(|l| l.contains(": error:"))
            .filter_map(|l| l.split(':').nth(1)?.parse::<usize>().ok())
            .filter_map(|line| line.checked_sub(FIRST_LINE))
            .filter(|index| *index < lines.len())
            .collect();
        if failed.is_empty() {
            bail!("the KVM probe program did not compile: {}", stderr.trim());
        }
        let mut index = 0;
        lines.retain(|_| {
            index += 1;
            !failed.contains(&(index - 1))
        });
    }
    let out = Command::new(&binary)
        .output()
        .context("cannot run the KVM probe")?;
    let mut values = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        // GROUP NAME VALUE; a size's NAME is `sizeof(struct x)`, with spaces.
        let parsed = line
            .split_once(' ')
            .and_then(|(group, rest)| Some((group, rest.rsplit_once(' ')?)));
        let Some((group, (name, value))) = parsed else {
            bail!("the probe printed {line:?}");
        };
        values.push((group.to_string(), name.to_string(), value.parse()?));
    }
    Ok(values)
}

/// The Rust source: tables sorted by value (names of equal values in name order), flag
/// tables of single bits in bit order, and the size of `struct kvm_run`.
fn render(version: &str, values: &[(String, String, u64)]) -> Result<String> {
    let code: u64 = version.trim().parse()?;
    // The series only: stable updates of the headers (6.1.y) keep KVM's UAPI.
    let mut text = format!(
        "// @generated by `cargo xtask gen-kvm` from <linux/kvm.h> (x86, Linux {}.{}).\n\
         // Do not edit.\n\n",
        code >> 16,
        (code >> 8) & 0xff,
    );
    let tables = [
        (
            "ioctl",
            "IOCTLS",
            "The KVM ioctl requests: code, name.",
            "u32",
        ),
        (
            "exit",
            "EXIT_REASONS",
            "`kvm_run.exit_reason` values.",
            "u64",
        ),
        (
            "cap",
            "CAPABILITIES",
            "KVM_CHECK_EXTENSION's capabilities.",
            "u64",
        ),
        (
            "mem",
            "MEMORY_FLAGS",
            "`kvm_userspace_memory_region.flags` bits.",
            "u64",
        ),
        (
            "cpuid",
            "CPUID_FLAGS",
            "`kvm_cpuid_entry2.flags` bits.",
            "u64",
        ),
    ];
    for (group, constant, doc, ty) in tables {
        let flags = matches!(group, "mem" | "cpuid");
        let mut rows: Vec<(u64, &str)> = values
            .iter()
            .filter(|(g, _, v)| g == group && (!flags || v.is_power_of_two()))
            .map(|(_, name, value)| (*value, name.as_str()))
            .collect();
        rows.sort();
        writeln!(text, "/// {doc}")?;
        // As generated, whatever rustfmt would make of a short table.
        writeln!(text, "#[rustfmt::skip]")?;
        writeln!(text, "pub const {constant}: &[({ty}, &str)] = &[")?;
        for (value, name) in rows {
            if group == "ioctl" {
                writeln!(text, "    ({value:#010x}, \"{name}\"),")?;
            } else {
                writeln!(text, "    ({value}, \"{name}\"),")?;
            }
        }
        text.push_str("];\n\n");
    }
    let run_size = values
        .iter()
        .find(|(g, _, _)| g == "size")
        .map(|(_, _, v)| *v)
        .context("the probe printed no size of struct kvm_run")?;
    writeln!(text, "/// `sizeof(struct kvm_run)`.")?;
    writeln!(text, "pub const KVM_RUN_SIZE: u64 = {run_size};")?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in table is what this machine's headers give (Debian 12's, as on CI):
    /// a hand edit of it, or a change of the generator not run, fails here.
    #[test]
    fn checked_in_table_is_current() {
        let generated = generate().expect("the KVM probe needs gcc and linux-libc-dev");
        if let Err(e) = check_current(&generated, &workspace_root().join(OUTPUT)) {
            panic!("{e}");
        }
    }

    #[test]
    fn only_kvm_ioctl_macros_count() {
        assert!(is_kvm_ioctl(
            "_IOW(KVMIO, 0x46, struct kvm_userspace_memory_region)"
        ));
        assert!(is_kvm_ioctl("_IO(KVMIO, 0x80)"));
        assert!(!is_kvm_ioctl("_IOW(0x12, 0x46, int)"));
        assert!(!is_kvm_ioctl("KVMIO"));
    }
}
