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

/// Forks a child that stops itself and then execs `program`; returns its pid once it
/// is stopped, so the caller can seize it before it runs anything worth tracing.
pub(crate) fn spawn_stopped(
    program: &Path,
    argv: &[OsString],
    env: &[(OsString, OsString)],
    credentials: Option<&Credentials>,
    seccomp: Option<&[libc::sock_filter]>,
) -> Result<Pid, SpawnError> {
    // Everything the child needs is built before fork: after it, only async-signal-safe calls.
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
    let exec_failed = b"rtrace: exec: ";

    // SAFETY: the child only calls async-signal-safe functions (getpid, kill, execve,
    // write, _exit) before exec.
    match unsafe { fork() } {
        Err(e) => Err(SpawnError::System(format!("fork: {}", errno_desc(e)))),
        Ok(ForkResult::Child) => unsafe {
            // rtrace's runtime ignores SIGPIPE, and an ignored signal stays ignored across
            // execve: the command must start with the default action, as from a shell.
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
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
            libc::kill(libc::getpid(), libc::SIGSTOP);
            // Installed after the stop, once rtrace traces us: a selected syscall with
            // no tracer would fail with ENOSYS.
            if let Some(prog) = seccomp {
                if !crate::seccomp::install(prog) {
                    let failed = b"rtrace: cannot install the seccomp filter\n";
                    libc::write(2, failed.as_ptr().cast(), failed.len());
                    libc::_exit(1);
                }
            }
            libc::execve(path.as_ptr(), arg_ptrs.as_ptr(), env_ptrs.as_ptr());
            // glibc's strerror reads a static table: safe enough between fork and _exit.
            let text = libc::strerror(*libc::__errno_location());
            libc::write(2, exec_failed.as_ptr().cast(), exec_failed.len());
            libc::write(2, text.cast(), libc::strlen(text));
            libc::write(2, b"\n".as_ptr().cast(), 1);
            libc::_exit(1);
        },
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
