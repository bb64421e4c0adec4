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
    /// make, on a generated C project (see [`Arg::CProject`]).
    Make,
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
    /// How many CPUs this machine has online: the parallel workloads run that many
    /// workers, pinned or not, so both modes do the same work.
    Cpus,
    /// The directory of a generated C project of `C_PROJECT_FILES` (scaled) files and
    /// its Makefile.
    CProject,
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
    /// Compute-bound workers in parallel, as many as CPUs: what co-locating the tracees
    /// with the tracer on one CPU would serialize.
    pub compute_parallel: bool,
}

pub const SMALL_FILES: u64 = 2_000;
pub const SMALL_FILE_BYTES: usize = 200;
pub const BIG_FILE_BYTES: u64 = 64 << 20;
pub const C_PROJECT_FILES: u64 = 50;

pub const WORKLOADS: &[Workload] = &[
    Workload {
        name: "getppid",
        about: "200k getppid in a loop",
        program: Program::C("getppid"),
        args: &[Arg::Count(200_000)],
        single_threaded: true,
        configs: None,
        compute_parallel: false,
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
        compute_parallel: false,
    },
    Workload {
        name: "devnull-write",
        about: "200k writes of 16 bytes to /dev/null",
        program: Program::C("devnull_write"),
        args: &[Arg::Count(200_000), Arg::Text("16")],
        single_threaded: true,
        configs: None,
        compute_parallel: false,
    },
    Workload {
        name: "small-files",
        about: "open/fstat/read/close of 2,000 small files, 5 passes",
        program: Program::C("small_files"),
        args: &[Arg::SmallFilesDir, Arg::SmallFileCount, Arg::Text("5")],
        single_threaded: true,
        configs: None,
        compute_parallel: false,
    },
    Workload {
        name: "threads",
        about: "4 threads x 50k getppid",
        program: Program::C("threads"),
        args: &[Arg::Text("4"), Arg::Count(50_000)],
        single_threaded: false,
        configs: None,
        compute_parallel: false,
    },
    Workload {
        name: "fork-exec",
        about: "500 x fork + exec /bin/true + wait",
        program: Program::C("fork_exec"),
        args: &[Arg::Count(500), Arg::Text("/bin/true")],
        single_threaded: true,
        configs: None,
        compute_parallel: false,
    },
    Workload {
        name: "big-reads",
        about: "64 KiB reads of a 64 MiB cached file, 4 passes",
        program: Program::C("big_reads"),
        args: &[Arg::BigFile, Arg::Text("4")],
        single_threaded: true,
        configs: None,
        compute_parallel: false,
    },
    Workload {
        name: "python-startup",
        about: "python3 -c pass",
        program: Program::Python,
        args: &[Arg::Text("-c"), Arg::Text("pass")],
        single_threaded: true,
        configs: None,
        compute_parallel: false,
    },
    // The compute-parallel workloads (issue 18): each worker computes ~1 ms between two
    // getppid calls, 300 rounds (about 0.3 s of CPU per worker at full size).
    Workload {
        name: "compute-threads",
        about: "nproc threads computing, a getppid every ~1 ms, 300 rounds",
        program: Program::C("compute_threads"),
        args: &[Arg::Cpus, Arg::Count(300), Arg::Text(COMPUTE_SPINS)],
        single_threaded: false,
        configs: None,
        compute_parallel: true,
    },
    Workload {
        name: "compute-procs",
        about: "nproc processes computing, a getppid every ~1 ms, 300 rounds",
        program: Program::C("compute_procs"),
        args: &[Arg::Cpus, Arg::Count(300), Arg::Text(COMPUTE_SPINS)],
        single_threaded: false,
        configs: None,
        compute_parallel: true,
    },
    Workload {
        name: "make-j",
        about: "make -B -j nproc of a generated C project of 50 files",
        program: Program::Make,
        args: &[
            Arg::Text("-s"),
            Arg::Text("-B"),
            Arg::Text("-j"),
            Arg::Cpus,
            Arg::Text("-C"),
            Arg::CProject,
        ],
        single_threaded: false,
        configs: None,
        compute_parallel: true,
    },
];

/// Xorshift steps per round of the compute workloads: about 1 ms here.
const COMPUTE_SPINS: &str = "1000000";

/// The C programs to build: every workload's, the ptrace floor tracer, the floor with
/// output and the allow-everything seccomp wrapper.
pub fn c_programs() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = WORKLOADS
        .iter()
        .filter_map(|w| match w.program {
            Program::C(name) => Some(name),
            Program::Python | Program::Make => None,
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
            Program::Make => crate::install::find_in_path("make").ok_or("make is not installed")?,
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
                Arg::Cpus => std::thread::available_parallelism()
                    .map_or(1, |n| n.get())
                    .to_string(),
                Arg::CProject => c_project(&at.data_dir, scale.apply(C_PROJECT_FILES))
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

/// A C project of `files` sources and a Makefile that compiles each (-O2) and links
/// them into one program, made once and reused; `make -B` rebuilds it all each run.
/// Each source has enough code for cc1 to compute for a while: a build's processes are
/// mostly compilers computing, a few at a time, with make and gcc's driver waiting.
fn c_project(data_dir: &Path, files: u64) -> Result<PathBuf> {
    let dir = data_dir.join(format!("c-project-{files}"));
    let makefile = dir.join("Makefile");
    if makefile.is_file() {
        return Ok(dir);
    }
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut main = String::new();
    for i in 0..files {
        let path = dir.join(format!("unit{i}.c"));
        fs::write(&path, c_unit(i)).with_context(|| format!("cannot write {}", path.display()))?;
        main += &format!("long unit{i}(long);\n");
    }
    main += "int main(int argc, char **argv)\n{\n\tlong x = argc;\n\t(void)argv;\n";
    for i in 0..files {
        main += &format!("\tx = unit{i}(x);\n");
    }
    main += "\treturn x == 42;\n}\n";
    let path = dir.join("main.c");
    fs::write(&path, main).with_context(|| format!("cannot write {}", path.display()))?;
    let objects: Vec<String> = (0..files)
        .map(|i| format!("unit{i}.o"))
        .chain(["main.o".to_string()])
        .collect();
    let rules = format!(
        "OBJS = {}\nprogram: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\n%.o: %.c\n\t$(CC) -O2 -c -o $@ $<\n",
        objects.join(" ")
    );
    // The Makefile last: its presence says the project is complete.
    fs::write(&makefile, rules).with_context(|| format!("cannot write {}", makefile.display()))?;
    Ok(dir)
}

/// One source of the generated project: 20 functions of loops and a switch, which -O2
/// unrolls and schedules (tens of milliseconds of cc1 per file here).
fn c_unit(index: u64) -> String {
    let mut text = String::new();
    for f in 0..20 {
        text += &format!(
            "static long f{f}(long x)\n{{\n\tfor (int i = 0; i < {n}; i++) {{\n\t\tswitch ((x + i) % 7) {{\n",
            n = 10 + f
        );
        for case in 0..7 {
            text += &format!(
                "\t\tcase {case}: x = x * {m} + {a}; break;\n",
                m = 3 + case + f,
                a = index + case
            );
        }
        text += "\t\tdefault: x ^= i;\n\t\t}\n\t}\n\treturn x;\n}\n";
    }
    text += &format!("long unit{index}(long x)\n{{\n");
    for f in 0..20 {
        text += &format!("\tx = f{f}(x);\n");
    }
    text += "\treturn x;\n}\n";
    text
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
    fn the_generated_c_project_compiles_and_its_makefile_names_every_object() {
        let data = std::env::temp_dir().join(format!("xtask-cproject-{}", std::process::id()));
        let dir = c_project(&data, 3).unwrap();
        let makefile = fs::read_to_string(dir.join("Makefile")).unwrap();
        assert!(
            makefile.starts_with("OBJS = unit0.o unit1.o unit2.o main.o\n"),
            "{makefile}"
        );
        for source in ["unit0.c", "unit2.c", "main.c"] {
            let output = std::process::Command::new("gcc")
                .args(["-O2", "-Wall", "-Werror", "-fsyntax-only"])
                .arg(dir.join(source))
                .output()
                .expect("gcc runs");
            assert!(
                output.status.success(),
                "{source}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        fs::remove_dir_all(&data).unwrap();
    }

    #[test]
    fn workload_names_are_unique() {
        let mut names = names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), WORKLOADS.len());
    }
}
