//! Booting an initramfs under qemu-system-arm or qemu-system-aarch64 and reading init's
//! runs back from the serial console.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use super::machines::Machine;
use super::verdict::{Console, ConsoleReader};

/// What the VM reported.
#[derive(Debug)]
pub struct VmResult {
    pub console: Console,
    /// qemu's start to init's first line.
    pub boot: Duration,
    /// qemu's start to its exit.
    pub elapsed: Duration,
}

/// The line init prints first: the kernel has booted.
const INIT_STARTED: &str = "init: rtrace ARM runs";

/// The qemu command line: the virt board, whose PL011 UART is the console; `panic=-1`
/// with `-no-reboot` makes a kernel panic end qemu at once. No network card: the VM
/// needs none, and virt's default one wants a boot ROM that qemu only recommends
/// (ipxe-qemu). `norandmaps` turns address-space randomisation off, so that the two
/// tracers' runs of a program map it at the same addresses: 32-bit addresses cannot be
/// told from other numbers by their width, so they are made not to vary rather than
/// normalised.
fn qemu_command(machine: &Machine, kernel: &Path, initrd: &Path) -> Command {
    let mut qemu = Command::new(machine.qemu_system);
    qemu.args([
        "-M",
        "virt",
        "-cpu",
        machine.cpu,
        "-m",
        "512",
        "-nographic",
        "-nic",
        "none",
    ])
    .arg("-kernel")
    .arg(kernel)
    .arg("-initrd")
    .arg(initrd)
    .args([
        "-append",
        "console=ttyAMA0 panic=-1 quiet norandmaps",
        "-no-reboot",
    ]);
    qemu
}

/// Boots, echoes the console (init's trace lines only counted, not echoed), and returns
/// what init reported. Fails when qemu cannot start, the time runs out (qemu is killed),
/// or init does not report the end of its plan (the kernel did not boot, or init died).
pub fn boot(
    machine: &Machine,
    kernel: &Path,
    initrd: &Path,
    timeout: Duration,
) -> Result<VmResult> {
    let started = Instant::now();
    let mut child = qemu_command(machine, kernel, initrd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot run {}", machine.qemu_system))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (lines_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).split(b'\n') {
            let Ok(line) = line else { break };
            let text = String::from_utf8_lossy(&line)
                .trim_end_matches('\r')
                .to_string();
            if lines_tx.send(text).is_err() {
                break;
            }
        }
    });

    let mut reader = ConsoleReader::default();
    let mut boot = None;
    let deadline = started + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                if line == INIT_STARTED && boot.is_none() {
                    boot = Some(started.elapsed());
                }
                if !line.starts_with(['|', '>']) {
                    println!("{}| {line}", machine.name);
                }
                reader.line(&line);
            }
            // qemu closed its output: it has exited.
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "the {} VM did not power off within {} s; qemu killed",
                    machine.name,
                    timeout.as_secs()
                );
            }
        }
    }
    let status = child.wait().context("waiting for qemu")?;
    let elapsed = started.elapsed();
    let console = reader.finish();
    if console.done.is_none() {
        bail!(
            "the {} VM's init did not finish its runs (qemu {status}): the kernel did not \
             boot or init died; see the console above",
            machine.name
        );
    }
    if !status.success() {
        bail!("{} exited with {status}", machine.qemu_system);
    }
    Ok(VmResult {
        console,
        boot: boot.unwrap_or(elapsed),
        elapsed,
    })
}

#[cfg(test)]
mod tests {
    use super::super::machines::MACHINES;
    use super::*;

    #[test]
    fn qemu_boots_the_virt_board_on_the_serial_console() {
        let command = qemu_command(&MACHINES[1], Path::new("/k"), Path::new("/i"));
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let joined = args.join(" ");
        assert!(
            joined.contains("-M virt -cpu cortex-a57 -m 512"),
            "{joined}"
        );
        assert!(joined.contains("-kernel /k -initrd /i"), "{joined}");
        assert!(joined.contains("console=ttyAMA0"), "{joined}");
        assert!(joined.contains("norandmaps"), "{joined}");
        assert_eq!(command.get_program(), "qemu-system-aarch64");
        assert!(args.contains(&"-no-reboot".to_string()));
    }
}
