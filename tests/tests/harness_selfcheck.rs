//! The harness checked against strace alone: strace compared with itself must agree,
//! and strace's traces must pass the whole-trace checks. If these fail, the harness
//! (normalisation, alignment, a check) is wrong, not rtrace.

use rtrace_tests::checks::{file_pid_prefixes, stderr_pid_prefixes, threads_fixture};
use rtrace_tests::differential::run_all_cases;
use rtrace_tests::{fixture, Tracer};

#[test]
fn strace_agrees_with_itself_on_every_case() {
    let failures = run_all_cases(Tracer::Strace, Tracer::Strace);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn strace_passes_the_threads_check() {
    let threads = fixture("threads");
    for _ in 0..3 {
        let out = Tracer::Strace.trace(&["-f"], &[threads.to_str().unwrap()]);
        if let Err(problems) = threads_fixture(&out.trace) {
            panic!("{problems}\n{}", out.dump());
        }
    }
}

#[test]
fn strace_passes_the_prefix_checks() {
    let out = Tracer::Strace.trace(&["-f"], &["sh", "-c", "ls / | wc -l"]);
    let pids = file_pid_prefixes(&out.trace).unwrap_or_else(|e| panic!("{e}"));
    assert!(pids.len() >= 3, "pids {pids:?}");
    let fork_wait = fixture("fork_wait");
    let out = Tracer::Strace.run(&["-f", fork_wait.to_str().unwrap()]);
    let prefixed = stderr_pid_prefixes(&out.trace).unwrap_or_else(|e| panic!("{e}"));
    assert!(prefixed > 0, "{}", out.dump());
}
