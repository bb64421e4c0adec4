//! Tampering (`-e inject=`, `-e fault=`): which traced calls are tampered with, counted
//! per syscall and per thread as strace counts them, and what is done at their entry
//! (a new number, memory pokes, a signal, a delay) and at their exit (the injected
//! result, pokes, a delay). The engine does the writing and the holding.

pub mod rules;

use rustc_hash::FxHashMap;

use rtrace_arch::{RegisterAbi, SyscallRecord};
use rtrace_engine::tamper::{self, WritePath};
use rtrace_engine::Resume;
use rtrace_render::line::Tampered;

use crate::filter::personality_designator;
use crate::say;
use rules::{Action, Outcome, Poke, Rule};

/// Every `inject=`/`fault=` expression and the invocation counts.
pub struct Tampering {
    /// In command-line order: for a syscall in several sets the last one counts, as
    /// each expression replaces the earlier ones' settings for its calls in strace.
    rules: Vec<Rule>,
    /// The rule (index) for a plan key, decided once per (audit arch, number).
    plans: FxHashMap<(u32, u64), Option<usize>>,
    /// Invocations seen, per thread, per (audit arch, number).
    counts: FxHashMap<i32, FxHashMap<(u32, u64), u32>>,
}

/// What was done to a call at its entry, kept until its exit.
#[derive(Debug, Clone, Copy)]
pub struct CallTampering {
    rule: usize,
    /// The number was replaced: the result is the outcome's.
    replaced: bool,
    /// `syscall=` ran a real call, which must succeed.
    substituted: bool,
    pub marks: Tampered,
}

impl Tampering {
    pub fn new(rules: Vec<Rule>) -> Option<Self> {
        (!rules.is_empty()).then(|| Tampering {
            rules,
            plans: FxHashMap::default(),
            counts: FxHashMap::default(),
        })
    }

    fn rule_for(
        &mut self,
        key: (u32, u64),
        name: Option<&str>,
        personality: &str,
    ) -> Option<usize> {
        let rules = &self.rules;
        *self.plans.entry(key).or_insert_with(|| {
            rules
                .iter()
                .rposition(|r| r.set.contains(name, Some(personality)))
        })
    }

    /// A traced call's entry stop. `key` is the session's plan key for the call (a
    /// demultiplexed socketcall's is its subcall's). Returns what was done and how the
    /// thread goes on, when the call is one to tamper with this time.
    pub fn entry(
        &mut self,
        pid: i32,
        arch: &dyn RegisterAbi,
        key: (u32, u64),
        record: &SyscallRecord,
    ) -> Option<(CallTampering, Resume)> {
        let name = record.desc.map(|d| d.name);
        let rule = self.rule_for(key, name, personality_designator(arch))?;
        let count = self.counts.entry(pid).or_default().entry(key).or_insert(0);
        *count = count.saturating_add(1);
        let action = &self.rules[rule].action;
        if !action.when.selects(*count) {
            return None;
        }
        let mut call = CallTampering {
            rule,
            replaced: false,
            substituted: false,
            marks: Tampered::default(),
        };
        let resume = Resume {
            signal: action.signal.unwrap_or(0),
            delay: action.delay_enter,
        };
        if action.outcome.is_some() {
            let number = match action.substitute {
                Some(name) => arch
                    .syscalls()
                    .by_name(name)
                    .map_or(u64::MAX, |d| u64::from(d.number) | arch.number_bits()),
                None => u64::MAX,
            };
            match tamper::set_syscall_number(pid, arch, number, WritePath::SyscallInfo) {
                Ok(_) => {
                    call.replaced = true;
                    call.substituted = number != u64::MAX;
                }
                Err(e) => say(format_args!(
                    "Failed to tamper with process {pid}: cannot change the syscall number: {}",
                    e.desc()
                )),
            }
        }
        if poke(pid, record, &action.poke_enter) {
            call.marks.args = true;
        }
        if action.delay_enter.is_some() {
            call.marks.delayed = true;
        }
        Some((call, resume))
    }

    /// The exit stop of a call tampered with at entry: the injected result written, the
    /// exit pokes and delay done. Returns the result the call now has and how the thread
    /// goes on.
    pub fn exit(
        &mut self,
        pid: i32,
        arch: &dyn RegisterAbi,
        call: &mut CallTampering,
        record: &SyscallRecord,
        (value, is_error): (i64, bool),
    ) -> ((i64, bool), Resume) {
        let action: &Action = &self.rules[call.rule].action;
        let mut resume = Resume::default();
        if poke(pid, record, &action.poke_exit) {
            call.marks.args = true;
        }
        if let Some(delay) = action.delay_exit {
            resume.delay = Some(delay);
            call.marks.delayed = true;
        }
        let Some(outcome) = action.outcome.filter(|_| call.replaced) else {
            return ((value, is_error), resume);
        };
        // -1 must have failed (ENOSYS), a substitute call must have succeeded: anything
        // else means the call ran as it was, and its result stays.
        let expected_error = !call.substituted;
        if is_error != expected_error {
            say(format_args!(
                "Failed to tamper with process {pid}: unexpectedly got {}error (return value {:#x}, error {})",
                if call.substituted { "" } else { "no " },
                if is_error { u64::MAX } else { value as u64 },
                if is_error { -value } else { 0 },
            ));
            return ((value, is_error), resume);
        }
        let (new_value, new_error) = match outcome {
            Outcome::Error(errno) => (-i64::from(errno), true),
            Outcome::Retval(v) => (v as i64, false),
        };
        match tamper::set_syscall_return(pid, arch, new_value, new_error, WritePath::SyscallInfo) {
            Ok(_) => {
                call.marks.result = true;
                ((new_value, new_error), resume)
            }
            Err(e) => {
                say(format_args!(
                    "Failed to tamper with process {pid}: cannot change the result: {}",
                    e.desc()
                ));
                ((value, is_error), resume)
            }
        }
    }

    /// The thread is gone: its counts go with it (a new thread counts from 1).
    pub fn forget(&mut self, pid: i32) {
        self.counts.remove(&pid);
    }
}

/// Writes each poke where its argument points; true when any was written.
fn poke(pid: i32, record: &SyscallRecord, pokes: &[Poke]) -> bool {
    let mut poked = false;
    let nargs = record.desc.map_or(6, |d| usize::from(d.nargs));
    for p in pokes {
        let arg = usize::from(p.arg);
        if arg > nargs || arg > record.args.len() {
            let name = record.desc.map_or("?", |d| d.name);
            say(format_args!(
                "Failed to tamper with process {pid}: requested to tamper with argument #{arg}, but system call '{name}' has only {nargs} arguments"
            ));
            continue;
        }
        match tamper::write_memory(pid, record.args[arg - 1], &p.data) {
            Ok(()) => poked = true,
            Err(_) => say(format_args!(
                "Failed to tamper with process {pid}: couldn't poke"
            )),
        }
    }
    poked
}
