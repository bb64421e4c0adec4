//! `-k`: rtrace's stack traces against Debian's strace 6.1 (the static reference 7.2
//! is built without -k), on a C program with known call sites.
//!
//! What is compared: for every call, in order, its name and its frame lines, byte for
//! byte. strace prints each frame's address as an offset in its file (address −
//! mapping start + mapping offset), which the loader's randomisation does not change,
//! so no normalisation rule is needed and none is applied. The calls' arguments and
//! results are not compared here (pids and addresses vary; the other tests judge them).

use std::path::Path;
use std::process::Command;

use rtrace_tests::fixtures::fixture;
use rtrace_tests::locate::{debian_strace, rtrace_binary};
use rtrace_tests::stack_frames::{self, Call};

/// Runs `tracer -k -o FILE args` and returns the trace.
fn trace(tracer: &Path, args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("trace");
    let status = Command::new(tracer)
        .arg("-o")
        .arg(&out)
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", tracer.display()));
    assert!(status.success(), "{} {args:?}: {status}", tracer.display());
    std::fs::read_to_string(&out).expect("read the trace")
}

/// The calls of a trace, each with its frames (a frame before any call fails the test).
fn calls(trace: &str) -> Vec<Call> {
    stack_frames::calls(trace).unwrap_or_else(|e| panic!("{e}"))
}

/// The first difference between two traces' calls, or `None` when they agree.
fn first_difference(strace: &[Call], rtrace: &[Call]) -> Option<String> {
    for (i, (s, r)) in strace.iter().zip(rtrace).enumerate() {
        if s != r {
            return Some(format!("call {i}:\nstrace: {s:#?}\nrtrace: {r:#?}"));
        }
    }
    (strace.len() != rtrace.len()).then(|| {
        format!(
            "{} calls from strace, {} from rtrace",
            strace.len(),
            rtrace.len()
        )
    })
}

#[test]
fn frames_match_strace_on_known_call_sites() {
    let program = fixture("stack_calls");
    let program = program.to_str().expect("a UTF-8 path");
    let strace = calls(&trace(&debian_strace(), &["-k", program]));
    let rtrace = calls(&trace(&rtrace_binary(), &["-k", program]));
    if let Some(difference) = first_difference(&strace, &rtrace) {
        panic!("rtrace -k differs from strace -k at {difference}");
    }
    // The known call sites are there, with their functions and file (not only equal:
    // both could be empty).
    let frames_of = |name: &str| {
        rtrace
            .iter()
            .find(|c| c.name == name && c.frames.iter().any(|f| f.starts_with(program)))
            .unwrap_or_else(|| panic!("no {name} from {program} in {rtrace:#?}"))
            .frames
            .clone()
    };
    let functions = |frames: &[String]| -> Vec<String> {
        frames
            .iter()
            .filter_map(|f| f.strip_prefix(program))
            .filter_map(|f| f.strip_prefix('('))
            .filter_map(|f| f.split('+').next())
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        functions(&frames_of("getppid")),
        ["inner_call", "outer_call", "main", "_start"]
    );
    assert_eq!(
        functions(&frames_of("openat")),
        ["open_missing", "main", "_start"]
    );
    assert_eq!(functions(&frames_of("write")), ["say", "main", "_start"]);
    let exit = frames_of("exit_group");
    assert!(exit[0].contains("libc.so.6(_exit+"), "{exit:?}");
}

/// A signal caught by a handler: the frames at its delivery, then the handler's call
/// through the sigreturn trampoline down to the interrupted `kill` and on to `_start`.
#[test]
fn frames_through_a_signal_handler_match_strace() {
    let program = fixture("signals");
    let program = program.to_str().expect("a UTF-8 path");
    let strace = calls(&trace(&debian_strace(), &["-k", program, "handle"]));
    let rtrace = calls(&trace(&rtrace_binary(), &["-k", program, "handle"]));
    if let Some(difference) = first_difference(&strace, &rtrace) {
        panic!("rtrace -k differs from strace -k at {difference}");
    }
    let signal = rtrace
        .iter()
        .position(|c| c.name == "--- SIGUSR1")
        .expect("the signal's line");
    let handler = &rtrace[signal + 1];
    assert_eq!(handler.name, "write", "{rtrace:#?}");
    assert!(
        handler.frames.iter().any(|f| f.contains("(on_usr1+"))
            && handler.frames.iter().any(|f| f.contains("(kill+"))
            && handler
                .frames
                .last()
                .is_some_and(|f| f.contains("(_start+")),
        "{handler:#?}"
    );
}

/// The comparison fails on one wrong frame, a missing frame, and a missing call.
#[test]
fn the_comparison_catches_a_wrong_frame() {
    let trace = "getppid()  = 1\n > /bin/x(inner_call+0x9) [0x1182]\n > /bin/x(main+0x9) [0x11f5]\nexit_group(0) = ?\n+++ exited with 0 +++\n > /lib/libc.so.6(_exit+0x29) [0xd4409]\n";
    let good = calls(trace);
    assert_eq!(good.len(), 2);
    assert_eq!(good[1].frames, ["/lib/libc.so.6(_exit+0x29) [0xd4409]"]);
    assert_eq!(first_difference(&good, &good), None);
    let mut wrong = good.clone();
    wrong[0].frames[1] = "/bin/x(main+0xa) [0x11f5]".into();
    assert!(first_difference(&good, &wrong).is_some());
    let mut short = good.clone();
    short[0].frames.pop();
    assert!(first_difference(&good, &short).is_some());
    assert!(first_difference(&good, &good[..1]).is_some());
}

/// Options around -k, as strace 7.2 defines them.
#[test]
fn stack_trace_options() {
    let program = fixture("stack_calls");
    let program = program.to_str().expect("a UTF-8 path");
    let run = |args: &[&str]| {
        Command::new(rtrace_binary())
            .args(args)
            .output()
            .expect("run rtrace")
    };
    // A limit of 2 frames: two frames, then strace's line.
    let limited = calls(&trace(
        &rtrace_binary(),
        &[
            "-k",
            "--stack-trace-frame-limit=2",
            "-e",
            "trace=getppid",
            program,
        ],
    ));
    assert_eq!(limited.len(), 1, "{limited:?}");
    assert_eq!(limited[0].frames.len(), 3, "{limited:?}");
    assert!(limited[0].frames[1].contains("(inner_call+"), "{limited:?}");
    assert_eq!(limited[0].frames[2], "too many stack frames");
    // --stack-trace=symbol is -k.
    let long = calls(&trace(
        &rtrace_binary(),
        &["--stack-trace=symbol", "-e", "trace=getppid", program],
    ));
    assert_eq!(long[0].frames.len(), 7, "{long:?}");
    // Refusals, one line each, non-zero exit.
    for args in [
        &["--stack-trace-frame-limit=0", "-k", "/bin/true"][..],
        &["--stack-trace=bogus", "/bin/true"],
        &["-kkk", "/bin/true"],
    ] {
        let out = run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} accepted");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("rtrace: "), "{args:?}: {stderr}");
    }
}

/// The line number of `function`'s call to `callee` in `source`: the one line of the
/// function's body (from its definition to the brace that closes it at column 0) that
/// calls it.
fn call_line(source: &str, function: &str, callee: &str) -> usize {
    let lines: Vec<&str> = source.lines().collect();
    let start = lines
        .iter()
        .position(|l| !l.starts_with([' ', '\t']) && l.contains(&format!(" {function}(")))
        .unwrap_or_else(|| panic!("no definition of {function} in the fixture"));
    let end = start
        + lines[start..]
            .iter()
            .position(|l| *l == "}")
            .unwrap_or_else(|| panic!("no end of {function} in the fixture"));
    let calls: Vec<usize> = (start + 1..end)
        .filter(|&i| lines[i].contains(&format!("{callee}(")))
        .collect();
    assert_eq!(calls.len(), 1, "{function} calls {callee} once: {calls:?}");
    calls[0] + 1
}

/// A frame line without `-kk`'s ` SOURCE:LINE`, and that suffix split (a frame ends in
/// `]` when it has none).
fn split_source(frame: &str) -> (&str, Option<(&str, &str)>) {
    if frame.ends_with(']') {
        return (frame, None);
    }
    let (frame, source) = frame
        .rsplit_once("] ")
        .map(|(f, s)| (&frame[..f.len() + 1], s))
        .unwrap_or_else(|| panic!("a frame that is neither: {frame}"));
    let (file, line) = source
        .rsplit_once(':')
        .unwrap_or_else(|| panic!("no FILE:LINE in {frame}"));
    (frame, Some((file, line)))
}

/// `-kk` (`--stack-trace=source`): each frame of the program names the file and line of
/// its call, as strace 7.2's libdw back end (the only one with -kk) names them: the
/// line-table entry's directory and name, so a fixture built from the source's absolute
/// path is named by it, and one built as `gcc tests/fixtures/stack_calls.c` by that
/// relative path (what libdw's dwfl_lineinfo says for it; addr2line's own rendering would
/// put the compilation directory before it). The lines are the fixture's call sites,
/// found in its source. (libc's frames have sources only where its debug package is
/// installed: see `sources_from_a_separate_debug_file`.)
///
/// No strace here can print -kk: the static 7.2 reference is built without -k, and
/// Debian's 6.1 predates -kk (6.7) and takes `-kk` as `-k`. So beyond the suffix, the
/// frames are compared with Debian's `-k` frames, byte for byte.
#[test]
fn source_lines_name_the_calls() {
    let root = rtrace_tests::locate::workspace_root();
    let source = std::fs::read_to_string(root.join("tests/fixtures/stack_calls.c"))
        .expect("the fixture's source");
    let absolute = root.join("tests/fixtures/stack_calls.c");
    let builds = [
        (fixture("stack_calls"), absolute.to_str().expect("UTF-8")),
        (
            rtrace_tests::fixtures::fixture_from_relative_path("stack_calls"),
            "tests/fixtures/stack_calls.c",
        ),
    ];
    let filter = ["-e", "trace=getppid,write"];
    for (program, source_name) in &builds {
        let program = program.to_str().expect("a UTF-8 path");
        let mut strace_args = vec!["-k"];
        strace_args.extend(filter);
        strace_args.push(program);
        let reference = calls(&trace(&debian_strace(), &strace_args));
        for mode in ["-kk", "--stack-trace=source"] {
            let mut args = vec![mode];
            args.extend(filter);
            args.push(program);
            let traced = calls(&trace(&rtrace_binary(), &args));
            let expected = [
                ("getppid", "inner_call", "getppid"),
                ("getppid", "outer_call", "inner_call"),
                ("getppid", "main", "outer_call"),
                ("write", "say", "write"),
                ("write", "main", "say"),
            ];
            for (call, function, callee) in expected {
                let frames = &traced
                    .iter()
                    .find(|c| c.name == call)
                    .expect("the call")
                    .frames;
                let frame = frames
                    .iter()
                    .find(|f| f.starts_with(&format!("{program}({function}+")))
                    .unwrap_or_else(|| panic!("no {function} frame in {frames:?}"));
                let (_, Some((file, line))) = split_source(frame) else {
                    panic!("{mode}: no source in {frame}");
                };
                assert_eq!(file, *source_name, "{mode}: {frame}");
                let line: usize = line.parse().expect("a line number");
                assert_eq!(
                    line,
                    call_line(&source, function, callee),
                    "{mode}: {frame} names the wrong line"
                );
            }
            // The rest of each frame line is strace's -k.
            let stripped: Vec<Call> = traced
                .iter()
                .map(|c| Call {
                    name: c.name.clone(),
                    frames: c
                        .frames
                        .iter()
                        .map(|f| split_source(f).0.to_owned())
                        .collect(),
                })
                .collect();
            if let Some(difference) = first_difference(&reference, &stripped) {
                panic!("{mode} without its sources differs from strace -k at {difference}");
            }
        }
    }
}

/// Runs `command` (a program and its arguments), failing with its stderr if it fails.
fn run_tool(command: &[&str]) {
    let out = Command::new(command[0])
        .args(&command[1..])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} (binutils): {e}", command[0]));
    assert!(
        out.status.success(),
        "{command:?}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `-kk` on a program whose debug information was moved to a separate file, compressed
/// (as Debian's debug packages ship it, found through `.gnu_debuglink` as libdw finds
/// it): the same sources as from the program with its debug information inside.
#[test]
fn sources_from_a_separate_debug_file() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let original = fixture("stack_calls");
    let stripped = dir.path().join("stack_calls");
    let debug = dir.path().join("stack_calls.debug");
    let (stripped, debug) = (
        stripped.to_str().expect("UTF-8"),
        debug.to_str().expect("UTF-8"),
    );
    let original = original.to_str().expect("UTF-8");
    run_tool(&[
        "objcopy",
        "--only-keep-debug",
        "--compress-debug-sections=zlib",
        original,
        debug,
    ]);
    run_tool(&[
        "objcopy",
        "--strip-debug",
        &format!("--add-gnu-debuglink={debug}"),
        original,
        stripped,
    ]);
    let sources = |program: &str| -> Vec<String> {
        let traced = calls(&trace(
            &rtrace_binary(),
            &["-kk", "-e", "trace=getppid,write", program],
        ));
        traced
            .iter()
            .flat_map(|c| &c.frames)
            .filter(|f| f.starts_with(program))
            .filter_map(|f| split_source(f).1)
            .map(|(file, line)| format!("{file}:{line}"))
            .collect()
    };
    let inside = sources(original);
    assert!(inside.len() >= 5, "the program's own sources: {inside:?}");
    assert_eq!(sources(stripped), inside, "sources from {debug}");
    // Without the debug file there are none: the sources above came from it.
    std::fs::remove_file(debug).expect("remove the debug file");
    assert_eq!(sources(stripped), Vec::<String>::new());
}

/// A test of the test: a wrong line, a frame with no source, and a frame of another
/// function are caught by the helpers the -kk test relies on.
#[test]
fn the_source_line_checks_can_fail() {
    let source = std::fs::read_to_string(
        rtrace_tests::locate::workspace_root().join("tests/fixtures/stack_calls.c"),
    )
    .expect("the fixture's source");
    let right = call_line(&source, "inner_call", "getppid");
    assert_ne!(call_line(&source, "outer_call", "inner_call"), right);
    let frame = format!("/x(inner_call+0x9) [0x1182] tests/fixtures/stack_calls.c:{right}");
    assert_eq!(
        split_source(&frame),
        (
            "/x(inner_call+0x9) [0x1182]",
            Some(("tests/fixtures/stack_calls.c", right.to_string().as_str()))
        )
    );
    assert_eq!(split_source("/x(main+0x9) [0x11f5]").1, None);
    assert!(std::panic::catch_unwind(|| call_line(&source, "main", "getppid")).is_err());
}

/// Each thread's calls in a `-f` trace (lines prefixed by the pid), threads in order of
/// first appearance; a call split by `<unfinished ...>` counts at its resumption, which
/// its frames follow.
fn calls_per_thread(trace: &str) -> Vec<Vec<Call>> {
    let mut threads: Vec<(String, Vec<Call>)> = Vec::new();
    let mut last = None;
    for line in trace.lines() {
        if let Some(frame) = line.strip_prefix(" > ") {
            let thread: usize = last.unwrap_or_else(|| panic!("a frame before any call: {line}"));
            let call = threads[thread].1.last_mut().expect("a call");
            call.frames.push(frame.to_owned());
            continue;
        }
        // strace pads the pid column ("123   write(...").
        let Some((pid, rest)) = line.split_once(' ') else {
            continue;
        };
        let rest = rest.trim_start();
        let index = match threads.iter().position(|(p, _)| p == pid) {
            Some(i) => i,
            None => {
                threads.push((pid.to_owned(), Vec::new()));
                threads.len() - 1
            }
        };
        last = Some(index);
        let name = if let Some(resumed) = rest.strip_prefix("<... ") {
            resumed.split(' ').next().unwrap_or_default()
        } else if rest.ends_with("<unfinished ...>")
            || rest.starts_with("+++")
            || rest.starts_with("---")
        {
            continue;
        } else {
            rest.split('(').next().unwrap_or_default()
        };
        threads[index].1.push(Call {
            name: name.to_owned(),
            frames: Vec::new(),
        });
    }
    threads.into_iter().map(|(_, calls)| calls).collect()
}

/// Threads: the parent's `clone3` (glibc ends its FDE before the syscall, so strace's
/// libunwind stops after one frame there) and each new thread's calls (from glibc's
/// thread start) have strace's frames. Compared per thread, since the threads' lines
/// interleave as the scheduler runs them; futex calls are left out, with their frames:
/// whether a thread has to wait for another depends on that scheduling too.
#[test]
fn frames_of_threads_match_strace() {
    let program = fixture("threads");
    let program = program.to_str().expect("a UTF-8 path");
    let run = |tracer: &Path| -> Vec<Vec<Call>> {
        calls_per_thread(&trace(tracer, &["-f", "-k", program]))
            .into_iter()
            .map(|calls| calls.into_iter().filter(|c| c.name != "futex").collect())
            .collect()
    };
    let strace = run(&debian_strace());
    let rtrace = run(&rtrace_binary());
    assert_eq!(
        strace.len(),
        rtrace.len(),
        "threads: strace {strace:#?}\nrtrace {rtrace:#?}"
    );
    assert!(strace.len() > 1, "no thread was traced: {strace:#?}");
    for (thread, (s, r)) in strace.iter().zip(&rtrace).enumerate() {
        if let Some(difference) = first_difference(s, r) {
            panic!("thread {thread}: rtrace -k differs from strace -k at {difference}");
        }
    }
    let clone3 = rtrace[0]
        .iter()
        .find(|c| c.name == "clone3")
        .expect("the parent's clone3");
    assert_eq!(clone3.frames.len(), 1, "{clone3:?}");
}

#[test]
fn per_thread_parsing_follows_resumed_calls() {
    let trace = "10    futex(0x1, FUTEX_WAIT <unfinished ...>\n11 write(1, \"\", 0) = 0\n > /lib/libc.so.6(__write+0x10) [0xf8350]\n10 <... futex resumed>) = 0\n > /lib/libc.so.6(futex+0x1) [0x1]\n";
    let threads = calls_per_thread(trace);
    assert_eq!(threads.len(), 2);
    assert_eq!(threads[0][0].name, "futex");
    assert_eq!(threads[0][0].frames, ["/lib/libc.so.6(futex+0x1) [0x1]"]);
    assert_eq!(
        threads[1][0].frames,
        ["/lib/libc.so.6(__write+0x10) [0xf8350]"]
    );
}

/// With --json or --timeline alone, no frame line is written as text anywhere (the
/// frames of exit_group, held until the thread is gone, included).
#[test]
fn no_frame_text_without_a_text_trace() {
    let program = fixture("stack_calls");
    let program = program.to_str().expect("a UTF-8 path");
    let dir = tempfile::tempdir().expect("temporary directory");
    let page = dir.path().join("page.html");
    let page = page.to_str().expect("a UTF-8 path");
    for args in [
        &["-k", "--timeline", page, program][..],
        &["-k", "--json", "-o", "/dev/null", program],
    ] {
        let out = Command::new(rtrace_binary())
            .args(args)
            .output()
            .expect("run rtrace");
        assert!(out.status.success(), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains(" > "),
            "{args:?}: frames on stderr:\n{stderr}"
        );
    }
    let json = trace(&rtrace_binary(), &["-k", "--json", program]);
    assert!(
        json.lines().all(|l| l.starts_with('{')),
        "a line that is not JSON:\n{json}"
    );
}
