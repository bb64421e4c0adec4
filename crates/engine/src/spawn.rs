//! Launching the traced command.

use std::ffi::{CString, OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use nix::sys::signal::{kill, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{fork, ForkResult, Pid};

/// Why a command could not be started.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    /// A name without `/` that no directory of `PATH` holds as an executable file.
    #[error("Cannot find executable '{name}'")]
    NotFound { name: String },
    #[error("Cannot stat '{name}': {reason}")]
    CantStat { name: String, reason: String },
    #[error("Cannot run '{name}': {reason}")]
    NotExecutable { name: String, reason: String },
    #[error("{0}")]
    System(String),
}

/// The C library's text for an errno, as strace prints it in its own messages.
pub fn errno_desc(errno: nix::errno::Errno) -> String {
    errno_text(&std::io::Error::from_raw_os_error(errno as i32))
}

/// The C library's text for an error, as strace prints it (std's Display is glibc's
/// strerror followed by " (os error N)").
pub fn errno_text(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn is_executable_file(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Finds the program as strace does: a name with a `/` is taken as is, anything else
/// is looked up in `PATH`; a program that cannot be found is refused before anything
/// is started.
pub fn resolve_command(name: &OsStr) -> Result<PathBuf, SpawnError> {
    let display = name.to_string_lossy().into_owned();
    let candidate = if name.as_bytes().contains(&b'/') {
        PathBuf::from(name)
    } else {
        let path = std::env::var_os("PATH")
            .unwrap_or_else(|| OsString::from("/usr/local/bin:/usr/bin:/bin"));
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| is_executable_file(p))
            .ok_or(SpawnError::NotFound {
                name: display.clone(),
            })?
    };
    match std::fs::metadata(&candidate) {
        Err(err) => Err(SpawnError::CantStat {
            name: display,
            reason: errno_text(&err),
        }),
        Ok(meta) if meta.is_dir() => Err(SpawnError::NotExecutable {
            name: display,
            reason: "Is a directory".into(),
        }),
        Ok(_) => Ok(candidate),
    }
}

/// Who the launched command runs as (`-u USER`).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
}

impl Credentials {
    /// Looks a user up by name (or number) in the password database.
    pub fn for_user(name: &str) -> Result<Self, SpawnError> {
        // `UID:GID`: exactly these ids and no supplementary groups, without a look-up.
        if let Some((uid, gid)) = name.split_once(':') {
            let id = |text: &str| text.parse::<u32>().ok().filter(|&v| v != u32::MAX);
            return match (id(uid), id(gid)) {
                (Some(uid), Some(gid)) => Ok(Credentials {
                    uid,
                    gid,
                    groups: Vec::new(),
                }),
                _ => Err(SpawnError::System(format!("Invalid UID:GID pair '{name}'"))),
            };
        }
        let user = match name.parse::<u32>() {
            Ok(uid) => nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)),
            Err(_) => nix::unistd::User::from_name(name),
        };
        let user = user
            .ok()
            .flatten()
            .ok_or_else(|| SpawnError::System(format!("Cannot find user '{name}'")))?;
        let cname = CString::new(user.name.as_bytes())
            .map_err(|_| SpawnError::System("bad user name".into()))?;
        let groups = nix::unistd::getgrouplist(&cname, user.gid)
            .map_err(|e| SpawnError::System(format!("getgrouplist: {}", errno_desc(e))))?
            .into_iter()
            .map(|g| g.as_raw())
            .collect();
        Ok(Credentials {
            uid: user.uid.as_raw(),
            gid: user.gid.as_raw(),
            groups,
        })
    }
}

fn cstring(bytes: Vec<u8>) -> Result<CString, SpawnError> {
    CString::new(bytes).map_err(|_| SpawnError::System("an argument contains a NUL byte".into()))
}

/// The command's path, argv and environment as C strings, built before any fork (after
/// it, a process that execs makes only async-signal-safe calls).
struct ExecImage {
    path: CString,
    _args: Vec<CString>,
    arg_ptrs: Vec<*const libc::c_char>,
    _envs: Vec<CString>,
    env_ptrs: Vec<*const libc::c_char>,
}

impl ExecImage {
    fn new(
        program: &Path,
        argv: &[OsString],
        env: &[(OsString, OsString)],
    ) -> Result<Self, SpawnError> {
        let path = cstring(program.as_os_str().as_bytes().to_vec())?;
        let args: Vec<CString> = argv
            .iter()
            .map(|a| cstring(a.clone().into_vec()))
            .collect::<Result<_, _>>()?;
        let mut arg_ptrs: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
        arg_ptrs.push(std::ptr::null());
        let envs: Vec<CString> = env
            .iter()
            .map(|(k, v)| {
                let mut kv = k.clone().into_vec();
                kv.push(b'=');
                kv.extend_from_slice(v.as_bytes());
                cstring(kv)
            })
            .collect::<Result<_, _>>()?;
        let mut env_ptrs: Vec<*const libc::c_char> = envs.iter().map(|e| e.as_ptr()).collect();
        env_ptrs.push(std::ptr::null());
        Ok(ExecImage {
            path,
            _args: args,
            arg_ptrs,
            _envs: envs,
            env_ptrs,
        })
    }

    /// In the process that becomes the command: the inherited signal dispositions, the
    /// credentials, the seccomp filter (once traced), then execve; `_exit(1)` with a
    /// message on failure.
    ///
    /// # Safety
    /// Only async-signal-safe calls: callable between fork and exec.
    unsafe fn become_command(
        &self,
        credentials: Option<&Credentials>,
        seccomp: Option<&[libc::sock_filter]>,
        stop_first: bool,
    ) -> ! {
        // An ignored signal stays ignored across execve: the command starts with the
        // dispositions rtrace inherited (SIGPIPE: the default, which rtrace's runtime
        // changed), not the ones `-I` gave rtrace.
        crate::interrupt::restore_inherited_dispositions();
        if let Some(c) = credentials {
            let no_privilege = b"rtrace: cannot switch to the requested user\n";
            if libc::setgroups(c.groups.len(), c.groups.as_ptr()) != 0
                || libc::setgid(c.gid) != 0
                || libc::setuid(c.uid) != 0
            {
                libc::write(2, no_privilege.as_ptr().cast(), no_privilege.len());
                libc::_exit(1);
            }
        }
        if stop_first {
            libc::kill(libc::getpid(), libc::SIGSTOP);
        }
        // Installed once rtrace traces us: a selected syscall with no tracer would fail
        // with ENOSYS.
        if let Some(prog) = seccomp {
            if !crate::seccomp::install(prog) {
                let failed = b"rtrace: cannot install the seccomp filter\n";
                libc::write(2, failed.as_ptr().cast(), failed.len());
                libc::_exit(1);
            }
        }
        libc::execve(
            self.path.as_ptr(),
            self.arg_ptrs.as_ptr(),
            self.env_ptrs.as_ptr(),
        );
        // glibc's strerror reads a static table: safe enough between fork and _exit.
        let exec_failed = b"rtrace: exec: ";
        let text = libc::strerror(*libc::__errno_location());
        libc::write(2, exec_failed.as_ptr().cast(), exec_failed.len());
        libc::write(2, text.cast(), libc::strlen(text));
        libc::write(2, b"\n".as_ptr().cast(), 1);
        libc::_exit(1);
    }
}

/// `-D`, `-DD`, `-DDD`: where the tracer goes when it runs as the command's grandchild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Daemonize {
    /// `-D`: the command's grandchild, in its process group and session.
    Grandchild,
    /// `-DD`: also in a process group of its own (a `kill(0, ...)` misses it).
    ProcessGroup,
    /// `-DDD`: also in a session of its own (the session's end misses it).
    Session,
}

/// `-D`: this process becomes the command, and returns here only in the tracer, a
/// grandchild of it: the command's pid and the descriptor to write one byte to once it
/// is seized (the command execs only then; it exits if the tracer closes the
/// descriptor without writing).
pub(crate) fn spawn_as_grandparent(
    program: &Path,
    argv: &[OsString],
    env: &[(OsString, OsString)],
    credentials: Option<&Credentials>,
    seccomp: Option<&[libc::sock_filter]>,
    how: Daemonize,
) -> Result<(Pid, std::os::fd::OwnedFd), SpawnError> {
    use std::os::fd::AsRawFd;
    let image = ExecImage::new(program, argv, env)?;
    let (ready_read, ready_write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
        .map_err(|e| SpawnError::System(format!("pipe: {}", errno_desc(e))))?;
    let command = nix::unistd::getpid();
    // SAFETY: allowing any process of ours to trace this one (Yama's ptrace_scope 1
    // lets a process trace only its descendants otherwise); strace does the same.
    unsafe { libc::prctl(libc::PR_SET_PTRACER, libc::PR_SET_PTRACER_ANY, 0, 0, 0) };
    // SAFETY: the parent, which becomes the command, makes only async-signal-safe calls
    // (waitpid, read, and those of `become_command`); the first child only forks and
    // exits; the grandchild is a copy of this single-threaded process and goes on.
    match unsafe { fork() } {
        Err(e) => Err(SpawnError::System(format!("fork: {}", errno_desc(e)))),
        Ok(ForkResult::Parent { child }) => unsafe {
            drop(ready_write);
            let mut status = 0;
            while libc::waitpid(child.as_raw(), &mut status, 0) < 0
                && *libc::__errno_location() == libc::EINTR
            {}
            let mut byte = 0u8;
            loop {
                let n = libc::read(ready_read.as_raw_fd(), (&mut byte as *mut u8).cast(), 1);
                if n == 1 {
                    break;
                }
                if n < 0 && *libc::__errno_location() == libc::EINTR {
                    continue;
                }
                let gone = b"rtrace: the tracer did not attach\n";
                libc::write(2, gone.as_ptr().cast(), gone.len());
                libc::_exit(1);
            }
            libc::close(ready_read.as_raw_fd());
            image.become_command(credentials, seccomp, false)
        },
        Ok(ForkResult::Child) => {
            drop(ready_read);
            // SAFETY: fork in the single-threaded first child; it exits at once.
            match unsafe { fork() } {
                Err(_) => unsafe { libc::_exit(1) },
                Ok(ForkResult::Parent { .. }) => unsafe { libc::_exit(0) },
                Ok(ForkResult::Child) => {
                    let moved = match how {
                        Daemonize::Grandchild => Ok(()),
                        Daemonize::ProcessGroup => {
                            nix::unistd::setpgid(Pid::from_raw(0), Pid::from_raw(0))
                        }
                        Daemonize::Session => nix::unistd::setsid().map(drop),
                    };
                    if let Err(e) = moved {
                        return Err(SpawnError::System(match how {
                            Daemonize::Session => {
                                format!("Cannot create a new session: {}", errno_desc(e))
                            }
                            _ => format!("Cannot create a new process group: {}", errno_desc(e)),
                        }));
                    }
                    Ok((command, ready_write))
                }
            }
        }
    }
}

/// Forks a child that stops itself and then execs `program`; returns its pid once it
/// is stopped, so the caller can seize it before it runs anything worth tracing.
pub(crate) fn spawn_stopped(
    program: &Path,
    argv: &[OsString],
    env: &[(OsString, OsString)],
    credentials: Option<&Credentials>,
    seccomp: Option<&[libc::sock_filter]>,
) -> Result<Pid, SpawnError> {
    let image = ExecImage::new(program, argv, env)?;

    // SAFETY: the child only calls async-signal-safe functions (sigaction, getpid, kill,
    // execve, write, _exit) before exec.
    match unsafe { fork() } {
        Err(e) => Err(SpawnError::System(format!("fork: {}", errno_desc(e)))),
        Ok(ForkResult::Child) => unsafe { image.become_command(credentials, seccomp, true) },
        Ok(ForkResult::Parent { child }) => {
            loop {
                match waitpid(child, Some(WaitPidFlag::WUNTRACED)) {
                    Ok(WaitStatus::Stopped(_, Signal::SIGSTOP)) => break,
                    Ok(WaitStatus::Stopped(pid, _)) => {
                        let _ = kill(pid, Signal::SIGCONT);
                    }
                    Ok(WaitStatus::Exited(..)) | Ok(WaitStatus::Signaled(..)) => {
                        return Err(SpawnError::System("the child died before exec".into()));
                    }
                    Ok(_) => {}
                    Err(nix::errno::Errno::EINTR) => {}
                    Err(e) => return Err(SpawnError::System(format!("wait: {}", errno_desc(e)))),
                }
            }
            Ok(child)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_through_path_and_refuses_missing() {
        assert!(resolve_command(OsStr::new("sh")).unwrap().is_absolute());
        let err = resolve_command(OsStr::new("surely-not-a-command-rtrace")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Cannot find executable 'surely-not-a-command-rtrace'"
        );
        assert!(matches!(
            resolve_command(OsStr::new("/")),
            Err(SpawnError::NotExecutable { .. })
        ));
    }
}
