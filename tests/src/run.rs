//! Running a command under a tracer, with a time limit, capturing everything the user
//! would see: exit status, the tracee's stdout, the tracer's stderr and the trace.

use std::fs;
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::locate::{oracle_strace, rtrace_binary, strace_binary};

/// Longer than any test needs by far; only a hung tracer reaches it.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The tracer that runs a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracer {
    Rtrace,
    /// Debian's strace, from `PATH`.
    Strace,
    /// The reference strace 7.2 built for an architecture (`i686`, ...).
    Oracle(&'static str),
}

impl Tracer {
    pub fn name(self) -> &'static str {
        match self {
            Tracer::Rtrace => "rtrace",
            Tracer::Strace | Tracer::Oracle(_) => "strace",
        }
    }

    pub fn binary(self) -> PathBuf {
        match self {
            Tracer::Rtrace => rtrace_binary(),
            Tracer::Strace => strace_binary(),
            Tracer::Oracle(arch) => oracle_strace(arch),
        }
    }

    /// The tracer, started under its plain name: strace names itself in messages by its
    /// argv[0], and a user types `strace`, not `/usr/bin/strace`.
    fn command(self) -> Command {
        let mut command = Command::new(self.binary());
        command.arg0(self.name());
        command
    }

    /// Runs the tracer with `args` as given (options and command alike), stdin empty.
    /// The trace, if any, is whatever went to stderr.
    pub fn run(self, args: &[&str]) -> Outcome {
        self.run_with_stdin(args, b"")
    }

    /// As [`Tracer::run`], feeding `stdin` to the tracer (and so to the tracee).
    pub fn run_with_stdin(self, args: &[&str], stdin: &[u8]) -> Outcome {
        let mut command = self.command();
        command.args(args);
        let mut outcome = run_limited(command, stdin);
        outcome.trace = outcome.stderr.lines().map(str::to_owned).collect();
        outcome
    }

    /// Runs `command` under the tracer with `options`, the trace written with `-o` to a
    /// file in a fresh temporary directory; the file's lines become `Outcome::trace`.
    pub fn trace(self, options: &[&str], command: &[&str]) -> Outcome {
        let dir = tempfile::tempdir().expect("cannot create a temporary directory");
        let trace_file = dir.path().join("trace.txt");
        let trace_path = trace_file.to_str().expect("temporary paths are UTF-8");
        let mut args: Vec<&str> = vec!["-o", trace_path];
        args.extend_from_slice(options);
        args.extend_from_slice(command);
        let mut process = self.command();
        process.args(&args);
        let mut outcome = run_limited(process, b"");
        outcome.trace = match fs::read(&trace_file) {
            Ok(bytes) => String::from_utf8_lossy(&bytes)
                .lines()
                .map(str::to_owned)
                .collect(),
            Err(e) => panic!(
                "{} wrote no trace file ({e}); it {}, stderr:\n{}",
                self.name(),
                outcome.describe(),
                outcome.stderr
            ),
        };
        outcome
    }
}

/// What one run produced.
#[derive(Debug)]
pub struct Outcome {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: String,
    /// The trace lines: the `-o` file's for [`Tracer::trace`], stderr's otherwise.
    pub trace: Vec<String>,
}

impl Outcome {
    pub fn exit_code(&self) -> Option<i32> {
        self.status.code()
    }

    pub fn signal(&self) -> Option<i32> {
        self.status.signal()
    }

    /// `exited with N` or `killed by signal N`, for messages.
    pub fn describe(&self) -> String {
        match (self.status.code(), self.status.signal()) {
            (Some(code), _) => format!("exited with {code}"),
            (None, Some(signal)) => format!("was killed by signal {signal}"),
            _ => format!("ended with {}", self.status),
        }
    }

    /// The non-empty lines of stderr.
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }

    /// Everything captured, for assertion messages.
    pub fn dump(&self) -> String {
        format!(
            "{}\n--- stderr ---\n{}\n--- trace ({} lines) ---\n{}",
            self.describe(),
            self.stderr,
            self.trace.len(),
            self.trace.join("\n")
        )
    }
}

/// Runs `command` with piped stdio, feeding `stdin`, and kills it after [`TIME_LIMIT`].
pub fn run_limited(mut command: Command, stdin: &[u8]) -> Outcome {
    // cargo test points LD_LIBRARY_PATH into target/: the tracee's loader would then
    // probe a dozen directories that a user's run never sees.
    // PWD as the directory really is: a shell that finds it stale calls getcwd, which
    // would differ between two runs started from different places.
    if let Ok(cwd) = std::env::current_dir() {
        command.env("PWD", cwd);
    }
    command
        .env_remove("LD_LIBRARY_PATH")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let description = format!("{command:?}");
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {description}: {e}"));

    let mut input = child.stdin.take().expect("stdin is piped");
    let stdin_data = stdin.to_vec();
    // Writing from a thread: a tracee that does not read its stdin must not block us.
    let writer = thread::spawn(move || {
        let _ = input.write_all(&stdin_data);
    });
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));

    let status = wait_limited(&mut child, &description);
    let _ = writer.join();
    Outcome {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: String::from_utf8_lossy(&stderr.join().expect("stderr reader")).into_owned(),
        trace: Vec::new(),
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

fn wait_limited(child: &mut Child, description: &str) -> ExitStatus {
    let deadline = Instant::now() + TIME_LIMIT;
    loop {
        if let Some(status) = child.try_wait().expect("wait for the tracer") {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{description} did not finish within {TIME_LIMIT:?}: killed");
        }
        thread::sleep(Duration::from_millis(5));
    }
}
