//! The test double of a tracee: mapped regions and open fds in memory, nothing else,
//! read through the decode host's `TraceeAccess` as a real tracee would be.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;

use rtrace_decode::TraceeAccess;

/// Memory is a set of non-overlapping regions; reading past a region's end stops
/// there (like an unmapped page), reading outside every region fails with EFAULT.
#[derive(Default, Debug, Clone)]
pub struct FakeTracee {
    regions: Vec<(u64, Vec<u8>)>,
    fds: HashMap<i32, PathBuf>,
}

impl FakeTracee {
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps `bytes` at `addr`.
    pub fn map(&mut self, addr: u64, bytes: &[u8]) -> &mut Self {
        self.regions.push((addr, bytes.to_vec()));
        self
    }

    /// Maps `text` and its NUL at `addr`.
    pub fn map_str(&mut self, addr: u64, text: &str) -> &mut Self {
        let mut bytes = text.as_bytes().to_vec();
        bytes.push(0);
        self.map(addr, &bytes)
    }

    pub fn open_fd(&mut self, fd: i32, path: &str) -> &mut Self {
        self.fds.insert(fd, PathBuf::from(path));
        self
    }
}

impl TraceeAccess for FakeTracee {
    fn read_memory(&self, _pid: i32, addr: u64, buf: &mut [u8]) -> io::Result<usize> {
        for (start, bytes) in &self.regions {
            let end = start + bytes.len() as u64;
            if (*start..end).contains(&addr) {
                let from = (addr - start) as usize;
                let n = buf.len().min(bytes.len() - from);
                buf[..n].copy_from_slice(&bytes[from..from + n]);
                return Ok(n);
            }
        }
        Err(io::Error::from_raw_os_error(libc_efault()))
    }

    fn fd_path(&self, _pid: i32, fd: i32) -> Option<PathBuf> {
        self.fds.get(&fd).cloned()
    }
}

/// EFAULT's value on Linux (every architecture rtrace supports).
const fn libc_efault() -> i32 {
    14
}
