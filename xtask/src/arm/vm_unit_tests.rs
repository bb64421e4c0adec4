//! The unit tests qemu-user cannot run, run in the machine's VM instead.
//!
//! qemu-user emulates no ptrace, process_vm_readv or NETLINK_SOCK_DIAG
//! ([`cross::QEMU_USER_LACKS`]); the tests that failed there for that reason alone are
//! the ones run here: each of their executables goes into the initramfs
//! (`/unit/<file name>`, with its symbols), and init runs it with `--exact` and those
//! tests' names. libtest's verdicts come back on the console and count with the
//! machine's other checks, so every test counts once, where it could run. A test the VM
//! gives no verdict for (its executable missing from cargo's list, the run cut short,
//! its name absent from the output) fails, with the reason.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::cross::{self, UnitTest};
use super::initramfs::UNIT_TEST_DIR;
use super::verdict::Console;

/// The plan's label for these runs: init runs them as they are, with no tracer's pid
/// count to measure first (see `tests/arm/init.c`).
pub const LABEL: &str = "unit-tests";

/// Test names per run: init splits a plan line into at most 32 words.
const TESTS_PER_RUN: usize = 24;

/// One run in the VM: an executable with some of its tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmRun {
    /// `unit/<binary>.<n>`, unique in the plan.
    pub id: String,
    pub binary: String,
    pub tests: Vec<String>,
}

/// A test's outcome in the VM: `Err` says why it failed or gave no verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmUnitResult {
    pub test: UnitTest,
    pub outcome: Result<(), String>,
}

/// What to run in the VM for the tests qemu-user could not run.
#[derive(Debug, Default)]
pub struct Plan {
    pub runs: Vec<VmRun>,
    /// The executables the runs need, by file name.
    pub executables: Vec<(String, PathBuf)>,
    /// Tests that cannot be run (no executable of that name was built), failed already.
    pub unrunnable: Vec<VmUnitResult>,
}

/// Groups `not_run` by executable into runs, finding each executable among those
/// cargo built (`executables`, by file name).
pub fn plan(not_run: &[UnitTest], executables: &BTreeMap<String, PathBuf>) -> Plan {
    let mut by_binary: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for test in not_run {
        by_binary
            .entry(test.binary.as_str())
            .or_default()
            .push(test.name.clone());
    }
    let mut plan = Plan::default();
    for (binary, tests) in by_binary {
        let Some(path) = executables.get(binary) else {
            plan.unrunnable
                .extend(tests.into_iter().map(|name| VmUnitResult {
                    test: UnitTest {
                        binary: binary.to_string(),
                        name,
                    },
                    outcome: Err(format!(
                        "cargo built no test executable named `{binary}` to run it in the VM"
                    )),
                }));
            continue;
        };
        plan.executables.push((binary.to_string(), path.clone()));
        for (n, chunk) in tests.chunks(TESTS_PER_RUN).enumerate() {
            plan.runs.push(VmRun {
                id: format!("unit/{binary}.{n}"),
                binary: binary.to_string(),
                tests: chunk.to_vec(),
            });
        }
    }
    plan
}

/// init's plan lines: `ID unit-tests /unit/BINARY --exact NAME...`.
pub fn plan_lines(runs: &[VmRun]) -> String {
    runs.iter()
        .map(|run| {
            format!(
                "{} {LABEL} {UNIT_TEST_DIR}/{} --exact {}\n",
                run.id,
                run.binary,
                run.tests.join(" ")
            )
        })
        .collect()
}

/// Every planned test's outcome, from libtest's lines in the runs' output.
pub fn judge(console: &Console, plan: &Plan) -> Vec<VmUnitResult> {
    let mut results = plan.unrunnable.clone();
    for run in &plan.runs {
        let found = console.runs.get(&(run.id.clone(), LABEL.to_string()));
        let output = found.map(|r| r.output.join("\n")).unwrap_or_default();
        let verdicts = cross::test_verdicts(&output);
        for name in &run.tests {
            let outcome = match found {
                None => Err("the VM did not run it (it stopped before)".to_string()),
                Some(_) if verdicts.passed.contains(name) => Ok(()),
                Some(_) if verdicts.failed.contains(name) => Err(format!(
                    "failed in the VM:\n{}",
                    cross::failure_text(&output, name).unwrap_or(&output)
                )),
                Some(found) => Err(format!(
                    "no verdict in the VM's run, which {}; its output:\n{output}",
                    found.ending.describe()
                )),
            };
            results.push(VmUnitResult {
                test: UnitTest {
                    binary: run.binary.clone(),
                    name: name.clone(),
                },
                outcome,
            });
        }
    }
    results
}

#[cfg(test)]
mod tests {
    use super::super::verdict::ConsoleReader;
    use super::*;

    fn test(binary: &str, name: &str) -> UnitTest {
        UnitTest {
            binary: binary.into(),
            name: name.into(),
        }
    }

    fn console(text: &str) -> Console {
        let mut reader = ConsoleReader::default();
        for line in text.lines() {
            reader.line(line);
        }
        reader.finish()
    }

    #[test]
    fn tests_are_grouped_by_executable_and_a_missing_one_fails() {
        let not_run = [
            test("rtrace_engine-1", "tracee_memory::tests::a"),
            test("rtrace-2", "sockets::tests::b"),
            test("rtrace_engine-1", "tracee_memory::tests::c"),
            test("gone-3", "x::y"),
        ];
        let executables = BTreeMap::from([
            (
                "rtrace_engine-1".to_string(),
                PathBuf::from("/t/rtrace_engine-1"),
            ),
            ("rtrace-2".to_string(), PathBuf::from("/t/rtrace-2")),
        ]);
        let plan = plan(&not_run, &executables);
        assert_eq!(
            plan_lines(&plan.runs),
            "unit/rtrace-2.0 unit-tests /unit/rtrace-2 --exact sockets::tests::b\n\
             unit/rtrace_engine-1.0 unit-tests /unit/rtrace_engine-1 --exact \
             tracee_memory::tests::a tracee_memory::tests::c\n"
        );
        assert_eq!(plan.executables.len(), 2);
        assert_eq!(plan.unrunnable.len(), 1);
        assert!(plan.unrunnable[0]
            .outcome
            .as_ref()
            .is_err_and(|e| e.contains("`gone-3`")));
    }

    #[test]
    fn many_tests_are_split_across_runs() {
        let not_run: Vec<UnitTest> = (0..30).map(|i| test("b-1", &format!("t{i}"))).collect();
        let executables = BTreeMap::from([("b-1".to_string(), PathBuf::from("/t/b-1"))]);
        let plan = plan(&not_run, &executables);
        assert_eq!(plan.runs.len(), 2);
        assert_eq!(plan.runs[0].tests.len(), TESTS_PER_RUN);
        assert_eq!(plan.runs[1].id, "unit/b-1.1");
    }

    /// Passed, failed and missing verdicts: only a `... ok` line is a pass.
    #[test]
    fn libtest_verdicts_from_the_console() {
        let not_run = [
            test("e-1", "m::passes"),
            test("e-1", "m::fails"),
            test("e-1", "m::silent"),
            test("s-2", "n::never"),
        ];
        let executables = BTreeMap::from([
            ("e-1".to_string(), PathBuf::from("/t/e-1")),
            ("s-2".to_string(), PathBuf::from("/t/s-2")),
        ]);
        let plan = plan(&not_run, &executables);
        let console = console(
            "@@run unit/e-1.0 unit-tests\n\
             >running 3 tests\n\
             >test m::passes ... ok\n\
             >test m::fails ... FAILED\n\
             >\n\
             >failures:\n\
             >\n\
             >---- m::fails stdout ----\n\
             >assertion failed: 1 == 2\n\
             >\n\
             >failures:\n\
             >    m::fails\n\
             @@end unit/e-1.0 unit-tests exit=101 lines=0\n\
             @@done 1\n",
        );
        let results = judge(&console, &plan);
        let outcome = |name: &str| {
            results
                .iter()
                .find(|r| r.test.name == name)
                .map(|r| r.outcome.clone())
                .unwrap()
        };
        assert_eq!(outcome("m::passes"), Ok(()));
        assert!(outcome("m::fails").is_err_and(|e| e.contains("1 == 2")));
        assert!(outcome("m::silent").is_err_and(|e| e.contains("no verdict")));
        assert!(outcome("n::never").is_err_and(|e| e.contains("did not run")));
    }
}
