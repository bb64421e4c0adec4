//! The workloads: what each runs, at which size, and the data files it reads. Sizes are
//! the full ones; `--quick` and the smoke test divide the counts by a [`Scale`].

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// How much smaller than the full size to run: every scaled count is divided by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub divisor: u64,
}

impl Scale {
    pub const FULL: Scale = Scale { divisor: 1 };
    pub const QUICK: Scale = Scale { divisor: 10 };
    /// For the smoke test: only checks that the harness works.
    #[cfg(test)]
    pub const TINY: Scale = Scale { divisor: 100 };

    pub fn apply(self, full: u64) -> u64 {
        (full / self.divisor).max(1)
    }
}

/// What a workload executes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    /// A C program from benches/workloads/, built by the bench.
    C(&'static str),
    /// The system's python3, resolved to the real binary (not a pyenv shim).
    Python,
}

/// One command-line argument of a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    Text(&'static str),
    /// A count at full size, divided by the scale.
    Count(u64),
    /// The directory of small files; holds `SMALL_FILES` (scaled) files named 0, 1, ...
    SmallFilesDir,
    SmallFileCount,
    /// A file of `BIG_FILE_BYTES` (scaled) bytes.
    BigFile,
}

#[derive(Debug)]
pub struct Workload {
    pub name: &'static str,
    pub about: &'static str,
    pub program: Program,
    pub args: &'static [Arg],
    /// One runnable thread at a time (fork-exec counts: its parent waits for each child).
    /// The "x 0.3 of strace" target applies only to these.
    pub single_threaded: bool,
    /// The configurations run on it (by key); `None`: every one not reserved for
    /// another workload (`Config::only_on`).
    pub configs: Option<&'static [&'static str]>,
}

pub const SMALL_FILES: u64 = 2_000;
pub const SMALL_FILE_BYTES: usize = 200;
pub const BIG_FILE_BYTES: u64 = 64 << 20;

pub const WORKLOADS: &[Workload] = &[
    Workload {
        name: "getppid",
        about: "200k getppid in a loop",
        program: Program::C("getppid"),
        args: &[Arg::Count(200_000)],
        single_threaded: true,
        configs: None,
    },
    Workload {
        name: "stack-trace",
        about: "20k getppid from 8 nested calls (the -k rows run here only)",
        program: Program::C("stack_depth"),
        args: &[Arg::Count(20_000)],
        single_threaded: true,
        // The baseline and the floor (which counts the calls), then -k alone: the
        // other rows would count towards issue 9's targets, which are about full traces.
        configs: Some(&["untraced", "floor", "strace-k", "rtrace-k"]),
    },
    Workload {
        name: "devnull-write",
        about: "200k writes of 16 bytes to /dev/null",
        program: Program::C("devnull_write"),
        args: &[Arg::Count(200_000), Arg::Text("16")],
        single_threaded: true,
        configs: None,
    },
    Workload {
        name: "small-files",
        about: "open/fstat/read/close of 2,000 small files, 5 passes",
        program: Program::C("small_files"),
        args: &[Arg::SmallFilesDir, Arg::SmallFileCount, Arg::Text("5")],
        single_threaded: true,
        configs: None,
    },
    Workload {
        name: "threads",
        about: "4 threads x 50k getppid",
        program: Program::C("threads"),
        args: &[Arg::Text("4"), Arg::Count(50_000)],
        single_threaded: false,
        configs: None,
    },
    Workload {
        name: "fork-exec",
        about: "500 x fork + exec /bin/true + wait",
        program: Program::C("fork_exec"),
        args: &[Arg::Count(500), Arg::Text("/bin/true")],
        single_threaded: true,
        configs: None,
    },
    Workload {
        name: "big-reads",
        about: "64 KiB reads of a 64 MiB cached file, 4 passes",
        program: Program::C("big_reads"),
        args: &[Arg::BigFile, Arg::Text("4")],
        single_threaded: true,
        configs: None,
    },
    Workload {
        name: "python-startup",
        about: "python3 -c pass",
        program: Program::Python,
        args: &[Arg::Text("-c"), Arg::Text("pass")],
        single_threaded: true,
        configs: None,
    },
];

/// The C programs to build: every workload's, the ptrace floor tracer, the floor with
/// output and the allow-everything seccomp wrapper.
pub fn c_programs() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = WORKLOADS
        .iter()
        .filter_map(|w| match w.program {
            Program::C(name) => Some(name),
            Program::Python => None,
        })
        .collect();
    names.push(FLOOR_PROGRAM);
    names.push(FLOOR_OUTPUT_PROGRAM);
    names.push(SECCOMP_ALLOW_PROGRAM);
    names
}

pub const FLOOR_PROGRAM: &str = "ptrace_floor";
pub const FLOOR_OUTPUT_PROGRAM: &str = "floor_with_output";
pub const SECCOMP_ALLOW_PROGRAM: &str = "seccomp_allow";

pub fn find(name: &str) -> Option<&'static Workload> {
    WORKLOADS.iter().find(|w| w.name == name)
}

pub fn names() -> Vec<&'static str> {
    WORKLOADS.iter().map(|w| w.name).collect()
}

/// Where the built programs and data files live.
pub struct Locations {
    pub bin_dir: PathBuf,
    pub data_dir: PathBuf,
    /// None when python3 is not installed: the python workload is then unavailable.
    pub python: Option<PathBuf>,
}

impl Workload {
    /// The full command line at `scale`, creating the data files it reads if needed.
    /// Err holds why the workload cannot run here.
    pub fn command(&self, scale: Scale, at: &Locations) -> Result<Vec<String>, String> {
        let program = match self.program {
            Program::C(name) => at.bin_dir.join(name),
            Program::Python => at.python.clone().ok_or("python3 is not installed")?,
        };
        let mut argv = vec![program.display().to_string()];
        for arg in self.args {
            argv.push(match *arg {
                Arg::Text(text) => text.to_string(),
                Arg::Count(full) => scale.apply(full).to_string(),
                Arg::SmallFileCount => scale.apply(SMALL_FILES).to_string(),
                Arg::SmallFilesDir => small_files(&at.data_dir, scale.apply(SMALL_FILES))
                    .map_err(|e| format!("{e:#}"))?
                    .display()
                    .to_string(),
                Arg::BigFile => big_file(&at.data_dir, scale.apply(BIG_FILE_BYTES))
                    .map_err(|e| format!("{e:#}"))?
                    .display()
                    .to_string(),
            });
        }
        Ok(argv)
    }
}

/// A directory of `count` small files, made once and reused.
fn small_files(data_dir: &Path, count: u64) -> Result<PathBuf> {
    let dir = data_dir.join(format!("small-files-{count}"));
    let last = dir.join((count - 1).to_string());
    if last
        .metadata()
        .is_ok_and(|m| m.len() == SMALL_FILE_BYTES as u64)
    {
        return Ok(dir);
    }
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let content = vec![b'a'; SMALL_FILE_BYTES];
    for i in 0..count {
        let path = dir.join(i.to_string());
        fs::write(&path, &content).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(dir)
}

/// A file of `bytes` bytes, made once and reused.
fn big_file(data_dir: &Path, bytes: u64) -> Result<PathBuf> {
    let path = data_dir.join(format!("big-{bytes}.bin"));
    if path.metadata().is_ok_and(|m| m.len() == bytes) {
        return Ok(path);
    }
    fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let mut file =
        fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let block: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
    let mut left = bytes;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        file.write_all(&block[..n])
            .with_context(|| format!("cannot write {}", path.display()))?;
        left -= n as u64;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_never_reaches_zero() {
        assert_eq!(Scale::QUICK.apply(200_000), 20_000);
        assert_eq!(Scale::TINY.apply(4), 1);
    }

    #[test]
    fn workload_names_are_unique() {
        let mut names = names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), WORKLOADS.len());
    }
}
