//! Every command-line option, one test (or one table row) each. Where strace 6.1 has the
//! option, strace runs the same program with it and its output is the expectation for the
//! part the option changes; where it does not (--latency, --color, --cpu-placement,
//! --trace-fds, `-s 0`), the test asserts rtrace's documented behaviour. Bad input must
//! give one `rtrace: ` line and strace's exit status, never a panic.
//!
//! The programs are `tests/fixtures/opt_probe.c` (its modes are listed there) and a few
//! shell one-liners.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use regex::Regex;
use rtrace_tests::differential::comparable_lines;
use rtrace_tests::trace::{join_resumed, parse};
use rtrace_tests::{compare, fixture, Level, Normaliser, Outcome, Tracer};

// ---------------------------------------------------------------------------------------
// Running the probe

fn probe() -> String {
    fixture("opt_probe").display().to_string()
}

fn assert_no_panic(out: &Outcome) {
    assert!(
        !out.stderr.contains("panicked"),
        "rtrace panicked:\n{}",
        out.dump()
    );
}

/// `opt_probe MODE DIR` under `tracer` with `options`, the trace written with `-o`; the
/// private directory's path is replaced by `$DIR` in the trace, so runs compare.
fn probe_run(tracer: Tracer, options: &[&str], mode: &str) -> Outcome {
    let dir = tempfile::tempdir().expect("temporary directory");
    let dir_path = dir.path().to_str().expect("UTF-8 temp path").to_owned();
    let probe = probe();
    let mut out = tracer.trace(options, &[&probe, mode, &dir_path]);
    // As printed plainly, and as -xx prints it (every byte in hex).
    let hex_path: String = dir_path.bytes().map(|b| format!("\\x{b:02x}")).collect();
    for line in &mut out.trace {
        *line = line.replace(&dir_path, "$DIR").replace(&hex_path, "$DIR");
    }
    if tracer == Tracer::Rtrace {
        assert_no_panic(&out);
    }
    assert_eq!(
        out.exit_code(),
        Some(0),
        "{} {options:?} opt_probe {mode}: {}",
        tracer.name(),
        out.dump()
    );
    out
}

/// The probe under strace, then under rtrace.
fn probe_both(options: &[&str], mode: &str) -> (Outcome, Outcome) {
    (
        probe_run(Tracer::Strace, options, mode),
        probe_run(Tracer::Rtrace, options, mode),
    )
}

/// The `calls` mode's own part of a trace: after the loader's last call (the munmap of
/// ld.so.cache) to the end, so that only the probe's own calls count.
fn calls_part(trace: &[String]) -> Vec<String> {
    let start = trace
        .iter()
        .position(|l| without_escapes(l).contains("munmap("))
        .unwrap_or_else(|| panic!("no munmap (the loader's end) in:\n{}", trace.join("\n")));
    trace[start + 1..].to_vec()
}

/// Asserts two lists of lines are equal, showing the differing lines when not.
fn assert_same_lines(what: &str, strace: &[String], rtrace: &[String]) {
    let comparison = compare(strace, rtrace, Level::FullLine);
    assert!(
        comparison.differences.is_empty(),
        "{what}: rtrace differs from strace ({}):\n{}",
        comparison.report(40),
        rtrace.join("\n")
    );
}

/// The syscall names in a trace (resumed halves joined), sorted: the same multiset means
/// the same calls were selected, whatever the scheduler's interleaving.
fn syscall_names(trace: &[String]) -> Vec<String> {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let name = NAME.get_or_init(|| Regex::new(r"^([a-z_0-9]+)\(").expect("valid regex"));
    let mut names: Vec<String> = join_resumed(parse(trace))
        .iter()
        .filter_map(|e| name.captures(&e.text).map(|c| c[1].to_owned()))
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------
// Filters: -e trace=, -e signal=, -e status=, -z, -Z, -P, --trace-fds

/// Each `-e trace=` set the `classes` mode exercises, traced with -f by both tracers:
/// the same calls must be selected.
#[test]
fn trace_classes_select_what_strace_selects() {
    const CLASSES: &[&str] = &[
        "%file", "%desc", "%process", "%network", "%net", "%signal", "%ipc", "%memory", "%creds",
        "%clock", "%pure", "%stat", "%lstat", "%fstat", "%%stat", "%statfs", "%fstatfs",
        "%%statfs",
    ];
    let failures: Vec<String> = thread::scope(|scope| {
        let runs: Vec<_> = CLASSES
            .iter()
            .map(|class| {
                scope.spawn(move || {
                    let expr = format!("trace={class}");
                    let (strace, rtrace) = probe_both(&["-f", "-e", &expr], "classes");
                    (
                        class,
                        syscall_names(&strace.trace),
                        syscall_names(&rtrace.trace),
                    )
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("class run"))
            .filter_map(|(class, expected, actual)| {
                if expected.is_empty() {
                    Some(format!(
                        "{class}: the fixture makes no such call under strace"
                    ))
                } else if expected != actual {
                    Some(format!(
                        "{class}: strace {expected:?}\n        rtrace {actual:?}"
                    ))
                } else {
                    None
                }
            })
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Names, regexes, negation, `?`, all and none select what strace selects.
#[test]
fn trace_expressions_select_what_strace_selects() {
    const EXPRESSIONS: &[&str] = &[
        "trace=write,close",
        "trace=/^(write|close)$",
        "trace=/stat",
        "trace=!write,close,mmap",
        "trace=!%memory",
        "trace=?no_such_call,getpid",
        "trace=all",
        "trace=none",
        "write",
        "t=unlinkat",
    ];
    let mut failures = Vec::new();
    for expr in EXPRESSIONS {
        let (strace, rtrace) = probe_both(&["-e", expr], "calls");
        let (expected, actual) = (syscall_names(&strace.trace), syscall_names(&rtrace.trace));
        if expected != actual {
            failures.push(format!(
                "-e {expr}: strace {expected:?}\n  rtrace {actual:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// -z, -Z and -e status=: the same calls with the same results.
#[test]
fn status_filters_match_strace() {
    let sets: &[&[&str]] = &[
        &["-z"],
        &["-Z"],
        &["-e", "status=failed"],
        &["-e", "status=successful"],
        &["-e", "status=!failed"],
        &["-z", "-e", "trace=close,openat,getpid"],
    ];
    for options in sets {
        let (strace, rtrace) = probe_both(options, "calls");
        let normaliser = Normaliser::new();
        let expected = comparable_lines(&strace.trace, &normaliser);
        let actual = comparable_lines(&rtrace.trace, &normaliser);
        let comparison = compare(&expected, &actual, Level::NamesAndReturns);
        assert!(
            comparison.differences.is_empty(),
            "{options:?}: {}",
            comparison.report(30)
        );
        if options.contains(&"-Z") {
            assert!(
                expected.iter().any(|l| l.contains("ENOENT")),
                "strace's -Z trace has no failure: the fixture is wrong"
            );
        }
    }
}

/// -e signal=: which `--- SIG ---` lines show; `+++ killed by +++` shows regardless.
#[test]
fn signal_filter_matches_strace() {
    for set in ["none", "SIGUSR1", "!SIGUSR1", "all", "USR1,SIGCHLD"] {
        let expr = format!("signal={set}");
        let options = ["-e", "trace=kill", "-e", expr.as_str()];
        let command = ["sh", "-c", "kill -USR1 $$"];
        let strace = Tracer::Strace.trace(&options, &command);
        let rtrace = Tracer::Rtrace.trace(&options, &command);
        assert_no_panic(&rtrace);
        assert_eq!(
            rtrace.signal(),
            strace.signal(),
            "-e {expr}: {}",
            rtrace.dump()
        );
        let normaliser = Normaliser::new();
        assert_same_lines(
            &format!("-e {expr}"),
            &normaliser.lines(&strace.trace),
            &normaliser.lines(&rtrace.trace),
        );
    }
}

/// -P PATH (once and twice): only the calls on those paths and the fds opened on them.
#[test]
fn trace_path_matches_strace() {
    let sets: &[&[&str]] = &[
        &["-P", "/etc/ld.so.cache"],
        &["-P", "/etc/ld.so.cache", "-P", "/nonexistent/opt_probe"],
        &["-P", "/no/such/path/at/all"],
    ];
    for options in sets {
        let (strace, rtrace) = probe_both(options, "calls");
        let normaliser = Normaliser::new();
        assert_same_lines(
            &format!("{options:?}"),
            &normaliser.lines(&strace.trace),
            &normaliser.lines(&rtrace.trace),
        );
    }
}

/// --trace-fds=3 (not in strace 6.1): the calls shown are exactly the calls of the
/// unfiltered trace that take fd 3: as their first argument, or as mmap's fifth (what -P
/// selects for an fd opened on its path, in strace and in rtrace).
#[test]
fn trace_fds_keeps_the_calls_on_those_fds() {
    let filtered = probe_run(Tracer::Rtrace, &["--trace-fds=3"], "calls");
    let full = probe_run(Tracer::Rtrace, &[], "calls");
    let on_fd3 = |trace: &[String]| -> Vec<String> {
        Normaliser::new()
            .lines(trace)
            .into_iter()
            .filter(|l| !l.starts_with("+++") && !l.starts_with("---"))
            .collect()
    };
    let shown = on_fd3(&filtered.trace);
    let expected: Vec<String> = on_fd3(&full.trace)
        .into_iter()
        .filter(|l| {
            l.contains("(3,")
                || l.contains("(3)")
                || (l.starts_with("mmap(") && l.contains(", 3, "))
        })
        .collect();
    assert!(
        expected.iter().any(|l| l.starts_with("write(3, \"hello")),
        "the unfiltered trace has no write on fd 3:\n{}",
        full.dump()
    );
    assert_eq!(shown, expected, "{}", filtered.dump());
}

// ---------------------------------------------------------------------------------------
// Statistics: -c, -C, -S, -w, --latency

/// A `-c` table: its header, rule and total lines, and (name -> calls, errors) rows.
#[derive(Debug)]
struct Table {
    header: String,
    rules: Vec<String>,
    total: String,
    rows: Vec<(String, u64, u64)>,
}

fn summary_table(lines: &[String]) -> Table {
    let start = lines
        .iter()
        .position(|l| l.starts_with("% time"))
        .unwrap_or_else(|| panic!("no summary header in:\n{}", lines.join("\n")));
    let table = &lines[start..];
    let rules: Vec<String> = table
        .iter()
        .filter(|l| l.starts_with("------"))
        .cloned()
        .collect();
    let total = table
        .iter()
        .find(|l| l.trim_end().ends_with(" total"))
        .cloned()
        .unwrap_or_default();
    let mut rows = Vec::new();
    let mut rule_count = 0;
    for line in &table[1..] {
        if line.starts_with("------") {
            rule_count += 1;
            continue;
        }
        if rule_count != 1 {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        // % time, seconds, usecs/call, calls, [errors], [latency columns], name.
        let name = words.last().expect("row has words").to_string();
        let calls: u64 = words[3].parse().expect("calls column");
        // Errors are blank when zero: the row then has one word less before the name.
        let errors = if header_has_latency(&table[0]) {
            if words.len() == 9 {
                words[4].parse().expect("errors column")
            } else {
                0
            }
        } else if words.len() == 6 {
            words[4].parse().expect("errors column")
        } else {
            0
        };
        rows.push((name, calls, errors));
    }
    Table {
        header: table[0].clone(),
        rules,
        total,
        rows,
    }
}

fn header_has_latency(header: &str) -> bool {
    header.contains("p50")
}

/// The calls and errors of the total line (the numbers, not the times).
fn total_counts(total: &str) -> (String, String) {
    let words: Vec<&str> = total.split_whitespace().collect();
    let count = |i: usize| words.get(i).map(|w| w.to_string()).unwrap_or_default();
    (
        count(3),
        if words.len() == 6 {
            count(4)
        } else {
            "0".into()
        },
    )
}

#[test]
fn summary_table_matches_strace() {
    for options in [&["-c"][..], &["-c", "-w"][..], &["-c", "-S", "name"][..]] {
        let (strace, rtrace) = probe_both(options, "calls");
        let (expected, actual) = (summary_table(&strace.trace), summary_table(&rtrace.trace));
        assert_eq!(actual.header, expected.header, "{options:?} header");
        assert_eq!(actual.rules, expected.rules, "{options:?} rule lines");
        assert_eq!(actual.rules.len(), 2, "{options:?}: {}", rtrace.dump());
        assert_eq!(
            total_counts(&actual.total),
            total_counts(&expected.total),
            "{options:?} total line: strace {:?}, rtrace {:?}",
            expected.total,
            actual.total
        );
        assert!(
            actual.total.starts_with("100.00 "),
            "total {:?}",
            actual.total
        );
        let sorted = |rows: &[(String, u64, u64)]| {
            let mut rows = rows.to_vec();
            rows.sort();
            rows
        };
        assert_eq!(
            sorted(&actual.rows),
            sorted(&expected.rows),
            "{options:?} rows (name, calls, errors)"
        );
        if options.contains(&"name") {
            assert_eq!(actual.rows, expected.rows, "-S name: the order of rows");
        }
        // -c prints no trace lines.
        assert!(
            !rtrace.trace.iter().any(|l| l.starts_with("execve(")),
            "-c printed trace lines:\n{}",
            rtrace.dump()
        );
    }
}

/// (name, calls, errors) of a `-c` table, sorted, without futex: how often threads
/// contend for a lock differs from run to run.
fn settled_rows(trace: &[String]) -> Vec<(String, u64, u64)> {
    let mut rows: Vec<_> = summary_table(trace)
        .rows
        .into_iter()
        .filter(|(name, ..)| name != "futex")
        .collect();
    rows.sort();
    rows
}

/// -c's counts are strace's across threads, forks, an exec from a non-leader thread,
/// and an attach to a process in the middle of a call.
#[test]
fn summary_counts_match_strace_across_threads_forks_and_execs() {
    let fixture_arg = |name: &str| fixture(name).display().to_string();
    let commands = [
        vec![fixture_arg("threads")],
        vec![fixture_arg("fork_wait")],
        vec![
            fixture_arg("exec_child"),
            fixture_arg("exit_code"),
            "5".into(),
        ],
        vec![
            fixture_arg("rel_thread_exec"),
            fixture_arg("exit_code"),
            "7".into(),
        ],
    ];
    for command in &commands {
        let command: Vec<&str> = command.iter().map(String::as_str).collect();
        let strace = Tracer::Strace.trace(&["-c", "-f"], &command);
        let rtrace = Tracer::Rtrace.trace(&["-c", "-f"], &command);
        assert_no_panic(&rtrace);
        assert_eq!(rtrace.exit_code(), strace.exit_code(), "{}", rtrace.dump());
        assert_eq!(
            settled_rows(&rtrace.trace),
            settled_rows(&strace.trace),
            "-c -f {command:?}"
        );
    }

    // Attached while blocked in clock_nanosleep: the first stop is that call's exit.
    let attached = |tracer: Tracer| {
        let mut sleeper = Command::new("sleep").arg("0.6").spawn().expect("sleep");
        thread::sleep(Duration::from_millis(200));
        let pid = sleeper.id().to_string();
        let out = tracer.trace(&["-c", "-p", &pid], &[]);
        sleeper.wait().expect("sleep ends");
        out
    };
    let (strace, rtrace) = (attached(Tracer::Strace), attached(Tracer::Rtrace));
    assert_no_panic(&rtrace);
    let rows = settled_rows(&rtrace.trace);
    assert!(
        rows.iter().any(|(name, ..)| name == "restart_syscall"),
        "{}",
        rtrace.dump()
    );
    assert_eq!(rows, settled_rows(&strace.trace), "-c -p on sleep");
}

/// -P (and --trace-fds) choose what -c counts as well as what is shown: the arguments
/// are decoded for the choice even when no line is printed.
#[test]
fn summary_counts_only_the_calls_a_path_selects() {
    for summary in ["-c", "-C"] {
        let options = [summary, "-P", "/etc/hostname"];
        let command = ["cat", "/etc/hostname"];
        let strace = Tracer::Strace.trace(&options, &command);
        let rtrace = Tracer::Rtrace.trace(&options, &command);
        assert_no_panic(&rtrace);
        let rows = settled_rows(&rtrace.trace);
        assert!(
            rows.iter().any(|(name, ..)| name == "openat") && rows.len() < 10,
            "{summary} -P: {rows:?}"
        );
        assert_eq!(
            rows,
            settled_rows(&strace.trace),
            "{summary} -P /etc/hostname"
        );
    }
}

/// -C: the trace, then the table; -S calls orders rows by decreasing calls.
#[test]
fn summary_with_trace_matches_strace() {
    let options = ["-C", "-S", "calls", "-e", "trace=write,close,getpid"];
    let (strace, rtrace) = probe_both(&options, "calls");
    let (expected, actual) = (summary_table(&strace.trace), summary_table(&rtrace.trace));
    assert_eq!(actual.header, expected.header);
    let counts = |t: &Table| t.rows.iter().map(|r| r.1).collect::<Vec<_>>();
    assert_eq!(
        counts(&actual),
        counts(&expected),
        "-S calls: the call counts in order"
    );
    let sorted_rows = |t: &Table| t.rows.iter().cloned().collect::<BTreeSet<_>>();
    assert_eq!(sorted_rows(&actual), sorted_rows(&expected));
    let trace_part = |trace: &[String]| -> Vec<String> {
        let end = trace
            .iter()
            .position(|l| l.starts_with("% time"))
            .unwrap_or(0);
        Normaliser::new().lines(&trace[..end])
    };
    assert_same_lines(
        "-C trace part",
        &trace_part(&strace.trace),
        &trace_part(&rtrace.trace),
    );
}

/// --latency (not in strace): p50, p99 and max columns, each row p50 <= p99 <= max, the
/// same rows as -c, and no trace lines.
#[test]
fn latency_columns_are_ordered_percentiles() {
    let out = probe_run(Tracer::Rtrace, &["--latency"], "calls");
    let plain = probe_run(Tracer::Rtrace, &["-c"], "calls");
    let table = summary_table(&out.trace);
    for column in ["p50", "p99", "max"] {
        assert!(table.header.contains(column), "header {:?}", table.header);
    }
    assert!(
        !out.trace.iter().any(|l| l.starts_with("execve(")),
        "--latency alone printed trace lines:\n{}",
        out.dump()
    );
    let mut rows_seen = 0;
    let mut in_rows = false;
    for line in &out.trace {
        if line.starts_with("------") {
            in_rows = !in_rows;
            continue;
        }
        if !in_rows {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let n = words.len();
        let number = |w: &str| -> f64 {
            w.parse()
                .unwrap_or_else(|_| panic!("not a number {w:?} in {line:?}"))
        };
        let (p50, p99, max) = (
            number(words[n - 4]),
            number(words[n - 3]),
            number(words[n - 2]),
        );
        assert!(
            p50 <= p99 && p99 <= max,
            "percentiles out of order in {line:?}"
        );
        rows_seen += 1;
    }
    assert!(rows_seen > 5, "{}", out.dump());
    let names = |t: &Table| {
        t.rows
            .iter()
            .map(|r| (r.0.clone(), r.1))
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(names(&table), names(&summary_table(&plain.trace)));
}

// ---------------------------------------------------------------------------------------
// Line prefixes and suffixes: -t, -tt, -ttt, -r, -n, -i, -T

/// Splits each line of the calls part into (prefix, rest) with `pattern`; the rests must
/// equal strace's, every line must have the prefix, and `check` sees the prefixes in order.
fn prefix_test(option: &str, pattern: &str, check: fn(&[String]) -> Result<(), String>) {
    let prefix = Regex::new(pattern).expect("valid regex");
    let (strace, rtrace) = probe_both(&[option], "calls");
    let split = |out: &Outcome| -> (Vec<String>, Vec<String>) {
        calls_part(&out.trace)
            .iter()
            .map(|line| {
                let m = prefix
                    .find(line)
                    .unwrap_or_else(|| panic!("{option}: no prefix {pattern} on {line:?}"));
                assert_eq!(m.start(), 0, "{option}: prefix not at the start: {line:?}");
                (m.as_str().to_owned(), line[m.end()..].to_owned())
            })
            .unzip()
    };
    let (strace_prefixes, strace_rest) = split(&strace);
    let (rtrace_prefixes, rtrace_rest) = split(&rtrace);
    check(&strace_prefixes).unwrap_or_else(|e| panic!("{option}: strace itself: {e}"));
    check(&rtrace_prefixes).unwrap_or_else(|e| panic!("{option}: rtrace: {e}"));
    let normaliser = Normaliser::new();
    assert_same_lines(
        option,
        &normaliser.lines(&strace_rest),
        &normaliser.lines(&rtrace_rest),
    );
}

fn seconds_of(prefix: &str) -> f64 {
    let text = prefix.trim();
    if let [h, m, s] = text.split(':').collect::<Vec<_>>()[..] {
        let h: f64 = h.parse().expect("hours");
        let m: f64 = m.parse().expect("minutes");
        let s: f64 = s.parse().expect("seconds");
        return h * 3600.0 + m * 60.0 + s;
    }
    text.parse().expect("seconds")
}

/// Times never go backwards (a line at midnight would: not a concern in a test run).
fn nondecreasing(prefixes: &[String]) -> Result<(), String> {
    let times: Vec<f64> = prefixes.iter().map(|p| seconds_of(p)).collect();
    match times.windows(2).find(|w| w[1] < w[0]) {
        Some(w) => Err(format!("time goes back from {} to {}", w[0], w[1])),
        None => Ok(()),
    }
}

#[test]
fn timestamp_seconds() {
    prefix_test("-t", r"^\d\d:\d\d:\d\d ", nondecreasing);
}

#[test]
fn timestamp_microseconds() {
    prefix_test("-tt", r"^\d\d:\d\d:\d\d\.\d{6} ", nondecreasing);
}

#[test]
fn timestamp_epoch() {
    prefix_test("-ttt", r"^\d{10}\.\d{6} ", |prefixes| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs_f64();
        nondecreasing(prefixes)?;
        match prefixes
            .iter()
            .find(|p| (seconds_of(p) - now).abs() > 120.0)
        {
            Some(p) => Err(format!("{p:?} is not now ({now})")),
            None => Ok(()),
        }
    });
}

#[test]
fn relative_timestamps() {
    // Six digits after the point, right-aligned in 13 columns, then a space.
    prefix_test("-r", r"^ *\d+\.\d{6} ", |prefixes| {
        for p in prefixes {
            if p.len() != 14 {
                return Err(format!("{p:?} is not 13 columns and a space"));
            }
            if seconds_of(p) > 10.0 {
                return Err(format!("{p:?}: ten seconds between two calls"));
            }
        }
        Ok(())
    });
}

#[test]
fn syscall_numbers() {
    prefix_test("-n", r"^\[ *\d+\] ", |prefixes| {
        // strace's width: the number right-aligned in four columns.
        match prefixes
            .iter()
            .find(|p| p.len() != 7 && !p.starts_with("+++"))
        {
            Some(p) => Err(format!("{p:?} is not `[NNNN] `")),
            None => Ok(()),
        }
    });
    // The numbers themselves are the rest of the comparison: -n's prefix must agree.
    let (strace, rtrace) = probe_both(&["-n", "-e", "trace=write,close,getpid"], "calls");
    assert_same_lines(
        "-n prefixes",
        &light_normalise(&strace.trace),
        &light_normalise(&rtrace.trace),
    );
}

#[test]
fn instruction_pointer() {
    // `+++ exited +++` has no address: strace prints question marks.
    prefix_test("-i", r"^\[(?:[0-9a-f]{16}|\?{16})\] ", |prefixes| {
        // All the probe's raw calls go through libc's syscall(): one address for all.
        let distinct: BTreeSet<&String> = prefixes[..prefixes.len() - 2].iter().collect();
        if distinct.len() == 1 {
            Ok(())
        } else {
            Err(format!(
                "the syscall() calls have several addresses: {distinct:?}"
            ))
        }
    });
}

#[test]
fn syscall_times_suffix() {
    let suffix = Regex::new(r" <\d+\.\d{6}>$").expect("valid regex");
    let (strace, rtrace) = probe_both(&["-T"], "calls");
    let strip = |trace: &[String]| -> Vec<String> {
        calls_part(trace)
            .iter()
            .map(|l| match suffix.find(l) {
                Some(m) => format!("{} <T>", &l[..m.start()]),
                None => l.clone(),
            })
            .collect()
    };
    let expected = strip(&strace.trace);
    assert!(
        expected.iter().filter(|l| l.ends_with(" <T>")).count() >= 8,
        "strace's -T lines lack the suffix: {expected:?}"
    );
    let normaliser = Normaliser::new();
    assert_same_lines(
        "-T",
        &normaliser.lines(&expected),
        &normaliser.lines(&strip(&rtrace.trace)),
    );
}

// ---------------------------------------------------------------------------------------
// Argument formats: -s, -x, -xx, -X, -y, -yy, -a, -v, -e raw/abbrev/verbose

/// Options whose effect shows in the arguments of the probe's own calls: the calls part,
/// normalised, must equal strace's.
fn same_calls_part(options: &[&str]) {
    let (strace, rtrace) = probe_both(options, "calls");
    assert_same_lines(
        &format!("{options:?}"),
        &light_normalise(&calls_part(&strace.trace)),
        &light_normalise(&calls_part(&rtrace.trace)),
    );
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic without a message".into())
}

/// What differs between two runs of the calls part: getpid's result, also behind -n's
/// `[  39] ` prefix (which the shared normaliser's pid rule does not expect), then the
/// shared normaliser's rules (addresses in the ASLR ranges, padding before ` = `,
/// getrandom's bytes).
fn light_normalise(lines: &[String]) -> Vec<String> {
    static GETPID: OnceLock<Regex> = OnceLock::new();
    let getpid = GETPID
        .get_or_init(|| Regex::new(r"^((?:\[ *\d+\] )?getpid\(\) += )\w+").expect("valid regex"));
    let pids_named: Vec<String> = lines
        .iter()
        .map(|line| getpid.replace(line, "${1}PID").into_owned())
        .collect();
    Normaliser::new().lines(&pids_named)
}

#[test]
fn string_limit() {
    same_calls_part(&["-s", "5"]);
    same_calls_part(&["-s", "100"]);
}

/// `-s 0` is rtrace's "no limit" (strace prints `""...`): every string in full.
#[test]
fn string_limit_zero_means_no_limit() {
    let out = probe_run(Tracer::Rtrace, &["-s", "0", "-e", "trace=write"], "calls");
    let long = r#""0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ", 56"#;
    assert!(
        out.trace.iter().any(|l| l.contains(long)),
        "the 56-byte write is not shown in full:\n{}",
        out.dump()
    );
    assert!(
        !out.trace.iter().any(|l| l.contains("\"...")),
        "a string is cut:\n{}",
        out.dump()
    );
}

#[test]
fn hex_strings() {
    same_calls_part(&["-x"]);
    same_calls_part(&["-xx"]);
}

#[test]
fn const_print_styles() {
    // Every style is tried before a failure is reported.
    let failures: Vec<String> = ["raw", "abbrev", "verbose"]
        .into_iter()
        .filter_map(|style| {
            std::panic::catch_unwind(|| same_calls_part(&["-X", style]))
                .err()
                .map(|e| panic_text(&*e))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn fd_paths() {
    same_calls_part(&["-y"]);
}

/// -yy on a unix socket: `3<UNIX:[INODE]>`, the inode being the run's own.
#[test]
fn socket_endpoints() {
    let (strace, rtrace) = probe_both(&["-yy", "-e", "trace=socket,close"], "classes");
    let inode = Regex::new(r"\[\d+\]").expect("valid regex");
    let lines = |out: &Outcome| -> Vec<String> {
        Normaliser::new()
            .lines(&out.trace)
            .iter()
            .filter(|l| l.starts_with("socket(") || l.starts_with("close("))
            .map(|l| inode.replace_all(l, "[INODE]").into_owned())
            .collect()
    };
    let expected = lines(&strace);
    assert!(
        expected.iter().any(|l| l.contains("<UNIX:[INODE]>")),
        "strace shows no socket endpoint: {expected:?}"
    );
    assert_same_lines("-yy", &expected, &lines(&rtrace));
}

/// -a N: `= ` at column N (index N-1 for the space before it) unless the call is longer,
/// checked on both tracers' raw lines, since normalising removes the padding.
#[test]
fn alignment_column() {
    for column in [20usize, 60] {
        let option = column.to_string();
        let (strace, rtrace) = probe_both(&["-a", &option], "calls");
        for out in [&strace, &rtrace] {
            // Lines with the temporary directory were padded for its real path.
            let lines = calls_part(&out.trace);
            for line in lines
                .iter()
                .filter(|l| l.contains(") ") && !l.contains("$DIR"))
            {
                let call_end = line.rfind(") ").expect("filtered") + 1;
                let at = call_end.max(column - 1);
                assert_eq!(
                    line.get(at..at + 3),
                    Some(" = "),
                    "-a {column}: ` = ` not at index {at} in {line:?}"
                );
            }
        }
        same_calls_part(&["-a", &option]);
    }
}

#[test]
fn verbose_structures() {
    for options in [
        &["-v", "-e", "trace=execve,prlimit64"][..],
        &["-e", "abbrev=none", "-e", "trace=execve,prlimit64"][..],
        &[
            "-e",
            "verbose=none",
            "-e",
            "trace=execve,newfstatat,prlimit64",
        ][..],
    ] {
        let (strace, rtrace) = probe_both(options, "calls");
        let normaliser = Normaliser::new();
        assert_same_lines(
            &format!("{options:?}"),
            &normaliser.lines(&strace.trace),
            &normaliser.lines(&rtrace.trace),
        );
    }
}

#[test]
fn raw_arguments() {
    same_calls_part(&["-e", "raw=openat,close,write"]);
}

// ---------------------------------------------------------------------------------------
// Output files and messages: -ff, -A, -q, -qq

/// The files `PREFIX.PID` in `dir`, their pids in increasing order, and their lines.
fn per_process_files(dir: &Path, prefix: &str) -> Vec<(u32, Vec<String>)> {
    let mut files: Vec<(u32, Vec<String>)> = fs::read_dir(dir)
        .expect("read the -ff directory")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let pid: u32 = name.strip_prefix(prefix)?.strip_prefix('.')?.parse().ok()?;
            let text = fs::read_to_string(dir.join(&name)).ok()?;
            Some((pid, text.lines().map(str::to_owned).collect()))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn one_file_per_process() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let command = ["sh", "-c", "/bin/true; exit 0"];
    let mut traces = Vec::new();
    for tracer in [Tracer::Strace, Tracer::Rtrace] {
        let prefix = dir.path().join(tracer.name());
        let prefix = prefix.to_str().expect("UTF-8 temp path");
        let mut args = vec!["-ff", "-o", prefix, "-e", "trace=execve,exit_group,wait4"];
        args.extend(command);
        let out = tracer.run(&args);
        assert_no_panic(&out);
        assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
        assert!(
            out.stderr_lines().is_empty(),
            "{} wrote to stderr: {}",
            tracer.name(),
            out.stderr
        );
        traces.push(per_process_files(dir.path(), tracer.name()));
    }
    let (strace, rtrace) = (&traces[0], &traces[1]);
    assert_eq!(strace.len(), 2, "strace's files: {strace:?}");
    assert_eq!(rtrace.len(), strace.len(), "rtrace's files: {rtrace:?}");
    let normaliser = Normaliser::new();
    for ((_, expected), (pid, actual)) in strace.iter().zip(rtrace) {
        let (expected, expected_signals) = signals_apart(normaliser.lines(expected));
        let (actual, actual_signals) = signals_apart(normaliser.lines(actual));
        assert_same_lines(&format!("-ff file for pid {pid}"), &expected, &actual);
        assert_eq!(
            expected_signals, actual_signals,
            "-ff file for pid {pid}: the signals"
        );
    }
}

/// The lines without the signal lines, and the signal lines sorted: where sh's SIGCHLD
/// falls relative to its wait4 depends on whether /bin/true exited before sh entered
/// wait4, which differs between two runs of the same program under any tracer.
fn signals_apart(lines: Vec<String>) -> (Vec<String>, Vec<String>) {
    let (mut signals, rest): (Vec<String>, Vec<String>) =
        lines.into_iter().partition(|l| l.starts_with("--- SIG"));
    signals.sort();
    (rest, signals)
}

#[test]
fn append_mode() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut counts = Vec::new();
    for tracer in [Tracer::Strace, Tracer::Rtrace] {
        let file = dir.path().join(format!("{}.txt", tracer.name()));
        let file = file.to_str().expect("UTF-8 temp path");
        fs::write(file, "first line\n").expect("write the -o file");
        for _ in 0..2 {
            let out = tracer.run(&["-A", "-o", file, "-e", "trace=exit_group", "/bin/true"]);
            assert_no_panic(&out);
            assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
        }
        let appended = fs::read_to_string(file).expect("read the -o file");
        // And without -A the file starts again.
        let out = tracer.run(&["-o", file, "-e", "trace=exit_group", "/bin/true"]);
        assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
        let truncated = fs::read_to_string(file).expect("read the -o file");
        counts.push((appended, truncated));
    }
    let normalise = |text: &str| Normaliser::new().lines(&text.lines().collect::<Vec<_>>());
    assert!(
        counts[0].0.starts_with("first line\n"),
        "strace: {:?}",
        counts[0].0
    );
    assert_eq!(normalise(&counts[1].0), normalise(&counts[0].0), "-A twice");
    assert_eq!(
        normalise(&counts[1].1),
        normalise(&counts[0].1),
        "without -A"
    );
}

/// -q hides attach/detach messages, -qq also the exit lines; compared with strace on a
/// command that exits with 3 and one that is killed by a signal.
#[test]
fn quiet_levels() {
    let commands: [&[&str]; 2] = [&["sh", "-c", "exit 3"], &["sh", "-c", "kill -USR1 $$"]];
    for quiet in [&[][..], &["-q"][..], &["-qq"][..]] {
        for command in commands {
            let mut args = quiet.to_vec();
            args.extend(["-e", "trace=none"]);
            args.extend(command);
            let strace = Tracer::Strace.run(&args);
            let rtrace = Tracer::Rtrace.run(&args);
            assert_no_panic(&rtrace);
            assert_eq!(rtrace.describe(), strace.describe(), "{args:?}");
            let normaliser = Normaliser::new();
            assert_same_lines(
                &format!("{args:?}"),
                &normaliser.lines(&strace.trace),
                &normaliser.lines(&rtrace.trace),
            );
        }
    }
    // The detach message of -b execve, which -q hides.
    let pid = Regex::new(r"\d+").expect("valid regex");
    for quiet in [&[][..], &["-q"][..]] {
        let probe = probe();
        let mut args = quiet.to_vec();
        args.extend([
            "-o",
            "/dev/null",
            "-b",
            "execve",
            probe.as_str(),
            "exec",
            "/bin/true",
        ]);
        let strace = Tracer::Strace.run(&args);
        let rtrace = Tracer::Rtrace.run(&args);
        assert_no_panic(&rtrace);
        let shape = |out: &Outcome| -> Vec<String> {
            out.stderr_lines()
                .iter()
                .map(|l| pid.replace_all(&l[6..], "PID").into_owned())
                .collect()
        };
        assert_eq!(
            shape(&rtrace),
            shape(&strace),
            "{args:?} stderr: {}",
            rtrace.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------
// The command's start: -E, -u, -b execve

#[test]
fn environment_changes_reach_the_command() {
    let probe = probe();
    let args = [
        "-o",
        "/dev/null",
        "-E",
        "OPT_SET=from-rtrace",
        "-E",
        "OPT_KEPT=x=y",
        "-E",
        "HOME",
        probe.as_str(),
        "env",
        "OPT_SET",
        "OPT_KEPT",
        "HOME",
    ];
    let expected = "OPT_SET=from-rtrace\nOPT_KEPT=x=y\nHOME unset\n";
    for tracer in [Tracer::Strace, Tracer::Rtrace] {
        let out = tracer.run(&args);
        assert_no_panic(&out);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            expected,
            "{}: {}",
            tracer.name(),
            out.dump()
        );
    }
}

#[test]
fn user_switch_runs_the_command_as_nobody() {
    assert_eq!(
        unsafe { libc::geteuid() },
        0,
        "-u needs root: run this test as root"
    );
    let probe = probe();
    let args = ["-o", "/dev/null", "-u", "nobody", probe.as_str(), "ids"];
    let strace = Tracer::Strace.run(&args);
    let rtrace = Tracer::Rtrace.run(&args);
    assert_no_panic(&rtrace);
    let strace_ids = String::from_utf8_lossy(&strace.stdout).into_owned();
    assert!(
        strace_ids.starts_with("uid=65534 euid=65534"),
        "strace: {strace_ids:?}"
    );
    assert_eq!(
        String::from_utf8_lossy(&rtrace.stdout),
        strace_ids,
        "{}",
        rtrace.dump()
    );
}

/// -b execve: the tracer lets go at the execve; the new program runs untraced and does its
/// work. The trace ends as strace's does, with the unfinished execve.
#[test]
fn detach_on_execve() {
    let probe = probe();
    let mut last_lines = Vec::new();
    for tracer in [Tracer::Strace, Tracer::Rtrace] {
        let dir = tempfile::tempdir().expect("temporary directory");
        let created = dir.path().join("created");
        let created_str = created.to_str().expect("UTF-8 temp path");
        let out = tracer.trace(
            &["-f", "-b", "execve"],
            &[&probe, "exec", &probe, "create", created_str],
        );
        assert_no_panic(&out);
        assert_eq!(
            out.exit_code(),
            Some(0),
            "{}: {}",
            tracer.name(),
            out.dump()
        );
        assert!(
            created.exists(),
            "{}: the exec'd program did not run",
            tracer.name()
        );
        assert!(
            !out.trace.iter().any(|l| l.contains("created\", O_WRONLY")),
            "{}: the exec'd program was traced:\n{}",
            tracer.name(),
            out.dump()
        );
        let last = parse(&out.trace).pop().map(|e| e.text).unwrap_or_default();
        last_lines.push(Normaliser::new().line(&last.replace(created_str, "$FILE")));
    }
    assert_eq!(
        last_lines[1], last_lines[0],
        "the last trace line: rtrace (left), strace (right)"
    );
}

/// -b execve with the trace on stderr: the unfinished execve is shown, and the
/// `Process N detached` message. strace writes its message into the open line (it ends
/// `/* N vars */strace: Process N detached` and ` <detached ...>` follows on the next
/// line); the message taken out, both must show the same lines.
#[test]
fn detach_on_execve_to_stderr() {
    let probe = probe();
    let args = [
        "-e",
        "trace=execve",
        "-b",
        "execve",
        probe.as_str(),
        "exec",
        "/bin/true",
    ];
    let strace = Tracer::Strace.run(&args);
    let rtrace = Tracer::Rtrace.run(&args);
    assert_no_panic(&rtrace);
    let message = Regex::new(r"[rs]trace: Process \d+ detached").expect("valid regex");
    let shape = |out: &Outcome| -> (Vec<String>, usize) {
        let messages = message.find_iter(&out.stderr).count();
        let text = message
            .replace_all(&out.stderr, "")
            .replace("\n <detached", " <detached");
        let lines: Vec<String> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect();
        (Normaliser::new().lines(&lines), messages)
    };
    let (expected, strace_messages) = shape(&strace);
    let (actual, rtrace_messages) = shape(&rtrace);
    assert_eq!(strace_messages, 1, "strace: {}", strace.stderr);
    assert_eq!(rtrace_messages, 1, "rtrace: {}", rtrace.stderr);
    assert!(
        expected
            .last()
            .is_some_and(|l| l.ends_with("<detached ...>")),
        "strace: {expected:?}"
    );
    assert_same_lines("-b execve on stderr", &expected, &actual);
}

// ---------------------------------------------------------------------------------------
// --kill-on-exit

/// Whether `pid` still runs (a zombie has finished).
fn running(pid: i32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/status")) {
        Ok(status) => !status
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z')),
        Err(_) => false,
    }
}

/// Starts rtrace on `opt_probe hold`, kills rtrace with SIGKILL once the probe runs, and
/// says whether the probe survived (killing it afterwards either way).
fn tracee_survives_sigkilled_rtrace(options: &[&str]) -> bool {
    let dir = tempfile::tempdir().expect("temporary directory");
    let pid_file = dir.path().join("pid");
    let mut rtrace = Command::new(rtrace_tests::rtrace_binary())
        .args(options)
        .args(["-o", "/dev/null"])
        .arg(fixture("opt_probe"))
        .arg("hold")
        .arg(&pid_file)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rtrace");
    let deadline = Instant::now() + Duration::from_secs(20);
    let pid: i32 = loop {
        if let Some(pid) = fs::read_to_string(&pid_file)
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            break pid;
        }
        if Instant::now() > deadline {
            let _ = rtrace.kill();
            let _ = rtrace.wait();
            panic!("the probe never wrote its pid");
        }
        thread::sleep(Duration::from_millis(10));
    };
    rtrace.kill().expect("SIGKILL rtrace");
    rtrace.wait().expect("reap rtrace");
    // The kernel kills an EXITKILL tracee as the tracer goes; give it a moment.
    let mut alive = running(pid);
    for _ in 0..100 {
        if !alive {
            break;
        }
        thread::sleep(Duration::from_millis(10));
        alive = running(pid);
    }
    // SAFETY: signalling a pid we started; it is ours until it is reaped by init.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    alive
}

#[test]
fn kill_on_exit() {
    assert!(
        !tracee_survives_sigkilled_rtrace(&["--kill-on-exit"]),
        "with --kill-on-exit the tracee outlived rtrace"
    );
    assert!(
        tracee_survives_sigkilled_rtrace(&[]),
        "without --kill-on-exit the tracee died with rtrace"
    );
}

// ---------------------------------------------------------------------------------------
// --color (not in strace)

const ESCAPE: char = '\u{1b}';

fn without_escapes(line: &str) -> String {
    static SGR: OnceLock<Regex> = OnceLock::new();
    SGR.get_or_init(|| Regex::new("\u{1b}\\[[0-9;]*m").expect("valid regex"))
        .replace_all(line, "")
        .into_owned()
}

#[test]
fn color_always_marks_names_and_errors_and_keeps_the_column() {
    let out = probe_run(Tracer::Rtrace, &["--color=always"], "calls");
    let plain = probe_run(Tracer::Rtrace, &["--color=never"], "calls");
    let calls = calls_part(&out.trace);
    let failing = calls
        .iter()
        .find(|l| without_escapes(l).starts_with("close(999)"))
        .unwrap_or_else(|| panic!("no close(999):\n{}", out.dump()));
    assert!(
        failing.starts_with(&format!("{ESCAPE}[")),
        "the name is not coloured: {failing:?}"
    );
    let error_at = failing.find("-1 EBADF").expect("the error");
    assert!(
        failing[..error_at].ends_with('m') && failing[error_at..].contains(ESCAPE),
        "the error is not coloured: {failing:?}"
    );
    // Lines with the temporary directory were padded for its real path.
    for line in calls
        .iter()
        .filter(|l| l.contains(") ") && !l.contains("$DIR"))
    {
        let visible = without_escapes(line);
        let call_end = visible.rfind(") ").expect("filtered") + 1;
        let at = call_end.max(39);
        assert_eq!(
            visible.get(at..at + 3),
            Some(" = "),
            "column in {visible:?}"
        );
    }
    let visible: Vec<String> = calls.iter().map(|l| without_escapes(l)).collect();
    let normaliser = Normaliser::new();
    assert_same_lines(
        "--color=always without its escapes",
        &normaliser.lines(&calls_part(&plain.trace)),
        &normaliser.lines(&visible),
    );
}

#[test]
fn color_never_and_auto_off_a_terminal_have_no_escapes() {
    // -o FILE and a pipe for stderr: neither is a terminal.
    for options in [&["--color=never"][..], &["--color=auto"][..], &[][..]] {
        let out = probe_run(Tracer::Rtrace, options, "calls");
        assert!(
            !out.trace.iter().any(|l| l.contains(ESCAPE)),
            "{options:?}: escapes in the file:\n{}",
            out.dump()
        );
    }
    let out = Tracer::Rtrace.run(&["--color=auto", "/bin/true"]);
    assert!(
        !out.stderr.contains(ESCAPE),
        "escapes on a pipe: {}",
        out.stderr
    );
    assert!(out.stderr.contains("execve("), "{}", out.dump());
}

// ---------------------------------------------------------------------------------------
// --seccomp-bpf and --cpu-placement

#[test]
fn seccomp_bpf_shows_what_strace_shows() {
    let options = [
        "--seccomp-bpf",
        "-f",
        "-e",
        "trace=write,close,getpid,wait4",
    ];
    let (strace, rtrace) = probe_both(&options, "classes");
    assert_eq!(syscall_names(&rtrace.trace), syscall_names(&strace.trace));
    assert!(!strace.trace.is_empty());
    // Without -f it is refused with strace's warning, and the trace still runs.
    let strace = Tracer::Strace.run(&["--seccomp-bpf", "-e", "trace=exit_group", "/bin/true"]);
    let rtrace = Tracer::Rtrace.run(&["--seccomp-bpf", "-e", "trace=exit_group", "/bin/true"]);
    assert_no_panic(&rtrace);
    let normaliser = Normaliser::new();
    assert_same_lines(
        "--seccomp-bpf without -f",
        &normaliser
            .lines(&strace.trace)
            .iter()
            .map(|l| l.replacen("strace: ", "rtrace: ", 1))
            .collect::<Vec<_>>(),
        &normaliser.lines(&rtrace.trace),
    );
}

#[test]
fn cpu_placement_does_not_change_the_trace() {
    let strace = probe_run(Tracer::Strace, &[], "calls");
    let normaliser = Normaliser::new();
    let expected = normaliser.lines(&calls_part(&strace.trace));
    for how in ["adaptive", "same-cpu", "spin", "none"] {
        let option = format!("--cpu-placement={how}");
        let out = probe_run(Tracer::Rtrace, &[&option], "calls");
        assert_same_lines(
            &option,
            &expected,
            &normaliser.lines(&calls_part(&out.trace)),
        );
    }
}

/// The CPUs a command run under rtrace with `options` may use, as it reads them.
fn command_cpus(options: &[&str]) -> String {
    let mut args = options.to_vec();
    args.extend([
        "-o",
        "/dev/null",
        "grep",
        "Cpus_allowed_list",
        "/proc/self/status",
    ]);
    let out = Tracer::Rtrace.run(&args);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn default_placement_shares_a_cpu_only_when_every_syscall_stops() {
    let own = fs::read_to_string("/proc/self/status").expect("own status");
    let own = own
        .lines()
        .find(|l| l.starts_with("Cpus_allowed_list"))
        .expect("Cpus_allowed_list in /proc/self/status")
        .to_owned();
    assert!(
        own.contains(['-', ',']),
        "this test needs at least two CPUs to tell placements apart; the test runs on {own}"
    );
    let pinned = command_cpus(&[]);
    assert!(
        !pinned.contains(['-', ',']),
        "by default a traced command shares rtrace's one CPU: {pinned}"
    );
    assert_eq!(command_cpus(&["--cpu-placement=none"]), own);
    assert_eq!(
        command_cpus(&["-f", "--seccomp-bpf", "-e", "trace=openat"]),
        own,
        "under --seccomp-bpf the command keeps its CPUs"
    );
    let asked = command_cpus(&[
        "-f",
        "--seccomp-bpf",
        "-e",
        "trace=openat",
        "--cpu-placement=same-cpu",
    ]);
    assert!(
        !asked.contains(['-', ',']),
        "--cpu-placement=same-cpu still applies under --seccomp-bpf: {asked}"
    );
}

// ---------------------------------------------------------------------------------------
// Plugins: --plugin, --no-default-plugins, --list-plugins

#[test]
fn list_plugins_names_each_with_its_syscalls() {
    let out = Tracer::Rtrace.run(&["--list-plugins"]);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut plugins: BTreeMap<String, String> = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(head) = lines.next() {
        let syscalls = lines.next().unwrap_or_default();
        assert!(
            syscalls.starts_with("  syscalls: "),
            "plugin {head:?} without its syscalls line: {syscalls:?}"
        );
        let name = head
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(head.ends_with(".so"), "no path in {head:?}");
        plugins.insert(name, syscalls.to_owned());
    }
    for (name, call) in [
        ("fs", " openat "),
        ("process", " execve "),
        ("mem", " mmap "),
    ] {
        let syscalls = plugins
            .get(name)
            .unwrap_or_else(|| panic!("plugin {name} not listed:\n{text}"));
        assert!(
            syscalls.contains(call),
            "{name} does not claim{call}: {syscalls}"
        );
    }
    let none = Tracer::Rtrace.run(&["--no-default-plugins", "--list-plugins"]);
    assert_eq!(String::from_utf8_lossy(&none.stdout), "no plugins loaded\n");
}

/// --no-default-plugins: the arguments print raw, as strace's -e raw=all does; --plugin fs
/// brings the fs decoders back.
#[test]
fn plugins_can_be_left_out_and_loaded_by_name() {
    let trace = ["-e", "trace=openat,close,write"];
    let raw_strace = probe_run(
        Tracer::Strace,
        &[&trace[..], &["-e", "raw=all"]].concat(),
        "calls",
    );
    let bare = probe_run(
        Tracer::Rtrace,
        &[&trace[..], &["--no-default-plugins"]].concat(),
        "calls",
    );
    let normaliser = Normaliser::new();
    let lines = |out: &Outcome| normaliser.lines(&out.trace);
    assert_same_lines("--no-default-plugins", &lines(&raw_strace), &lines(&bare));

    let decoded_strace = probe_run(Tracer::Strace, &trace, "calls");
    let fs_only = probe_run(
        Tracer::Rtrace,
        &[&trace[..], &["--no-default-plugins", "--plugin", "fs"]].concat(),
        "calls",
    );
    assert_same_lines("--plugin fs", &lines(&decoded_strace), &lines(&fs_only));
    let by_path = rtrace_tests::rtrace_binary()
        .parent()
        .expect("target dir")
        .join("librtrace_fs.so");
    let by_path = by_path.to_str().expect("UTF-8 path");
    let fs_by_path = probe_run(
        Tracer::Rtrace,
        &[&trace[..], &["--no-default-plugins", "--plugin", by_path]].concat(),
        "calls",
    );
    assert_same_lines(
        "--plugin PATH",
        &lines(&decoded_strace),
        &lines(&fs_by_path),
    );
}

/// The plugin libraries rtrace touches with `options` while it traces /bin/true, seen by
/// strace tracing rtrace itself (not its command, which rtrace traces): with `openat`,
/// each file it opens (to read its claims section, or to load it); with `mmap`, each
/// library it maps, that is loads (`-y` names the mapped file).
fn plugins_touched(options: &[&str], syscall: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("rtrace.strace");
    let status = Command::new(rtrace_tests::strace_binary())
        .args(["-y", "-e", &format!("trace={syscall}"), "-o"])
        .arg(&log)
        .arg(rtrace_tests::rtrace_binary())
        .args(options)
        .args(["-o", "/dev/null", "/bin/true"])
        .status()
        .expect("cannot run strace");
    assert!(status.success(), "strace rtrace {options:?}: {status}");
    let text = fs::read_to_string(&log).expect("strace log");
    let mut touched: Vec<String> = Regex::new(r"librtrace_(\w+)\.so")
        .unwrap()
        .captures_iter(&text)
        .map(|c| c[1].to_owned())
        .collect();
    touched.sort();
    touched.dedup();
    touched
}

const BUNDLED_FAMILIES: [&str; 13] = [
    "aio", "fs", "ipc", "keys", "mem", "net", "perf", "process", "sched", "security", "signal",
    "sysadmin", "time",
];

/// A trace reads every default plugin's claims but loads only the families its traced
/// calls need (/bin/true's: fs, mem, process; openat's: fs); -C prints the trace and does
/// the same; -c decodes
/// nothing, so it touches no bundled plugin; a plugin asked for by name is loaded at once
/// (and so checked); --list-plugins vouches for all, so it loads all.
#[test]
fn a_run_loads_the_plugins_its_calls_need() {
    assert_eq!(plugins_touched(&[], "openat"), BUNDLED_FAMILIES);
    assert_eq!(plugins_touched(&[], "mmap"), ["fs", "mem", "process"]);
    assert_eq!(plugins_touched(&["-C"], "mmap"), ["fs", "mem", "process"]);
    // Calls not traced are not decoded: their families stay unopened.
    assert_eq!(plugins_touched(&["-e", "trace=openat"], "mmap"), ["fs"]);
    assert_eq!(plugins_touched(&["-c"], "openat"), Vec::<String>::new());
    assert_eq!(plugins_touched(&["-c", "--plugin", "net"], "mmap"), ["net"]);
    assert_eq!(
        plugins_touched(&["--list-plugins"], "mmap"),
        BUNDLED_FAMILIES
    );
}

/// A default plugin whose claims section disagrees with its decoders (here mem's, edited
/// to claim `mmaq` for `mmap`) is found out when its first call opens it: rtrace says so
/// in one line, shows that family's calls raw, and traces on.
#[test]
fn a_plugin_that_fails_to_open_mid_trace_is_said_once_and_its_calls_go_raw() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bundled = rtrace_tests::rtrace_binary()
        .parent()
        .expect("target dir")
        .join("librtrace_mem.so");
    let mut bytes = fs::read(&bundled).expect("bundled mem plugin");
    let find = |bytes: &[u8], from: usize, what: &[u8]| {
        bytes[from..]
            .windows(what.len())
            .position(|w| w == what)
            .map(|at| from + at)
    };
    let claims = find(&bytes, 0, b"rtrace-claims-1\0mem\0").expect("mem's claims section");
    let mmap = find(&bytes, claims, b"\0mmap\0").expect("mmap in mem's claims");
    bytes[mmap + 4] = b'q';
    fs::write(dir.path().join("librtrace_mem.so"), &bytes).expect("write the copy");
    let out = Command::new(rtrace_tests::rtrace_binary())
        .env("RTRACE_PLUGIN_PATH", dir.path())
        .args(["-e", "trace=brk,openat", "/bin/true"])
        .output()
        .expect("run rtrace");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let said: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("rtrace: "))
        .collect();
    assert_eq!(said.len(), 1, "{stderr}");
    assert!(
        said[0].starts_with("rtrace: plugin mem (")
            && said[0].ends_with(
                "): its claims section differs from the decoders it exports (rebuild it); \
                 its calls are shown raw"
            ),
        "{}",
        said[0]
    );
    assert!(stderr.contains("\nbrk(0)"), "brk raw: {stderr}");
    assert!(
        stderr.contains("openat(AT_FDCWD, \""),
        "openat still decoded by fs: {stderr}"
    );
}

// ---------------------------------------------------------------------------------------
// Bad input

/// rtrace's failure: one `rtrace: ` line, a non-zero exit, no panic. Returns the line.
fn one_line_failure(args: &[&str]) -> String {
    let out = Tracer::Rtrace.run(args);
    assert_no_panic(&out);
    assert!(
        out.exit_code().is_some_and(|c| c != 0),
        "{args:?} was accepted: {}",
        out.dump()
    );
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{args:?}: not one line:\n{}", out.stderr);
    assert!(lines[0].starts_with("rtrace: "), "{args:?}: {:?}", lines[0]);
    lines[0].to_owned()
}

/// strace's first stderr line for `args` (its usage hint, when it adds one, aside) and
/// its exit code, which must be a failure.
fn strace_failure(args: &[&str]) -> (String, Option<i32>) {
    // The static reference cannot look users up (a static glibc has no NSS): Debian's
    // strace answers for -u.
    let out = if args.first() == Some(&"-u") {
        use std::os::unix::process::CommandExt;
        let output = std::process::Command::new(rtrace_tests::locate::debian_strace())
            .arg0("strace")
            .args(args)
            .output()
            .expect("run Debian's strace");
        rtrace_tests::Outcome {
            status: output.status,
            stdout: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            trace: Vec::new(),
        }
    } else {
        Tracer::Strace.run(args)
    };
    assert_ne!(out.exit_code(), Some(0), "strace accepted {args:?}");
    let first = out
        .stderr_lines()
        .first()
        .map(|l| l.to_string())
        .unwrap_or_default();
    (first.replacen("strace: ", "rtrace: ", 1), out.exit_code())
}

/// Bad input that strace refuses with the same words: rtrace's line must start with
/// strace's (rtrace may add a hint after it), with the same exit code.
#[test]
fn bad_input_worded_as_strace() {
    let cases: &[&[&str]] = &[
        &["-c", "-ff", "-o", "/tmp/rtrace-never-written", "/bin/true"],
        &["-C", "-ff", "-o", "/tmp/rtrace-never-written", "/bin/true"],
        &["-e", "signal=FOO", "/bin/true"],
        &["-u", "nosuchuser", "/bin/true"],
        &["-X", "bogus", "/bin/true"],
        &["-b", "open", "/bin/true"],
        &["-e", "trace=no_such_call", "/bin/true"],
        &["-e", "trace=%no_such_class", "/bin/true"],
        &["-e", "status=bogus", "/bin/true"],
        &["-S", "bogus", "/bin/true"],
    ];
    let mut failures = Vec::new();
    for args in cases {
        let line = one_line_failure(args);
        let (expected, code) = strace_failure(args);
        let out = Tracer::Rtrace.run(args);
        if !line.starts_with(&expected) || out.exit_code() != code {
            failures.push(format!(
                "{args:?}: strace {expected:?} (exit {code:?}), rtrace {line:?} ({})",
                out.describe()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Bad input whose wording is rtrace's own: one line naming the bad value.
#[test]
fn bad_input_names_the_bad_value() {
    let cases: &[(&[&str], &str)] = &[
        (&["-e", "trace=/[", "/bin/true"], "["),
        (&["-s", "-1", "/bin/true"], "-1"),
        (&["-s", "many", "/bin/true"], "many"),
        (&["-a", "x", "/bin/true"], "'x'"),
        (&["--color=sometimes", "/bin/true"], "sometimes"),
        (&["--cpu-placement=elsewhere", "/bin/true"], "elsewhere"),
        (&["-e", "nosuchqualifier=1", "/bin/true"], "nosuchqualifier"),
        (&["--trace-fds=x", "/bin/true"], "x"),
        (
            &["--plugin", "no_such_plugin", "/bin/true"],
            "no_such_plugin",
        ),
    ];
    let mut failures = Vec::new();
    for (args, value) in cases {
        let line = one_line_failure(args);
        if !line.contains(value) {
            failures.push(format!("{args:?}: {line:?} does not name {value:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let regex = one_line_failure(&["-e", "trace=/[", "/bin/true"]);
    assert!(
        !regex.trim_end().ends_with(':'),
        "the regex error gives no reason: {regex:?}"
    );
    let limit = one_line_failure(&["-s", "-1", "/bin/true"]);
    assert!(
        limit.contains("-s") || limit.contains("--string-limit"),
        "-s -1: the line does not name the option: {limit:?}"
    );
}

/// An -o path that cannot be written stops rtrace before the command starts, as strace.
#[test]
fn unwritable_output_is_reported_before_the_command_runs() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let probe = probe();
    for tracer in [Tracer::Strace, Tracer::Rtrace] {
        let created = dir.path().join(format!("created-by-{}", tracer.name()));
        let created = created.to_str().expect("UTF-8 temp path");
        let args = [
            "-o",
            "/nonexistent/dir/trace",
            probe.as_str(),
            "create",
            created,
        ];
        let out = tracer.run(&args);
        assert_ne!(
            out.exit_code(),
            Some(0),
            "{}: {}",
            tracer.name(),
            out.dump()
        );
        assert!(
            !Path::new(created).exists(),
            "{}: the command ran although the trace cannot be written",
            tracer.name()
        );
        if tracer == Tracer::Rtrace {
            let line = one_line_failure(&args);
            let (expected, _) = strace_failure(&args);
            assert_eq!(line, expected);
        }
    }
}

/// -X over a whole run of the probe's `classes` mode: the loader's calls (mmap's flags,
/// arch_prctl, rseq), socket's type, shmget's key and flags, statfs's f_type, a fork's
/// clone flags and SIGCHLD line. The SIGCHLD line is compared apart from the calls: the
/// child's exit reaches the parent before or after its wait4 begins, as the scheduler
/// has it. Lines of prlimit64 are left out: strace prints a limit as its number under
/// -X raw (with `8192*1024` in a comment under verbose), which rtrace does not (see
/// tests/known-differences/const-styles.txt).
#[test]
fn const_print_styles_whole_run() {
    let failures: Vec<String> = ["raw", "verbose"]
        .into_iter()
        .filter_map(|style| {
            std::panic::catch_unwind(|| {
                let (strace, rtrace) = probe_both(&["-X", style], "classes");
                // What differs between two runs beyond the shared rules: the kernel's
                // next segment id (shmget's result, shmctl's first argument), the clock,
                // and the free blocks and inodes of the file system the runs write to.
                let varying = [
                    (r"^(shmget\(.*\) = )\d+$", "${1}SHMID"),
                    (r"^shmctl\(\d+,", "shmctl(SHMID,"),
                    (r"tv_sec=\d+, tv_nsec=\d+", "tv_sec=S, tv_nsec=NS"),
                    (r"(f_bfree|f_bavail|f_ffree)=\d+", "${1}=N"),
                ]
                .map(|(pattern, by)| (Regex::new(pattern).expect("valid regex"), by));
                let lines = |out: &Outcome| -> (Vec<String>, Vec<String>) {
                    light_normalise(&out.trace)
                        .into_iter()
                        .filter(|l| !l.starts_with("prlimit64("))
                        .map(|l| {
                            varying.iter().fold(l, |l, (pattern, by)| {
                                pattern.replace_all(&l, *by).into_owned()
                            })
                        })
                        .partition(|l| !l.starts_with("--- SIG"))
                };
                let (expected, expected_signals) = lines(&strace);
                let (seen, seen_signals) = lines(&rtrace);
                for wanted in ["mmap(", "clone(", "socket(", "shmget("] {
                    assert!(
                        expected.iter().any(|l| l.starts_with(wanted)),
                        "strace traced no {wanted}: {expected:?}"
                    );
                }
                assert_eq!(expected_signals.len(), 1, "strace's signal lines");
                assert_same_lines(&format!("-X {style}"), &expected, &seen);
                assert_same_lines(
                    &format!("-X {style}, signals"),
                    &expected_signals,
                    &seen_signals,
                );
            })
            .err()
            .map(|e| panic_text(&*e))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
