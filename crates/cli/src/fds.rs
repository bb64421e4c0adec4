//! `-y`: what a tracee's file descriptor refers to, read from `/proc/PID/fd/N`.

use std::os::unix::ffi::OsStrExt;

use rtrace_render::escape::escape_fd_path_into;
use rtrace_render::FdPaths;
use std::cell::RefCell;

use crate::sockets::SocketNames;

/// Describes fds of one tracee; with `sockets` (`-yy`), socket endpoints too.
pub struct ProcFds<'a> {
    pub pid: i32,
    pub sockets: Option<&'a RefCell<SocketNames>>,
}

impl FdPaths for ProcFds<'_> {
    fn describe(&self, fd: i32, out: &mut Vec<u8>) -> bool {
        let Some(path) = rtrace_engine::fd_path(self.pid, fd) else {
            return false;
        };
        let target = path.as_os_str().as_bytes();
        if let (Some(sockets), Some(inode)) = (self.sockets, socket_inode(target)) {
            if let Some(text) = sockets.borrow_mut().describe(inode) {
                out.extend_from_slice(text.as_bytes());
                return true;
            }
        }
        escape_fd_path_into(out, target);
        true
    }

    fn describe_cwd(&self, out: &mut Vec<u8>) -> bool {
        self.cwd(out)
    }
}

impl ProcFds<'_> {
    fn cwd(&self, out: &mut Vec<u8>) -> bool {
        match std::fs::read_link(format!("/proc/{}/cwd", self.pid)) {
            Ok(path) => {
                escape_fd_path_into(out, path.as_os_str().as_bytes());
                true
            }
            Err(_) => false,
        }
    }
}

/// The inode of a `socket:[12345]` link target.
fn socket_inode(target: &[u8]) -> Option<u64> {
    let digits = target.strip_prefix(b"socket:[")?.strip_suffix(b"]")?;
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// The target of `/proc/PID/fd/N` as raw bytes, for `-P` matching.
pub fn fd_target(pid: i32, fd: i32) -> Option<Vec<u8>> {
    rtrace_engine::fd_path(pid, fd).map(|p| p.as_os_str().as_bytes().to_vec())
}
