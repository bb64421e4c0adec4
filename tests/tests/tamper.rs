//! Tampering (`-e inject=`, `-e fault=`, `--inject`, `--fault`) against the reference
//! strace 7.2: the same program (`tests/fixtures/tamper_calls.c`) traced by both with
//! the same expressions, on x86_64 and as a static i386 program (against the i686
//! reference), with -f and with --seccomp-bpf. The traces must agree line for line, and
//! the program's own output (which says what each call returned to it, and whether a
//! delayed call was held) must be identical, so an injection that only shows in the
//! trace but does not reach the program fails too.
#![cfg(target_arch = "x86_64")]

use rtrace_tests::{fixture, fixture_i386, Differential, Level, Normaliser, Tracer};

/// The fixture's calls and what its handler and its reports make.
const TRACED: &str = "trace=chdir,umask,getcwd,sched_yield,getpriority,write,rt_sigreturn";

/// The program: native, or the static i386 build.
#[derive(Clone, Copy)]
enum Program {
    Native,
    I386,
}

struct Case {
    name: &'static str,
    program: Program,
    /// Options besides `-e trace=` (and `-o`, which the harness adds).
    options: &'static [&'static str],
    /// `fork`: a child makes every call before the parent does (counted apart).
    forks: bool,
    /// Texts the reference's trace must contain, so that the case exercises what it
    /// names (a mark, a signal line, a changed result).
    shows: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "error FIRST..LAST+STEP, retval FIRST+, poke_exit, signal FIRST, delay_enter",
        program: Program::Native,
        options: &[
            "-e",
            "inject=chdir:error=ENOENT:when=2..5+2",
            "-e",
            "inject=umask:retval=0777:when=2+",
            "-e",
            "inject=getcwd:poke_exit=@arg1=2f78797a00",
            "-e",
            "inject=sched_yield:signal=SIGUSR1:when=2",
            "-e",
            "inject=getpriority:delay_enter=300ms",
        ],
        forks: false,
        shows: &[
            "chdir(\"/\") = -1 ENOENT (No such file or directory) (INJECTED)",
            "umask(022) = 0777 (INJECTED)",
            "(INJECTED: args)",
            "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---",
            // The priority itself is the runner's (nice 19 under `nice`), not the case's.
            "getpriority(PRIO_PROCESS, 0)",
            "(DELAYED)",
            "slow",
        ],
    },
    Case {
        name: "the same with -f: each process counts its own calls",
        program: Program::Native,
        options: &[
            "-f",
            "-e",
            "inject=chdir:error=ENOENT:when=2..5+2",
            "-e",
            "inject=umask:retval=0777:when=2+",
            "-e",
            "inject=getcwd:poke_exit=@arg1=2f78797a00",
            "-e",
            "inject=sched_yield:signal=SIGUSR1:when=2",
            "-e",
            "inject=getpriority:delay_exit=300ms",
        ],
        forks: true,
        shows: &[
            "child chdir 2: No such file",
            "parent chdir 2: No such file",
        ],
    },
    Case {
        name: "with -f --seccomp-bpf",
        program: Program::Native,
        options: &[
            "-f",
            "--seccomp-bpf",
            "-e",
            "inject=chdir:error=EACCES:when=3+2",
            "-e",
            "inject=umask:retval=0:when=1..2",
            "-e",
            "inject=getcwd:poke_exit=@arg1=2f78797a00",
            "-e",
            "inject=getpriority:delay_enter=250ms:delay_exit=50ms",
        ],
        forks: true,
        shows: &[
            "EACCES",
            "umask(022) = 000 (INJECTED)",
            "(INJECTED: args)",
            "(DELAYED)",
        ],
    },
    Case {
        name: "fault FIRST, syscall= with an error and with a retval",
        program: Program::Native,
        options: &[
            "-e",
            "fault=chdir:when=3",
            "-e",
            "inject=getcwd:syscall=gettid:error=EPERM",
            "-e",
            "inject=umask:syscall=getuid:retval=7:when=3",
        ],
        forks: false,
        shows: &[
            "= -1 ENOSYS (Function not implemented) (INJECTED)",
            "= -1 EPERM (Operation not permitted) (INJECTED)",
            "= 007 (INJECTED)",
        ],
    },
    Case {
        name: "poke_enter alone and with a retval, through --inject and --fault",
        program: Program::Native,
        options: &[
            "--inject=chdir:poke_enter=@arg1=2f00:when=7",
            "--inject=getcwd:poke_enter=@arg1=41:retval=3",
            "--fault=umask:error=EACCES:when=2..3",
        ],
        forks: false,
        shows: &[
            "chdir(\"/\") = 0 (INJECTED: args)",
            "(INJECTED: args, retval)",
            "umask(022) = -1 EACCES (Permission denied) (INJECTED)",
        ],
    },
    Case {
        name: "i386: error, retval, poke_exit, signal, delay with -f",
        program: Program::I386,
        options: &[
            "-f",
            "-e",
            "inject=chdir:error=ENOENT:when=2..5+2",
            "-e",
            "inject=umask:retval=0777:when=2+",
            "-e",
            "inject=getcwd:poke_exit=@arg1=2f78797a00",
            "-e",
            "inject=sched_yield:signal=SIGUSR1:when=2",
            "-e",
            "inject=getpriority:delay_enter=300ms",
        ],
        forks: true,
        shows: &[
            "(INJECTED)",
            "(INJECTED: args)",
            "SI_KERNEL",
            "(DELAYED)",
            "slow",
        ],
    },
    Case {
        name: "i386: fault, syscall=, poke_enter with --seccomp-bpf",
        program: Program::I386,
        options: &[
            "-f",
            "--seccomp-bpf",
            "-e",
            "fault=chdir:when=3",
            "-e",
            "inject=getcwd:syscall=gettid:error=EPERM",
            "-e",
            "inject=umask:syscall=getuid:retval=7:when=3",
            "-e",
            "inject=sched_yield:poke_enter=@arg1=00:when=1",
        ],
        forks: true,
        shows: &["ENOSYS", "EPERM", "= 007 (INJECTED)"],
    },
];

fn run_case(case: &Case, tested: Tracer) -> Differential {
    let (program, reference) = match case.program {
        Program::Native => (fixture("tamper_calls"), Tracer::Oracle("x86_64")),
        Program::I386 => (fixture_i386("tamper_calls"), Tracer::Oracle("i686")),
    };
    let program = program.to_str().unwrap().to_owned();
    let mut command = vec![program.as_str()];
    if case.forks {
        command.push("fork");
    }
    let mut options = vec!["-e", TRACED];
    options.extend_from_slice(case.options);
    let mut normaliser = Normaliser::new().replacing(program.as_str(), "$PROGRAM");
    if matches!(case.program, Program::I386) {
        normaliser = normaliser.with_32_bit_addresses();
    }
    Differential::run(reference, tested, &options, &command, &normaliser)
}

/// Every case: the reference shows what the case is about, and rtrace's trace, exit
/// status and the program's output are the reference's.
#[test]
fn tampering_matches_the_reference() {
    let mut failures = Vec::new();
    for case in CASES {
        let run = run_case(case, Tracer::Rtrace);
        let reference = run.expected_lines.join("\n");
        let missing: Vec<_> = case
            .shows
            .iter()
            .filter(|text| {
                !reference.contains(*text)
                    && !String::from_utf8_lossy(&run.expected.stdout).contains(*text)
            })
            .collect();
        assert!(
            missing.is_empty(),
            "{}: the reference does not show {missing:?}: the case does not test what it says\n{}",
            case.name,
            run.expected.dump()
        );
        let lines = run.compare(Level::FullLine);
        println!(
            "{}: {:.1}% of {} lines",
            case.name,
            lines.ratio() * 100.0,
            run.expected_lines.len()
        );
        if lines.ratio() < 1.0 {
            failures.push(format!("{}: {}", case.name, lines.report(20)));
        }
        if run.expected.stdout != run.actual.stdout {
            failures.push(format!(
                "{}: the program's output differs\n--- under strace\n{}--- under rtrace\n{}",
                case.name,
                String::from_utf8_lossy(&run.expected.stdout),
                String::from_utf8_lossy(&run.actual.stdout)
            ));
        }
        if !run.same_status() {
            failures.push(format!(
                "{}: the reference {} but rtrace {}\n{}",
                case.name,
                run.expected.describe(),
                run.actual.describe(),
                run.actual.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The test of the test: rtrace run without the expressions (tracing alone) must fail
/// the comparison with the reference that tampers, in the trace and in the output.
#[test]
fn a_trace_without_tampering_fails_the_comparison() {
    let case = &CASES[0];
    let (program, reference) = (fixture("tamper_calls"), Tracer::Oracle("x86_64"));
    let program = program.to_str().unwrap();
    let mut options = vec!["-e", TRACED];
    options.extend_from_slice(case.options);
    let normaliser = Normaliser::new();
    let expected = reference.trace(&options, &[program]);
    let untampered = Tracer::Rtrace.trace(&["-e", TRACED], &[program]);
    let expected_lines = rtrace_tests::differential::comparable_lines(&expected.trace, &normaliser);
    let actual_lines = rtrace_tests::differential::comparable_lines(&untampered.trace, &normaliser);
    let comparison = rtrace_tests::compare(&expected_lines, &actual_lines, Level::FullLine);
    assert!(
        comparison.ratio() < 1.0,
        "an untampered trace passed for a tampered one"
    );
    assert!(comparison
        .differences
        .iter()
        .any(|d| d.contains("(INJECTED)")));
    assert_ne!(expected.stdout, untampered.stdout);
}

/// With -P the call is decoded to be chosen before it is tampered with: the poke shows
/// in the mark and in the program's output, the arguments as they were, as strace shows.
#[test]
fn tampering_with_a_path_filter() {
    let program = fixture("tamper_calls");
    let program = program.to_str().unwrap();
    let options = [
        "-P",
        "/nonexistent",
        "-e",
        "inject=chdir:poke_enter=@arg1=2f00",
    ];
    let normaliser = Normaliser::new();
    let run = Differential::run(
        Tracer::Oracle("x86_64"),
        Tracer::Rtrace,
        &options,
        &[program],
        &normaliser,
    );
    assert!(
        run.expected_lines
            .contains(&"chdir(\"/nonexistent\") = 0 (INJECTED: args)".to_owned()),
        "{}",
        run.expected.dump()
    );
    let lines = run.compare(Level::FullLine);
    assert_eq!(lines.ratio(), 1.0, "{}", lines.report(20));
    assert_eq!(run.expected.stdout, run.actual.stdout);
}

/// `signal=` under --seccomp-bpf: the call stops at a seccomp event, whose restart
/// signal the kernel ignores, and strace 7.2 loses the signal there. rtrace delivers it
/// with the call's exit, as without --seccomp-bpf: its trace is the reference's trace
/// made without --seccomp-bpf (and the reference's own --seccomp-bpf trace lacks it).
#[test]
fn signals_injected_under_seccomp_bpf_are_delivered() {
    let program = fixture("tamper_calls");
    let program = program.to_str().unwrap();
    let expr = [
        "-f",
        "-e",
        TRACED,
        "-e",
        "inject=sched_yield:signal=SIGUSR1:when=2..3",
    ];
    let with_seccomp: Vec<&str> = ["--seccomp-bpf"].iter().chain(&expr).copied().collect();
    let normaliser = Normaliser::new();
    let lines = |outcome: &rtrace_tests::Outcome| {
        rtrace_tests::differential::comparable_lines(&outcome.trace, &normaliser)
    };
    let reference = Tracer::Oracle("x86_64").trace(&expr, &[program]);
    let reference_seccomp = Tracer::Oracle("x86_64").trace(&with_seccomp, &[program]);
    let tested = Tracer::Rtrace.trace(&with_seccomp, &[program]);
    let signal = "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---";
    let count = |lines: &[String]| lines.iter().filter(|l| *l == signal).count();
    assert_eq!(count(&lines(&reference)), 2, "{}", reference.dump());
    assert_eq!(
        count(&lines(&reference_seccomp)),
        0,
        "strace 7.2 now delivers these: compare with it directly"
    );
    let comparison = rtrace_tests::compare(&lines(&reference), &lines(&tested), Level::FullLine);
    assert_eq!(comparison.ratio(), 1.0, "{}", comparison.report(20));
    assert_eq!(reference.stdout, tested.stdout);
}

/// Bad expressions: strace's one-line error (its name replaced by rtrace's) and a
/// non-zero exit, before anything runs; retvals that read as errors warn alike.
#[test]
fn bad_expressions_are_refused_as_strace_refuses_them() {
    let refused = [
        "inject=chdir",
        "inject=chdir:error=ENOENT:retval=1",
        "inject=chdir:error=0",
        "inject=chdir:error=4096",
        "inject=chdir:when=0:error=1",
        "inject=chdir:when=3..2:error=1",
        "inject=chdir:when=1..65535:error=1",
        "inject=chdir:signal=SIGFOO",
        "inject=chdir:syscall=open:error=1",
        "inject=chdir:poke_enter=@arg1=abc",
        "inject=chdir:poke_enter=@arg0=00",
        "inject=chdir:delay_enter=1h",
        "inject=chdir:bogus=1",
        "inject=nosuchcall:error=1",
        "inject=:error=1",
        "fault=chdir:retval=1",
        "fault=chdir:signal=SIGUSR1",
    ];
    let program = fixture("exit_code");
    let program = program.to_str().unwrap();
    for expr in refused {
        let strace = Tracer::Oracle("x86_64").run(&["-e", expr, program]);
        let rtrace = Tracer::Rtrace.run(&["-e", expr, program]);
        let expected = strace.stderr.replacen("strace: ", "rtrace: ", 1);
        assert_eq!(rtrace.stderr, expected, "-e {expr}");
        assert_ne!(strace.exit_code(), Some(0), "strace accepted -e {expr}");
        assert_ne!(rtrace.exit_code(), Some(0), "rtrace accepted -e {expr}");
        assert_eq!(rtrace.stderr.lines().count(), 1, "-e {expr}");
    }
    for expr in [
        "inject=chdir:retval=-1",
        "inject=chdir:retval=4294967295",
        "inject=chdir:retval=4294967296",
    ] {
        let strace =
            Tracer::Oracle("x86_64").run(&["-qq", "-e", "trace=none", "-e", expr, program]);
        let rtrace = Tracer::Rtrace.run(&["-qq", "-e", "trace=none", "-e", expr, program]);
        assert_eq!(
            rtrace.stderr,
            strace.stderr.replacen("strace: ", "rtrace: ", 1),
            "-e {expr}"
        );
        assert_eq!(rtrace.exit_code(), Some(0), "-e {expr}");
        assert!(rtrace.stderr.contains("nject"), "no warning for {expr}");
    }
}

/// `--json` carries what was done to each call in its "tampered" field.
#[test]
fn json_events_carry_the_tampering() {
    let program = fixture("tamper_calls");
    let out = Tracer::Rtrace.trace(
        &[
            "--json",
            "-e",
            "trace=chdir,umask,getpriority",
            "-e",
            "inject=chdir:error=ENOENT:when=2",
            "-e",
            "inject=umask:retval=0:when=1",
            "-e",
            "inject=getpriority:delay_exit=10ms",
        ],
        &[program.to_str().unwrap()],
    );
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let events: Vec<serde_json::Value> = out
        .trace
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .filter(|v: &serde_json::Value| v["type"] == "syscall")
        .collect();
    let tampered = |name: &str| -> Vec<serde_json::Value> {
        events
            .iter()
            .filter(|v| v["name"] == name)
            .map(|v| v["tampered"].clone())
            .collect()
    };
    let none = serde_json::Value::Null;
    let result = serde_json::json!({"result": true, "args": false, "delayed": false});
    let delayed = serde_json::json!({"result": false, "args": false, "delayed": true});
    assert_eq!(
        tampered("chdir")[..3],
        [none.clone(), result.clone(), none.clone()]
    );
    let second_chdir = events
        .iter()
        .filter(|v| v["name"] == "chdir")
        .nth(1)
        .unwrap();
    assert_eq!(second_chdir["errno"], "ENOENT");
    assert_eq!(tampered("umask"), [result, none.clone(), none]);
    assert_eq!(tampered("getpriority"), [delayed]);
}

/// x32 calls (a 64-bit program setting `__X32_SYSCALL_BIT`): injected as the reference
/// injects them, in x32 mode.
#[test]
fn x32_calls_are_tampered_with_as_the_reference_does() {
    let program = fixture("x32_calls");
    let program = program.to_str().unwrap();
    let args = [
        "-e",
        "trace=getpid",
        "-e",
        "inject=getpid:retval=42",
        program,
    ];
    let normaliser = Normaliser::new();
    // From the first personality line on (strace warns first that it was built without
    // x32 structure decoding: rtrace has it, nothing to warn about).
    let lines = |outcome: &rtrace_tests::Outcome| -> Vec<String> {
        let start = outcome
            .trace
            .iter()
            .position(|l| l.starts_with("[ Process PID="))
            .unwrap_or(outcome.trace.len());
        outcome.trace[start..]
            .iter()
            .filter(|l| !l.contains("WARNING: Proper structure decoding"))
            .map(|l| normaliser.line(l))
            .collect()
    };
    // The normaliser turns getpid's result into PID: the value is checked on the raw line.
    let injected = |outcome: &rtrace_tests::Outcome| {
        outcome
            .trace
            .iter()
            .any(|l| l.starts_with("getpid()") && l.ends_with("= 42 (INJECTED)"))
    };
    let reference = Tracer::Oracle("x86_64").run(&args);
    let tested = Tracer::Rtrace.run(&args);
    assert!(injected(&reference), "{}", reference.dump());
    assert!(injected(&tested), "{}", tested.dump());
    assert_eq!(lines(&tested), lines(&reference), "{}", tested.dump());
}
