//! Calls added to Linux after 6.1 (the headers Debian 12's C library was built with),
//! made by number by the `post61_calls` fixture on the running kernel: each must be
//! printed by its name, never as `syscall_0x1c3`, and decoded as strace 7.2 decodes
//! it, line for line. On a kernel older than a call the kernel answers ENOSYS, and the
//! line must still name the call and match the reference.

use rtrace_tests::differential::comparable_lines;
use rtrace_tests::fixtures::fixture;
use rtrace_tests::{compare, Level, Normaliser, Tracer};

/// The calls the fixture makes, in its order (uretprobe is left out: made from outside a
/// uretprobe trampoline it kills the caller).
const POST_61: &[&str] = &[
    "cachestat",
    "fchmodat2",
    "map_shadow_stack",
    "futex_wake",
    "futex_wait",
    "futex_requeue",
    "statmount",
    "listmount",
    "lsm_get_self_attr",
    "lsm_set_self_attr",
    "lsm_list_modules",
    "mseal",
    "setxattrat",
    "getxattrat",
    "listxattrat",
    "removexattrat",
    "open_tree_attr",
    "file_getattr",
    "file_setattr",
];

fn post61_lines(tracer: Tracer, options: &[&str], program: &str) -> Vec<String> {
    let outcome = tracer.trace(options, &[program]);
    assert_eq!(
        outcome.exit_code(),
        Some(0),
        "post61_calls under {}: {}",
        tracer.name(),
        outcome.dump()
    );
    comparable_lines(&outcome.trace, &Normaliser::new())
        .into_iter()
        .filter(|line| {
            POST_61
                .iter()
                .any(|name| line.strip_prefix(name).is_some_and(|r| r.starts_with('(')))
                || line.starts_with("syscall_")
        })
        .collect()
}

#[test]
fn calls_newer_than_6_1_are_named_and_decoded() {
    let program = fixture("post61_calls");
    let program = program.to_str().expect("a UTF-8 fixture path");
    for options in [&[][..], &["-v"]] {
        let expected = post61_lines(Tracer::Oracle("x86_64"), options, program);
        let actual = post61_lines(Tracer::Rtrace, options, program);
        for name in POST_61 {
            assert!(
                actual
                    .iter()
                    .any(|line| line.strip_prefix(name).is_some_and(|r| r.starts_with('('))),
                "{options:?}: {name} was not printed by name; rtrace's lines:\n{}",
                actual.join("\n")
            );
        }
        assert!(
            !actual.iter().any(|line| line.starts_with("syscall_")),
            "{options:?}: calls printed by number:\n{}",
            actual.join("\n")
        );
        let comparison = compare(&expected, &actual, Level::FullLine);
        println!("{options:?}: {}", comparison.report(0));
        assert!(
            comparison.differences.is_empty() && expected.len() == POST_61.len(),
            "{options:?}: {}",
            comparison.report(40)
        );
    }
}
