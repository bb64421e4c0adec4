//! ioctl requests everyday programs make, against strace 7.2: the `ioctl_calls`
//! fixture (FIO* on a pipe, SIOCGIF* on the loopback device and a missing one, FS_IOC_*
//! on a file, block, loop and tun requests failing on a file, the random device's
//! entropy count, nsfs and pidfd requests) by default, with `-v` and with `-s 4`.
//! Every ioctl line must be reproduced; the whole trace (start-up included) at least
//! 95% of it.
//!
//! One value varies between runs and is replaced: FS_IOC_GETVERSION's result, the
//! inode generation of the fixture's new temporary file (random per inode), which
//! strace shows in hex with `-v` because it has no decoder for it.
//!
//! The structures strace decodes beyond the plain ones (`ioctl_structs`: SIOCGIFCONF's
//! interface list, FS_IOC_FIEMAP's extents, FITRIM's range, the loop device's
//! loop_info, loop_info64 and loop_config, unbound and then bound to a file) are
//! compared line for line too, from the x86_64 build against the x86_64 reference and
//! from the i386 build against the i686 one, by default, with `-v` and with `-s 4`.
//! Two values of it vary between runs and are replaced: FIEMAP's `fe_physical` (where
//! the file system puts the data of the file each run writes anew) and the loop
//! status's `lo_inode` (that file's inode number).
//!
//! Known differences, not covered here: `-X raw` and `-X verbose` print the addresses
//! inside ifreq (ifr_addr, ifr_hwaddr) as raw bytes in strace 7.2; rtrace keeps the
//! decoded form there.

use regex::Regex;
use rtrace_tests::differential::comparable_lines;
use rtrace_tests::fixtures::{fixture, fixture_i386};
use rtrace_tests::{compare, Level, Normaliser, Tracer};

const REQUIRED: f64 = 0.95;

fn traced(tracer: Tracer, options: &[&str], program: &str) -> Vec<String> {
    traced_with(tracer, options, program, &Normaliser::new())
}

fn traced_with(
    tracer: Tracer,
    options: &[&str],
    program: &str,
    normaliser: &Normaliser,
) -> Vec<String> {
    let outcome = tracer.trace(options, &[program]);
    assert_eq!(
        outcome.exit_code(),
        Some(0),
        "ioctl_calls under {}: {}",
        tracer.name(),
        outcome.dump()
    );
    let generation = Regex::new(r#"^(ioctl\(\d+, FS_IOC_GETVERSION, )"[^"]*""#).expect("rule");
    comparable_lines(&outcome.trace, normaliser)
        .into_iter()
        .map(|line| generation.replace(&line, "${1}GENERATION").into_owned())
        .map(|line| varying_block_facts(&line))
        .collect()
}

/// FIEMAP's `fe_physical` and the loop status's `lo_inode` replaced: the fixture writes
/// its data file anew each run, so its blocks and inode number differ between the two
/// tracers' runs. Only those fields' digits change; the rest of the line is compared.
fn varying_block_facts(line: &str) -> String {
    let physical = Regex::new(r"\bfe_physical=\d+").expect("rule");
    let inode = Regex::new(r"\blo_inode=\d+").expect("rule");
    let line = physical.replace_all(line, "fe_physical=PHYSICAL");
    inode.replace_all(&line, "lo_inode=INODE").into_owned()
}

fn ioctl_lines(lines: &[String]) -> Vec<&String> {
    lines.iter().filter(|l| l.starts_with("ioctl(")).collect()
}

#[test]
fn ioctl_requests_match_strace() {
    let program = fixture("ioctl_calls");
    let program = program.to_str().expect("a UTF-8 fixture path");
    for options in [&[][..], &["-v"], &["-s", "4"]] {
        let expected = traced(Tracer::Oracle("x86_64"), options, program);
        let actual = traced(Tracer::Rtrace, options, program);
        let whole = compare(&expected, &actual, Level::FullLine);
        let wanted = ioctl_lines(&expected);
        let got = ioctl_lines(&actual);
        let ioctls = compare(&wanted, &got, Level::FullLine);
        println!(
            "{options:?}: ioctl lines {}; whole trace {}",
            ioctls.report(0),
            whole.report(0)
        );
        assert!(
            wanted.len() >= 25,
            "{options:?}: only {} ioctl lines traced",
            wanted.len()
        );
        assert!(
            ioctls.differences.is_empty(),
            "{options:?}: ioctl lines differ\n{}",
            ioctls.report(40)
        );
        assert!(
            whole.ratio() >= REQUIRED,
            "{options:?}: {}",
            whole.report(40)
        );
    }
}

#[test]
fn ioctl_structures_match_strace() {
    let native = fixture("ioctl_structs");
    let i386 = fixture_i386("ioctl_structs");
    let runs = [
        (&native, "x86_64", Normaliser::new()),
        (&i386, "i686", Normaliser::new().with_32_bit_addresses()),
    ];
    for (program, reference, normaliser) in &runs {
        let program = program.to_str().expect("a UTF-8 fixture path");
        for options in [&[][..], &["-v"], &["-s", "4"]] {
            let expected = traced_with(Tracer::Oracle(reference), options, program, normaliser);
            let actual = traced_with(Tracer::Rtrace, options, program, normaliser);
            let wanted = ioctl_lines(&expected);
            let got = ioctl_lines(&actual);
            let ioctls = compare(&wanted, &got, Level::FullLine);
            println!("{reference} {options:?}: ioctl lines {}", ioctls.report(0));
            assert!(
                wanted.iter().any(|l| l.contains("LOOP_CTL_GET_FREE")),
                "the loop device part needs /dev/loop-control (root, the loop module)"
            );
            // 4 SIOCGIFCONF, 2 FIEMAP, FITRIM, LOOP_CTL_GET_FREE, 8 on the unbound loop
            // device, 4 on the bound one.
            assert!(
                wanted.len() >= 20,
                "{reference} {options:?}: only {} ioctl lines traced\n{wanted:#?}",
                wanted.len()
            );
            assert!(
                ioctls.differences.is_empty(),
                "{reference} {options:?}: ioctl lines differ\n{}",
                ioctls.report(40)
            );
        }
    }
}

/// The comparison above fails on a wrong line: one changed field of a decoded structure
/// (an extent's flags, a loop device's name) is a difference, and the replacements of the
/// varying values leave the fields beside them to be compared.
#[test]
fn a_wrong_structure_line_fails_the_comparison() {
    let line = "ioctl(4, FS_IOC_FIEMAP, {fm_start=0, fm_length=18446744073709551615, \
                fm_flags=FIEMAP_FLAG_SYNC, fm_extent_count=4} => {fm_flags=FIEMAP_FLAG_SYNC, \
                fm_mapped_extents=1, fm_extents=[{fe_logical=0, fe_physical=91493576704, \
                fe_length=8192, fe_flags=FIEMAP_EXTENT_LAST}]}) = 0";
    let expected = vec![varying_block_facts(line)];
    let same = vec![varying_block_facts(&line.replace("91493576704", "1234"))];
    assert!(compare(&expected, &same, Level::FullLine)
        .differences
        .is_empty());
    for wrong in [
        line.replace("fe_flags=FIEMAP_EXTENT_LAST", "fe_flags=0x1"),
        line.replace("fe_length=8192", "fe_length=4096"),
        line.replace(
            "fe_logical=0, fe_physical=91493576704",
            "fe_physical=91493576704",
        ),
    ] {
        let actual = vec![varying_block_facts(&wrong)];
        let ioctls = compare(&expected, &actual, Level::FullLine);
        assert_eq!(ioctls.differences.len(), 2, "{wrong} was not told apart");
    }
    let loop_line = "ioctl(8, LOOP_GET_STATUS64, {lo_offset=0, lo_number=0, \
                     lo_flags=LO_FLAGS_READ_ONLY, lo_file_name=\"/tmp/a\", ...}) = 0";
    let wrong = loop_line.replace("/tmp/a", "/tmp/b");
    let ioctls = compare(
        &[varying_block_facts(loop_line)],
        &[varying_block_facts(&wrong)],
        Level::FullLine,
    );
    assert!(!ioctls.differences.is_empty());
    let inode = "ioctl(8, LOOP_GET_STATUS64, {lo_device=makedev(0xfe, 0), lo_inode=1}) = 0";
    let ioctls = compare(
        &[varying_block_facts(inode)],
        &[varying_block_facts(&inode.replace("0xfe", "0xfd"))],
        Level::FullLine,
    );
    assert!(!ioctls.differences.is_empty());
}
