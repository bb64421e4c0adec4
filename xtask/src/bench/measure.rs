//! Running one command and measuring it: wall time, exit status, and on request the peak
//! resident memory of the process itself (the tracer, not its tracees).
//!
//! Why not wait4's rusage alone: its ru_maxrss covers the process and its reaped children,
//! so under a tracer that forks its tracee it reports the larger of the two (python's, on
//! the python workload). The tracer's own peak is read from /proc/PID/status (VmHWM, a
//! high-water mark of its current address space) by a sampling thread. Sampling wakes a
//! CPU, which changes unpinned timings on a VM, so timed runs never sample.

use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

const SAMPLE_EVERY: Duration = Duration::from_millis(5);

#[derive(Debug, Clone)]
pub struct Run {
    pub wall: Duration,
    /// The exit code, or 128 + signal.
    pub exit_code: i32,
    /// ru_maxrss from wait4, KiB: the process or its largest reaped descendant.
    pub max_rss_with_children_kib: u64,
    /// The process's own VmHWM at the last sample before it exited, KiB.
    pub own_peak_rss_kib: Option<u64>,
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

/// Runs `argv` with stdin and stdout on /dev/null and stderr in `stderr_file`.
pub fn run(argv: &[String], stderr_file: &Path, sample_memory: bool) -> Result<Run> {
    let Some((program, args)) = argv.split_first() else {
        bail!("empty command");
    };
    let stderr = File::create(stderr_file)
        .with_context(|| format!("cannot create {}", stderr_file.display()))?;
    let start = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .with_context(|| format!("cannot run {program}"))?;
    let pid = child.id() as libc::pid_t;
    let sampler = sample_memory.then(|| PeakSampler::start(pid));

    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals; pid is our unreaped child.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).context("wait4");
        }
    }
    let wall = start.elapsed();
    let own_peak_rss_kib = sampler.and_then(PeakSampler::finish);

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
        stderr,
    })
}

/// Reads a process's VmHWM every few milliseconds until told to stop.
struct PeakSampler {
    stop: Arc<AtomicBool>,
    last_kib: Arc<AtomicU64>,
    thread: thread::JoinHandle<()>,
}

impl PeakSampler {
    fn start(pid: libc::pid_t) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let last_kib = Arc::new(AtomicU64::new(0));
        // Opened now, while the child cannot have been reaped: the directory stays bound
        // to this process even if its pid is reused later.
        let proc_dir = File::open(format!("/proc/{pid}")).ok();
        let thread = {
            let (stop, last_kib) = (stop.clone(), last_kib.clone());
            thread::spawn(move || {
                let Some(proc_dir) = proc_dir else { return };
                while !stop.load(Ordering::Relaxed) {
                    // The last sample wins, not the largest: the pid runs taskset (or
                    // the forked copy of xtask) before the tracer, and VmHWM restarts
                    // with each exec.
                    if let Some(kib) = read_vm_hwm(&proc_dir) {
                        last_kib.store(kib, Ordering::Relaxed);
                    }
                    thread::sleep(SAMPLE_EVERY);
                }
            })
        };
        PeakSampler {
            stop,
            last_kib,
            thread,
        }
    }

    fn finish(self) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        Some(self.last_kib.load(Ordering::Relaxed)).filter(|&kib| kib > 0)
    }
}

/// VmHWM from `status` in an open /proc/PID directory; None once the process has exited.
fn read_vm_hwm(proc_dir: &File) -> Option<u64> {
    // SAFETY: a valid directory fd and a NUL-terminated name; the result is checked.
    let fd = unsafe {
        libc::openat(
            proc_dir.as_raw_fd(),
            c"status".as_ptr(),
            libc::O_RDONLY | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        return None;
    }
    // SAFETY: fd was just opened and is owned by nobody else.
    let mut file = unsafe { File::from_raw_fd(fd) };
    let mut status = String::new();
    file.read_to_string(&mut status).ok()?;
    parse_vm_hwm(&status)
}

fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
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

    #[test]
    fn measures_exit_code_memory_and_stderr() {
        let dir = std::env::temp_dir().join(format!("xtask-measure-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let stderr = dir.join("stderr");
        // Holds ~32 MiB resident for a moment, then fails with a message.
        let script = "x=$(head -c 33554432 /dev/zero | tr '\\0' a); sleep 0.05; \
                      echo gone wrong >&2; exit 3";
        let argv: Vec<String> = ["bash", "-c", script].map(String::from).to_vec();
        let run = run(&argv, &stderr, true).unwrap();
        assert_eq!(run.exit_code, 3);
        assert_eq!(run.failure().as_deref(), Some("exit 3: gone wrong"));
        let own = run.own_peak_rss_kib.expect("bash was sampled");
        assert!(own > 32 * 1024, "bash held 32 MiB, sampled {own} KiB");
        assert!(run.max_rss_with_children_kib >= own);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
