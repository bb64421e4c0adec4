//! The argument-count table (`xtask/data/syscall-nargs.tsv`): the one fact about a syscall
//! that the kernel headers do not carry.

use std::collections::HashMap;

use anyhow::{bail, Context, Result};

/// Argument counts by syscall name.
pub struct NargsTable {
    counts: HashMap<String, u8>,
}

impl NargsTable {
    /// Parses `name<TAB>nargs` lines; `#` starts a comment line, blank lines are ignored.
    pub fn parse(file: &str, text: &str) -> Result<Self> {
        let mut counts = HashMap::new();
        for (index, line) in text.lines().enumerate() {
            let at = || format!("{file}:{}", index + 1);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((name, count)) = line.split_once('\t') else {
                bail!("{}: expected `name<TAB>nargs`, got {line:?}", at());
            };
            let nargs: u8 = count
                .trim()
                .parse()
                .with_context(|| format!("{}: bad argument count {count:?}", at()))?;
            // The syscall ABI passes at most six arguments in registers.
            if nargs > 6 {
                bail!("{}: {name} has {nargs} arguments; at most 6 exist", at());
            }
            if counts.insert(name.to_string(), nargs).is_some() {
                bail!("{}: {name} is listed twice", at());
            }
        }
        Ok(NargsTable { counts })
    }

    pub fn get(&self, name: &str) -> Option<u8> {
        self.counts.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counts_and_skips_comments() {
        let table = NargsTable::parse("t.tsv", "# comment\n\nread\t3\nexit_group\t1\n").unwrap();
        assert_eq!(table.get("read"), Some(3));
        assert_eq!(table.get("exit_group"), Some(1));
        assert_eq!(table.get("write"), None);
    }

    #[test]
    fn rejects_bad_lines_with_their_position() {
        let cases = [
            ("read 3\n", "t.tsv:1: expected"),
            ("read\tthree\n", "t.tsv:1: bad argument count"),
            ("read\t7\n", "at most 6"),
            ("read\t3\nread\t3\n", "t.tsv:2: read is listed twice"),
        ];
        for (text, expected) in cases {
            let message = format!("{:#}", NargsTable::parse("t.tsv", text).err().unwrap());
            assert!(message.contains(expected), "{text:?}: {message}");
        }
    }
}
