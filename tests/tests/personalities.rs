//! Every personality an x86_64 kernel runs, traced by rtrace and by the reference strace
//! 7.2 on the same programs: static 32-bit programs (against the i686 reference, which
//! decodes i386 structures fully), `int $0x80` from 64-bit code and x32 calls (against
//! the x86_64 reference, which prints the personality lines).
#![cfg(target_arch = "x86_64")]

use rtrace_tests::differential::Differential;
use rtrace_tests::varying::{self, VaryingRules};
use rtrace_tests::{fixture, fixture_i386, Level, Normaliser, Tracer};

/// Identical whole lines a 32-bit program's trace must reach against the reference.
const LINES_REQUIRED: f64 = 0.95;
/// Identical names and results.
const NAMES_REQUIRED: f64 = 0.99;

/// The 32-bit programs: files, network, processes, memory, IPC, threads, signals, time.
/// `true`: the program takes a scratch directory.
const PROGRAMS: &[(&str, bool)] = &[
    ("fileops", true),
    ("net_calls", true),
    ("process_ops", false),
    ("mem_ops", false),
    ("ipc_calls", true),
    ("threads", false),
    ("signal_calls", false),
    ("time_calls", false),
];

/// Calls whose lines depend on the scheduler, not on the tracer (which thread's futex
/// wait or wake comes first), left out of both sides as the x86_64 suite leaves them.
const SCHEDULER_DEPENDENT: &[&str] = &["futex"];

#[test]
fn static_i386_programs_match_the_i686_reference() {
    let varying = VaryingRules::new([
        varying::TIME,
        varying::NET,
        varying::IPC,
        varying::SIGNAL,
        varying::PROCESS,
    ]);
    let mut failures = Vec::new();
    for &(name, takes_dir) in PROGRAMS {
        let program = fixture_i386(name);
        let dir = tempfile::tempdir().unwrap();
        let dir_text = dir.path().to_str().unwrap().to_owned();
        let mut command = vec![program.to_str().unwrap().to_owned()];
        if takes_dir {
            command.push(dir_text.clone());
        }
        let command: Vec<&str> = command.iter().map(String::as_str).collect();
        let normaliser = Normaliser::new()
            .replacing(dir_text.as_str(), "$TMP")
            .replacing(program.to_str().unwrap(), "$PROGRAM")
            .with_32_bit_addresses();
        let mut run = Differential::run(
            Tracer::Oracle("i686"),
            Tracer::Rtrace,
            &["-f"],
            &command,
            &normaliser,
        );
        run.leave_out(SCHEDULER_DEPENDENT);
        for lines in [&mut run.expected_lines, &mut run.actual_lines] {
            for line in lines.iter_mut() {
                *line = varying.apply(line);
            }
        }
        let lines = run.compare(Level::FullLine);
        let names = run.compare(Level::NamesAndReturns);
        println!(
            "i386 {name}: lines {:.1}% ({}), names {:.1}%",
            lines.ratio() * 100.0,
            run.expected_lines.len(),
            names.ratio() * 100.0
        );
        if lines.ratio() < LINES_REQUIRED || names.ratio() < NAMES_REQUIRED {
            failures.push(format!("{name}: {}", lines.report(30)));
        }
        if !run.same_status() {
            failures.push(format!(
                "{name}: the reference {} but rtrace {}",
                run.expected.describe(),
                run.actual.describe()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The trace lines from the first personality change to the end, normalised, without
/// the reference's warning that it was built without i386/x32 structure decoding
/// (rtrace has it: nothing to warn about).
fn from_first_mode_line(trace: &[String]) -> Vec<String> {
    let normaliser = Normaliser::new();
    let start = trace
        .iter()
        .position(|l| l.starts_with("[ Process PID="))
        .unwrap_or(trace.len());
    trace[start..]
        .iter()
        .filter(|l| !l.contains("WARNING: Proper structure decoding"))
        .map(|l| normaliser.line(l))
        .collect()
}

/// Runs `program` under both tracers, the trace on stderr (with `-o` and a command,
/// strace implies `-q`, which hides personality lines).
fn both_traces(program: &str) -> (Vec<String>, Vec<String>) {
    let path = fixture(program);
    let path = path.to_str().unwrap();
    let reference = Tracer::Oracle("x86_64").run(&[path]);
    let tested = Tracer::Rtrace.run(&[path]);
    assert_eq!(reference.exit_code(), Some(0), "{}", reference.dump());
    assert_eq!(tested.exit_code(), Some(0), "{}", tested.dump());
    (
        from_first_mode_line(&reference.trace),
        from_first_mode_line(&tested.trace),
    )
}

#[test]
fn int_0x80_calls_from_64_bit_code_are_shown_in_32_bit_mode() {
    let (expected, actual) = both_traces("int80");
    assert_eq!(
        expected,
        [
            "[ Process PID=PID runs in 32 bit mode. ]",
            "getpid() = PID",
            "write(1, \"int80\\n\", 6) = 6",
            "[ Process PID=PID runs in 64 bit mode. ]",
            "getppid() = PID",
            "exit_group(0) = ?",
            "+++ exited with 0 +++",
        ],
        "the reference's own trace changed"
    );
    assert_eq!(actual, expected);
}

/// This kernel disables x32, yet the calls stop the tracer (and fail with ENOSYS): they
/// are shown in x32 mode, with their 64-bit registers in full and x86_64's numbers that
/// x32 lacks named `NAME#64`, as the reference shows them.
#[test]
fn x32_calls_are_shown_in_x32_mode() {
    let (expected, actual) = both_traces("x32_calls");
    // The reference's own trace must still be what the case is about: x32 mode, every
    // x32 call failing (x32 disabled), wide arguments and borrowed numbers shown.
    let x32_calls = expected
        .iter()
        .skip_while(|l| *l != "[ Process PID=PID runs in x32 mode. ]")
        .skip(1)
        .take_while(|l| !l.starts_with("[ Process PID="))
        .collect::<Vec<_>>();
    assert_eq!(
        x32_calls.len(),
        20,
        "the reference's x32 calls: {expected:#?}"
    );
    assert!(
        x32_calls
            .iter()
            .all(|l| l.ends_with("= -1 ENOSYS (Function not implemented)")),
        "the reference's own trace changed (is x32 enabled on this kernel?): {expected:#?}"
    );
    for shown in [
        "pread64(1, 0x1234567890, 78187493520, 78187493520) = -1 ENOSYS (Function not implemented)",
        "ioctl#64(0x1, 0x5401, 0x1234567890) = -1 ENOSYS (Function not implemented)",
    ] {
        assert!(
            expected.iter().any(|l| l == shown),
            "the reference does not show {shown:?}: {expected:#?}"
        );
    }
    assert_eq!(actual, expected);
}

/// `-c` on a 32-bit program: the 64-bit table (its execve) and then the 32-bit one under
/// strace's heading, with the same calls and counts as the reference's.
#[test]
fn summary_has_one_table_per_personality() {
    let program = fixture_i386("fileops");
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "-c",
        program.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ];
    // Per table: its heading, then its (calls, errors, name) rows as a set: rows are
    // ordered by time spent, which differs run to run.
    let rows = |trace: &[String]| -> Vec<Vec<String>> {
        let lines: Vec<String> = trace
            .iter()
            .filter_map(|l| {
                if l.starts_with("System call usage summary") {
                    return Some(l.clone());
                }
                // `% time seconds usecs/call calls errors syscall`: keep calls, errors
                // and the name; times differ run to run.
                let words: Vec<&str> = l.split_whitespace().collect();
                let numeric = words.first()?.parse::<f64>().is_ok();
                (numeric && words.len() >= 5).then(|| words[3..].join(" "))
            })
            .collect();
        let mut tables: Vec<Vec<String>> = vec![Vec::new()];
        for line in lines {
            if line.starts_with("System call usage summary") {
                tables.push(vec![line]);
            } else {
                tables.last_mut().expect("one table at least").push(line);
            }
        }
        for table in &mut tables {
            table.sort();
        }
        tables
    };
    let reference = Tracer::Oracle("x86_64").run(&args);
    let tested = Tracer::Rtrace.run(&args);
    let expected = rows(&reference.trace);
    assert!(
        expected.iter().any(|t| t
            .iter()
            .any(|l| l == "System call usage summary for 32 bit mode:")),
        "{}",
        reference.dump()
    );
    assert_eq!(rows(&tested.trace), expected, "{}", tested.dump());
}
