//! What the per-family differential tests share: run a family's fixtures under strace
//! and rtrace, keep the lines of the family's syscalls, compare whole lines, and hold
//! the remaining differences against the family's list of known ones
//! (`tests/known-differences/<family>.txt`), so that a new difference fails and so does a
//! listed one that went away (a stale entry).
//!
//! Normalisation beyond the harness's own: `rtrace_tests::varying::PROCESS` (the pid
//! waitid takes, resource-usage figures, CPU masks), which differ run to run.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use rtrace_tests::locate::{rtrace_binary, workspace_root};
use rtrace_tests::varying::{self, VaryingRules};
use rtrace_tests::{compare, fixture, Differential, Level, Normaliser, Tracer};

/// One run of a fixture.
pub struct Case {
    pub fixture: &'static str,
    /// Tracer options besides `-o` (`-f`, `-v`, `-s 5`).
    pub options: &'static [&'static str],
}

/// The share of strace's lines for a family's syscalls that rtrace must reproduce.
pub const REQUIRED: f64 = 0.95;

/// One known difference: the strace line, the rtrace line (`(none)` when rtrace has
/// no counterpart), and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Known {
    pub strace: String,
    pub rtrace: String,
    pub why: String,
}

/// Reads `tests/known-differences/<family>.txt`: blocks of `strace: `, `rtrace: `
/// and `why: ` lines; `#` starts a comment line.
pub fn known_differences(family: &str) -> Vec<Known> {
    let path = workspace_root()
        .join("tests/known-differences")
        .join(format!("{family}.txt"));
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut known = Vec::new();
    let mut current: (Option<String>, Option<String>) = (None, None);
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("{}:{}", path.display(), number + 1);
        if let Some(rest) = line.strip_prefix("strace: ") {
            current = (Some(rest.to_owned()), None);
        } else if let Some(rest) = line.strip_prefix("rtrace: ") {
            assert!(
                current.0.is_some(),
                "{}: rtrace line before its strace line",
                at()
            );
            current.1 = Some(rest.to_owned());
        } else if let Some(rest) = line.strip_prefix("why: ") {
            let (Some(strace), Some(rtrace)) = current.clone() else {
                panic!("{}: why without strace and rtrace lines", at());
            };
            known.push(Known {
                strace,
                rtrace,
                why: rest.to_owned(),
            });
            current = (None, None);
        } else {
            panic!(
                "{}: expected `strace: `, `rtrace: ` or `why: `, got {line:?}",
                at()
            );
        }
    }
    known
}

/// The family's plugin must sit next to the rtrace binary, or every line is raw.
pub fn require_plugin(library: &str) {
    let binary = rtrace_binary();
    let plugin = binary.with_file_name(format!("lib{library}.so"));
    assert!(
        plugin.is_file(),
        "{} not found next to {}: build it first (cargo build -p rtrace -p rtrace-plugin-{})",
        plugin.display(),
        binary.display(),
        library.trim_start_matches("rtrace_")
    );
}

/// The family's lines of one run, both sides, fully normalised.
fn family_lines(case: &Case, syscalls: &[&str]) -> (Vec<String>, Vec<String>) {
    let program = fixture(case.fixture);
    let program = program.to_str().expect("UTF-8 fixture path");
    let run = Differential::run(
        Tracer::Strace,
        Tracer::Rtrace,
        case.options,
        &[program],
        &Normaliser::new(),
    );
    assert!(
        run.same_status(),
        "{} {:?}: strace {} but rtrace {}",
        case.fixture,
        case.options,
        run.expected.describe(),
        run.actual.describe()
    );
    let rules = VaryingRules::new([varying::PROCESS]);
    let keep = |lines: &[String]| -> Vec<String> {
        lines
            .iter()
            .filter(|line| {
                let name = line.split('(').next().unwrap_or("");
                line.contains('(') && syscalls.contains(&name)
            })
            .map(|line| rules.apply(line))
            .collect()
    };
    (keep(&run.expected_lines), keep(&run.actual_lines))
}

/// Runs every case, prints the family's figure and each case's, and fails on a low
/// figure or on a difference not listed as known.
pub fn check_family(family: &str, library: &str, syscalls: &[&str], cases: &[Case]) {
    require_plugin(library);
    let mut tally = Tally::new(family);
    for case in cases {
        let (expected, actual) = family_lines(case, syscalls);
        tally.add(
            &format!("{} {:?}", case.fixture, case.options),
            &expected,
            &actual,
        );
    }
    tally.conclude();
}

/// A family's runs added up and judged against its known-differences list: every
/// difference must be listed, and at least [`REQUIRED`] of strace's lines reproduced.
pub struct Tally {
    family: String,
    known: Vec<Known>,
    seen_known: BTreeSet<usize>,
    unexplained: Vec<String>,
    matched: usize,
    total: usize,
    rtrace_total: usize,
    names_seen: BTreeSet<String>,
}

impl Tally {
    pub fn new(family: &str) -> Self {
        Self::with_known(family, known_differences(family))
    }

    /// A tally against the `known` differences given (the file's, or a test's own).
    pub fn with_known(family: &str, known: Vec<Known>) -> Self {
        Tally {
            family: family.to_owned(),
            known,
            seen_known: BTreeSet::new(),
            unexplained: Vec::new(),
            matched: 0,
            total: 0,
            rtrace_total: 0,
            names_seen: BTreeSet::new(),
        }
    }

    /// Compares one run's family lines (`label` names the run in messages).
    pub fn add(&mut self, label: &str, expected: &[String], actual: &[String]) {
        let family = &self.family;
        assert!(
            !expected.is_empty(),
            "{label}: strace shows none of the {family} family's calls"
        );
        for line in expected {
            self.names_seen
                .insert(line.split('(').next().unwrap_or("").to_owned());
        }
        let comparison = compare(expected, actual, Level::FullLine);
        println!("{family}: {label}: {}", comparison.report(0));
        self.matched += comparison.matched;
        self.total += comparison.expected_len;
        self.rtrace_total += comparison.actual_len;
        let strace_only: Vec<&str> = differences(&comparison.differences, "- ");
        let rtrace_only: Vec<&str> = differences(&comparison.differences, "+ ");
        for line in &strace_only {
            match self.known.iter().position(|k| {
                k.strace == *line
                    && (k.rtrace == "(none)" || rtrace_only.contains(&k.rtrace.as_str()))
            }) {
                Some(index) => {
                    self.seen_known.insert(index);
                }
                None => self.unexplained.push(format!(
                    "{label}: strace: {line}\n    rtrace has instead: {}",
                    closest(line, &rtrace_only)
                )),
            }
        }
        for line in &rtrace_only {
            let explained = self
                .known
                .iter()
                .any(|k| k.rtrace == *line && strace_only.contains(&k.strace.as_str()));
            if !explained {
                self.unexplained
                    .push(format!("{label}: rtrace only: {line}"));
            }
        }
    }

    /// Prints the family's figure and fails on an unlisted difference or a low
    /// figure; returns the share of strace's lines reproduced.
    pub fn conclude(self) -> f64 {
        let family = &self.family;
        let ratio = self.matched as f64 / self.total.max(1) as f64;
        println!(
            "{family} family: {} of {} strace lines reproduced exactly ({:.2}%), \
             {} rtrace lines, {} syscalls seen: {}",
            self.matched,
            self.total,
            ratio * 100.0,
            self.rtrace_total,
            self.names_seen.len(),
            self.names_seen
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        );
        // A listed difference that no run showed is stale: the list must say what is
        // true today, or it would excuse the same difference if it came back unnoticed.
        let stale: Vec<&str> = self
            .known
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.seen_known.contains(index))
            .map(|(_, entry)| entry.strace.as_str())
            .collect();
        assert!(
            self.unexplained.is_empty(),
            "{} difference(s) not in tests/known-differences/{family}.txt:\n  {}",
            self.unexplained.len(),
            self.unexplained.join("\n  ")
        );
        assert!(
            stale.is_empty(),
            "{} known difference(s) in tests/known-differences/{family}.txt no longer seen \
             (rtrace now matches strace there, or no run makes the call): remove them:\n  {}",
            stale.len(),
            stale.join("\n  ")
        );
        assert!(
            ratio >= REQUIRED,
            "{family}: only {:.2}% of strace's lines reproduced (need {:.0}%)",
            ratio * 100.0,
            REQUIRED * 100.0
        );
        ratio
    }
}

fn differences<'d>(differences: &'d [String], prefix: &str) -> Vec<&'d str> {
    differences
        .iter()
        .filter_map(|d| d.strip_prefix(prefix))
        .collect()
}

/// The rtrace line for the same syscall, to show next to an unexplained strace line.
fn closest<'a>(line: &str, candidates: &[&'a str]) -> &'a str {
    let name = line.split('(').next().unwrap_or("");
    candidates
        .iter()
        .find(|c| c.split('(').next() == Some(name))
        .copied()
        .unwrap_or("(none)")
}

/// Where the known-differences files live, for messages.
pub fn known_differences_dir() -> PathBuf {
    workspace_root().join("tests/known-differences")
}

/// The families strace decodes only since 7.x (sched_getparam, keys, the mount API...)
/// are compared with strace 7.2, the reference (`/work/shared/oracle`, or any strace
/// 7.2 or newer first in `PATH` as `strace`): against an older strace their lines
/// would differ for reasons that are not rtrace's. Fails with the reason otherwise.
pub fn require_strace_7_2() {
    let out = rtrace_tests::Tracer::Strace.run(&["-V"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let version = stdout.lines().next().unwrap_or("").to_owned();
    let number = version.rsplit(' ').next().unwrap_or("");
    let mut parts = number.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    assert!(
        (major, minor) >= (7, 2),
        "these lines are compared with strace 7.2 or newer, but `strace -V` says {version:?}: \
         put the reference (strace-7.2-x86_64) first in PATH as `strace`"
    );
}
