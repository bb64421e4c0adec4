//! Output faults: a closed pipe on the command's stdout or on the trace, a full device,
//! an unwritable `-o` path. rtrace ends quietly (no panic) and as strace does.

mod reliability_support;

use std::process::{Command, Stdio};

use reliability_support::*;
use rtrace_tests::locate::find_in_path;
use rtrace_tests::{fixture, rtrace_binary, strace_binary, Tracer};

/// The write end of a pipe whose read end is already closed: every write to it fails
/// with EPIPE (and raises SIGPIPE), as `| head -1` does once head has gone.
fn closed_pipe() -> Stdio {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two descriptors, which we own from here on.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    // SAFETY: fresh descriptors from pipe2, each owned once.
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(reader);
    Stdio::from(writer)
}

/// Runs `command` (stdin empty, own process group) and waits for it, at most [`STEP`].
fn run_bounded(mut command: Command) -> std::process::ExitStatus {
    use std::os::unix::process::CommandExt;
    command
        .process_group(0)
        .env_remove("LD_LIBRARY_PATH")
        .stdin(Stdio::null());
    let mut child = command.spawn().expect("start the tracer");
    let deadline = std::time::Instant::now() + STEP;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if std::time::Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not end within {STEP:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// `rtrace --list-plugins | head -1`, head gone before rtrace writes: a one-line error
/// and exit 1, not a panic.
#[test]
fn list_plugins_into_a_closed_pipe_fails_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = dir.path().join("stderr");
    let mut command = Command::new(rtrace_binary());
    command
        .arg("--list-plugins")
        .stdout(closed_pipe())
        .stderr(std::fs::File::create(&stderr).unwrap());
    let status = run_bounded(command);
    let text = text_of(&stderr);
    assert_eq!(status.code(), Some(1), "{}: {text}", describe(status));
    assert_eq!(text, "rtrace: --list-plugins: Broken pipe (os error 32)\n");
}

/// `TRACER seq 100000 | head -1`: the command's stdout closes early. The command must
/// meet SIGPIPE exactly as it would untraced (killed by it), and the tracer ends the
/// same way, quietly.
#[test]
fn command_stdout_closed_early_kills_the_command_with_sigpipe_as_untraced() {
    let seq = find_in_path("seq").expect("seq in PATH");
    for (binary, base) in [
        (strace_binary(), Vec::<&str>::new()),
        (rtrace_binary(), RTRACE_BASE.to_vec()),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let trace = dir.path().join("trace");
        let stderr = dir.path().join("stderr");
        let mut command = Command::new(&binary);
        command
            .args(&base)
            .args(["-o", arg(&trace), arg(&seq), "100000"])
            .stdout(closed_pipe())
            .stderr(std::fs::File::create(&stderr).unwrap());
        let status = run_bounded(command);
        let name = binary.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            describe(status),
            format!("killed by signal {}", libc::SIGPIPE),
            "{name} did not end like its command, killed by SIGPIPE; stderr: {}\ntrace tail: {:?}",
            text_of(&stderr),
            lines_of(&trace).iter().rev().take(4).collect::<Vec<_>>()
        );
        assert_eq!(text_of(&stderr), "", "{name} is not quiet");
        let lines = lines_of(&trace);
        assert_eq!(
            lines.last().map(String::as_str),
            Some("+++ killed by SIGPIPE +++"),
            "{name}: {:?}",
            lines.iter().rev().take(4).collect::<Vec<_>>()
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("--- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER")),
            "{name}: no SIGPIPE delivery shown"
        );
    }
}

/// The trace itself goes to a pipe that closed (`rtrace -f CMD 2>&1 | head -1` once head
/// has gone). strace takes the SIGPIPE as an interruption: it kills the command it
/// launched and ends killed by SIGPIPE, quietly. rtrace must do the same and not panic.
/// The command writes more trace than rtrace buffers, so the loss is seen mid-run.
#[test]
fn trace_to_a_closed_pipe_stops_like_strace() {
    let stress = fixture("rel_stress_threads");
    for (binary, base) in [
        (strace_binary(), Vec::<&str>::new()),
        (rtrace_binary(), RTRACE_BASE.to_vec()),
    ] {
        let name = binary.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("marker");
        // 20,000 failing close() calls (about 700 kB of trace), then a marker file.
        let script = format!("{} 1 20000 && : > {}", arg(&stress), arg(&marker));
        let mut command = Command::new(&binary);
        command
            .args(&base)
            .args(["-f", "sh", "-c", &script])
            .stdout(Stdio::null())
            .stderr(closed_pipe());
        let status = run_bounded(command);
        assert_ne!(status.code(), Some(101), "{name} panicked");
        assert_eq!(
            describe(status),
            format!("killed by signal {}", libc::SIGPIPE),
            "{name} did not end by SIGPIPE"
        );
        assert!(
            !marker.exists(),
            "{name}: the launched shell went on after the trace was lost"
        );
    }
}

#[test]
fn output_to_a_full_device_gives_one_clear_error() {
    let true_bin = find_in_path("true").expect("true in PATH");
    let mut options = RTRACE_BASE.to_vec();
    options.extend(["-o", "/dev/full"]);
    options.push(arg(&true_bin));
    let out = Tracer::Rtrace.run(&options);
    assert!(!out.stderr.contains("panicked"), "{}", out.dump());
    assert_eq!(
        out.stderr_lines(),
        ["rtrace: write error: No space left on device"],
        "{}",
        out.dump()
    );
    // strace also exits with its command's status here (0), having said what failed.
    let strace = Tracer::Strace.run(&["-o", "/dev/full", arg(&true_bin)]);
    assert_eq!(out.exit_code(), strace.exit_code());
}

#[test]
fn unwritable_output_fails_before_the_command_starts() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("marker");
    let touch = find_in_path("touch").expect("touch in PATH");
    let bad = dir.path().join("missing-dir").join("trace");
    let mut options = RTRACE_BASE.to_vec();
    options.extend(["-o", arg(&bad), arg(&touch), arg(&marker)]);
    let out = Tracer::Rtrace.run(&options);
    assert_eq!(out.exit_code(), Some(1), "{}", out.dump());
    assert_eq!(
        out.stderr_lines(),
        [format!(
            "rtrace: Can't fopen '{}': No such file or directory",
            bad.display()
        )]
    );
    assert!(
        !marker.exists(),
        "the command ran although the output could not be opened"
    );
    // A read-only directory (root ignores permissions, so a path under /proc).
    let mut options = RTRACE_BASE.to_vec();
    options.extend([
        "-o",
        "/proc/rtrace-cannot-create",
        arg(&touch),
        arg(&marker),
    ]);
    let out = Tracer::Rtrace.run(&options);
    assert_eq!(out.exit_code(), Some(1), "{}", out.dump());
    assert_eq!(out.stderr_lines().len(), 1, "{}", out.dump());
    assert!(
        out.stderr
            .starts_with("rtrace: Can't fopen '/proc/rtrace-cannot-create': "),
        "{}",
        out.dump()
    );
    assert!(!marker.exists());
}
