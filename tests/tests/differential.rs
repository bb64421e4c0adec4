//! rtrace against strace on the same programs: syscall names and return values, and
//! whole normalised lines, must agree on nearly every line.

use rtrace_tests::differential::{run_all_cases, Differential};
use rtrace_tests::{fixture, Level, Normaliser, Tracer};

#[test]
fn every_case_agrees_with_strace_line_for_line() {
    let failures = run_all_cases(Tracer::Strace, Tracer::Rtrace);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The fileops fixture's own calls (from its first use of the temporary directory to
/// its exit) belong to the fs plugin; once decoded they must match strace exactly.
#[test]
fn file_operations_agree_with_strace_line_for_line() {
    let dir = tempfile::tempdir().unwrap();
    let dir_text = dir.path().to_str().unwrap();
    let fileops = fixture("fileops");
    let normaliser = Normaliser::new().replacing(dir_text, "$TMP");
    let run = Differential::run(
        Tracer::Strace,
        Tracer::Rtrace,
        &[],
        &[fileops.to_str().unwrap(), dir_text],
        &normaliser,
    );
    let body = |lines: &[String]| -> Vec<String> {
        let start = lines
            .iter()
            .position(|l| l.contains("\"$TMP/"))
            .unwrap_or(lines.len());
        lines[start..].to_vec()
    };
    let expected = body(&run.expected_lines);
    let actual = body(&run.actual_lines);
    assert!(
        expected.len() >= 10,
        "strace's trace lacks the file operations"
    );
    let comparison = rtrace_tests::compare(&expected, &actual, Level::FullLine);
    println!("fileops full lines: {}", comparison.report(0));
    assert!(comparison.ratio() >= 0.99, "{}", comparison.report(40));
}
