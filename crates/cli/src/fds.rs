//! `-y`: what a tracee's file descriptor refers to, read from `/proc/PID/fd/N`; with
//! `-yy` also socket endpoints, device numbers (`/dev/null<char 1:3>`) and the process
//! a pidfd refers to (`pid:1234`).

use std::os::unix::ffi::OsStrExt;

use rtrace_render::escape::escape_fd_path_into;
use rtrace_render::FdPaths;
use std::cell::RefCell;

use crate::sockets::SocketNames;

/// Describes fds of one tracee; with `sockets` (`-yy`), the details too.
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
        let Some(sockets) = self.sockets else {
            escape_fd_path_into(out, target);
            return true;
        };
        if let Some(inode) = socket_inode(target) {
            if let Some(text) = sockets.borrow_mut().describe(inode) {
                out.extend_from_slice(text.as_bytes());
                return true;
            }
        }
        if target == b"anon_inode:[pidfd]" {
            if let Some(pid) = self.pidfd_target(fd) {
                out.extend_from_slice(format!("pid:{pid}").as_bytes());
                return true;
            }
        }
        escape_fd_path_into(out, target);
        self.device_numbers(fd, out);
        true
    }

    fn describe_cwd(&self, out: &mut Vec<u8>) -> bool {
        self.cwd(out)
    }
}

impl ProcFds<'_> {
    /// The pid a pidfd refers to, from `/proc/PID/fdinfo/FD`.
    fn pidfd_target(&self, fd: i32) -> Option<i32> {
        let info = std::fs::read_to_string(format!("/proc/{}/fdinfo/{fd}", self.pid)).ok()?;
        info.lines()
            .find_map(|l| l.strip_prefix("Pid:"))
            .and_then(|v| v.trim().parse().ok())
    }

    /// `<char 1:3>` or `<block 7:0>` after a device's path.
    fn device_numbers(&self, fd: i32, out: &mut Vec<u8>) {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let Ok(meta) = std::fs::metadata(format!("/proc/{}/fd/{fd}", self.pid)) else {
            return;
        };
        let kind = match meta.file_type() {
            t if t.is_char_device() => "char",
            t if t.is_block_device() => "block",
            _ => return,
        };
        let dev = meta.rdev();
        out.extend_from_slice(
            format!("<{kind} {}:{}>", libc::major(dev), libc::minor(dev)).as_bytes(),
        );
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    fn describe(fd: i32, details: bool) -> String {
        let sockets = RefCell::new(SocketNames::default());
        let fds = ProcFds {
            pid: std::process::id() as i32,
            sockets: details.then_some(&sockets),
        };
        let mut out = Vec::new();
        assert!(fds.describe(fd, &mut out), "fd {fd} not described");
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn devices_show_their_numbers_with_yy_only() {
        let null = std::fs::File::open("/dev/null").unwrap();
        assert_eq!(describe(null.as_raw_fd(), false), "/dev/null");
        assert_eq!(describe(null.as_raw_fd(), true), "/dev/null<char 1:3>");
    }

    #[test]
    fn pidfds_name_their_process_with_yy() {
        // SAFETY: pidfd_open on our own pid; the fd is closed below.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, libc::getpid(), 0) } as i32;
        assert!(fd >= 0, "pidfd_open failed");
        assert_eq!(describe(fd, true), format!("pid:{}", std::process::id()));
        assert_eq!(describe(fd, false), "anon_inode:[pidfd]");
        // SAFETY: closing the fd opened above.
        unsafe { libc::close(fd) };
    }
}
