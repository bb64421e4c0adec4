//! The wait loop's own CPU time, read by the watchdog from its thread: how much of a
//! tick the tracer spent handling stops tells whether the tracer or the tracees' own
//! work limits co-located tracees.

use std::time::Duration;

use nix::time::{clock_gettime, ClockId};

/// The CPU-time clock of one thread of rtrace, readable from any other thread.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ThreadClock(ClockId);

impl ThreadClock {
    /// The calling thread's clock, or None when the C library cannot name it.
    pub(crate) fn of_this_thread() -> Option<ThreadClock> {
        let mut clock: libc::clockid_t = 0;
        // SAFETY: pthread_self() names the calling thread, alive during the call, and
        // `clock` is a local the call writes.
        let failed = unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) };
        (failed == 0).then(|| ThreadClock(ClockId::from_raw(clock)))
    }

    /// The CPU time the thread has used so far; None once it is gone.
    pub(crate) fn used(&self) -> Option<Duration> {
        clock_gettime(self.0).ok().map(Duration::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    #[test]
    fn a_threads_clock_read_from_another_thread_counts_that_threads_work() {
        let (clock_sender, clock_receiver) = channel();
        let (read_sender, read_receiver) = channel::<()>();
        let worker = std::thread::spawn(move || {
            let clock = ThreadClock::of_this_thread();
            let start = std::time::Instant::now();
            let mut x = 1u64;
            while start.elapsed() < Duration::from_millis(30) {
                x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
            }
            clock_sender.send(clock).unwrap();
            // Alive until its clock has been read.
            read_receiver.recv().unwrap();
        });
        let here = ThreadClock::of_this_thread().expect("this thread's CPU clock");
        let here_before = here.used().expect("this thread's CPU time");
        let clock = clock_receiver
            .recv()
            .unwrap()
            .expect("the worker's CPU clock");
        let theirs = clock.used().expect("the worker's CPU time");
        let here_spent = here.used().expect("this thread's CPU time") - here_before;
        read_sender.send(()).unwrap();
        worker.join().unwrap();
        // It computed for 30 ms of wall time; on a loaded machine it got less CPU.
        assert!(theirs >= Duration::from_millis(5), "{theirs:?}");
        assert!(
            here_spent < theirs,
            "this thread waited while the worker computed: {here_spent:?} against {theirs:?}"
        );
    }
}
