//! Tracee memory for the decoders, through the engine, with a small cache: decoders
//! often read a struct or an array a word at a time, and one process_vm_readv of the
//! rest of the page serves the words that follow. The cache lives for one stop only
//! (the tracee runs between stops and may change its memory).

use std::cell::RefCell;
use std::io;
use std::path::PathBuf;

use rtrace_decode::TraceeAccess;

const PAGE: u64 = 4096;
/// Reads up to this size go through the cache; larger ones are read directly.
const SMALL_READ: usize = 256;
/// How much a cache miss fetches (never past the page): enough for an argv array or a
/// struct's neighbours, not so much that a lone small read pays for a whole page.
const FETCH: u64 = 512;

struct PageCache {
    pid: i32,
    start: u64,
    len: usize,
    data: Box<[u8; PAGE as usize]>,
}

/// Tracee memory and fds, read through the engine.
pub struct EngineAccess {
    cache: RefCell<PageCache>,
}

impl Default for EngineAccess {
    fn default() -> Self {
        EngineAccess {
            cache: RefCell::new(PageCache {
                pid: 0,
                start: 0,
                len: 0,
                data: Box::new([0; PAGE as usize]),
            }),
        }
    }
}

impl EngineAccess {
    /// Forgets what was read: called at every stop.
    pub fn invalidate(&self) {
        self.cache.borrow_mut().len = 0;
    }

    fn direct(pid: i32, addr: u64, buf: &mut [u8]) -> io::Result<usize> {
        match rtrace_engine::read_memory(pid, addr, buf) {
            0 if !buf.is_empty() => Err(io::Error::from_raw_os_error(libc::EFAULT)),
            n => Ok(n),
        }
    }
}

impl TraceeAccess for EngineAccess {
    fn read_memory(&self, pid: i32, addr: u64, buf: &mut [u8]) -> io::Result<usize> {
        let len = buf.len();
        let to_page_end = PAGE - addr % PAGE;
        if len == 0 || len > SMALL_READ || len as u64 > to_page_end {
            return Self::direct(pid, addr, buf);
        }
        let mut cache = self.cache.borrow_mut();
        let hit = cache.pid == pid
            && addr >= cache.start
            && addr + len as u64 <= cache.start + cache.len as u64;
        if !hit {
            let want = to_page_end.min(FETCH) as usize;
            let got = rtrace_engine::read_memory(pid, addr, &mut cache.data[..want]);
            if got < len {
                cache.len = 0;
                drop(cache);
                return Self::direct(pid, addr, buf);
            }
            cache.pid = pid;
            cache.start = addr;
            cache.len = got;
        }
        let offset = (addr - cache.start) as usize;
        buf.copy_from_slice(&cache.data[offset..offset + len]);
        Ok(len)
    }

    fn fd_path(&self, pid: i32, fd: i32) -> Option<PathBuf> {
        rtrace_engine::fd_path(pid, fd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// qemu-user emulates no process_vm_readv: say so with the real error, so
    /// the tests are reported as not run there rather than as cache bugs.
    fn require_memory_reads() {
        let probe = 7u64;
        let mut copy = 0u64;
        let local = libc::iovec {
            iov_base: (&mut copy as *mut u64).cast(),
            iov_len: 8,
        };
        let remote = libc::iovec {
            iov_base: (&probe as *const u64).cast_mut().cast(),
            iov_len: 8,
        };
        // SAFETY: both iovecs describe 8 live bytes of this process.
        let n = unsafe { libc::process_vm_readv(libc::getpid(), &local, 1, &remote, 1, 0) };
        if n != 8 {
            panic!(
                "process_vm_readv of our own memory: {} (qemu-user emulates none)",
                io::Error::last_os_error()
            );
        }
    }

    #[test]
    fn words_come_from_one_read_and_match_memory() {
        require_memory_reads();
        let pid = std::process::id() as i32;
        let data: Vec<u64> = (0..64).collect();
        let base = data.as_ptr() as u64;
        let access = EngineAccess::default();
        for (i, &expected) in data.iter().enumerate() {
            let mut word = [0u8; 8];
            let addr = base + 8 * i as u64;
            if let Err(e) = access.read_memory(pid, addr, &mut word) {
                panic!("reading our own memory at {addr:#x}: {e}");
            }
            assert_eq!(u64::from_ne_bytes(word), expected);
        }
    }

    #[test]
    fn invalidation_sees_new_contents() {
        require_memory_reads();
        let pid = std::process::id() as i32;
        let mut value = Box::new(1u64);
        let addr = &*value as *const u64 as u64;
        let access = EngineAccess::default();
        let mut word = [0u8; 8];
        access.read_memory(pid, addr, &mut word).expect("readable");
        *value = 2;
        access.read_memory(pid, addr, &mut word).expect("readable");
        assert_eq!(
            u64::from_ne_bytes(word),
            1,
            "served from the cache within a stop"
        );
        access.invalidate();
        access.read_memory(pid, addr, &mut word).expect("readable");
        assert_eq!(u64::from_ne_bytes(word), 2);
        assert!(access.read_memory(pid, 8, &mut word).is_err());
    }
}
