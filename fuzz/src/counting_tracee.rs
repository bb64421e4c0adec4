//! The fake tracee under a counter: every byte a decoder asks the host for is tallied,
//! so a decode that reads without bound fails the run instead of passing quietly.

use std::cell::Cell;
use std::io;
use std::path::PathBuf;

use rtrace_decode::TraceeAccess;
use rtrace_plugin_testing::FakeTracee;

use crate::input::Case;

/// What one decode phase asked of the tracee's memory.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReadTally {
    pub calls: u64,
    /// Bytes requested in all (the sizes of the buffers passed, read or not).
    pub requested: u64,
    /// The largest single request.
    pub largest: u64,
}

/// [`FakeTracee`] with a [`ReadTally`].
pub struct CountingTracee {
    inner: FakeTracee,
    tally: Cell<ReadTally>,
}

/// A path longer than PATH_MAX, for the fd whose path must be cut.
const LONG_PATH_LEN: usize = 5000;

impl CountingTracee {
    /// The memory and fds of `case`.
    pub fn of(case: &Case) -> Self {
        let mut inner = FakeTracee::new();
        for (start, bytes) in &case.regions {
            inner.map(*start, bytes);
        }
        if case.fd_paths {
            inner
                .open_fd(0, "/dev/pts/0")
                .open_fd(1, "pipe:[1234]")
                .open_fd(2, "/tmp/with\nnewline and \"quotes\"")
                .open_fd(3, &"d/".repeat(LONG_PATH_LEN / 2));
        }
        CountingTracee {
            inner,
            tally: Cell::new(ReadTally::default()),
        }
    }

    /// The tally since the last call, which starts a new one.
    pub fn take_tally(&self) -> ReadTally {
        self.tally.take()
    }
}

impl TraceeAccess for CountingTracee {
    fn read_memory(&self, pid: i32, addr: u64, buf: &mut [u8]) -> io::Result<usize> {
        let mut tally = self.tally.get();
        let len = buf.len() as u64;
        tally.calls += 1;
        tally.requested = tally.requested.saturating_add(len);
        tally.largest = tally.largest.max(len);
        self.tally.set(tally);
        self.inner.read_memory(pid, addr, buf)
    }

    fn fd_path(&self, pid: i32, fd: i32) -> Option<PathBuf> {
        self.inner.fd_path(pid, fd)
    }
}
