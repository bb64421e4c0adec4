//! rtrace on single processes: where the trace starts and ends, the exit status it
//! passes on, signals, and the tracee's own stdin/stdout/stderr.

use rtrace_tests::normalise::Normaliser;
use rtrace_tests::{fixture, Tracer};

fn assert_no_panic(out: &rtrace_tests::Outcome) {
    assert!(
        !out.stderr.contains("panicked"),
        "rtrace panicked:\n{}",
        out.dump()
    );
}

#[test]
fn true_trace_starts_with_execve_and_ends_with_exit() {
    let out = Tracer::Rtrace.run(&["/bin/true"]);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let normalised = Normaliser::new().lines(&out.trace);
    // Decoded as strace decodes it: the path, argv, and the environment's pointer and
    // size (which vary by run and by tracer, hence the normalisation).
    assert_eq!(
        normalised.first().map(String::as_str),
        Some(r#"execve("/bin/true", ["/bin/true"], 0xADDR /* N vars */) = 0"#),
        "the first line is not the decoded execve\n{}",
        out.dump()
    );
    assert!(
        normalised.iter().any(|l| l == "exit_group(0) = ?"),
        "no `exit_group(0) = ?` line\n{}",
        out.dump()
    );
    assert_eq!(
        out.trace.last().map(String::as_str),
        Some("+++ exited with 0 +++"),
        "{}",
        out.dump()
    );
}

#[test]
fn results_stand_at_column_40() {
    let out = Tracer::Rtrace.run(&["/bin/true"]);
    assert_no_panic(&out);
    let calls: Vec<&String> = out.trace.iter().filter(|l| l.contains(") ")).collect();
    assert!(!calls.is_empty(), "no syscall lines\n{}", out.dump());
    for line in calls {
        // strace pads the call with spaces to 39 characters, then ` = `; a longer call
        // gets ` = ` right after it.
        let call_end = line.rfind(") ").expect("filtered") + 1;
        let expected = call_end.max(39);
        assert_eq!(
            line.get(expected..expected + 3),
            Some(" = "),
            "` = ` not at index {expected}: {line:?}"
        );
    }
}

#[test]
fn exit_status_is_passed_on_like_strace() {
    let strace = Tracer::Strace.run(&["sh", "-c", "exit 7"]);
    let rtrace = Tracer::Rtrace.run(&["sh", "-c", "exit 7"]);
    assert_no_panic(&rtrace);
    assert_eq!(
        strace.exit_code(),
        Some(7),
        "strace itself: {}",
        strace.describe()
    );
    assert_eq!(rtrace.exit_code(), Some(7), "{}", rtrace.dump());
    assert_eq!(
        rtrace.trace.last().map(String::as_str),
        Some("+++ exited with 7 +++")
    );

    let code = fixture("exit_code");
    let rtrace = Tracer::Rtrace.run(&[code.to_str().unwrap(), "42"]);
    assert_eq!(rtrace.exit_code(), Some(42), "{}", rtrace.dump());
}

#[test]
fn death_by_sigterm_is_passed_on_like_strace() {
    let signals = fixture("signals");
    let command = [signals.to_str().unwrap(), "term"];
    let strace = Tracer::Strace.run(&command);
    let rtrace = Tracer::Rtrace.run(&command);
    assert_no_panic(&rtrace);
    assert_eq!(
        strace.signal(),
        Some(libc::SIGTERM),
        "strace itself {}",
        strace.describe()
    );
    assert_eq!(
        rtrace.signal(),
        strace.signal(),
        "strace {}, rtrace {}\n{}",
        strace.describe(),
        rtrace.describe(),
        rtrace.dump()
    );
    let normalised = Normaliser::new().lines(&rtrace.trace);
    assert!(
        normalised.iter().any(|l| l.starts_with(
            "--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=PID, si_uid=0} ---"
        )),
        "no SIGTERM delivery line\n{}",
        rtrace.dump()
    );
    assert_eq!(
        rtrace.trace.last().map(String::as_str),
        Some("+++ killed by SIGTERM +++"),
        "{}",
        rtrace.dump()
    );
}

#[test]
fn handled_signal_is_shown_and_delivered() {
    let signals = fixture("signals");
    let out = Tracer::Rtrace.trace(&[], &[signals.to_str().unwrap(), "handle"]);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    assert_eq!(
        out.stdout,
        b"caught SIGUSR1\n",
        "the handler did not run\n{}",
        out.dump()
    );
    let normalised = Normaliser::new().lines(&out.trace);
    let delivery = normalised
        .iter()
        .position(|l| {
            l.starts_with(
                "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=PID, si_uid=0} ---",
            )
        })
        .unwrap_or_else(|| panic!("no SIGUSR1 line\n{}", out.dump()));
    assert!(
        normalised[delivery..]
            .iter()
            .any(|l| l.starts_with("rt_sigreturn(")),
        "no rt_sigreturn after the handler\n{}",
        out.dump()
    );
}

#[test]
fn tracee_stdio_is_untouched() {
    let echo = fixture("echo_stdin");
    let input: Vec<u8> = (0..=255u8).cycle().take(200_000).collect();
    let marker = "echo_stdin: stderr marker\n";

    // Trace to a file: stderr carries the tracee's own output only.
    let dir = tempfile::tempdir().unwrap();
    let trace_file = dir.path().join("trace");
    let out = Tracer::Rtrace.run_with_stdin(
        &["-o", trace_file.to_str().unwrap(), echo.to_str().unwrap()],
        &input,
    );
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    assert!(
        out.stdout == input,
        "stdout differs from stdin ({} bytes vs {})",
        out.stdout.len(),
        input.len()
    );
    assert_eq!(
        out.stderr, marker,
        "stderr should hold the tracee's line only"
    );
    let trace = std::fs::read_to_string(&trace_file).expect("trace file written");
    assert!(trace.starts_with("execve("), "trace file: {trace}");

    // Trace to stderr: stdout is still exactly the input.
    let out = Tracer::Rtrace.run_with_stdin(&[echo.to_str().unwrap()], &input);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    assert!(
        out.stdout == input,
        "stdout differs from stdin ({} bytes vs {})",
        out.stdout.len(),
        input.len()
    );
    assert!(
        out.trace.iter().any(|l| l.starts_with("execve(")),
        "trace not on stderr:\n{}",
        out.dump()
    );
    assert!(
        out.stderr.contains(marker),
        "the tracee's stderr line is lost"
    );
}

/// With the trace on stderr, strace writes each part of a line as it happens, so the
/// tracee's own stderr output lands where it was written: after the lines before it.
#[test]
fn stderr_trace_and_tracee_output_keep_their_order_like_strace() {
    let echo = fixture("echo_stdin");
    let marker = "echo_stdin: stderr marker";
    let positions =
        |out: &rtrace_tests::Outcome| (out.stderr.find("execve("), out.stderr.find(marker));
    let strace = Tracer::Strace.run(&[echo.to_str().unwrap()]);
    let rtrace = Tracer::Rtrace.run(&[echo.to_str().unwrap()]);
    let (Some(strace_execve), Some(strace_marker)) = positions(&strace) else {
        panic!(
            "strace's stderr lacks the trace or the marker:\n{}",
            strace.stderr
        );
    };
    assert!(
        strace_execve < strace_marker,
        "strace itself: {}",
        strace.stderr
    );
    assert!(
        matches!(positions(&rtrace), (Some(e), Some(m)) if e < m),
        "the tracee's stderr line should come after the execve line, as with strace:\n{}",
        rtrace.stderr
    );
}
