//! `cargo xtask test-arm`: rtrace on ARM, from a bare x86_64 Debian 12, in two VMs:
//! armv7 (qemu-system-arm, Debian's armmp kernel) tracing ARM EABI programs, and aarch64
//! (qemu-system-aarch64, Debian's arm64 kernel) tracing aarch64 programs and EABI ones in
//! compat mode ([`machines`] holds the facts of both).
//!
//! 1. [`setup`]: installs what is missing: the rustup targets, the cross gccs and
//!    libraries, qemu-user, qemu-system-arm; [`kernel`] picks and fetches each kernel.
//! 2. [`cross`]: cross-builds the workspace per machine, builds the unit tests (their
//!    executables listed by cargo's JSON messages) and runs them under qemu-user
//!    (qemu-arm, qemu-aarch64), which has no ptrace, process_vm_readv or
//!    NETLINK_SOCK_DIAG: tests failing for that reason (their message names the call and
//!    its error) are not run there, and go to the VM ([`vm_unit_tests`]). The tests get
//!    `RTRACE_TEST_TARGET_LIBZ` (the target's zlib, unpacked by [`debs`], not installed)
//!    and `RTRACE_TEST_RUNNER` (qemu-user, for tests that run their own binary again).
//!    `CARGO_TARGET_DIR` is honoured, so a fresh one replays a new machine's first run.
//! 3. [`initramfs`]: packs a static init (`tests/arm/init.c`), rtrace with its plugins,
//!    the static file of `cargo xtask static` alone in `/static` (the one file for a
//!    board: it must ask the loader for nothing), the programs of [`cases`] for each ABI
//!    the machine traces, their libraries, the reference strace 7.2 of each ABI (from
//!    `../shared/oracle/` beside the clone, found by `rtrace_tests::locate`), the test
//!    executables whose tests qemu-user could not run, and the kernel's sock_diag
//!    modules into a cpio archive.
//! 4. [`vm`]: boots it; init loads the modules, traces every case with the reference,
//!    rtrace and the static file (`-f -o FILE`; the reference twice, to show how much the
//!    program's trace varies by itself), runs rtrace `-k` on a fixture with known call
//!    sites ([`stack_trace`]) and the unit tests qemu-user could not run, and prints the
//!    traces and output between markers on the console. [`verdict`] reads them back and
//!    compares each rtrace build's trace with the reference's, with the x86_64
//!    differential suite's code: a case passes with at least 95% identical normalised
//!    lines and the same ending. The `-k` runs are judged against the fixture's call
//!    chain (aarch64), or against what rtrace does where it does not unwind (an ARM EABI
//!    program on aarch64: no frames; armv7: `-k` refused); the unit tests by libtest's
//!    verdicts. Every run's trace and output is kept under
//!    `target/arm/traces/<machine>/`.
//!
//! It ends with `armv7: N passed, M failed`, `aarch64: N passed, M failed`, `not run: K`
//! and the total `N passed, M failed`, unit tests included; not-run checks are counted
//! and listed apart. A failed step of one machine (a build, a kernel that does not boot, the
//! timeout) fails that machine, and the task, without hiding the other machine's
//! results.

mod cases;
mod cross;
mod debs;
mod initramfs;
mod kernel;
mod machines;
mod setup;
mod stack_trace;
mod verdict;
mod vm;
mod vm_unit_tests;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::gen_syscalls::workspace_root;
use cases::CASES;
use cross::UnitTests;
use machines::{Machine, MACHINES};
use verdict::{CaseResult, Verdict};
use vm_unit_tests::VmUnitResult;

const TASK: &str = "test-arm";

/// Seconds a VM may take from boot to power-off unless told otherwise: each takes 10 to
/// 40 s on two shared cores; init gives up on a hung run after 120 s.
pub const DEFAULT_VM_TIMEOUT: u64 = 300;

/// What `cargo xtask test-arm` was asked to do.
pub struct Options {
    /// Skip the unit tests, under qemu-user and in the VMs (the VMs' traces and `-k`
    /// checks still run).
    pub skip_unit_tests: bool,
    /// Time each VM may take, boot to power-off.
    pub vm_timeout: Duration,
}

/// Cargo's output directory: `CARGO_TARGET_DIR` (relative to the workspace) when set, so
/// a run with a fresh one starts from nothing, as on a new machine; else `target/`.
pub fn target_root(workspace: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace.join(dir),
        _ => workspace.join("target"),
    }
}

/// Directories under `<target>/arm/`.
pub struct Dirs {
    pub root: PathBuf,
    /// Downloaded .deb files, kept between runs.
    pub cache: PathBuf,
    /// Cross-compiled C programs, one directory per ABI.
    pub bin: PathBuf,
    /// Unpacked .deb files (the kernels, the targets' zlib), one directory per package.
    pub unpacked: PathBuf,
    /// The machines' initramfs archives.
    pub archives: PathBuf,
}

impl Dirs {
    fn new(root: &Path) -> Self {
        let arm = target_root(root).join("arm");
        Dirs {
            root: root.to_path_buf(),
            cache: arm.join("cache"),
            bin: arm.join("bin"),
            unpacked: arm.join("unpacked"),
            archives: arm.clone(),
        }
    }
}

/// What one machine showed.
struct MachineReport {
    name: &'static str,
    qemu_user: &'static str,
    unit: Option<UnitTests>,
    /// The unit tests qemu-user could not run, run in the VM.
    vm_unit: Vec<VmUnitResult>,
    cases: Vec<CaseResult>,
    /// A step that failed before the cases could be judged.
    error: Option<String>,
    boot: Option<Duration>,
    vm_elapsed: Option<Duration>,
    elapsed: Duration,
}

impl MachineReport {
    fn counts(&self) -> (usize, usize, Vec<String>) {
        let mut passed = self.unit.as_ref().map_or(0, |u| u.passed);
        let mut failed = self.unit.as_ref().map_or(0, |u| u.failed);
        for result in &self.vm_unit {
            match result.outcome {
                Ok(()) => passed += 1,
                Err(_) => failed += 1,
            }
        }
        // Not run under qemu-user, and given no outcome by the VM either.
        let mut not_run: Vec<String> = self
            .unit
            .as_ref()
            .map(|u| {
                u.not_run
                    .iter()
                    .filter(|t| !self.vm_unit.iter().any(|r| r.test == **t))
                    .map(|t| format!("unit test {t} (under {})", self.qemu_user))
                    .collect()
            })
            .unwrap_or_default();
        for case in &self.cases {
            match case.verdict {
                Verdict::Passed => passed += 1,
                Verdict::Failed(_) => failed += 1,
                Verdict::NotRun => not_run.push(format!("VM case {}", case.id)),
            }
        }
        if self.error.is_some() {
            failed += 1;
        }
        (passed, failed, not_run)
    }
}

pub fn run(options: &Options) -> Result<i32> {
    let started = Instant::now();
    let dirs = Dirs::new(&workspace_root());
    for dir in [&dirs.cache, &dirs.bin, &dirs.unpacked] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    step("installing what is missing");
    setup::ensure()?;

    let mut reports = Vec::new();
    for machine in MACHINES {
        let machine_started = Instant::now();
        let mut report = MachineReport {
            name: machine.name,
            qemu_user: machine.native().qemu_user,
            unit: None,
            vm_unit: Vec::new(),
            cases: Vec::new(),
            error: None,
            boot: None,
            vm_elapsed: None,
            elapsed: Duration::ZERO,
        };
        if let Err(e) = run_machine(&dirs, machine, options, &mut report) {
            step(&format!("{}: {e:#}", machine.name));
            report.error = Some(format!("{e:#}"));
        }
        report.elapsed = machine_started.elapsed();
        reports.push(report);
    }

    println!();
    for report in &reports {
        print_details(report);
    }
    step(&format!("took {:.0} s", started.elapsed().as_secs_f64()));
    let (mut passed, mut failed, mut not_run) = (0, 0, 0);
    for report in &reports {
        let (p, f, n) = report.counts();
        if !n.is_empty() {
            println!("{}: {} not run: {}", report.name, n.len(), n.join(", "));
        }
        (passed, failed, not_run) = (passed + p, failed + f, not_run + n.len());
    }
    for report in &reports {
        let (p, f, _) = report.counts();
        println!("{}: {p} passed, {f} failed", report.name);
    }
    if not_run > 0 {
        println!("not run: {not_run} (listed above; not counted as passed)");
    } else {
        println!("not run: 0");
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        bail!("{failed} ARM check(s) failed");
    }
    if let Some(report) = reports.iter().find(|r| r.cases.is_empty()) {
        bail!("the {} VM ran no case", report.name);
    }
    Ok(0)
}

/// Builds, tests and boots one machine, filling `report` as it goes.
fn run_machine(
    dirs: &Dirs,
    machine: &Machine,
    options: &Options,
    report: &mut MachineReport,
) -> Result<()> {
    let name = machine.name;
    // The reference straces first: without them nothing can be judged.
    let mut references = Vec::new();
    for toolchain in machine.program_abis {
        references.push(
            rtrace_tests::locate::find_oracle_strace(toolchain.abi).map_err(anyhow::Error::msg)?,
        );
    }
    let kernel = kernel::fetch(dirs, machine.kernel)?;
    let mut kernel_modules = Vec::new();
    for module in initramfs::KERNEL_MODULES {
        let path = kernel.modules.join(module);
        if !path.is_file() {
            bail!("the kernel package has no {}", path.display());
        }
        kernel_modules.push(path);
    }

    step(&format!(
        "{name}: cross-building the workspace for {}",
        machine.target.triple
    ));
    cross::build_workspace(&dirs.root, machine)?;

    let mut unit_plan = vm_unit_tests::Plan::default();
    if options.skip_unit_tests {
        step(&format!(
            "{name}: unit tests under {} and in the VM skipped (--skip-unit-tests)",
            machine.native().qemu_user
        ));
    } else {
        step(&format!(
            "{name}: building the unit tests for {}",
            machine.target.triple
        ));
        let executables = cross::build_unit_tests(&dirs.root, machine)?;
        step(&format!(
            "{name}: unit tests under {}",
            machine.native().qemu_user
        ));
        let libz = debs::target_libz(dirs, machine.native())?;
        let unit = cross::unit_tests(&dirs.root, machine, &libz)?;
        unit_plan = vm_unit_tests::plan(&unit.not_run, &executables);
        report.unit = Some(unit);
    }

    step(&format!(
        "{name}: building init and programs, packing the initramfs"
    ));
    let init = cross::build_init(dirs, machine)?;
    let mut programs = Vec::new();
    for (toolchain, reference) in machine.program_abis.iter().zip(references) {
        programs.push(initramfs::AbiPrograms {
            toolchain,
            programs: cross::build_programs(dirs, toolchain)?,
            reference,
        });
    }
    step(&format!(
        "{name}: building the static file for {} (cargo xtask static)",
        machine.target.triple
    ));
    let static_rtrace = crate::ship::static_files(&[machine.target.triple.to_string()])?
        .pop()
        .context("cargo xtask static wrote no file")?;
    let plan = [
        cases::plan(machine.program_abis),
        stack_trace::plan(machine),
        vm_unit_tests::plan_lines(&unit_plan.runs),
    ]
    .concat();
    let inputs = initramfs::Inputs {
        machine,
        init,
        build: cross::target_dir(&dirs.root, machine),
        static_rtrace,
        programs,
        plan,
        unit_tests: unit_plan.executables.clone(),
        kernel_modules,
    };
    let files = initramfs::contents(&inputs)?;
    let archive_path = dirs.archives.join(format!("initramfs-{name}.cpio"));
    let archive = initramfs::write(&archive_path, &files)?;
    step(&format!(
        "{name}: initramfs: {} files, {} KiB",
        files.len(),
        archive / 1024
    ));

    step(&format!("{name}: booting {}", kernel.image.display()));
    let vm = vm::boot(machine, &kernel.image, &archive_path, options.vm_timeout)?;
    let traces = dirs.archives.join("traces").join(name);
    save_traces(&vm.console, &traces)?;
    step(&format!("{name}: the traces are in {}", traces.display()));
    report.boot = Some(vm.boot);
    report.vm_elapsed = Some(vm.elapsed);
    for toolchain in machine.program_abis {
        for case in CASES.iter().filter(|c| c.runs_for(toolchain)) {
            for tracer in [verdict::RTRACE, verdict::RTRACE_STATIC] {
                report.cases.push(verdict::judge(
                    &vm.console,
                    &case.id(toolchain),
                    tracer,
                    case.scheduler_dependent,
                ));
            }
        }
    }
    for toolchain in machine.program_abis {
        for tracer in [verdict::RTRACE, verdict::RTRACE_STATIC] {
            report
                .cases
                .push(stack_trace::judge(&vm.console, machine, toolchain, tracer));
        }
    }
    report.vm_unit = vm_unit_tests::judge(&vm.console, &unit_plan);
    Ok(())
}

/// Writes each run's trace and output to `<dir>/<abi>/<case>.<label>.trace` and `.out`,
/// for reading a failure's whole context.
fn save_traces(console: &verdict::Console, dir: &Path) -> Result<()> {
    for ((id, label), run) in &console.runs {
        for (extension, lines) in [("trace", &run.trace), ("out", &run.output)] {
            // `id` is `abi/case`: one directory per ABI.
            let path = dir.join(format!("{id}.{label}.{extension}"));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            let mut text = lines.join("\n");
            text.push('\n');
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}

fn print_details(report: &MachineReport) {
    let name = report.name;
    if let Some(unit) = &report.unit {
        step(&format!(
            "{name}: unit tests under {}: {} passed, {} failed; not run ({} lacks ptrace, \
             process_vm_readv or sock_diag; run in the VM instead): {}",
            report.qemu_user,
            unit.passed,
            unit.failed,
            report.qemu_user,
            if unit.not_run.is_empty() {
                "none".to_string()
            } else {
                let names: Vec<String> = unit.not_run.iter().map(|t| t.to_string()).collect();
                names.join(", ")
            }
        ));
        for binary in &unit.crashed {
            step(&format!(
                "{name}: test binary died without a verdict: {binary}"
            ));
        }
    }
    if !report.vm_unit.is_empty() {
        let passed = report.vm_unit.iter().filter(|r| r.outcome.is_ok()).count();
        step(&format!(
            "{name}: unit tests in the VM (those {} could not run): {passed} passed, {} failed",
            report.qemu_user,
            report.vm_unit.len() - passed
        ));
        for result in &report.vm_unit {
            match &result.outcome {
                Ok(()) => println!("{name} unit test {}  passed in the VM", result.test),
                Err(why) => println!("{name} unit test {}  FAILED: {why}", result.test),
            }
        }
    }
    for case in &report.cases {
        let percent =
            |ratio: Option<f64>| ratio.map_or("-".to_string(), |r| format!("{:.1}%", r * 100.0));
        let verdict = match &case.verdict {
            Verdict::Passed => "passed".to_string(),
            Verdict::Failed(why) => format!("FAILED: {why}"),
            Verdict::NotRun => "not run (the VM stopped before it)".to_string(),
        };
        if case.identical.is_none() && case.reference_again.is_none() {
            // Judged otherwise than by comparison (-k), or failed before it.
            println!("{name} {:<36} {verdict}", case.id);
        } else {
            println!(
                "{name} {:<36} identical lines {:>6} (names and returns {:>6}; reference vs \
                 itself {:>6})  {verdict}",
                case.id,
                percent(case.identical),
                percent(case.names),
                percent(case.reference_again)
            );
        }
    }
    if let Some(error) = &report.error {
        println!("{name}: FAILED: {error}");
    }
    let seconds =
        |d: Option<Duration>| d.map_or("-".into(), |d| format!("{:.1} s", d.as_secs_f64()));
    step(&format!(
        "{name}: VM booted in {}, boot to power-off {}; machine total {:.0} s",
        seconds(report.boot),
        seconds(report.vm_elapsed),
        report.elapsed.as_secs_f64()
    ));
}

fn step(what: &str) {
    crate::run::step(TASK, what);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, verdict: Verdict) -> CaseResult {
        CaseResult {
            id: id.into(),
            identical: None,
            names: None,
            reference_again: None,
            verdict,
        }
    }

    #[test]
    fn not_run_checks_are_counted_apart_never_as_passed() {
        let report = MachineReport {
            name: "aarch64",
            qemu_user: "qemu-aarch64",
            unit: Some(UnitTests {
                passed: 10,
                failed: 1,
                not_run: vec![unit_test("memory::reads")],
                crashed: vec![],
            }),
            vm_unit: Vec::new(),
            cases: vec![
                case("aarch64/a", Verdict::Passed),
                case("aarch64/b", Verdict::Failed("x".into())),
                case("armhf/c", Verdict::NotRun),
            ],
            error: None,
            boot: None,
            vm_elapsed: None,
            elapsed: Duration::ZERO,
        };
        let (passed, failed, not_run) = report.counts();
        assert_eq!((passed, failed), (11, 2));
        assert_eq!(
            not_run,
            [
                "unit test memory::reads (e-1) (under qemu-aarch64)",
                "VM case armhf/c"
            ]
        );
    }

    fn unit_test(name: &str) -> cross::UnitTest {
        cross::UnitTest {
            binary: "e-1".into(),
            name: name.into(),
        }
    }

    /// A test qemu-user could not run counts once, by its outcome in the VM: passed or
    /// failed there, no longer not run; one the VM gave no outcome for stays not run.
    #[test]
    fn the_vms_outcome_replaces_not_run() {
        let mut report = MachineReport {
            name: "armv7",
            qemu_user: "qemu-arm",
            unit: Some(UnitTests {
                passed: 5,
                failed: 0,
                not_run: vec![unit_test("a"), unit_test("b"), unit_test("c")],
                crashed: vec![],
            }),
            vm_unit: vec![
                VmUnitResult {
                    test: unit_test("a"),
                    outcome: Ok(()),
                },
                VmUnitResult {
                    test: unit_test("b"),
                    outcome: Err("failed in the VM".into()),
                },
            ],
            cases: Vec::new(),
            error: None,
            boot: None,
            vm_elapsed: None,
            elapsed: Duration::ZERO,
        };
        assert_eq!(
            report.counts(),
            (6, 1, vec!["unit test c (e-1) (under qemu-arm)".to_string()])
        );
        report.vm_unit.push(VmUnitResult {
            test: unit_test("c"),
            outcome: Ok(()),
        });
        assert_eq!(report.counts(), (7, 1, Vec::new()));
    }

    #[test]
    fn a_machine_that_failed_a_step_counts_a_failure() {
        let report = MachineReport {
            name: "armv7",
            qemu_user: "qemu-arm",
            unit: None,
            vm_unit: Vec::new(),
            cases: Vec::new(),
            error: Some("the cross build failed".into()),
            boot: None,
            vm_elapsed: None,
            elapsed: Duration::ZERO,
        };
        assert_eq!(report.counts(), (0, 1, Vec::new()));
    }
}
