//! CPU affinity masks of threads: the few sched_{get,set}affinity calls placement makes.

/// One thread's allowed CPUs.
#[derive(Clone, Copy)]
pub(crate) struct CpuMask(libc::cpu_set_t);

impl CpuMask {
    /// The mask of `tid` (0: the calling thread); None if it cannot be read (gone).
    pub(crate) fn of(tid: i32) -> Option<CpuMask> {
        // SAFETY: an all-zero cpu_set_t is the empty set.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        // SAFETY: the size given is the size of the set the kernel writes into.
        let done = unsafe {
            libc::sched_getaffinity(tid, std::mem::size_of::<libc::cpu_set_t>(), &mut set)
        };
        (done == 0).then_some(CpuMask(set))
    }

    /// The set holding CPU `cpu` alone; None past the set's size.
    pub(crate) fn only(cpu: usize) -> Option<CpuMask> {
        if cpu >= libc::CPU_SETSIZE as usize {
            return None;
        }
        // SAFETY: an all-zero cpu_set_t is the empty set; CPU_SET writes one bit of it,
        // within its size (checked above).
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(cpu, &mut set);
            Some(CpuMask(set))
        }
    }

    /// How many CPUs the mask allows.
    pub(crate) fn count(&self) -> u32 {
        // SAFETY: CPU_COUNT only reads the set.
        unsafe { libc::CPU_COUNT(&self.0) as u32 }
    }

    /// Gives `tid` (0: the calling thread) this mask; false if that failed (gone).
    pub(crate) fn apply_to(&self, tid: i32) -> bool {
        // SAFETY: the set is initialised and its size is the one given.
        unsafe {
            libc::sched_setaffinity(tid, std::mem::size_of::<libc::cpu_set_t>(), &self.0) == 0
        }
    }
}

impl PartialEq for CpuMask {
    fn eq(&self, other: &CpuMask) -> bool {
        // SAFETY: CPU_EQUAL only reads both sets.
        unsafe { libc::CPU_EQUAL(&self.0, &other.0) }
    }
}

impl std::fmt::Debug for CpuMask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cpus: Vec<usize> = (0..libc::CPU_SETSIZE as usize)
            // SAFETY: CPU_ISSET reads one bit, within the set's size.
            .filter(|&c| unsafe { libc::CPU_ISSET(c, &self.0) })
            .collect();
        write!(f, "CpuMask{cpus:?}")
    }
}

/// The CPU the calling thread runs on.
pub(crate) fn current_cpu() -> Option<usize> {
    // SAFETY: sched_getcpu takes no argument.
    let cpu = unsafe { libc::sched_getcpu() };
    usize::try_from(cpu).ok()
}
