//! Constants of the kernel's UAPI headers as a C compiler sees them, for the generators
//! of tables whose values are macros only a compiler evaluates (`_IOW(KVMIO, 0x46,
//! struct ...)`): the macro list of a set of headers (`cc -E -dM`), and the value of
//! each expression, read from the assembly the compiler emits for it (`cc -S`, the
//! kernel's own asm-offsets technique). Nothing is run, so a cross compiler
//! (arm-linux-gnueabihf-gcc) evaluates the same names for its architecture.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::targets::{Toolchain, AARCH64_CROSS, ARMHF_CROSS, I686_CROSS};

/// One macro of the headers: its name and its definition's text.
pub type Macros = BTreeMap<String, String>;

/// A scratch directory removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Result<Scratch> {
        let dir = std::env::temp_dir().join(format!("rtrace-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Scratch(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The machine's C compiler: `$CC`, else `cc`.
pub fn compiler() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".into())
}

/// `#include <h>` for each header.
fn includes(headers: &[&str]) -> String {
    headers
        .iter()
        .map(|h| format!("#include <{h}>\n"))
        .collect()
}

/// Every object-like macro the headers define, from `cc -E -dM`.
pub fn macros_of(dir: &Path, cc: &str, headers: &[&str]) -> Result<Macros> {
    let source = dir.join("headers.c");
    std::fs::write(&source, includes(headers))?;
    let out = Command::new(cc)
        .args(["-E", "-dM"])
        .arg(&source)
        .output()
        .with_context(|| format!("cannot run the C compiler {cc} (set CC, or install gcc)"))?;
    if !out.status.success() {
        bail!(
            "{cc} cannot read {headers:?} (install linux-libc-dev): {}",
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

/// One value to evaluate: its group (the caller's tag), and a C constant expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Probe {
    pub group: String,
    pub expr: String,
}

/// The value of each probe's expression, as `cc` compiles it after the headers and
/// `prelude`. An expression the compiler rejects (an ioctl of kvm.h taking another
/// architecture's structure) is left out of the answer; the caller decides whether
/// that is an error.
pub fn evaluate(
    dir: &Path,
    cc: &str,
    headers: &[&str],
    prelude: &str,
    probes: &[Probe],
) -> Result<Vec<(Probe, u64)>> {
    let mut probes: Vec<&Probe> = probes.iter().collect();
    let program = dir.join("probe.c");
    let head = format!(
        "{}{prelude}\n\
         /* Each value as four 16-bit immediates: every target takes those. */\n\
         #define PROBE(i, e) __asm__ volatile(\"\\n.ascii \\\"@probe \" #i \" %c0 %c1 %c2 %c3\\\\n\\\"\" \
         :: \"i\"((int)((unsigned long long)(e) & 0xffff)), \
         \"i\"((int)(((unsigned long long)(e) >> 16) & 0xffff)), \
         \"i\"((int)(((unsigned long long)(e) >> 32) & 0xffff)), \
         \"i\"((int)(((unsigned long long)(e) >> 48) & 0xffff)))\n\
         void probe(void) {{\n",
        includes(headers)
    );
    // The first probe's line in the program.
    let first_line = head.lines().count() + 1;
    let assembly = loop {
        let mut source = head.clone();
        for (index, probe) in probes.iter().enumerate() {
            writeln!(source, "  PROBE({index}, {});", probe.expr)?;
        }
        source.push_str("}\n");
        std::fs::write(&program, source)?;
        let out = Command::new(cc)
            .args(["-S", "-fmax-errors=0", "-o", "-"])
            .arg(&program)
            .output()
            .with_context(|| format!("cannot run the C compiler {cc}"))?;
        if out.status.success() {
            break String::from_utf8_lossy(&out.stdout).into_owned();
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        let failed: BTreeSet<usize> = stderr
            .lines()
            .filter(|l| l.contains(": error:"))
            .filter_map(|l| l.split(':').nth(1)?.parse::<usize>().ok())
            .filter_map(|line| line.checked_sub(first_line))
            .filter(|index| *index < probes.len())
            .collect();
        if failed.is_empty() {
            bail!(
                "the probe program did not compile with {cc}: {}",
                stderr.trim()
            );
        }
        let mut index = 0;
        probes.retain(|_| {
            index += 1;
            !failed.contains(&(index - 1))
        });
    };
    let mut values = Vec::new();
    for line in assembly.lines() {
        let Some(rest) = line.split("@probe ").nth(1) else {
            continue;
        };
        let fields: Vec<u64> = rest
            .trim_end_matches(['\\', 'n', '"'])
            .split_whitespace()
            .map(|f| {
                f.trim_start_matches(['#', '$'])
                    .parse::<i64>()
                    .map(|v| v as u64)
            })
            .collect::<Result<_, _>>()
            .with_context(|| format!("{cc} emitted {line:?}"))?;
        let [index, parts @ ..] = fields.as_slice() else {
            bail!("{cc} emitted {line:?}");
        };
        let value = parts
            .iter()
            .enumerate()
            .fold(0u64, |v, (i, part)| v | ((part & 0xffff) << (16 * i)));
        let probe = probes
            .get(*index as usize)
            .with_context(|| format!("{cc} emitted {line:?}"))?;
        values.push(((*probe).clone(), value));
    }
    if values.len() != probes.len() {
        bail!(
            "{cc} emitted {} of {} probe values",
            values.len(),
            probes.len()
        );
    }
    Ok(values)
}

/// Fails with one line when the checked-in `output` differs from `generated`, naming
/// the headers each says it comes from (their first line) when they differ: other
/// headers, not a stale table.
pub fn check_current(generated: &str, output: &Path, shown: &str, command: &str) -> Result<()> {
    let current = std::fs::read_to_string(output)
        .with_context(|| format!("cannot read {}", output.display()))?;
    if current == generated {
        return Ok(());
    }
    let first = |text: &str| text.lines().next().unwrap_or_default().to_string();
    if first(&current) != first(generated) {
        bail!(
            "{shown} was generated from other kernel headers than this machine's \
             (it says {:?}, these give {:?}): check it with the same headers",
            first(&current),
            first(generated)
        );
    }
    bail!("{shown} is stale: run `cargo xtask {command}`");
}

/// `LINUX_VERSION_CODE` as the series it names: `6.1`.
pub fn kernel_series(macros: &Macros) -> Result<String> {
    let code: u64 = macros
        .get("LINUX_VERSION_CODE")
        .context("<linux/version.h> has no LINUX_VERSION_CODE")?
        .trim()
        .parse()?;
    Ok(format!("{}.{}", code >> 16, (code >> 8) & 0xff))
}

/// An architecture whose compiler evaluates the names.
pub struct ProbeArch {
    /// Rust's `target_arch`.
    pub target_arch: &'static str,
    /// Its Debian cross toolchain; `None`: the host's own gcc.
    pub cross: Option<&'static Toolchain>,
}

impl ProbeArch {
    pub fn cc(&self) -> String {
        self.cross
            .map_or_else(|| "gcc".to_string(), |toolchain| toolchain.tool("gcc"))
    }

    /// The Debian packages of the compiler and of its C library's headers (the probes
    /// include them), for an error that says what to install.
    pub fn packages(&self) -> String {
        match self.cross {
            Some(toolchain) => format!(
                "{} and {}",
                toolchain.packages.gcc, toolchain.packages.libc_dev
            ),
            None => "gcc and libc6-dev".to_string(),
        }
    }
}

/// The architectures whose compilers evaluate the names, the host's first. Each 64-bit
/// one's 32-bit personality follows it.
pub const ARCHES: &[ProbeArch] = &[
    ProbeArch {
        target_arch: "x86_64",
        cross: None,
    },
    ProbeArch {
        target_arch: "aarch64",
        cross: Some(&AARCH64_CROSS),
    },
    ProbeArch {
        target_arch: "x86",
        cross: Some(&I686_CROSS),
    },
    ProbeArch {
        target_arch: "arm",
        cross: Some(&ARMHF_CROSS),
    },
];

/// `{head} = value;`, or one such line per value with the architectures that have it
/// (the x86_64 value's line for every architecture but the others named).
pub fn item(text: &mut String, head: &str, by_arch: &[(&str, String)]) -> Result<()> {
    let mut groups: Vec<(&String, Vec<&str>)> = Vec::new();
    for (arch, value) in by_arch {
        match groups.iter_mut().find(|(v, _)| *v == value) {
            Some((_, arches)) => arches.push(arch),
            None => groups.push((value, vec![arch])),
        }
    }
    if let [(value, _)] = groups.as_slice() {
        writeln!(text, "{head} = {value};")?;
        return Ok(());
    }
    let condition = |arches: &[&str]| {
        let list: Vec<String> = arches
            .iter()
            .map(|a| format!("target_arch = \"{a}\""))
            .collect();
        match list.as_slice() {
            [one] => one.clone(),
            _ => format!("any({})", list.join(", ")),
        }
    };
    let others: Vec<&str> = groups[1..]
        .iter()
        .flat_map(|(_, arches)| arches.iter().copied())
        .collect();
    for (index, (value, arches)) in groups.iter().enumerate() {
        let cfg = if index == 0 {
            format!("not({})", condition(&others))
        } else {
            condition(arches)
        };
        writeln!(text, "#[cfg({cfg})]")?;
        writeln!(text, "{head} = {value};")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(expr: &str) -> Probe {
        Probe {
            group: "g".into(),
            expr: expr.into(),
        }
    }

    /// Values of every width come back whole, and an expression that does not compile
    /// is left out rather than failing the rest.
    #[test]
    fn evaluates_constants_and_leaves_out_what_does_not_compile() {
        let dir = Scratch::new("probe-test").unwrap();
        let probes = [
            probe("0xc020660bULL"),
            probe("sizeof(struct no_such_struct)"),
            probe("0x123456789abcdef0ULL"),
            probe("_IOR('f', 1, long)"),
        ];
        let values = evaluate(dir.path(), &compiler(), &["linux/ioctl.h"], "", &probes)
            .expect("gcc and linux-libc-dev");
        let got: Vec<(&str, u64)> = values.iter().map(|(p, v)| (p.expr.as_str(), *v)).collect();
        assert_eq!(
            got,
            [
                ("0xc020660bULL", 0xc020_660b),
                ("0x123456789abcdef0ULL", 0x1234_5678_9abc_def0),
                ("_IOR('f', 1, long)", 0x8008_6601),
            ]
        );
    }
}
