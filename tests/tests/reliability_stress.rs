//! Stress with -f: many threads making many syscalls at once, and many short-lived child
//! processes. Every syscall and every exit must appear exactly once, and nothing hangs.
//!
//! The default sizes keep the suite quick on a small machine; RTRACE_STRESS_FULL=1 runs
//! the full sizes (64 threads x 10,000 calls, 1,000 children). Run with --nocapture to
//! see the figures.

mod reliability_support;

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Instant;

use regex::Regex;
use reliability_support::*;
use rtrace_tests::checks::parse_number;
use rtrace_tests::trace::{join_resumed, parse, Event};
use rtrace_tests::{fixture, Tracer};

/// What tests/fixtures/rel_stress_threads.c uses as its first descriptor.
const STRESS_FD_BASE: i64 = 5000;

fn full() -> bool {
    std::env::var_os("RTRACE_STRESS_FULL").is_some()
}

fn follow() -> Vec<&'static str> {
    let mut options = RTRACE_BASE.to_vec();
    options.push("-f");
    options
}

/// Halves of calls that were never joined: each is a call shown twice or not at all.
fn unpaired(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e.text.ends_with("<unfinished ...>") || e.text.starts_with("<... "))
        .map(|e| format!("{:?} {}", e.pid, e.text))
        .collect()
}

#[test]
fn many_threads_every_syscall_appears_exactly_once() {
    let (threads, calls) = if full() { (64, 10_000) } else { (16, 1_000) };
    let stress = fixture("rel_stress_threads");
    let (threads_arg, calls_arg) = (threads.to_string(), calls.to_string());
    let started = Instant::now();
    let out = Tracer::Rtrace.trace(&follow(), &[arg(&stress), &threads_arg, &calls_arg]);
    let elapsed = started.elapsed();
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_eq!(out.exit_code(), Some(0), "{}", out.stderr);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("calls {}\n", threads * calls)
    );

    static CLOSE: OnceLock<Regex> = OnceLock::new();
    let close =
        CLOSE.get_or_init(|| Regex::new(r"^close\((0x[0-9a-f]+|\d+)\) += -1 EBADF\b").unwrap());
    let events = join_resumed(parse(&out.trace));
    // (tid, fd) -> how many times shown.
    let mut seen: BTreeMap<(Option<u32>, i64), i64> = BTreeMap::new();
    for event in &events {
        if let Some(c) = close.captures(&event.text) {
            let fd = parse_number(&c[1]).expect("a number");
            if fd >= STRESS_FD_BASE {
                *seen.entry((event.pid, fd)).or_default() += 1;
            }
        }
    }
    let problems = unpaired(&events);
    assert!(
        problems.is_empty(),
        "{} unpaired halves, first: {:?}",
        problems.len(),
        &problems[..problems.len().min(5)]
    );
    // One tid per worker, each with its own descriptor, each call once.
    assert_eq!(
        seen.len(),
        threads as usize,
        "(tid, fd) pairs: {:?}",
        seen.keys()
    );
    let fds: std::collections::BTreeSet<i64> = seen.keys().map(|k| k.1).collect();
    let expected_fds: std::collections::BTreeSet<i64> =
        (0..threads).map(|i| STRESS_FD_BASE + i).collect();
    assert_eq!(fds, expected_fds, "a descriptor shown under two tids");
    for ((tid, fd), count) in &seen {
        assert_eq!(*count, calls, "tid {tid:?} fd {fd}");
    }
    println!(
        "stress threads: {threads} x {calls} = {} calls, {} trace lines, {:.2} s under rtrace -f",
        threads * calls,
        out.trace.len(),
        elapsed.as_secs_f64()
    );
}

#[test]
fn many_children_every_exit_appears_exactly_once() {
    let children: usize = if full() { 1_000 } else { 200 };
    let stress = fixture("rel_many_children");
    let children_arg = children.to_string();
    let started = Instant::now();
    let out = Tracer::Rtrace.trace(&follow(), &[arg(&stress), &children_arg, "16"]);
    let elapsed = started.elapsed();
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_eq!(out.exit_code(), Some(0), "{}", out.stderr);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("children {children}\n")
    );

    let events = join_resumed(parse(&out.trace));
    let problems = unpaired(&events);
    assert!(
        problems.is_empty(),
        "{} unpaired halves, first: {:?}",
        problems.len(),
        &problems[..problems.len().min(5)]
    );
    let leader = events.first().and_then(|e| e.pid).expect("pid prefixes");
    // pid -> its exit lines.
    let mut exits: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for event in &events {
        let pid = event.pid.expect("every line has a pid prefix with -f");
        exits.entry(pid).or_default();
        if event.text.starts_with("+++ ") {
            exits.get_mut(&pid).unwrap().push(&event.text);
        }
    }
    for (pid, lines) in &exits {
        assert_eq!(lines.len(), 1, "pid {pid}: {lines:?}");
    }
    assert_eq!(
        exits.len(),
        children + 1,
        "processes seen (with the leader)"
    );
    assert_eq!(exits[&leader], ["+++ exited with 0 +++"]);
    // The children's exit codes: i % 100 for i in 0..children, in any order.
    let mut codes: Vec<i64> = exits
        .iter()
        .filter(|(pid, _)| **pid != leader)
        .map(|(_, lines)| {
            let code = lines[0]
                .strip_prefix("+++ exited with ")
                .and_then(|r| r.strip_suffix(" +++"))
                .unwrap_or_else(|| panic!("not a normal exit: {}", lines[0]));
            code.parse().expect("a code")
        })
        .collect();
    codes.sort_unstable();
    let mut expected: Vec<i64> = (0..children as i64).map(|i| i % 100).collect();
    expected.sort_unstable();
    assert_eq!(codes, expected);
    // The leader's fork results (clone returns) are exactly the children's pids.
    static CLONE: OnceLock<Regex> = OnceLock::new();
    let clone = CLONE.get_or_init(|| Regex::new(r"^(?:clone|clone3|fork)\(.* += (\S+)$").unwrap());
    let mut forked: Vec<u32> = events
        .iter()
        .filter(|e| e.pid == Some(leader))
        .filter_map(|e| clone.captures(&e.text))
        .filter_map(|c| parse_number(&c[1]))
        .map(|n| n as u32)
        .collect();
    forked.sort_unstable();
    let child_pids: Vec<u32> = exits.keys().copied().filter(|&p| p != leader).collect();
    assert_eq!(forked, child_pids);
    println!(
        "stress children: {children} children, {} trace lines, {:.2} s under rtrace -f",
        out.trace.len(),
        elapsed.as_secs_f64()
    );
}
