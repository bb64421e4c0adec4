//! Signals under rtrace: group-stops really stop the tracee and SIGCONT resumes it,
//! real-time signals are queued, shown and handled, and a storm of signals loses none.

mod reliability_support;

use std::path::Path;
use std::sync::OnceLock;
use std::thread;
use std::time::Duration;

use regex::Regex;
use reliability_support::*;
use rtrace_tests::trace::{by_pid, parse};
use rtrace_tests::{fixture, rtrace_binary, Tracer};

/// rtrace -o TRACE rel_counter COUNTER spin, in the background; with `threads`,
/// rtrace -f ... COUNTER threads N.
fn trace_counter(dir: &Path, counter: &Counter, threads: Option<&str>) -> (Background, KillOnDrop) {
    let counter_fixture = fixture("rel_counter");
    let trace = dir.join("trace");
    let mut args: Vec<&str> = RTRACE_BASE.to_vec();
    if threads.is_some() {
        args.push("-f");
    }
    args.extend(["-o", arg(&trace), arg(&counter_fixture), counter.arg()]);
    match threads {
        Some(n) => args.extend(["threads", n]),
        None => args.push("spin"),
    }
    let rtrace = Background::start(
        &rtrace_binary(),
        &args,
        &dir.join("stdout"),
        &dir.join("stderr"),
    );
    let tracee = rtrace
        .child_running(&counter_fixture)
        .unwrap_or_else(|| panic!("rtrace started no command: {}", rtrace.what));
    (rtrace, KillOnDrop(tracee))
}

/// Stops the traced counter with `stop_signal`, checks it stays stopped, resumes it with
/// SIGCONT, checks it runs again and ends normally; then checks the trace.
fn group_stop_and_continue(stop_signal: i32, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::new(dir.path());
    let (mut rtrace, tracee) = trace_counter(dir.path(), &counter, None);
    assert!(
        counter.reaches(5, STEP),
        "the traced counter does not run: {:?}",
        counter.value()
    );

    // SAFETY: kill(2) on the tracee, which KillOnDrop owns.
    unsafe { libc::kill(tracee.0, stop_signal) };
    // Stopped means: shown stopped by /proc for a while, and its counter frozen.
    assert!(
        wait_until(STEP, || is_stopped(proc_state(tracee.0))),
        "{name} did not stop the tracee: state {:?}",
        proc_state(tracee.0)
    );
    let frozen = counter.value();
    thread::sleep(Duration::from_millis(300));
    assert_eq!(
        counter.value(),
        frozen,
        "the tracee kept running after {name} (state {:?})",
        proc_state(tracee.0)
    );
    assert!(is_stopped(proc_state(tracee.0)), "the stop did not last");

    // SAFETY: as above.
    unsafe { libc::kill(tracee.0, libc::SIGCONT) };
    assert!(
        counter.advances_within(STEP),
        "SIGCONT did not resume the tracee (state {:?})",
        proc_state(tracee.0)
    );
    counter.finish();
    let status = rtrace.expect_exit(STEP, "the tracee was asked to finish");
    assert_eq!(status.code(), Some(0), "rtrace {}", describe(status));

    let trace = lines_of(&dir.path().join("trace"));
    let dump = trace.join("\n");
    let me = std::process::id();
    let delivered = format!("--- {name} {{si_signo={name}, si_code=SI_USER, si_pid={me},");
    let stopped = format!("--- stopped by {name} ---");
    let delivered_at = trace.iter().position(|l| l.starts_with(&delivered));
    let stopped_at = trace.iter().position(|l| *l == stopped);
    let continued_at = trace
        .iter()
        .position(|l| l.starts_with("--- SIGCONT {si_signo=SIGCONT, si_code=SI_USER"));
    assert!(
        delivered_at.is_some(),
        "no `{delivered}` line in the trace:\n{dump}"
    );
    assert!(stopped_at.is_some(), "no `{stopped}` line:\n{dump}");
    assert!(continued_at.is_some(), "no SIGCONT line:\n{dump}");
    assert!(
        delivered_at < stopped_at && stopped_at < continued_at,
        "signal, stop and SIGCONT out of order:\n{dump}"
    );
    assert_eq!(
        trace.iter().filter(|l| **l == stopped).count(),
        1,
        "the group-stop is shown more than once:\n{dump}"
    );
    assert_eq!(
        trace.last().map(String::as_str),
        Some("+++ exited with 0 +++"),
        "the trace does not end with the exit:\n{dump}"
    );
}

#[test]
fn sigstop_stops_the_tracee_and_sigcont_resumes_it() {
    group_stop_and_continue(libc::SIGSTOP, "SIGSTOP");
}

#[test]
fn sigtstp_stops_the_tracee_and_sigcont_resumes_it() {
    group_stop_and_continue(libc::SIGTSTP, "SIGTSTP");
}

#[test]
fn group_stop_of_a_multithreaded_process_under_follow() {
    const THREADS: usize = 4;
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::new(dir.path());
    let (mut rtrace, tracee) = trace_counter(dir.path(), &counter, Some("4"));
    assert!(
        wait_until(STEP, || thread_states(tracee.0).len() == THREADS + 1),
        "the threads did not start"
    );
    assert!(counter.reaches(5, STEP), "the traced threads do not run");
    // SAFETY: kill(2) on the tracee, which KillOnDrop owns.
    unsafe { libc::kill(tracee.0, libc::SIGSTOP) };
    assert!(
        wait_until(STEP, || thread_states(tracee.0)
            .iter()
            .all(|&(_, s)| is_stopped(Some(s)))),
        "not every thread stopped: {:?}",
        thread_states(tracee.0)
    );
    let frozen = counter.value();
    thread::sleep(Duration::from_millis(300));
    assert_eq!(counter.value(), frozen, "a thread kept running");
    // SAFETY: as above.
    unsafe { libc::kill(tracee.0, libc::SIGCONT) };
    assert!(
        counter.advances_within(STEP),
        "SIGCONT did not resume the threads"
    );
    counter.finish();
    let status = rtrace.expect_exit(STEP, "the tracee was asked to finish");
    assert_eq!(status.code(), Some(0), "rtrace {}", describe(status));
    // Each thread's group-stop is shown once, under its own pid.
    let trace = lines_of(&dir.path().join("trace"));
    let stops: Vec<Option<u32>> = parse(&trace)
        .into_iter()
        .filter(|e| e.text == "--- stopped by SIGSTOP ---")
        .map(|e| e.pid)
        .collect();
    let distinct: std::collections::BTreeSet<_> = stops.iter().collect();
    assert_eq!(stops.len(), THREADS + 1, "{stops:?}");
    assert_eq!(distinct.len(), THREADS + 1, "{stops:?}");
}

/// `--- SIGRT_2 {..., si_pid=N, ...} ---` lines with the pid made comparable.
fn rt_signal_lines(trace: &[String]) -> Vec<String> {
    static PID: OnceLock<Regex> = OnceLock::new();
    let pid = PID.get_or_init(|| Regex::new(r"si_pid=\d+").unwrap());
    trace
        .iter()
        .filter(|l| l.starts_with("--- SIGRT_2 "))
        .map(|l| pid.replace(l, "si_pid=PID").into_owned())
        .collect()
}

#[test]
fn queued_realtime_signals_are_each_shown_and_handled() {
    const COUNT: usize = 5;
    let rtsig = fixture("rel_rtsig");
    let count = COUNT.to_string();
    let command = [arg(&rtsig), count.as_str()];
    let out = Tracer::Rtrace.trace(RTRACE_BASE, &command);
    assert_eq!(
        out.exit_code(),
        Some(0),
        "the handler did not run once per signal: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        out.dump()
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("handled {COUNT} of {COUNT}\n")
    );
    let shown = rt_signal_lines(&out.trace);
    let expected: Vec<String> = (0..COUNT)
        .map(|i| {
            let value = 100 + i;
            format!(
                "--- SIGRT_2 {{si_signo=SIGRT_2, si_code=SI_QUEUE, si_pid=PID, si_uid=0, \
                 si_int={value}, si_ptr={value:#x}}} ---"
            )
        })
        .collect();
    assert_eq!(shown, expected, "\n{}", out.dump());

    // strace shows the same lines (this checks the expectation above, too).
    let strace = Tracer::Strace.trace(&[], &command);
    assert_eq!(rt_signal_lines(&strace.trace), shown);
}

/// How many times `--- NAME ` appears for each pid.
fn signal_counts(trace: &[String], name: &str) -> Vec<(Option<u32>, usize)> {
    let prefix = format!("--- {name} ");
    by_pid(&parse(trace))
        .into_iter()
        .map(|(pid, lines)| (pid, lines.iter().filter(|l| l.starts_with(&prefix)).count()))
        .collect()
}

/// "received N" from the storm fixture's stdout.
fn received(stdout: &[u8]) -> usize {
    let text = String::from_utf8_lossy(stdout);
    text.trim()
        .strip_prefix("received ")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the storm fixture printed {text:?}"))
}

fn storm_size() -> usize {
    if std::env::var_os("RTRACE_STRESS_FULL").is_some() {
        50_000
    } else {
        5_000
    }
}

#[test]
fn realtime_signal_storm_under_follow_loses_nothing() {
    let storm = fixture("rel_storm");
    let total = storm_size();
    let total_arg = total.to_string();
    let mut options = RTRACE_BASE.to_vec();
    options.push("-f");
    let out = Tracer::Rtrace.trace(&options, &[arg(&storm), &total_arg, "rt"]);
    assert_eq!(
        out.exit_code(),
        Some(0),
        "the receiver lost signals or died: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        out.stderr
    );
    assert_eq!(received(&out.stdout), total);
    let counts = signal_counts(&out.trace, "SIGRT_3");
    // The receiver is the first process; the sender receives none.
    assert_eq!(
        counts.first().map(|c| c.1),
        Some(total),
        "signals shown per pid: {counts:?}"
    );
    assert_eq!(
        counts.iter().map(|c| c.1).sum::<usize>(),
        total,
        "signals shown per pid: {counts:?}"
    );
}

#[test]
fn standard_signal_storm_shows_each_delivered_signal_once() {
    let storm = fixture("rel_storm");
    let total = (storm_size() * 4).to_string();
    let out = Tracer::Rtrace.trace(RTRACE_BASE, &[arg(&storm), &total, "usr1"]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.stderr);
    // SIGUSR1 merges while pending: what counts is that every delivery the handler saw
    // is in the trace, and nothing else.
    let handled = received(&out.stdout);
    let shown = out
        .trace
        .iter()
        .filter(|l| l.starts_with("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER,"))
        .count();
    assert_eq!(shown, handled, "the handler ran {handled} times");
    assert_eq!(
        out.trace.last().map(String::as_str),
        Some("+++ exited with 0 +++")
    );
}

/// `SigIgn:` of the command, started by `tracer` from a shell that ignores HUP, INT,
/// QUIT and TERM (as `nohup` or a background job does).
fn ignored_by_command(tracer: Tracer) -> String {
    let grep = rtrace_tests::locate::find_in_path("grep").expect("grep in PATH");
    let mut args: Vec<String> = vec![
        "-c".into(),
        "trap '' HUP INT QUIT TERM; exec \"$@\"".into(),
        "sh".into(),
        tracer.binary().to_str().unwrap().into(),
    ];
    if tracer == Tracer::Rtrace {
        args.extend(RTRACE_BASE.iter().map(|s| s.to_string()));
    }
    args.extend(["-o", "/dev/null", arg(&grep), "SigIgn", "/proc/self/status"].map(String::from));
    let mut command = std::process::Command::new("sh");
    command.args(&args);
    let out = rtrace_tests::run::run_limited(command, b"");
    assert_eq!(out.exit_code(), Some(0), "{}", out.stderr);
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn signals_ignored_by_rtraces_parent_stay_ignored_for_the_command() {
    // HUP, INT, QUIT and TERM are bits 0, 1, 2 and 14 of the mask.
    const IGNORED: u64 = 0x4007;
    let strace = ignored_by_command(Tracer::Strace);
    let rtrace = ignored_by_command(Tracer::Rtrace);
    let mask = |line: &str| {
        line.strip_prefix("SigIgn:")
            .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
            .unwrap_or_else(|| panic!("not a SigIgn line: {line:?}"))
    };
    assert_eq!(mask(&strace) & IGNORED, IGNORED, "strace: {strace}");
    assert_eq!(
        mask(&rtrace) & IGNORED,
        IGNORED,
        "rtrace un-ignored signals its parent ignored (`nohup rtrace CMD` no longer \
         protects CMD from SIGHUP): {rtrace}, strace gives {strace}"
    );
    assert_eq!(rtrace, strace);
}
