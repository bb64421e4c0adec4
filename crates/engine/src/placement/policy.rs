//! The adaptive placement's decisions, apart from any syscall: which tracees to give
//! their full affinity back (widen) and which to bring back to the tracer's CPU
//! (narrow), from what the wait loop recorded about each one at every tick.
//!
//! What a tick sees of a tracee is its activity word (see [`Activity`]): how many times
//! the tracer resumed it, and whether the last resume sent it to user space (out of a
//! syscall) or into the kernel (into a syscall). A tracee in user space at the tick that
//! was resumed only a few times during it ran its own code for most of the tick: it
//! computes (a compute loop that makes a syscall now and then still counts). One whose
//! word did not move while "in a syscall" is blocked (a wait, a read): it does not want
//! a CPU. One resumed many times makes syscalls: on the tracer's CPU each of its stops
//! is cheap, on another one each costs a cross-CPU hand-over.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The watchdog's period, in milliseconds, while placement may have a move to make;
/// the thresholds below are counts per tick of this length.
pub(crate) const TICK_MS: u64 = 2;
/// The longest period the watchdog backs off to while placement is settled (see
/// [`Policy::settled`]): a settled trace of two computing processes wakes it 60 times a
/// second instead of 500, each wake-up preempting one of them.
pub(crate) const SETTLED_TICK_MS: u64 = 16;
/// How many ticks a tracee must compute before it is widened (in a row, a tick caught
/// in its syscall holding the count): 4-6 ms, or 2-6 ms from its birth, a few
/// scheduler slices, so that a thread that only waited for the CPU behind another one
/// for a slice is not taken for a computing one.
pub(crate) const WIDEN_AFTER_TICKS: u32 = 2;
/// At most this many resumes in a tick (a syscall every 0.4 ms) and in user space at
/// the tick: computing. Co-located, its stops then cost the tracee less than 2% of its
/// time; given the other CPUs, it runs in parallel.
pub(crate) const COMPUTING_MAX_RESUMES: u64 = 10;
/// At least this many resumes in a tick, two ticks in a row, and a widened tracee comes
/// back to the tracer's CPU: it now mostly makes syscalls, and across CPUs each of its
/// stops costs a hand-over of tens of microseconds (so it cannot reach many more).
pub(crate) const SYSCALL_HEAVY_MIN_RESUMES: u64 = 40;
/// How many ticks in a row a widened tracee must be syscall-heavy, or the only one
/// wanting a CPU, before it comes back to the tracer's CPU.
pub(crate) const NARROW_AFTER_TICKS: u32 = 2;

/// What the wait loop records about one tracee, read by the watchdog: the number of
/// resumes shifted left by one, with bit 0 set when the last resume let it run in user
/// space. One relaxed store per resume on the hot path.
#[derive(Debug, Default)]
pub(crate) struct Activity(AtomicU64);

impl Activity {
    /// Records a resume; `into_user` is false when the tracee goes on into a syscall
    /// (resumed from its entry stop).
    pub(crate) fn resumed(&self, into_user: bool) {
        let resumes = (self.0.load(Ordering::Relaxed) >> 1).wrapping_add(1);
        self.0
            .store((resumes << 1) | u64::from(into_user), Ordering::Relaxed);
    }

    pub(crate) fn word(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// What the policy asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    /// Give the tracee the affinity the command was started with.
    Widen(i32),
    /// Bring the tracee back to the tracer's CPU.
    Narrow(i32),
}

/// The policy's memory of one tracee.
#[derive(Debug, Clone)]
struct Watched {
    tid: i32,
    last_word: u64,
    /// Ticks in a row it computed.
    computing_ticks: u32,
    /// Ticks in a row it was widened and syscall-heavy, or alone in wanting a CPU.
    narrow_ticks: u32,
    /// At the last tick: it made syscalls during the tick or was in user space.
    wants_cpu: bool,
    /// At the last tick: resumed at least `SYSCALL_HEAVY_MIN_RESUMES` times.
    syscall_heavy: bool,
    widened: bool,
}

/// The decisions, tick by tick. Tracees are co-located with the tracer (one CPU, cheap
/// stops) until one computes while another one also wants a CPU: that one gets the
/// full affinity. A widened tracee comes back once it makes many syscalls again, or has
/// been the only one wanting a CPU for a while.
#[derive(Debug, Default)]
pub(crate) struct Policy {
    watched: Vec<Watched>,
}

impl Policy {
    /// Starts watching a tracee, co-located (as it starts: it inherits its parent's
    /// affinity, and the launched command the tracer's CPU), or `widened` when it
    /// started with the full affinity (a child of a widened tracee). `word` is its
    /// activity word when the wait loop added it, so that the first tick judges what it
    /// did since (a child that computes from its birth is widened a tick sooner).
    pub(crate) fn watch(&mut self, tid: i32, word: u64, widened: bool) {
        self.watched.push(Watched {
            tid,
            last_word: word,
            computing_ticks: 0,
            narrow_ticks: 0,
            wants_cpu: false,
            syscall_heavy: false,
            widened,
        });
    }

    /// Forgets tracees that are gone (`alive` says which are not).
    pub(crate) fn retain(&mut self, mut alive: impl FnMut(i32) -> bool) {
        self.watched.retain(|w| alive(w.tid));
    }

    /// True while some watched tracee has its full affinity: the tracer then follows
    /// it off its CPU (see the watchdog).
    pub(crate) fn any_widened(&self) -> bool {
        self.watched.iter().any(|w| w.widened)
    }

    /// True when no move can be due without a change the watchdog would see at once (a
    /// new tracee): no co-located tracee wants a CPU beside another one, and no widened
    /// one is on its way back. The watchdog then ticks less often.
    pub(crate) fn settled(&self) -> bool {
        let wanting = self.watched.iter().filter(|w| w.wants_cpu).count();
        self.watched.iter().all(|w| {
            if w.widened {
                w.narrow_ticks == 0
            } else {
                !(w.wants_cpu && wanting > 1)
            }
        })
    }

    /// One tick, `elapsed` since the last one: `word_of` gives each watched tracee's
    /// current activity word. Returns the moves to make; the policy assumes they are
    /// made. Over a tick longer than [`TICK_MS`] (the watchdog backed off) the
    /// thresholds grow with its length, so that they keep meaning a rate.
    pub(crate) fn tick(
        &mut self,
        elapsed: Duration,
        mut word_of: impl FnMut(i32) -> u64,
    ) -> Vec<Move> {
        // A threshold of N a tick is N * length / TICK_MS over a tick of that length
        // (never less than N: a tick cut short is judged as a whole one).
        let tick_us = TICK_MS * 1000;
        let length_us = u64::try_from(elapsed.as_micros())
            .unwrap_or(u64::MAX)
            .max(tick_us);
        let per_tick = |n: u64| n.saturating_mul(length_us) / tick_us;
        let mut wanting = 0usize;
        for w in &mut self.watched {
            let word = word_of(w.tid);
            let resumes = (word >> 1).wrapping_sub(w.last_word >> 1);
            let in_user = word & 1 == 1;
            w.last_word = word;
            let few = resumes <= per_tick(COMPUTING_MAX_RESUMES);
            if in_user && few {
                w.computing_ticks += 1;
            } else if !(few && resumes > 0 && w.computing_ticks > 0) {
                w.computing_ticks = 0;
            }
            // Else a computing tracee caught in its syscall at the tick (co-located,
            // one resumed into getppid waits there for the CPU its sibling holds) keeps
            // its count, without adding to it: a process that only forks and waits
            // (make, a shell) is never in user space at a tick, nor counted.
            w.syscall_heavy = resumes >= per_tick(SYSCALL_HEAVY_MIN_RESUMES);
            // Not wanting a CPU: blocked in one syscall for the whole tick.
            w.wants_cpu = resumes > 0 || in_user;
            wanting += usize::from(w.wants_cpu);
        }
        let mut moves = Vec::new();
        for w in &mut self.watched {
            let others_want = wanting > usize::from(w.wants_cpu);
            if !w.widened {
                if w.computing_ticks >= WIDEN_AFTER_TICKS && others_want {
                    w.widened = true;
                    w.narrow_ticks = 0;
                    moves.push(Move::Widen(w.tid));
                }
            } else if others_want && !w.syscall_heavy {
                w.narrow_ticks = 0;
            } else {
                w.narrow_ticks += 1;
                if w.narrow_ticks >= NARROW_AFTER_TICKS {
                    w.widened = false;
                    w.computing_ticks = 0;
                    moves.push(Move::Narrow(w.tid));
                }
            }
        }
        moves
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Tracees as the watchdog would see them: each one's activity word, changed by
    /// what the test says each does during a tick.
    #[derive(Default)]
    struct Scene {
        words: HashMap<i32, Activity>,
        policy: Policy,
    }

    /// What a tracee did during one tick.
    #[derive(Clone, Copy)]
    enum Did {
        /// Ran its own code, resumed this many times (two per syscall).
        Computed(u64),
        /// Blocked in one syscall the whole tick.
        Blocked,
        /// Made this many syscalls, ending in user space.
        Syscalls(u64),
        /// Computed, resumed this many times, the last one into a syscall it still
        /// waits in at the tick (for the CPU, behind a co-located sibling).
        ComputedIntoSyscall(u64),
    }

    impl Scene {
        /// A tracee, in user space, or `blocked` in a syscall, as the policy first sees it.
        fn add_as(&mut self, tid: i32, widened: bool, blocked: bool) {
            let activity = Activity::default();
            activity.resumed(!blocked);
            self.policy.watch(tid, activity.word(), widened);
            self.words.insert(tid, activity);
        }

        fn add(&mut self, tid: i32, widened: bool) {
            self.add_as(tid, widened, false);
        }

        fn tick(&mut self, doings: &[(i32, Did)]) -> Vec<Move> {
            self.tick_over(Duration::from_millis(TICK_MS), doings)
        }

        /// A tick of `length` (the watchdog backs off while placement is settled).
        fn tick_over(&mut self, length: Duration, doings: &[(i32, Did)]) -> Vec<Move> {
            for &(tid, did) in doings {
                let activity = &self.words[&tid];
                match did {
                    Did::Computed(resumes) => {
                        for _ in 0..resumes {
                            activity.resumed(true);
                        }
                    }
                    Did::Blocked => {}
                    Did::Syscalls(calls) => {
                        for _ in 0..calls {
                            activity.resumed(false);
                            activity.resumed(true);
                        }
                    }
                    Did::ComputedIntoSyscall(resumes) => {
                        for i in 0..resumes {
                            activity.resumed(i % 2 == 1);
                        }
                        activity.resumed(false);
                    }
                }
            }
            // A tracee blocked in a syscall was last resumed into it.
            for &(tid, did) in doings {
                if let Did::Blocked = did {
                    let activity = &self.words[&tid];
                    if activity.word() & 1 == 1 {
                        activity.resumed(false);
                    }
                }
            }
            let words = &self.words;
            self.policy.tick(length, |tid| words[&tid].word())
        }
    }

    #[test]
    fn the_activity_word_counts_resumes_and_says_where_they_went() {
        let activity = Activity::default();
        assert_eq!(activity.word(), 0);
        activity.resumed(false);
        assert_eq!(activity.word(), 0b10, "one resume, into a syscall");
        activity.resumed(true);
        assert_eq!(activity.word(), 0b101, "two resumes, into user space");
    }

    #[test]
    fn two_computing_tracees_are_widened_after_the_delay_not_before() {
        let mut scene = Scene::default();
        scene.add(1, false);
        scene.add(2, false);
        let both = [(1, Did::Computed(0)), (2, Did::Computed(2))];
        for _ in 1..WIDEN_AFTER_TICKS {
            assert_eq!(scene.tick(&both), []);
        }
        assert!(!scene.policy.any_widened());
        assert_eq!(scene.tick(&both), [Move::Widen(1), Move::Widen(2)]);
        assert!(scene.policy.any_widened());
        // Once widened, they stay so while both compute.
        for _ in 0..10 {
            assert_eq!(scene.tick(&both), []);
        }
    }

    #[test]
    fn a_computing_tracee_caught_in_its_syscall_at_the_tick_keeps_its_count() {
        // Two co-located processes computing: at every other tick, tracee 1 was
        // resumed into its getppid and waits there for the CPU its sibling holds.
        let mut scene = Scene::default();
        scene.add(1, false);
        scene.add(2, false);
        let mut moves = Vec::new();
        for tick in 0..2 * WIDEN_AFTER_TICKS {
            let one = if tick % 2 == 0 {
                Did::Computed(2)
            } else {
                Did::ComputedIntoSyscall(3)
            };
            moves.extend(scene.tick(&[(1, one), (2, Did::Computed(2))]));
        }
        assert_eq!(moves, [Move::Widen(2), Move::Widen(1)]);
    }

    #[test]
    fn a_process_that_forks_and_waits_is_not_computing() {
        // fork-exec: the parent is in fork or wait4 at every tick, after a few resumes,
        // while its children run.
        let mut scene = Scene::default();
        scene.add(1, false);
        for child in 2..20 {
            scene.add(child, false);
            let moves = scene.tick(&[(1, Did::ComputedIntoSyscall(4)), (child, Did::Computed(1))]);
            assert_eq!(moves, []);
            scene.policy.retain(|tid| tid != child);
        }
    }

    #[test]
    fn placement_is_settled_once_the_computing_tracees_are_widened() {
        // compute-procs: the parent waits, its two children compute.
        let mut scene = Scene::default();
        scene.add_as(1, false, true);
        scene.add(2, false);
        scene.add(3, false);
        let doings = [
            (1, Did::Blocked),
            (2, Did::Computed(2)),
            (3, Did::Computed(2)),
        ];
        for _ in 1..WIDEN_AFTER_TICKS {
            scene.tick(&doings);
            assert!(
                !scene.policy.settled(),
                "two co-located tracees want the CPU"
            );
        }
        assert_eq!(scene.tick(&doings), [Move::Widen(2), Move::Widen(3)]);
        assert!(scene.policy.settled(), "a blocked parent unsettles nothing");
        // A widened tracee on its way back (alone wanting a CPU for a tick) is a move
        // that may be due: not settled. (Tracee 3 enters its wait in the first tick,
        // and is blocked the whole second one.)
        let alone = [(1, Did::Blocked), (2, Did::Computed(2)), (3, Did::Blocked)];
        assert_eq!(scene.tick(&alone), []);
        assert!(scene.policy.settled());
        const { assert!(NARROW_AFTER_TICKS > 1) };
        assert_eq!(scene.tick(&alone), []);
        assert!(!scene.policy.settled());
    }

    #[test]
    fn over_a_long_tick_the_thresholds_are_rates() {
        let long = Duration::from_millis(8 * TICK_MS);
        let mut scene = Scene::default();
        scene.add(1, true);
        scene.add(2, true);
        // A syscall every 0.5 ms each: a count over the long tick above the heavy
        // bound, a rate below it. They stay widened.
        let computing = [(1, Did::Syscalls(32)), (2, Did::Syscalls(32))];
        const { assert!(32 * 2 >= SYSCALL_HEAVY_MIN_RESUMES) };
        for _ in 0..10 {
            assert_eq!(scene.tick_over(long, &computing), []);
        }
        // Syscall-heavy at the rate of a short tick: tracee 1 comes back.
        let heavy = SYSCALL_HEAVY_MIN_RESUMES * 8 / 2;
        let turned = [(1, Did::Syscalls(heavy)), (2, Did::Syscalls(32))];
        let mut moves = Vec::new();
        for _ in 0..NARROW_AFTER_TICKS {
            moves.extend(scene.tick_over(long, &turned));
        }
        assert_eq!(moves, [Move::Narrow(1)]);
    }

    #[test]
    fn one_computing_tracee_among_blocked_ones_stays_on_the_tracers_cpu() {
        // make -j1: make and gcc's driver wait, one compiler computes.
        let mut scene = Scene::default();
        scene.add_as(1, false, true);
        scene.add_as(2, false, true);
        scene.add(3, false);
        for _ in 0..20 {
            let moves = scene.tick(&[(1, Did::Blocked), (2, Did::Blocked), (3, Did::Computed(1))]);
            assert_eq!(moves, []);
        }
    }

    #[test]
    fn syscall_heavy_tracees_are_never_widened() {
        // The threads workload: every thread makes syscalls, none computes.
        let mut scene = Scene::default();
        for tid in 1..=4 {
            scene.add(tid, false);
        }
        for _ in 0..20 {
            let all: Vec<(i32, Did)> = (1..=4).map(|t| (t, Did::Syscalls(50))).collect();
            assert_eq!(scene.tick(&all), []);
        }
    }

    #[test]
    fn a_computing_tracee_beside_a_syscall_heavy_one_is_the_one_widened() {
        let mut scene = Scene::default();
        scene.add(1, false);
        scene.add(2, false);
        let mut moves = Vec::new();
        for _ in 0..WIDEN_AFTER_TICKS {
            moves.extend(scene.tick(&[
                (1, Did::Syscalls(30)),
                (2, Did::Computed(COMPUTING_MAX_RESUMES)),
            ]));
        }
        assert_eq!(moves, [Move::Widen(2)]);
    }

    #[test]
    fn a_tracee_resumed_more_than_the_computing_bound_is_not_computing() {
        let mut scene = Scene::default();
        scene.add(1, false);
        scene.add(2, false);
        let busy = [
            (1, Did::Computed(COMPUTING_MAX_RESUMES + 1)),
            (2, Did::Computed(COMPUTING_MAX_RESUMES + 1)),
        ];
        for _ in 0..10 {
            assert_eq!(scene.tick(&busy), []);
        }
    }

    #[test]
    fn a_widened_tracee_comes_back_when_alone() {
        let mut scene = Scene::default();
        scene.add(1, true);
        scene.add_as(2, false, true);
        let alone = [(1, Did::Computed(0)), (2, Did::Blocked)];
        for _ in 1..NARROW_AFTER_TICKS {
            assert_eq!(scene.tick(&alone), []);
        }
        assert!(
            scene.policy.any_widened(),
            "the tracer follows a widened tracee"
        );
        assert_eq!(scene.tick(&alone), [Move::Narrow(1)]);
        assert!(
            !scene.policy.any_widened(),
            "and comes home with the last one"
        );
        // Co-located again, and alone: it stays.
        for _ in 0..10 {
            assert_eq!(scene.tick(&alone), []);
        }
    }

    #[test]
    fn a_widened_tracee_that_turns_to_syscalls_comes_back_though_others_compute() {
        let mut scene = Scene::default();
        scene.add(1, true);
        scene.add(2, true);
        let turned = [
            (1, Did::Syscalls(SYSCALL_HEAVY_MIN_RESUMES / 2)),
            (2, Did::Computed(0)),
        ];
        for _ in 1..NARROW_AFTER_TICKS {
            assert_eq!(scene.tick(&turned), []);
        }
        assert_eq!(scene.tick(&turned), [Move::Narrow(1)]);
    }

    #[test]
    fn gone_tracees_are_forgotten() {
        let mut scene = Scene::default();
        scene.add(1, false);
        scene.add(2, false);
        scene.policy.retain(|tid| tid != 2);
        let only = [(1, Did::Computed(0))];
        for _ in 0..10 {
            assert_eq!(scene.tick(&only), [], "alone, tracee 1 is not widened");
        }
    }
}
