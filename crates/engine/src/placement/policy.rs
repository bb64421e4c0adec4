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
//!
//! The word also says whether the tracee ever forked or cloned (a *parent*: make, a
//! shell, a compiler driver, a thread pool's first thread), and the watchdog tells each
//! tick how much of it the tracer itself spent handling stops. Tracees that make
//! syscalls together beside a tracer with time to spare are held back by the one CPU
//! they share rather than by the tracer: they get the others.

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
/// How many ticks in a row a widened tracee must be the only one wanting a CPU before
/// it comes back to the tracer's CPU.
pub(crate) const NARROW_AFTER_TICKS: u32 = 2;
/// Below this share of a tick spent by the tracer (in percent), two tracees wanting a
/// CPU together are spread: the shared CPU, not the tracer, is what they wait for.
/// Four threads calling getppid keep the tracer busy 60% of the time; two compilers'
/// drivers, assemblers and linkers starting up under make -j, 40% (median).
pub(crate) const SPREAD_MAX_TRACER_PERCENT: u64 = 50;

/// The activity word's bit 0: the last resume let the tracee run in user space.
const IN_USER: u64 = 1;
/// The activity word's bit 1: the tracee has forked or cloned.
const PARENT: u64 = 2;
/// The activity word's resume count starts at this bit.
const RESUMES_SHIFT: u32 = 2;

/// What the wait loop records about one tracee, read by the watchdog: the number of
/// resumes shifted left by [`RESUMES_SHIFT`], with [`IN_USER`] set when the last resume
/// let it run in user space and [`PARENT`] once it has forked or cloned. One relaxed
/// store per resume on the hot path.
#[derive(Debug, Default)]
pub(crate) struct Activity(AtomicU64);

impl Activity {
    /// Records a resume; `into_user` is false when the tracee goes on into a syscall
    /// (resumed from its entry stop).
    pub(crate) fn resumed(&self, into_user: bool) {
        // Only the wait loop writes the word (`forked` too), so load-then-store loses
        // nothing.
        let word = self.0.load(Ordering::Relaxed);
        let resumes = (word >> RESUMES_SHIFT).wrapping_add(1);
        self.0.store(
            (resumes << RESUMES_SHIFT) | (word & PARENT) | if into_user { IN_USER } else { 0 },
            Ordering::Relaxed,
        );
    }

    /// Records that the tracee forked or cloned: its children start with its affinity.
    pub(crate) fn forked(&self) {
        self.0.fetch_or(PARENT, Ordering::Relaxed);
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
    /// Ticks in a row it was widened and alone in wanting a CPU.
    narrow_ticks: u32,
    /// At the last tick: it made syscalls during the tick or was in user space.
    wants_cpu: bool,
    widened: bool,
}

/// The decisions, tick by tick. Tracees are co-located with the tracer (one CPU, cheap
/// stops) until one computes while another one also wants a CPU: that one gets the
/// full affinity. Tracees that make syscalls are spread too when two that never forked
/// want a CPU at once while the tracer had half the tick to spare. A widened tracee
/// comes back once it has been the only one wanting a CPU for a while.
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

    /// One tick, `elapsed` since the last one, of which the tracer's wait loop spent
    /// `tracer_cpu` on a CPU: `word_of` gives each watched tracee's current activity
    /// word. Returns the moves to make; the policy assumes they are made. Over a tick
    /// longer than [`TICK_MS`] (the watchdog backed off) the thresholds grow with its
    /// length, so that they keep meaning a rate.
    pub(crate) fn tick(
        &mut self,
        elapsed: Duration,
        tracer_cpu: Duration,
        mut word_of: impl FnMut(i32) -> u64,
    ) -> Vec<Move> {
        // A threshold of N a tick is N * length / TICK_MS over a tick of that length
        // (never less than N: a tick cut short is judged as a whole one).
        let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        let tick_us = TICK_MS * 1000;
        let length_us = micros(elapsed).max(tick_us);
        let per_tick = |n: u64| n.saturating_mul(length_us) / tick_us;
        // The tracer's share is of the time that passed, a short tick included.
        let tracer_spare = micros(tracer_cpu).saturating_mul(100)
            < SPREAD_MAX_TRACER_PERCENT.saturating_mul(micros(elapsed).max(1));
        let mut wanting = 0usize;
        // Tracees wanting a CPU that never forked, and co-located ones.
        let mut workers_wanting = 0usize;
        let mut home_wanting = 0usize;
        for w in &mut self.watched {
            let word = word_of(w.tid);
            let resumes = (word >> RESUMES_SHIFT).wrapping_sub(w.last_word >> RESUMES_SHIFT);
            let in_user = word & IN_USER != 0;
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

            // Not wanting a CPU: blocked in one syscall for the whole tick.
            w.wants_cpu = resumes > 0 || in_user;
            wanting += usize::from(w.wants_cpu);
            workers_wanting += usize::from(w.wants_cpu && word & PARENT == 0);
            home_wanting += usize::from(w.wants_cpu && !w.widened);
        }
        // Two workers want a CPU and the tracer is not what holds them back: every
        // co-located tracee that wants one is widened, parents too, so that the children
        // they start meanwhile start on every CPU. Parents do not count towards the two:
        // fork-exec's parent, in fork or wait4 at every tick beside its child of the
        // moment, would spread a program that only ever runs one process at a time.
        let spread = tracer_spare && workers_wanting >= 2 && home_wanting > 0;
        let mut moves = Vec::new();
        for w in &mut self.watched {
            let others_want = wanting > usize::from(w.wants_cpu);
            if !w.widened {
                let computes = w.computing_ticks >= WIDEN_AFTER_TICKS;
                if others_want && (computes || (spread && w.wants_cpu)) {
                    w.widened = true;
                    w.narrow_ticks = 0;
                    moves.push(Move::Widen(w.tid));
                }
            } else if others_want {
                // Widened tracees that turn to syscalls together stay spread: bringing
                // them back while others want a CPU, as this policy once did, measured
                // slower on make -j and on threads that compute, then call getppid
                // (PERFORMANCE.md).
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
        /// The share of each tick the tracer spends handling stops, in percent.
        tracer_percent: u32,
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

        /// A scene where the tracer spends most of each tick on stops: only computing
        /// tracees are widened.
        fn busy_tracer() -> Scene {
            Scene {
                tracer_percent: 60,
                ..Scene::default()
            }
        }

        /// A tracee that has forked, `blocked` in a syscall or not.
        fn add_parent(&mut self, tid: i32, blocked: bool) {
            self.add_as(tid, false, blocked);
            self.words[&tid].forked();
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
                    if activity.word() & IN_USER != 0 {
                        activity.resumed(false);
                    }
                }
            }
            let words = &self.words;
            let tracer_cpu = length * self.tracer_percent / 100;
            self.policy
                .tick(length, tracer_cpu, |tid| words[&tid].word())
        }
    }

    #[test]
    fn the_activity_word_counts_resumes_and_says_where_they_went() {
        let activity = Activity::default();
        assert_eq!(activity.word(), 0);
        activity.resumed(false);
        assert_eq!(activity.word(), 0b100, "one resume, into a syscall");
        activity.resumed(true);
        assert_eq!(activity.word(), 0b1001, "two resumes, into user space");
        activity.forked();
        activity.resumed(false);
        assert_eq!(
            activity.word(),
            0b1110,
            "three, into a syscall, after a fork"
        );
    }

    #[test]
    fn two_computing_tracees_are_widened_after_the_delay_not_before() {
        let mut scene = Scene::busy_tracer();
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
        let mut scene = Scene::busy_tracer();
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
        // while its children run. The tracer has time to spare, yet one worker alone
        // is not spread.
        let mut scene = Scene::default();
        scene.add_parent(1, false);
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
        let mut scene = Scene::busy_tracer();
        scene.add_parent(1, true);
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
        let mut scene = Scene::busy_tracer();
        scene.add(1, false);
        scene.add(2, false);
        // Resumed 5 times a short tick: over the long one a count above the computing
        // bound, a rate within it.
        let rate = COMPUTING_MAX_RESUMES / 2;
        let computing = [(1, Did::Computed(rate * 8)), (2, Did::Computed(rate * 8))];
        const { assert!(COMPUTING_MAX_RESUMES / 2 * 8 > COMPUTING_MAX_RESUMES) };
        let mut moves = Vec::new();
        for _ in 0..WIDEN_AFTER_TICKS {
            moves.extend(scene.tick_over(long, &computing));
        }
        assert_eq!(moves, [Move::Widen(1), Move::Widen(2)]);
        // Above the rate, tracee 3 is not computing.
        scene.add(3, false);
        let fast = (COMPUTING_MAX_RESUMES + 1) * 8;
        for _ in 0..10 {
            let doings = [
                (1, Did::Computed(8)),
                (2, Did::Computed(8)),
                (3, Did::Computed(fast)),
            ];
            assert_eq!(scene.tick_over(long, &doings), []);
        }
    }

    #[test]
    fn one_computing_tracee_among_blocked_ones_stays_on_the_tracers_cpu() {
        // make -j1: make and gcc's driver wait, one compiler computes.
        let mut scene = Scene::default();
        scene.add_parent(1, true);
        scene.add_parent(2, true);
        scene.add(3, false);
        for _ in 0..20 {
            let moves = scene.tick(&[(1, Did::Blocked), (2, Did::Blocked), (3, Did::Computed(1))]);
            assert_eq!(moves, []);
        }
    }

    #[test]
    fn tracees_making_syscalls_stay_beside_a_busy_tracer() {
        // The threads workload: every thread makes syscalls, none computes, and the
        // tracer spends most of each tick on their stops.
        let mut scene = Scene::busy_tracer();
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
        let mut scene = Scene::busy_tracer();
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
        let mut scene = Scene::busy_tracer();
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
    fn a_widened_tracee_that_turns_to_syscalls_stays_while_others_want_a_cpu() {
        let mut scene = Scene::busy_tracer();
        scene.add(1, true);
        scene.add(2, true);
        let turned = [(1, Did::Syscalls(50)), (2, Did::Computed(0))];
        for _ in 0..10 {
            assert_eq!(scene.tick(&turned), []);
        }
    }

    #[test]
    fn workers_making_syscalls_together_are_spread_while_the_tracer_has_time() {
        // make -j2: two compilers' drivers start up on the tracer's CPU, which spends
        // 40% of the tick on their stops.
        let mut scene = Scene {
            tracer_percent: 40,
            ..Scene::default()
        };
        scene.add(1, false);
        scene.add(2, false);
        let both = [(1, Did::Syscalls(30)), (2, Did::Syscalls(20))];
        assert_eq!(scene.tick(&both), [Move::Widen(1), Move::Widen(2)]);
        for _ in 0..10 {
            assert_eq!(scene.tick(&both), []);
        }
        // One waits for its compiler (entering its wait4 during the first tick): the
        // other comes back after the delay. The blocked one wants no CPU and stays.
        let one = [(1, Did::Syscalls(30)), (2, Did::Blocked)];
        let mut moves = Vec::new();
        for _ in 0..=NARROW_AFTER_TICKS {
            moves.extend(scene.tick(&one));
        }
        assert_eq!(moves, [Move::Narrow(1)]);
    }

    #[test]
    fn at_half_the_tick_the_tracer_has_no_time_to_spare() {
        let mut scene = Scene {
            tracer_percent: u32::try_from(SPREAD_MAX_TRACER_PERCENT).unwrap(),
            ..Scene::default()
        };
        scene.add(1, false);
        scene.add(2, false);
        let both = [(1, Did::Syscalls(30)), (2, Did::Syscalls(20))];
        for _ in 0..10 {
            assert_eq!(scene.tick(&both), []);
        }
        scene.tracer_percent -= 1;
        assert_eq!(scene.tick(&both), [Move::Widen(1), Move::Widen(2)]);
    }

    #[test]
    fn parents_are_spread_with_the_workers_but_never_count_as_one() {
        let mut scene = Scene::default();
        // make, waking to start a job and back in its wait at the tick, and one
        // compiler driver: one worker.
        scene.add_parent(1, false);
        scene.add(2, false);
        let starting = [(1, Did::ComputedIntoSyscall(4)), (2, Did::Syscalls(30))];
        for _ in 0..10 {
            assert_eq!(scene.tick(&starting), []);
        }
        // A second driver: two workers, and make goes with them, so that the jobs it
        // starts meanwhile start on every CPU.
        scene.add(3, false);
        let two = [
            (1, Did::ComputedIntoSyscall(4)),
            (2, Did::Syscalls(30)),
            (3, Did::Syscalls(30)),
        ];
        assert_eq!(
            scene.tick(&two),
            [Move::Widen(1), Move::Widen(2), Move::Widen(3)]
        );
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
