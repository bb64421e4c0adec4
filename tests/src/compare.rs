//! Aligning two normalised traces (strace's and rtrace's) with a diff, not a zip, so
//! that one extra or missing line costs one line and not every line after it.

use std::fmt::Write as _;

use similar::{capture_diff_slices, Algorithm, DiffOp};

/// How much of a line must agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The syscall's name and its return value (signals by name, exits in full):
    /// for calls whose arguments still print raw.
    NamesAndReturns,
    /// The whole normalised line: for decoded calls.
    FullLine,
}

/// The line as compared at `level`.
pub fn project(line: &str, level: Level) -> String {
    match level {
        Level::FullLine => line.to_owned(),
        Level::NamesAndReturns => name_and_return(line),
    }
}

fn name_and_return(line: &str) -> String {
    if line.starts_with("+++ ") {
        return line.to_owned();
    }
    if let Some(rest) = line.strip_prefix("--- ") {
        // `--- SIGCHLD {...} ---` and `--- stopped by SIGSTOP ---` keep their first words.
        let head: Vec<&str> = rest
            .split_whitespace()
            .take_while(|w| !w.starts_with('{') && *w != "---")
            .collect();
        return format!("--- {} ---", head.join(" "));
    }
    let name = line.split('(').next().unwrap_or(line);
    match line.rfind(") = ") {
        Some(at) => format!("{name} = {}", canonical_return(&line[at + 4..])),
        None if line.ends_with("<unfinished ...>") => format!("{name} <unfinished ...>"),
        None => line.to_owned(),
    }
}

/// The raw form prints small return values in hex (`= 0x3`), strace's decoded form in
/// decimal; both mean the same number. Addresses (already `0xADDR`) stay as they are.
fn canonical_return(value: &str) -> String {
    let (number, rest) = value.split_at(value.find(' ').unwrap_or(value.len()));
    match number
        .strip_prefix("0x")
        .filter(|hex| hex.len() <= 8)
        .and_then(|hex| i64::from_str_radix(hex, 16).ok())
    {
        Some(n) => format!("{n}{rest}"),
        None => value.to_owned(),
    }
}

/// The alignment of an expected (strace) and an actual (rtrace) trace.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub expected_len: usize,
    pub actual_len: usize,
    /// Lines common to both, in order (the longest common subsequence).
    pub matched: usize,
    /// Lines only one side has: `-` expected only, `+` actual only.
    pub differences: Vec<String>,
}

impl Comparison {
    /// matched / the longer trace's length: 1.0 when both are equal (or both empty).
    pub fn ratio(&self) -> f64 {
        let longer = self.expected_len.max(self.actual_len);
        if longer == 0 {
            1.0
        } else {
            self.matched as f64 / longer as f64
        }
    }

    /// A summary line plus up to `limit` differing lines.
    pub fn report(&self, limit: usize) -> String {
        let mut out = format!(
            "agreement {:.2}% ({} of {} strace lines, {} rtrace lines)",
            self.ratio() * 100.0,
            self.matched,
            self.expected_len,
            self.actual_len
        );
        for line in self.differences.iter().take(limit) {
            let _ = write!(out, "\n  {line}");
        }
        if limit > 0 && self.differences.len() > limit {
            let _ = write!(out, "\n  ... {} more", self.differences.len() - limit);
        }
        out
    }
}

/// Aligns `expected` and `actual` (already normalised) after projecting them to `level`.
pub fn compare<S: AsRef<str>>(expected: &[S], actual: &[S], level: Level) -> Comparison {
    let left: Vec<String> = expected
        .iter()
        .map(|l| project(l.as_ref(), level))
        .collect();
    let right: Vec<String> = actual.iter().map(|l| project(l.as_ref(), level)).collect();
    let mut matched = 0;
    let mut differences = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &left, &right) {
        match op {
            DiffOp::Equal { len, .. } => matched += len,
            DiffOp::Delete {
                old_index, old_len, ..
            } => differences.extend(
                left[old_index..old_index + old_len]
                    .iter()
                    .map(|l| format!("- {l}")),
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => differences.extend(
                right[new_index..new_index + new_len]
                    .iter()
                    .map(|l| format!("+ {l}")),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                differences.extend(
                    left[old_index..old_index + old_len]
                        .iter()
                        .map(|l| format!("- {l}")),
                );
                differences.extend(
                    right[new_index..new_index + new_len]
                        .iter()
                        .map(|l| format!("+ {l}")),
                );
            }
        }
    }
    Comparison {
        expected_len: left.len(),
        actual_len: right.len(),
        matched,
        differences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_returns_ignore_arguments_and_number_base() {
        assert_eq!(
            project(
                "openat(0xffffff9c, 0x7ff5e752c0b1, 0x80000, 0) = 0x3",
                Level::NamesAndReturns
            ),
            "openat = 3"
        );
        assert_eq!(
            project(
                r#"openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3"#,
                Level::NamesAndReturns
            ),
            "openat = 3"
        );
        assert_eq!(
            project(
                "access(0xADDR, 0x4) = -1 ENOENT (No such file or directory)",
                Level::NamesAndReturns
            ),
            "access = -1 ENOENT (No such file or directory)"
        );
        assert_eq!(
            project("exit_group(0) = ?", Level::NamesAndReturns),
            "exit_group = ?"
        );
        assert_eq!(
            project(
                "--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER} ---",
                Level::NamesAndReturns
            ),
            "--- SIGTERM ---"
        );
        assert_eq!(
            project("+++ exited with 0 +++", Level::NamesAndReturns),
            "+++ exited with 0 +++"
        );
    }

    #[test]
    fn one_missing_line_costs_one_line() {
        let expected = ["a() = 0", "b() = 0", "c() = 0", "d() = 0"];
        let actual = ["a() = 0", "c() = 0", "d() = 0"];
        let c = compare(&expected, &actual, Level::FullLine);
        assert_eq!(c.matched, 3);
        assert_eq!(c.differences, vec!["- b() = 0"]);
        assert!((c.ratio() - 0.75).abs() < 1e-9);
    }

    #[test]
    fn full_line_sees_argument_differences() {
        let c = compare(&["close(3) = 0"], &["close(0x3) = 0"], Level::FullLine);
        assert_eq!(c.matched, 0);
        let c = compare(
            &["close(3) = 0"],
            &["close(0x3) = 0"],
            Level::NamesAndReturns,
        );
        assert_eq!(c.matched, 1);
    }
}
