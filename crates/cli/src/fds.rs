//! `-y`: what a tracee's file descriptor refers to, read from `/proc/PID/fd/N`; with
//! `-yy` also socket endpoints, device numbers (`/dev/null<char 1:3>`), the process
//! a pidfd refers to (`pid:1234`), an eventfd's counter and a signalfd's mask;
//! `--decode-fds=SET` picks these kinds one by one.

use std::os::unix::ffi::OsStrExt;

use rtrace_render::escape::escape_fd_path_into;
use rtrace_render::FdPaths;
use std::cell::RefCell;

use crate::sockets::SocketNames;

/// Which kinds of detail are shown after a descriptor (strace's `--decode-fds` set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FdDetails {
    pub path: bool,
    pub socket: bool,
    pub dev: bool,
    pub pidfd: bool,
    pub eventfd: bool,
    pub signalfd: bool,
}

impl FdDetails {
    /// `-y`.
    pub const PATH: FdDetails = FdDetails {
        path: true,
        socket: false,
        dev: false,
        pidfd: false,
        eventfd: false,
        signalfd: false,
    };
    /// `-yy`, `--decode-fds=all`.
    pub const ALL: FdDetails = FdDetails {
        path: true,
        socket: true,
        dev: true,
        pidfd: true,
        eventfd: true,
        signalfd: true,
    };

    pub fn any(&self) -> bool {
        *self != FdDetails::default()
    }

    /// `[!]KIND[,KIND...]` with path, socket, dev, pidfd, eventfd, signalfd, all, none.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (negated, body) = match spec.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, spec),
        };
        let mut set = FdDetails::default();
        for item in body.split(',') {
            match item {
                "all" => set = FdDetails::ALL,
                "none" => {}
                "path" => set.path = true,
                "socket" => set.socket = true,
                "dev" => set.dev = true,
                "pidfd" => set.pidfd = true,
                "eventfd" => set.eventfd = true,
                "signalfd" => set.signalfd = true,
                _ => return Err(format!("invalid decode-fds '{item}'")),
            }
        }
        if negated {
            set = FdDetails {
                path: !set.path,
                socket: !set.socket,
                dev: !set.dev,
                pidfd: !set.pidfd,
                eventfd: !set.eventfd,
                signalfd: !set.signalfd,
            };
        }
        Ok(set)
    }
}

/// Describes fds of one tracee: the kinds of detail in `details`; `sockets` is there
/// when socket details are asked for.
pub struct ProcFds<'a> {
    pub pid: i32,
    pub details: FdDetails,
    pub sockets: Option<&'a RefCell<SocketNames>>,
}

impl FdPaths for ProcFds<'_> {
    fn describe(&self, fd: i32, out: &mut Vec<u8>) -> bool {
        let Some(path) = rtrace_engine::fd_path(self.pid, fd) else {
            return false;
        };
        let target = path.as_os_str().as_bytes();
        // strace's order: socket, device, eventfd, pidfd, then the path.
        if let (Some(sockets), Some(inode)) = (self.sockets, socket_inode(target)) {
            if let Some(text) = sockets.borrow_mut().describe(inode) {
                out.extend_from_slice(text.as_bytes());
                return true;
            }
        }
        if self.details.dev && self.device(fd, target, out) {
            return true;
        }
        if self.details.eventfd && target == b"anon_inode:[eventfd]" {
            self.eventfd(fd, target, out);
            return true;
        }
        if self.details.pidfd && target == b"anon_inode:[pidfd]" {
            if let Some(pid) = self.pidfd_target(fd) {
                out.extend_from_slice(format!("pid:{pid}").as_bytes());
                return true;
            }
        }
        if self.details.signalfd && target == b"anon_inode:[signalfd]" && self.signalfd(fd, out) {
            return true;
        }
        if self.details.path {
            escape_fd_path_into(out, target);
            return true;
        }
        false
    }

    fn describe_cwd(&self, out: &mut Vec<u8>) -> bool {
        self.details.path && self.cwd(out)
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

    /// A device: its path and `<char 1:3>` or `<block 7:0>`; false for anything else.
    fn device(&self, fd: i32, target: &[u8], out: &mut Vec<u8>) -> bool {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let Ok(meta) = std::fs::metadata(format!("/proc/{}/fd/{fd}", self.pid)) else {
            return false;
        };
        let kind = match meta.file_type() {
            t if t.is_char_device() => "char",
            t if t.is_block_device() => "block",
            _ => return false,
        };
        let dev = meta.rdev();
        escape_fd_path_into(out, target);
        out.extend_from_slice(
            format!("<{kind} {}:{}>", libc::major(dev), libc::minor(dev)).as_bytes(),
        );
        true
    }

    /// A signalfd's mask from `/proc/PID/fdinfo/FD` (`sigmask:` in hex, a 64-signal
    /// set): `signalfd:[USR1 USR2]`.
    fn signalfd(&self, fd: i32, out: &mut Vec<u8>) -> bool {
        let Ok(info) = std::fs::read_to_string(format!("/proc/{}/fdinfo/{fd}", self.pid)) else {
            return false;
        };
        let Some(mask) = info
            .lines()
            .find_map(|l| l.strip_prefix("sigmask:"))
            .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        else {
            return false;
        };
        out.extend_from_slice(b"signalfd:");
        rtrace_sdk::write_sigset_text(out, mask, 64).is_ok()
    }

    /// An eventfd as strace shows it from `/proc/PID/fdinfo/FD`:
    /// `{eventfd-count=0x2a, eventfd-id=12, eventfd-semaphore=0}` (the count in hex as
    /// the kernel writes it, `0x` before it unless it starts with 0), or its path when
    /// the kernel gives no count.
    fn eventfd(&self, fd: i32, target: &[u8], out: &mut Vec<u8>) {
        let info =
            std::fs::read_to_string(format!("/proc/{}/fdinfo/{fd}", self.pid)).unwrap_or_default();
        let field = |name: &str| {
            info.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_string())
        };
        let Some(count) = field("eventfd-count:").filter(|c| !c.is_empty()) else {
            escape_fd_path_into(out, target);
            return;
        };
        let prefix = if count.starts_with('0') { "" } else { "0x" };
        let mut text = format!("{{eventfd-count={prefix}{count}");
        if let Some(id) = field("eventfd-id:").and_then(|v| v.parse::<u32>().ok()) {
            text.push_str(&format!(", eventfd-id={id}"));
            if let Some(sem) = field("eventfd-semaphore:").and_then(|v| v.parse::<u32>().ok()) {
                text.push_str(&format!(", eventfd-semaphore={sem}"));
            }
        }
        text.push('}');
        out.extend_from_slice(text.as_bytes());
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
            details: if details {
                FdDetails::ALL
            } else {
                FdDetails::PATH
            },
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
