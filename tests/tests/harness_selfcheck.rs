//! The harness checked against strace alone: strace compared with itself must agree,
//! and strace's traces must pass the whole-trace checks. If these fail, the harness
//! (normalisation, alignment, a check) is wrong, not rtrace. And the other way round: a
//! trace with one wrong pointer or one wrong byte must not compare equal, or the
//! normalisation hides what it should compare.

mod family_support;

use family_support::{Known, Tally};
use regex::Regex;
use rtrace_tests::checks::{file_pid_prefixes, stderr_pid_prefixes, threads_fixture};
use rtrace_tests::differential::{comparable_lines, run_all_cases};
use rtrace_tests::{compare, fixture, fixture_i386, Level, Normaliser, Tracer};

#[test]
fn strace_agrees_with_itself_on_every_case() {
    let failures = run_all_cases(Tracer::Strace, Tracer::Strace);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn strace_passes_the_threads_check() {
    let threads = fixture("threads");
    for _ in 0..3 {
        let out = Tracer::Strace.trace(&["-f"], &[threads.to_str().unwrap()]);
        if let Err(problems) = threads_fixture(&out.trace) {
            panic!("{problems}\n{}", out.dump());
        }
    }
}

#[test]
fn strace_passes_the_prefix_checks() {
    let out = Tracer::Strace.trace(&["-f"], &["sh", "-c", "ls / | wc -l"]);
    let pids = file_pid_prefixes(&out.trace).unwrap_or_else(|e| panic!("{e}"));
    assert!(pids.len() >= 3, "pids {pids:?}");
    let fork_wait = fixture("fork_wait");
    let out = Tracer::Strace.run(&["-f", fork_wait.to_str().unwrap()]);
    let prefixed = stderr_pid_prefixes(&out.trace).unwrap_or_else(|e| panic!("{e}"));
    assert!(prefixed > 0, "{}", out.dump());
}

/// strace's trace of `command`, then the same trace with `wrong` (a function that
/// corrupts one line, as a decoder bug would) applied: the two, normalised, must differ
/// on exactly that line. Returns the differing lines for the caller to check.
fn corrupted_trace_is_caught(
    normaliser: &Normaliser,
    options: &[&str],
    command: &[&str],
    wrong: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let out = Tracer::Strace.trace(options, command);
    let right = comparable_lines(&out.trace, normaliser);
    let mut corrupted_once = false;
    let corrupted: Vec<String> = out
        .trace
        .iter()
        .map(|line| match (corrupted_once, wrong(line)) {
            (false, Some(changed)) => {
                corrupted_once = true;
                changed
            }
            _ => line.clone(),
        })
        .collect();
    assert!(
        corrupted_once,
        "no line to corrupt in strace's trace:\n{}",
        out.dump()
    );
    let wrong_lines = comparable_lines(&corrupted, normaliser);
    assert_eq!(
        compare(
            &right,
            &comparable_lines(&out.trace, normaliser),
            Level::FullLine
        )
        .ratio(),
        1.0,
        "the trace does not agree with itself"
    );
    let comparison = compare(&right, &wrong_lines, Level::FullLine);
    assert_eq!(
        comparison.matched,
        right.len() - 1,
        "the corrupted line was not the only difference: {}",
        comparison.report(10)
    );
    comparison.differences
}

/// Replaces the first match of `pattern` in `line` by `replacement`.
fn replace_first(line: &str, pattern: &str, replacement: &str) -> Option<String> {
    let regex = Regex::new(pattern).expect("a valid pattern");
    regex
        .is_match(line)
        .then(|| regex.replacen(line, 1, replacement).into_owned())
}

/// A static 32-bit program is not moved by ASLR: its handler's address is compared, so a
/// handler address off by 16 bytes fails.
#[test]
fn a_wrong_pointer_into_a_static_program_fails_the_comparison() {
    let program = fixture_i386("signals");
    let normaliser = Normaliser::new().with_32_bit_addresses();
    let differences = corrupted_trace_is_caught(
        &normaliser,
        &[],
        &[program.to_str().unwrap(), "handle"],
        |line| {
            let handler = Regex::new(r"sa_handler=0x([0-9a-f]+)").unwrap();
            let found = handler.captures(line)?;
            let address = u64::from_str_radix(&found[1], 16).ok()? + 0x10;
            replace_first(
                line,
                r"sa_handler=0x[0-9a-f]+",
                &format!("sa_handler={address:#x}"),
            )
        },
    );
    assert!(
        differences.iter().any(|d| d.contains("sa_handler=0x8")),
        "{differences:?}"
    );
}

/// An address ASLR moves is replaced, but only where ASLR puts addresses: the same
/// address with its upper half lost (a 64-bit pointer printed as 32 bits) fails.
#[test]
fn a_truncated_pointer_fails_the_comparison() {
    let differences = corrupted_trace_is_caught(&Normaliser::new(), &[], &["/bin/true"], |line| {
        let result = Regex::new(r"^mmap\(.*\) += 0x[0-9a-f]{4}([0-9a-f]{8})$").unwrap();
        let low = result.captures(line)?[1].to_owned();
        replace_first(line, r"= 0x[0-9a-f]+$", &format!("= 0x{low}"))
    });
    assert!(
        differences.iter().any(|d| d.starts_with("+ mmap(")),
        "{differences:?}"
    );
}

/// Buffers are compared byte for byte: one wrong byte in a `-xx` buffer (the ELF header
/// the loader reads) fails.
#[test]
fn a_wrong_byte_in_a_hex_buffer_fails_the_comparison() {
    let differences =
        corrupted_trace_is_caught(&Normaliser::new(), &["-xx"], &["/bin/true"], |line| {
            if !line.starts_with("read(") {
                return None;
            }
            replace_first(line, r"^read\(3, \x22\\x7f\\x45", r#"read(3, "\x7f\x46"#)
        });
    assert!(
        differences
            .iter()
            .any(|d| d.contains(r#"+ read(3, "\x7f\x46"#)),
        "{differences:?}"
    );
}

/// The family tests' list of known differences holds only what is true: a listed
/// difference that no run shows (a stale entry) fails, as does an unlisted one.
#[test]
fn known_differences_must_be_current() {
    // Enough agreeing lines that the share reproduced is not what fails.
    let common: Vec<String> = (10..40).map(|fd| format!("close({fd}) = 0")).collect();
    let with = |last: &str| -> Vec<String> {
        let mut lines = common.clone();
        lines.push(last.to_owned());
        lines
    };
    let conclude = |rtrace: Vec<String>| -> Option<String> {
        let strace = with("dup(1) = 4");
        std::panic::catch_unwind(move || {
            let known = vec![Known {
                strace: "dup(1) = 4".to_owned(),
                rtrace: "dup(0x1) = 4".to_owned(),
                why: "the self-check's own".to_owned(),
            }];
            let mut tally = Tally::with_known("selfcheck", known);
            tally.add("run", &strace, &rtrace);
            tally.conclude();
        })
        .err()
        .map(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default()
        })
    };
    assert_eq!(
        conclude(with("dup(0x1) = 4")),
        None,
        "the listed difference"
    );
    let stale = conclude(with("dup(1) = 4")).expect("a stale entry fails");
    assert!(
        stale.contains("no longer seen") && stale.contains("dup(1) = 4"),
        "{stale}"
    );
    let unlisted = conclude(with("dup(1) = 5")).expect("an unlisted difference fails");
    assert!(
        unlisted.contains("not in tests/known-differences/selfcheck.txt"),
        "{unlisted}"
    );
}
