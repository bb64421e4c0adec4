//! `cargo xtask bench`: rtrace against strace and against the ptrace floor (the least a
//! PTRACE_SYSCALL tracer can do) on a set of workloads, pinned to one CPU and not.
//!
//! Every repetition runs each configuration once, round-robin, so drift in the machine's
//! load spreads over all of them; the report takes medians. Cost is reported as time
//! ADDED per syscall over the untraced run, the number the targets of issue 9 are in.
//!
//! Module map: `workloads` (what runs), `configs` (how it is traced), `tools` (building and
//! finding programs), `measure` (one run), `report` (numbers, targets, tables, JSON).

mod configs;
mod measure;
mod report;
mod tools;
mod workloads;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::gen_syscalls::workspace_root;
use crate::install::{ensure, Requirement};
use crate::run::step;

use configs::{Config, Mode, Tracer, TracerPaths, CONFIGS};
use measure::Run;
use workloads::{Locations, Scale, Workload};

pub use report::Report;

const TASK: &str = "bench";

#[derive(clap::Args, Debug, Clone)]
pub struct BenchArgs {
    /// Fewer repetitions and a tenth of the sizes: a smoke run, not a measurement.
    #[arg(long)]
    quick: bool,
    /// Run only this workload (repeatable). Known: getppid, stack-trace, devnull-write,
    /// small-files, threads, fork-exec, big-reads, python-startup, compute-threads,
    /// compute-procs, make-j.
    #[arg(long = "workload", value_name = "NAME")]
    workloads: Vec<String>,
    /// Repetitions of each configuration (default 5, or 3 with --quick).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    reps: Option<u32>,
    /// Only the runs pinned to CPU 0.
    #[arg(long, conflicts_with = "unpinned_only")]
    pinned_only: bool,
    /// Only the unpinned runs.
    #[arg(long)]
    unpinned_only: bool,
    /// Use this rtrace binary (plugins next to it) instead of building target/release/rtrace.
    #[arg(long, value_name = "PATH")]
    rtrace: Option<PathBuf>,
}

/// What to run: resolved from the command line, or made directly by the smoke test.
#[derive(Debug, Clone)]
pub struct Plan {
    pub workloads: Vec<&'static Workload>,
    pub modes: Vec<Mode>,
    pub reps: usize,
    /// A configuration whose first run is short gets more repetitions, up to
    /// `MAX_REPS_FACTOR` x `reps`, so that its runs add up to about this long: the
    /// median of 3 runs of 15 ms moves by more than the effects measured.
    pub short_run_budget: Duration,
    pub scale: Scale,
}

/// The most repetitions a short configuration gets, as a multiple of `Plan::reps`.
const MAX_REPS_FACTOR: usize = 10;

impl Plan {
    /// How many times to run a configuration whose first run took `first`.
    fn reps_after(&self, first: Duration) -> usize {
        let wanted = self.short_run_budget.as_secs_f64() / first.as_secs_f64().max(1e-6);
        (wanted.ceil() as usize).clamp(self.reps, self.reps * MAX_REPS_FACTOR)
    }

    fn from_args(args: &BenchArgs) -> Result<Plan> {
        let workloads = if args.workloads.is_empty() {
            workloads::WORKLOADS.iter().collect()
        } else {
            args.workloads
                .iter()
                .map(|name| {
                    workloads::find(name).with_context(|| {
                        format!(
                            "unknown workload `{name}`; known workloads: {}",
                            workloads::names().join(", ")
                        )
                    })
                })
                .collect::<Result<_>>()?
        };
        let modes = match (args.pinned_only, args.unpinned_only) {
            (true, _) => vec![Mode::Pinned],
            (_, true) => vec![Mode::Unpinned],
            _ => vec![Mode::Pinned, Mode::Unpinned],
        };
        let default_reps = if args.quick { 3 } else { 5 };
        Ok(Plan {
            workloads,
            modes,
            reps: args.reps.map_or(default_reps, |n| n as usize),
            short_run_budget: Duration::from_millis(500),
            scale: if args.quick {
                Scale::QUICK
            } else {
                Scale::FULL
            },
        })
    }
}

/// Where a bench reads its sources and writes programs, data, traces and the report.
pub struct Dirs {
    pub sources: PathBuf,
    pub out: PathBuf,
}

impl Dirs {
    pub fn in_workspace() -> Dirs {
        let root = workspace_root();
        Dirs {
            sources: root.join("benches/workloads"),
            out: root.join("target/bench"),
        }
    }
}

pub fn run(args: &BenchArgs) -> Result<i32> {
    let plan = Plan::from_args(args)?;
    ensure(
        TASK,
        &[
            Requirement::program("strace", "strace"),
            Requirement::program("gcc", "gcc"),
            Requirement::program("make", "make"),
            Requirement::program("taskset", "util-linux"),
        ],
    )?;
    let rtrace = match &args.rtrace {
        Some(path) if path.is_file() => Ok(path.clone()),
        Some(path) => bail!("no rtrace binary at {}", path.display()),
        None => tools::build_rtrace(&workspace_root()),
    };
    if let Err(why) = &rtrace {
        step(
            TASK,
            &format!("warning: {why}; the rtrace rows will say so"),
        );
    }
    let dirs = Dirs::in_workspace();
    let report = run_plan(&plan, &dirs, rtrace)?;
    report.write(&dirs.out)?;
    println!("{}", report.markdown());
    step(
        TASK,
        &format!(
            "wrote {} and {}",
            dirs.out.join("report.md").display(),
            dirs.out.join("report.json").display()
        ),
    );
    Ok(0)
}

/// Builds the C programs, runs every (workload, mode, configuration) `plan.reps` times and
/// returns the report. Failures of single configurations are recorded in the report; an
/// Err means the bench itself could not run.
pub fn run_plan(plan: &Plan, dirs: &Dirs, rtrace: Result<PathBuf, String>) -> Result<Report> {
    let bin_dir = dirs.out.join("bin");
    step(TASK, &format!("gcc: {}", bin_dir.display()));
    tools::build_c_programs(&dirs.sources, &bin_dir, &workloads::c_programs())?;
    let locations = Locations {
        data_dir: dirs.out.join("data"),
        python: tools::python(),
        bin_dir: bin_dir.clone(),
    };
    let tracers = TracerPaths {
        floor: bin_dir.join(workloads::FLOOR_PROGRAM),
        floor_output: bin_dir.join(workloads::FLOOR_OUTPUT_PROGRAM),
        seccomp_allow: bin_dir.join(workloads::SECCOMP_ALLOW_PROGRAM),
        strace: tools::strace(),
        rtrace,
    };
    let scratch = Scratch::new(&dirs.out)?;
    let mut report = Report::new(plan, &tracers);
    let mut availability = Vec::new();
    for config in CONFIGS {
        availability.push(probe(config, &tracers, &scratch, &mut report)?);
    }

    for workload in &plan.workloads {
        bench_workload(
            plan,
            workload,
            &locations,
            &tracers,
            &availability,
            &scratch,
            &mut report,
        )?;
    }
    report.finish();
    Ok(report)
}

/// Files each run writes and nobody reads afterwards: the trace, the tracer's stderr.
struct Scratch {
    trace: PathBuf,
    stderr: PathBuf,
}

impl Scratch {
    fn new(out: &Path) -> Result<Scratch> {
        let dir = out.join("scratch");
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Scratch {
            trace: dir.join("trace.out"),
            stderr: dir.join("stderr.txt"),
        })
    }
}

/// Runs of `tracer true` per configuration: the first checks the options, and the
/// median CPU time of all is the tracer's start-up cost.
const PROBE_RUNS: usize = 3;

/// Whether `config` works here at all: its tracer exists and accepts its options, tried
/// on /bin/true. Err holds the one-line reason the report shows. Also records the
/// tracer's start-up CPU time, which weighs on workloads with few syscalls.
fn probe(
    config: &'static Config,
    tracers: &TracerPaths,
    scratch: &Scratch,
    report: &mut Report,
) -> Result<Result<(), String>> {
    if matches!(config.tracer, Tracer::Untraced) {
        return Ok(Ok(()));
    }
    let argv = match config.command(Mode::Unpinned, tracers, &scratch.trace, &["true".into()]) {
        Ok(argv) => argv,
        Err(why) => return Ok(Err(why)),
    };
    let mut cpus_ns = Vec::new();
    for _ in 0..PROBE_RUNS {
        let run = measure::run(&argv, &scratch.stderr, false)?;
        if let Some(why) = run.failure() {
            return Ok(Err(format!(
                "option missing? probe on `true` failed: {why}"
            )));
        }
        cpus_ns.extend(run.own_cpu_ns);
    }
    if config.tracer.traces() {
        report.set_startup_cpu(config, &cpus_ns);
    }
    Ok(Ok(()))
}

fn bench_workload(
    plan: &Plan,
    workload: &'static Workload,
    locations: &Locations,
    tracers: &TracerPaths,
    availability: &[Result<(), String>],
    scratch: &Scratch,
    report: &mut Report,
) -> Result<()> {
    step(TASK, &format!("{}: {}", workload.name, workload.about));
    let command = workload.command(plan.scale, locations);
    // One untraced run first, not timed: warms the page cache and the dynamic loader.
    let command = command.and_then(|argv| {
        let run = measure::run(&argv, &scratch.stderr, false).map_err(|e| format!("{e:#}"))?;
        match run.failure() {
            Some(why) => Err(format!("the untraced workload fails: {why}")),
            None => Ok(argv),
        }
    });
    for &mode in &plan.modes {
        for (config, available) in CONFIGS.iter().zip(availability) {
            if !configs::applies(config, workload) {
                continue;
            }
            let ready = match (&command, available) {
                (Err(why), _) | (_, Err(why)) => Err(why.clone()),
                (Ok(argv), Ok(())) => config.command(mode, tracers, &scratch.trace, argv),
            };
            report.add_cell(workload, mode, config, ready);
        }
    }
    // Round-robin: every configuration that still needs runs takes one per round, so
    // the short ones that get extra rounds stay interleaved with each other.
    let mut reps_wanted: HashMap<(Mode, &str), usize> = HashMap::new();
    let mut rep = 0;
    loop {
        let mut ran = false;
        for &mode in &plan.modes {
            for config in CONFIGS {
                let wanted = reps_wanted.get(&(mode, config.key)).copied();
                if wanted.is_some_and(|n| rep >= n) {
                    continue;
                }
                let Some(argv) = report.runnable(workload, mode, config) else {
                    continue;
                };
                if !ran {
                    step(TASK, &format!("{}: round {}", workload.name, rep + 1));
                    ran = true;
                }
                let run = measure::run(&argv, &scratch.stderr, false)?;
                if wanted.is_none() {
                    reps_wanted.insert((mode, config.key), plan.reps_after(run.wall));
                }
                record(report, workload, mode, config, &run, &scratch.trace);
            }
        }
        if !ran {
            break;
        }
        rep += 1;
    }
    // Memory in separate runs: sampling would disturb the timed ones.
    let memory_mode = plan.modes[0];
    for config in CONFIGS {
        if !config.tracer.traces() {
            continue;
        }
        if let Some(argv) = report.runnable(workload, memory_mode, config) {
            let run = measure::run(&argv, &scratch.stderr, true)?;
            match run.failure() {
                Some(why) => report.fail(workload, memory_mode, config, why),
                None => report.set_memory(workload, config, &run),
            }
        }
    }
    Ok(())
}

fn record(
    report: &mut Report,
    workload: &'static Workload,
    mode: Mode,
    config: &Config,
    run: &Run,
    trace: &Path,
) {
    if let Some(why) = run.failure() {
        report.fail(workload, mode, config, why);
        return;
    }
    if let Some(why) = incomplete_trace(config, trace, report.syscalls(workload.name)) {
        report.fail(workload, mode, config, why);
        return;
    }
    report.add_run(workload, mode, config, run);
    if config.tracer == Tracer::Floor {
        match floor_syscall_count(&run.stderr) {
            Some(count) => report.add_syscall_count(workload, count),
            None => report.fail(
                workload,
                mode,
                config,
                "the floor tracer did not print its syscall count".into(),
            ),
        }
    }
}

/// Why a full trace looks incomplete: fewer lines than 95% of the syscalls the floor
/// counted (the counts differ a little from run to run, on python's start-up).
fn incomplete_trace(config: &Config, trace: &Path, syscalls: Option<u64>) -> Option<String> {
    let syscalls = syscalls.filter(|_| config.full_trace)?;
    let lines = match std::fs::read(trace) {
        Ok(bytes) => bytes.iter().filter(|&&b| b == b'\n').count() as u64,
        Err(e) => return Some(format!("cannot read the trace {}: {e}", trace.display())),
    };
    (lines * 100 < syscalls * 95)
        .then(|| format!("incomplete trace: {lines} lines for {syscalls} syscalls"))
}

/// The count the floor tracer prints last: `ptrace_floor: N syscalls`.
fn floor_syscall_count(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("ptrace_floor: ")?.strip_suffix(" syscalls"))?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_trace_needs_about_a_line_per_syscall() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let trace = file.path();
        std::fs::write(trace, "a\n".repeat(95)).unwrap();
        let full = configs::CONFIGS.iter().find(|c| c.full_trace).unwrap();
        let counting = configs::CONFIGS.iter().find(|c| !c.full_trace).unwrap();
        assert_eq!(incomplete_trace(full, trace, Some(100)), None);
        assert_eq!(
            incomplete_trace(full, trace, Some(101)).as_deref(),
            Some("incomplete trace: 95 lines for 101 syscalls")
        );
        assert_eq!(incomplete_trace(counting, trace, Some(1000)), None);
    }

    #[test]
    fn short_configurations_get_more_rounds_within_a_bound() {
        let plan = Plan {
            workloads: Vec::new(),
            modes: vec![Mode::Pinned],
            reps: 3,
            short_run_budget: Duration::from_millis(500),
            scale: Scale::FULL,
        };
        assert_eq!(plan.reps_after(Duration::from_secs(2)), 3);
        assert_eq!(plan.reps_after(Duration::from_millis(100)), 5);
        assert_eq!(plan.reps_after(Duration::from_millis(40)), 13);
        assert_eq!(plan.reps_after(Duration::from_millis(1)), 30);
    }

    #[test]
    fn reads_the_floor_count_after_workload_output() {
        assert_eq!(
            floor_syscall_count("hello\nptrace_floor: 200031 syscalls\n"),
            Some(200031)
        );
        assert_eq!(floor_syscall_count("ptrace_floor: waitpid: oops\n"), None);
    }

    fn plan_of(argv: &[&str]) -> Result<Plan> {
        use clap::Parser;
        match crate::Cli::try_parse_from(argv)?.command {
            crate::Task::Bench(args) => Plan::from_args(&args),
            _ => panic!("not parsed as bench"),
        }
    }

    #[test]
    fn command_line_selects_workloads_modes_reps_and_scale() {
        let plan = plan_of(&[
            "xtask",
            "bench",
            "--quick",
            "--workload",
            "getppid",
            "--reps",
            "1",
        ])
        .unwrap();
        assert_eq!(plan.workloads.len(), 1);
        assert_eq!(plan.workloads[0].name, "getppid");
        assert_eq!(plan.modes, [Mode::Pinned, Mode::Unpinned]);
        assert_eq!((plan.reps, plan.scale), (1, Scale::QUICK));

        let plan = plan_of(&["xtask", "bench", "--unpinned-only"]).unwrap();
        assert_eq!(plan.workloads.len(), workloads::WORKLOADS.len());
        assert_eq!(plan.modes, [Mode::Unpinned]);
        assert_eq!((plan.reps, plan.scale), (5, Scale::FULL));

        let error = plan_of(&["xtask", "bench", "--workload", "nope"]).unwrap_err();
        assert!(
            error.to_string().starts_with("unknown workload `nope`"),
            "{error}"
        );
        assert!(plan_of(&["xtask", "bench", "--reps", "0"]).is_err());
        assert!(plan_of(&["xtask", "bench", "--pinned-only", "--unpinned-only"]).is_err());
    }

    /// The smoke test: the whole bench on a tiny getppid, one repetition, every row
    /// rtrace's included. It checks that the report has its rows and numbers, not what
    /// the numbers are.
    #[test]
    fn smoke_bench_reports_rows_and_numbers() {
        let root = workspace_root();
        let out = tempfile::tempdir().expect("cannot create a temporary directory");
        let dirs = Dirs {
            sources: root.join("benches/workloads"),
            out: out.path().to_path_buf(),
        };
        let plan = Plan {
            workloads: vec![workloads::find("getppid").unwrap()],
            modes: vec![Mode::Pinned, Mode::Unpinned],
            reps: 1,
            // One run each: the smoke test checks the harness, not the figures.
            short_run_budget: Duration::ZERO,
            scale: Scale::TINY,
        };
        // The debug build `cargo xtask test` makes before the tests (with its plugins
        // next to it): this test runs rtrace's side of the bench, not its speed, so it
        // needs no release build. Panics with what to build when it is missing.
        let rtrace = Ok(rtrace_tests::locate::rtrace_binary());
        let report = run_plan(&plan, &dirs, rtrace).expect("the bench runs");
        report.write(&dirs.out).unwrap();

        let calls = Scale::TINY.apply(200_000);
        let counted = report
            .syscalls("getppid")
            .expect("the floor counted syscalls");
        assert!(
            counted >= calls,
            "{counted} syscalls counted, the loop alone makes {calls}"
        );

        let rows = report.rows();
        let getppid = workloads::find("getppid").unwrap();
        let applicable = CONFIGS
            .iter()
            .filter(|c| configs::applies(c, getppid))
            .count();
        assert_eq!(rows.len(), 2 * applicable);
        for row in &rows {
            // Every configuration is measured here, rtrace's too: a row without
            // numbers is a failure with its reason.
            let n = match &row.numbers {
                Ok(n) => n,
                Err(why) => panic!("{} not measured: {why}", row.config.key),
            };
            assert!(n.median_ms > 0.0, "{row:?}");
            if row.config.tracer.traces() {
                assert!(n.added_us_per_syscall.is_some(), "{row:?}");
                assert!(n.peak_rss_kib.is_some_and(|kib| kib > 0), "{row:?}");
                assert!(
                    n.tracer_cpu_us_per_syscall.is_some_and(|us| us > 0.0),
                    "{row:?}"
                );
            }
        }
        assert!(
            rows.iter().any(|row| row.config.key == "rtrace"),
            "no rtrace row in the report"
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dirs.out.join("report.json")).unwrap())
                .unwrap();
        assert_eq!(json["rows"].as_array().unwrap().len(), rows.len());
        for key in ["floor", "strace", "rtrace"] {
            let ms = json["startup_cpu_ms"][key].as_f64();
            assert!(ms.is_some_and(|ms| ms > 0.0), "{key} start-up: {ms:?}");
        }
        let markdown = std::fs::read_to_string(dirs.out.join("report.md")).unwrap();
        assert!(
            markdown.contains("| getppid | pinned | floor |"),
            "{markdown}"
        );
    }
}
