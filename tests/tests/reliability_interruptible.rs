//! `-I` / `--interruptible`: which signals end the trace, compared with the reference
//! strace. Each tracer runs as a background job of a non-interactive shell script
//! (`TRACER ARGS &`), which starts it with SIGINT and SIGQUIT ignored, as such a script
//! does; the test then signals the tracer and looks at what happened to it and to the
//! process it traced.

mod reliability_support;

use std::fs;
use std::path::Path;
use std::thread;
use std::time::Duration;

use reliability_support::*;
use rtrace_tests::{fixture, Tracer};

/// The job: the tracer in the background, its pid, then `$?` once it ends.
const SCRIPT: &str = r#""$@" &
echo "tracer $!"
wait $!
echo "exit $?""#;

/// How long a signal that should change nothing is given to change something.
const SETTLE: Duration = Duration::from_millis(500);

/// What became of the tracer and the traced process after the signal.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    /// The shell's `$?` for the tracer, when it ended.
    exit: Option<String>,
    /// The traced process still runs (not gone, not a zombie).
    traced_alive: bool,
    /// It is still traced by the tracer.
    still_traced: bool,
    /// The tracer itself is stopped (SIGTSTP).
    tracer_stopped: bool,
    /// The tracer's `Process PID attached/detached` lines, the pid as `PID`.
    messages: Vec<String>,
}

/// What the tracer traces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    /// `-o FILE -p PID`: a running counter.
    Attached,
    /// `-o FILE COUNTER spin`: a command the tracer launches.
    Launched,
}

fn tracer_pid_of(pid: i32) -> Option<i32> {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("TracerPid:"))?
        .trim()
        .parse()
        .ok()
}

fn alive(pid: i32) -> bool {
    !matches!(proc_state(pid), None | Some('Z'))
}

/// The child of `parent` whose name is `name` (the launched command, once exec'd).
fn child_named(parent: i32, name: &str) -> Option<i32> {
    let children = fs::read_to_string(format!("/proc/{parent}/task/{parent}/children")).ok()?;
    children
        .split_whitespace()
        .filter_map(|c| c.parse().ok())
        .find(|c: &i32| {
            fs::read_to_string(format!("/proc/{c}/comm")).is_ok_and(|n| n.trim_end() == name)
        })
}

/// The value after `key ` on a line of the job's output.
fn job_line(stdout: &Path, key: &str) -> Option<String> {
    text_of(stdout)
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(' ').map(str::to_owned))
}

/// Runs `tracer` with `interruptible` (None: its default) on `subject` as a background
/// job, sends it `signal` once it traces, and reports what followed. `ends`: the
/// tracer is expected to end (waited for up to STEP), else given SETTLE to react.
fn run(
    tracer: Tracer,
    interruptible: Option<&str>,
    subject: Subject,
    signal: i32,
    ends: bool,
) -> Outcome {
    let name = tracer.name();
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::new(dir.path());
    let counter_fixture = fixture("rel_counter");
    let trace = dir.path().join("trace");

    let mut target = None;
    let target_pid;
    let mut args: Vec<String> = vec![tracer.binary().to_str().unwrap().to_owned()];
    if tracer == Tracer::Rtrace {
        args.extend(RTRACE_BASE.iter().map(|s| s.to_string()));
    }
    if let Some(mode) = interruptible {
        args.push(format!("--interruptible={mode}"));
    }
    args.extend(["-o".into(), arg(&trace).into()]);
    match subject {
        Subject::Attached => {
            let running = Background::start(
                &counter_fixture,
                &[counter.arg(), "spin"],
                &dir.path().join("target.out"),
                &dir.path().join("target.err"),
            );
            target_pid = running.pid();
            target = Some(running);
            args.extend(["-p".into(), target_pid.to_string()]);
        }
        Subject::Launched => {
            args.extend([
                arg(&counter_fixture).into(),
                counter.arg().into(),
                "spin".into(),
            ]);
            target_pid = 0;
        }
    }
    let stdout = dir.path().join("job.out");
    let stderr = dir.path().join("job.err");
    let mut script_args = vec!["-c", SCRIPT, "job"];
    script_args.extend(args.iter().map(String::as_str));
    let _job = Background::start(Path::new("/bin/sh"), &script_args, &stdout, &stderr);

    let mut tracer_pid = 0;
    assert!(
        wait_until(STEP, || {
            tracer_pid = job_line(&stdout, "tracer").map_or(0, |p| p.parse().unwrap());
            tracer_pid > 0
        }),
        "{name}: the job did not start: {}",
        text_of(&stderr)
    );
    let _tracer_guard = KillOnDrop(tracer_pid);
    let mut traced = target_pid;
    assert!(
        wait_until(STEP, || {
            if subject == Subject::Launched {
                traced = child_named(tracer_pid, "rel_counter").unwrap_or(0);
            }
            traced > 0 && tracer_pid_of(traced) == Some(tracer_pid)
        }),
        "{name}: nothing traced: {}",
        text_of(&stderr)
    );
    let _traced_guard = (subject == Subject::Launched).then(|| KillOnDrop(traced));
    assert!(
        counter.advances_within(STEP),
        "{name}: the traced counter does not run"
    );

    // SAFETY: kill(2) on the tracer, which the guard above kills at the end anyway.
    unsafe { libc::kill(tracer_pid, signal) };
    let exit = if ends {
        let mut exit = None;
        wait_until(STEP, || {
            exit = job_line(&stdout, "exit");
            exit.is_some()
        });
        exit
    } else {
        thread::sleep(SETTLE);
        job_line(&stdout, "exit")
    };
    if exit.is_some() {
        // The traced process may take a moment to be reaped or let go.
        wait_until(STEP, || !alive(traced) || tracer_pid_of(traced) == Some(0));
    }
    let outcome = Outcome {
        traced_alive: alive(traced),
        still_traced: alive(traced) && tracer_pid_of(traced) == Some(tracer_pid),
        tracer_stopped: proc_state(tracer_pid) == Some('T'),
        exit,
        messages: text_of(&stderr)
            .lines()
            .filter_map(|l| Some(l[l.find("Process ")?..].replace(&traced.to_string(), "PID")))
            .collect(),
    };
    // SAFETY: kill(2) on our own job's processes; a stopped tracer is woken to die.
    unsafe {
        libc::kill(tracer_pid, libc::SIGKILL);
        libc::kill(tracer_pid, libc::SIGCONT);
    }
    drop(target);
    outcome
}

/// Runs the case under the reference strace and rtrace: the same outcome, and the one
/// `expected` (so that both failing alike cannot pass).
fn same_as_strace(interruptible: Option<&str>, subject: Subject, signal: i32, expected: &Outcome) {
    let ends = expected.exit.is_some();
    let strace = run(Tracer::Strace, interruptible, subject, signal, ends);
    assert_eq!(
        &strace, expected,
        "the reference strace did not behave as expected: -I {interruptible:?}, signal {signal}"
    );
    let rtrace = run(Tracer::Rtrace, interruptible, subject, signal, ends);
    assert_eq!(
        rtrace, strace,
        "rtrace differs from strace: -I {interruptible:?}, signal {signal}"
    );
}

impl Outcome {
    /// The tracer ended with shell status `status` (None: it runs on).
    fn ended(status: Option<i32>) -> Outcome {
        Outcome {
            exit: status.map(|s| s.to_string()),
            traced_alive: true,
            still_traced: status.is_none(),
            tracer_stopped: false,
            messages: attached_lines(status.is_some()),
        }
    }
}

fn attached_lines(detached: bool) -> Vec<String> {
    let mut lines = vec!["Process PID attached".to_owned()];
    if detached {
        lines.push("Process PID detached".to_owned());
    }
    lines
}

/// The issue's case: `rtrace -p PID -o F &` from a script, then `kill -INT`. SIGINT was
/// inherited ignored; the default mode (waiting) handles it all the same.
#[test]
fn sigint_to_a_background_job_detaches_by_default() {
    same_as_strace(
        None,
        Subject::Attached,
        libc::SIGINT,
        &Outcome::ended(Some(128 + libc::SIGINT)),
    );
}

#[test]
fn waiting_detaches_on_sigquit() {
    same_as_strace(
        Some("waiting"),
        Subject::Attached,
        libc::SIGQUIT,
        &Outcome::ended(Some(128 + libc::SIGQUIT)),
    );
}

#[test]
fn never_ignores_sigterm() {
    same_as_strace(
        Some("never"),
        Subject::Attached,
        libc::SIGTERM,
        &Outcome::ended(None),
    );
}

/// `anywhere` leaves the inherited dispositions: SIGINT stays ignored...
#[test]
fn anywhere_keeps_an_inherited_ignore() {
    same_as_strace(
        Some("anywhere"),
        Subject::Attached,
        libc::SIGINT,
        &Outcome::ended(None),
    );
}

/// ...and SIGTERM kills the tracer outright: no detach message; the kernel lets the
/// process go, and it runs on.
#[test]
fn anywhere_dies_of_sigterm_at_once() {
    same_as_strace(
        Some("1"),
        Subject::Attached,
        libc::SIGTERM,
        &Outcome {
            messages: attached_lines(false),
            ..Outcome::ended(Some(128 + libc::SIGTERM))
        },
    );
}

/// `-o FILE COMMAND` defaults to `never`: SIGTERM to the tracer changes nothing.
#[test]
fn output_file_and_command_default_to_never() {
    same_as_strace(
        None,
        Subject::Launched,
        libc::SIGTERM,
        &Outcome {
            messages: vec![],
            ..Outcome::ended(None)
        },
    );
}

/// With `waiting`, the same SIGTERM ends the trace and the launched command with it.
#[test]
fn waiting_with_a_command_sends_it_the_signal() {
    same_as_strace(
        Some("waiting"),
        Subject::Launched,
        libc::SIGTERM,
        &Outcome {
            traced_alive: false,
            messages: vec![],
            ..Outcome::ended(Some(128 + libc::SIGTERM))
        },
    );
}

/// `never_tstp` ignores SIGTSTP too; `never` lets it stop the tracer.
#[test]
fn never_tstp_ignores_sigtstp() {
    same_as_strace(
        Some("never_tstp"),
        Subject::Attached,
        libc::SIGTSTP,
        &Outcome::ended(None),
    );
    same_as_strace(
        Some("3"),
        Subject::Attached,
        libc::SIGTSTP,
        &Outcome {
            tracer_stopped: true,
            ..Outcome::ended(None)
        },
    );
}

/// A word or number strace does not know is refused with its one line.
#[test]
fn unknown_modes_are_refused() {
    for bad in ["0", "5", "sometimes"] {
        let out = std::process::Command::new(rtrace_tests::rtrace_binary())
            .args(["-I", bad, "true"])
            .output()
            .unwrap();
        assert!(!out.status.success(), "-I {bad} accepted");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("invalid -I argument: '{bad}'")),
            "-I {bad}: {stderr}"
        );
    }
}

/// What became of a `-D` tracer (the launched command's grandchild) after a signal.
#[derive(Debug, PartialEq, Eq)]
struct DaemonOutcome {
    /// The tracer still traces the command.
    still_traced: bool,
    /// The tracer is stopped.
    tracer_stopped: bool,
}

/// `TRACER -D [-I MODE] -o FILE COUNTER spin`, started in a process group of its own
/// (which the tracer shares with `-D`): sends `signal` to the tracer once it traces.
fn run_daemonized(tracer: Tracer, interruptible: Option<&str>, signal: i32) -> DaemonOutcome {
    let name = tracer.name();
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::new(dir.path());
    let counter_fixture = fixture("rel_counter");
    let trace = dir.path().join("trace");
    let mut args: Vec<String> = Vec::new();
    if tracer == Tracer::Rtrace {
        args.extend(RTRACE_BASE.iter().map(|s| s.to_string()));
    }
    args.push("-D".into());
    if let Some(mode) = interruptible {
        args.push(format!("--interruptible={mode}"));
    }
    args.extend([
        "-o".into(),
        arg(&trace).into(),
        arg(&counter_fixture).into(),
        counter.arg().into(),
        "spin".into(),
    ]);
    let stderr = dir.path().join("job.err");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // With -D, the process started becomes the command.
    let command = Background::start(
        &tracer.binary(),
        &args,
        &dir.path().join("job.out"),
        &stderr,
    );
    let mut tracer_pid = 0;
    assert!(
        wait_until(STEP, || {
            tracer_pid = tracer_pid_of(command.pid()).unwrap_or(0);
            tracer_pid > 0
        }),
        "{name}: the command is not traced: {}",
        text_of(&stderr)
    );
    let _tracer_guard = KillOnDrop(tracer_pid);
    assert!(
        counter.advances_within(STEP),
        "{name}: the traced counter does not run"
    );
    // SAFETY: kill(2) on the tracer, which the guard above kills at the end anyway.
    unsafe { libc::kill(tracer_pid, signal) };
    thread::sleep(SETTLE);
    let outcome = DaemonOutcome {
        still_traced: tracer_pid_of(command.pid()) == Some(tracer_pid),
        tracer_stopped: proc_state(tracer_pid) == Some('T'),
    };
    // SAFETY: kill(2) on the tracer; a stopped one is woken to die.
    unsafe {
        libc::kill(tracer_pid, libc::SIGKILL);
        libc::kill(tracer_pid, libc::SIGCONT);
    }
    drop(command);
    outcome
}

/// `-D` defaults to `never_tstp`, before `-o FILE COMMAND`'s `never`: SIGTSTP, which
/// would stop a `never` tracer in the command's process group, is ignored. With an
/// explicit `-I never` it stops the tracer, in both tracers (the check can fail).
#[test]
fn daemonized_tracer_defaults_to_never_tstp() {
    for (mode, expected) in [
        (
            None,
            DaemonOutcome {
                still_traced: true,
                tracer_stopped: false,
            },
        ),
        (
            Some("never"),
            DaemonOutcome {
                still_traced: true,
                tracer_stopped: true,
            },
        ),
    ] {
        let strace = run_daemonized(Tracer::Strace, mode, libc::SIGTSTP);
        assert_eq!(
            strace, expected,
            "the reference strace did not behave as expected: -D, -I {mode:?}"
        );
        let rtrace = run_daemonized(Tracer::Rtrace, mode, libc::SIGTSTP);
        assert_eq!(
            rtrace, strace,
            "rtrace differs from strace: -D, -I {mode:?}"
        );
    }
}
