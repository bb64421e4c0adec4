//! One trace session: the engine's stops go through the arch layer and the decoders,
//! are filtered by the `-e` expressions, and reach the [`Printer`].

use rustc_hash::FxHashMap;
use std::time::{Duration, Instant};

use rtrace_arch::multiplexed::{self, Demultiplexed};
use rtrace_arch::{is_error_return, word_from_bytes, RegisterAbi, SyscallRecord};
use rtrace_decode::{
    CallContext, DecodeOptions, DecodeStatus, Decoded, DecoderRef, DecoderRegistry, Emitter,
    HostBinding, Phase, RawReason, TraceeAccess,
};
use rtrace_engine::{ExitKind, Observer, Resume, StopAction, SyscallStop};
use rtrace_plugin_api::{PidKind, ReturnStyle, StrStyle, Token};
use rtrace_render::dump::{write_dump, CallDump};
use rtrace_render::{OpenCall, Return};
use rtrace_stack::Frame;

use crate::arches::Arches;
use crate::dumps::{dump_call, DumpedCall};
use crate::fds::fd_target;
use crate::filter::{personality_designator, Filters, Quiet};
use crate::printer::{wall_now, JsonFacts, Printer};
use crate::stacks::StackTraces;
use crate::stop_read_cache::EngineAccess;
use crate::summaries::Summaries;
use crate::tamper::{CallTampering, Tampering};

/// Marks the plan key of a demultiplexed call (a socketcall's subcall), whose numbers
/// are strace's and may coincide with a real syscall's.
const DEMULTIPLEXED: u64 = 1 << 63;

/// What the session does besides printing.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// `-s`, `-v`, `-x`: what decoders are told.
    pub decode: DecodeOptions,
    /// Print the trace lines (not with `-c`).
    pub print_trace: bool,
    /// Count calls for the summary (`-c`, `-C`).
    pub count: bool,
    /// The summary counts wall-clock time (`-w`) rather than system CPU time.
    pub wall_clock: bool,
    /// Calls are timed from entry to exit (`-T`, `-c -w`, `--json`).
    pub time_calls: bool,
    /// `-b execve`.
    pub detach_on_execve: bool,
    /// `-q`, `--quiet=`: the messages not shown (attach/detach and personality also
    /// implied, as by strace, when a launched command's trace goes to a file).
    pub quiet: Quiet,
    /// `--syscall-limit`: detach from everything after this many calls were shown.
    pub syscall_limit: Option<u64>,
}

/// A syscall between its entry and its exit.
struct CallInProgress {
    arch: &'static dyn RegisterAbi,
    record: SyscallRecord,
    decoder: Option<DecoderRef>,
    /// Shown raw (no decoder, `-e raw=`, or the decoder declined or panicked at entry).
    raw: Option<RawReason>,
    decode_options: DecodeOptions,
    scratch: [u64; 4],
    /// Arguments the entry emitted (`CallContext::args_at_entry`), handed back at exit.
    args_at_entry: u32,
    open: OpenCall,
    /// The call passed the filters and its lines are printed.
    shown: bool,
    /// Printing waits for the exit (a status filter, JSON, or no text): the entry's tokens.
    deferred_entry: Option<(Emitter, DecodeStatus)>,
    /// The entry's tokens kept for the JSON event while its text was printed at entry
    /// (a text trace and a timeline from the same run).
    json_entry: Option<Emitter>,
    /// When the entry was seen, if anything needs the call's duration (`-T`, `-c -w`,
    /// `--json`): reading the clock is skipped otherwise.
    started: Option<Instant>,
    started_cpu: Duration,
    /// Wall-clock time at entry, for JSON.
    started_wall: Duration,
    /// The stack pointer at entry, handed to the decoder in both phases.
    stack_pointer: u64,
    /// Where the call's real result is (shmat through ipc stores it there and returns 0).
    result_at: Option<u64>,
    /// What `-e inject=` did at entry; the rest is done at exit.
    tampering: Option<CallTampering>,
}

#[derive(Default)]
struct ThreadState {
    /// The launched command before its execve: nothing is shown yet.
    before_exec: bool,
    call: Option<CallInProgress>,
    /// The latest syscall's number and instruction pointer, which strace's `-n` and
    /// `-i` repeat on the signal and exit lines that follow it.
    last_number: Option<u64>,
    last_ip: Option<u64>,
    /// The personality (ABI name) of the thread's latest syscall entry; `None` until the
    /// thread's first stop, which takes the session's current one as strace does.
    personality: Option<&'static str>,
    /// The name of the thread's latest syscall other than restart_syscall: the call a
    /// restart_syscall resumes.
    resumable: Option<&'static str>,
}

/// What a syscall-entry stop says.
#[derive(Clone, Copy)]
struct EntryFacts {
    number: u64,
    args: [u64; 6],
    instruction_pointer: Option<u64>,
    /// 0 when unknown (registers fallback).
    stack_pointer: u64,
}

/// How a syscall number is handled, decided once per (arch, number).
#[derive(Clone, Copy)]
struct Plan {
    traced: bool,
    raw: bool,
    /// Structures in full (`-v`, `-e abbrev=none`).
    unabbreviated: bool,
    /// Structures read at all (`-e verbose=`).
    dereference: bool,
    decoder: Option<DecoderRef>,
}

/// Everything the observer needs to turn stops into output.
pub struct Session {
    arches: Arches,
    registry: DecoderRegistry,
    filters: Filters,
    options: SessionOptions,
    pub printer: Printer,
    pub summaries: Summaries,
    /// `-k`: the stack walked and printed after each shown call.
    pub stacks: Option<StackTraces>,
    // Looked up at every stop: small integer keys want a fast hash, not SipHash.
    threads: FxHashMap<i32, ThreadState>,
    plans: FxHashMap<(u32, u64), Plan>,
    /// Reused for every decode.
    emitter: Emitter,
    /// Tracee memory, cached within one stop.
    access: EngineAccess,

    unknown_name: String,
    /// strace's current personality: the ABI of the latest syscall entry of any thread,
    /// which a new thread starts in.
    current_personality: &'static str,
    /// `--syscall-limit`: calls still to show; at 0 every tracee is detached.
    calls_left: Option<u64>,
    /// The text of a `-e read=`/`-e write=` dump, reused.
    dump: Vec<u8>,
    /// `-e inject=`, `-e fault=`.
    tampering: Option<Tampering>,
    /// How the thread of the latest syscall stop goes on, when tampering said.
    resume: Option<(i32, Resume)>,
}

impl Session {
    pub fn new(
        arches: Arches,
        registry: DecoderRegistry,
        mut filters: Filters,
        options: SessionOptions,
        printer: Printer,
        summaries: Summaries,
    ) -> Self {
        Session {
            calls_left: options.syscall_limit,
            tampering: Tampering::new(std::mem::take(&mut filters.tamper)),
            resume: None,
            registry,
            filters,
            options,
            printer,
            summaries,
            stacks: None,
            threads: FxHashMap::default(),
            plans: FxHashMap::default(),
            emitter: Emitter::default(),
            access: EngineAccess::default(),

            unknown_name: String::new(),
            current_personality: arches.native().name(),
            dump: Vec::new(),
            arches,
        }
    }

    /// The launched command: hidden until its execve.
    pub fn launched(&mut self, pid: i32) {
        self.threads.insert(
            pid,
            ThreadState {
                before_exec: true,
                ..ThreadState::default()
            },
        );
    }

    /// An attached thread.
    pub fn attached(&mut self, pid: i32) {
        self.threads.entry(pid).or_default();
        self.printer.set_live_tracees(self.threads.len());
        self.printer.attached(pid);
    }

    fn forget_thread(&mut self, pid: i32) {
        self.threads.remove(&pid);
        if let Some(tampering) = self.tampering.as_mut() {
            tampering.forget(pid);
        }
        self.printer.set_live_tracees(self.threads.len());
    }

    /// `kernel_number` as the stop reported it: x86_64 and x32 share an audit arch and
    /// their table numbers overlap, their kernel numbers do not.
    fn plan(
        &mut self,
        arch: &'static dyn RegisterAbi,
        kernel_number: u64,
        record: &SyscallRecord,
    ) -> Plan {
        let key = (arch.audit_arch(), kernel_number);
        if let Some(plan) = self.plans.get(&key) {
            return *plan;
        }
        let name = record.desc.map(|d| d.name);
        let personality = Some(personality_designator(arch));
        let traced = self.filters.trace.contains(name, personality);
        let plan = Plan {
            traced,
            raw: self.filters.raw.contains(name, personality),
            unabbreviated: !self.filters.abbrev.contains(name, personality),
            dereference: self.filters.verbose.contains(name, personality),
            // A call not traced is never decoded: its family's library stays unopened.
            decoder: name
                .filter(|_| traced)
                .and_then(|n| self.registry.decoder_for(n)),
        };
        // A plugin library is opened when a call first needs it; if that fails, say so
        // once: its calls go on, shown raw.
        for failure in self.registry.take_open_failures() {
            crate::say(format_args!("{failure}; its calls are shown raw"));
        }
        self.plans.insert(key, plan);
        plan
    }

    /// Whether the decoded entry touches a `-P` path or fd, or a `--trace-fds` fd.
    fn selected(&self, pid: i32, emitter: &Emitter) -> bool {
        if !self.filters.selects_by_arguments() {
            return true;
        }
        let paths = &self.filters.trace_paths;
        let by_fd = self.filters.trace_fds.as_ref();
        emitter.tokens.iter().any(|token| match *token {
            Token::Bytes {
                start,
                len,
                style: StrStyle::Path,
                ..
            } => {
                let bytes = emitter.arena(start, len);
                paths.iter().any(|p| p.as_slice() == bytes)
            }
            // The fd's current target decides, so a reused fd number never drags in an
            // unrelated file.
            Token::Fd(fd) | Token::Dirfd(fd) if fd >= 0 => {
                by_fd.is_some_and(|set| set.contains(fd))
                    || (!paths.is_empty() && fd_target(pid, fd).is_some_and(|t| paths.contains(&t)))
            }
            _ => false,
        })
    }

    fn entry(
        &mut self,
        pid: i32,
        arch: &'static dyn RegisterAbi,
        stop: EntryFacts,
        cpu: Duration,
    ) -> StopAction {
        let EntryFacts {
            number,
            args,
            instruction_pointer: ip,
            stack_pointer,
        } = stop;
        let mut record = arch.record(number, args);
        // A socketcall or ipc shows as the call it stands for; its plan is that call's.
        let mut plan_number = number;
        let mut result_at = None;
        if let Some(sub) = self.demultiplex(pid, arch, &record) {
            record = sub.record;
            result_at = sub.result_at;
            plan_number = DEMULTIPLEXED | record.number;
        }
        let name = record.desc.map(|d| d.name);
        if let Some(stacks) = &mut self.stacks {
            stacks.entered(name);
        }
        self.update_personality(pid, arch);
        let state = self.threads.entry(pid).or_default();
        let is_exec = matches!(name, Some("execve" | "execveat"));
        // `-b execve`: the call is shown up to its entry, then the process is let go.
        let mut action = StopAction::Continue;
        if state.before_exec {
            if !is_exec {
                return StopAction::IgnoreExit;
            }
            state.before_exec = false;
        } else if is_exec && self.options.detach_on_execve {
            action = StopAction::Detach;
        }
        state.last_number = Some(record.number);
        state.last_ip = ip;
        // restart_syscall names the call it resumes, which only this per-thread record
        // knows (strace keeps the same); no decoder sees other calls.
        let resumes = state.resumable;
        if name != Some("restart_syscall") {
            state.resumable = name;
        }
        let plan = self.plan(arch, plan_number, &record);
        // `--syscall-limit` reached: nothing more is shown while the engine detaches.
        if !plan.traced || self.calls_left == Some(0) {
            return match action {
                StopAction::Continue => StopAction::IgnoreExit,
                other => other,
            };
        }
        let mut decode_options = self.options.decode;
        decode_options.verbose = plan.unabbreviated;
        decode_options.dereference = plan.dereference;
        let mut call = CallInProgress {
            arch,
            record,
            decoder: plan.decoder,
            raw: None,
            decode_options,
            scratch: [0; 4],
            args_at_entry: 0,
            open: OpenCall::default(),
            shown: self.options.print_trace,
            deferred_entry: None,
            json_entry: None,
            started: self.options.time_calls.then(Instant::now),
            started_cpu: cpu,
            stack_pointer,
            result_at,
            tampering: None,
            started_wall: if self.printer.needs_json() {
                wall_now()
            } else {
                Duration::ZERO
            },
        };
        // Tampering comes before decoding (poked memory shows in the arguments), but
        // after `-P`/`--trace-fds` chose the call, which takes a decoding first: then
        // the arguments show as they were before any poke, as strace 7.2 shows them.
        let key = (arch.audit_arch(), plan_number);
        let by_arguments = self.filters.selects_by_arguments();
        if !by_arguments {
            self.tamper_entry(pid, key, &mut call);
        }
        if call.shown || by_arguments {
            let status = if name == Some("restart_syscall") && !plan.raw {
                resuming(&mut self.emitter, resumes);
                DecodeStatus::Complete
            } else {
                self.decode_entry(pid, &mut call, plan)
            };
            if !self.selected(pid, &self.emitter) {
                // Neither shown nor counted (`-P`, `--trace-fds`).
                return match action {
                    StopAction::Continue => StopAction::IgnoreExit,
                    other => other,
                };
            }
            if by_arguments {
                self.tamper_entry(pid, key, &mut call);
            }
            if call.shown {
                self.printer.stamp(Some(call.record.number), ip);
                if self.filters.status.is_all() && self.printer.prints_text() {
                    let name = display_name(&call.record, &mut self.unknown_name);
                    self.printer
                        .syscall_entry(pid, name, &self.emitter, status, &mut call.open);
                    if self.printer.needs_json() {
                        call.json_entry = Some(self.emitter.clone());
                    }
                } else {
                    call.deferred_entry = Some((self.emitter.clone(), status));
                }
            }
        }
        if call.shown && StackTraces::walks_at_entry(name) {
            if let Some(stacks) = &mut self.stacks {
                stacks.hold(pid, arch.name(), self.arches.native());
            }
        }
        self.threads.entry(pid).or_default().call = Some(call);
        action
    }

    /// `-e inject=` at a traced call's entry.
    fn tamper_entry(&mut self, pid: i32, key: (u32, u64), call: &mut CallInProgress) {
        let Some(tampering) = self.tampering.as_mut() else {
            return;
        };
        if let Some((done, resume)) = tampering.entry(pid, call.arch, key, &call.record) {
            call.tampering = Some(done);
            self.resume = Some((pid, resume));
        }
    }

    /// The call a `socketcall` or an `ipc` stands for, with its arguments in the direct
    /// call's order (a socketcall's read from the tracee's array).
    fn demultiplex(
        &self,
        pid: i32,
        arch: &dyn RegisterAbi,
        record: &SyscallRecord,
    ) -> Option<Demultiplexed> {
        match record.desc?.name {
            "socketcall" => {
                let sub = multiplexed::subcall(record.args[0])?;
                let words = self.read_words(pid, arch, record.args[1], usize::from(sub.nargs))?;
                let record = multiplexed::demultiplex_socketcall(record, &words)?;
                Some(Demultiplexed {
                    record,
                    result_at: None,
                })
            }
            "ipc" => multiplexed::demultiplex_ipc(record, |addr| {
                let words = self.read_words(pid, arch, addr, 2)?;
                Some([words[0], words[1]])
            }),
            _ => None,
        }
    }

    /// `count` (at most 6) words of the tracee's width at `addr`, zero-extended; `None`
    /// unless all could be read.
    fn read_words(
        &self,
        pid: i32,
        arch: &dyn RegisterAbi,
        addr: u64,
        count: usize,
    ) -> Option<Vec<u64>> {
        let word = usize::from(arch.word_size());
        let mut bytes = [0u8; 6 * 8];
        let len = count.min(6) * word;
        let read = self.access.read_memory(pid, addr, &mut bytes[..len]).ok()?;
        if read < len {
            return None;
        }
        let words = bytes[..len]
            .chunks_exact(word)
            .map(|chunk| word_from_bytes(chunk, arch.big_endian()))
            .collect();
        Some(words)
    }

    /// strace's personality change: at a syscall entry in another ABI than the thread's
    /// last one, `[ Process PID=N runs in 32 bit mode. ]` (not with `-q`).
    fn update_personality(&mut self, pid: i32, arch: &'static dyn RegisterAbi) {
        let current = self.current_personality;
        self.current_personality = arch.name();
        let state = self.threads.entry(pid).or_default();
        let previous = *state.personality.get_or_insert(current);
        if previous == arch.name() {
            return;
        }
        state.personality = Some(arch.name());
        // Printed with -c too, as strace does; not before the launched command's execve.
        let hidden = state.before_exec;
        if !self.options.quiet.personality && !hidden && self.printer.prints_text() {
            let (number, ip) = self.last_syscall(pid);
            self.printer.stamp(number, ip);
            self.printer.personality(pid, arch.mode());
        }
    }

    /// Runs the entry half of the decoder (or the raw fallback) into the emitter.
    fn decode_entry(&mut self, pid: i32, call: &mut CallInProgress, plan: Plan) -> DecodeStatus {
        let name = display_name(&call.record, &mut self.unknown_name);
        let binding = HostBinding::new(
            &self.access,
            pid,
            call.arch.word_size(),
            call.arch.big_endian(),
        )
        .with_pointer_size(call.arch.pointer_size());
        let mut ctx = call_context(&binding, name, call, call.decode_options);
        let nargs = call.record.desc.map_or(6, |d| d.nargs as usize);
        let decoder = if plan.raw { None } else { plan.decoder };
        let status = match self.registry.decode_or_raw(
            decoder,
            Phase::Entry,
            &mut ctx,
            &mut self.emitter,
            nargs,
        ) {
            Decoded::Ok(status) => status,
            Decoded::Raw(reason) => {
                call.raw = Some(reason);
                DecodeStatus::Complete
            }
        };
        call.scratch = ctx.scratch;
        call.args_at_entry = ctx.args_at_entry;
        status
    }

    /// Runs the exit half into the emitter; returns how the result prints.
    fn decode_exit(
        &mut self,
        pid: i32,
        call: &CallInProgress,
        value: i64,
        is_error: bool,
    ) -> ReturnStyle {
        self.emitter.clear();
        if let Some(reason) = &call.raw {
            // A raw call shows its result raw too, as `strace -e raw=all` does.
            note_raw_reason(&mut self.emitter, reason);
            return ReturnStyle::Hex;
        }
        let name = display_name(&call.record, &mut self.unknown_name);
        if name == "restart_syscall" {
            // Shown at entry (`resuming`); its result is the resumed call's, in decimal.
            return ReturnStyle::Decimal;
        }
        let binding = HostBinding::new(
            &self.access,
            pid,
            call.arch.word_size(),
            call.arch.big_endian(),
        )
        .with_pointer_size(call.arch.pointer_size());
        let mut ctx = call_context(&binding, name, call, call.decode_options);
        ctx.retval = value;
        ctx.is_error = is_error;
        ctx.scratch = call.scratch;
        ctx.args_at_entry = call.args_at_entry;
        let nargs = call.record.desc.map_or(6, |d| d.nargs as usize);
        if let Decoded::Raw(reason) = self.registry.decode_or_raw(
            call.decoder,
            Phase::Exit,
            &mut ctx,
            &mut self.emitter,
            nargs,
        ) {
            note_raw_reason(&mut self.emitter, &reason);
        }
        self.emitter.return_style
    }

    fn exit(&mut self, pid: i32, value: i64, is_error: bool, cpu: Duration) {
        let Some(mut call) = self.threads.get_mut(&pid).and_then(|s| s.call.take()) else {
            return;
        };
        let (value, is_error) = match (call.tampering.as_mut(), self.tampering.as_mut()) {
            (Some(done), Some(tampering)) => {
                let (result, resume) =
                    tampering.exit(pid, call.arch, done, &call.record, (value, is_error));
                self.resume = Some((pid, resume));
                result
            }
            _ => (value, is_error),
        };
        if let Some(stacks) = &mut self.stacks {
            stacks.exited_call(display_name(&call.record, &mut self.unknown_name));
        }
        let mut value = call.arch.normalize_return(value);
        if let Some(addr) = call.result_at.filter(|_| !is_error) {
            if let Some(words) = self.read_words(pid, call.arch, addr, 1) {
                value = words[0] as i64;
            }
        }
        if !is_error {
            let name = display_name(&call.record, &mut self.unknown_name);
            self.printer.call_succeeded(pid, name, call.record.args[0]);
        }
        let elapsed = call.started.map(|t| t.elapsed());
        if self.options.count {
            let time = match elapsed {
                Some(elapsed) if self.options.wall_clock => elapsed,
                _ => cpu.saturating_sub(call.started_cpu),
            };
            let wall = elapsed.filter(|_| self.summaries.counts_wall_time());
            let name = display_name(&call.record, &mut self.unknown_name);
            self.summaries
                .record(call.arch, name, call.record.number, (time, wall), is_error);
        }
        let wanted = if is_error {
            self.filters.status.failed
        } else {
            self.filters.status.successful
        };
        if !call.shown {
            // `-c`: counted calls count towards `--syscall-limit` as shown ones do.
            if !self.options.print_trace && wanted {
                self.count_towards_limit();
            }
            return;
        }
        if call.deferred_entry.is_some() && !wanted {
            return;
        }
        self.count_towards_limit();
        let style = self.decode_exit(pid, &call, value, is_error);
        if self.filters.namespace_new && !is_error {
            self.note_namespaces(pid, &call, value);
        }
        // An address on a 32-bit ABI is a 32-bit number: 0xb6f35000, not sign-extended.
        let shown = match style {
            ReturnStyle::Hex | ReturnStyle::Octal if !is_error && call.arch.word_size() == 4 => {
                value as u32 as i64
            }
            _ => value,
        };
        let ret = Return {
            value: shown,
            is_error,
            style,
            duration: elapsed,
            tampered: call.tampering.map(|t| t.marks).unwrap_or_default(),
        };
        let stack = self
            .stacks
            .as_mut()
            .and_then(|s| s.walk(pid, call.arch.name(), self.arches.native()));
        let dump = self.dump_data(pid, &call, value, is_error);
        if self.printer.needs_json() {
            self.json_call(pid, &call, Some(ret), stack.as_deref(), dump.as_ref());
        }
        if self.printer.prints_text() {
            let name = display_name(&call.record, &mut self.unknown_name);
            let deferred = call.deferred_entry.as_ref().map(|(e, s)| (e, *s));
            self.printer
                .syscall_exit(pid, name, &self.emitter, &mut call.open, ret, deferred);
            if let Some(dump) = &dump {
                self.dump.clear();
                write_dump(&mut self.dump, pid, dump);
                self.printer.write_text(pid, &self.dump);
            }
            if let Some(frames) = &stack {
                self.printer.stack(pid, frames);
            }
        }
        if let (Some(stacks), Some(frames)) = (&mut self.stacks, stack) {
            stacks.give_back(frames);
        }
    }

    /// `-e namespace=new`: the namespaces the call entered, in its return's note.
    fn note_namespaces(&mut self, pid: i32, call: &CallInProgress, value: i64) {
        let Some(desc) = call.record.desc else {
            return;
        };
        let entered = crate::namespaces::entered(
            &crate::namespaces::NamespaceCall {
                pid,
                name: desc.name,
                args: call.record.args,
                value,
            },
            // clone3's struct starts with its 64-bit flags, whatever the personality.
            |addr| {
                let mut raw = [0u8; 8];
                let read = self.access.read_memory(pid, addr, &mut raw).ok()?;
                (read == 8).then(|| {
                    if call.arch.big_endian() {
                        u64::from_be_bytes(raw)
                    } else {
                        u64::from_le_bytes(raw)
                    }
                })
            },
            |child| self.printer.pid_in_tracer_ns(pid, child, PidKind::Tid),
        );
        if let Some(text) = entered {
            add_note(&mut self.emitter, &text);
        }
    }

    /// `--syscall-limit`: one more call shown; the last one asks the engine to detach
    /// from everything (strace's message first, unless `--quiet=attach`).
    fn count_towards_limit(&mut self) {
        let Some(left) = self.calls_left.as_mut() else {
            return;
        };
        *left = left.saturating_sub(1);
    }

    /// `-e read=`/`-e write=`: the call's data, when it is dumped.
    fn dump_data(
        &self,
        pid: i32,
        call: &CallInProgress,
        value: i64,
        is_error: bool,
    ) -> Option<CallDump> {
        if self.filters.dump_reads.is_none() && self.filters.dump_writes.is_none() {
            return None;
        }
        let desc = call.record.desc?;
        let access = &self.access;
        let read = |addr: u64, buf: &mut [u8]| access.read_memory(pid, addr, buf).ok();
        let dumped = DumpedCall {
            name: desc.name,
            args: call.record.args,
            value,
            is_error,
            layout: rtrace_sdk::kstruct::Layout {
                word: usize::from(call.arch.word_size()),
                big_endian: call.arch.big_endian(),
            },
        };
        dump_call(
            &dumped,
            self.filters.dump_reads.as_ref(),
            self.filters.dump_writes.as_ref(),
            &read,
        )
    }

    /// A thread's call that will never return (it exited, or exec replaced it).
    fn abandon_call(&mut self, pid: i32, stack: Option<&[Frame]>) {
        let Some(mut call) = self.threads.get_mut(&pid).and_then(|s| s.call.take()) else {
            return;
        };
        if !call.shown || (call.deferred_entry.is_some() && !self.filters.status.unfinished) {
            return;
        }
        if self.printer.needs_json() {
            self.json_call(pid, &call, None, stack, None);
        }
        if !self.printer.prints_text() {
            return;
        }
        let name = display_name(&call.record, &mut self.unknown_name);
        let deferred = call.deferred_entry.as_ref().map(|(e, s)| (e, *s));
        self.printer
            .syscall_no_return(pid, name, &mut call.open, deferred);
    }

    /// One JSON object for a call, from the tokens kept at entry and those of the exit.
    fn json_call(
        &mut self,
        pid: i32,
        call: &CallInProgress,
        ret: Option<Return>,
        stack: Option<&[Frame]>,
        dump: Option<&CallDump>,
    ) {
        let entry = match (&call.deferred_entry, &call.json_entry) {
            (Some((entry, _)), _) | (None, Some(entry)) => entry,
            (None, None) => return,
        };
        let nargs = call.record.desc.map_or(6, |d| d.nargs as usize).min(6);
        let facts = JsonFacts {
            timestamp: call.started_wall,
            name: display_name(&call.record, &mut self.unknown_name),
            number: call.record.number,
            arch: call.arch.name(),
            args: &call.record.args[..nargs],
            stack,
            dump,
        };
        self.printer
            .json_call(pid, &facts, entry, &self.emitter, ret);
    }

    fn last_syscall(&self, pid: i32) -> (Option<u64>, Option<u64>) {
        self.threads
            .get(&pid)
            .map_or((None, None), |s| (s.last_number, s.last_ip))
    }

    /// `-k` after a signal's line: the stack where it arrived, in the thread's
    /// personality.
    fn print_stack_now(&mut self, pid: i32) {
        let Some(stacks) = &mut self.stacks else {
            return;
        };
        let personality = self
            .threads
            .get(&pid)
            .and_then(|s| s.personality)
            .unwrap_or(self.current_personality);
        if !self.printer.prints_text() {
            return;
        }
        if let Some(frames) = stacks.walk(pid, personality, self.arches.native()) {
            self.printer.stack(pid, &frames);
            stacks.give_back(frames);
        }
    }

    /// Whether events of `pid` are shown: not before the launched command's execve,
    /// not with `-c`.
    fn shows(&self, pid: i32) -> bool {
        self.options.print_trace && !self.threads.get(&pid).is_some_and(|s| s.before_exec)
    }
}

fn call_context<'a, T: TraceeAccess>(
    binding: &'a HostBinding<'_, T>,
    name: &'a str,
    call: &CallInProgress,
    options: DecodeOptions,
) -> CallContext<'a> {
    let mut ctx = binding.call_context(name, call.record.number, call.record.args, options);
    ctx.audit_arch = call.arch.audit_arch();
    ctx.stack_pointer = call.stack_pointer;
    ctx.abi = call.arch.layout();
    ctx
}

/// The syscall's name, or strace's `syscall_0x1f4` for a number the table lacks.
fn display_name<'a>(record: &SyscallRecord, scratch: &'a mut String) -> &'a str {
    match record.desc {
        Some(desc) => desc.name,
        None => {
            use std::fmt::Write;
            scratch.clear();
            let _ = write!(scratch, "syscall_{:#x}", record.number);
            scratch
        }
    }
}

/// restart_syscall's one argument as strace shows it: `<... resuming interrupted
/// clock_nanosleep ...>`, naming the thread's previous call.
fn resuming(emitter: &mut Emitter, resumed: Option<&str>) {
    emitter.clear();
    let start = emitter.bytes.len() as u32;
    let text = format!(
        "<... resuming interrupted {} ...>",
        resumed.unwrap_or("system call")
    );
    emitter.bytes.extend_from_slice(text.as_bytes());
    emitter.tokens.push(Token::Text {
        start,
        len: text.len() as u32,
    });
}

/// Adds why a call is shown raw to its return annotation, when that is news.
fn note_raw_reason(emitter: &mut Emitter, reason: &RawReason) {
    if let RawReason::Panicked(message) = reason {
        add_note(emitter, &format!("rtrace: decoder panicked: {message}"));
    }
}

/// Adds `text` to the return's note (` = 0 (text)`), starting the note if the decoder
/// wrote none.
fn add_note(emitter: &mut Emitter, text: &str) {
    if !emitter
        .tokens
        .iter()
        .any(|t| matches!(t, Token::ReturnNote))
    {
        emitter.tokens.push(Token::ReturnNote);
    }
    let start = emitter.bytes.len() as u32;
    emitter.bytes.extend(text.bytes());
    emitter.tokens.push(Token::Text {
        start,
        len: text.len() as u32,
    });
}

impl Observer for Session {
    fn syscall(&mut self, pid: i32, stop: &SyscallStop, cpu_time: Duration) -> StopAction {
        self.access.invalidate();
        match *stop {
            SyscallStop::Entry {
                audit_arch,
                number,
                args,
                instruction_pointer,
                stack_pointer,
            } => {
                // A personality this build has no ABI for is still shown, raw.
                let arch = self
                    .arches
                    .for_stop(audit_arch, number)
                    .unwrap_or_else(|| self.arches.unknown(audit_arch));
                let facts = EntryFacts {
                    number,
                    args,
                    instruction_pointer: Some(instruction_pointer),
                    stack_pointer,
                };
                self.entry(pid, arch, facts, cpu_time)
            }
            SyscallStop::EntryRegs(ref regs) => {
                let arch = self.arches.native();
                let (number, args) = arch.entry_from_regs(regs);
                let facts = EntryFacts {
                    number,
                    args,
                    instruction_pointer: None,
                    stack_pointer: 0,
                };
                self.entry(pid, arch, facts, cpu_time)
            }
            SyscallStop::Exit {
                value, is_error, ..
            } => {
                self.exit(pid, value, is_error, cpu_time);
                StopAction::Continue
            }
            SyscallStop::ExitRegs(ref regs) => {
                let value = self.arches.native().return_from_regs(regs);
                self.exit(pid, value, is_error_return(value), cpu_time);
                StopAction::Continue
            }
        }
    }

    fn signal(&mut self, pid: i32, siginfo: &libc::siginfo_t) {
        if !self.shows(pid) || !self.filters.signals.contains(siginfo.si_signo) {
            return;
        }
        // SAFETY: siginfo_t is plain old data; viewing it as bytes is sound.
        let raw = unsafe {
            std::slice::from_raw_parts(
                siginfo as *const libc::siginfo_t as *const u8,
                std::mem::size_of::<libc::siginfo_t>(),
            )
        };
        let (number, ip) = self.last_syscall(pid);
        self.printer.stamp(number, ip);
        self.printer.signal(pid, raw);
        self.print_stack_now(pid);
    }

    fn group_stop(&mut self, pid: i32, signal: i32) {
        if !self.shows(pid) || !self.filters.signals.contains(signal) {
            return;
        }
        let (number, ip) = self.last_syscall(pid);
        self.printer.stamp(number, ip);
        self.printer.group_stop(pid, signal);
    }

    fn exec(&mut self, pid: i32, former_tid: i32) {
        if let Some(stacks) = &mut self.stacks {
            stacks.exec(pid, former_tid);
        }
        // Under --seccomp-bpf the first execve may not stop at all: its completion
        // still ends the launched command's hidden start-up.
        if let Some(state) = self.threads.get_mut(&former_tid) {
            state.before_exec = false;
        }
        if former_tid == pid {
            return;
        }
        // Another thread exec'd: the leader's line ends, the exec'ing thread takes its pid.
        self.threads.remove(&pid);
        if self.options.print_trace && !self.options.quiet.thread_execve {
            self.printer.stamp(None, None);
            self.printer.superseded(pid, former_tid);
        }
        if let Some(state) = self.threads.remove(&former_tid) {
            self.threads.insert(pid, state);
        }
        self.printer.set_live_tracees(self.threads.len());
    }

    fn new_tracee(&mut self, pid: i32) {
        self.threads.entry(pid).or_default();
        self.printer.set_live_tracees(self.threads.len());
    }

    fn exited(&mut self, pid: i32, how: ExitKind) {
        let shown = match how {
            ExitKind::Exited(_) => true,
            // strace hides a death by a signal the `-e signal=` set excludes.
            ExitKind::Killed { signal, .. } => self.filters.signals.contains(signal),
        };
        let held = self.stacks.as_mut().and_then(|s| s.take_held(pid));
        if self.shows(pid) && shown {
            let (number, _) = self.last_syscall(pid);
            self.printer.stamp(number, None);
            self.abandon_call(pid, held.as_deref());
            self.printer.exited(pid, how);
            // strace prints the frames of exit_group after `+++ exited`.
            if let Some(frames) = &held {
                self.printer.stack(pid, frames);
            }
        }
        if let Some(stacks) = &mut self.stacks {
            stacks.forget(pid);
        }
        self.printer.forget_tracee(pid);
        self.forget_thread(pid);
    }

    fn resume(&mut self, pid: i32) -> Resume {
        match self.resume.take() {
            Some((tid, resume)) if tid == pid => resume,
            _ => Resume::default(),
        }
    }

    fn detached(&mut self, pid: i32) {
        self.printer.detached(pid);
        self.forget_thread(pid);
        if !self.options.quiet.attach {
            crate::say(format_args!("Process {pid} detached"));
        }
    }

    fn stop_tracing(&mut self) -> bool {
        if self.calls_left != Some(0) {
            return false;
        }
        // Said once, after the last call's line (flushed first: they may share stderr).
        self.calls_left = None;
        if !self.options.quiet.attach {
            self.printer.flush();
            crate::say(format_args!(
                "System call limit has been reached, detaching tracees"
            ));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtrace_render::{LayoutOptions, LineLayout, ValueRenderer};
    use rtrace_sink::Output;

    /// A session printing to `path`, with no plugins (every call raw).
    fn session(path: &std::path::Path) -> Session {
        let printer = Printer::new(
            LineLayout::new(LayoutOptions::default(), ValueRenderer::default()),
            Output::file(path).unwrap(),
            crate::printer::PrinterOptions {
                json: false,
                decode_fds: Default::default(),
                decode_pid_comm: false,
                decode_pid_ns: false,
                wall_stamps: false,
                quiet: Quiet::default(),
                lines: true,
            },
        );
        let options = SessionOptions {
            decode: DecodeOptions::default(),
            print_trace: true,
            count: false,
            wall_clock: false,
            time_calls: false,
            detach_on_execve: false,
            quiet: Quiet::default(),
            syscall_limit: None,
        };
        let arches = Arches::all();
        let summaries = Summaries::new(arches.iter(), Default::default());
        Session::new(
            arches,
            DecoderRegistry::new(),
            Filters::new(false, vec!["64", "32", "x32"]),
            options,
            printer,
            summaries,
        )
    }

    /// A stop in a personality no ABI of the build claims (here riscv64's audit arch,
    /// which no build of rtrace carries) is printed raw, never dropped.
    #[test]
    fn a_stop_of_an_unknown_personality_is_shown_raw() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trace");
        let mut session = session(&path);
        let pid = std::process::id() as i32;
        session.attached(pid);
        let entry = SyscallStop::Entry {
            audit_arch: 0xc000_00f3,
            number: 0x1f4,
            args: [1, 2, 3, 4, 5, 6],
            instruction_pointer: 0,
            stack_pointer: 0,
        };
        let exit = SyscallStop::Exit {
            audit_arch: 0xc000_00f3,
            value: -38,
            is_error: true,
        };
        session.syscall(pid, &entry, Duration::ZERO);
        session.syscall(pid, &exit, Duration::ZERO);
        session.printer.finish();
        drop(session);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("syscall_0x1f4(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS"),
            "{text}"
        );
    }
}
