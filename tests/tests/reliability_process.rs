//! Process life cycles under rtrace: execve from a non-leader thread, vfork, orphans
//! and zombies, a tracee killed inside a blocking syscall, tracees that use ptrace
//! themselves, and a setuid program.

mod reliability_support;

use reliability_support::*;
use rtrace_tests::checks::parse_number;
use rtrace_tests::locate::find_in_path;
use rtrace_tests::trace::{by_pid, join_resumed, parse};
use rtrace_tests::{fixture, Outcome, Tracer};

fn with_follow() -> Vec<&'static str> {
    let mut options = RTRACE_BASE.to_vec();
    options.push("-f");
    options
}

fn assert_no_panic(out: &Outcome) {
    assert!(!out.stderr.contains("panicked"), "{}", out.dump());
}

#[test]
fn execve_from_a_non_leader_thread_supersedes_the_leader() {
    let thread_exec = fixture("rel_thread_exec");
    let exit_code = fixture("exit_code");
    let out = Tracer::Rtrace.trace(&with_follow(), &[arg(&thread_exec), arg(&exit_code), "7"]);
    assert_no_panic(&out);
    // The new image ran: its exit code is rtrace's.
    assert_eq!(out.exit_code(), Some(7), "{}", out.dump());

    let events = parse(&out.trace);
    let leader = events.first().and_then(|e| e.pid).expect("pid prefixes");
    let superseded: Vec<_> = events
        .iter()
        .filter(|e| e.text.starts_with("+++ superseded by execve in pid "))
        .collect();
    assert_eq!(superseded.len(), 1, "{}", out.dump());
    assert_eq!(superseded[0].pid, Some(leader), "{}", out.dump());
    let thread: u32 = superseded[0]
        .text
        .trim_start_matches("+++ superseded by execve in pid ")
        .trim_end_matches(" +++")
        .parse()
        .expect("a tid");
    assert_ne!(thread, leader);
    // The thread's execve began under its own tid and finished under the leader's pid.
    assert!(
        events
            .iter()
            .any(|e| e.pid == Some(thread) && e.text.starts_with("execve(")),
        "no execve entry from thread {thread}\n{}",
        out.dump()
    );
    let resumed = events
        .iter()
        .position(|e| e.pid == Some(leader) && e.text.starts_with("<... execve resumed>"))
        .unwrap_or_else(|| panic!("no resumed execve under {leader}\n{}", out.dump()));
    assert!(
        events[resumed].text.ends_with("= 0"),
        "{}",
        events[resumed].text
    );
    assert_eq!(
        events.last().map(|e| (e.pid, e.text.as_str())),
        Some((Some(leader), "+++ exited with 7 +++")),
        "{}",
        out.dump()
    );
    // Nothing is shown under the old tid after the exec.
    assert!(
        events[resumed..].iter().all(|e| e.pid != Some(thread)),
        "{}",
        out.dump()
    );
}

#[test]
fn vfork_child_is_followed_through_its_exec() {
    let vfork = fixture("rel_vfork");
    let exit_code = fixture("exit_code");
    let out = Tracer::Rtrace.trace(&with_follow(), &[arg(&vfork), arg(&exit_code), "5"]);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), Some(5), "{}", out.dump());
    let groups = by_pid(&join_resumed(parse(&out.trace)));
    assert_eq!(groups.len(), 2, "parent and child\n{}", out.dump());
    let (parent, child) = (&groups[0], &groups[1]);
    let child_pid = child.0.expect("a pid") as i64;
    // `vfork() = N`, once the halves split by the child's lines are joined.
    let vfork_result = parent
        .1
        .iter()
        .find_map(|l| l.strip_prefix("vfork()"))
        .and_then(|rest| rest.trim().strip_prefix("= "))
        .and_then(parse_number);
    assert_eq!(vfork_result, Some(child_pid), "{}", out.dump());
    assert!(
        child.1.first().is_some_and(|l| l.starts_with("execve(")),
        "the child's first call is not its execve\n{}",
        out.dump()
    );
    assert_eq!(
        child.1.last().map(String::as_str),
        Some("+++ exited with 5 +++")
    );
    assert_eq!(
        parent.1.last().map(String::as_str),
        Some("+++ exited with 5 +++")
    );
}

#[test]
fn orphans_and_zombies_every_exit_is_shown_once() {
    let orphan = fixture("rel_orphan");
    let out = Tracer::Rtrace.trace(&with_follow(), &[arg(&orphan)]);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let groups = by_pid(&parse(&out.trace));
    assert_eq!(groups.len(), 3, "leader, child, grandchild\n{}", out.dump());
    let exits: Vec<Vec<&String>> = groups
        .iter()
        .map(|(_, lines)| lines.iter().filter(|l| l.starts_with("+++ ")).collect())
        .collect();
    // pids grow with creation: leader, middle child, grandchild.
    let expected = [
        "+++ exited with 0 +++",
        "+++ exited with 3 +++",
        "+++ exited with 4 +++",
    ];
    for (exit, want) in exits.iter().zip(expected) {
        assert_eq!(exit.len(), 1, "{}", out.dump());
        assert_eq!(exit[0], want, "{}", out.dump());
    }
    // The grandchild outlives the leader: rtrace waited for it (as strace does).
    let leader_exit = out
        .trace
        .iter()
        .position(|l| l.ends_with("+++ exited with 0 +++"));
    let orphan_exit = out
        .trace
        .iter()
        .position(|l| l.ends_with("+++ exited with 4 +++"));
    assert!(leader_exit < orphan_exit, "{}", out.dump());
}

#[test]
fn tracee_killed_inside_a_blocking_read() {
    for tracer in [Tracer::Strace, Tracer::Rtrace] {
        let dir = tempfile::tempdir().unwrap();
        let trace = dir.path().join("trace");
        let block = fixture("rel_block");
        let mut args: Vec<&str> = match tracer {
            Tracer::Rtrace => RTRACE_BASE.to_vec(),
            Tracer::Strace | Tracer::Oracle(_) => Vec::new(),
        };
        args.extend(["-o", arg(&trace), arg(&block)]);
        let stdout = dir.path().join("stdout");
        let mut running =
            Background::start(&tracer.binary(), &args, &stdout, &dir.path().join("stderr"));
        let tracee = KillOnDrop(running.child_running(&block).expect("the command started"));
        // Blocked in read(0): it said so, and it sleeps.
        assert!(
            wait_until(STEP, || text_of(&stdout) == "ready\n"
                && proc_state(tracee.0) == Some('S')),
            "{}: the tracee never blocked (state {:?})",
            tracer.name(),
            proc_state(tracee.0)
        );
        // SAFETY: kill(2) on the tracee.
        unsafe { libc::kill(tracee.0, libc::SIGKILL) };
        let status = running.expect_exit(STEP, "after its tracee was SIGKILLed");
        // strace ends as its command did: killed by SIGKILL.
        assert_eq!(
            describe(status),
            "killed by signal 9",
            "{}\n{}",
            tracer.name(),
            text_of(&dir.path().join("stderr"))
        );
        let lines = lines_of(&trace);
        let n = lines.len();
        assert!(n >= 2, "{}: {lines:?}", tracer.name());
        assert!(
            lines[n - 2].starts_with("read(0") && lines[n - 2].ends_with("= ?"),
            "{}: the interrupted read is not closed with `= ?`: {lines:?}",
            tracer.name()
        );
        assert_eq!(
            lines[n - 1],
            "+++ killed by SIGKILL +++",
            "{}",
            tracer.name()
        );
        assert_eq!(text_of(&dir.path().join("stderr")), "", "{}", tracer.name());
    }
}

#[test]
fn tracee_calling_ptrace_traceme_is_refused_under_follow_and_works_without() {
    let traceme = fixture("rel_traceme");
    // With -f the child is already rtrace's: PTRACE_TRACEME fails with EPERM, and the
    // fixture's parent sees the child exit 7 instead of stopping.
    let out = Tracer::Rtrace.trace(&with_follow(), &[arg(&traceme)]);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "traceme failed: Operation not permitted\n"
    );
    assert!(
        out.trace
            .iter()
            .any(|l| l.contains("= -1 EPERM (Operation not permitted)") && l.contains("ptrace")),
        "{}",
        out.dump()
    );
    // Without -f the child is not traced by rtrace: the fixture's own tracing works.
    let out = Tracer::Rtrace.trace(RTRACE_BASE, &[arg(&traceme)]);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "traceme ok\n");
}

#[test]
fn strace_under_rtrace_fails_clearly_with_follow_and_works_without() {
    let strace = rtrace_tests::strace_binary();
    let true_bin = find_in_path("true").expect("true in PATH");
    let inner = [arg(&strace), "-o", "/dev/null", arg(&true_bin)];
    // strace under strace -f: the reference behaviour.
    let reference = Tracer::Strace.trace(&["-f"], &inner);
    let out = Tracer::Rtrace.trace(&with_follow(), &inner);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), reference.exit_code(), "{}", out.dump());
    assert_eq!(out.exit_code(), Some(1), "{}", out.dump());
    // The inner strace reports why it cannot trace as it does under strace -f (its
    // first message, before the pids it then names).
    let first_inner = |stderr: &str| -> Option<String> {
        stderr
            .lines()
            .find(|l| l.contains("PTRACE_TRACEME"))
            .map(str::to_owned)
    };
    let expected = first_inner(&reference.stderr);
    assert!(expected.is_some(), "strace -f: {}", reference.dump());
    assert_eq!(
        first_inner(&out.stderr),
        expected,
        "the inner strace's message is missing\n{}",
        out.dump()
    );
    let out = Tracer::Rtrace.trace(RTRACE_BASE, &inner);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
}

#[test]
fn setuid_program_runs_traced() {
    let passwd = std::path::Path::new("/usr/bin/passwd");
    let mode = std::fs::metadata(passwd)
        .unwrap_or_else(|e| panic!("this test needs {}: {e}", passwd.display()));
    use std::os::unix::fs::PermissionsExt;
    assert!(
        mode.permissions().mode() & 0o4000 != 0,
        "{} is not setuid here",
        passwd.display()
    );
    let untraced = std::process::Command::new(passwd)
        .arg("--help")
        .output()
        .expect("run passwd");
    let out = Tracer::Rtrace.trace(RTRACE_BASE, &[arg(passwd), "--help"]);
    assert_no_panic(&out);
    assert_eq!(out.exit_code(), untraced.status.code(), "{}", out.dump());
    assert_eq!(out.stdout, untraced.stdout);
    assert!(
        out.trace.first().is_some_and(|l| l.starts_with("execve(")),
        "{}",
        out.dump()
    );
    let exit = format!(
        "+++ exited with {} +++",
        untraced.status.code().expect("passwd exits")
    );
    assert_eq!(out.trace.last(), Some(&exit), "{}", out.dump());
}

#[test]
fn attached_process_sigkilled_while_blocked_ends_the_trace_as_strace_does() {
    for tracer in [Tracer::Strace, Tracer::Rtrace] {
        let name = tracer.name();
        let dir = tempfile::tempdir().unwrap();
        let counter = Counter::new(dir.path());
        let target = Background::start(
            &fixture("rel_counter"),
            &[counter.arg(), "sleep"],
            &dir.path().join("target.out"),
            &dir.path().join("target.err"),
        );
        assert!(counter.reaches(1, STEP), "the counter did not start");
        let pid = target.pid().to_string();
        let trace = dir.path().join("trace");
        let mut args: Vec<&str> = match tracer {
            Tracer::Rtrace => RTRACE_BASE.to_vec(),
            Tracer::Strace | Tracer::Oracle(_) => Vec::new(),
        };
        args.extend(["-o", arg(&trace), "-p", &pid]);
        let stderr = dir.path().join("stderr");
        let mut running =
            Background::start(&tracer.binary(), &args, &dir.path().join("stdout"), &stderr);
        assert!(
            wait_until(STEP, || text_of(&stderr).contains(" attached")),
            "{name} did not attach"
        );
        // Blocked in its 300 ms nanosleep most of the time.
        std::thread::sleep(std::time::Duration::from_millis(400));
        target.signal(libc::SIGKILL);
        let status = running.expect_exit(STEP, "its only tracee was SIGKILLed");
        // strace exits 0 when an attached process dies: it only reports it.
        assert_eq!(status.code(), Some(0), "{name} {}", describe(status));
        let lines = lines_of(&trace);
        assert_eq!(
            lines.last().map(String::as_str),
            Some("+++ killed by SIGKILL +++"),
            "{name}: {lines:?}"
        );
        assert!(
            lines.len() >= 2 && lines[lines.len() - 2].ends_with("= ?"),
            "{name}: the interrupted call is not closed with `= ?`: {lines:?}"
        );
    }
}
