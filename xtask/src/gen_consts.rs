//! `cargo xtask gen-consts [--check]`: writes (or checks) the constant and flag tables
//! that decoders keep as `(value, "NAME")` pairs, from the kernel's UAPI headers as the
//! compilers of the four architectures rtrace builds for see them (`header_probe`,
//! shared with `gen-ioctl` and `gen-kvm`).
//!
//! The spec (`consts_spec`) is the hand-written part: which names a table keeps and in
//! which order (a decoding choice: strace's), and the definitions of names newer than
//! the headers. Each name is a C expression (`1<<TCP_LISTEN` is strace's spelling of a
//! bit and its own value), evaluated by each compiler; a table whose values differ
//! between architectures is written once per `target_arch`. A table of names by number
//! (`Shape::Indexed`) fails the generator when a name's value is not its position.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::{bail, Context, Result};

use crate::consts_spec::{FILES, NEWER_THAN_HEADERS};
use crate::gen_syscalls::workspace_root;
use crate::header_probe::{
    check_current, evaluate, item, kernel_series, macros_of, Probe, Scratch, ARCHES,
};

/// One generated file: the module it is, and its tables.
pub struct GenFile {
    /// Relative to the workspace root.
    pub path: &'static str,
    /// The module's doc (without `//! `), one line per element.
    pub doc: &'static [&'static str],
    /// What the tables' types need (`use rtrace_sdk::FlagTable;`), or "".
    pub uses: &'static str,
    /// The headers every table of the file includes (before its own).
    pub headers: &'static [&'static str],
    pub tables: &'static [Table],
}

/// One table: its Rust name and doc, its shape, and its names in the table's order.
pub struct Table {
    pub name: &'static str,
    pub doc: &'static str,
    /// The headers that define its names (after the file's): tables of the same
    /// headers are evaluated together, so headers that clash stay apart.
    pub headers: &'static [&'static str],
    /// Another table of the file whose names come first.
    pub extends: Option<&'static str>,
    pub shape: Shape,
    /// Each a C expression of the headers, printed as written; one ending in `?` is
    /// in the table of the architectures whose headers define it only (`MAP_32BIT?`).
    pub names: &'static [&'static str],
}

/// What Rust item a table is (the type its users take).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `pub const NAME: &[(u64, &str)]`, values in decimal.
    Decimal,
    /// The same, values in hexadecimal.
    Hex,
    /// `pub static NAME: FlagTable = FlagTable::bits(&[...])`, in the table's order.
    Flags,
    /// `pub const NAME: &FlagTable = &FlagTable::bits(&[...])`.
    FlagsRef,
    /// `pub const NAME: &ConstTable = &ConstTable { names, unknown }`: `unknown` is
    /// what strace prints for a value without a name (its `CLOCK_???`).
    Consts { unknown: &'static str, hex: bool },
    /// `pub const NAME: &[&str]`: the name of each number from 0, each name's value
    /// being its position.
    Indexed,
}

/// A name newer than Debian 12's headers (Linux 6.1): its definition, and where the
/// definition comes from. A header that has the name wins.
pub struct Newer {
    pub name: &'static str,
    pub definition: &'static str,
    pub source: &'static str,
}

/// Writes the files, or with `check` only compares them with the checked-in ones.
pub fn run(check: bool) -> Result<()> {
    let dir = Scratch::new("gen-consts")?;
    let series = series(&dir)?;
    for file in FILES {
        let generated = generate(&dir, &series, file)?;
        let output = workspace_root().join(file.path);
        if check {
            check_current(&generated, &output, file.path, "gen-consts")?;
            println!("{}: up to date", file.path);
        } else {
            std::fs::write(&output, &generated)
                .with_context(|| format!("cannot write {}", output.display()))?;
            println!("{}: written", file.path);
        }
    }
    Ok(())
}

/// The headers' kernel series (`6.1`).
fn series(dir: &Scratch) -> Result<String> {
    kernel_series(&macros_of(dir.path(), "gcc", &["linux/version.h"])?)
}

/// A name's C expression: the name without its `?` (defined on some architectures).
fn expression(name: &str) -> &str {
    name.strip_suffix('?').unwrap_or(name)
}

/// The identifiers of a C expression.
fn identifiers(expr: &str) -> impl Iterator<Item = &str> {
    expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
}

/// The definitions of the names of `wanted` that `cc`'s headers lack.
fn prelude(
    dir: &Scratch,
    cc: &str,
    headers: &[&str],
    wanted: &BTreeSet<&str>,
) -> Result<Vec<&'static Newer>> {
    let newer: Vec<&Newer> = NEWER_THAN_HEADERS
        .iter()
        .filter(|n| wanted.contains(n.name))
        .collect();
    if newer.is_empty() {
        return Ok(newer);
    }
    let probes: Vec<Probe> = newer
        .iter()
        .map(|n| Probe {
            group: String::new(),
            expr: n.name.into(),
        })
        .collect();
    let known: BTreeSet<String> = evaluate(dir.path(), cc, headers, "", &probes)?
        .into_iter()
        .map(|(p, _)| p.expr)
        .collect();
    Ok(newer
        .into_iter()
        .filter(|n| !known.contains(n.name))
        .collect())
}

/// Each architecture's value of each expression of the file's tables, by the headers
/// it was evaluated with (a table's: [`headers_of`]).
type Values = BTreeMap<&'static str, BTreeMap<(Vec<&'static str>, String), u64>>;

/// The headers a table's names are evaluated with: its file's, then its own.
fn headers_of(file: &GenFile, table: &Table) -> Vec<&'static str> {
    let mut headers = file.headers.to_vec();
    headers.extend(table.headers);
    headers
}

/// Each architecture's values, and the definitions of the spec that the first
/// architecture's headers lacked. The tables of one set of headers are evaluated
/// together.
fn values_of(dir: &Scratch, file: &GenFile) -> Result<(Values, Vec<&'static Newer>)> {
    let mut groups: BTreeMap<Vec<&'static str>, BTreeSet<&'static str>> = BTreeMap::new();
    for table in file.tables {
        groups
            .entry(headers_of(file, table))
            .or_default()
            .extend(table.names.iter().map(|n| expression(n)));
    }
    let mut all: Values = BTreeMap::new();
    let mut defined: Vec<&Newer> = Vec::new();
    for (headers, exprs) in &groups {
        let wanted: BTreeSet<&str> = exprs.iter().flat_map(|e| identifiers(e)).collect();
        let probes: Vec<Probe> = exprs
            .iter()
            .map(|e| Probe {
                group: String::new(),
                expr: e.to_string(),
            })
            .collect();
        for (index, probe_arch) in ARCHES.iter().enumerate() {
            let (arch, cc, package) = (
                &probe_arch.target_arch,
                probe_arch.cc(),
                probe_arch.packages(),
            );
            let context = || format!("{arch}'s values need {cc} (Debian packages {package})");
            let newer = prelude(dir, &cc, headers, &wanted).with_context(context)?;
            let prelude: String = newer
                .iter()
                .map(|n| format!("#define {} ({})\n", n.name, n.definition))
                .collect();
            if index == 0 {
                for n in newer {
                    if !defined.iter().any(|d| d.name == n.name) {
                        defined.push(n);
                    }
                }
            }
            let values: BTreeMap<String, u64> =
                evaluate(dir.path(), &cc, headers, &prelude, &probes)
                    .with_context(context)?
                    .into_iter()
                    .map(|(p, v)| (p.expr, v))
                    .collect();
            let optional: BTreeSet<&str> = file
                .tables
                .iter()
                .flat_map(|t| t.names.iter())
                .filter_map(|n| n.strip_suffix('?'))
                .collect();
            let missing: Vec<&str> = exprs
                .iter()
                .copied()
                .filter(|e| !values.contains_key(*e) && !optional.contains(e))
                .collect();
            if !missing.is_empty() {
                bail!(
                    "{}: {cc}'s headers ({headers:?}) do not define {missing:?}: define the \
                     names newer than the headers in consts_spec's NEWER_THAN_HEADERS",
                    file.path,
                );
            }
            let by_key = all.entry(*arch).or_default();
            by_key.extend(values.into_iter().map(|(e, v)| ((headers.clone(), e), v)));
        }
    }
    Ok((all, defined))
}

fn generate(dir: &Scratch, series: &str, file: &GenFile) -> Result<String> {
    let (values, defined) = values_of(dir, file)?;
    let mut text = format!(
        "// @generated by `cargo xtask gen-consts` from the UAPI headers (Linux {series}).\n\
         // Do not edit: the names and their order are xtask/src/consts_spec.rs's.\n\n"
    );
    for line in file.doc {
        writeln!(text, "//! {line}")?;
    }
    if !defined.is_empty() {
        text.push_str("\n// Newer than these headers, defined by the spec:\n");
        for newer in &defined {
            writeln!(
                text,
                "// {} = {} ({})",
                newer.name, newer.definition, newer.source
            )?;
        }
    }
    if !file.uses.is_empty() {
        writeln!(text, "\n{}", file.uses)?;
    }
    for table in file.tables {
        let names = names_of(file, table)?;
        let headers = headers_of(file, table);
        let mut by_arch = Vec::new();
        for arch in ARCHES.iter().map(|a| &a.target_arch) {
            let value = |name: &str| {
                values[arch]
                    .get(&(headers.clone(), expression(name).to_string()))
                    .copied()
            };
            let body = body(table, &names, &value).with_context(|| format!("on {arch}"))?;
            by_arch.push((*arch, body));
        }
        text.push('\n');
        for line in wrap(table.doc, 88) {
            writeln!(text, "/// {line}")?;
        }
        let head = match table.shape {
            Shape::Decimal | Shape::Hex => format!("pub const {}: &[(u64, &str)]", table.name),
            Shape::Flags => format!("pub static {}: FlagTable", table.name),
            Shape::FlagsRef => format!("pub const {}: &FlagTable", table.name),
            Shape::Consts { .. } => format!("pub const {}: &ConstTable", table.name),
            Shape::Indexed => format!("pub const {}: &[&str]", table.name),
        };
        item(&mut text, &format!("#[rustfmt::skip]\n{head}"), &by_arch)?;
    }
    Ok(text)
}

/// `text`'s words in lines of at most `width` characters (a longer word alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// A table's names: those of the table it extends, then its own.
fn names_of(file: &GenFile, table: &Table) -> Result<Vec<&'static str>> {
    let mut names = Vec::new();
    if let Some(base) = table.extends {
        let base = file
            .tables
            .iter()
            .find(|t| t.name == base)
            .with_context(|| {
                format!(
                    "{} extends {base}, not a table of {}",
                    table.name, file.path
                )
            })?;
        names.extend(names_of(file, base)?);
    }
    names.extend(table.names);
    Ok(names)
}

/// A table's value on one architecture: the text after `=`.
fn body(table: &Table, names: &[&str], value: &dyn Fn(&str) -> Option<u64>) -> Result<String> {
    let mut rows = String::new();
    for (index, name) in names.iter().enumerate() {
        // Only an optional name has no value (values_of checks the others).
        let Some(v) = value(name) else {
            continue;
        };
        let name = expression(name);
        match table.shape {
            Shape::Decimal | Shape::Consts { hex: false, .. } => {
                writeln!(rows, "    ({v}, \"{name}\"),")?
            }
            Shape::Hex | Shape::Flags | Shape::FlagsRef | Shape::Consts { hex: true, .. } => {
                writeln!(rows, "    ({v:#x}, \"{name}\"),")?
            }
            Shape::Indexed => {
                if v != index as u64 {
                    bail!(
                        "{}: {name} is {v}, not its position {index}: a table by number \
                         needs every number's name, in order",
                        table.name
                    );
                }
                writeln!(rows, "    \"{name}\",")?;
            }
        }
    }
    Ok(match table.shape {
        Shape::Flags => format!("FlagTable::bits(&[\n{rows}])"),
        Shape::FlagsRef => format!("&FlagTable::bits(&[\n{rows}])"),
        Shape::Consts { unknown, .. } => {
            let rows: String = rows.lines().map(|row| format!("    {row}\n")).collect();
            format!("&ConstTable {{\n    names: &[\n{rows}    ],\n    unknown: \"{unknown}\",\n}}")
        }
        Shape::Decimal | Shape::Hex | Shape::Indexed => format!("&[\n{rows}]"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in files are what this machine's headers give with the four
    /// architectures' compilers (Debian 12's, as on CI): a hand edit of one, or a change
    /// of the spec not run, fails here.
    #[test]
    fn checked_in_tables_are_current() {
        let dir = Scratch::new("gen-consts-test").unwrap();
        let series = series(&dir).unwrap_or_else(|e| panic!("{e:#}"));
        for file in FILES {
            let generated = generate(&dir, &series, file).unwrap_or_else(|e| panic!("{e:#}"));
            let output = workspace_root().join(file.path);
            if let Err(e) = check_current(&generated, &output, file.path, "gen-consts") {
                panic!("{e}");
            }
        }
    }

    /// A table by number whose name is not at its value's position fails.
    #[test]
    fn indexed_table_out_of_order_fails() {
        let table = Table {
            name: "T",
            doc: "",
            headers: &[],
            extends: None,
            shape: Shape::Indexed,
            names: &["A", "C"],
        };
        let value = |name: &str| Some(if name == "A" { 0 } else { 2 });
        let err = body(&table, table.names, &value).unwrap_err().to_string();
        assert!(err.contains("C is 2, not its position 1"), "{err}");
    }
}
