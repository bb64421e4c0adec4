//! The tracer configurations compared, and the two ways of scheduling them (pinned to one
//! CPU, or left to the scheduler). One table; each row is probed before use, so an option
//! rtrace lacks yet shows as "n/a (option missing)" rather than as a made-up number.

use std::path::{Path, PathBuf};

/// Which program traces the workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracer {
    Untraced,
    /// The minimal ptrace tracer built from benches/workloads/ptrace_floor.c.
    Floor,
    /// The floor plus the memory reads and the line writing a full trace cannot skip
    /// (benches/workloads/floor_with_output.c): the least printing every call costs.
    FloorOutput,
    /// No tracer, but a seccomp filter that allows everything
    /// (benches/workloads/seccomp_allow.c): the least a filtered run can cost.
    SeccompOnly,
    Strace,
    Rtrace,
}

impl Tracer {
    /// Whether a tracer runs at all (and so has a cost, a CPU time and a memory peak of
    /// its own).
    pub fn traces(self) -> bool {
        !matches!(self, Tracer::Untraced | Tracer::SeccompOnly)
    }
}

#[derive(Debug)]
pub struct Config {
    /// Short key, used in the JSON and by the targets.
    pub key: &'static str,
    pub tracer: Tracer,
    /// The tracer's options before the workload; `{out}` is the output file.
    pub args: &'static [&'static str],
    /// The strace configuration this one is compared with (rtrace rows only).
    pub strace_peer: Option<&'static str>,
    /// Writes a line per syscall: a run whose trace has clearly fewer lines than the
    /// workload made syscalls did not do the work, and counts as failed.
    pub full_trace: bool,
    /// The one workload this configuration runs on (`-k` is measured on its own
    /// workload: on every one it would multiply the bench's time); `None`: every one.
    pub only_on: Option<&'static str>,
}

/// Stands for the output file in [`Config::args`].
pub const OUT: &str = "{out}";

pub const CONFIGS: &[Config] = &[
    Config {
        key: "untraced",
        tracer: Tracer::Untraced,
        args: &[],
        strace_peer: None,
        full_trace: false,
        only_on: None,
    },
    Config {
        key: "floor",
        tracer: Tracer::Floor,
        args: &[],
        strace_peer: None,
        full_trace: false,
        only_on: None,
    },
    Config {
        key: "floor-output",
        tracer: Tracer::FloorOutput,
        args: &[OUT],
        strace_peer: None,
        full_trace: true,
        only_on: None,
    },
    Config {
        key: "seccomp-only",
        tracer: Tracer::SeccompOnly,
        args: &[],
        strace_peer: None,
        full_trace: false,
        only_on: None,
    },
    Config {
        key: "strace",
        tracer: Tracer::Strace,
        args: &["-f", "-o", OUT],
        strace_peer: None,
        full_trace: true,
        only_on: None,
    },
    Config {
        key: "rtrace",
        tracer: Tracer::Rtrace,
        args: &["-f", "-o", OUT],
        strace_peer: Some("strace"),
        full_trace: true,
        only_on: None,
    },
    // The CPU-placement choices for the full trace (the default, "rtrace" above, spins).
    Config {
        key: "rtrace-same-cpu",
        tracer: Tracer::Rtrace,
        args: &["-f", "--cpu-placement", "same-cpu", "-o", OUT],
        strace_peer: Some("strace"),
        full_trace: true,
        only_on: None,
    },
    Config {
        key: "rtrace-no-placement",
        tracer: Tracer::Rtrace,
        args: &["-f", "--cpu-placement", "none", "-o", OUT],
        strace_peer: Some("strace"),
        full_trace: true,
        only_on: None,
    },
    // What drawing costs: the full trace into the HTML timeline instead of text (the
    // figure to hold against "rtrace" above; strace has no counterpart).
    Config {
        key: "rtrace-timeline",
        tracer: Tracer::Rtrace,
        args: &["-f", "--timeline", OUT],
        strace_peer: None,
        full_trace: false,
        only_on: None,
    },
    Config {
        key: "strace-c",
        tracer: Tracer::Strace,
        args: &["-c", "-f", "-o", OUT],
        strace_peer: None,
        full_trace: false,
        only_on: None,
    },
    Config {
        key: "rtrace-c",
        tracer: Tracer::Rtrace,
        args: &["-c", "-f", "-o", OUT],
        strace_peer: Some("strace-c"),
        full_trace: false,
        only_on: None,
    },
    Config {
        key: "strace-filtered",
        tracer: Tracer::Strace,
        args: &["-f", "-o", OUT, "-e", "trace=openat"],
        strace_peer: None,
        full_trace: false,
        only_on: None,
    },
    Config {
        key: "rtrace-filtered",
        tracer: Tracer::Rtrace,
        args: &["-f", "-o", OUT, "-e", "trace=openat"],
        strace_peer: Some("strace-filtered"),
        full_trace: false,
        only_on: None,
    },
    Config {
        key: "strace-filtered-bpf",
        tracer: Tracer::Strace,
        args: &["-f", "--seccomp-bpf", "-o", OUT, "-e", "trace=openat"],
        strace_peer: None,
        full_trace: false,
        only_on: None,
    },
    Config {
        key: "rtrace-filtered-bpf",
        tracer: Tracer::Rtrace,
        args: &["-f", "--seccomp-bpf", "-o", OUT, "-e", "trace=openat"],
        strace_peer: Some("strace-filtered-bpf"),
        full_trace: false,
        only_on: None,
    },
    // -k: the stack after each call (strace's is Debian's, built with libunwind).
    Config {
        key: "strace-k",
        tracer: Tracer::Strace,
        args: &["-f", "-k", "-o", OUT],
        strace_peer: None,
        full_trace: true,
        only_on: Some("stack-trace"),
    },
    Config {
        key: "rtrace-k",
        tracer: Tracer::Rtrace,
        args: &["-f", "-k", "-o", OUT],
        strace_peer: Some("strace-k"),
        full_trace: true,
        only_on: Some("stack-trace"),
    },
];

/// Whether `config` runs on `workload`.
pub fn applies(config: &Config, workload: &super::workloads::Workload) -> bool {
    config.only_on.is_none_or(|name| name == workload.name)
        && workload
            .configs
            .is_none_or(|keys| keys.contains(&config.key))
}

#[cfg(test)]
pub fn find(key: &str) -> Option<&'static Config> {
    CONFIGS.iter().find(|c| c.key == key)
}

/// Pinned: tracer and tracee share CPU 0 (`taskset -c 0` on the whole command), which
/// shows the tracer's own cost. Unpinned: how people run tracers; on a VM each ptrace
/// stop then also pays a vCPU halt and wake-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Pinned,
    Unpinned,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Pinned => "pinned",
            Mode::Unpinned => "unpinned",
        }
    }
}

/// The tracer programs, each found or with the reason it is missing.
pub struct TracerPaths {
    pub floor: PathBuf,
    pub floor_output: PathBuf,
    pub seccomp_allow: PathBuf,
    pub strace: Result<PathBuf, String>,
    pub rtrace: Result<PathBuf, String>,
}

impl Config {
    /// The command to run `workload` under this configuration, or why it cannot run.
    pub fn command(
        &self,
        mode: Mode,
        tracers: &TracerPaths,
        out: &Path,
        workload: &[String],
    ) -> Result<Vec<String>, String> {
        let mut argv: Vec<String> = match mode {
            Mode::Pinned => vec!["taskset".into(), "-c".into(), "0".into()],
            Mode::Unpinned => Vec::new(),
        };
        if let Some(tracer) = self.program(tracers)? {
            argv.push(tracer.display().to_string());
            argv.extend(self.args.iter().map(|a| {
                if *a == OUT {
                    out.display().to_string()
                } else {
                    a.to_string()
                }
            }));
        }
        argv.extend(workload.iter().cloned());
        Ok(argv)
    }

    /// The tracer program (None when untraced), or why it is missing.
    pub fn program(&self, tracers: &TracerPaths) -> Result<Option<PathBuf>, String> {
        Ok(match self.tracer {
            Tracer::Untraced => None,
            Tracer::Floor => Some(tracers.floor.clone()),
            Tracer::FloorOutput => Some(tracers.floor_output.clone()),
            Tracer::SeccompOnly => Some(tracers.seccomp_allow.clone()),
            Tracer::Strace => Some(tracers.strace.clone()?),
            Tracer::Rtrace => Some(tracers.rtrace.clone()?),
        })
    }

    /// How the configuration reads in the report: the tracer's command line.
    pub fn label(&self) -> String {
        let tool = match self.tracer {
            Tracer::Untraced => return "untraced".into(),
            Tracer::Floor => "floor",
            Tracer::FloorOutput => return "floor with output (FILE)".into(),
            Tracer::SeccompOnly => return "untraced, under an allow-all seccomp filter".into(),
            Tracer::Strace => "strace",
            Tracer::Rtrace => "rtrace",
        };
        let args: Vec<&str> = self
            .args
            .iter()
            .map(|a| if *a == OUT { "FILE" } else { a })
            .collect();
        if args.is_empty() {
            tool.to_string()
        } else {
            format!("{tool} {}", args.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_peer_is_a_strace_configuration() {
        for config in CONFIGS {
            if let Some(peer) = config.strace_peer {
                let peer = find(peer).unwrap_or_else(|| panic!("{}: no {peer}", config.key));
                assert_eq!(peer.tracer, Tracer::Strace, "{}", config.key);
                // rtrace's --cpu-placement has no strace counterpart; the rest must match.
                let mut args = config.args.to_vec();
                if let Some(i) = args.iter().position(|a| *a == "--cpu-placement") {
                    args.drain(i..i + 2);
                }
                assert_eq!(
                    peer.args,
                    args.as_slice(),
                    "{} compares like with like",
                    config.key
                );
            }
        }
    }

    #[test]
    fn pinned_commands_run_under_taskset_with_the_output_file() {
        let tracers = TracerPaths {
            floor: "/b/ptrace_floor".into(),
            floor_output: "/b/floor_with_output".into(),
            seccomp_allow: "/b/seccomp_allow".into(),
            strace: Ok("/usr/bin/strace".into()),
            rtrace: Err("not built".into()),
        };
        let workload = vec!["/b/getppid".to_string(), "10".to_string()];
        let strace = find("strace-c").unwrap();
        assert_eq!(
            strace
                .command(Mode::Pinned, &tracers, Path::new("/o/t"), &workload)
                .unwrap(),
            [
                "taskset",
                "-c",
                "0",
                "/usr/bin/strace",
                "-c",
                "-f",
                "-o",
                "/o/t",
                "/b/getppid",
                "10"
            ]
        );
        let rtrace = find("rtrace").unwrap();
        assert_eq!(
            rtrace.command(Mode::Unpinned, &tracers, Path::new("/o/t"), &workload),
            Err("not built".to_string())
        );
        assert_eq!(rtrace.label(), "rtrace -f -o FILE");
    }
}
