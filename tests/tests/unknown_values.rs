//! Values with no name, against strace 7.2: the `unknown_values` fixture passes flag
//! arguments whose bits have no name (strace: `fcntl(-1, F_SETFD, 0x2 /* FD_??? */)`),
//! known bits beside unknown ones (`FD_CLOEXEC|0x34567890`) and constants with no name
//! (`lseek(-1, 0, 0x63 /* SEEK_??? */)`) to every call site where strace gives a
//! default, made harmless (see the fixture). Every line of the fixture's calls must
//! match the reference, on x86_64 and, built as a static 32-bit program, on i386, by
//! default and with `-v` (which shows the classic BPF programs instruction by
//! instruction, with their unknown opcode parts).
//!
//! Normalisation is the harness's own (pids, ASLR addresses; `with_32_bit_addresses`
//! for the i386 build). Nothing else varies: the calls fail at once, on bad descriptors,
//! missing paths and pids, or on the unknown bits themselves.

use rtrace_tests::differential::comparable_lines;
use rtrace_tests::{compare, fixture, fixture_i386, Comparison, Level, Normaliser, Tracer};

/// The fixture's first call: the lines before it are the loader's and the C library's.
const FIRST_CALL: &str = "fcntl(-1, F_SETFD, ";

/// strace writes at least this many defaults on the fixture's lines (about 130 on
/// x86_64): fewer means the fixture no longer reaches the call sites it is for.
const MIN_DEFAULTS: usize = 100;

/// The runs compared: each with these options.
const OPTIONS: &[&[&str]] = &[&[], &["-v"]];

/// The fixture's lines from its first call on, under `tracer` with `options`.
fn fixture_lines(
    tracer: Tracer,
    options: &[&str],
    program: &str,
    normaliser: &Normaliser,
) -> Vec<String> {
    let outcome = tracer.trace(options, &[program]);
    assert_eq!(
        outcome.exit_code(),
        Some(0),
        "unknown_values under {}: {}",
        tracer.name(),
        outcome.dump()
    );
    let lines = comparable_lines(&outcome.trace, normaliser);
    let first = lines
        .iter()
        .position(|line| line.starts_with(FIRST_CALL))
        .unwrap_or_else(|| {
            panic!(
                "{} shows no line starting {FIRST_CALL:?}:\n{}",
                tracer.name(),
                lines.join("\n")
            )
        });
    lines[first..].to_vec()
}

/// A line where strace wrote a default for a value with no name.
fn has_default(line: &str) -> bool {
    line.contains("??? */")
}

fn compare_with(
    reference: Tracer,
    options: &[&str],
    program: &str,
    normaliser: &Normaliser,
) -> Comparison {
    let expected = fixture_lines(reference, options, program, normaliser);
    let actual = fixture_lines(Tracer::Rtrace, options, program, normaliser);
    let defaults = expected.iter().filter(|l| has_default(l)).count();
    assert!(
        defaults >= MIN_DEFAULTS,
        "strace writes only {defaults} defaults on the fixture's lines (want {MIN_DEFAULTS}):\n{}",
        expected.join("\n")
    );
    compare(&expected, &actual, Level::FullLine)
}

/// Every line of the fixture's calls, as the reference prints it.
fn assert_all_lines_match(label: &str, comparison: &Comparison) {
    println!("{label}: {}", comparison.report(usize::MAX));
    assert!(
        comparison.differences.is_empty() && comparison.matched == comparison.expected_len,
        "{label}: {}",
        comparison.report(usize::MAX)
    );
}

#[test]
fn unknown_flags_and_constants_match_strace_7_2() {
    let program = fixture("unknown_values");
    let program = program.to_str().expect("a UTF-8 fixture path");
    for options in OPTIONS {
        let comparison = compare_with(
            Tracer::Oracle("x86_64"),
            options,
            program,
            &Normaliser::new(),
        );
        assert_all_lines_match(&format!("x86_64 {options:?}"), &comparison);
    }
}

#[test]
fn i386_unknown_flags_and_constants_match_strace_7_2() {
    let program = fixture_i386("unknown_values");
    let program = program.to_str().expect("a UTF-8 fixture path");
    let normaliser = Normaliser::new().with_32_bit_addresses();
    for options in OPTIONS {
        let comparison = compare_with(Tracer::Oracle("i686"), options, program, &normaliser);
        assert_all_lines_match(&format!("i386 {options:?}"), &comparison);
    }
}

/// The test of the test: strace's lines match themselves; the plain `0x2` rtrace used to
/// print for `0x2 /* FD_??? */` fails the comparison, and so does a lost default beside
/// known bits.
#[test]
fn a_missing_or_wrong_default_fails_the_comparison() {
    let expected: Vec<String> = [
        "fcntl(-1, F_SETFD, 0x2 /* FD_??? */) = -1 EBADF (Bad file descriptor)",
        "fcntl(-1, F_SETFD, FD_CLOEXEC|0x34567890) = -1 EBADF (Bad file descriptor)",
        "fanotify_init(FAN_CLASS_NOTIF|0x100000 /* FAN_??? */, O_RDONLY) = -1 EINVAL (Invalid argument)",
        "lseek(-1, 0, 0x63 /* SEEK_??? */) = -1 EBADF (Bad file descriptor)",
    ]
    .map(String::from)
    .to_vec();
    assert!(expected.iter().filter(|l| has_default(l)).count() == 3);
    let same = compare(&expected, &expected, Level::FullLine);
    assert!(same.differences.is_empty() && same.matched == expected.len());

    let mut plain = expected.clone();
    plain[0] = plain[0].replace("0x2 /* FD_??? */", "0x2");
    let comparison = compare(&expected, &plain, Level::FullLine);
    assert_eq!(comparison.matched, expected.len() - 1);
    assert!(!comparison.differences.is_empty());

    let mut wrong = expected.clone();
    wrong[2] = wrong[2].replace("/* FAN_??? */", "/* FAN_CLASS_??? */");
    assert_eq!(
        compare(&expected, &wrong, Level::FullLine).matched,
        expected.len() - 1
    );
}
