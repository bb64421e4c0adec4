//! Booting the initramfs under qemu-system-arm and reading the checks' verdict from the
//! serial console.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// What the VM reported.
#[derive(Debug)]
pub struct VmResult {
    pub passed: usize,
    pub failed: usize,
    pub elapsed: Duration,
}

/// The qemu command line: the virt board with a Cortex-A15, whose PL011 UART is the
/// console; `panic=-1` with `-no-reboot` makes a kernel panic end qemu at once. No network
/// card: the VM needs none, and virt's default one wants a boot ROM that qemu-system-arm
/// only recommends (ipxe-qemu).
fn qemu_command(kernel: &Path, initrd: &Path) -> Command {
    let mut qemu = Command::new("qemu-system-arm");
    qemu.args([
        "-M",
        "virt",
        "-cpu",
        "cortex-a15",
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
    .args(["-append", "console=ttyAMA0 panic=-1 quiet", "-no-reboot"]);
    qemu
}

/// Boots, echoes the console, and returns the `N passed, M failed` line's counts. Fails
/// when qemu cannot start, the time runs out (qemu is killed), or no summary appears
/// (the kernel did not boot, or init died).
pub fn boot(kernel: &Path, initrd: &Path, timeout: Duration) -> Result<VmResult> {
    let started = Instant::now();
    let mut child = qemu_command(kernel, initrd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot run qemu-system-arm")?;
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

    let mut summary = None;
    let deadline = started + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                println!("vm| {line}");
                if let Some(counts) = parse_summary(&line) {
                    summary = Some(counts);
                }
            }
            // qemu closed its output: it has exited.
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "the VM did not power off within {} s; qemu killed",
                    timeout.as_secs()
                );
            }
        }
    }
    let status = child.wait().context("waiting for qemu")?;
    let elapsed = started.elapsed();
    let Some((passed, failed)) = summary else {
        bail!(
            "the VM printed no `N passed, M failed` line (qemu {status}): the kernel did not \
             boot or init died; see the console above"
        );
    };
    if !status.success() {
        bail!("qemu-system-arm exited with {status}");
    }
    Ok(VmResult {
        passed,
        failed,
        elapsed,
    })
}

/// `N passed, M failed` as a whole line, the way init prints its verdict.
pub fn parse_summary(line: &str) -> Option<(usize, usize)> {
    let (passed, failed) = line.trim().split_once(" passed, ")?;
    let failed = failed.strip_suffix(" failed")?;
    Some((passed.parse().ok()?, failed.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line() {
        assert_eq!(parse_summary("12 passed, 0 failed"), Some((12, 0)));
        assert_eq!(parse_summary("3 passed, 2 failed\r"), Some((3, 2)));
        assert_eq!(parse_summary("case: 3 passed, x failed"), None);
        assert_eq!(parse_summary("  ok: write(1, \"x\", 1) = 1"), None);
    }

    #[test]
    fn qemu_boots_the_virt_board_on_the_serial_console() {
        let command = qemu_command(Path::new("/k"), Path::new("/i"));
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let joined = args.join(" ");
        assert!(
            joined.contains("-M virt -cpu cortex-a15 -m 512"),
            "{joined}"
        );
        assert!(joined.contains("-kernel /k -initrd /i"), "{joined}");
        assert!(joined.contains("console=ttyAMA0"), "{joined}");
        assert!(args.contains(&"-no-reboot".to_string()));
    }
}
