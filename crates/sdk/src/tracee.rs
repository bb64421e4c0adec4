//! Safe wrappers over the host's memory and fd services. Every read can fail (an
//! unmapped page, a closed fd); callers then show the raw address, as strace does.

use rtrace_plugin_api::{CStrRead, HostServices};

/// The traced process, as far as a decoder may see it.
#[derive(Clone, Copy)]
pub struct Tracee<'a> {
    host: &'a HostServices,
    /// Structures may be read (`-e verbose=` includes this call). When not, struct and
    /// word reads fail, so decoders show addresses; strings and data buffers still read.
    structures: bool,
}

impl<'a> Tracee<'a> {
    pub fn new(host: &'a HostServices) -> Self {
        Tracee {
            host,
            structures: true,
        }
    }

    /// A view that refuses structure reads when `structures` is false.
    pub fn with_structures(host: &'a HostServices, structures: bool) -> Self {
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
        let n = (self.host.read_memory)(self.host.handle, addr, buf.as_mut_ptr(), buf.len());
        usize::try_from(n).ok().map(|n| n.min(buf.len()))
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
        let mut len = 0usize;
        let status = (self.host.read_cstring)(
            self.host.handle,
            addr,
            buf.as_mut_ptr(),
            buf.len(),
            &mut len,
        );
        (status, len.min(buf.len()))
    }

    /// Reads one word in the tracee's width and byte order, zero-extended.
    pub fn read_word(&self, addr: u64) -> Option<u64> {
        if !self.structures {
            return None;
        }
        let mut word = 0u64;
        (self.host.read_word)(self.host.handle, addr, &mut word).then_some(word)
    }

    /// Writes the path behind `fd` into `buf`; returns its full length (which may exceed
    /// `buf.len()`, then only a prefix was written), or `None` if the fd is not open.
    pub fn fd_path(&self, fd: i32, buf: &mut [u8]) -> Option<usize> {
        let n = (self.host.fd_path)(self.host.handle, fd, buf.as_mut_ptr(), buf.len());
        usize::try_from(n).ok()
    }
}
