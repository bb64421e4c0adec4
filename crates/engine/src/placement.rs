//! Where the tracer runs relative to its tracees (`--cpu-placement`): pinning and spinning.

/// How the tracer keeps the stop hand-over cheap. On a VM, a tracer and a tracee on
/// different vCPUs pay for a halted vCPU's wake-up at every stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CpuPlacement {
    /// Nothing: the scheduler decides.
    #[default]
    Free,
    /// The tracer pins itself to the CPU it starts on, and the launched command (which
    /// inherits the affinity) runs there too. Attached processes are not moved.
    SameCpu,
    /// Before blocking in wait4, poll with WNOHANG for a few microseconds, so the
    /// tracer's CPU stays awake for the next stop.
    Spin,
}

/// How many WNOHANG polls `CpuPlacement::Spin` makes before blocking (about 20 us).
pub(crate) const SPIN_POLLS: u32 = 40;

/// Pins the calling thread (and so every process it forks) to the CPU it is on.
pub(crate) fn pin_to_current_cpu() {
    // SAFETY: sched_getcpu and sched_setaffinity on this thread, with a zeroed set.
    unsafe {
        let cpu = libc::sched_getcpu();
        if cpu < 0 {
            return;
        }
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu as usize, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}
