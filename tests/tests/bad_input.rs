//! Bad input: one line on stderr, the exit status strace gives, never a panic. strace is
//! run on the same input so that its behaviour is the expectation.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use rtrace_tests::{Outcome, Tracer};

/// Asserts that rtrace failed as strace did: same exit code, exactly one line on stderr,
/// starting `rtrace: `, no panic. Returns that line.
fn assert_one_line_failure<'a>(rtrace: &'a Outcome, strace: &Outcome) -> &'a str {
    assert!(
        !rtrace.stderr.contains("panicked"),
        "rtrace panicked:\n{}",
        rtrace.stderr
    );
    assert_ne!(strace.exit_code(), Some(0), "strace accepted this input");
    assert_eq!(
        rtrace.exit_code(),
        strace.exit_code(),
        "exit status: strace {}, rtrace {}\n{}",
        strace.describe(),
        rtrace.describe(),
        rtrace.stderr
    );
    let lines = rtrace.stderr_lines();
    assert_eq!(
        lines.len(),
        1,
        "expected one line on stderr, got:\n{}",
        rtrace.stderr
    );
    assert!(
        lines[0].starts_with("rtrace: "),
        "line does not start `rtrace: `: {:?}",
        lines[0]
    );
    lines[0]
}

fn both(args: &[&str]) -> (Outcome, Outcome) {
    (Tracer::Strace.run(args), Tracer::Rtrace.run(args))
}

/// The strerror text at the end of a tracer's message (`...: No such process`).
fn reason(line: &str) -> &str {
    line.rsplit(": ").next().unwrap_or(line)
}

#[test]
fn nonexistent_command_is_reported_exactly_as_strace_does() {
    let (strace, rtrace) = both(&["nonexistent-cmd"]);
    let line = assert_one_line_failure(&rtrace, &strace);
    let expected = strace.stderr.trim_end().replacen("strace: ", "rtrace: ", 1);
    assert_eq!(line, expected);
    assert_eq!(line, "rtrace: Cannot find executable 'nonexistent-cmd'");
}

#[test]
fn unknown_option_is_refused() {
    let (strace, rtrace) = both(&["--no-such-option", "/bin/true"]);
    let line = assert_one_line_failure(&rtrace, &strace);
    assert!(
        line.contains("--no-such-option"),
        "the line does not name the option: {line:?}"
    );
}

#[test]
fn no_command_and_no_pid_is_refused() {
    let (strace, rtrace) = both(&[]);
    assert_one_line_failure(&rtrace, &strace);
}

#[test]
fn invalid_pids_are_refused() {
    for pid in ["abc", "0", "-5"] {
        let (strace, rtrace) = both(&["-p", pid]);
        let line = assert_one_line_failure(&rtrace, &strace);
        assert!(
            line.contains(pid),
            "the line does not name {pid:?}: {line:?}"
        );
    }
}

#[test]
fn pid_that_does_not_exist_is_refused() {
    // A process that has exited and been reaped: its pid is free, and pids are not
    // reused until they wrap around.
    let mut gone = Command::new("true").spawn().expect("run true");
    let pid = gone.id().to_string();
    gone.wait().expect("reap true");
    let (strace, rtrace) = both(&["-p", &pid]);
    let line = assert_one_line_failure(&rtrace, &strace);
    assert!(
        line.contains(&pid),
        "the line does not name pid {pid}: {line:?}"
    );
    let strace_line = strace.stderr_lines().last().copied().unwrap_or_default();
    assert!(
        line.ends_with(reason(strace_line)),
        "strace says {strace_line:?}, rtrace {line:?}"
    );
}

/// Kills its processes when the test ends, however it ends.
struct Reaper(Vec<Child>);

impl Drop for Reaper {
    fn drop(&mut self) {
        for child in self.0.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn process_traced_by_another_tracer_is_refused() {
    let mut reaper = Reaper(Vec::new());
    let sleeper = Command::new("sleep").arg("60").spawn().expect("run sleep");
    let pid = sleeper.id().to_string();
    reaper.0.push(sleeper);
    let mut holder = Command::new(rtrace_tests::strace_binary())
        .args(["-o", "/dev/null", "-p", &pid])
        .stderr(Stdio::piped())
        .spawn()
        .expect("run strace -p");
    let stderr = holder.stderr.take().expect("piped");
    reaper.0.push(holder);
    // strace says `strace: Process N attached` once it holds the process.
    let mut first = String::new();
    BufReader::new(stderr)
        .read_line(&mut first)
        .expect("read strace's stderr");
    assert!(
        first.contains("attached"),
        "strace did not attach: {first:?}"
    );

    let (strace, rtrace) = both(&["-p", &pid]);
    assert!(
        !rtrace.stderr.contains("panicked"),
        "rtrace panicked:\n{}",
        rtrace.stderr
    );
    assert_eq!(rtrace.exit_code(), strace.exit_code());
    // strace 7.2: the refusal, then who traces the process already.
    let expected: Vec<String> = strace
        .stderr_lines()
        .iter()
        .map(|l| l.replacen("strace: ", "rtrace: ", 1))
        .collect();
    assert_eq!(expected.len(), 2, "strace: {}", strace.stderr);
    assert!(
        expected[1].contains("is already being traced by pid"),
        "strace: {}",
        strace.stderr
    );
    assert_eq!(rtrace.stderr_lines(), expected);
}
