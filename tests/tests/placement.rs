//! The default CPU placement seen from a traced command: a parallel program's computing
//! threads end up able to run on every CPU they were given, whether rtrace traces them
//! (-f) or not (their untraced parent is the tracee, or they are its untraced threads),
//! and rtrace stays single-threaded while it traces one thread (a traced program can
//! tell: the kernel refuses KEYCTL_SESSION_TO_PARENT when its parent has threads). No
//! timing is asserted: the tests
//! wait, with a limit only a hung tracer reaches, for the affinities to be what they
//! must, and a test of the test shows that `--cpu-placement same-cpu`, which keeps
//! them on one CPU, fails the same check. While traced threads compute on every CPU,
//! rtrace's own wait loop must be free to run on every CPU too.
//!
//! The program is `tests/fixtures/compute_threads.c`: it prints its pid, computes in two
//! threads until its stdin ends, then exits. A command detached alive (`-b execve`) must
//! also get every CPU back.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use rtrace_tests::{fixture, Tracer};

/// Longer than the policy needs by far (a few milliseconds of computing); only a hung
/// or broken placement reaches it.
const LIMIT: Duration = Duration::from_secs(60);

/// How long the test of the test watches threads that must stay on one CPU.
const WATCH: Duration = Duration::from_secs(2);

fn cpus_allowed(status: &str) -> Option<String> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .map(|v| v.trim().to_owned())
}

/// The CPUs this test may use: what the traced command is given.
fn own_cpus() -> String {
    let status = fs::read_to_string("/proc/self/status").expect("own status");
    let own = cpus_allowed(&status).expect("Cpus_allowed_list in /proc/self/status");
    assert!(
        own.contains(['-', ',']),
        "this test needs at least two CPUs to tell placements apart; it runs on {own}"
    );
    own
}

/// Each thread of `pid` (all, or all but the main thread) with its allowed CPUs.
fn thread_cpus(pid: u32, with_main: bool) -> Vec<(u32, String)> {
    let Ok(dir) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    let mut threads: Vec<(u32, String)> = dir
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|&tid| with_main || tid != pid)
        .filter_map(|tid| {
            let status = fs::read_to_string(format!("/proc/{pid}/task/{tid}/status")).ok()?;
            Some((tid, cpus_allowed(&status)?))
        })
        .collect();
    threads.sort();
    threads
}

/// rtrace running the compute program, whose stdin the test holds.
struct Traced {
    rtrace: Child,
    stdin: Option<ChildStdin>,
    /// The compute program's pid.
    pid: u32,
}

impl Traced {
    /// `rtrace OPTIONS -o /dev/null COMMAND...`, where the command prints the compute
    /// program's pid first.
    fn start(options: &[&str], command: &[&str]) -> Traced {
        let mut rtrace = Command::new(Tracer::Rtrace.binary())
            .args(options)
            .args(["-o", "/dev/null"])
            .args(command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("rtrace starts");
        let stdin = rtrace.stdin.take();
        let mut line = String::new();
        BufReader::new(rtrace.stdout.take().expect("stdout piped"))
            .read_line(&mut line)
            .expect("the compute program prints its pid");
        let pid = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("a pid, not {line:?}"));
        Traced { rtrace, stdin, pid }
    }

    /// Polls until every thread `with_main` or not has `cpus`, or `limit` passes;
    /// returns the threads as last seen, and whether they all had it.
    fn wait_for(&self, cpus: &str, with_main: bool, limit: Duration) -> (bool, Vec<(u32, String)>) {
        let start = Instant::now();
        loop {
            let threads = thread_cpus(self.pid, with_main);
            let all = threads.len() >= 2 && threads.iter().all(|(_, c)| c == cpus);
            if all || start.elapsed() > limit {
                return (all, threads);
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Polls until rtrace's main thread (its wait loop) has `cpus`, or `limit` passes;
    /// returns whether it got them, and what it had last.
    fn tracer_waits_for(&self, cpus: &str, limit: Duration) -> (bool, Option<String>) {
        let start = Instant::now();
        loop {
            let status = fs::read_to_string(format!("/proc/{}/status", self.rtrace.id()));
            let has = status.ok().as_deref().and_then(cpus_allowed);
            if has.as_deref() == Some(cpus) || start.elapsed() >= limit {
                return (has.as_deref() == Some(cpus), has);
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Ends the compute program (its stdin closes) and the trace; rtrace's exit status.
    fn finish(mut self) -> Option<i32> {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"");
        }
        self.rtrace.wait().expect("rtrace is waited for").code()
    }
}

impl Drop for Traced {
    fn drop(&mut self) {
        // A failed assertion must not leave the compute program running.
        if self.stdin.is_some() {
            let _ = self.rtrace.kill();
            let _ = Command::new("kill")
                .args(["-KILL", &self.pid.to_string()])
                .status();
            let _ = self.rtrace.wait();
        }
    }
}

fn compute_program() -> String {
    fixture("compute_threads").display().to_string()
}

#[test]
fn traced_compute_threads_get_every_cpu_they_were_given() {
    let own = own_cpus();
    let program = compute_program();
    let traced = Traced::start(&["-f"], &[&program, "2"]);
    let (all, threads) = traced.wait_for(&own, false, LIMIT);
    assert!(
        all,
        "the computing threads of a traced program must end up on the CPUs it was given \
         ({own}); seen: {threads:?}"
    );
    // The tracer follows them off its CPU, so that their stops do not preempt the one
    // it was pinned to (its wait loop is rtrace's main thread).
    let (followed, tracer) = traced.tracer_waits_for(&own, LIMIT);
    assert!(
        followed,
        "while tracees compute on every CPU, rtrace's wait loop must be free to run on \
         them ({own}); it has {tracer:?}"
    );
    assert_eq!(traced.finish(), Some(0));
}

#[test]
fn the_check_fails_when_threads_stay_on_one_cpu() {
    // The test of the test: `--cpu-placement same-cpu` keeps every tracee on rtrace's
    // CPU, so the check above must not pass on it.
    let own = own_cpus();
    let program = compute_program();
    let traced = Traced::start(&["-f", "--cpu-placement", "same-cpu"], &[&program, "2"]);
    let (all, threads) = traced.wait_for(&own, false, WATCH);
    assert!(
        !all,
        "same-cpu must keep the threads on one CPU: {threads:?}"
    );
    assert_eq!(threads.len(), 2, "two workers were seen: {threads:?}");
    assert!(
        threads.iter().all(|(_, c)| !c.contains(['-', ','])),
        "{threads:?}"
    );
    let (followed, tracer) = traced.tracer_waits_for(&own, Duration::ZERO);
    assert!(!followed, "same-cpu keeps rtrace on one CPU: {tracer:?}");
    assert_eq!(traced.finish(), Some(0));
}

#[test]
fn untraced_children_of_the_command_get_every_cpu_it_was_given() {
    // Without -f, the shell is traced and the compute program, its child, is not: no
    // stop ever shows it computing, so it must get its CPUs back at once.
    let own = own_cpus();
    let program = compute_program();
    let script = format!("{program} 2; true");
    let traced = Traced::start(&[], &["sh", "-c", &script]);
    let (all, threads) = traced.wait_for(&own, true, LIMIT);
    assert!(
        all,
        "every thread of the untraced child must end up on the CPUs the command was \
         given ({own}); seen: {threads:?}"
    );
    assert_eq!(traced.finish(), Some(0));
}

#[test]
fn a_command_detached_alive_gets_its_cpus_back() {
    // `-b execve` detaches the shell at its exec: grep then runs untraced and reads its
    // own CPUs. Under both placements that pin the command, it must see them all.
    let own = own_cpus();
    for placement in ["adaptive", "same-cpu"] {
        let out = Tracer::Rtrace.run(&[
            "--cpu-placement",
            placement,
            "-o",
            "/dev/null",
            "-b",
            "execve",
            "sh",
            "-c",
            "exec grep Cpus_allowed_list /proc/self/status",
        ]);
        assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
        let seen = cpus_allowed(&String::from_utf8_lossy(&out.stdout));
        assert_eq!(
            seen.as_deref(),
            Some(own.as_str()),
            "{placement}: {}",
            out.dump()
        );
    }
}

#[test]
fn untraced_threads_of_the_command_get_every_cpu_it_was_given() {
    // Without -f, the compute program's main thread is traced (on rtrace's CPU) and its
    // two workers are not: they must get the CPUs the command was given at once.
    let own = own_cpus();
    let program = compute_program();
    let traced = Traced::start(&[], &[&program, "2"]);
    let (all, threads) = traced.wait_for(&own, false, LIMIT);
    assert!(
        all,
        "the untraced threads of the traced command must end up on the CPUs it was \
         given ({own}); seen: {threads:?}"
    );
    assert_eq!(traced.finish(), Some(0));
}

/// The `Threads:` line of rtrace's /proc status, as a command traced with `options`
/// reads it from its parent (rtrace) while it runs; `script` is sh's, where `$PPID`
/// is rtrace.
fn rtrace_threads_seen(options: &[&str], script: &str) -> String {
    let mut args = options.to_vec();
    args.extend(["-o", "/dev/null", "sh", "-c", script]);
    let out = Tracer::Rtrace.run(&args);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| panic!("no Threads: line in {stdout:?}"))
}

#[test]
fn rtrace_stays_single_threaded_while_it_traces_one_thread() {
    own_cpus();
    // Without -f under the default (adaptive) placement: sh is traced, and grep, its
    // forked child, is not (the command's children get its CPUs without a thread).
    let forked = "grep Threads /proc/$PPID/status; true";
    assert_eq!(rtrace_threads_seen(&[], forked), "1");
    // With -f and one tracee (sh execs grep): still no thread.
    let exec = "exec grep Threads /proc/$PPID/status";
    assert_eq!(rtrace_threads_seen(&["-f"], exec), "1");
    // The test of the test: with -f and two tracees the placement's watchdog thread
    // runs (documented), and the same check sees it.
    assert_eq!(rtrace_threads_seen(&["-f"], forked), "2");
}
