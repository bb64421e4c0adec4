//! Detaching: `rtrace -p PID` interrupted by SIGINT, SIGTERM, SIGHUP or SIGQUIT leaves
//! the process as it was (running, blocked in a syscall, or stopped), untraced, and
//! making progress; rtrace's exit status and messages are strace's.
//!
//! Each scenario runs under strace first, then rtrace, and the two are compared: what
//! strace does is the specification.

mod reliability_support;

use std::collections::BTreeSet;
use std::fs;
use std::thread;
use std::time::Duration;

use reliability_support::*;
use rtrace_tests::{fixture, Tracer};

/// How the counter fixture waits (see tests/fixtures/rel_counter.c).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Spin,
    Sleep,
    Read,
    /// Spinning, stopped by SIGSTOP while traced (a group-stop) before the detach.
    GroupStop,
    Threads,
}

impl Mode {
    fn arg(self) -> &'static str {
        match self {
            Mode::Spin | Mode::GroupStop => "spin",
            Mode::Sleep => "sleep",
            Mode::Read => "read",
            Mode::Threads => "threads",
        }
    }
}

/// What one attach-then-interrupt scenario showed.
#[derive(Debug)]
struct Detached {
    status: String,
    /// stderr with the tracer's name replaced by TRACER and the pid by PID.
    messages: Vec<String>,
    /// The tids that were reported detached.
    detached_tids: BTreeSet<i32>,
    /// The process's tids.
    tids: BTreeSet<i32>,
}

/// `TracerPid:` of /proc/PID/status (0: not traced).
fn tracer_pid(pid: i32) -> Option<i32> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("TracerPid:"))?
        .trim()
        .parse()
        .ok()
}

fn traced_by(pid: i32, tracer: i32) -> bool {
    tracer_pid(pid) == Some(tracer)
}

/// Starts the counter, attaches `tracer` to it (-f when `follow`), puts it in `mode`,
/// sends `signal` to the tracer, and checks the process afterwards.
fn attach_and_interrupt(tracer: Tracer, mode: Mode, signal: i32, follow: bool) -> Detached {
    let name = tracer.name();
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::new(dir.path());
    let counter_fixture = fixture("rel_counter");
    let mut target = Background::start(
        &counter_fixture,
        &[counter.arg(), mode.arg(), "8"],
        &dir.path().join("target.out"),
        &dir.path().join("target.err"),
    );
    let pid = target.pid();
    assert!(counter.value().is_some() || wait_until(STEP, || counter.value().is_some()));
    if mode == Mode::Threads {
        assert!(
            wait_until(STEP, || thread_states(pid).len() == 9),
            "the fixture did not start its threads"
        );
    }

    let pid_text = pid.to_string();
    let mut args: Vec<&str> = match tracer {
        Tracer::Rtrace => RTRACE_BASE.to_vec(),
        Tracer::Strace | Tracer::Oracle(_) => Vec::new(),
    };
    if follow {
        args.push("-f");
    }
    let trace = dir.path().join("trace");
    args.extend(["-o", arg(&trace), "-p", &pid_text]);
    let stderr = dir.path().join("stderr");
    let mut running =
        Background::start(&tracer.binary(), &args, &dir.path().join("stdout"), &stderr);
    let tracer_id = running.pid();
    let tids: BTreeSet<i32> = thread_states(pid).into_iter().map(|(t, _)| t).collect();
    assert!(
        wait_until(STEP, || text_of(&stderr).contains(" attached")
            && tids.iter().all(|&t| traced_by(t, tracer_id))),
        "{name} did not attach: {}",
        text_of(&stderr)
    );

    match mode {
        Mode::GroupStop => {
            target.signal(libc::SIGSTOP);
            assert!(
                wait_until(STEP, || is_stopped(proc_state(pid))),
                "SIGSTOP did not stop the traced process"
            );
            // Let the tracer see the group-stop and LISTEN.
            thread::sleep(Duration::from_millis(200));
        }
        Mode::Read => {
            // One byte read while traced.
            target.write_stdin(b"x");
            assert!(counter.reaches(1, STEP), "the traced read got nothing");
            thread::sleep(Duration::from_millis(100));
        }
        _ => {
            // Traced for a while, long enough to be in the wait loop with stops flowing.
            assert!(counter.advances_within(STEP), "the traced counter is stuck");
            thread::sleep(Duration::from_millis(200));
        }
    }

    running.signal(signal);
    let status = running.expect_exit(STEP, "interrupted");

    // Untraced, every thread.
    for &tid in &tids {
        assert_eq!(
            tracer_pid(tid),
            Some(0),
            "{name}: thread {tid} still traced after the detach"
        );
    }
    let states = thread_states(pid);
    match mode {
        Mode::GroupStop => {
            // A stopped process stays stopped (job control's, 'T', not a trace stop),
            // and SIGCONT resumes it.
            assert_eq!(
                proc_state(pid),
                Some('T'),
                "{name}: the stopped process is not left in its group-stop"
            );
            let before = counter.value();
            thread::sleep(Duration::from_millis(200));
            assert_eq!(counter.value(), before, "{name}: it ran while stopped");
            target.signal(libc::SIGCONT);
            assert!(
                counter.advances_within(STEP),
                "{name}: SIGCONT did not resume it after the detach"
            );
        }
        Mode::Read => {
            // Woken by the detach, it goes back into its read (briefly running).
            assert!(
                wait_until(STEP, || thread_states(pid).iter().all(|&(_, s)| s == 'S')),
                "{name}: not blocked in read after the detach: {:?}",
                thread_states(pid)
            );
            let before = counter.value().unwrap_or(0);
            target.write_stdin(b"y");
            assert!(
                counter.reaches(before + 1, STEP),
                "{name}: the read no longer works after the detach"
            );
        }
        _ => {
            assert!(
                states.iter().all(|&(_, s)| s != 't' && s != 'T'),
                "{name}: left stopped: {states:?}"
            );
            assert!(
                counter.advances_within(STEP),
                "{name}: no progress after the detach: {states:?}"
            );
        }
    }
    // Still alive, and it finishes normally when asked.
    counter.finish();
    if mode == Mode::Read {
        target.close_stdin();
    }
    let end = target.expect_exit(STEP, "asked to finish after the detach");
    assert_eq!(end.code(), Some(0), "{name}: the detached process {end:?}");

    // strace names itself by its argv[0] (a full path here): the name is what precedes
    // the first ": ".
    let messages: Vec<String> = text_of(&stderr)
        .lines()
        .map(|l| match l.split_once(": ") {
            Some((_, rest)) => format!("TRACER: {}", rest.replace(&pid_text, "PID")),
            None => l.to_owned(),
        })
        .collect();
    let detached_tids = text_of(&stderr)
        .lines()
        .filter_map(|l| {
            l.split_once(": Process ")?
                .1
                .strip_suffix(" detached")?
                .parse()
                .ok()
        })
        .collect();
    Detached {
        status: describe(status),
        messages,
        detached_tids,
        tids,
    }
}

/// Runs the scenario under strace and rtrace and checks rtrace against strace.
fn check_against_strace(mode: Mode, signal: i32, follow: bool) {
    let strace = attach_and_interrupt(Tracer::Strace, mode, signal, follow);
    let rtrace = attach_and_interrupt(Tracer::Rtrace, mode, signal, follow);
    assert_eq!(
        rtrace.status, strace.status,
        "rtrace's exit differs from strace's"
    );
    assert_eq!(
        rtrace.status,
        format!("killed by signal {signal}"),
        "as strace, rtrace ends by the signal it was sent"
    );
    assert_eq!(
        rtrace.detached_tids, rtrace.tids,
        "every thread is reported detached once: {:?}",
        rtrace.messages
    );
    if follow {
        assert_eq!(
            rtrace.messages.len(),
            strace.messages.len(),
            "strace said {:?}, rtrace {:?}",
            strace.messages,
            rtrace.messages
        );
        assert_eq!(rtrace.messages[0], strace.messages[0]);
    } else {
        assert_eq!(rtrace.messages, strace.messages);
        assert_eq!(
            rtrace.messages,
            [
                "TRACER: Process PID attached",
                "TRACER: Process PID detached"
            ]
        );
    }
}

#[test]
fn sigint_detaches_a_running_process() {
    check_against_strace(Mode::Spin, libc::SIGINT, false);
}

#[test]
fn sigterm_detaches_a_running_process() {
    check_against_strace(Mode::Spin, libc::SIGTERM, false);
}

#[test]
fn sighup_detaches_a_running_process() {
    check_against_strace(Mode::Spin, libc::SIGHUP, false);
}

#[test]
fn sigquit_detaches_a_running_process() {
    check_against_strace(Mode::Spin, libc::SIGQUIT, false);
}

#[test]
fn detach_while_blocked_in_nanosleep() {
    check_against_strace(Mode::Sleep, libc::SIGINT, false);
}

#[test]
fn detach_while_blocked_in_read() {
    check_against_strace(Mode::Read, libc::SIGTERM, false);
}

#[test]
fn detach_during_a_group_stop_leaves_it_stopped() {
    check_against_strace(Mode::GroupStop, libc::SIGINT, false);
}

#[test]
fn detach_every_thread_with_follow() {
    check_against_strace(Mode::Threads, libc::SIGINT, true);
}

#[test]
fn detach_lists_threads_in_strace_order() {
    // strace reports the leader first, then the other threads in attach order.
    let rtrace = attach_and_interrupt(Tracer::Rtrace, Mode::Threads, libc::SIGHUP, true);
    let order: Vec<&String> = rtrace
        .messages
        .iter()
        .filter(|l| l.ends_with(" detached"))
        .collect();
    assert_eq!(
        order.first().map(|s| s.as_str()),
        Some("TRACER: Process PID detached"),
        "the leader is not reported first: {:?}",
        rtrace.messages
    );
    let tids: Vec<i32> = order
        .iter()
        .skip(1)
        .filter_map(|l| {
            l.strip_prefix("TRACER: Process ")?
                .strip_suffix(" detached")?
                .parse()
                .ok()
        })
        .collect();
    let mut sorted = tids.clone();
    sorted.sort_unstable();
    assert_eq!(tids, sorted, "threads detached out of order");
}

/// The tracer launches the counter (trace on stderr, no -o: strace blocks interrupting
/// signals with `-o FILE CMD`), then gets SIGTERM.
fn launch_and_interrupt(tracer: Tracer) -> (String, Vec<String>) {
    let name = tracer.name();
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::new(dir.path());
    let counter_fixture = fixture("rel_counter");
    let mut args: Vec<&str> = match tracer {
        Tracer::Rtrace => RTRACE_BASE.to_vec(),
        Tracer::Strace | Tracer::Oracle(_) => Vec::new(),
    };
    args.extend([arg(&counter_fixture), counter.arg(), "spin"]);
    let stderr = dir.path().join("stderr");
    let mut running =
        Background::start(&tracer.binary(), &args, &dir.path().join("stdout"), &stderr);
    let command = KillOnDrop(
        running
            .child_running(&counter_fixture)
            .expect("the command started"),
    );
    assert!(counter.reaches(5, STEP), "{name}: the command does not run");
    running.signal(libc::SIGTERM);
    let status = running.expect_exit(STEP, "sent SIGTERM");
    // The command was sent the signal too: it is gone (or a zombie waiting for init).
    assert!(
        wait_until(STEP, || matches!(proc_state(command.0), None | Some('Z'))),
        "{name}: the launched command survived: state {:?}",
        proc_state(command.0)
    );
    // The tracer's own lines, without its name (strace uses its argv[0]) and from
    // "Process" on (strace writes its message after an unfinished trace line).
    let messages = text_of(&stderr)
        .lines()
        .filter_map(|l| Some(l[l.find(": Process ")? + 2..].replace(&command.0.to_string(), "PID")))
        .collect();
    (describe(status), messages)
}

#[test]
fn interrupting_a_launched_command_ends_it_as_strace_does() {
    let (strace_status, strace_messages) = launch_and_interrupt(Tracer::Strace);
    let (rtrace_status, rtrace_messages) = launch_and_interrupt(Tracer::Rtrace);
    assert_eq!(rtrace_status, strace_status);
    assert_eq!(rtrace_status, format!("killed by signal {}", libc::SIGTERM));
    // Whether the command is still there to be detached (and announced) or already
    // killed by the signal is a race, for strace too: at most one such line.
    for (name, messages) in [("strace", &strace_messages), ("rtrace", &rtrace_messages)] {
        assert!(
            messages.len() <= 1 && messages.iter().all(|m| m == "Process PID detached"),
            "{name} said {messages:?}"
        );
    }
}
