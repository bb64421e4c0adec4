//! The per-family differential check for families whose traces hold values that
//! change run to run (ports, clocks, System V ids, time left on a timeout), and whose
//! programs take arguments (a private directory) or are not C fixtures (python3).
//!
//! Used by family_net, family_signal, family_ipc and family_time. It builds on
//! `family_support` (known-differences lists, the plugin check, the 95% figure) and
//! adds a command per case and applies the family's varying values
//! (`rtrace_tests::varying`) on the lines of the syscalls that carry them.
#![allow(dead_code)]

use std::path::Path;

use rtrace_tests::varying::{Varying, VaryingRules};
use rtrace_tests::{fixture, Normaliser, Tracer};

use crate::family_support::{require_plugin, Tally};

/// One traced run: a command built in a private directory, and tracer options.
pub struct Run {
    pub label: &'static str,
    pub options: &'static [&'static str],
    pub command: fn(&Path) -> Vec<String>,
}

/// `tests/fixtures/<name>.c` compiled, with the private directory as its argument.
pub fn fixture_in_dir(name: &str, dir: &Path) -> Vec<String> {
    vec![
        fixture(name).display().to_string(),
        dir.display().to_string(),
    ]
}

fn call_name(line: &str) -> &str {
    line.split('(').next().unwrap_or("")
}

fn lines_of(lines: &[String], syscalls: &[&str], varying: &VaryingRules) -> Vec<String> {
    lines
        .iter()
        .filter(|line| line.contains('(') && syscalls.contains(&call_name(line)))
        .map(|line| varying.apply(line))
        .collect()
}

/// Runs every case under both tracers, keeps the family's lines, compares them whole,
/// prints the family's figure, and fails on a difference not listed in
/// `tests/known-differences/<family>.txt` or on a figure under 95%.
pub fn check_varying_family(
    family: &str,
    library: &str,
    syscalls: &[&str],
    varying: &[Varying],
    runs: &[Run],
) -> f64 {
    require_plugin(library);
    let varying = VaryingRules::new([varying]);
    let mut tally = Tally::new(family);
    for run in runs {
        // Each tracer gets its own directory, named alike after normalisation.
        let trace = |tracer: Tracer| {
            let dir = tempfile::tempdir().expect("cannot create a temporary directory");
            let command = (run.command)(dir.path());
            let command: Vec<&str> = command.iter().map(String::as_str).collect();
            let normaliser = Normaliser::new().replacing(dir.path().display().to_string(), "$TMP");
            let outcome = tracer.trace(run.options, &command);
            let lines = rtrace_tests::differential::comparable_lines(&outcome.trace, &normaliser);
            (outcome, lines)
        };
        let (expected_outcome, expected) = trace(Tracer::Strace);
        let (actual_outcome, actual) = trace(Tracer::Rtrace);
        assert!(
            expected_outcome.exit_code() == actual_outcome.exit_code()
                && expected_outcome.signal() == actual_outcome.signal(),
            "{}: strace {} but rtrace {}",
            run.label,
            expected_outcome.describe(),
            actual_outcome.describe()
        );
        let expected = lines_of(&expected, syscalls, &varying);
        let actual = lines_of(&actual, syscalls, &varying);
        tally.add(
            &format!("{} {:?}", run.label, run.options),
            &expected,
            &actual,
        );
    }
    tally.conclude()
}
