//! Reading tracee memory. Every read can fail: an unmapped address is a normal
//! thing for a decoder to meet.

use std::io::IoSliceMut;

use nix::sys::uio::{process_vm_readv, RemoteIoVec};
use nix::unistd::Pid;

const PAGE: u64 = 4096;

/// Reads up to `buf.len()` bytes at `addr` in `pid`. Returns how many bytes were read
/// before the first unreadable page (0 if none).
pub fn read_memory(pid: i32, addr: u64, buf: &mut [u8]) -> usize {
    if buf.is_empty() {
        return 0;
    }
    let mut done = 0usize;
    // One call for the whole range; if it stops short (a later page is unmapped),
    // what it read is still good.
    match vm_read(pid, addr, buf) {
        Ok(n) => done = n,
        Err(nix::errno::Errno::ENOSYS) | Err(nix::errno::Errno::EPERM) => {
            return peek_read(pid, addr, buf);
        }
        Err(_) => {}
    }
    if done == 0 || done == buf.len() {
        return done;
    }
    // A partial transfer ends at a page boundary; nothing past it is readable.
    done
}

fn vm_read(pid: i32, addr: u64, buf: &mut [u8]) -> nix::Result<usize> {
    let remote = [RemoteIoVec {
        base: addr as usize,
        len: buf.len(),
    }];
    let mut local = [IoSliceMut::new(buf)];
    process_vm_readv(Pid::from_raw(pid), &mut local, &remote)
}

/// PTRACE_PEEKDATA word by word, for kernels or policies without process_vm_readv.
fn peek_read(pid: i32, addr: u64, buf: &mut [u8]) -> usize {
    const W: u64 = std::mem::size_of::<libc::c_long>() as u64;
    let mut done = 0usize;
    while done < buf.len() {
        let at = addr + done as u64;
        let aligned = at & !(W - 1);
        let word = match nix::sys::ptrace::read(
            Pid::from_raw(pid),
            aligned as nix::sys::ptrace::AddressType,
        ) {
            Ok(w) => w.to_ne_bytes(),
            Err(_) => break,
        };
        let skip = (at - aligned) as usize;
        let take = (W as usize - skip).min(buf.len() - done);
        buf[done..done + take].copy_from_slice(&word[skip..skip + take]);
        done += take;
    }
    done
}

/// Result of reading a C string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringRead {
    /// The NUL was found after this many bytes.
    Complete(usize),
    /// `max` bytes were read without a NUL.
    Truncated(usize),
    /// Nothing at the address could be read.
    Unreadable,
}

/// Reads a NUL-terminated string at `addr` into `buf` (at most `buf.len()` bytes),
/// a page at a time so that a string ending just before an unmapped page is read whole.
pub fn read_cstring(pid: i32, addr: u64, buf: &mut [u8]) -> StringRead {
    let mut done = 0usize;
    while done < buf.len() {
        let at = addr + done as u64;
        let to_page_end = (PAGE - (at % PAGE)) as usize;
        let want = to_page_end.min(buf.len() - done);
        let got = read_memory(pid, at, &mut buf[done..done + want]);
        if let Some(nul) = buf[done..done + got].iter().position(|&b| b == 0) {
            return StringRead::Complete(done + nul);
        }
        done += got;
        if got < want {
            return if done == 0 {
                StringRead::Unreadable
            } else {
                // Readable bytes then a hole, and no NUL: show what there was.
                StringRead::Truncated(done)
            };
        }
    }
    StringRead::Truncated(done)
}

/// The target of `/proc/PID/fd/FD`, as `-y` shows it.
pub fn fd_path(pid: i32, fd: i32) -> Option<std::path::PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/fd/{fd}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// qemu-user emulates neither process_vm_readv nor PTRACE_PEEKDATA: say so, so that
    /// the test is reported as not run there rather than as a decoding bug.
    fn require_memory_reads() {
        let probe = [7u8; 8];
        let mut buf = [0u8; 8];
        let remote = [RemoteIoVec {
            base: probe.as_ptr() as usize,
            len: 8,
        }];
        let mut local = [IoSliceMut::new(&mut buf)];
        if let Err(e) = process_vm_readv(
            Pid::from_raw(std::process::id() as i32),
            &mut local,
            &remote,
        ) {
            panic!("process_vm_readv: {e} (this machine cannot read process memory)");
        }
    }

    #[test]
    fn reads_own_memory_and_stops_at_holes() {
        require_memory_reads();
        let pid = std::process::id() as i32;
        let data = b"hello\0world".to_vec();
        let mut buf = [0u8; 11];
        assert_eq!(read_memory(pid, data.as_ptr() as u64, &mut buf), 11);
        assert_eq!(&buf, b"hello\0world");
        let mut s = [0u8; 64];
        assert_eq!(
            read_cstring(pid, data.as_ptr() as u64, &mut s),
            StringRead::Complete(5)
        );
        assert_eq!(read_cstring(pid, 8, &mut s), StringRead::Unreadable);
        assert_eq!(read_memory(pid, 8, &mut s), 0);
    }

    #[test]
    fn string_up_to_an_unmapped_page() {
        require_memory_reads();
        // Map two pages, unmap the second, and put an unterminated string at the end
        // of the first.
        let pid = std::process::id() as i32;
        // SAFETY: an anonymous private mapping of our own, checked before use; only
        // its first page is written, after the second was unmapped.
        unsafe {
            let map = libc::mmap(
                std::ptr::null_mut(),
                8192,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            // mmap reports failure as MAP_FAILED ((void *)-1), never as NULL.
            assert_ne!(
                map,
                libc::MAP_FAILED,
                "mmap: {}",
                std::io::Error::last_os_error()
            );
            let p = map as *mut u8;
            libc::munmap(p.add(4096) as *mut _, 4096);
            std::ptr::write_bytes(p, b'a', 4096);
            let mut buf = [0u8; 64];
            let at = p as u64 + 4096 - 10;
            assert_eq!(read_cstring(pid, at, &mut buf), StringRead::Truncated(10));
            let mut big = [0u8; 100];
            assert_eq!(read_memory(pid, at, &mut big), 10);
            libc::munmap(p as *mut _, 4096);
        }
    }
}
