//! KVM's ioctls against strace 7.2: the `kvm_calls` fixture (a VM with one page of
//! guest memory, a vcpu running `out 0x10, al; hlt`, capabilities, registers, segment
//! registers, CPUID tables, failing requests, a second vcpu whose kvm_run is not
//! mapped) traced with `-e trace=ioctl`, without and with `-e kvm=vcpu` (KVM_RUN's exit
//! reason), with `-v`, `-yy` (the fds' anon_inode names) and `-s 4`; the same fixture
//! built for i386 against the i686 reference. Every line must be reproduced.
//!
//! The machine needs /dev/kvm: without it these tests fail and say so. What varies
//! between the two runs is only what the shared normaliser replaces (the guest memory's
//! and the stack's addresses, chosen by ASLR); the CPUID table is the same machine's.

use rtrace_tests::{compare, fixture, fixture_i386, Level, Normaliser, Tracer};

/// Opens /dev/kvm as the fixture will, or fails the test with the reason.
fn require_kvm() {
    if let Err(e) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
    {
        panic!("these tests need /dev/kvm (KVM enabled, run as a user who may open it): {e}");
    }
}

fn traced(tracer: Tracer, options: &[&str], program: &str) -> Vec<String> {
    traced_with(tracer, options, program, &Normaliser::new())
}

fn traced_with(
    tracer: Tracer,
    options: &[&str],
    program: &str,
    normaliser: &Normaliser,
) -> Vec<String> {
    let mut args = vec!["-e", "trace=ioctl"];
    args.extend_from_slice(options);
    let outcome = tracer.trace(&args, &[program]);
    assert_eq!(
        outcome.exit_code(),
        Some(0),
        "kvm_calls under {} {options:?}: {}",
        tracer.name(),
        outcome.dump()
    );
    normaliser.lines(&outcome.trace)
}

/// The ioctl lines of both tracers, which must agree line for line.
fn compare_with(
    reference: Tracer,
    program: &str,
    options: &[&str],
    normaliser: &Normaliser,
) -> Vec<String> {
    let expected = traced_with(reference, options, program, normaliser);
    let actual = traced_with(Tracer::Rtrace, options, program, normaliser);
    let comparison = compare(&expected, &actual, Level::FullLine);
    println!("{options:?}: {}", comparison.report(0));
    assert!(
        expected.iter().filter(|l| l.starts_with("ioctl(")).count() >= 22,
        "{options:?}: the reference traced only {} lines:\n{}",
        expected.len(),
        expected.join("\n")
    );
    assert!(
        comparison.differences.is_empty() && expected.len() == actual.len(),
        "{options:?}: lines differ\n{}",
        comparison.report(40)
    );
    expected
}

fn exit_reasons(lines: &[String]) -> Vec<&str> {
    lines
        .iter()
        .filter(|l| l.contains("KVM_RUN"))
        .filter_map(|l| l.rsplit_once(" (KVM_EXIT_"))
        .map(|(_, reason)| reason)
        .collect()
}

#[test]
fn kvm_ioctls_match_strace() {
    require_kvm();
    let program = fixture("kvm_calls");
    let program = program.to_str().expect("a UTF-8 fixture path");
    let runs: [&[&str]; 6] = [
        &[],
        &["-e", "kvm=vcpu"],
        &["-v", "-e", "kvm=vcpu"],
        &["-yy", "--kvm=vcpu"],
        &["-s", "4", "-v"],
        &["-X", "verbose"],
    ];
    for options in runs {
        let lines = compare_with(
            Tracer::Oracle("x86_64"),
            program,
            options,
            &Normaliser::new(),
        );
        let with_reasons = options.iter().any(|o| o.contains("kvm=vcpu"));
        // The vcpu's two exits; the failed KVM_RUN and the unmapped vcpu show none.
        let expected: &[&str] = if with_reasons { &["IO)", "HLT)"] } else { &[] };
        assert_eq!(exit_reasons(&lines), expected, "{options:?}");
    }
}

#[test]
fn kvm_ioctls_of_an_i386_program_match_strace() {
    require_kvm();
    let program = fixture_i386("kvm_calls");
    let program = program.to_str().expect("a UTF-8 fixture path");
    for options in [&["-e", "kvm=vcpu"][..], &["-v", "-e", "kvm=vcpu"]] {
        let normaliser = Normaliser::new().with_32_bit_addresses();
        let lines = compare_with(Tracer::Oracle("i686"), program, options, &normaliser);
        assert_eq!(exit_reasons(&lines), ["IO)", "HLT)"], "{options:?}");
    }
}

/// The test of the test: one wrong exit reason, or a register, fails the comparison.
#[test]
fn a_wrong_kvm_line_fails_the_comparison() {
    require_kvm();
    let program = fixture("kvm_calls");
    let program = program.to_str().expect("a UTF-8 fixture path");
    let expected = traced(Tracer::Oracle("x86_64"), &["-e", "kvm=vcpu"], program);
    for (from, to) in [
        ("(KVM_EXIT_HLT)", "(KVM_EXIT_IO)"),
        ("rip=0x1000", "rip=0x1001"),
    ] {
        let mut wrong = expected.clone();
        let at = wrong
            .iter()
            .position(|l| l.contains(from))
            .unwrap_or_else(|| panic!("the reference printed no {from}"));
        wrong[at] = wrong[at].replace(from, to);
        let comparison = compare(&expected, &wrong, Level::FullLine);
        assert!(!comparison.differences.is_empty(), "{to} passed for {from}");
    }
    // And rtrace without -e kvm=vcpu is not the reference with it.
    let plain = traced(Tracer::Rtrace, &[], program);
    assert!(!compare(&expected, &plain, Level::FullLine)
        .differences
        .is_empty());
}

/// Any other `-e kvm=` value stops rtrace with strace's one line and status 1.
#[test]
fn a_bad_kvm_value_is_refused_as_strace_refuses_it() {
    for value in ["kvm=cpu", "kvm=", "kvm=vcpu,vcpu"] {
        let strace = Tracer::Oracle("x86_64").run(&["-e", value, "true"]);
        let rtrace = Tracer::Rtrace.run(&["-e", value, "true"]);
        assert_eq!(rtrace.exit_code(), Some(1), "{value}: {}", rtrace.dump());
        assert_eq!(strace.exit_code(), Some(1), "{value}: {}", strace.dump());
        let theirs: Vec<String> = strace
            .stderr_lines()
            .iter()
            .map(|l| l.replacen("strace: ", "rtrace: ", 1))
            .collect();
        assert_eq!(rtrace.stderr_lines(), theirs, "{value}");
    }
}
