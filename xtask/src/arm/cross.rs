//! Cross-building for ARM: the Rust workspace with cargo, init and the traced C programs
//! with the Debian cross gcc of each ABI, and the unit tests run under qemu-user
//! (qemu-arm, qemu-aarch64).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use super::cases::PROGRAMS;
use super::machines::Machine;
use super::{target_root, Dirs};
use crate::run::run_status;
use crate::targets::Toolchain;

/// `CARGO_TARGET_<TRIPLE>_*` variables: the cross linker (the target's), and qemu-user
/// as the test runner with the target's sysroot as its library prefix.
fn cargo_env<'a>(command: &'a mut Command, machine: &Machine) -> &'a mut Command {
    let triple = machine.target.triple.to_uppercase().replace('-', "_");
    machine.target.cargo_env(command).env(
        format!("CARGO_TARGET_{triple}_RUNNER"),
        runner(machine.native()),
    )
}

/// qemu-user with the target's sysroot as its library prefix.
fn runner(toolchain: &Toolchain) -> String {
    format!("{} -L {}", toolchain.qemu_user, toolchain.sysroot)
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The cross build's output directory (`target/<rust target>/debug`).
pub fn target_dir(root: &Path, machine: &Machine) -> PathBuf {
    target_root(root).join(machine.target.triple).join("debug")
}

pub fn build_workspace(root: &Path, machine: &Machine) -> Result<()> {
    let status = run_status(
        cargo_env(&mut cargo(), machine).args([
            "build",
            "--workspace",
            "--target",
            machine.target.triple,
        ]),
        root,
    )?;
    if !status.success() {
        bail!(
            "the cross build for {} failed ({status})",
            machine.target.triple
        );
    }
    Ok(())
}

/// The outcome of the unit tests under qemu-user.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct UnitTests {
    pub passed: usize,
    /// Failed tests, plus test binaries that died without a verdict (an abort, a crash).
    pub failed: usize,
    /// Tests that failed only because qemu-user lacks what they need (see
    /// [`QEMU_USER_LACKS`]): not run here, not passed; the VM runs them instead.
    pub not_run: Vec<UnitTest>,
    /// The test binaries that died without printing `test result:`.
    pub crashed: Vec<String>,
}

/// What qemu-user does not emulate, as a test's failure message names it: the call, and
/// the error it gets (errno name or strerror text). A failure must name both.
pub const QEMU_USER_LACKS: &[(&str, [&str; 2])] = &[
    ("ptrace", ["ENOSYS", "Function not implemented"]),
    ("process_vm_readv", ["ENOSYS", "Function not implemented"]),
    (
        "NETLINK_SOCK_DIAG",
        ["EPROTONOSUPPORT", "Protocol not supported"],
    ),
];

/// One test of one test executable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnitTest {
    /// The executable's file name (`rtrace_engine-0a1b2c3d4e5f6789`): cargo's hash
    /// tells apart the crates' test binaries, whose test names can be the same.
    pub binary: String,
    /// libtest's name of the test (`tracee_memory::tests::reads_own_memory_and_stops_at_holes`).
    pub name: String,
}

impl std::fmt::Display for UnitTest {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.binary)
    }
}

/// What the unit tests cover: every package's tests except xtask's (a host tool) and the
/// end-to-end tests' (they trace with ptrace and compare with strace; the VM does that).
const UNIT_TEST_PACKAGES: [&str; 5] = [
    "--workspace",
    "--exclude",
    "xtask",
    "--exclude",
    "rtrace-tests",
];

/// Builds the unit tests of [`UNIT_TEST_PACKAGES`] for the machine (`cargo test
/// --no-run`, the very build the qemu-user run then uses) and returns their
/// executables by file name, from cargo's JSON messages.
pub fn build_unit_tests(root: &Path, machine: &Machine) -> Result<BTreeMap<String, PathBuf>> {
    let out = cargo_env(&mut cargo(), machine)
        .args(["test", "--no-run", "--message-format=json"])
        .args(UNIT_TEST_PACKAGES)
        .args(["--target", machine.target.triple])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo test --no-run")?;
    if !out.status.success() {
        bail!(
            "building the unit tests for {} failed ({})",
            machine.target.triple,
            out.status
        );
    }
    Ok(test_executables(&String::from_utf8_lossy(&out.stdout)))
}

/// The test executables in cargo's `--message-format=json` output, by file name.
pub fn test_executables(messages: &str) -> BTreeMap<String, PathBuf> {
    let mut found = BTreeMap::new();
    for line in messages.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_test =
            message["reason"] == "compiler-artifact" && message["profile"]["test"] == true;
        if let (true, Some(path)) = (is_test, message["executable"].as_str()) {
            let path = PathBuf::from(path);
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                found.insert(name.to_string(), path.clone());
            }
        }
    }
    found
}

/// How long one unit-test executable may run under qemu-user (the slowest take about a
/// minute) before it counts as hung.
const QEMU_USER_LIMIT_SECS: u32 = 300;

/// cargo's test runner for the qemu-user run: qemu-user under `timeout`, an executable
/// that hangs run once more. qemu-user now and then deadlocks in a forked child before
/// its exec (seen once in `bad_plugins`, a test that forks); `timeout` kills its whole
/// process group, the child included. A second hang fails the executable, which then
/// has no verdict and counts as failed; each hang is said on stderr.
fn hang_retrying_runner(root: &Path, machine: &Machine) -> Result<PathBuf> {
    let dir = target_root(root).join("arm");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("qemu-test-runner-{}.sh", machine.target.triple));
    let script = runner_script(&runner(machine.native()), QEMU_USER_LIMIT_SECS);
    std::fs::write(&path, script).with_context(|| format!("cannot write {}", path.display()))?;
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .with_context(|| format!("cannot make {} executable", path.display()))?;
    Ok(path)
}

/// The runner script of [`hang_retrying_runner`]: `qemu` (a command line) run with the
/// script's arguments, under a limit of `limit` seconds, twice if it hangs.
fn runner_script(qemu: &str, limit: u32) -> String {
    format!(
        "#!/bin/sh\n\
         # Written by xtask test-arm (arm/cross.rs): one unit-test executable under qemu-user.\n\
         for attempt in 1 2; do\n\
         \ttimeout --kill-after=10 {limit} {qemu} \"$@\"\n\
         \tstatus=$?\n\
         \tif [ \"$status\" -ne 124 ] && [ \"$status\" -ne 137 ]; then exit \"$status\"; fi\n\
         \techo \"xtask test-arm: $1 hung under qemu-user (attempt $attempt, killed after {limit} s)\" >&2\n\
         done\n\
         exit \"$status\"\n"
    )
}

/// Runs the unit tests of [`UNIT_TEST_PACKAGES`] under qemu-user.
pub fn unit_tests(root: &Path, machine: &Machine, target_libz: &Path) -> Result<UnitTests> {
    let (reader, writer) = merged_pipe()?;
    let mut command = cargo();
    let triple = machine.target.triple.to_uppercase().replace('-', "_");
    cargo_env(&mut command, machine)
        .env(
            format!("CARGO_TARGET_{triple}_RUNNER"),
            hang_retrying_runner(root, machine)?,
        )
        // The decode tests' non-plugin library: the host's libz would be the wrong class.
        .env("RTRACE_TEST_TARGET_LIBZ", target_libz)
        // Tests that run their own binary again (the fuzz harness) do it through qemu-user.
        .env("RTRACE_TEST_RUNNER", runner(machine.native()))
        .args(["test", "--no-fail-fast"])
        .args(UNIT_TEST_PACKAGES)
        .args(["--target", machine.target.triple])
        .current_dir(root)
        .stdout(Stdio::from(
            writer.try_clone().context("cannot duplicate a pipe")?,
        ))
        .stderr(Stdio::from(writer));
    let mut child = command.spawn().context("cannot run cargo test")?;
    // The parent's copies of the write end: the reader sees EOF once cargo is done.
    drop(command);
    let mut output = String::new();
    for line in BufReader::new(reader).split(b'\n') {
        let line = line.context("reading cargo test's output")?;
        let line = String::from_utf8_lossy(&line);
        println!("{line}");
        output.push_str(&line);
        output.push('\n');
    }
    let status = child.wait().context("waiting for cargo test")?;
    let result = parse_test_output(&output);
    if !status.success() && result.failed == 0 && result.not_run.is_empty() {
        bail!(
            "cargo test under {} failed before running tests ({status})",
            machine.native().qemu_user
        );
    }
    Ok(result)
}

/// A pipe whose write end is both stdout and stderr of cargo, so cargo's `Running ...`
/// lines (stderr) and libtest's verdicts (stdout) arrive in the order they were written.
fn merged_pipe() -> Result<(std::fs::File, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two new descriptors into the array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error()).context("cannot make a pipe");
    }
    // SAFETY: both descriptors are new and owned by nothing else.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((std::fs::File::from(read), write))
}

/// Counts libtest's `test NAME ... ok|FAILED` lines; a failure whose captured output
/// names something qemu-user lacks is set apart as not run, with the executable of its
/// cargo `Running ... (PATH)` section. A test binary (a `Running` section) that ends
/// without `test result:` died: it counts as a failure.
pub fn parse_test_output(output: &str) -> UnitTests {
    let mut result = UnitTests::default();
    let sections = output.split("     Running ");
    for (index, section) in sections.enumerate() {
        // Text before cargo's first `Running` line belongs to no binary.
        let binary = if index == 0 {
            String::new()
        } else {
            let running = section.lines().next().unwrap_or_default();
            if !section.contains("\ntest result: ") {
                result.crashed.push(running.to_string());
                result.failed += 1;
            }
            executable_name(running)
        };
        let verdicts = test_verdicts(section);
        result.passed += verdicts.passed.len();
        for name in verdicts.failed {
            if failure_text(section, &name).is_some_and(is_missing_in_qemu_user) {
                result.not_run.push(UnitTest {
                    binary: binary.clone(),
                    name,
                });
            } else {
                result.failed += 1;
            }
        }
    }
    result
}

/// The executable's file name in cargo's `Running unittests src/lib.rs (PATH)` line.
fn executable_name(running: &str) -> String {
    let path = running
        .rsplit_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or(running);
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// The tests libtest reported passed and failed in `output`, by name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TestVerdicts {
    pub passed: Vec<String>,
    pub failed: Vec<String>,
}

/// libtest's `test NAME ... ok|FAILED` lines.
pub fn test_verdicts(output: &str) -> TestVerdicts {
    let mut verdicts = TestVerdicts::default();
    for line in output.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            verdicts.passed.push(name.to_string());
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            verdicts.failed.push(name.to_string());
        }
    }
    verdicts
}

/// The captured output libtest prints for a failed test (`---- NAME stdout ----` up to the
/// next section).
pub fn failure_text<'a>(output: &'a str, name: &str) -> Option<&'a str> {
    let header = format!("---- {name} stdout ----\n");
    let start = output.find(&header)? + header.len();
    let rest = &output[start..];
    let end = ["\n---- ", "\nfailures:\n", "\n\nfailures:"]
        .iter()
        .filter_map(|marker| rest.find(marker))
        .min()
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The failure names one of [`QEMU_USER_LACKS`] with its error (a test that cannot say
/// why it failed counts as failed).
fn is_missing_in_qemu_user(text: &str) -> bool {
    QEMU_USER_LACKS
        .iter()
        .any(|(call, errors)| text.contains(call) && errors.iter().any(|e| text.contains(e)))
}

/// Compiles init (static, for the machine's own ABI) into `target/arm/bin/<abi>/init`.
pub fn build_init(dirs: &Dirs, machine: &Machine) -> Result<PathBuf> {
    let out_dir = dirs.bin.join(machine.native().abi);
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let output = out_dir.join("init");
    compile(dirs, machine.native(), INIT_SOURCE, &["-static"], &output)?;
    Ok(output)
}

/// The source of the VMs' PID 1.
const INIT_SOURCE: &str = "tests/arm/init.c";

/// A traced program, compiled.
pub struct BuiltProgram {
    pub name: String,
    pub path: PathBuf,
    /// See [`super::cases::Program::keep_symbols`].
    pub keep_symbols: bool,
}

/// Compiles the traced programs of [`PROGRAMS`] that build for `toolchain` into
/// `target/arm/bin/<abi>/`, dynamically linked like real programs (the loader, libc, the
/// ABI's own startup calls).
pub fn build_programs(dirs: &Dirs, toolchain: &Toolchain) -> Result<Vec<BuiltProgram>> {
    let out_dir = dirs.bin.join(toolchain.abi);
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let mut built = Vec::new();
    for program in PROGRAMS.iter().filter(|p| p.builds_for(toolchain)) {
        let output = out_dir.join(program.name);
        let mut flags = vec!["-pthread"];
        flags.extend_from_slice(program.cflags);
        compile(dirs, toolchain, program.source, &flags, &output)?;
        built.push(BuiltProgram {
            name: program.name.to_string(),
            path: output,
            keep_symbols: program.keep_symbols,
        });
    }
    Ok(built)
}

fn compile(
    dirs: &Dirs,
    toolchain: &Toolchain,
    source: &str,
    flags: &[&str],
    output: &Path,
) -> Result<()> {
    let gcc_name = toolchain.tool("gcc");
    let mut gcc = Command::new(&gcc_name);
    gcc.args(["-O2", "-Wall"])
        .args(flags)
        .arg("-o")
        .arg(output)
        .arg(dirs.root.join(source));
    let status = run_status(&mut gcc, &dirs.root)?;
    if !status.success() {
        bail!("{gcc_name} failed on {source} ({status})");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
running 4 tests
test a::works ... ok
test b::traces_child ... FAILED
test c::also_works ... ok
test d::broken ... FAILED

failures:

---- b::traces_child stdout ----
thread 'b::traces_child' panicked at src/lib.rs:1:1:
spawn: ptrace(PTRACE_SEIZE): ENOSYS: Function not implemented

---- d::broken stdout ----
thread 'd::broken' panicked at src/lib.rs:2:1:
assertion `left == right` failed

failures:
    b::traces_child
    d::broken

test result: FAILED. 2 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out
";

    #[test]
    fn ptrace_enosys_is_not_run_other_failures_fail() {
        let result = parse_test_output(SAMPLE);
        assert_eq!(
            result,
            UnitTests {
                passed: 2,
                failed: 1,
                not_run: vec![UnitTest {
                    binary: String::new(),
                    name: "b::traces_child".to_string()
                }],
                crashed: vec![],
            }
        );
    }

    #[test]
    fn process_vm_readv_enosys_is_not_run() {
        let output =
            "test m ... FAILED\n\n---- m stdout ----\nprocess_vm_readv: ENOSYS\n\nfailures:\n";
        let result = parse_test_output(output);
        assert_eq!((result.failed, result.not_run.len()), (0, 1));
    }

    #[test]
    fn sock_diag_unsupported_is_not_run() {
        let output = "test s ... FAILED\n\n---- s stdout ----\nsocket(AF_NETLINK, \
                      NETLINK_SOCK_DIAG): Protocol not supported (os error 93)\n\nfailures:\n";
        let result = parse_test_output(output);
        assert_eq!((result.failed, result.not_run.len()), (0, 1));
    }

    #[test]
    fn a_binary_that_dies_without_a_verdict_is_a_failure() {
        let output = "     Running tests/a.rs (target/deps/a-1)\n\nrunning 1 test\n\
                      test one ... ok\n\ntest result: ok. 1 passed; 0 failed\n\
                      \n     Running tests/b.rs (target/deps/b-2)\n\nrunning 2 tests\n\
                      test two ... ok\nmemory allocation of 2147483647 bytes failed\n\
                      error: test failed, to rerun pass `-p x --test b`\n";
        let result = parse_test_output(output);
        assert_eq!((result.passed, result.failed), (2, 1));
        assert_eq!(result.crashed, ["tests/b.rs (target/deps/b-2)"]);
    }

    /// A not-run test is named with its executable, from cargo's `Running` line: the
    /// VM runs it from that file.
    #[test]
    fn not_run_tests_carry_their_executable() {
        let output = format!(
            "     Running unittests src/lib.rs \
             (target/aarch64-unknown-linux-gnu/debug/deps/rtrace_engine-0a1b)\n{SAMPLE}"
        );
        let result = parse_test_output(&output);
        assert_eq!(
            result.not_run,
            [UnitTest {
                binary: "rtrace_engine-0a1b".into(),
                name: "b::traces_child".into()
            }]
        );
        assert_eq!(
            result.not_run[0].to_string(),
            "b::traces_child (rtrace_engine-0a1b)"
        );
    }

    /// Test executables come from cargo's JSON messages: test-profile artifacts with an
    /// executable, by file name; libraries and build scripts are left out.
    #[test]
    fn test_executables_from_cargos_messages() {
        let messages = r#"{"reason":"compiler-artifact","target":{"name":"rtrace_engine"},"profile":{"test":true},"executable":"/w/target/t/debug/deps/rtrace_engine-0a1b","fresh":true}
{"reason":"compiler-artifact","target":{"name":"rtrace_engine"},"profile":{"test":false},"executable":null}
{"reason":"compiler-artifact","target":{"name":"build-script-build"},"profile":{"test":false},"executable":"/w/target/t/debug/build/x-1/build-script-build"}
{"reason":"build-finished","success":true}
not json
"#;
        assert_eq!(
            test_executables(messages),
            BTreeMap::from([(
                "rtrace_engine-0a1b".to_string(),
                PathBuf::from("/w/target/t/debug/deps/rtrace_engine-0a1b")
            )])
        );
    }

    #[test]
    fn enosys_without_ptrace_is_a_failure() {
        let output = "test x ... FAILED\n\n---- x stdout ----\nopen: ENOSYS\n\nfailures:\n";
        assert_eq!(parse_test_output(output).failed, 1);
    }

    #[test]
    fn cargo_env_names_the_target() {
        for (machine, linker, runner) in [
            (
                &super::super::machines::MACHINES[0],
                "CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF",
                "qemu-arm -L /usr/arm-linux-gnueabihf",
            ),
            (
                &super::super::machines::MACHINES[1],
                "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU",
                "qemu-aarch64 -L /usr/aarch64-linux-gnu",
            ),
        ] {
            let mut command = Command::new("true");
            cargo_env(&mut command, machine);
            let envs: Vec<(String, String)> = command
                .get_envs()
                .map(|(k, v)| {
                    (
                        k.to_string_lossy().into_owned(),
                        v.unwrap().to_string_lossy().into_owned(),
                    )
                })
                .collect();
            assert!(
                envs.contains(&(format!("{linker}_LINKER"), machine.native().tool("gcc"))),
                "{envs:?}"
            );
            assert!(
                envs.contains(&(format!("{linker}_RUNNER"), runner.to_string())),
                "{envs:?}"
            );
        }
    }

    /// The runner passes a run's status through, and a hang is killed, retried once and
    /// fails (a shell stands in for qemu-user, with a one-second limit).
    #[test]
    fn the_runner_retries_a_hang_once_then_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runner.sh");
        std::fs::write(&path, runner_script("sh", 1)).unwrap();
        let run = |script: &str| {
            Command::new("sh")
                .arg(&path)
                .args(["-c", script])
                .output()
                .unwrap()
        };
        let done = run("exit 3");
        assert_eq!(done.status.code(), Some(3));
        assert!(done.stderr.is_empty());
        let hung = run("sleep 30");
        assert_eq!(hung.status.code(), Some(124));
        let said = String::from_utf8_lossy(&hung.stderr);
        assert_eq!(said.matches("hung under qemu-user").count(), 2, "{said}");
    }
}
