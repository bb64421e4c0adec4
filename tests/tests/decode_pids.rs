//! `-Y` (`--decode-pids=comm`) against the reference strace 7.2: a program that forks,
//! waits, signals, renames a child (each step synchronised, so that both tracers see
//! every process under the same name) and asks for every kind of id
//! (`tests/fixtures/pid_calls.c`), traced with `-f -Y` by both. Every line must be the
//! reference's, the command names included, in arguments, results, siginfo and the
//! line prefix. And `--pidns-translation` (`--decode-pids=pidns`), alone and with `-Y`: a
//! program that enters a new pid namespace (`tests/fixtures/pidns_calls.c`, which needs
//! root: without it the test fails with the fixture's reason) and prints ids from inside
//! it, each followed by strace's `/* N in strace's PID NS */`; and pids inside
//! structures (`tests/fixtures/pid_structs.c`: ucred, netlink, a descriptor's owner),
//! in and outside a pid namespace.
//!
//! What is normalised, and why (nothing else is):
//! - pid values: each run has its own. Every number the runs show as a process id (the
//!   tracees' pids from the prefixes, the tracer's from getppid, the process group and
//!   session from getpgrp and getsid) becomes a name by its role (`PID1`, `PID2`, ...
//!   in order of first appearance, `TRACER`, `PGRP`, `SID`; a 0, which the kernel
//!   gives where it shows no leader, stays 0), in the lines of the calls
//!   that print pids and in signal lines, so a pid printed in the wrong place still
//!   fails. The processes inside a new pid namespace see only the namespace's own ids,
//!   which a fresh namespace gives out from 1 the same way each run: they are kept as
//!   printed, and in these processes' lines only the tracer's ids in the translation
//!   comments are renamed (a small id such as 1 or 2 is never renamed, so it cannot be
//!   confused with a tracer's pid that happens to be small, nor hide a wrong one).
//! - the tracer's own command name: the traced program is named after the tracer until
//!   its execve, and getppid names the tracer. strace's is its file name cut to 15
//!   bytes, rtrace's `rtrace`: both become `TRACER`.
//! - before both, the shared normaliser's rules (addresses ASLR chooses, padding, CPU
//!   times), without its pid rules: what is left where a pid goes (0, -1) is compared.
#![cfg(target_arch = "x86_64")]

use std::collections::BTreeMap;

use rtrace_tests::trace::{join_resumed, parse};
use rtrace_tests::{compare, fixture, fixture_i386, Level, Normaliser, Outcome, Tracer};

/// The kernel's limit on a command name (TASK_COMM_LEN without the NUL).
const COMM_LEN: usize = 15;

/// The tracer's own command name, as `/proc/PID/comm` shows the program it runs.
fn tracer_comm(tracer: Tracer) -> String {
    let binary = tracer.binary();
    let name = binary
        .file_name()
        .expect("the tracer has a file name")
        .to_string_lossy()
        .into_owned();
    name.chars().take(COMM_LEN).collect()
}

/// The number after `= ` on the first line of a call to `name`.
fn result_of(trace: &[String], name: &str) -> Option<String> {
    let call = format!("{name}(");
    trace.iter().find_map(|line| {
        let text = parse(std::slice::from_ref(line)).pop()?.text;
        if !text.starts_with(&call) {
            return None;
        }
        let value = text.rsplit_once("= ")?.1;
        let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty()).then_some(digits)
    })
}

/// The calls of the fixture that print pids, and signal lines (si_pid): only their
/// lines have pids renamed, so that a length or an offset that happens to equal a pid
/// (mmap's, the loader's) stays as printed.
const PID_CALLS: &[&str] = &[
    "getpid",
    "getppid",
    "gettid",
    "getpgrp",
    "getpgid",
    "getsid",
    "setpgid",
    "kill",
    "tgkill",
    "tkill",
    "sched_getparam",
    "sched_getscheduler",
    "prlimit64",
    "getpriority",
    "clone",
    "wait4",
    "waitid",
    "set_tid_address",
];

fn shows_pids(text: &str, calls: &[&str]) -> bool {
    text.starts_with("--- ")
        || calls.iter().any(|name| {
            text.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('('))
        })
}

/// Replaces every whole-word occurrence of `number` (also as `-number`) by `name`.
fn rename_number(line: &str, number: &str, name: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(number) {
        let before_ok = !rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let after = &rest[at + number.len()..];
        let after_ok = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        out.push_str(&rest[..at]);
        out.push_str(if before_ok && after_ok { name } else { number });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The trace as comparable lines: calls joined across `<unfinished ...>`, grouped per
/// process in pid order, each line `<comm from the prefix> text`, the shared
/// normaliser's rules applied, then pids and the tracer's name renamed by role.
/// How a trace's pids are renamed.
struct Roles {
    /// The calls whose first result names a process by its role.
    results: &'static [(&'static str, &'static str)],
    /// The tracees (in order of first appearance) from this one on live in a pid
    /// namespace of their own: in their lines only translations are renamed.
    nested_from: usize,
    /// The calls whose lines show pids (and signal lines).
    calls: &'static [&'static str],
}

/// pid_calls: every tracee in the tracer's namespace; the parent, group and session by
/// their role.
const FLAT: Roles = Roles {
    results: &[
        ("getppid", "TRACER"),
        ("getpgrp", "PGRP"),
        ("getsid", "SID"),
    ],
    nested_from: usize::MAX,
    calls: PID_CALLS,
};

/// pidns_calls: the first tracee (which asks for its parent first) in the tracer's
/// namespace, the others in the one it made (their groups and sessions are their own:
/// 0 or a namespace id).
const NESTED: Roles = Roles {
    results: &[("getppid", "TRACER")],
    nested_from: 1,
    calls: PID_CALLS,
};

/// pid_structs: pids inside structures, made by the first tracee in the tracer's pid
/// namespace and again by the second, in one of its own.
const STRUCTS: Roles = Roles {
    results: &[],
    nested_from: 1,
    calls: &[
        "getpid",
        "getsockopt",
        "sendmsg",
        "recvmsg",
        "connect",
        "sendto",
        "clone",
        "wait4",
        "set_tid_address",
        "setpgid",
        "getpgrp",
        "fcntl",
        "ioctl",
    ],
};

/// strace's translation comment after an id.
const TRANSLATION: &str = " in strace's PID NS */";

/// Renames the id in each ` /* N in strace's PID NS */` of `line` by `names`.
fn rename_translations(line: &str, names: &[(String, String)]) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(end) = rest.find(TRANSLATION) {
        let head = &rest[..end];
        match head.rfind("/* ") {
            Some(open) => {
                let number = &head[open + 3..];
                let name = names
                    .iter()
                    .find(|(n, _)| n == number)
                    .map_or(number, |(_, name)| name.as_str());
                out.push_str(&head[..open + 3]);
                out.push_str(name);
            }
            None => out.push_str(head),
        }
        out.push_str(TRANSLATION);
        rest = &rest[end + TRANSLATION.len()..];
    }
    out.push_str(rest);
    out
}

fn comparable(
    outcome: &Outcome,
    tracer: Tracer,
    normaliser: &Normaliser,
    roles: &Roles,
) -> Vec<String> {
    let trace = &outcome.trace;
    let events = join_resumed(parse(trace));
    let mut names: Vec<(String, String)> = Vec::new();
    // The tracees in order of first appearance.
    let mut seen: Vec<u32> = Vec::new();
    for pid in events.iter().filter_map(|e| e.pid) {
        if !seen.contains(&pid) {
            seen.push(pid);
        }
    }
    for (i, pid) in seen.iter().enumerate() {
        names.push((pid.to_string(), format!("PID{}", i + 1)));
    }
    for &(call, role) in roles.results {
        let number = result_of(trace, call).unwrap_or_else(|| {
            panic!(
                "{} shows no {call} result: the fixture changed?",
                tracer.name()
            )
        });
        // 0 is no process: the kernel answers 0 for a group or session whose leader
        // is outside the caller's pid namespace, or that was never begun (a runner
        // that is pid 1 and never called setsid: CI's getsid gave 0), and renaming it
        // would turn every 0 in these lines into a role name.
        if number != "0" {
            names.push((number, role.to_owned()));
        }
    }
    let comm = tracer_comm(tracer);
    let texts: Vec<String> = events.iter().map(|event| event.text.clone()).collect();
    // The shared rules first, over the whole trace at once (the heap's addresses are
    // known from its brk calls), so that a CPU time or an address they hide cannot
    // have a small pid (as in a fresh pid namespace) renamed inside it.
    let rank_of = |pid: Option<u32>| {
        pid.and_then(|p| seen.iter().position(|s| *s == p))
            .unwrap_or(usize::MAX)
    };
    let normalised: Vec<String> = normaliser
        .lines(&texts)
        .into_iter()
        .zip(&events)
        .map(|(line, event)| {
            let text = line.replace(&format!("<{comm}>"), "<TRACER>");
            let nested = event.pid.is_some() && rank_of(event.pid) >= roles.nested_from;
            if nested {
                rename_translations(&text, &names)
            } else if shows_pids(&text, roles.calls) {
                names.iter().fold(text, |text, (number, name)| {
                    rename_number(&text, number, name)
                })
            } else {
                text
            }
        })
        .collect();
    let mut per_pid: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (event, text) in events.iter().zip(normalised) {
        let rank = rank_of(event.pid);
        let prefix = match &event.comm {
            Some(c) if *c == comm => "<TRACER>".to_owned(),
            Some(c) => format!("<{c}>"),
            None => "<>".to_owned(),
        };
        per_pid
            .entry(rank)
            .or_default()
            .push(format!("{prefix} {text}"));
    }
    per_pid.into_values().flatten().collect()
}

fn run(tracer: Tracer, options: &[&str]) -> (Outcome, Vec<String>) {
    run_program(tracer, options, false)
}

/// As [`run`], for the native program or (`i386`) its static 32-bit x86 build.
fn run_program(tracer: Tracer, options: &[&str], i386: bool) -> (Outcome, Vec<String>) {
    let program = if i386 {
        fixture_i386("pid_calls")
    } else {
        fixture("pid_calls")
    };
    let program = program.to_str().expect("fixture paths are UTF-8");
    let mut normaliser = Normaliser::new()
        .replacing(program, "$PROGRAM")
        .keeping_pids();
    if i386 {
        normaliser = normaliser.with_32_bit_addresses();
    }
    let outcome = tracer.trace(options, &[program]);
    let lines = comparable(&outcome, tracer, &normaliser, &FLAT);
    (outcome, lines)
}

const REFERENCE: Tracer = Tracer::Oracle("x86_64");

/// What the reference must show for the case to test what it says: names after pids
/// in results, arguments, siginfo and the prefix, a renamed child, bare groups and
/// bare ids of processes that are gone.
const SHOWN: &[&str] = &[
    "<pid_calls> getpid() = PID1<pid_calls>",
    "<pid_calls> getppid() = TRACER<TRACER>",
    "<pid_calls> gettid() = PID1<pid_calls>",
    "<pid_calls> tgkill(PID1<pid_calls>, PID1<pid_calls>, SIGUSR1) = 0",
    "si_pid=PID1<pid_calls>",
    "<pid_calls> kill(-PID3, 0) = 0",
    "<pid_calls> setpgid(PID3<pid_calls>, PID3) = 0",
    "<renamed\\74kid\\76> getpid() = PID2<renamed\\74kid\\76>",
    "<pid_calls> kill(PID3, 0) = -1 ESRCH (No such process)",
    "<pid_calls> kill(PID2<pid_calls>, 0) = 0",
    "<pid_calls> kill(PID2<renamed\\74kid\\76>, 0) = 0",
    "<pid_calls> wait4(PID2<renamed\\74kid\\76>, ",
    "<TRACER> execve(",
];

#[test]
fn command_names_match_the_reference() {
    let options = ["-f", "-Y"];
    let (expected, expected_lines) = run(REFERENCE, &options);
    let (actual, actual_lines) = run(Tracer::Rtrace, &options);
    let reference = expected_lines.join("\n");
    let mut missing: Vec<_> = SHOWN.iter().filter(|s| !reference.contains(*s)).collect();
    // The group is bare either way: named by its role, or 0 where the kernel shows no
    // leader (see `comparable`).
    let bare_group = [
        "<pid_calls> getpgrp() = PGRP\n",
        "<pid_calls> getpgrp() = 0\n",
    ];
    if !bare_group.iter().any(|line| reference.contains(line)) {
        missing.push(&bare_group[0]);
    }
    assert!(
        missing.is_empty(),
        "the reference does not show {missing:?}: the case does not test what it says\n{reference}"
    );
    let comparison = compare(&expected_lines, &actual_lines, Level::FullLine);
    println!(
        "-f -Y: {:.1}% of {} lines",
        comparison.ratio() * 100.0,
        expected_lines.len()
    );
    assert!(
        comparison.ratio() == 1.0,
        "rtrace -Y differs from strace -Y:\n{}",
        comparison.report(30)
    );
    assert_eq!(
        (expected.exit_code(), expected.signal()),
        (actual.exit_code(), actual.signal()),
        "{}",
        actual.stderr
    );
}

/// The i386 personality: the same decoders, against the i686 reference.
#[test]
fn command_names_match_the_reference_for_i386() {
    let options = ["-f", "-Y"];
    let (_, expected_lines) = run_program(Tracer::Oracle("i686"), &options, true);
    let (_, actual_lines) = run_program(Tracer::Rtrace, &options, true);
    let reference = expected_lines.join("\n");
    assert!(
        reference.contains("getpid() = PID1<pid_calls>"),
        "the reference shows no names:\n{reference}"
    );
    let comparison = compare(&expected_lines, &actual_lines, Level::FullLine);
    assert!(
        comparison.ratio() == 1.0,
        "rtrace -Y differs from strace -Y on i386:\n{}",
        comparison.report(30)
    );
}

/// The long forms are the same option.
#[test]
fn long_forms_match_the_reference() {
    for options in [
        &["-f", "--decode-pids=comm"][..],
        &["-f", "-e", "decode-pids=comm"][..],
    ] {
        let (_, expected_lines) = run(REFERENCE, options);
        let (_, actual_lines) = run(Tracer::Rtrace, options);
        let comparison = compare(&expected_lines, &actual_lines, Level::FullLine);
        assert!(
            comparison.ratio() == 1.0,
            "{options:?}:\n{}",
            comparison.report(30)
        );
    }
}

/// -Y beside -N: each pid argument is named and followed by its command name.
#[test]
fn names_with_argument_names_match_the_reference() {
    let options = ["-f", "-Y", "-N"];
    let (_, expected_lines) = run(REFERENCE, &options);
    let (_, actual_lines) = run(Tracer::Rtrace, &options);
    let reference = expected_lines.join("\n");
    for shown in [
        "<pid_calls> tgkill(tgid=PID1<pid_calls>, tid=PID1<pid_calls>, signum=SIGUSR1) = 0",
        "<pid_calls> kill(pid=PID2<renamed\\74kid\\76>, signum=0) = 0",
        "<pid_calls> setpgid(pid=PID3<pid_calls>, pgid=PID3) = 0",
    ] {
        assert!(
            reference.contains(shown),
            "the reference does not show {shown:?}: the case does not test what it says\n{reference}"
        );
    }
    let comparison = compare(&expected_lines, &actual_lines, Level::FullLine);
    assert!(
        comparison.ratio() == 1.0,
        "rtrace -Y -N differs from strace -Y -N:\n{}",
        comparison.report(30)
    );
}

/// The test of the test: rtrace without -Y must fail against the reference with -Y,
/// and so must a trace whose one name is wrong.
#[test]
fn a_trace_without_names_fails_the_comparison() {
    let (_, expected_lines) = run(REFERENCE, &["-f", "-Y"]);
    let (_, plain) = run(Tracer::Rtrace, &["-f"]);
    assert!(compare(&expected_lines, &plain, Level::FullLine).ratio() < 1.0);

    let mut wrong = expected_lines.clone();
    let at = wrong
        .iter()
        .position(|l| l.contains("getppid()"))
        .expect("the reference calls getppid");
    wrong[at] = wrong[at].replace("TRACER<TRACER>", "TRACER<pid_calls>");
    let comparison = compare(&expected_lines, &wrong, Level::FullLine);
    assert!(comparison.ratio() < 1.0, "a wrong name passed");
}

/// `--json -Y`: a pid keeps its number and gains the name beside it; a group does not.
#[test]
fn json_pids_carry_the_name() {
    let program = fixture("pid_calls");
    let program = program.to_str().expect("fixture paths are UTF-8");
    let outcome = Tracer::Rtrace.trace(&["--json", "-Y", "-e", "trace=getpid,getpgrp"], &[program]);
    let events: Vec<serde_json::Value> = outcome
        .trace
        .iter()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    let result_of = |name: &str| {
        events
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", outcome.trace))["return_value"]
            .clone()
    };
    let getpid = result_of("getpid");
    assert!(getpid["int"].is_i64(), "{getpid}");
    assert_eq!(getpid["comm"], "pid_calls", "{getpid}");
    let getpgrp = result_of("getpgrp");
    assert!(
        getpgrp["int"].is_i64() && getpgrp.get("comm").is_none(),
        "{getpgrp}"
    );
}

/// Traces pidns_calls with `options`: its outcome and comparable lines. The fixture
/// exits 2 with the reason when it cannot make a pid namespace (not root): the test
/// then fails with that reason.
fn run_nested(tracer: Tracer, options: &[&str]) -> (Outcome, Vec<String>) {
    run_in_namespace("pidns_calls", &NESTED, tracer, options)
}

/// As [`run_nested`], for the fixture `name` with its `roles`.
fn run_in_namespace(
    name: &str,
    roles: &Roles,
    tracer: Tracer,
    options: &[&str],
) -> (Outcome, Vec<String>) {
    let program = fixture(name);
    let program = program.to_str().expect("fixture paths are UTF-8");
    let normaliser = Normaliser::new()
        .replacing(program, "$PROGRAM")
        .keeping_pids();
    let outcome = tracer.trace(options, &[program]);
    assert_eq!(
        outcome.exit_code(),
        Some(0),
        "{} {options:?} {name} {}: {}",
        tracer.name(),
        outcome.describe(),
        outcome.stderr
    );
    let lines = comparable(&outcome, tracer, &normaliser, roles);
    (outcome, lines)
}

/// Compares rtrace with the reference under `options` on pidns_calls, after checking
/// that the reference shows each of `shown` (so the case tests what it says).
fn nested_matches_the_reference(options: &[&str], shown: &[&str]) {
    fixture_matches_the_reference("pidns_calls", &NESTED, options, shown);
}

/// As [`nested_matches_the_reference`], for the fixture `name` with its `roles`.
fn fixture_matches_the_reference(name: &str, roles: &Roles, options: &[&str], shown: &[&str]) {
    let (_, expected_lines) = run_in_namespace(name, roles, REFERENCE, options);
    let (_, actual_lines) = run_in_namespace(name, roles, Tracer::Rtrace, options);
    let reference = expected_lines.join("\n");
    // An entry may name alternatives, " || " between them.
    let missing: Vec<_> = shown
        .iter()
        .filter(|s| {
            !s.split(" || ")
                .any(|alternative| reference.contains(alternative))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "the reference does not show {missing:?}: the case does not test what it says\n{reference}"
    );
    let comparison = compare(&expected_lines, &actual_lines, Level::FullLine);
    println!(
        "{options:?}: {:.1}% of {} lines",
        comparison.ratio() * 100.0,
        expected_lines.len()
    );
    assert!(
        comparison.ratio() == 1.0,
        "rtrace {options:?} differs from strace:\n{}",
        comparison.report(30)
    );
}

/// `--pidns-translation`: ids inside the namespace in results (getpid, gettid, getppid,
/// getpgrp, getsid, getpgid, clone), arguments (kill of a process and of a group,
/// tgkill, sched_getscheduler, wait4) and siginfo are followed by the tracer's id; 0,
/// the tracee that stayed outside and an id whose process is gone (wait4's result) are
/// not; setsid's result is not an id strace translates. clone3's parent_tid is a thread
/// id too.
#[test]
fn pidns_translation_matches_the_reference() {
    let shown = [
        "<> getpid() = PID1\n",
        "<> clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=",
        ") = PID2\n",
        "<> getpid() = 1 /* PID2 in strace's PID NS */",
        "<> gettid() = 1 /* PID2 in strace's PID NS */",
        "<> getppid() = 0\n",
        "<> tgkill(1 /* PID2 in strace's PID NS */, 1 /* PID2 in strace's PID NS */, SIGUSR1) = 0",
        "si_pid=1 /* PID2 in strace's PID NS */",
        "<> sched_getscheduler(1 /* PID2 in strace's PID NS */) = 0 (SCHED_OTHER)",
        ") = 2 /* PID3 in strace's PID NS */",
        "<> setsid() = 2\n",
        "<> getppid() = 1 /* PID2 in strace's PID NS */",
        "<> getpgrp() = 2 /* PID3 in strace's PID NS */",
        "<> getsid(0) = 2 /* PID3 in strace's PID NS */",
        "<> kill(-2 /* PID3 in strace's PID NS */, 0) = 0",
        "<> getpgid(2 /* PID3 in strace's PID NS */) = 2 /* PID3 in strace's PID NS */",
        "si_pid=2 /* PID3 in strace's PID NS */",
        "<> wait4(2 /* PID3 in strace's PID NS */, [{WIFEXITED(s) && WEXITSTATUS(s) == 5}], 0, NULL) = 2\n",
        " => {parent_tid=[3 /* PID4 in strace's PID NS */]}, 64) = 3 /* PID4 in strace's PID NS */\n",
    ];
    for options in [
        &["-f", "--pidns-translation"][..],
        &["-f", "--decode-pids=pidns"][..],
        &["-f", "-e", "decode-pids=pidns"][..],
    ] {
        nested_matches_the_reference(options, &shown);
    }
}

/// With `-Y`, the name is the translated process's (pid 1 in the namespace is the
/// fixture, not the machine's init), before the translation; a group's id has no name.
#[test]
fn pidns_translation_with_names_matches_the_reference() {
    let shown = [
        "<pidns_calls> getpid() = 1<pidns_calls> /* PID2 in strace's PID NS */",
        "si_pid=2<pidns_calls> /* PID3 in strace's PID NS */",
        "<pidns_calls> kill(-2 /* PID3 in strace's PID NS */, 0) = 0",
        "<pidns_calls> getpgrp() = 2 /* PID3 in strace's PID NS */",
        "<pidns_calls> getppid() = TRACER<TRACER>",
        "parent_tid=[3<pidns_calls> /* PID4 in strace's PID NS */]",
    ];
    nested_matches_the_reference(&["-f", "--decode-pids=pidns,comm"], &shown);
    nested_matches_the_reference(&["-f", "-e", "decode-pids=all"], &shown);
}

/// `-Y` alone names the translated process and prints no translation; `-Y` after
/// `--pidns-translation` replaces it, as strace's options replace the set.
#[test]
fn names_inside_a_pid_namespace_match_the_reference() {
    let shown = [
        "<pidns_calls> getpid() = 1<pidns_calls>\n",
        "si_pid=1<pidns_calls>,",
        "<pidns_calls> getpgrp() = 2\n",
    ];
    nested_matches_the_reference(&["-f", "-Y"], &shown);
    nested_matches_the_reference(
        &["-f", "--pidns-translation", "-e", "decode-pids=comm"],
        &shown,
    );
}

/// The test of the test: rtrace without the translation fails against the reference
/// with it, and so does a trace where one translation names the wrong process (the
/// renaming must not hide it).
#[test]
fn a_wrong_translation_fails_the_comparison() {
    let options = ["-f", "--pidns-translation"];
    let (reference, expected_lines) = run_nested(REFERENCE, &options);
    let (_, plain) = run_nested(Tracer::Rtrace, &["-f"]);
    assert!(compare(&expected_lines, &plain, Level::FullLine).ratio() < 1.0);

    // The raw reference trace with the first translation of the namespace's pid 2
    // (the second process) changed to the first process's pid.
    let pid_of = |rank: usize| {
        let mut seen = Vec::new();
        for pid in parse(&reference.trace).iter().filter_map(|e| e.pid) {
            if !seen.contains(&pid) {
                seen.push(pid);
            }
        }
        seen[rank]
    };
    let (first, second) = (pid_of(1), pid_of(2));
    let right = format!("2 /* {second}{TRANSLATION}");
    let wrong = format!("2 /* {first}{TRANSLATION}");
    let mut outcome = reference;
    let at = outcome
        .trace
        .iter()
        .position(|l| l.contains(&right))
        .expect("the reference translates pid 2");
    outcome.trace[at] = outcome.trace[at].replacen(&right, &wrong, 1);
    let program = fixture("pidns_calls");
    let normaliser = Normaliser::new()
        .replacing(program.to_str().unwrap(), "$PROGRAM")
        .keeping_pids();
    let wrong_lines = comparable(&outcome, REFERENCE, &normaliser, &NESTED);
    let comparison = compare(&expected_lines, &wrong_lines, Level::FullLine);
    assert!(comparison.ratio() < 1.0, "a wrong translation passed");
}

/// `--json --pidns-translation`: a pid printed inside the namespace keeps its number and
/// gains the tracer's beside it (the event's own pid is the tracer's).
#[test]
fn json_pids_carry_the_translation() {
    let program = fixture("pidns_calls");
    let program = program.to_str().expect("fixture paths are UTF-8");
    let outcome = Tracer::Rtrace.trace(
        &["--json", "-f", "--pidns-translation", "-e", "trace=getpid"],
        &[program],
    );
    assert_eq!(outcome.exit_code(), Some(0), "{}", outcome.stderr);
    let events: Vec<serde_json::Value> = outcome
        .trace
        .iter()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    let getpids: Vec<&serde_json::Value> =
        events.iter().filter(|e| e["name"] == "getpid").collect();
    assert_eq!(getpids.len(), 3, "{:?}", outcome.trace);
    // Outside: the number alone.
    assert_eq!(getpids[0]["return_value"]["int"], getpids[0]["pid"]);
    assert!(getpids[0]["return_value"].get("tracer_ns_pid").is_none());
    // Inside: 1 and 2, each with the tracer's pid of the process.
    for (event, inner) in getpids[1..].iter().zip([1, 2]) {
        let value = &event["return_value"];
        assert_eq!(value["int"], inner, "{event}");
        assert_eq!(value["tracer_ns_pid"], event["pid"], "{event}");
    }
}

/// Pids inside structures that strace prints as pids: SO_PEERCRED's and SCM_CREDENTIALS'
/// ucred, a netlink address and a netlink header, F_GETOWN_EX's owner, and F_GETOWN's
/// result (a group's, negative, bare), named under `-Y` and translated inside a pid
/// namespace.
#[test]
fn pids_in_structures_match_the_reference() {
    let translated = " /* PID2 in strace's PID NS */";
    let shown = [
        "<pid_structs> getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=PID1<pid_structs>, uid=0, gid=0}, [12]) = 0".to_owned(),
        "cmsg_data={pid=PID1<pid_structs>, uid=0, gid=0}".to_owned(),
        "{sa_family=AF_NETLINK, nl_pid=PID1<pid_structs>, nl_groups=00000000}".to_owned(),
        "nlmsg_pid=PID1<pid_structs>}".to_owned(),
        "<pid_structs> fcntl(3, F_GETOWN) = PID1<pid_structs>\n".to_owned(),
        // A group below 4096 comes back as a value the syscall convention reads as an
        // error (-4095..-1): strace then shows it as an errno, and so must rtrace.
        "<pid_structs> fcntl(3, F_GETOWN) = -PID1\n || <pid_structs> fcntl(3, F_GETOWN) = -1 (errno PID1)\n".to_owned(),
        // The same inside the namespace, translated.
        format!("{{pid=1<pid_structs>{translated}, uid=0, gid=0}}, [12]) = 0"),
        format!("cmsg_data={{pid=1<pid_structs>{translated}, uid=0, gid=0}}"),
        format!("nl_pid=1<pid_structs>{translated}, nl_groups=00000000}}"),
        format!("nlmsg_pid=1<pid_structs>{translated}}}"),
        format!("fcntl(3, F_GETOWN) = 1<pid_structs>{translated}\n"),
        format!("{{type=F_OWNER_PID, pid=1<pid_structs>{translated}}}) = 0"),
    ];
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    fixture_matches_the_reference(
        "pid_structs",
        &STRUCTS,
        &["-f", "--decode-pids=pidns,comm"],
        &shown,
    );
    let named: Vec<&str> = shown[..6].to_vec();
    fixture_matches_the_reference("pid_structs", &STRUCTS, &["-f", "-Y"], &named);
}
