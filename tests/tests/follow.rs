//! rtrace with -f: every process and thread, the pid prefixes strace uses, and calls
//! interrupted by other threads shown once, entry and exit paired.

use std::collections::BTreeSet;

use rtrace_tests::checks::{file_pid_prefixes, stderr_pid_prefixes, threads_fixture};
use rtrace_tests::trace::{by_pid, parse};
use rtrace_tests::{fixture, Tracer};

#[test]
fn follow_to_file_shows_every_process_with_left_aligned_pids() {
    let command = ["sh", "-c", "ls / | wc -l"];
    let strace = Tracer::Strace.trace(&["-f"], &command);
    let rtrace = Tracer::Rtrace.trace(&["-f"], &command);
    assert!(!rtrace.stderr.contains("panicked"), "{}", rtrace.dump());
    assert_eq!(rtrace.exit_code(), Some(0), "{}", rtrace.dump());
    assert_eq!(
        rtrace.stdout, strace.stdout,
        "the pipeline's output differs"
    );

    let expected = file_pid_prefixes(&strace.trace).expect("strace's own prefixes");
    let pids =
        file_pid_prefixes(&rtrace.trace).unwrap_or_else(|e| panic!("{e}\n{}", rtrace.dump()));
    assert!(pids.len() >= 3, "expected sh, ls and wc, saw pids {pids:?}");
    assert_eq!(
        pids.len(),
        expected.len(),
        "strace saw {expected:?}, rtrace {pids:?}"
    );

    // Every process is followed to its end, and each child runs a program.
    let groups = by_pid(&parse(&rtrace.trace));
    for (index, (pid, lines)) in groups.iter().enumerate() {
        assert_eq!(
            lines.last().map(String::as_str),
            Some("+++ exited with 0 +++"),
            "pid {pid:?} does not end with its exit"
        );
        if index > 0 {
            assert!(
                lines.iter().any(|l| l.starts_with("execve(")),
                "child {pid:?} shows no execve"
            );
        }
    }
}

#[test]
fn follow_to_stderr_prefixes_lines_once_there_are_two_tracees() {
    let fork_wait = fixture("fork_wait");
    let out = Tracer::Rtrace.run(&["-f", fork_wait.to_str().unwrap()]);
    assert!(!out.stderr.contains("panicked"), "{}", out.dump());
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let prefixed =
        stderr_pid_prefixes(&out.trace).unwrap_or_else(|e| panic!("{e}\n{}", out.dump()));
    assert!(
        prefixed > 0,
        "no [pid N] prefix with two tracees\n{}",
        out.dump()
    );
    assert!(
        out.trace[0].starts_with("execve("),
        "the first line, with one tracee, has no prefix\n{}",
        out.dump()
    );
    let pids: BTreeSet<Option<u32>> = parse(&out.trace).iter().map(|e| e.pid).collect();
    assert!(pids.len() >= 2, "only {pids:?}");
    assert!(
        out.trace
            .iter()
            .any(|l| l.ends_with("+++ exited with 3 +++")),
        "the child's exit is missing\n{}",
        out.dump()
    );
}

#[test]
fn each_thread_call_appears_once_with_entry_and_exit() {
    let threads = fixture("threads");
    // Several runs: interleaving differs from run to run.
    for _ in 0..3 {
        let out = Tracer::Rtrace.trace(&["-f"], &[threads.to_str().unwrap()]);
        assert!(!out.stderr.contains("panicked"), "{}", out.dump());
        assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
        if let Err(problems) = threads_fixture(&out.trace) {
            panic!("{problems}\n{}", out.dump());
        }
    }
}

#[test]
fn exec_in_a_child_is_followed() {
    let exec_child = fixture("exec_child");
    let code = fixture("exit_code");
    let out = Tracer::Rtrace.trace(
        &["-f"],
        &[exec_child.to_str().unwrap(), code.to_str().unwrap(), "5"],
    );
    assert_eq!(out.exit_code(), Some(5), "{}", out.dump());
    let groups = by_pid(&parse(&out.trace));
    assert_eq!(groups.len(), 2, "expected parent and child\n{}", out.dump());
    let child = &groups[1].1;
    let exec = format!("execve(\"{}\"", code.display());
    assert!(
        child
            .iter()
            .any(|l| l.starts_with(&exec) || l.starts_with("execve(0x")),
        "the child's execve is missing\n{}",
        out.dump()
    );
    assert_eq!(
        child.last().map(String::as_str),
        Some("+++ exited with 5 +++")
    );
}
