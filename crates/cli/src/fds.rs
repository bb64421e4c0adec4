//! `-y`: what a tracee's file descriptor refers to, read from `/proc/PID/fd/N`.

use std::os::unix::ffi::OsStrExt;

use rtrace_render::escape::escape_fd_path_into;
use rtrace_render::FdPaths;

/// Describes fds of one tracee.
pub struct ProcFds {
    pub pid: i32,
}

impl FdPaths for ProcFds {
    fn describe(&self, fd: i32, out: &mut Vec<u8>) -> bool {
        match rtrace_engine::fd_path(self.pid, fd) {
            Some(path) => {
                escape_fd_path_into(out, path.as_os_str().as_bytes());
                true
            }
            None => false,
        }
    }
}

/// The target of `/proc/PID/fd/N` as raw bytes, for `-P` matching.
pub fn fd_target(pid: i32, fd: i32) -> Option<Vec<u8>> {
    rtrace_engine::fd_path(pid, fd).map(|p| p.as_os_str().as_bytes().to_vec())
}
