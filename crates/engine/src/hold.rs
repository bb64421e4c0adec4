//! Threads kept stopped for a while before they are resumed (strace's `delay_enter=` and
//! `delay_exit=`), while every other tracee goes on being served.
//!
//! A held thread stays in its syscall stop. An interval timer (SIGALRM, handled without
//! SA_RESTART) interrupts the wait loop's blocking wait4 when the earliest hold ends;
//! it repeats every millisecond until the queue is empty, so that an alarm that fires
//! just before wait4 is entered costs a millisecond, never a hang.

use std::sync::Once;
use std::time::{Duration, Instant};

/// How often the alarm repeats while a hold is pending.
const ALARM_REPEAT: Duration = Duration::from_millis(1);

/// How a thread goes on after a syscall stop: with a signal to deliver (0: none), and
/// after being kept stopped for a while.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resume {
    pub signal: i32,
    pub delay: Option<Duration>,
}

/// One held thread and how it is to be resumed.
#[derive(Debug, Clone, Copy)]
struct Held {
    until: Instant,
    pid: i32,
    request: libc::c_uint,
    signal: i32,
}

/// The held threads, in no particular order (there are few).
#[derive(Debug, Default)]
pub(crate) struct Holds {
    held: Vec<Held>,
}

extern "C" fn on_alarm(_sig: libc::c_int) {
    // Nothing to do: the signal's only job is to make wait4 return EINTR.
}

fn install_alarm_handler() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // SAFETY: installing a handler that does nothing; no SA_RESTART, so a blocked
        // wait4 returns EINTR.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_alarm as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = 0;
            libc::sigaction(libc::SIGALRM, &action, std::ptr::null_mut());
        }
    });
}

fn timeval(d: Duration) -> libc::timeval {
    libc::timeval {
        tv_sec: d.as_secs() as libc::time_t,
        tv_usec: d.subsec_micros() as libc::suseconds_t,
    }
}

/// Arms the alarm for `after` (at least a microsecond: zero would disarm it), or
/// disarms it.
fn arm_alarm(after: Option<Duration>) {
    let timer = match after {
        Some(d) => libc::itimerval {
            it_value: timeval(d.max(Duration::from_micros(1))),
            it_interval: timeval(ALARM_REPEAT),
        },
        None => libc::itimerval {
            it_value: timeval(Duration::ZERO),
            it_interval: timeval(Duration::ZERO),
        },
    };
    // SAFETY: setitimer with a valid timer and no old-value pointer.
    unsafe {
        libc::setitimer(libc::ITIMER_REAL, &timer, std::ptr::null_mut());
    }
}

impl Holds {
    /// Keeps `pid` stopped for `delay`, then restarts it with `request` and `signal`.
    pub(crate) fn hold(&mut self, pid: i32, request: libc::c_uint, signal: i32, delay: Duration) {
        install_alarm_handler();
        self.held.push(Held {
            until: Instant::now() + delay,
            pid,
            request,
            signal,
        });
        self.rearm();
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    /// Restarts every thread whose hold has ended and arms the alarm for the next.
    pub(crate) fn release_due(&mut self) {
        if self.held.is_empty() {
            return;
        }
        let now = Instant::now();
        self.held.retain(|h| {
            if h.until > now {
                return true;
            }
            // SAFETY: a ptrace restart request with a signal number as data; a thread
            // that vanished meanwhile (ESRCH) is reported by wait4.
            unsafe {
                libc::ptrace(h.request, h.pid, 0, h.signal as libc::c_long);
            }
            false
        });
        self.rearm();
    }

    /// The thread is gone (killed while held): nothing to restart.
    pub(crate) fn forget(&mut self, pid: i32) {
        let before = self.held.len();
        self.held.retain(|h| h.pid != pid);
        if self.held.len() != before {
            self.rearm();
        }
    }

    /// Takes every held thread out of the queue, with the signal it was to get: they
    /// are still in their stop (rtrace is detaching).
    pub(crate) fn take_all(&mut self) -> Vec<(i32, i32)> {
        let all = self.held.drain(..).map(|h| (h.pid, h.signal)).collect();
        arm_alarm(None);
        all
    }

    fn rearm(&self) {
        let next = self.held.iter().map(|h| h.until).min();
        arm_alarm(next.map(|t| t.saturating_duration_since(Instant::now())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test: the alarm is the process's, shared by tests running in parallel.
    #[test]
    fn holds_are_kept_until_their_time_and_the_alarm_follows_the_queue() {
        let mut holds = Holds::default();
        holds.hold(0, libc::PTRACE_SYSCALL, 0, Duration::from_secs(3600));
        holds.release_due();
        assert!(!holds.is_empty());
        assert_eq!(holds.take_all(), vec![(0, 0)]);
        assert!(holds.is_empty());
        // pid 0 is never a tracee: the restart fails harmlessly with ESRCH.
        holds.hold(0, libc::PTRACE_SYSCALL, 0, Duration::ZERO);
        assert!(!holds.is_empty());
        holds.release_due();
        assert!(holds.is_empty());
        let mut now = libc::itimerval {
            it_value: timeval(Duration::ZERO),
            it_interval: timeval(Duration::ZERO),
        };
        // SAFETY: getitimer into a valid struct.
        unsafe { libc::getitimer(libc::ITIMER_REAL, &mut now) };
        assert_eq!((now.it_value.tv_sec, now.it_value.tv_usec), (0, 0));
    }
}
