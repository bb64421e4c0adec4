//! `-N` / `--arg-names` against strace 7.2 (which added it): whole lines of several
//! fixtures, each argument preceded by its name, compared line for line.
//!
//! Normalisation is the harness's own (pids, addresses, the temporary directory) plus
//! the values that change from run to run (`rtrace_tests::varying`: clocks, counters,
//! pids, ports, ids the kernel hands out). Those rules are written for unnamed arguments
//! (`^waitid\(P_PID, \d+`), so each line is compared as the list of its top-level
//! argument names followed by the line without them, the rules applied: the names are
//! always compared, in their order.
//!
//! The differences left, none of them in how names are printed except the first:
//! - time_calls: strace 7.2 prints `times(buf=buf={...})` (its decoder names the
//!   argument at entry and again at exit); rtrace prints `buf=` once (README).
//! - keys_calls (KEYCTL_REJECT's `EKEYREVOKED`), mem_policy (move_pages' `-ENOENT`):
//!   errno names a plugin cannot print yet (tests/known-differences/).
//! - fs_extra: name_to_handle_at's file handles hold a generation number that differs
//!   per file, so per run.
//! - process_children `-f`: which of a SIGCHLD and its waitid comes first, and a
//!   thread id in a futex value, are the scheduler's: that run leaves out signal lines
//!   and futex calls.

use rtrace_tests::differential::{comparable_lines, leave_out};
use rtrace_tests::varying::{self, VaryingRules};
use std::path::Path;

use rtrace_tests::{compare, fixture, fixture_i386, Comparison, Level, Normaliser, Tracer};

/// The share of strace's lines rtrace must reproduce exactly, per fixture.
const REQUIRED: f64 = 0.95;

/// The runs compared: a fixture and the options besides `-N` (`-v` for structures in
/// full, `-e raw=` for raw calls, `-f` for calls another process interrupts as
/// `<unfinished ...>`, joined with their `resumed` halves by the harness). Each gets a private directory as its
/// argument.
const RUNS: &[(&str, &[&str])] = &[
    ("fileops", &[]),
    // Calls printed raw are named by position: `close(arg1=0x3)`.
    ("fileops", &["-e", "raw=close,fstat"]),
    ("net_calls", &[]),
    ("net_calls", &["-v"]),
    ("process_ops", &[]),
    ("mem_ops", &[]),
    ("signal_calls", &[]),
    ("time_calls", &[]),
    ("fs_ops", &[]),
    ("fs_verbose", &["-v"]),
    ("fs_extra", &[]),
    ("ipc_calls", &[]),
    ("ipc_extra", &[]),
    ("sched_calls", &[]),
    ("keys_calls", &[]),
    ("aio_calls", &[]),
    ("security_calls", &[]),
    ("sysadmin_calls", &[]),
    ("mem_policy", &[]),
    ("mount_api", &[]),
    ("process_children", &["-f"]),
];

/// The top-level argument names of a line (`openat(dirfd=AT_FDCWD, ...`), each with
/// the byte range it covers (`dirfd=`).
fn arg_name_spans(line: &str) -> Vec<(usize, usize)> {
    let Some(open) = line.find('(') else {
        return Vec::new();
    };
    let bytes = line.as_bytes();
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut at_arg_start = true;
    let mut i = open + 1;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else if at_arg_start && depth == 0 {
            let name_len = bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            if name_len > 0 && bytes.get(i + name_len) == Some(&b'=') {
                spans.push((i, i + name_len + 1));
                i += name_len + 1;
                at_arg_start = false;
                continue;
            }
            at_arg_start = false;
            continue;
        } else {
            match c {
                b'"' => in_string = true,
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => break,
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 && bytes.get(i + 1) == Some(&b' ') => {
                    i += 2;
                    at_arg_start = true;
                    continue;
                }
                _ => {}
            }
        }
        i += 1;
    }
    spans
}

/// `line` compared as its argument names, then the line without them after the
/// run-to-run rules: those rules are written for unnamed arguments
/// (`^waitid\(P_PID, \d+`), and the names are compared all the same.
fn without_varying_values(line: &str, rules: &VaryingRules) -> String {
    let spans = arg_name_spans(line);
    let mut bare = String::with_capacity(line.len());
    let mut names = Vec::new();
    let mut last = 0;
    for (start, end) in &spans {
        bare.push_str(&line[last..*start]);
        names.push(&line[*start..*end - 1]);
        last = *end;
    }
    bare.push_str(&line[last..]);
    format!("[{}] {}", names.join(","), rules.apply(&bare))
}

fn rules() -> VaryingRules {
    VaryingRules::new([
        varying::TIME,
        varying::NET,
        varying::IPC,
        varying::SIGNAL,
        varying::PROCESS,
        varying::KEYS,
        varying::KCMP,
        varying::MOUNT_IDS,
    ])
}

/// Traces `name` with `-N` and `options` under strace and rtrace, each in a directory
/// of its own (named alike after normalisation: the fixtures create files there); the
/// comparison of whole lines.
fn compare_fixture(name: &str, options: &[&str]) -> Comparison {
    compare_program(name, &fixture(name), options, Normaliser::new())
}

/// As [`compare_fixture`], for the fixture built as `program`, its lines normalised
/// by `normaliser` (and the private directory).
fn compare_program(
    name: &str,
    program: &Path,
    options: &[&str],
    normaliser: Normaliser,
) -> Comparison {
    let program = program.to_str().expect("UTF-8 fixture path");
    let options = [&["-N"], options].concat();
    let rules = rules();
    let trace = |tracer: Tracer| {
        let dir = tempfile::tempdir().expect("cannot create a temporary directory");
        let dir_text = dir.path().to_str().expect("UTF-8 temp path");
        let normaliser = normaliser.clone().replacing(dir_text, "$TMP");
        let outcome = tracer.trace(&options, &[program, dir_text]);
        let mut lines = comparable_lines(&outcome.trace, &normaliser);
        if options.contains(&"-f") {
            // Where a child's SIGCHLD lands among its parent's calls, and the thread id
            // a futex waits on, are the scheduler's (as in the `threads` case); signal
            // lines carry no argument names.
            lines.retain(|l| !l.starts_with("--- "));
            leave_out(&mut lines, &["futex"]);
        }
        let lines: Vec<String> = lines
            .iter()
            .map(|l| without_varying_values(l, &rules))
            .collect();
        (outcome, lines)
    };
    let (expected_outcome, expected) = trace(Tracer::Strace);
    let (actual_outcome, actual) = trace(Tracer::Rtrace);
    assert!(
        expected_outcome.exit_code() == actual_outcome.exit_code()
            && expected_outcome.signal() == actual_outcome.signal(),
        "{name}: strace {} but rtrace {}",
        expected_outcome.describe(),
        actual_outcome.describe()
    );
    assert!(
        expected.iter().any(|l| !l.starts_with("[]")),
        "{name}: strace -N printed no argument names"
    );
    compare(&expected, &actual, Level::FullLine)
}

#[test]
fn argument_names_match_strace_7_2() {
    let mut failures = Vec::new();
    for (name, options) in RUNS {
        let comparison = compare_fixture(name, options);
        println!("-N {name} {options:?}: {}", comparison.report(usize::MAX));
        if comparison.ratio() < REQUIRED {
            failures.push(format!("{name} {options:?}: {}", comparison.report(40)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The names of the i386 personality's calls (mmap2, ugetrlimit, sigreturn) on static
/// 32-bit builds of fixtures. Not net_calls or signal_calls: the 64-bit reference strace
/// reads some i386 structures (`struct msghdr`, `stack_t`, `struct itimerval`) with its
/// own layout (`msg_iovlen=68719476736`), so those lines are no reference (the names
/// on them agree all the same).
#[test]
fn i386_argument_names_match_strace_7_2() {
    let mut failures = Vec::new();
    for name in ["mem_ops", "process_ops", "fileops"] {
        let program = fixture_i386(name);
        let normaliser = Normaliser::new().with_32_bit_addresses();
        let comparison = compare_program(name, &program, &[], normaliser);
        println!("-N i386 {name}: {}", comparison.report(usize::MAX));
        if comparison.ratio() < REQUIRED {
            failures.push(format!("i386 {name}: {}", comparison.report(40)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The test of the test: strace's own `-N` lines match themselves, lose a line for one
/// wrong name, and fall far below the bar without names; the name handling around the
/// varying-value rules keeps every name.
#[test]
fn a_wrong_or_missing_name_fails_the_comparison() {
    let expected: Vec<String> = [
        r#"openat(dirfd=AT_FDCWD, pathname="/etc/passwd", flags=O_RDONLY|O_CLOEXEC) = 3"#,
        r#"read(fd=3, buf="root:x:0:0:root:/root:/bin/bash\n"..., count=4096) = 1024"#,
        r#"mmap(addr=NULL, length=8192, prot=PROT_READ|PROT_WRITE, flags=MAP_PRIVATE|MAP_ANONYMOUS, fd=-1, offset=0) = 0x7f0000000000"#,
        r#"clock_gettime(clockid=CLOCK_MONOTONIC, tp={tv_sec=5, tv_nsec=6}) = 0"#,
        r#"close(fd=3) = 0"#,
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(compare(&expected, &expected, Level::FullLine).ratio(), 1.0);

    let mut one_wrong = expected.clone();
    one_wrong[1] = one_wrong[1].replace("count=", "len=");
    let comparison = compare(&expected, &one_wrong, Level::FullLine);
    assert_eq!(comparison.matched, expected.len() - 1);

    let unnamed: Vec<String> = expected
        .iter()
        .map(|line| {
            let mut out = line.clone();
            for (start, end) in arg_name_spans(line).into_iter().rev() {
                out.replace_range(start..end, "");
            }
            out
        })
        .collect();
    assert_eq!(unnamed[4], "close(3) = 0");
    assert!(compare(&expected, &unnamed, Level::FullLine).ratio() < REQUIRED);

    // The clock rule replaces the time but every name survives it.
    let rules = rules();
    let cleaned = without_varying_values(&expected[3], &rules);
    assert!(
        cleaned.starts_with("[clockid,tp] clock_gettime(CLOCK_MONOTONIC, "),
        "{cleaned}"
    );
    assert!(!cleaned.contains("tv_sec=5"), "{cleaned}");
}
