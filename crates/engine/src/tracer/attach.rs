//! Starting a trace: launching a command, or attaching to running processes.

use std::ffi::OsString;
use std::path::Path;

use nix::errno::Errno;
use nix::sys::ptrace;
use nix::unistd::Pid;

use super::Tracer;
use crate::spawn::{spawn_as_grandparent, spawn_stopped, Credentials, Daemonize, SpawnError};

/// Why attaching to a pid failed.
#[derive(Debug, thiserror::Error)]
#[error("attach: ptrace(PTRACE_SEIZE, {pid}): {}", crate::spawn::errno_desc(*.errno))]
pub struct AttachError {
    pub pid: i32,
    pub errno: Errno,
}

impl AttachError {
    /// strace's second line when the attach was refused: who traces the process already
    /// (`/proc/PID/status`'s TracerPid), if anyone.
    pub fn diagnosis(&self) -> Option<String> {
        if self.errno != Errno::EPERM {
            return None;
        }
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        let tracer: i32 = status
            .lines()
            .find_map(|l| l.strip_prefix("TracerPid:"))?
            .trim()
            .parse()
            .ok()?;
        (tracer > 0).then(|| {
            format!(
                "Process {} is already being traced by pid {tracer}",
                self.pid
            )
        })
    }
}

impl Tracer {
    /// Starts `program` stopped, seizes it and lets it run to its execve.
    pub fn launch(
        &mut self,
        program: &Path,
        argv: &[OsString],
        env: &[(OsString, OsString)],
        credentials: Option<&Credentials>,
    ) -> Result<i32, SpawnError> {
        let filter = match &self.options.seccomp {
            Some(f) => Some(f.program().map_err(SpawnError::System)?),
            None => None,
        };
        let child = spawn_stopped(program, argv, env, credentials, filter.as_deref())?;
        if let Err(e) = ptrace::seize(child, self.ptrace_options(true)) {
            let _ = nix::sys::signal::kill(child, nix::sys::signal::Signal::SIGKILL);
            return Err(SpawnError::System(format!(
                "ptrace(PTRACE_SEIZE, {child}): {}",
                crate::spawn::errno_desc(e)
            )));
        }
        let pid = child.as_raw();
        self.add_thread(pid, true);
        self.launched_pid = Some(pid);
        // The child stopped itself; wake it so that it goes on to execve.
        let _ = nix::sys::signal::kill(child, nix::sys::signal::Signal::SIGCONT);
        Ok(pid)
    }

    /// `-D`: this process becomes the command and this call returns only in the
    /// tracer, its grandchild, once the command is seized (it then goes on to its
    /// execve). The command is not rtrace's child: its exit status is its parent's to
    /// see, and an interrupt detaches it without killing it, as in strace.
    pub fn launch_as_grandparent(
        &mut self,
        program: &Path,
        argv: &[OsString],
        env: &[(OsString, OsString)],
        credentials: Option<&Credentials>,
        how: Daemonize,
    ) -> Result<i32, SpawnError> {
        let filter = match &self.options.seccomp {
            Some(f) => Some(f.program().map_err(SpawnError::System)?),
            None => None,
        };
        let (command, ready) =
            spawn_as_grandparent(program, argv, env, credentials, filter.as_deref(), how)?;
        // Dropping `ready` unwritten (an error below) makes the command exit.
        ptrace::seize(command, self.ptrace_options(true)).map_err(|e| {
            SpawnError::System(format!(
                "attach: ptrace(PTRACE_SEIZE, {command}): {}",
                crate::spawn::errno_desc(e)
            ))
        })?;
        let _ = ptrace::interrupt(command);
        self.add_thread(command.as_raw(), false);
        nix::unistd::write(&ready, b"x")
            .map_err(|e| SpawnError::System(format!("write: {}", crate::spawn::errno_desc(e))))?;
        Ok(command.as_raw())
    }

    /// Attaches to a running process (and, with `-f`, all its threads). Returns the
    /// thread ids attached.
    pub fn attach(&mut self, pid: i32) -> Result<Vec<i32>, AttachError> {
        let mut tids = vec![pid];
        if self.options.follow_forks {
            if let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) {
                tids = dir
                    .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                    .collect();
                tids.sort_unstable();
                // The leader first, as strace reports it.
                if let Some(i) = tids.iter().position(|&t| t == pid) {
                    tids.swap(0, i);
                }
            }
        }
        let mut attached = Vec::new();
        for tid in tids {
            if self.threads.contains_key(&tid) {
                continue;
            }
            match ptrace::seize(Pid::from_raw(tid), self.ptrace_options(false)) {
                Ok(()) => {
                    let _ = ptrace::interrupt(Pid::from_raw(tid));
                    self.add_thread(tid, false);
                    attached.push(tid);
                }
                // A thread that exited between the listing and the seize is no error.
                Err(Errno::ESRCH) if tid != pid => {}
                Err(errno) => {
                    if attached.is_empty() {
                        return Err(AttachError { pid: tid, errno });
                    }
                }
            }
        }
        Ok(attached)
    }
}
