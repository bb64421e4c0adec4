//! `-k` in the VMs: rtrace's stack traces of a real ARM process, judged against the
//! known call chain of a C fixture (`tests/fixtures/stack_calls.c`), since the reference
//! strace 7.2 is built without `-k`.
//!
//! What each machine and ABI is expected to do, as rtrace's code says:
//! - aarch64 rtrace on an aarch64 program unwinds it (framehop): each known call's
//!   frames, innermost first, are in the expected files and name the expected functions
//!   (the fixture's own, `main`, libc's entry, `_start`); the offsets and addresses are
//!   not judged (they change with every build of the files).
//! - aarch64 rtrace on an ARM EABI program (compat mode) unwinds only the native
//!   personality, as strace does (`crates/cli/src/stacks.rs`): the calls are traced and
//!   no frame is printed.
//! - armv7 rtrace has no unwinder (framehop knows no 32-bit ARM): it refuses `-k` with
//!   `rtrace_stack::NO_UNWINDER` on one line and a non-zero exit, tracing nothing.

use rtrace_tests::stack_frames::{calls, frame_parts, Call};

use super::cases::TRACE_FILE;
use super::machines::Machine;
use super::verdict::{CaseResult, Console, Ending, Run, Verdict, RTRACE, RTRACE_STATIC};
use crate::targets::Toolchain;

/// The fixture, built for every ABI a machine traces (see `cases::PROGRAMS`).
pub const PROGRAM: &str = "stack_calls";

/// What rtrace `-k` must do for one machine and program ABI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expectation {
    /// The machine's own ABI where rtrace unwinds: the known call chains.
    Frames,
    /// A program of another personality (ARM EABI on aarch64): traced, no frames.
    NoFrames,
    /// rtrace built without an unwinder: `-k` refused.
    Refused,
}

pub fn expectation(machine: &Machine, toolchain: &Toolchain) -> Expectation {
    if !machine.unwinds_stacks {
        Expectation::Refused
    } else if toolchain == machine.native() {
        Expectation::Frames
    } else {
        Expectation::NoFrames
    }
}

/// The run's id: `<abi>/stack-k`.
pub fn id(toolchain: &Toolchain) -> String {
    format!("{}/{PROGRAM}-k", toolchain.abi)
}

/// init's plan lines: the fixture under `-k`, by rtrace and by the static file, for
/// each ABI the machine traces.
pub fn plan(machine: &Machine) -> String {
    let mut plan = String::new();
    for toolchain in machine.program_abis {
        for (label, tracer) in [
            (RTRACE, super::cases::RTRACE),
            (RTRACE_STATIC, super::cases::RTRACE_STATIC),
        ] {
            plan.push_str(&format!(
                "{} {label} {tracer} -k -o {TRACE_FILE} {}\n",
                id(toolchain),
                program_path(toolchain)
            ));
        }
    }
    plan
}

fn program_path(toolchain: &Toolchain) -> String {
    format!("/bin/{}/{PROGRAM}", toolchain.abi)
}

/// Where the VM holds the ABI's C library (the initramfs's multiarch directory).
fn libc_path(toolchain: &Toolchain) -> String {
    format!("/lib/{}/libc.so.6", toolchain.triplet)
}

/// Where a frame is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum In {
    Program,
    Libc,
}

/// One frame: its file and the function naming it. `None` for a function of libc's own
/// (not exported): Debian ships libc without its full symbol table, so such a frame is
/// named after the nearest exported symbol before it, whichever that is in this build
/// (`__libc_init_first` for `__libc_start_call_main` in bookworm's). Where libc exports
/// a function under several names (`open`, `open64`, `__open64`), the expected one is
/// the name rtrace picks among them, as strace's libunwind does (the x86_64 -k test
/// compares that choice with strace's).
type Expected = (In, Option<&'static str>);

const fn program(function: &'static str) -> Expected {
    (In::Program, Some(function))
}

const fn libc(function: &'static str) -> Expected {
    (In::Libc, Some(function))
}

/// A function of libc's own, unnamed in its exported symbols.
const LIBC_INTERNAL: Expected = (In::Libc, None);

/// From `main` down: libc's start (`__libc_start_call_main`, internal, then the exported
/// `__libc_start_main`) and the program's entry point.
const BELOW_MAIN: [Expected; 4] = [
    program("main"),
    LIBC_INTERNAL,
    libc("__libc_start_main"),
    program("_start"),
];

/// The fixture's known call sites (`tests/fixtures/stack_calls.c`): each call, told from
/// the loader's calls of the same name by having a frame in the program, with its
/// frames innermost first.
fn chains() -> Vec<(&'static str, Vec<Expected>)> {
    let below = |frames: &[Expected]| -> Vec<Expected> {
        frames.iter().chain(&BELOW_MAIN).copied().collect()
    };
    vec![
        (
            "getppid",
            below(&[
                libc("getppid"),
                program("inner_call"),
                program("outer_call"),
            ]),
        ),
        (
            "openat",
            below(&[libc("__open64"), program("open_missing")]),
        ),
        ("write", below(&[libc("__write"), program("say")])),
        // Walked at entry: main has returned, exit runs the exit handlers.
        (
            "exit_group",
            vec![
                libc("_exit"),
                LIBC_INTERNAL,
                libc("exit"),
                LIBC_INTERNAL,
                libc("__libc_start_main"),
                program("_start"),
            ],
        ),
    ]
}

/// The first wrong frame of the known call chains in `calls`, or `None` when every
/// chain is there as expected.
fn wrong_frames(calls: &[Call], program_file: &str, libc_file: &str) -> Option<String> {
    let file_of = |place: In| match place {
        In::Program => program_file,
        In::Libc => libc_file,
    };
    let from_program = |call: &Call| {
        call.frames
            .iter()
            .any(|f| frame_parts(f).is_some_and(|(file, _)| file == program_file))
    };
    for (name, expected) in chains() {
        let Some(call) = calls.iter().find(|c| c.name == name && from_program(c)) else {
            return Some(format!(
                "no {name} call with a frame in {program_file}; the calls: {:?}",
                calls.iter().map(|c| &c.name).collect::<Vec<_>>()
            ));
        };
        let shown = || {
            call.frames
                .iter()
                .map(|f| format!("    > {f}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        if call.frames.len() != expected.len() {
            return Some(format!(
                "{name}: {} frames, expected {}:\n{}",
                call.frames.len(),
                expected.len(),
                shown()
            ));
        }
        for (at, (frame, (place, function))) in call.frames.iter().zip(&expected).enumerate() {
            let parts = frame_parts(frame);
            let file_right = parts.is_some_and(|(file, _)| file == file_of(*place));
            let function_right = function.is_none_or(|f| parts.and_then(|p| p.1) == Some(f));
            if !file_right || !function_right {
                return Some(format!(
                    "{name}: frame {at} is `{frame}`, expected {}({}+…):\n{}",
                    file_of(*place),
                    function.unwrap_or("any function"),
                    shown()
                ));
            }
        }
    }
    None
}

/// Judges `tracer`'s `-k` run of the fixture for `toolchain`'s ABI on `machine`.
pub fn judge(
    console: &Console,
    machine: &Machine,
    toolchain: &Toolchain,
    tracer: &str,
) -> CaseResult {
    let id = id(toolchain);
    let expectation = expectation(machine, toolchain);
    let shown_id = match tracer {
        RTRACE_STATIC => format!("{id} (static)"),
        _ => id.clone(),
    };
    let verdict = match console.runs.get(&(id, tracer.to_string())) {
        None => Verdict::NotRun,
        Some(run) => match judge_run(run, expectation, toolchain) {
            Ok(()) => Verdict::Passed,
            Err(why) => Verdict::Failed(why),
        },
    };
    CaseResult {
        id: shown_id,
        identical: None,
        names: None,
        reference_again: None,
        verdict,
    }
}

fn judge_run(run: &Run, expectation: Expectation, toolchain: &Toolchain) -> Result<(), String> {
    if !run.complete {
        return Err("the trace arrived incomplete on the console".into());
    }
    let with_output = |why: String| {
        format!(
            "{why}; rtrace's output:\n{}",
            run.output
                .iter()
                .map(|l| format!("    {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        )
    };
    if expectation == Expectation::Refused {
        let refusal = format!("rtrace: {}", rtrace_stack::NO_UNWINDER);
        let refused = matches!(run.ending, Ending::Exit(code) if code != 0)
            && run.output == [refusal.clone()]
            && run.trace.is_empty();
        return if refused {
            Ok(())
        } else {
            Err(with_output(format!(
                "expected `{refusal}`, a non-zero exit and no trace; it {} and wrote {} \
                 trace lines",
                run.ending.describe(),
                run.trace.len()
            )))
        };
    }
    if run.ending != Ending::Exit(0) {
        return Err(with_output(format!("rtrace {}", run.ending.describe())));
    }
    let calls = calls(&run.trace.join("\n")).map_err(with_output)?;
    match expectation {
        Expectation::Frames => {
            match wrong_frames(&calls, &program_path(toolchain), &libc_path(toolchain)) {
                Some(why) => Err(why),
                None => Ok(()),
            }
        }
        _ => {
            let framed: Vec<&Call> = calls.iter().filter(|c| !c.frames.is_empty()).collect();
            let traced = ["getppid", "openat", "write"]
                .iter()
                .all(|name| calls.iter().any(|c| c.name == *name));
            if !traced {
                Err(format!(
                    "the fixture's getppid, openat and write are not all in the trace: {:?}",
                    calls.iter().map(|c| &c.name).collect::<Vec<_>>()
                ))
            } else if let Some(call) = framed.first() {
                Err(format!(
                    "frames for a non-native personality's call (rtrace unwinds the native \
                     one only): {call:?}"
                ))
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::machines::MACHINES;
    use super::*;
    use crate::targets::{AARCH64_CROSS, ARMHF_CROSS};

    const PROGRAM_FILE: &str = "/bin/aarch64/stack_calls";
    const LIBC_FILE: &str = "/lib/aarch64-linux-gnu/libc.so.6";

    /// The end of a real trace: aarch64 rtrace -k in the VM (test-arm, 2026-12-05),
    /// from the loader's last call on.
    const GOOD_TRACE: &str =
        "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0
 > /lib/aarch64-linux-gnu/libc.so.6(getrlimit+0x18) [0xdf788]
 > /lib/aarch64-linux-gnu/libc.so.6(__libc_early_init+0x50) [0x12f920]
 > /lib/ld-linux-aarch64.so.1(_dl_catch_error+0x4604) [0x18818]
 > /lib/ld-linux-aarch64.so.1(_dl_catch_error+0x14c8) [0x156dc]
 > /lib/ld-linux-aarch64.so.1(_dl_catch_error+0x2aac) [0x16cc0]
getppid()                               = 1999
 > /lib/aarch64-linux-gnu/libc.so.6(getppid+0xc) [0xba08c]
 > /bin/aarch64/stack_calls(inner_call+0xc) [0x8a0]
 > /bin/aarch64/stack_calls(outer_call+0xc) [0x8b4]
 > /bin/aarch64/stack_calls(main+0xc) [0x924]
 > /lib/aarch64-linux-gnu/libc.so.6(__libc_init_first+0x80) [0x27780]
 > /lib/aarch64-linux-gnu/libc.so.6(__libc_start_main+0x98) [0x27858]
 > /bin/aarch64/stack_calls(_start+0x30) [0x7b0]
openat(AT_FDCWD, \"/nonexistent/stack-trace\", O_RDONLY) = -1 ENOENT (No such file or directory)
 > /lib/aarch64-linux-gnu/libc.so.6(__open64+0x70) [0xd9b40]
 > /bin/aarch64/stack_calls(open_missing+0x18) [0x8d8]
 > /bin/aarch64/stack_calls(main+0x1c) [0x934]
 > /lib/aarch64-linux-gnu/libc.so.6(__libc_init_first+0x80) [0x27780]
 > /lib/aarch64-linux-gnu/libc.so.6(__libc_start_main+0x98) [0x27858]
 > /bin/aarch64/stack_calls(_start+0x30) [0x7b0]
write(1, \"stack\\n\", 6)                  = 6
 > /lib/aarch64-linux-gnu/libc.so.6(__write+0x28) [0xd9ef8]
 > /bin/aarch64/stack_calls(say+0x18) [0x904]
 > /bin/aarch64/stack_calls(main+0x2c) [0x944]
 > /lib/aarch64-linux-gnu/libc.so.6(__libc_init_first+0x80) [0x27780]
 > /lib/aarch64-linux-gnu/libc.so.6(__libc_start_main+0x98) [0x27858]
 > /bin/aarch64/stack_calls(_start+0x30) [0x7b0]
exit_group(0)                           = ?
+++ exited with 0 +++
 > /lib/aarch64-linux-gnu/libc.so.6(_exit+0x1c) [0xb8f4c]
 > /lib/aarch64-linux-gnu/libc.so.6(erand48_r+0x24c) [0x3cf1c]
 > /lib/aarch64-linux-gnu/libc.so.6(exit+0x1c) [0x3cf8c]
 > /lib/aarch64-linux-gnu/libc.so.6(__libc_init_first+0x84) [0x27784]
 > /lib/aarch64-linux-gnu/libc.so.6(__libc_start_main+0x98) [0x27858]
 > /bin/aarch64/stack_calls(_start+0x30) [0x7b0]
";

    fn judged(trace: &str) -> Option<String> {
        wrong_frames(&calls(trace).unwrap(), PROGRAM_FILE, LIBC_FILE)
    }

    #[test]
    fn the_known_chains_pass() {
        assert_eq!(judged(GOOD_TRACE), None);
    }

    /// The test of the test: one wrong function, a frame in the wrong file, a missing
    /// frame, an extra frame, a missing call and a walk that goes on into unknown code
    /// each fail, naming what is wrong.
    #[test]
    fn a_wrong_frame_fails() {
        let outer = " > /bin/aarch64/stack_calls(outer_call+0xc) [0x8b4]\n";
        let say = " > /bin/aarch64/stack_calls(say+0x18) [0x904]\n";
        let first_start = " > /bin/aarch64/stack_calls(_start+0x30) [0x7b0]\nopenat";
        let cases = [
            (
                ("(outer_call+0xc)", "(inner_call+0xc)".to_string()),
                "getppid: frame 2",
            ),
            (
                (
                    "/bin/aarch64/stack_calls(say+",
                    "/lib/aarch64-linux-gnu/libc.so.6(say+".to_string(),
                ),
                "write: frame 1",
            ),
            (
                ("(exit+0x1c)", "(atexit+0x1c)".to_string()),
                "exit_group: frame 2",
            ),
            ((outer, String::new()), "getppid: 6 frames, expected 7"),
            ((say, format!("{say}{say}")), "write: 7 frames, expected 6"),
            (("getppid()", "getpid()".to_string()), "no getppid call"),
            (
                (
                    first_start,
                    first_start.replace(
                        "\nopenat",
                        "\n > unexpected_backtracing_error [0x10]\nopenat",
                    ),
                ),
                "getppid: 8 frames",
            ),
        ];
        for ((from, to), why) in cases {
            assert_eq!(GOOD_TRACE.matches(from).count(), 1, "{from}");
            let judged = judged(&GOOD_TRACE.replace(from, &to));
            assert!(
                judged.as_deref().is_some_and(|j| j.starts_with(why)),
                "{why}: {judged:?}"
            );
        }
    }

    fn run(trace: &[&str], output: &[&str], ending: Ending) -> Run {
        Run {
            trace: trace.iter().map(|l| l.to_string()).collect(),
            output: output.iter().map(|l| l.to_string()).collect(),
            ending,
            complete: true,
        }
    }

    #[test]
    fn each_machine_expects_what_its_rtrace_does() {
        let (armv7, aarch64) = (&MACHINES[0], &MACHINES[1]);
        assert_eq!(expectation(armv7, &ARMHF_CROSS), Expectation::Refused);
        assert_eq!(expectation(aarch64, &AARCH64_CROSS), Expectation::Frames);
        assert_eq!(expectation(aarch64, &ARMHF_CROSS), Expectation::NoFrames);
        assert_eq!(
            plan(aarch64),
            "aarch64/stack_calls-k rtrace /bin/rtrace -k -o /tmp/trace /bin/aarch64/stack_calls\n\
             aarch64/stack_calls-k rtrace-static /static/rtrace -k -o /tmp/trace \
             /bin/aarch64/stack_calls\n\
             armhf/stack_calls-k rtrace /bin/rtrace -k -o /tmp/trace /bin/armhf/stack_calls\n\
             armhf/stack_calls-k rtrace-static /static/rtrace -k -o /tmp/trace \
             /bin/armhf/stack_calls\n"
        );
    }

    #[test]
    fn the_refusal_is_one_line_a_failure_exit_and_no_trace() {
        let refusal = format!("rtrace: {}", rtrace_stack::NO_UNWINDER);
        let refused = run(&[], &[&refusal], Ending::Exit(1));
        assert_eq!(
            judge_run(&refused, Expectation::Refused, &ARMHF_CROSS),
            Ok(())
        );
        for wrong in [
            run(&[], &[&refusal], Ending::Exit(0)),
            run(&["getppid() = 1"], &[&refusal], Ending::Exit(1)),
            run(&[], &[&refusal, "more"], Ending::Exit(1)),
            run(&[], &[], Ending::Signal(11)),
        ] {
            assert!(
                judge_run(&wrong, Expectation::Refused, &ARMHF_CROSS).is_err(),
                "{wrong:?}"
            );
        }
    }

    #[test]
    fn a_compat_program_is_traced_without_frames() {
        let traced = [
            "getppid() = 1",
            "openat(AT_FDCWD, \"x\", O_RDONLY) = -1",
            "write(1, \"stack\\n\", 6) = 6",
        ];
        let good = run(&traced, &["stack"], Ending::Exit(0));
        assert_eq!(
            judge_run(&good, Expectation::NoFrames, &ARMHF_CROSS),
            Ok(())
        );
        let mut framed = traced.to_vec();
        framed.insert(
            1,
            " > /lib/arm-linux-gnueabihf/libc.so.6(getppid+0x8) [0x1]",
        );
        let framed = run(&framed, &["stack"], Ending::Exit(0));
        assert!(judge_run(&framed, Expectation::NoFrames, &ARMHF_CROSS).is_err());
        let untraced = run(&traced[..1], &["stack"], Ending::Exit(0));
        assert!(judge_run(&untraced, Expectation::NoFrames, &ARMHF_CROSS).is_err());
    }
}
