//! Safe wrappers over the host's memory and fd services. Every read can fail (an
//! unmapped page, a closed fd); callers then show the raw address, as strace does.

use rtrace_plugin_api::{CStrRead, HostServices};

/// The traced process, as far as a decoder may see it.
#[derive(Clone, Copy)]
pub struct Tracee<'a> {
    host: &'a HostServices<'a>,
    /// Structures may be read (`-e verbose=` includes this call). When not, struct and
    /// word reads fail, so decoders show addresses; strings and data buffers still read.
    structures: bool,
}

impl<'a> Tracee<'a> {
    pub fn new(host: &'a HostServices<'a>) -> Self {
        Tracee {
            host,
            structures: true,
        }
    }

    /// A view that refuses structure reads when `structures` is false.
    pub fn with_structures(host: &'a HostServices<'a>, structures: bool) -> Self {
        Tracee { host, structures }
    }

    /// Reads up to `buf.len()` bytes of a structure at `addr`; `None` if nothing could be read.
    pub fn read(&self, addr: u64, buf: &mut [u8]) -> Option<usize> {
        if !self.structures {
            return None;
        }
        self.read_data(addr, buf)
    }

    /// Reads up to `buf.len()` bytes of string or buffer data at `addr`.
    pub fn read_data(&self, addr: u64, buf: &mut [u8]) -> Option<usize> {
        self.host.read_memory(addr, buf)
    }

    /// Fills `buf` with string or buffer data from `addr`, or fails.
    pub fn read_data_exact(&self, addr: u64, buf: &mut [u8]) -> bool {
        self.read_data(addr, buf) == Some(buf.len())
    }

    /// Fills `buf` completely from `addr`, or fails (a partial read counts as a failure,
    /// as it does for strace: the value is then shown as its address).
    pub fn read_exact(&self, addr: u64, buf: &mut [u8]) -> bool {
        self.read(addr, buf) == Some(buf.len())
    }

    /// Reads a NUL-terminated string of at most `buf.len()` bytes; returns how it ended
    /// and how many bytes of `buf` hold the string (without the NUL).
    pub fn read_cstring(&self, addr: u64, buf: &mut [u8]) -> (CStrRead, usize) {
        self.host.read_cstring(addr, buf)
    }

    /// Reads one word in the tracee's width and byte order, zero-extended.
    pub fn read_word(&self, addr: u64) -> Option<u64> {
        if !self.structures {
            return None;
        }
        self.host.read_word(addr)
    }

    /// Writes the path behind `fd` into `buf`; returns its full length (which may exceed
    /// `buf.len()`, then only a prefix was written), or `None` if the fd is not open.
    pub fn fd_path(&self, fd: i32, buf: &mut [u8]) -> Option<usize> {
        self.host.fd_path(fd, buf)
    }
}
