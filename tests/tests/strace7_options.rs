//! The options strace 7.2 added or extended, against the reference strace 7.2: data dumps
//! (`-e read=`/`-e write=`, 64-bit and i386), `--decode-fds=`, timestamp precisions,
//! `--strings-in-hex=`, `--quiet=`/`-e quiet=`/`-qqq`, `--syscall-limit`, `NAME@64/@32`,
//! `--always-show-pid`, `--argv0`, `-u UID:GID`, `-D`; and the options rtrace refuses,
//! each with one line that says why.
//!
//! Each comparison normalises only what varies between two runs of the same program, each
//! rule with its reason (the shared `Normaliser`'s, or the few named here).

use std::sync::OnceLock;

use regex::Regex;
use rtrace_tests::{compare, fixture, fixture_i386, Level, Normaliser, Outcome, Tracer};

fn data_dumps() -> String {
    fixture("data_dumps").display().to_string()
}

/// What differs between two runs beyond the shared normaliser's rules.
fn run_varying(lines: &[String]) -> Vec<String> {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            // Socket and pipe inodes are allocated afresh in each run.
            (
                r"(socket|pipe|UNIX|UNIX-STREAM|TCP|UDP):\[\d+(->\d+)?",
                "$1:[INODE",
            ),
            // A pidfd names the process, whose pid each run gets anew.
            (r"<pid:\d+>", "<pid:PID>"),
            // Each tracer names itself in its messages (argv[0]: strace / rtrace).
            (r"^(strace|rtrace): ", "TRACER: "),
            // Pids in the tracers' messages.
            (r"Process \d+", "Process PID"),
            // The kernel numbers eventfds system-wide (an IDA): another process's
            // eventfd, a parallel test's, moves it.
            (r"eventfd-id=\d+", "eventfd-id=N"),
            // Namespaces made by a run are new inodes each time.
            (r"(cgroup|ipc|mnt|net|pid|time|user|uts):\[\d+\]", "$1:[NS]"),
        ]
        .iter()
        .map(|(p, r)| (Regex::new(p).expect("valid regex"), *r))
        .collect()
    });
    lines
        .iter()
        .map(|line| {
            rules.iter().fold(line.clone(), |l, (re, to)| {
                re.replace_all(&l, *to).into_owned()
            })
        })
        .collect()
}

/// The pid prefix (`-o` files, --always-show-pid: `1234  `; stderr: `[pid  1234] `):
/// each run's pids differ. It is set aside while the rest is normalised (whose rules
/// look at the start of the call) and comes back as `PID `.
fn without_pid_prefix(line: &str) -> (&'static str, &str) {
    static PREFIX: OnceLock<Regex> = OnceLock::new();
    let prefix = PREFIX.get_or_init(|| Regex::new(r"^(?:\d+ +|\[pid +\d+\] )").expect("valid"));
    match prefix.find(line) {
        Some(m) => ("PID ", &line[m.end()..]),
        None => ("", line),
    }
}

/// The trace as a whole (the normaliser finds the heap from its brk results), each
/// line's pid prefix set aside.
fn normalise_with(normaliser: &Normaliser, lines: &[String]) -> Vec<String> {
    let varied = run_varying(lines);
    let (prefixes, rests): (Vec<&str>, Vec<&str>) =
        varied.iter().map(|line| without_pid_prefix(line)).unzip();
    prefixes
        .iter()
        .zip(normaliser.lines(&rests))
        .map(|(prefix, rest)| format!("{prefix}{rest}"))
        .collect()
}

fn normalise(lines: &[String]) -> Vec<String> {
    normalise_with(&Normaliser::new(), lines)
}

/// For 32-bit programs on the 64-bit kernel.
fn normalise_32(lines: &[String]) -> Vec<String> {
    normalise_with(&Normaliser::new().with_32_bit_addresses(), lines)
}

/// The result of an mmap with MAP_32BIT.
fn map_32bit_result() -> &'static Regex {
    static COMPILED: OnceLock<Regex> = OnceLock::new();
    COMPILED.get_or_init(|| {
        Regex::new(r"^(?:\d+ +)?mmap\(.*\bMAP_32BIT\b.*\) += (0x[0-9a-f]+)$").expect("valid")
    })
}

/// For int80, an x86_64 program whose int $0x80 calls use a MAP_32BIT buffer: the kernel
/// puts a MAP_32BIT mapping at a random page of its window below 2 GiB (the window's
/// start moves with ASLR), outside the shared normaliser's x86_64 ranges. That one
/// address, found in each trace, is named; every other number is compared as printed.
fn normalise_int80(lines: &[String]) -> Vec<String> {
    let mut normaliser = Normaliser::new();
    if let Some(found) = lines.iter().find_map(|l| map_32bit_result().captures(l)) {
        normaliser = normaliser.replacing(&found[1], "0xMAP32BIT");
    }
    normalise_with(&normaliser, lines)
}

fn assert_no_panic(out: &Outcome) {
    assert!(
        !out.stderr.contains("panicked"),
        "rtrace panicked:\n{}",
        out.dump()
    );
}

/// Asserts two normalised traces are equal, listing the differing lines when not.
fn assert_same(what: &str, strace: &[String], rtrace: &[String]) {
    let comparison = compare(strace, rtrace, Level::FullLine);
    assert!(
        comparison.differences.is_empty(),
        "{what}: rtrace differs from strace ({}):\n{}",
        comparison.report(40),
        rtrace.join("\n")
    );
}

/// `program args` traced into a `-o` file by the reference strace and by rtrace.
fn trace_both(reference: Tracer, options: &[&str], command: &[&str]) -> (Outcome, Outcome) {
    let strace = reference.trace(options, command);
    let rtrace = Tracer::Rtrace.trace(options, command);
    assert_no_panic(&rtrace);
    assert_eq!(
        rtrace.describe(),
        strace.describe(),
        "{options:?} {command:?}: exit\n{}",
        rtrace.dump()
    );
    (strace, rtrace)
}

/// Runs without `-o`: the trace and the tracer's messages on stderr, as a user sees them.
fn run_both(args: &[&str]) -> (Outcome, Outcome) {
    let strace = Tracer::Strace.run(args);
    let rtrace = Tracer::Rtrace.run(args);
    assert_no_panic(&rtrace);
    assert_eq!(
        rtrace.describe(),
        strace.describe(),
        "{args:?}: exit\n{}",
        rtrace.dump()
    );
    (strace, rtrace)
}

// ---------------------------------------------------------------------------------------
// -e read= / -e write=

const DUMP_SETS: &[&[&str]] = &[
    &["-e", "read=all", "-e", "write=all"],
    // The pipe's ends are 3 and 4, the socket pair 5 and 6, the memfd 7.
    &["--write=4,5", "--read=6"],
    &["-e", "reads=!3", "-e", "w=7"],
    &[
        "-e",
        "r=none",
        "-e",
        "writes=!none",
        "-e",
        "trace=writev,sendmsg,sendmmsg,write",
    ],
];

#[test]
fn data_dumps_match_strace() {
    let program = data_dumps();
    for options in DUMP_SETS {
        let (strace, rtrace) = trace_both(Tracer::Strace, options, &[&program, "dumps"]);
        let expected = normalise(&strace.trace);
        assert!(
            expected.iter().filter(|l| l.starts_with(" | ")).count() >= 2,
            "{options:?}: strace dumped nothing (the fixture or the sets are wrong):\n{}",
            expected.join("\n")
        );
        assert_same(
            &format!("{options:?}"),
            &expected,
            &normalise(&rtrace.trace),
        );
    }
}

/// The same calls from a 32-bit program: iovec, msghdr and mmsghdr of the i386 layout,
/// against the i686 reference (which decodes that personality fully).
#[test]
fn data_dumps_of_an_i386_program_match_strace() {
    let program = fixture_i386("data_dumps").display().to_string();
    let options = ["-e", "read=all", "-e", "write=all"];
    let (strace, rtrace) = trace_both(Tracer::Oracle("i686"), &options, &[&program, "dumps"]);
    assert_same(
        "i386 dumps",
        &normalise_32(&strace.trace),
        &normalise_32(&rtrace.trace),
    );
}

/// A test of the test: one wrong digit in a dump row, or a missing row, is a difference.
#[test]
fn a_wrong_dump_row_is_a_difference() {
    let program = data_dumps();
    let rtrace = Tracer::Rtrace.trace(&["-e", "write=all"], &[&program, "dumps"]);
    let good = normalise(&rtrace.trace);
    let row = good
        .iter()
        .position(|l| l.starts_with(" | 00000  68 65 6c 6c 6f"))
        .unwrap_or_else(|| panic!("no dump of \"hello\":\n{}", good.join("\n")));
    let mut wrong = good.clone();
    wrong[row] = wrong[row].replacen("68 65", "68 66", 1);
    assert!(!compare(&good, &wrong, Level::FullLine)
        .differences
        .is_empty());
    let mut missing = good.clone();
    missing.remove(row);
    assert!(!compare(&good, &missing, Level::FullLine)
        .differences
        .is_empty());
}

// ---------------------------------------------------------------------------------------
// --decode-fds=

#[test]
fn decode_fds_sets_match_strace() {
    let program = data_dumps();
    let sets: &[&[&str]] = &[
        &["--decode-fds=path"],
        &["--decode-fds"],
        &["--decode-fds=socket"],
        &["--decode-fds=dev,pidfd"],
        &["--decode-fds=eventfd"],
        &["--decode-fds=signalfd,path"],
        &["-e", "decode-fds=all"],
        &["--decode-fds=!path"],
        &["--decode-fds=none"],
        &["-yy"],
    ];
    for options in sets {
        let (strace, rtrace) = trace_both(Tracer::Strace, options, &[&program, "fds"]);
        assert_same(
            &format!("{options:?}"),
            &normalise(&strace.trace),
            &normalise(&rtrace.trace),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Timestamps: --absolute-timestamps=FORMAT,PRECISION, -r/-T with a precision

/// Each option, with the exact shape strace gives the time on a syscall line (prefix or
/// suffix); the times themselves vary and become `T`.
const TIME_SHAPES: &[(&[&str], &str)] = &[
    (&["--timestamps=unix,ns"], r"^\d{10}\.\d{9} "),
    (
        &["--absolute-timestamps=precision:ms"],
        r"^\d\d:\d\d:\d\d\.\d{3} ",
    ),
    (&["--timestamps"], r"^\d\d:\d\d:\d\d "),
    (&["--timestamps=format:unix,precision:s"], r"^\d{10} "),
    (
        &["--absolute-timestamps=time,us"],
        r"^\d\d:\d\d:\d\d\.\d{6} ",
    ),
    (&["--relative-timestamps=ns"], r"^ {5}\d\.\d{9} "),
    (&["--relative-timestamps=s"], r"^ {5}\d "),
    (&["--relative-timestamps=ms"], r"^ {5}\d\.\d{3} "),
    (
        &["-r", "--timestamps=ms"],
        r"^\d\d:\d\d:\d\d\.\d{3} \(\+ {5}\d\.\d{6}\) ",
    ),
    (&["--syscall-times=ms"], r" <\d+\.\d{3}>$"),
    (&["--syscall-times=s"], r" <\d+>$"),
    (&["--syscall-times=ns", "-tt"], r" <\d+\.\d{9}>$"),
];

#[test]
fn timestamp_precisions_match_strace() {
    let program = data_dumps();
    // -tt's time, beside --syscall-times=ns.
    let ordinary = Regex::new(r"^\d\d:\d\d:\d\d\.\d{6} ").expect("valid regex");
    for (options, shape) in TIME_SHAPES {
        let shape = Regex::new(shape).expect("valid regex");
        let mut args = options.to_vec();
        args.extend(["-e", "trace=fcntl,getcwd,faccessat2"]);
        let (strace, rtrace) = trace_both(Tracer::Strace, &args, &[&program, "fds"]);
        // Every syscall line has the shape, under both tracers (strace's is the test's
        // check of itself); then the shapes become `T` and the rest must be equal.
        let strip = |who: &str, trace: &[String]| -> Vec<String> {
            let calls: Vec<&String> = trace.iter().filter(|l| l.contains('(')).collect();
            assert!(
                calls.len() >= 7,
                "{who} {options:?}: too few calls: {calls:?}"
            );
            for line in &calls {
                assert!(
                    shape.is_match(line),
                    "{who} {options:?}: {line:?} lacks {shape}"
                );
            }
            trace
                .iter()
                .map(|l| {
                    let l = shape.replace(l, " T ").into_owned();
                    ordinary.replace(&l, "TT ").into_owned()
                })
                .collect()
        };
        assert_same(
            &format!("{options:?}"),
            &normalise(&strip("strace", &strace.trace)),
            &normalise(&strip("rtrace", &rtrace.trace)),
        );
    }
}

#[test]
fn bad_precisions_are_refused_like_strace() {
    for args in [
        &["--timestamps=foo", "true"][..],
        &["--relative-timestamps=xs", "true"][..],
        &["--syscall-times=minutes", "true"][..],
        &["-t", "--absolute-timestamps", "true"][..],
    ] {
        let rtrace = Tracer::Rtrace.run(args);
        let strace = Tracer::Strace.run(args);
        assert_no_panic(&rtrace);
        assert_eq!(strace.exit_code(), Some(1), "{args:?}: strace");
        assert_eq!(rtrace.exit_code(), Some(1), "{args:?}: {}", rtrace.dump());
        assert_eq!(
            rtrace.stderr_lines().len(),
            1,
            "{args:?}: {}",
            rtrace.stderr
        );
        assert!(rtrace.stderr.starts_with("rtrace: "), "{}", rtrace.stderr);
    }
}

// ---------------------------------------------------------------------------------------
// --strings-in-hex=

#[test]
fn strings_in_hex_modes_match_strace() {
    let program = data_dumps();
    for mode in [
        "--strings-in-hex=none",
        "--strings-in-hex=non-ascii-chars",
        "--strings-in-hex=non-ascii",
        "--strings-in-hex=all",
        "--strings-in-hex",
    ] {
        let (strace, rtrace) = trace_both(Tracer::Strace, &[mode], &[&program, "dumps"]);
        assert_same(mode, &normalise(&strace.trace), &normalise(&rtrace.trace));
    }
    let rtrace = Tracer::Rtrace.run(&["-x", "--strings-in-hex=all", "true"]);
    assert_eq!(
        rtrace.stderr_lines(),
        ["rtrace: -x and --strings-in-hex cannot be provided simultaneously"]
    );
}

// ---------------------------------------------------------------------------------------
// --quiet= / -e quiet= / -qqq

const QUIET_FORMS: &[&[&str]] = &[
    &[],
    &["-qqq"],
    &["--quiet"],
    &["--quiet=exit"],
    &["-e", "quiet=attach,personality"],
    &["--quiet=!exit"],
    &["-e", "quiet=none"],
    &["--quiet=thread-execve"],
    &["--silent=superseded"],
    &["--silence=path-resolution"],
    &["-e", "q=personality"],
    &["--quiet=all"],
];

/// Each form on programs that make every message: an exit, personality changes (int80),
/// a thread's execve (superseded), a -P path through a symlink, and detaching
/// (--syscall-limit's).
#[test]
fn quiet_sets_match_strace() {
    let int80 = fixture("int80").display().to_string();
    let thread_exec = fixture("rel_thread_exec").display().to_string();
    let dir = tempfile::tempdir().expect("temporary directory");
    let target = dir.path().join("target");
    std::fs::write(&target, b"x").expect("write");
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let link = link.display().to_string();
    let dir_text = dir.path().display().to_string();
    let runs: &[&[&str]] = &[
        &["-e", "trace=getppid", &int80],
        &["-f", "-e", "trace=execve", &thread_exec],
        &["-P", &link, "sh", "-c", "exit 3"],
        &["--syscall-limit=2", "-e", "trace=getppid", &int80],
    ];
    for quiet in QUIET_FORMS {
        for run in runs {
            let mut args = quiet.to_vec();
            args.extend_from_slice(run);
            let (strace, rtrace) = run_both(&args);
            let tidy = |out: &Outcome| -> Vec<String> {
                let lines: Vec<String> = out
                    .trace
                    .iter()
                    // The reference warns about i386 structure decoding (built without mpers).
                    .filter(|l| !l.contains("mpers support"))
                    .map(|l| l.replace(&dir_text, "$DIR"))
                    .collect();
                normalise(&lines)
            };
            assert_same(&format!("{args:?}"), &tidy(&strace), &tidy(&rtrace));
        }
    }
    for (args, message) in [
        (
            &["-q", "--quiet=exit", "true"][..],
            "-q and -e quiet/--quiet cannot be provided simultaneously",
        ),
        (&["--quiet=bogus", "true"][..], "invalid quiet 'bogus'"),
    ] {
        let rtrace = Tracer::Rtrace.run(args);
        assert_eq!(rtrace.exit_code(), Some(1));
        assert_eq!(rtrace.stderr_lines(), [format!("rtrace: {message}")]);
    }
}

// ---------------------------------------------------------------------------------------
// --syscall-limit

#[test]
fn syscall_limit_matches_strace() {
    let program = data_dumps();
    for options in [
        &["--syscall-limit=4"][..],
        // Calls the filters leave out do not count.
        &["--syscall-limit=3", "-e", "trace=fcntl"][..],
        &["--syscall-limit=2", "--status=failed"][..],
        // The summary of the calls counted before the limit (times zeroed by -O).
        &["-c", "-O", "1s", "--syscall-limit=5"][..],
    ] {
        let (strace, rtrace) = trace_both(Tracer::Strace, options, &[&program, "fds"]);
        assert_same(
            &format!("{options:?}"),
            &normalise(&strace.trace),
            &normalise(&rtrace.trace),
        );
        // The messages, without -o (which implies -q).
        let mut args = options.to_vec();
        args.extend([program.as_str(), "fds"]);
        let (strace, rtrace) = run_both(&args);
        assert_same(
            &format!("{options:?} on stderr"),
            &normalise(&strace.trace),
            &normalise(&rtrace.trace),
        );
    }
    let rtrace = Tracer::Rtrace.run(&["--syscall-limit=0", "true"]);
    assert_eq!(
        rtrace.stderr_lines(),
        ["rtrace: invalid --syscall-limit argument: '0'"]
    );
}

/// The detached command goes on running: its file appears after rtrace has exited.
/// (Run with its output discarded: the command keeps rtrace's pipes open.)
#[test]
fn syscall_limit_leaves_the_command_running() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let done = dir.path().join("done");
    let script = format!("sleep 1; touch {}", done.display());
    let status = std::process::Command::new(rtrace_tests::rtrace_binary())
        .args(["-qq", "--syscall-limit=1", "sh", "-c", &script])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("rtrace runs");
    assert_eq!(status.code(), Some(0), "rtrace {status}");
    assert!(!done.exists(), "rtrace waited for the command");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !done.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        done.exists(),
        "the command did not go on after rtrace detached"
    );
}

// ---------------------------------------------------------------------------------------
// NAME@64 / NAME@32 / NAME@x32

/// A test of the test: the MAP_32BIT mapping's address is the one number int80's
/// normalisation names; the same address elsewhere is named too, any other is compared.
#[test]
fn int80_normalisation_names_only_the_map_32bit_address() {
    let trace = |map: &str, other: &str| -> Vec<String> {
        normalise_int80(&[
            format!("mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_32BIT, -1, 0) = {map}"),
            format!("munmap({map}, 4096) = 0"),
            format!("mprotect({other}, 4096, PROT_READ) = 0"),
        ])
    };
    assert_eq!(
        trace("0x40073000", "0x401000"),
        trace("0x41921000", "0x401000")
    );
    assert_ne!(
        trace("0x40073000", "0x401000"),
        trace("0x40073000", "0x402000")
    );
}

#[test]
fn personality_designators_match_strace() {
    let int80 = fixture("int80").display().to_string();
    for set in [
        "trace=getpid@32,write",
        "trace=getpid@64,write@32",
        "trace=!write@32",
        "trace=all@32",
        "trace=/get@64",
        "trace=%process@64,getppid@x32",
    ] {
        let (strace, rtrace) = trace_both(Tracer::Strace, &["-e", set], &[&int80]);
        assert_same(
            set,
            &normalise_int80(&strace.trace),
            &normalise_int80(&rtrace.trace),
        );
    }
    // x32 calls (failing with ENOSYS where the kernel disables x32, traced all the same).
    let x32 = fixture("x32_calls").display().to_string();
    for set in [
        "trace=getpid@x32,getppid",
        "trace=getpid@64,getppid@x32,getppid@64",
    ] {
        let (strace, rtrace) = trace_both(Tracer::Strace, &["-e", set], &[&x32]);
        assert_same(set, &normalise(&strace.trace), &normalise(&rtrace.trace));
    }
    let rtrace = Tracer::Rtrace.run(&["-e", "trace=open@16", "true"]);
    assert_eq!(rtrace.exit_code(), Some(1));
    assert_eq!(
        rtrace.stderr_lines(),
        ["rtrace: incorrect personality designator '16' in qualification 'open@16'"]
    );
}

// ---------------------------------------------------------------------------------------
// --always-show-pid, --argv0, -u UID:GID

#[test]
fn always_show_pid_matches_strace() {
    let program = data_dumps();
    let (strace, rtrace) = trace_both(Tracer::Strace, &["--always-show-pid"], &[&program, "fds"]);
    let expected = normalise(&strace.trace);
    assert!(
        expected.iter().all(|l| l.starts_with("PID ")),
        "strace's lines lack the pid: {expected:?}"
    );
    assert_same("--always-show-pid", &expected, &normalise(&rtrace.trace));
}

#[test]
fn argv0_reaches_the_command() {
    let program = data_dumps();
    let (strace, rtrace) = trace_both(
        Tracer::Strace,
        &["--argv0=renamed", "-e", "trace=execve"],
        &[&program, "fds"],
    );
    let expected = normalise(&strace.trace);
    assert!(
        expected[0].contains(r#"["renamed", "fds"]"#),
        "{expected:?}"
    );
    assert_same("--argv0", &expected, &normalise(&rtrace.trace));
}

#[test]
fn uid_gid_pairs_run_the_command_with_those_ids() {
    let probe = fixture("opt_probe").display().to_string();
    let args = ["-o", "/dev/null", "-u", "65534:65533", &probe, "ids"];
    let (strace, rtrace) = run_both(&args);
    assert_eq!(
        String::from_utf8_lossy(&rtrace.stdout),
        String::from_utf8_lossy(&strace.stdout),
        "{}",
        rtrace.dump()
    );
    if strace.exit_code() == Some(0) {
        // Running as root: the probe printed the ids it ran with.
        assert!(
            String::from_utf8_lossy(&strace.stdout).contains("65534"),
            "strace's run: {}",
            String::from_utf8_lossy(&strace.stdout)
        );
    }
    let rtrace = Tracer::Rtrace.run(&["-u", "1:x", "true"]);
    assert_eq!(rtrace.exit_code(), Some(1));
    assert_eq!(rtrace.stderr_lines().len(), 1, "{}", rtrace.stderr);
}

// ---------------------------------------------------------------------------------------
// Refused options

/// Each option rtrace does not implement stops it before anything runs, with one line
/// naming the option and the reason.
#[test]
fn refused_options_say_why() {
    let probe = fixture("opt_probe").display().to_string();
    let cases: &[(&[&str], &str)] = &[(&["-e", "kvm=vcpu+"], "-e kvm=vcpu+ is not supported")];
    for (options, reason) in cases {
        let dir = tempfile::tempdir().expect("temporary directory");
        let marker = dir.path().join("ran");
        let marker_text = marker.display().to_string();
        let mut args = options.to_vec();
        args.extend([probe.as_str(), "create", &marker_text]);
        let rtrace = Tracer::Rtrace.run(&args);
        assert_no_panic(&rtrace);
        assert_eq!(
            rtrace.exit_code(),
            Some(1),
            "{options:?}: {}",
            rtrace.dump()
        );
        let lines = rtrace.stderr_lines();
        assert_eq!(lines.len(), 1, "{options:?}: {}", rtrace.stderr);
        assert!(
            lines[0].starts_with(&format!("rtrace: {reason}")) && lines[0].contains('('),
            "{options:?}: {:?} does not give the reason",
            lines[0]
        );
        assert!(!marker.exists(), "{options:?}: the command ran");
    }
}

// ---------------------------------------------------------------------------------------
// --tips

/// A tip is shown on stderr when rtrace exits (after the trace, which -o sends
/// elsewhere), or alone without a command; `format:none` shows none; the option's
/// language is strace's, and a bad argument is refused in strace's words. The tips are
/// rtrace's own, so only where and how they appear is compared with the reference.
#[test]
fn tips_are_shown_on_exit() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("trace");
    let out_text = out.display().to_string();
    let tip_box = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .skip_while(|l| !l.starts_with("  ___"))
            .map(str::to_owned)
            .collect()
    };
    for (tracer, marker) in [
        (
            Tracer::Oracle("x86_64"),
            "It's possible to display timestamps",
        ),
        (Tracer::Rtrace, "rtrace tip #2"),
    ] {
        let run = tracer.run(&["--tips=id:2,format:compact", "-o", &out_text, "true"]);
        assert_eq!(run.exit_code(), Some(0), "{}", run.dump());
        let shown = tip_box(&run.stderr);
        assert!(
            shown.len() >= 4 && shown.iter().any(|l| l.contains(marker)),
            "{}: no tip on stderr: {}",
            tracer.name(),
            run.stderr
        );
        let trace = std::fs::read_to_string(&out).expect("the trace file");
        assert!(trace.contains("exit_group(0)"), "{trace}");
        assert!(
            !trace.contains(marker),
            "{}: the tip went to -o",
            tracer.name()
        );
    }
    // Without a command, the tip alone and success.
    let alone = Tracer::Rtrace.run(&["--tips=3"]);
    assert_eq!(alone.exit_code(), Some(0), "{}", alone.dump());
    assert!(tip_box(&alone.stderr)
        .iter()
        .any(|l| l.contains("rtrace tip #3")));
    // format:none: no tip, as the reference.
    for tracer in [Tracer::Oracle("x86_64"), Tracer::Rtrace] {
        let run = tracer.run(&["--tips=format:none", "-o", &out_text, "true"]);
        assert_eq!(run.exit_code(), Some(0), "{}", run.dump());
        assert_eq!(run.stderr, "", "{}", tracer.name());
    }
    let bad = Tracer::Rtrace.run(&["--tips=bogus", "true"]);
    assert_eq!(bad.exit_code(), Some(1));
    assert_eq!(
        bad.stderr_lines(),
        ["rtrace: invalid --tips argument: 'bogus'"]
    );
}

// ---------------------------------------------------------------------------------------
// -c with -U (columns, 7.1's wall-clock ones), -S (every key) and -O (overhead)

/// With an overhead of a second every call's time is 0 under both tracers: the tables
/// must then be identical to the byte (layout, widths, order, counts, errors), for every
/// column set and sort key.
#[test]
fn summary_columns_sorts_and_overhead_match_strace() {
    let program = data_dumps();
    let all_columns = "time-percent,total-time,min-time,max-time,avg-time,calls,errors,name,\
                       wall-total,wall-min,wall-max,wall-avg";
    let cases: &[&[&str]] = &[
        &["-U", all_columns],
        &["-U", "name,calls,errors"],
        &["-U", "calls,errors"],
        &["--summary-columns=shortest,longest,count,error,syscall,total-wall"],
        &["-U", "wall_avg,time_avg,calls", "-S", "calls"],
        &["-S", "errors"],
        &["-S", "name"],
        &["-S", "min-time"],
        &["-S", "longest"],
        &["-S", "wall-avg", "-U", "calls,wall-max"],
        &["-S", "nothing"],
        &["-w", "-S", "total_time"],
    ];
    for options in cases {
        let mut args = vec!["-c", "-O", "1s"];
        args.extend_from_slice(options);
        let (strace, rtrace) = trace_both(Tracer::Strace, &args, &[&program, "dumps"]);
        assert!(
            strace.trace.iter().any(|l| l.contains("sendmmsg")),
            "{args:?}: strace's table lacks the calls: {:?}",
            strace.trace
        );
        assert_same(&format!("{args:?}"), &strace.trace, &rtrace.trace);
    }
}

/// Without the overhead the times vary from run to run: they become `T` (a figure with
/// a decimal point, with the padding before it, which varies with its digits), the rest
/// of each line must be equal. The usecs/call and wall-avg
/// columns are left out (whole microseconds that vary too).
#[test]
fn summary_wall_columns_beside_cpu_time_match_strace() {
    let program = data_dumps();
    let time = Regex::new(r" *\d+\.\d+").expect("valid regex");
    for options in [
        &[
            "-U",
            "total-time,wall-total,wall-min,calls,errors,name",
            "-S",
            "name",
        ][..],
        &[
            "-w",
            "-U",
            "time-percent,total-time,wall-total,calls",
            "-S",
            "calls",
        ][..],
    ] {
        let mut args = vec!["-c"];
        args.extend_from_slice(options);
        let (strace, rtrace) = trace_both(Tracer::Strace, &args, &[&program, "dumps"]);
        let times = |lines: &[String]| -> Vec<String> {
            lines
                .iter()
                .map(|l| time.replace_all(l, " T").into_owned())
                .collect()
        };
        assert_same(
            &format!("{args:?}"),
            &times(&strace.trace),
            &times(&rtrace.trace),
        );
    }
    for (args, message) in [
        (&["-c", "-U", "bogus", "true"][..], "unknown column name: 'bogus'"),
        (
            &["-c", "-U", "calls,name,calls", "true"][..],
            "call summary column has been provided more than once: 'calls' (-U option residual: 'calls')",
        ),
        (&["-c", "-S", "bogus", "true"][..], "invalid sortby: 'bogus'"),
        (&["-c", "-O", "5 parsecs", "true"][..], "invalid -O argument: '5 parsecs'"),
    ] {
        let rtrace = Tracer::Rtrace.run(args);
        assert_eq!(rtrace.exit_code(), Some(1), "{args:?}");
        assert_eq!(rtrace.stderr_lines(), [format!("rtrace: {message}")]);
    }
}

// ---------------------------------------------------------------------------------------
// -D / -DD / -DDD / --daemonize

/// The tracer runs as the command's grandchild: the command keeps the caller as its
/// parent (it prints its parent's pid: this test's) and its exit status reaches the
/// caller; the trace is strace's.
#[test]
fn daemonized_tracer_matches_strace() {
    let program = data_dumps();
    let me = std::process::id().to_string();
    for how in [
        &["-D"][..],
        &["-DD"][..],
        &["-DDD"][..],
        &["--daemonize"][..],
        &["--daemonize=pgrp"][..],
        &["--daemonize=session"][..],
    ] {
        let (strace, rtrace) = trace_both(Tracer::Strace, how, &[&program, "fds"]);
        assert_same(
            &format!("{how:?}"),
            &normalise(&strace.trace),
            &normalise(&rtrace.trace),
        );
        let mut args = how.to_vec();
        args.extend(["-e", "trace=none", "sh", "-c", "echo $PPID; exit 7"]);
        let (strace, rtrace) = run_both(&args);
        assert_eq!(
            strace.exit_code(),
            Some(7),
            "{args:?}: strace {}",
            strace.dump()
        );
        for out in [&strace, &rtrace] {
            assert_eq!(
                String::from_utf8_lossy(&out.stdout).trim(),
                me,
                "{args:?}: the command's parent is not the caller"
            );
        }
        assert_same(
            &format!("{args:?} messages"),
            &normalise(&strace.trace),
            &normalise(&rtrace.trace),
        );
    }
    for (args, message) in [
        (
            &["-DDDD", "true"][..],
            "Too many -D's (4), maximum supported -D count is 3",
        ),
        (
            &["-D", "--daemonize", "true"][..],
            "-D and --daemonize cannot be provided simultaneously",
        ),
        (
            &["--daemonize=far", "true"][..],
            "invalid --daemonize argument: 'far'",
        ),
        (
            &["-D", "-p", "1"][..],
            "PROG [ARGS] must be specified with -D/--daemonize",
        ),
    ] {
        let rtrace = Tracer::Rtrace.run(args);
        assert_eq!(rtrace.exit_code(), Some(1), "{args:?}");
        assert_eq!(rtrace.stderr_lines(), [format!("rtrace: {message}")]);
    }
}

// ---------------------------------------------------------------------------------------
// -e namespace=new

#[test]
fn new_namespaces_match_strace() {
    let program = fixture("namespaces").display().to_string();
    for options in [
        &["-e", "namespace=new"][..],
        &["--namespace=new"][..],
        &["--namespace"][..],
        &[][..],
    ] {
        let mut args = options.to_vec();
        args.extend(["-e", "trace=unshare,setns,clone,clone3"]);
        let (strace, rtrace) = trace_both(Tracer::Strace, &args, &[&program]);
        assert_same(
            &format!("{args:?}"),
            &normalise(&strace.trace),
            &normalise(&rtrace.trace),
        );
    }
    let rtrace = Tracer::Rtrace.run(&["-e", "namespace=old", "true"]);
    assert_eq!(rtrace.exit_code(), Some(1));
    assert_eq!(
        rtrace.stderr_lines(),
        ["rtrace: invalid -e namespace= argument: 'old'"]
    );
}
