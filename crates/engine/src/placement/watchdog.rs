//! The adaptive placement at work: a thread of rtrace's own that wakes every tick, reads
//! what the wait loop recorded about each tracee ([`Activity`]), asks the [`Policy`] and
//! changes tracees' affinities. Kept off the wait loop so that a tick happens even when
//! no tracee stops (every one computing), and so that the loop's only cost is one
//! relaxed store per resume.
//!
//! A tracee's affinity is changed only while it is still what placement last gave it:
//! a program that sets its own affinity (sched_setaffinity, taskset in a script) keeps
//! it, and is no longer watched.

use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::Thread;
use std::time::{Duration, Instant};

use super::affinity::CpuMask;
use super::policy::{Activity, Move, Policy, SETTLED_TICK_MS, TICK_MS};
use super::thread_clock::ThreadClock;

/// The two masks placement moves tracees between.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Masks {
    /// The tracer's CPU alone.
    pub home: CpuMask,
    /// What rtrace was started with: what the command would have had untraced.
    pub original: CpuMask,
    /// The wait loop's thread, which follows widened tracees off its CPU.
    pub tracer: i32,
    /// The wait loop's CPU-time clock (None: the C library could not name it, and the
    /// policy then takes the tracer for busy).
    pub tracer_clock: Option<ThreadClock>,
}

impl Masks {
    /// Gives a tracee that still has the home mask the original one back (on detach);
    /// a mask the program set itself is left alone.
    pub(crate) fn release(&self, tid: i32) {
        if CpuMask::of(tid) == Some(self.home) {
            self.original.apply_to(tid);
        }
    }

    /// Moves `tid` from the mask placement gave it to the other; false when its mask is
    /// neither (the program chose its own, or it is gone).
    fn make(&self, step: Move) -> bool {
        let (tid, from, to) = match step {
            Move::Widen(tid) => (tid, self.home, self.original),
            Move::Narrow(tid) => (tid, self.original, self.home),
        };
        CpuMask::of(tid) == Some(from) && to.apply_to(tid)
    }
}

/// A tracee the wait loop added since the last tick, with its activity word then.
type Arrival = (i32, Arc<Activity>, u64);

/// What the wait loop hands the watchdog.
#[derive(Default)]
struct Shared {
    /// Tracees added since the last tick.
    arrivals: Mutex<Vec<Arrival>>,
    /// The watchdog sleeps longer than a tick (placement is settled): an arrival wakes
    /// it, so that a new tracee is judged as soon as under the short period.
    backed_off: AtomicBool,
    stop: AtomicBool,
}

/// The wait loop's handle on the watchdog thread; the thread ends when it is dropped.
pub(crate) struct Watchdog {
    shared: Arc<Shared>,
    thread: Thread,
}

impl Watchdog {
    /// Starts the thread (only under -f, once two tracees share the CPU: rtrace is
    /// multi-threaded from then on).
    pub(crate) fn start(masks: Masks) -> std::io::Result<Watchdog> {
        let shared = Arc::new(Shared::default());
        let theirs = Arc::clone(&shared);
        // The thread is born with every signal blocked: rtrace's SIGINT/SIGTERM/...
        // handler must run on the wait loop's thread, which it wakes with
        // PTRACE_INTERRUPT (only the tracer thread may) and whose wait4 it interrupts.
        let spawned = with_signals_blocked(|| {
            std::thread::Builder::new()
                .name("rtrace-placement".into())
                .spawn(move || watch(&theirs, masks))
        });
        let thread = spawned?.thread().clone();
        Ok(Watchdog { shared, thread })
    }

    pub(crate) fn tracee_added(&self, tid: i32, activity: Arc<Activity>) {
        let word = activity.word();
        if let Ok(mut arrivals) = self.shared.arrivals.lock() {
            arrivals.push((tid, activity, word));
        }
        if self.shared.backed_off.load(Ordering::SeqCst) {
            self.thread.unpark();
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.thread.unpark();
    }
}

/// Runs `f` with every signal blocked in the calling thread (threads it starts inherit
/// that mask), then restores the mask.
fn with_signals_blocked<T>(f: impl FnOnce() -> T) -> T {
    // SAFETY: sigfillset and pthread_sigmask on local, initialised sets.
    unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut before: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut before);
        let result = f();
        libc::pthread_sigmask(libc::SIG_SETMASK, &before, std::ptr::null_mut());
        result
    }
}

fn watch(shared: &Shared, masks: Masks) {
    // The watchdog itself runs wherever a CPU is free rather than preempting the
    // tracer's CPU every tick.
    masks.original.apply_to(0);
    let mut policy = Policy::default();
    let mut tracees: FxHashMap<i32, Arc<Activity>> = FxHashMap::default();
    let mut tracer_widened = false;
    let mut period = Duration::from_millis(TICK_MS);
    let mut last_tick = Instant::now();
    let tracer_used = || masks.tracer_clock.and_then(|clock| clock.used());
    let mut last_tracer_used = tracer_used();
    while !shared.stop.load(Ordering::Relaxed) {
        // park_timeout may return early (an arrival's unpark, or spuriously): the tick
        // then covers less time, which the policy's thresholds allow for.
        std::thread::park_timeout(period);
        shared.backed_off.store(false, Ordering::Relaxed);
        let now = Instant::now();
        let elapsed = now.duration_since(last_tick);
        last_tick = now;
        let arrivals = match shared.arrivals.lock() {
            Ok(mut arrivals) => std::mem::take(&mut *arrivals),
            Err(_) => return,
        };
        let arrived = !arrivals.is_empty();
        for (tid, activity, word) in arrivals {
            // A tracee starts with its parent's mask: home, or original under a widened
            // parent. Any other mask is the program's own choice.
            let mask = CpuMask::of(tid);
            let widened = mask == Some(masks.original);
            if widened || mask == Some(masks.home) {
                policy.watch(tid, word, widened);
                tracees.insert(tid, activity);
            }
        }
        // The wait loop drops a tracee's Activity when the tracee is gone.
        tracees.retain(|_, activity| Arc::strong_count(activity) > 1);
        policy.retain(|tid| tracees.contains_key(&tid));
        let now_used = tracer_used();
        // Unknown, the tracer counts as busy the whole tick: nothing is spread.
        let tracer_cpu = match (now_used, last_tracer_used) {
            (Some(now), Some(before)) => now.saturating_sub(before),
            _ => elapsed,
        };
        last_tracer_used = now_used;
        let moves = policy.tick(elapsed, tracer_cpu, |tid| {
            tracees.get(&tid).map_or(0, |a| a.word())
        });
        // Settled, each tick only preempts a computing tracee: back off, doubling the
        // period up to SETTLED_TICK_MS; anything new brings the short period back.
        period = if arrived || !moves.is_empty() || !policy.settled() {
            Duration::from_millis(TICK_MS)
        } else {
            (period * 2).min(Duration::from_millis(SETTLED_TICK_MS))
        };
        for step in moves {
            if !masks.make(step) {
                let tid = match step {
                    Move::Widen(tid) | Move::Narrow(tid) => tid,
                };
                tracees.remove(&tid);
                policy.retain(|t| t != tid);
            }
        }
        // While a tracee computes on another CPU, the tracer pinned to its own CPU would
        // preempt whatever runs there at each of that tracee's stops, and hand each one
        // over across CPUs; unpinned, the scheduler wakes it on the CPU the stopped
        // tracee just left idle, as strace's. It comes home when every tracee has.
        let widen_tracer = policy.any_widened();
        if widen_tracer != tracer_widened {
            let mask = if widen_tracer {
                masks.original
            } else {
                masks.home
            };
            if mask.apply_to(masks.tracer) {
                tracer_widened = widen_tracer;
            }
        }
        if period > Duration::from_millis(TICK_MS) {
            // SeqCst on both sides (here, and the load after the push in
            // `tracee_added`): either this sees the arrival, or the arrival sees the
            // flag and unparks, which makes the coming park return at once.
            shared.backed_off.store(true, Ordering::SeqCst);
            if shared.arrivals.lock().map_or(true, |a| !a.is_empty()) {
                period = Duration::from_millis(TICK_MS);
            }
        }
    }
}
