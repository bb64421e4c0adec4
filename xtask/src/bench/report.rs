//! The bench's results: the timings as they come in, then the derived numbers (median wall
//! time, time added per syscall, ratios to the floor, to strace and to the untraced run),
//! the issue 9 and 18 targets checked against them, and the report as Markdown and JSON.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::json;

use super::configs::{Config, Mode, TracerPaths};
use super::measure::Run;
use super::workloads::Workload;
use super::Plan;

/// One (workload, mode, configuration) as the bench goes.
struct Cell {
    workload: &'static Workload,
    mode: Mode,
    config: &'static Config,
    state: State,
}

enum State {
    /// Cannot run here (tool or option missing); never tried on the workload.
    Unavailable(String),
    /// Ran and failed; not run again.
    Failed(String),
    Timed {
        argv: Vec<String>,
        walls: Vec<Duration>,
        /// The tracer's (or untraced workload's) own CPU time per run, where known.
        cpus_ns: Vec<u64>,
    },
}

#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    own_peak_kib: Option<u64>,
    with_children_kib: u64,
}

/// The derived numbers of one row.
#[derive(Debug, Clone)]
pub struct Numbers {
    pub walls_ms: Vec<f64>,
    pub median_ms: f64,
    pub added_us_per_syscall: Option<f64>,
    /// Added time over the floor's added time, same workload and mode.
    pub to_floor: Option<f64>,
    /// Added time over the floor with output's added time, same workload and mode.
    pub to_floor_output: Option<f64>,
    /// Unpinned added time over the same configuration's pinned added time (unpinned
    /// rows only): whether placement reaches the one-CPU cost without the user pinning.
    pub to_own_pinned: Option<f64>,
    /// Added time over the strace peer's added time.
    pub to_strace: Option<f64>,
    /// Wall time over the strace peer's wall time.
    pub wall_to_strace: Option<f64>,
    /// Wall time over the untraced wall time.
    pub to_untraced: Option<f64>,
    /// The tracer's own peak RSS (none for the untraced row).
    pub peak_rss_kib: Option<u64>,
    /// The tracer's own CPU time (median) per syscall of the workload: wall time's
    /// counterpart that a loaded machine disturbs less.
    pub tracer_cpu_us_per_syscall: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub workload: &'static str,
    pub mode: Mode,
    pub config: &'static Config,
    /// Err: why there are no numbers ("n/a ..." or "failed ...").
    pub numbers: Result<Numbers, String>,
}

pub struct Report {
    meta: BTreeMap<&'static str, String>,
    cells: Vec<Cell>,
    syscall_counts: BTreeMap<&'static str, Vec<u64>>,
    memory: BTreeMap<(&'static str, &'static str), Memory>,
    /// Per configuration: the tracer's median CPU time tracing /bin/true, ns.
    startup_cpu_ns: Vec<(&'static Config, u64)>,
}

impl Report {
    pub fn new(plan: &Plan, tracers: &TracerPaths) -> Report {
        let mut meta = BTreeMap::new();
        meta.insert(
            "started",
            command_line("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"]),
        );
        meta.insert("load_at_start", load_average());
        meta.insert("kernel", command_line("uname", &["-r"]));
        meta.insert(
            "cpus",
            std::thread::available_parallelism().map_or("?".into(), |n| n.to_string()),
        );
        meta.insert("strace", command_line("strace", &["-V"]));
        meta.insert(
            "rtrace",
            match &tracers.rtrace {
                Ok(path) => path.display().to_string(),
                Err(why) => format!("unavailable: {why}"),
            },
        );
        // The checkout's state; it is rtrace's source only when the bench built rtrace.
        let root = crate::gen_syscalls::workspace_root();
        meta.insert(
            "workspace",
            command_line(
                "git",
                &[
                    "-C",
                    &root.to_string_lossy(),
                    "describe",
                    "--always",
                    "--dirty",
                ],
            ),
        );
        meta.insert("scale", format!("full sizes / {}", plan.scale.divisor));
        meta.insert(
            "repetitions",
            format!(
                "{} (a configuration whose first run is short: until its runs add up to \
                 {} ms, at most {})",
                plan.reps,
                plan.short_run_budget.as_millis(),
                plan.reps * super::MAX_REPS_FACTOR
            ),
        );
        Report {
            meta,
            cells: Vec::new(),
            syscall_counts: BTreeMap::new(),
            memory: BTreeMap::new(),
            startup_cpu_ns: Vec::new(),
        }
    }

    pub fn set_startup_cpu(&mut self, config: &'static Config, cpus_ns: &[u64]) {
        if let Some(ns) = median_u64(cpus_ns) {
            self.startup_cpu_ns.push((config, ns));
        }
    }

    pub fn add_cell(
        &mut self,
        workload: &'static Workload,
        mode: Mode,
        config: &'static Config,
        command: Result<Vec<String>, String>,
    ) {
        let state = match command {
            Ok(argv) => State::Timed {
                argv,
                walls: Vec::new(),
                cpus_ns: Vec::new(),
            },
            Err(why) => State::Unavailable(why),
        };
        self.cells.push(Cell {
            workload,
            mode,
            config,
            state,
        });
    }

    fn cell_mut(&mut self, workload: &Workload, mode: Mode, config: &Config) -> Option<&mut Cell> {
        self.cells.iter_mut().find(|c| {
            c.workload.name == workload.name && c.mode == mode && c.config.key == config.key
        })
    }

    /// The command of a cell still worth running.
    pub fn runnable(
        &mut self,
        workload: &Workload,
        mode: Mode,
        config: &Config,
    ) -> Option<Vec<String>> {
        match &self.cell_mut(workload, mode, config)?.state {
            State::Timed { argv, .. } => Some(argv.clone()),
            State::Unavailable(_) | State::Failed(_) => None,
        }
    }

    pub fn fail(&mut self, workload: &Workload, mode: Mode, config: &Config, why: String) {
        if let Some(cell) = self.cell_mut(workload, mode, config) {
            cell.state = State::Failed(why);
        }
    }

    pub fn add_run(&mut self, workload: &Workload, mode: Mode, config: &Config, run: &Run) {
        if let Some(Cell {
            state: State::Timed { walls, cpus_ns, .. },
            ..
        }) = self.cell_mut(workload, mode, config)
        {
            walls.push(run.wall);
            cpus_ns.extend(run.own_cpu_ns);
        }
    }

    pub fn add_syscall_count(&mut self, workload: &'static Workload, count: u64) {
        self.syscall_counts
            .entry(workload.name)
            .or_default()
            .push(count);
    }

    pub fn set_memory(&mut self, workload: &'static Workload, config: &'static Config, run: &Run) {
        self.memory.insert(
            (workload.name, config.key),
            Memory {
                own_peak_kib: run.own_peak_rss_kib,
                with_children_kib: run.max_rss_with_children_kib,
            },
        );
    }

    pub fn finish(&mut self) {
        self.meta.insert("load_at_end", load_average());
    }

    /// The workload's syscall count: the median of the floor's counts.
    pub fn syscalls(&self, workload: &str) -> Option<u64> {
        let mut counts = self.syscall_counts.get(workload)?.clone();
        counts.sort_unstable();
        counts.get(counts.len() / 2).copied()
    }

    fn median_ms(&self, workload: &str, mode: Mode, key: &str) -> Option<f64> {
        self.cells
            .iter()
            .find(|c| c.workload.name == workload && c.mode == mode && c.config.key == key)
            .and_then(|c| match &c.state {
                State::Timed { walls, .. } => median_ms(walls),
                _ => None,
            })
    }

    /// Every cell with its derived numbers, in run order.
    pub fn rows(&self) -> Vec<Row> {
        self.cells.iter().map(|cell| self.row(cell)).collect()
    }

    fn row(&self, cell: &Cell) -> Row {
        let numbers = match &cell.state {
            State::Unavailable(why) => Err(format!("n/a ({why})")),
            State::Failed(why) => Err(format!("failed ({why})")),
            State::Timed { walls, cpus_ns, .. } => match median_ms(walls) {
                None => Err("not run".to_string()),
                Some(median) => Ok(self.numbers(cell, walls, cpus_ns, median)),
            },
        };
        Row {
            workload: cell.workload.name,
            mode: cell.mode,
            config: cell.config,
            numbers,
        }
    }

    fn numbers(&self, cell: &Cell, walls: &[Duration], cpus_ns: &[u64], median: f64) -> Numbers {
        let (workload, mode) = (cell.workload.name, cell.mode);
        let untraced = self.median_ms(workload, mode, "untraced");
        let syscalls = self.syscalls(workload);
        let added = |median: f64| -> Option<f64> {
            let untraced = untraced?;
            let calls = syscalls.filter(|&n| n > 0)? as f64;
            Some((median - untraced) * 1000.0 / calls)
        };
        let is_traced = cell.config.tracer.traces();
        let added_here = added(median).filter(|_| is_traced);
        let peer_median = cell
            .config
            .strace_peer
            .and_then(|peer| self.median_ms(workload, mode, peer));
        let floor_added = self.median_ms(workload, mode, "floor").and_then(added);
        let floor_output_added = self
            .median_ms(workload, mode, "floor-output")
            .and_then(added);
        let pinned_added = match mode {
            Mode::Pinned => None,
            Mode::Unpinned => {
                let pinned_untraced = self.median_ms(workload, Mode::Pinned, "untraced");
                self.median_ms(workload, Mode::Pinned, cell.config.key)
                    .zip(pinned_untraced)
                    .zip(syscalls.filter(|&n| n > 0))
                    .map(|((traced, untraced), calls)| (traced - untraced) * 1000.0 / calls as f64)
            }
        };
        Numbers {
            walls_ms: walls.iter().map(|w| w.as_secs_f64() * 1000.0).collect(),
            median_ms: median,
            added_us_per_syscall: added_here,
            to_floor: ratio(added_here, floor_added),
            to_floor_output: ratio(added_here, floor_output_added),
            to_own_pinned: ratio(added_here, pinned_added),
            to_strace: ratio(added_here, peer_median.and_then(added)),
            wall_to_strace: ratio(Some(median), peer_median),
            to_untraced: ratio(Some(median), untraced),
            tracer_cpu_us_per_syscall: median_u64(cpus_ns)
                .zip(syscalls.filter(|&n| n > 0))
                .map(|(ns, calls)| ns as f64 / 1000.0 / calls as f64)
                .filter(|_| is_traced),
            peak_rss_kib: self
                .memory
                .get(&(workload, cell.config.key))
                .and_then(|m| m.own_peak_kib)
                .filter(|_| is_traced),
        }
    }

    /// Every target of issues 9 and 18, checked on the rows measured.
    pub fn verdicts(&self) -> Vec<Verdict> {
        let rows = self.rows();
        TARGETS.iter().map(|t| t.check(&rows)).collect()
    }

    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let md = dir.join("report.md");
        std::fs::write(&md, self.markdown())
            .with_context(|| format!("cannot write {}", md.display()))?;
        let json = dir.join("report.json");
        let text = serde_json::to_string_pretty(&self.json()).context("report to JSON")?;
        std::fs::write(&json, text + "\n")
            .with_context(|| format!("cannot write {}", json.display()))
    }

    pub fn markdown(&self) -> String {
        let mut out = String::from("# rtrace bench\n\n");
        for (key, value) in &self.meta {
            out += &format!("- {key}: {value}\n");
        }
        out += "- added us/syscall = (median wall - median untraced wall, same mode) / \
                syscalls counted by the floor tracer\n";
        out += "- x floor, x strace: ratios of added time; x untraced: ratio of wall time; \
                tracer CPU: the tracer's own CPU time (median) / syscalls; peak RSS: the \
                tracer's own VmHWM at its exit, from a separate run\n";
        out += "- a negative added time means the difference is lost in the machine's noise; \
                ratios are left out when their base is not positive\n\n";
        out += "- wall x strace: ratio of median wall times; spread: the runs' slowest over \
                fastest wall time, how noisy the row was\n\n";
        out += "| workload | mode | configuration | wall ms | spread | added us/syscall \
                | x floor | x strace | wall x strace | x untraced | tracer CPU us/syscall \
                | peak RSS MiB |\n";
        out += "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
        for row in self.rows() {
            let cells = match &row.numbers {
                Ok(n) => [
                    format!("{:.1}", n.median_ms),
                    fixed(spread(&n.walls_ms), 2),
                    fixed(n.added_us_per_syscall, 2),
                    fixed(n.to_floor, 2),
                    fixed(n.to_strace, 2),
                    fixed(n.wall_to_strace, 2),
                    fixed(n.to_untraced, 2),
                    fixed(n.tracer_cpu_us_per_syscall, 2),
                    fixed(n.peak_rss_kib.map(|kib| kib as f64 / 1024.0), 1),
                ]
                .join(" | "),
                Err(why) => format!("{} | | | | | | | | ", why.replace('|', "\\|")),
            };
            out += &format!(
                "| {} | {} | {} | {cells} |\n",
                row.workload,
                row.mode.name(),
                row.config.label()
            );
        }
        out += "\n| workload | syscalls (floor's count, median) |\n|---|--:|\n";
        for name in self.syscall_counts.keys() {
            out += &format!(
                "| {name} | {} |\n",
                fixed(self.syscalls(name).map(|n| n as f64), 0)
            );
        }
        out += "\n## Tracer start-up\n\nCPU time of the tracer tracing /bin/true (median); \
                it is part of every run's figures and dominates where a workload makes \
                few syscalls.\n\n| configuration | CPU ms |\n|---|--:|\n";
        for (config, ns) in &self.startup_cpu_ns {
            out += &format!("| {} | {:.2} |\n", config.label(), *ns as f64 / 1e6);
        }
        out += "\n## Targets (issues 9 and 18)\n\n| target | limit | worst | at | verdict |\n|---|--:|--:|---|---|\n";
        for v in self.verdicts() {
            out += &format!(
                "| {} | {} | {} | {} | {} |\n",
                v.target.about,
                v.target.limit,
                fixed(v.worst, 2),
                v.worst_at,
                v.verdict()
            );
        }
        out
    }

    fn json(&self) -> serde_json::Value {
        let rows: Vec<serde_json::Value> = self
            .rows()
            .iter()
            .map(|row| {
                let mut value = json!({
                    "workload": row.workload,
                    "mode": row.mode.name(),
                    "config": row.config.key,
                    "command": row.config.label(),
                });
                match &row.numbers {
                    Ok(n) => {
                        value["walls_ms"] = json!(n.walls_ms);
                        value["median_ms"] = json!(n.median_ms);
                        value["added_us_per_syscall"] = json!(n.added_us_per_syscall);
                        value["ratio_to_floor"] = json!(n.to_floor);
                        value["ratio_to_strace"] = json!(n.to_strace);
                        value["wall_ratio_to_strace"] = json!(n.wall_to_strace);
                        value["ratio_to_floor_output"] = json!(n.to_floor_output);
                        value["unpinned_ratio_to_own_pinned"] = json!(n.to_own_pinned);
                        value["wall_ratio_to_untraced"] = json!(n.to_untraced);
                        value["tracer_peak_rss_kib"] = json!(n.peak_rss_kib);
                        value["tracer_cpu_us_per_syscall"] = json!(n.tracer_cpu_us_per_syscall);
                        value["max_rss_with_tracees_kib"] = json!(self
                            .memory
                            .get(&(row.workload, row.config.key))
                            .map(|m| m.with_children_kib));
                    }
                    Err(why) => value["unavailable"] = json!(why),
                }
                value
            })
            .collect();
        let syscalls: BTreeMap<&str, Option<u64>> = self
            .syscall_counts
            .keys()
            .map(|name| (*name, self.syscalls(name)))
            .collect();
        let targets: Vec<serde_json::Value> = self
            .verdicts()
            .iter()
            .map(|v| {
                json!({
                    "target": v.target.about,
                    "limit": v.target.limit,
                    "worst": v.worst,
                    "worst_at": v.worst_at,
                    "missing_rows": v.missing,
                    "verdict": v.verdict(),
                })
            })
            .collect();
        let startup: BTreeMap<&str, f64> = self
            .startup_cpu_ns
            .iter()
            .map(|(config, ns)| (config.key, *ns as f64 / 1e6))
            .collect();
        json!({
            "meta": self.meta,
            "syscalls": syscalls,
            "startup_cpu_ms": startup,
            "rows": rows,
            "targets": targets,
        })
    }
}

/// What a target measures on a row.
#[derive(Debug, Clone, Copy)]
enum Measure {
    AddedToFloor,
    AddedToFloorOutput,
    AddedToOwnPinned,
    AddedToStrace,
    WallToStrace,
    WallToUntraced,
    PeakRssMib,
}

/// Which workloads a target covers.
#[derive(Debug, Clone, Copy)]
enum Scope {
    All,
    SingleThreaded,
    ComputeParallel,
    Only(&'static str),
    OneOf(&'static [&'static str]),
}

/// One target of issue 9 or 18: `measure` must be at most `limit` on every covered row.
#[derive(Debug)]
pub struct Target {
    pub about: &'static str,
    configs: &'static [&'static str],
    modes: &'static [Mode],
    scope: Scope,
    measure: Measure,
    pub limit: f64,
}

const BOTH: &[Mode] = &[Mode::Pinned, Mode::Unpinned];
const RTRACE_CONFIGS: &[&str] = &[
    "rtrace",
    "rtrace-c",
    "rtrace-filtered",
    "rtrace-filtered-bpf",
];

const TARGETS: &[Target] = &[
    Target {
        about: "full trace, pinned: added time <= 1.15 x floor's",
        configs: &["rtrace"],
        modes: &[Mode::Pinned],
        scope: Scope::All,
        measure: Measure::AddedToFloor,
        limit: 1.15,
    },
    Target {
        about: "full trace, unpinned, single-threaded: added time <= 0.3 x strace's",
        configs: &["rtrace"],
        modes: &[Mode::Unpinned],
        scope: Scope::SingleThreaded,
        measure: Measure::AddedToStrace,
        limit: 0.3,
    },
    Target {
        about: "full trace, unpinned: faster than strace (added time ratio)",
        configs: &["rtrace"],
        modes: &[Mode::Unpinned],
        scope: Scope::All,
        measure: Measure::AddedToStrace,
        limit: 1.0,
    },
    Target {
        about: "-c, pinned: added time <= 1.05 x floor's",
        configs: &["rtrace-c"],
        modes: &[Mode::Pinned],
        scope: Scope::All,
        measure: Measure::AddedToFloor,
        limit: 1.05,
    },
    Target {
        about: "filtered --seccomp-bpf: wall time no more than strace --seccomp-bpf's",
        configs: &["rtrace-filtered-bpf"],
        modes: BOTH,
        scope: Scope::All,
        measure: Measure::WallToStrace,
        limit: 1.0,
    },
    Target {
        about: "filtered --seccomp-bpf, getppid (not traced): within 10% of untraced",
        configs: &["rtrace-filtered-bpf"],
        modes: BOTH,
        scope: Scope::Only("getppid"),
        measure: Measure::WallToUntraced,
        limit: 1.10,
    },
    Target {
        about: "filtered --seccomp-bpf, 4 threads: within 1.5 x untraced",
        configs: &["rtrace-filtered-bpf"],
        modes: BOTH,
        scope: Scope::Only("threads"),
        measure: Measure::WallToUntraced,
        limit: 1.5,
    },
    // Issue 18: the default placement never loses to strace, and reaches the one-CPU
    // cost unpinned.
    Target {
        about: "full trace, unpinned, compute-parallel: wall <= 1.05 x strace's",
        configs: &["rtrace"],
        modes: &[Mode::Unpinned],
        scope: Scope::ComputeParallel,
        measure: Measure::WallToStrace,
        limit: 1.05,
    },
    Target {
        about: "full trace, unpinned: wall <= strace's",
        configs: &["rtrace"],
        modes: &[Mode::Unpinned],
        scope: Scope::All,
        measure: Measure::WallToStrace,
        limit: 1.0,
    },
    Target {
        about: "full trace, unpinned, getppid and small-files: added <= 1.1 x rtrace's pinned",
        configs: &["rtrace"],
        modes: &[Mode::Unpinned],
        scope: Scope::OneOf(&["getppid", "small-files"]),
        measure: Measure::AddedToOwnPinned,
        limit: 1.1,
    },
    Target {
        about: "full trace, pinned, single-threaded: added <= 1.05 x floor with output's",
        configs: &["rtrace"],
        modes: &[Mode::Pinned],
        scope: Scope::SingleThreaded,
        measure: Measure::AddedToFloorOutput,
        limit: 1.05,
    },
    Target {
        about: "peak memory of rtrace, MiB",
        configs: RTRACE_CONFIGS,
        modes: BOTH,
        scope: Scope::All,
        measure: Measure::PeakRssMib,
        limit: 16.0,
    },
];

pub struct Verdict {
    pub target: &'static Target,
    pub worst: Option<f64>,
    pub worst_at: String,
    /// Covered rows without the number (n/a, failed, or a ratio with no base).
    pub missing: usize,
}

impl Verdict {
    pub fn verdict(&self) -> &'static str {
        match self.worst {
            None => "n/a",
            Some(worst) if worst > self.target.limit => "missed",
            Some(_) if self.missing > 0 => "met where measured",
            Some(_) => "met",
        }
    }
}

impl Target {
    fn covers(&self, row: &Row) -> bool {
        let in_scope = match self.scope {
            Scope::All => true,
            Scope::SingleThreaded => {
                super::workloads::find(row.workload).is_some_and(|w| w.single_threaded)
            }
            Scope::ComputeParallel => {
                super::workloads::find(row.workload).is_some_and(|w| w.compute_parallel)
            }
            Scope::Only(name) => row.workload == name,
            Scope::OneOf(names) => names.contains(&row.workload),
        };
        in_scope && self.modes.contains(&row.mode) && self.configs.contains(&row.config.key)
    }

    fn value(&self, numbers: &Numbers) -> Option<f64> {
        match self.measure {
            Measure::AddedToFloor => numbers.to_floor,
            Measure::AddedToFloorOutput => numbers.to_floor_output,
            Measure::AddedToOwnPinned => numbers.to_own_pinned,
            Measure::AddedToStrace => numbers.to_strace,
            Measure::WallToStrace => numbers.wall_to_strace,
            Measure::WallToUntraced => numbers.to_untraced,
            Measure::PeakRssMib => numbers.peak_rss_kib.map(|kib| kib as f64 / 1024.0),
        }
    }

    fn check(&'static self, rows: &[Row]) -> Verdict {
        let mut verdict = Verdict {
            target: self,
            worst: None,
            worst_at: String::new(),
            missing: 0,
        };
        for row in rows.iter().filter(|r| self.covers(r)) {
            match row.numbers.as_ref().ok().and_then(|n| self.value(n)) {
                None => verdict.missing += 1,
                Some(value) if verdict.worst.is_none_or(|w| value > w) => {
                    verdict.worst = Some(value);
                    verdict.worst_at =
                        format!("{} {} {}", row.workload, row.mode.name(), row.config.key);
                }
                Some(_) => {}
            }
        }
        verdict
    }
}

/// The slowest run over the fastest (1.00: no spread).
fn spread(walls_ms: &[f64]) -> Option<f64> {
    let fastest = walls_ms.iter().copied().reduce(f64::min)?;
    let slowest = walls_ms.iter().copied().reduce(f64::max)?;
    ratio(Some(slowest), Some(fastest))
}

fn median_u64(values: &[u64]) -> Option<u64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied()
}

fn median_ms(walls: &[Duration]) -> Option<f64> {
    let mut ms: Vec<f64> = walls.iter().map(|w| w.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    match ms.len() {
        0 => None,
        n if n % 2 == 1 => Some(ms[n / 2]),
        n => Some((ms[n / 2 - 1] + ms[n / 2]) / 2.0),
    }
}

/// a / b, when both exist and b is positive (an added time lost in noise has no ratio).
fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    let (a, b) = (a?, b?);
    (b > 0.0).then(|| a / b)
}

fn fixed(value: Option<f64>, decimals: usize) -> String {
    value.map_or("-".into(), |v| format!("{v:.decimals$}"))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// The first line a command prints, or "?" if it cannot run.
fn command_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        assert_eq!(median_ms(&ms(&[30, 10, 20])), Some(20.0));
        assert_eq!(median_ms(&ms(&[40, 10, 20, 30])), Some(25.0));
        assert_eq!(median_ms(&[]), None);
    }

    #[test]
    fn spread_is_the_slowest_run_over_the_fastest() {
        assert_eq!(spread(&[100.0, 150.0, 120.0]), Some(1.5));
        assert_eq!(spread(&[80.0]), Some(1.0));
        assert_eq!(spread(&[]), None);
    }

    #[test]
    fn targets_name_existing_configurations() {
        for target in TARGETS {
            for key in target.configs {
                assert!(
                    super::super::configs::find(key).is_some(),
                    "{}: {key}",
                    target.about
                );
            }
        }
    }
}
