//! Where the tracer runs relative to its tracees (`--cpu-placement`): pinning, the
//! adaptive co-location and spinning.
//!
//! On a VM, a tracer and a tracee on different vCPUs pay for a halted vCPU's wake-up at
//! every stop; on one CPU the hand-over is cheap. But tracees that compute in parallel
//! need every CPU they were given. The adaptive placement (the default for a launched
//! command) starts the command on the tracer's CPU and gives a tracee its full affinity
//! back once it computes while another tracee also wants a CPU, or once tracees making
//! syscalls want more CPU than the tracer's (`policy` decides, `watchdog` acts,
//! `affinity` holds the masks, `thread_clock` reads the tracer's CPU time).

mod affinity;
mod policy;
mod thread_clock;
mod watchdog;

use std::sync::Arc;

pub(crate) use policy::Activity;

use affinity::{current_cpu, CpuMask};
use thread_clock::ThreadClock;
use watchdog::{Masks, Watchdog};

/// How the tracer keeps the stop hand-over cheap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CpuPlacement {
    /// Nothing: the scheduler decides.
    #[default]
    Free,
    /// The tracer pins itself to the CPU it starts on, and the launched command (which
    /// inherits the affinity) runs there too, for the whole trace. Attached processes
    /// are not moved. Under this and `Adaptive`, a tracee detached alive gets the
    /// affinity rtrace was started with back.
    SameCpu,
    /// As `SameCpu` while the tracees take turns; a tracee that computes while another
    /// one also wants a CPU gets the affinity rtrace was started with, and comes back
    /// once it is alone again.
    Adaptive,
    /// Before blocking in wait4, poll with WNOHANG for a few microseconds, so the
    /// tracer's CPU stays awake for the next stop.
    Spin,
}

/// How many WNOHANG polls `CpuPlacement::Spin` makes before blocking (about 20 us).
pub(crate) const SPIN_POLLS: u32 = 40;

/// The placement's state for one trace: pins the tracer at creation, and for the
/// adaptive placement starts the watchdog when it can matter.
pub(crate) struct Placement {
    kind: CpuPlacement,
    /// Pinning (same-cpu or adaptive) with more than one CPU to give back: the two masks.
    masks: Option<Masks>,
    follow_forks: bool,
    watchdog: Option<Watchdog>,
    /// Tracees seen before the watchdog started, handed to it when it starts.
    early: Vec<(i32, Arc<Activity>)>,
}

impl Placement {
    /// Applies `kind` to the calling thread (the tracer, and so whatever it forks next).
    pub(crate) fn new(kind: CpuPlacement, follow_forks: bool) -> Placement {
        let mut masks = None;
        if matches!(kind, CpuPlacement::SameCpu | CpuPlacement::Adaptive) {
            let original = CpuMask::of(0);
            if let Some(home) = current_cpu().and_then(CpuMask::only) {
                home.apply_to(0);
                // SAFETY: gettid takes no argument and cannot fail.
                let tracer = unsafe { libc::gettid() };
                masks = original.filter(|o| o.count() > 1).map(|original| Masks {
                    home,
                    original,
                    tracer,
                    tracer_clock: ThreadClock::of_this_thread(),
                });
            }
        }
        Placement {
            kind,
            masks,
            follow_forks,
            watchdog: None,
            early: Vec::new(),
        }
    }

    pub(crate) fn kind(&self) -> CpuPlacement {
        self.kind
    }

    /// True when the launched command's untraced children and threads (without -f) must
    /// get the command's affinity back: the adaptive placement with CPUs to give. The
    /// tracer then has the kernel attach them, and lets them go at their first stop
    /// ([`Placement::tracee_detached`]), so that no watchdog thread is needed without -f.
    pub(crate) fn releases_untraced(&self) -> bool {
        self.kind == CpuPlacement::Adaptive && self.masks.is_some() && !self.follow_forks
    }

    /// A new tracee, `live` tracees in all. The watchdog starts with the second tracee,
    /// which only -f can bring (one alone has nobody to share the CPU with): tracing one
    /// thread, rtrace stays single-threaded, as a traced program can tell (the kernel
    /// refuses KEYCTL_SESSION_TO_PARENT to a child of a multi-threaded process).
    pub(crate) fn tracee_added(&mut self, tid: i32, activity: &Arc<Activity>, live: usize) {
        let Some(masks) = self.masks.filter(|_| self.kind == CpuPlacement::Adaptive) else {
            return;
        };
        if let Some(watchdog) = &self.watchdog {
            watchdog.tracee_added(tid, Arc::clone(activity));
            return;
        }
        self.early.push((tid, Arc::clone(activity)));
        if live < 2 || !self.follow_forks {
            return;
        }
        // Without the thread, placement stays as SameCpu: correct, only slower for
        // parallel programs.
        if let Ok(watchdog) = Watchdog::start(masks) {
            for (tid, activity) in self.early.drain(..) {
                watchdog.tracee_added(tid, activity);
            }
            self.watchdog = Some(watchdog);
        }
    }

    /// A tracee leaves the trace alive (detached), or an untraced child is let go: it
    /// gets its affinity back.
    pub(crate) fn tracee_detached(&self, tid: i32) {
        if let Some(masks) = &self.masks {
            masks.release(tid);
        }
    }
}
