//! The differential check: one command traced by two tracers (strace as the reference,
//! rtrace under test), both traces reduced to comparable lines, then aligned.

use crate::compare::{compare, Comparison, Level};
use crate::normalise::Normaliser;
use crate::run::{Outcome, Tracer};
use crate::trace::{by_pid, join_resumed, parse};

/// The trace as comparable lines: resumed calls joined, processes and threads one after
/// another in pid order (interleaving is the scheduler's choice, not the tracer's), each
/// line normalised.
pub fn comparable_lines(trace: &[String], normaliser: &Normaliser) -> Vec<String> {
    let events = join_resumed(parse(trace));
    by_pid(&events)
        .into_iter()
        .flat_map(|(_, lines)| normaliser.lines(&lines))
        .collect()
}

/// Drops the lines of the calls named in `names` (comparable lines: no pid prefix).
pub fn leave_out(lines: &mut Vec<String>, names: &[&str]) {
    lines.retain(|line| {
        !names.iter().any(|name| {
            line.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('('))
        })
    });
}

/// Both runs of one command and their comparable lines.
#[derive(Debug)]
pub struct Differential {
    pub expected: Outcome,
    pub actual: Outcome,
    pub expected_lines: Vec<String>,
    pub actual_lines: Vec<String>,
}

impl Differential {
    /// Traces `command` with `options` (`-o FILE` is added) under `reference` and `tested`.
    pub fn run(
        reference: Tracer,
        tested: Tracer,
        options: &[&str],
        command: &[&str],
        normaliser: &Normaliser,
    ) -> Self {
        let expected = reference.trace(options, command);
        let actual = tested.trace(options, command);
        let expected_lines = comparable_lines(&expected.trace, normaliser);
        let actual_lines = comparable_lines(&actual.trace, normaliser);
        Differential {
            expected,
            actual,
            expected_lines,
            actual_lines,
        }
    }

    /// Drops the calls named in `names` from both sides.
    pub fn leave_out(&mut self, names: &[&str]) {
        leave_out(&mut self.expected_lines, names);
        leave_out(&mut self.actual_lines, names);
    }

    pub fn compare(&self, level: Level) -> Comparison {
        compare(&self.expected_lines, &self.actual_lines, level)
    }

    /// Whether both tracers ended alike (same exit code, or same signal).
    pub fn same_status(&self) -> bool {
        self.expected.exit_code() == self.actual.exit_code()
            && self.expected.signal() == self.actual.signal()
    }
}

/// The names-and-returns agreement every differential case must reach.
pub const REQUIRED_AGREEMENT: f64 = 0.99;

/// The agreement of whole normalised lines (arguments, pointers and buffers included)
/// every differential case must reach: the cases' calls are all decoded.
pub const REQUIRED_FULL_LINES: f64 = 0.99;

/// Runs every case of [`crate::cases::CASES`] under `reference` and `tested`, prints
/// each case's agreement, and returns the failures (low agreement of names and returns
/// or of whole lines, different ending).
pub fn run_all_cases(reference: Tracer, tested: Tracer) -> Vec<String> {
    let mut failures = Vec::new();
    for case in crate::cases::CASES {
        let dir = tempfile::tempdir().expect("cannot create a temporary directory");
        let command = (case.command)(dir.path());
        let command: Vec<&str> = command.iter().map(String::as_str).collect();
        let options: &[&str] = if case.follow { &["-f"] } else { &[] };
        let normaliser = Normaliser::new().replacing(dir.path().display().to_string(), "$TMP");
        let mut run = Differential::run(reference, tested, options, &command, &normaliser);
        run.leave_out(case.scheduler_dependent);
        let comparison = run.compare(Level::NamesAndReturns);
        let full = run.compare(Level::FullLine);
        println!(
            "{:<24} {} vs {}: names+returns {}; full lines {:.2}%",
            case.name,
            reference.name(),
            tested.name(),
            comparison.report(0),
            full.ratio() * 100.0
        );
        if comparison.ratio() < REQUIRED_AGREEMENT {
            failures.push(format!("{}: {}", case.name, comparison.report(40)));
        } else if full.ratio() < REQUIRED_FULL_LINES {
            failures.push(format!("{}: whole lines: {}", case.name, full.report(40)));
        }
        if !run.same_status() {
            failures.push(format!(
                "{}: {} {} but {} {}",
                case.name,
                reference.name(),
                run.expected.describe(),
                tested.name(),
                run.actual.describe()
            ));
        }
    }
    failures
}
