//! Running one command and measuring it: wall time, exit status, and on request the peak
//! resident memory of the process itself (the tracer, not its tracees).
//!
//! Why not wait4's rusage alone: its ru_maxrss covers the process and its reaped children,
//! so under a tracer that forks its tracee it reports the larger of the two (python's, on
//! the python workload). For the tracer's own peak the bench traces it with ptrace (it
//! asks for PTRACE_TRACEME before its exec, so even a process that exits at once is
//! caught), resumes it at once, and reads VmHWM from /proc/PID/status at its exit stop,
//! when it is done but its memory is still there: the exact final high-water mark. Being
//! traced costs the tracer a stop per signal it receives (SIGCHLD on each tracee stop),
//! so only runs made for memory are watched, never timed ones.
//!
//! Timed runs also give the process's own CPU time, which a loaded machine disturbs far
//! less than wall time: it is read from /proc/PID/schedstat after the process has exited
//! but before it is reaped (waitid with WNOWAIT), so it excludes the tracees. It is the
//! main thread's time; the tracers measured are single-threaded.

use std::fs::File;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

#[derive(Debug, Clone)]
pub struct Run {
    pub wall: Duration,
    /// The exit code, or 128 + signal.
    pub exit_code: i32,
    /// ru_maxrss from wait4, KiB: the process or its largest reaped descendant.
    pub max_rss_with_children_kib: u64,
    /// The process's own VmHWM when it exited, KiB (only when asked for).
    pub own_peak_rss_kib: Option<u64>,
    /// The CPU time of the process's main thread, ns (not in watched runs).
    pub own_cpu_ns: Option<u64>,
    pub stderr: String,
}

impl Run {
    /// One line saying why a run failed, for the report.
    pub fn failure(&self) -> Option<String> {
        if self.exit_code == 0 {
            return None;
        }
        let last = self.stderr.lines().rev().find(|l| !l.trim().is_empty());
        Some(match last {
            Some(line) => format!("exit {}: {}", self.exit_code, line.trim()),
            None => format!("exit {}", self.exit_code),
        })
    }
}

/// Runs `argv` with stdin and stdout on /dev/null and stderr in `stderr_file`; with
/// `watch_memory`, also finds the process's own peak memory (see the module doc).
pub fn run(argv: &[String], stderr_file: &Path, watch_memory: bool) -> Result<Run> {
    let Some((program, args)) = argv.split_first() else {
        bail!("empty command");
    };
    let stderr = File::create(stderr_file)
        .with_context(|| format!("cannot create {}", stderr_file.display()))?;
    let mut command = Command::new(program);
    if watch_memory {
        // SAFETY: the hook runs between fork and exec and only makes one syscall.
        unsafe {
            command.pre_exec(|| match libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            });
        }
    }
    let start = Instant::now();
    let child = command
        .args(args)
        // `cargo xtask` runs us with cargo's LD_LIBRARY_PATH; left in, every dynamic
        // program would first search those directories (~150 more syscalls each start).
        .env_remove("LD_LIBRARY_PATH")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .with_context(|| format!("cannot run {program}"))?;
    let pid = child.id() as libc::pid_t;

    let own_cpu_ns = if watch_memory {
        None
    } else {
        wait_for_exit_unreaped(pid)?;
        cpu_ns(pid)
    };
    let mut own_peak_rss_kib = None;
    let mut first_stop = true;
    let (status, usage) = loop {
        let (status, usage) = wait(pid)?;
        if !libc::WIFSTOPPED(status) {
            break (status, usage);
        }
        // Only a watched process stops: first after its exec, then at later execs (taskset
        // runs the tracer), at its exit, and to receive signals, which are passed on.
        let signal = if first_stop {
            first_stop = false;
            let options = libc::PTRACE_O_TRACEEXIT | libc::PTRACE_O_TRACEEXEC;
            // SAFETY: pid is our stopped tracee; no memory is passed.
            if unsafe { libc::ptrace(libc::PTRACE_SETOPTIONS, pid, 0, options) } != 0 {
                return Err(std::io::Error::last_os_error()).context("PTRACE_SETOPTIONS");
            }
            0
        } else if status >> 8 == (libc::SIGTRAP | (libc::PTRACE_EVENT_EXIT << 8)) {
            own_peak_rss_kib = vm_hwm_kib(pid);
            0
        } else if status >> 16 != 0 {
            0 // another ptrace event: an exec
        } else {
            libc::WSTOPSIG(status)
        };
        // SAFETY: pid is our stopped tracee; the signal is passed on as it came.
        unsafe { libc::ptrace(libc::PTRACE_CONT, pid, 0, signal) };
    };
    let wall = start.elapsed();
    if watch_memory && own_peak_rss_kib.is_none() {
        bail!("the exit of {program} was not seen; its memory is unknown");
    }

    let exit_code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    let mut stderr = String::new();
    File::open(stderr_file)
        .and_then(|mut f| f.read_to_string(&mut stderr))
        .with_context(|| format!("cannot read {}", stderr_file.display()))?;
    Ok(Run {
        wall,
        exit_code,
        max_rss_with_children_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        own_peak_rss_kib,
        own_cpu_ns,
        stderr,
    })
}

/// Waits until `pid` has exited, leaving it a zombie whose /proc entry can still be read.
fn wait_for_exit_unreaped(pid: libc::pid_t) -> Result<()> {
    loop {
        // SAFETY: siginfo is plain data, filled in by the kernel.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: a valid pointer to a local; pid is our unreaped child.
        let done = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if done == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).context("waitid");
        }
    }
}

/// The first field of /proc/PID/schedstat: time spent on a CPU, ns.
fn cpu_ns(pid: libc::pid_t) -> Option<u64> {
    let schedstat = std::fs::read_to_string(format!("/proc/{pid}/schedstat")).ok()?;
    schedstat.split_whitespace().next()?.parse().ok()
}

/// wait4 on our child, retried on EINTR.
fn wait(pid: libc::pid_t) -> Result<(i32, libc::rusage)> {
    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals; pid is our unreaped child.
        if unsafe { libc::wait4(pid, &mut status, libc::__WALL, &mut usage) } == pid {
            return Ok((status, usage));
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).context("wait4");
        }
    }
}

/// VmHWM of a live (or exit-stopped) process, KiB.
fn vm_hwm_kib(pid: libc::pid_t) -> Option<u64> {
    parse_vm_hwm(&std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?)
}

fn parse_vm_hwm(status: &str) -> Option<u64> {
    let value = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    value.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_high_water_mark() {
        let status = "Name:\tx\nVmPeak:\t  9000 kB\nVmHWM:\t    1234 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(1234));
        assert_eq!(parse_vm_hwm("Name:\tzombie\nState:\tZ\n"), None);
    }

    fn scratch_dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn measures_exit_code_own_memory_and_stderr() {
        let scratch = scratch_dir();
        let stderr = scratch.path().join("stderr");
        // bash keeps an 8 MiB string (about twice that resident while reading it) and
        // fails with a message; before that a child bash does the same with 32 MiB,
        // which the own peak must not include and wait4's figure must.
        let script = "bash -c 'y=$(head -c 33554432 /dev/zero | tr \\\\0 a)'; \
                      x=$(head -c 8388608 /dev/zero | tr '\\0' a); \
                      echo gone wrong >&2; exit 3";
        let argv: Vec<String> = ["bash", "-c", script].map(String::from).to_vec();
        let run = run(&argv, &stderr, true).unwrap();
        assert_eq!(run.exit_code, 3);
        assert_eq!(run.failure().as_deref(), Some("exit 3: gone wrong"));
        let own = run.own_peak_rss_kib.expect("bash's exit was seen");
        assert!(
            (8 * 1024..60 * 1024).contains(&own),
            "bash held 8 MiB, its own peak reads {own} KiB"
        );
        assert!(run.max_rss_with_children_kib >= 64 * 1024, "{run:?}");
    }

    #[test]
    fn unwatched_runs_report_cpu_not_memory_and_signals_pass() {
        let scratch = scratch_dir();
        let stderr = scratch.path().join("stderr-signal");
        let argv: Vec<String> = ["sh", "-c", "kill -TERM $$"].map(String::from).to_vec();
        let unwatched = run(&argv, &stderr, false).unwrap();
        assert_eq!(unwatched.exit_code, 128 + 15);
        assert!(unwatched.own_peak_rss_kib.is_none());
        assert!(unwatched.own_cpu_ns.is_some_and(|ns| ns > 0));
        // Watched, the signal goes through the ptrace stop and must still kill it.
        let watched = run(&argv, &stderr, true).unwrap();
        assert_eq!(watched.exit_code, 128 + 15);
        assert!(watched.own_peak_rss_kib.is_some());
    }
}
