//! Judging a VM's runs on the host: the traces init printed between markers (see
//! `tests/arm/init.c`) are read back from the console, and each case's rtrace trace is
//! compared with the reference strace's trace of the same program in the same VM, with
//! the x86_64 differential suite's own code (`rtrace_tests`): the same joining of resumed
//! calls, per-process order, normalisation, varying values and alignment.

use std::collections::BTreeMap;

use rtrace_tests::differential::{comparable_lines, leave_out};
use rtrace_tests::normalise::AddressSpace;
use rtrace_tests::varying::{VaryingRules, IPC, NET, PROCESS, SIGNAL, TIME};
use rtrace_tests::{compare, Level, Normaliser};

/// The share of identical (normalised, whole) lines a case needs.
pub const REQUIRED_IDENTICAL: f64 = 0.95;

/// The labels init runs each case under: the reference, rtrace, the static file, and the
/// reference once more, whose agreement with its first run shows how much of the
/// program's trace varies from run to run whatever the tracer (reported, not judged).
/// Each of the two rtrace builds is judged against the reference on its own.
pub const REFERENCE: &str = "reference";
pub const RTRACE: &str = "rtrace";
pub const RTRACE_STATIC: &str = "rtrace-static";
pub const REFERENCE_AGAIN: &str = "reference-again";

/// How a traced run ended, as init saw the tracer end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    Exit(i32),
    Signal(i32),
    /// Still running after init's time limit: killed.
    Timeout,
    /// init could not start or wait for it.
    Error,
}

impl Ending {
    fn parse(text: &str) -> Option<Ending> {
        Some(match text {
            "timeout" => Ending::Timeout,
            "error" => Ending::Error,
            _ => {
                if let Some(code) = text.strip_prefix("exit=") {
                    Ending::Exit(code.parse().ok()?)
                } else {
                    Ending::Signal(text.strip_prefix("signal=")?.parse().ok()?)
                }
            }
        })
    }

    pub fn describe(&self) -> String {
        match self {
            Ending::Exit(code) => format!("exited with {code}"),
            Ending::Signal(signal) => format!("was killed by signal {signal}"),
            Ending::Timeout => "did not end in time (killed)".into(),
            Ending::Error => "could not be run".into(),
        }
    }
}

/// One tracer's run of one case, as printed on the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub trace: Vec<String>,
    /// What the tracer and the program wrote to stdout and stderr.
    pub output: Vec<String>,
    pub ending: Ending,
    /// The `|` lines received equal the count init sent (nothing lost on the console).
    pub complete: bool,
}

/// Everything init reported: runs by `(id, label)`, and whether it reached the end.
#[derive(Debug, Default)]
pub struct Console {
    pub runs: BTreeMap<(String, String), Run>,
    /// `@@done N`: init finished the plan after N runs.
    pub done: Option<usize>,
}

/// Reads init's markers out of the console lines; anything else (kernel messages,
/// init's own notes) is left alone.
#[derive(Debug, Default)]
pub struct ConsoleReader {
    console: Console,
    open: Option<OpenRun>,
}

/// A run whose `@@end` has not come yet.
#[derive(Debug)]
struct OpenRun {
    key: (String, String),
    trace: Vec<String>,
    output: Vec<String>,
}

impl ConsoleReader {
    pub fn line(&mut self, line: &str) {
        if let Some(rest) = line.strip_prefix("@@run ") {
            let mut words = rest.split_whitespace();
            if let (Some(id), Some(label)) = (words.next(), words.next()) {
                self.open = Some(OpenRun {
                    key: (id.into(), label.into()),
                    trace: Vec::new(),
                    output: Vec::new(),
                });
            }
        } else if let Some(rest) = line.strip_prefix("@@end ") {
            let Some(OpenRun { key, trace, output }) = self.open.take() else {
                return;
            };
            let words: Vec<&str> = rest.split_whitespace().collect();
            if words.len() != 4 || (words[0], words[1]) != (key.0.as_str(), key.1.as_str()) {
                return;
            }
            let ending = Ending::parse(words[2]).unwrap_or(Ending::Error);
            let sent: Option<usize> = words[3].strip_prefix("lines=").and_then(|n| n.parse().ok());
            let complete = sent == Some(trace.len());
            self.console.runs.insert(
                key,
                Run {
                    trace,
                    output,
                    ending,
                    complete,
                },
            );
        } else if let Some(n) = line.strip_prefix("@@done ") {
            self.console.done = n.trim().parse().ok();
        } else if let Some(open) = &mut self.open {
            if let Some(text) = line.strip_prefix('|') {
                open.trace.push(text.to_string());
            } else if let Some(text) = line.strip_prefix('>') {
                open.output.push(text.to_string());
            }
        }
    }

    pub fn finish(self) -> Console {
        self.console
    }
}

/// One case's outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Passed,
    Failed(String),
    /// The VM never ran it (it stopped before); counted apart, never as passed.
    NotRun,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub id: String,
    /// Identical normalised lines over the longer trace; `None` when not compared.
    pub identical: Option<f64>,
    /// The same at the names-and-returns level (for the report).
    pub names: Option<f64>,
    /// Identical lines between the reference's two runs (for the report).
    pub reference_again: Option<f64>,
    pub verdict: Verdict,
}

/// Compares rtrace's run of case `id` with the reference's. `scheduler_dependent` calls
/// are left out of both sides.
/// Judges `tracer`'s run of case `id` ([`RTRACE`] or [`RTRACE_STATIC`]) against the
/// reference's; the result's id names the static file's runs apart (`ID (static)`).
pub fn judge(
    console: &Console,
    id: &str,
    tracer: &str,
    scheduler_dependent: &[&str],
) -> CaseResult {
    let get = |label: &str| console.runs.get(&(id.to_string(), label.to_string()));
    // The VMs boot with `norandmaps` (vm.rs): no address varies, every one is compared.
    let normaliser = Normaliser::new().in_address_space(AddressSpace::Unrandomised);
    // Every family's values that change from run to run (times, ports, ...): the programs
    // span all families. Pids and System V ids do not vary here (init gives each run the
    // same ones), so those rules change nothing.
    let varying = VaryingRules::new([TIME, NET, IPC, SIGNAL, PROCESS]);
    let lines = |run: &Run| {
        let mut lines: Vec<String> = comparable_lines(&run.trace, &normaliser)
            .iter()
            .map(|line| varying.apply(line))
            .collect();
        leave_out(&mut lines, scheduler_dependent);
        lines
    };
    let reference_again = match (get(REFERENCE), get(REFERENCE_AGAIN)) {
        (Some(first), Some(again)) if first.complete && again.complete => {
            Some(compare(&lines(first), &lines(again), Level::FullLine).ratio())
        }
        _ => None,
    };
    let shown_id = if tracer == RTRACE_STATIC {
        format!("{id} (static)")
    } else {
        id.to_string()
    };
    let result = |identical, names, verdict| CaseResult {
        id: shown_id.clone(),
        identical,
        names,
        reference_again,
        verdict,
    };
    let (reference, rtrace) = match (get(REFERENCE), get(tracer)) {
        (Some(reference), Some(rtrace)) => (reference, rtrace),
        _ => return result(None, None, Verdict::NotRun),
    };
    for (label, run) in [(REFERENCE, reference), (tracer, rtrace)] {
        if !run.complete {
            return result(
                None,
                None,
                Verdict::Failed(format!(
                    "the {label} trace arrived incomplete on the console"
                )),
            );
        }
        if matches!(run.ending, Ending::Timeout | Ending::Error) || run.trace.is_empty() {
            return result(
                None,
                None,
                Verdict::Failed(format!(
                    "{label} {} and wrote {} trace lines; its output:\n{}",
                    run.ending.describe(),
                    run.trace.len(),
                    indent(&run.output)
                )),
            );
        }
    }
    let (expected, actual) = (lines(reference), lines(rtrace));
    let full = compare(&expected, &actual, Level::FullLine);
    let names = compare(&expected, &actual, Level::NamesAndReturns);
    let mut problems = Vec::new();
    if reference.ending != rtrace.ending {
        problems.push(format!(
            "the reference {} but {tracer} {}",
            reference.ending.describe(),
            rtrace.ending.describe()
        ));
    }
    if full.ratio() < REQUIRED_IDENTICAL {
        problems.push(format!(
            "identical lines under {:.0}%: {}",
            REQUIRED_IDENTICAL * 100.0,
            full.report(40)
        ));
    }
    let verdict = if problems.is_empty() {
        Verdict::Passed
    } else {
        if !rtrace.output.is_empty() {
            problems.push(format!("{tracer}'s output:\n{}", indent(&rtrace.output)));
        }
        Verdict::Failed(problems.join("\n"))
    };
    result(Some(full.ratio()), Some(names.ratio()), verdict)
}

fn indent(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn console(text: &str) -> Console {
        let mut reader = ConsoleReader::default();
        for line in text.lines() {
            reader.line(line);
        }
        reader.finish()
    }

    /// Two runs of a program whose pids, column padding and envp pointer differ.
    const AGREEING: &str = "\
init: rtrace ARM runs
@@run armhf/x reference
|100   execve(\"/bin/armhf/x\", [\"/bin/armhf/x\"], 0xbefffe4c /* 2 vars */) = 0
|100   brk(NULL)                               = 0x4e000
|100   getpid()                                = 100
|100   write(1, \"hi\\n\", 3)                    = 3
|100   exit_group(0)                           = ?
|100   +++ exited with 0 +++
>hi
@@end armhf/x reference exit=0 lines=6
@@run armhf/x rtrace
|107   execve(\"/bin/armhf/x\", [\"/bin/armhf/x\"], 0x5a1c08 /* 2 vars */) = 0
|107   brk(NULL) = 0x4e000
|107   getpid() = 107
|107   write(1, \"hi\\n\", 3) = 3
|107   exit_group(0) = ?
|107   +++ exited with 0 +++
>hi
@@end armhf/x rtrace exit=0 lines=6
@@done 2
";

    #[test]
    fn runs_that_differ_only_in_what_varies_pass() {
        let console = console(AGREEING);
        assert_eq!(console.done, Some(2));
        let run = &console.runs[&("armhf/x".into(), "rtrace".into())];
        assert_eq!(run.trace.len(), 6);
        assert_eq!(run.output, ["hi"]);
        let result = judge(&console, "armhf/x", RTRACE, &[]);
        assert_eq!(result.verdict, Verdict::Passed, "{result:?}");
        assert_eq!(result.identical, Some(1.0));
    }

    /// The static file's run is judged on its own, under its own id: its absence is
    /// "not run" (never a pass), and a wrong line of its own fails it while the dynamic
    /// build's run still passes.
    #[test]
    fn the_static_files_run_is_judged_apart() {
        let missing = judge(&console(AGREEING), "armhf/x", RTRACE_STATIC, &[]);
        assert_eq!(missing.id, "armhf/x (static)");
        assert_eq!(missing.verdict, Verdict::NotRun);

        let rtrace_run = AGREEING
            .split("@@run armhf/x rtrace\n")
            .nth(1)
            .and_then(|rest| rest.split("@@done").next())
            .unwrap();
        let static_run = rtrace_run
            .replace("@@end armhf/x rtrace ", "@@end armhf/x rtrace-static ")
            .replace("write(1, \"hi\\n\", 3) = 3", "write(1, \"ho\\n\", 3) = 3");
        let text = AGREEING.replace(
            "@@done 2",
            &format!("@@run armhf/x rtrace-static\n{static_run}@@done 3"),
        );
        let console = console(&text);
        assert_eq!(
            judge(&console, "armhf/x", RTRACE, &[]).verdict,
            Verdict::Passed
        );
        let result = judge(&console, "armhf/x", RTRACE_STATIC, &[]);
        assert_eq!(result.id, "armhf/x (static)");
        match result.verdict {
            Verdict::Failed(why) => assert!(why.contains("ho"), "{why}"),
            other => panic!("a wrong line passed: {other:?}"),
        }
    }

    /// The test of the test: one wrong argument in six lines is 83% and fails, naming
    /// the line.
    #[test]
    fn values_that_vary_between_runs_are_the_suites_placeholders() {
        let text = AGREEING
            .replace(
                "|100   getpid()                                = 100",
                "|100   ppoll([{fd=4, events=POLLIN}], 1, {tv_sec=1, tv_nsec=0}, NULL, 0) = 1 \
                 ([{fd=4, revents=POLLIN}], left {tv_sec=0, tv_nsec=999381456})",
            )
            .replace(
                "|107   getpid() = 107",
                "|107   ppoll([{fd=4, events=POLLIN}], 1, {tv_sec=1, tv_nsec=0}, NULL, 0) = 1 \
                 ([{fd=4, revents=POLLIN}], left {tv_sec=0, tv_nsec=999938496})",
            );
        assert_eq!(
            judge(&console(&text), "armhf/x", RTRACE, &[]).identical,
            Some(1.0)
        );
    }

    #[test]
    fn a_second_reference_run_is_reported_not_judged() {
        let again = AGREEING
            .split("@@run armhf/x rtrace")
            .next()
            .unwrap()
            .replace(" reference", " reference-again")
            .replace("|100   getpid()", "|100   getppid()");
        let text = format!("{AGREEING}{again}");
        let result = judge(&console(&text), "armhf/x", RTRACE, &[]);
        assert_eq!(result.verdict, Verdict::Passed);
        assert!((result.reference_again.unwrap() - 5.0 / 6.0).abs() < 1e-9);
        assert_eq!(
            judge(&console(AGREEING), "armhf/x", RTRACE, &[]).reference_again,
            None
        );
    }

    #[test]
    fn a_wrong_line_fails() {
        let text = AGREEING.replace(
            "|107   write(1, \"hi\\n\", 3) = 3",
            "|107   write(2, \"hi\\n\", 3) = 3",
        );
        let result = judge(&console(&text), "armhf/x", RTRACE, &[]);
        let Verdict::Failed(why) = &result.verdict else {
            panic!("{result:?}");
        };
        assert!(why.contains("+ write(2, \"hi\\n\", 3) = 3"), "{why}");
        assert!((result.identical.unwrap() - 5.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn a_different_ending_fails() {
        let text = AGREEING.replace(
            "@@end armhf/x rtrace exit=0",
            "@@end armhf/x rtrace signal=11",
        );
        let result = judge(&console(&text), "armhf/x", RTRACE, &[]);
        assert!(
            matches!(&result.verdict, Verdict::Failed(why) if why.contains("killed by signal 11")),
            "{result:?}"
        );
    }

    #[test]
    fn a_lost_line_or_missing_run_is_not_a_pass() {
        let text = AGREEING.replace("rtrace exit=0 lines=6", "rtrace exit=0 lines=7");
        let result = judge(&console(&text), "armhf/x", RTRACE, &[]);
        assert!(
            matches!(&result.verdict, Verdict::Failed(why) if why.contains("incomplete")),
            "{result:?}"
        );
        let cut: String = AGREEING.lines().take(9).map(|l| format!("{l}\n")).collect();
        let console = console(&cut);
        assert_eq!(console.done, None);
        assert_eq!(
            judge(&console, "armhf/x", RTRACE, &[]).verdict,
            Verdict::NotRun
        );
    }

    #[test]
    fn an_empty_reference_trace_fails_with_the_output() {
        let text = AGREEING
            .lines()
            .filter(|l| !(l.starts_with("|100")))
            .map(|l| l.replace("reference exit=0 lines=6", "reference exit=1 lines=0"))
            .collect::<Vec<_>>()
            .join("\n");
        let result = judge(&console(&text), "armhf/x", RTRACE, &[]);
        assert!(
            matches!(&result.verdict, Verdict::Failed(why) if why.contains("reference exited with 1 and wrote 0 trace lines")),
            "{result:?}"
        );
    }

    #[test]
    fn scheduler_dependent_calls_are_left_out_of_both() {
        let text = AGREEING.replace(
            "|107   getpid() = 107\n",
            "|107   getpid() = 107\n|107   futex(0x1, FUTEX_WAKE_PRIVATE, 1) = 0\n",
        );
        let text = text.replace("rtrace exit=0 lines=6", "rtrace exit=0 lines=7");
        assert!(matches!(
            judge(&console(&text), "armhf/x", RTRACE, &[]).verdict,
            Verdict::Failed(_)
        ));
        assert_eq!(
            judge(&console(&text), "armhf/x", RTRACE, &["futex"]).verdict,
            Verdict::Passed
        );
    }
}
