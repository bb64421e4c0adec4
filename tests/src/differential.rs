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

    pub fn compare(&self, level: Level) -> Comparison {
        compare(&self.expected_lines, &self.actual_lines, level)
    }

    /// Whether both tracers ended alike (same exit code, or same signal).
    pub fn same_status(&self) -> bool {
        self.expected.exit_code() == self.actual.exit_code()
            && self.expected.signal() == self.actual.signal()
    }
}
