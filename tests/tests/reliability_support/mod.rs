//! Shared by the reliability tests: processes that are killed when a test ends however
//! it ends, bounded waits, and what /proc says about a process.
//!
//! Every wait here has a deadline; a test that hits one fails with what it saw instead
//! of hanging the suite.

#![allow(dead_code)] // each test file uses its own part of this module

use std::fs;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Options every reliability run passes to rtrace. The bundled decoders are left out:
/// these tests are about the engine (stops, signals, detaching), and lines such as
/// `+++ exited with 0 +++` or `--- SIGRT_2 {...} ---` do not depend on decoding.
pub const RTRACE_BASE: &[&str] = &["--no-default-plugins"];

/// How long any single step may take before the test gives up.
pub const STEP: Duration = Duration::from_secs(10);

/// Polls `condition` until it holds or `limit` passes; true when it held.
pub fn wait_until(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// A child process that is SIGKILLed and reaped when dropped, so that a failing
/// assertion never leaves a tracer or a tracee behind.
pub struct Background {
    child: Child,
    status: Option<ExitStatus>,
    pub what: String,
}

impl Background {
    /// Starts `program args`, stdin piped (kept open until [`Background::close_stdin`]),
    /// stdout and stderr to the given files.
    pub fn start(program: &Path, args: &[&str], stdout: &Path, stderr: &Path) -> Background {
        let mut command = Command::new(program);
        // A process group of its own: SIGTSTP is discarded in an orphaned process group,
        // and this one keeps a parent (the test) in another group of the session.
        command
            .process_group(0)
            .args(args)
            .env_remove("LD_LIBRARY_PATH")
            .stdin(Stdio::piped())
            .stdout(fs::File::create(stdout).expect("create stdout file"))
            .stderr(fs::File::create(stderr).expect("create stderr file"));
        let what = format!("{command:?}");
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
        Background {
            child,
            status: None,
            what,
        }
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn signal(&self, signal: i32) {
        // SAFETY: plain kill(2) on our own child, which is not reaped before `self` is dropped.
        unsafe {
            libc::kill(self.pid(), signal);
        }
    }

    pub fn write_stdin(&mut self, bytes: &[u8]) {
        use std::io::Write;
        let stdin = self.child.stdin.as_mut().expect("stdin still open");
        stdin.write_all(bytes).expect("write to the child's stdin");
    }

    pub fn close_stdin(&mut self) {
        self.child.stdin.take();
    }

    /// Waits up to `limit` for the process to end.
    pub fn wait_for(&mut self, limit: Duration) -> Option<ExitStatus> {
        if self.status.is_none() {
            let child = &mut self.child;
            let mut status = None;
            wait_until(limit, || {
                status = child.try_wait().expect("try_wait");
                status.is_some()
            });
            self.status = status;
        }
        self.status
    }

    /// Waits up to `limit`; panics with `context` when the process is still running.
    pub fn expect_exit(&mut self, limit: Duration, context: &str) -> ExitStatus {
        match self.wait_for(limit) {
            Some(status) => status,
            None => panic!("{} still running after {limit:?}: {context}", self.what),
        }
    }

    /// The pid of the process's child running `program` (the command rtrace launched),
    /// once it has exec'd. Found by name: strace forks short-lived probes of its own.
    pub fn child_running(&self, program: &Path) -> Option<i32> {
        let pid = self.pid();
        let name = program.file_name()?.to_str()?;
        // /proc/PID/comm holds at most 15 bytes of the name.
        let comm: String = name.chars().take(15).collect();
        let mut found = None;
        wait_until(STEP, || {
            let children =
                fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
            found = children
                .split_whitespace()
                .filter_map(|c| c.parse::<i32>().ok())
                .find(|c| {
                    fs::read_to_string(format!("/proc/{c}/comm"))
                        .is_ok_and(|n| n.trim_end() == comm)
                });
            found.is_some()
        });
        found
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Kills a process we did not start ourselves (a tracee) when dropped.
pub struct KillOnDrop(pub i32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if self.0 > 0 {
            // SAFETY: plain kill(2); a pid that is gone gives ESRCH, which is fine.
            unsafe {
                libc::kill(self.0, libc::SIGKILL);
            }
        }
    }
}

/// The state letter of /proc/PID/stat (R, S, D, T, t, Z...), `None` when it is gone.
pub fn proc_state(pid: i32) -> Option<char> {
    stat_state(&format!("/proc/{pid}/stat"))
}

/// The state letter of every thread of `pid`.
pub fn thread_states(pid: i32) -> Vec<(i32, char)> {
    let Ok(dir) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let tid: i32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        Some((tid, stat_state(&format!("/proc/{pid}/task/{tid}/stat"))?))
    })
    .collect()
}

fn stat_state(path: &str) -> Option<char> {
    let text = fs::read_to_string(path).ok()?;
    // The command name is in parentheses and may contain anything: the state follows
    // the last ')'.
    text[text.rfind(')')? + 1..].trim_start().chars().next()
}

/// Stopped, either by job control ('T') or in a ptrace stop ('t'): the kernel shows a
/// seized tracee in a group-stop as 't' (strace's tracees too).
pub fn is_stopped(state: Option<char>) -> bool {
    matches!(state, Some('T') | Some('t'))
}

/// The counter the rel_counter fixture keeps in a file.
pub struct Counter {
    pub path: PathBuf,
}

impl Counter {
    pub fn new(dir: &Path) -> Counter {
        Counter {
            path: dir.join("counter"),
        }
    }

    pub fn arg(&self) -> &str {
        self.path.to_str().expect("temporary paths are UTF-8")
    }

    pub fn value(&self) -> Option<u64> {
        fs::read_to_string(&self.path).ok()?.trim().parse().ok()
    }

    /// True when the counter goes past its current value within `limit`.
    pub fn advances_within(&self, limit: Duration) -> bool {
        let start = self.value();
        wait_until(limit, || self.value() > start)
    }

    /// Waits for the counter to reach `at_least`.
    pub fn reaches(&self, at_least: u64, limit: Duration) -> bool {
        wait_until(limit, || self.value().is_some_and(|v| v >= at_least))
    }

    /// Asks the fixture to end (it checks for `FILE.done` on each round).
    pub fn finish(&self) {
        let mut done = self.path.clone().into_os_string();
        done.push(".done");
        fs::write(done, b"").expect("create the .done file");
    }
}

/// `exited with N` / `killed by signal N`, for messages and comparisons.
pub fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => format!("{status}"),
    }
}

/// Reads a file as lines (empty when it is missing).
pub fn lines_of(path: &Path) -> Vec<String> {
    fs::read(path)
        .map(|b| {
            String::from_utf8_lossy(&b)
                .lines()
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

pub fn text_of(path: &Path) -> String {
    fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// A fixture or binary path as a `&str` argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("paths are UTF-8")
}
