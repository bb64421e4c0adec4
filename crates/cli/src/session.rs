//! One trace session: the engine's stops go through the arch layer and the decoders
//! to the renderer and the sink, filtered by the `-e` expressions.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rtrace_arch::{is_error_return, RegisterAbi, SyscallRecord};
use rtrace_decode::{
    CallContext, DecodeOptions, DecodeStatus, Decoded, DecoderRef, DecoderRegistry, Emitter,
    HostBinding, Phase, RawReason, TraceeAccess,
};
use rtrace_engine::{ExitKind, Observer, StopAction, SyscallStop};
use rtrace_plugin_api::{ReturnStyle, StrStyle, Token};
use rtrace_render::json::{self, Event, JsonCall};
use rtrace_render::{FdPaths, LineLayout, LineSink, NoFdPaths, OpenCall, Return};
use rtrace_sink::summary::Summary;
use rtrace_sink::Output;

use crate::arches::Arches;
use crate::fds::{fd_target, ProcFds};
use crate::filter::Filters;
use crate::sockets::SocketNames;
use std::cell::RefCell;

/// Tracee memory and fds, read through the engine.
pub struct EngineAccess;

impl TraceeAccess for EngineAccess {
    fn read_memory(&self, pid: i32, addr: u64, buf: &mut [u8]) -> io::Result<usize> {
        match rtrace_engine::read_memory(pid, addr, buf) {
            0 if !buf.is_empty() => Err(io::Error::from_raw_os_error(libc::EFAULT)),
            n => Ok(n),
        }
    }

    fn fd_path(&self, pid: i32, fd: i32) -> Option<PathBuf> {
        rtrace_engine::fd_path(pid, fd)
    }
}

/// What the session does besides printing the trace.
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
    /// `-y` (1) and `-yy` (2).
    pub decode_fds: u8,
    /// `-P`: paths whose syscalls are shown, as given and resolved.
    pub trace_paths: Vec<Vec<u8>>,
    /// `-b execve`.
    pub detach_on_execve: bool,
    /// The line prefix needs the wall time (`-t`, `-r`).
    pub wall_stamps: bool,
    /// `-q`: no attach/detach messages; `-qq`: no exit lines either.
    pub quiet: u8,
    /// `--json`: one JSON object per event instead of text.
    pub json: bool,
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
    open: OpenCall,
    /// The call passed the filters and its lines are printed.
    shown: bool,
    /// Printing waits for the exit (a status filter): the entry's tokens and status.
    deferred_entry: Option<(Emitter, DecodeStatus)>,
    started: Instant,
    started_cpu: Duration,
    /// Wall-clock time at entry, for JSON.
    started_wall: Duration,
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
}

/// Adapts the sink to the renderer, remembering the first write error.
struct SinkAdapter<'a> {
    output: &'a mut Output,
    error: &'a mut Option<String>,
}

impl LineSink for SinkAdapter<'_> {
    fn write(&mut self, pid: i32, text: &[u8]) {
        if self.error.is_none() {
            if let Err(e) = self.output.write(pid, text) {
                *self.error = Some(e.to_string());
            }
        }
    }
}

/// How a syscall number is handled, decided once per (arch, number).
#[derive(Clone, Copy)]
struct Plan {
    traced: bool,
    raw: bool,
    verbose: bool,
    decoder: Option<DecoderRef>,
}

/// Everything the observer needs to turn stops into lines.
pub struct Session {
    arches: Arches,
    registry: DecoderRegistry,
    decode_options: DecodeOptions,
    filters: Filters,
    options: SessionOptions,
    layout: LineLayout,
    output: Output,
    /// The first error writing the trace.
    pub output_error: Option<String>,
    pub summary: Summary,
    threads: HashMap<i32, ThreadState>,
    plans: HashMap<(u32, u64), Plan>,
    emitter: Emitter,
    unknown_name: String,
    /// The JSON line being built, reused.
    json_line: Vec<u8>,
    /// `-yy`: socket endpoints by inode.
    sockets: Option<RefCell<SocketNames>>,
}

fn wall_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

impl Session {
    pub fn new(
        arches: Arches,
        registry: DecoderRegistry,
        filters: Filters,
        options: SessionOptions,
        layout: LineLayout,
        output: Output,
        summary: Summary,
    ) -> Self {
        let sockets = (options.decode_fds > 1).then(RefCell::default);
        Session {
            arches,
            registry,
            decode_options: options.decode,
            filters,
            options,
            layout,
            output,
            output_error: None,
            summary,
            threads: HashMap::new(),
            plans: HashMap::new(),
            emitter: Emitter::default(),
            unknown_name: String::new(),
            json_line: Vec::new(),
            sockets,
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
        self.layout.live_tracees = self.threads.len();
    }

    pub fn quiet(&self) -> u8 {
        self.options.quiet
    }

    fn plan(&mut self, arch: &'static dyn RegisterAbi, record: &SyscallRecord) -> Plan {
        let key = (arch.audit_arch(), record.number);
        if let Some(plan) = self.plans.get(&key) {
            return *plan;
        }
        let name = record.desc.map(|d| d.name);
        let plan = Plan {
            traced: self.filters.trace.contains(name),
            raw: self.filters.raw.contains(name),
            verbose: self.decode_options.verbose
                || self.filters.verbose.contains(name)
                || !self.filters.abbrev.contains(name),
            decoder: name.and_then(|n| self.registry.decoder_for(n)),
        };
        self.plans.insert(key, plan);
        plan
    }

    fn stamp(&mut self, number: Option<u64>, instruction_pointer: Option<u64>) {
        if self.options.wall_stamps {
            self.layout.stamp.wall = wall_now();
        }
        self.layout.stamp.syscall_number = number;
        self.layout.stamp.instruction_pointer = instruction_pointer;
    }

    /// Whether the decoded entry touches a `-P` path or fd, or a `--trace-fds` fd.
    fn selected(&self, pid: i32, emitter: &Emitter) -> bool {
        let by_path = !self.options.trace_paths.is_empty();
        let by_fd = self.filters.trace_fds.as_ref();
        if !by_path && by_fd.is_none() {
            return true;
        }
        let mut path_match = false;
        let mut fd_match = false;
        for token in emitter.tokens.iter() {
            match *token {
                Token::Bytes {
                    start,
                    len,
                    style: StrStyle::Path,
                    ..
                } if by_path => {
                    let bytes = emitter.arena(start, len);
                    if self
                        .options
                        .trace_paths
                        .iter()
                        .any(|p| p.as_slice() == bytes)
                    {
                        path_match = true;
                    }
                }
                Token::Fd(fd) => {
                    if let Some(set) = by_fd {
                        fd_match |= set.contains(fd);
                    }
                    // The fd's current target decides, so a reused fd number never
                    // drags in an unrelated file.
                    if by_path
                        && fd_target(pid, fd).is_some_and(|t| self.options.trace_paths.contains(&t))
                    {
                        path_match = true;
                    }
                }
                _ => {}
            }
        }
        (by_path && path_match) || by_fd.is_some() && fd_match
    }

    fn entry(
        &mut self,
        pid: i32,
        arch: &'static dyn RegisterAbi,
        number: u64,
        args: [u64; 6],
        ip: Option<u64>,
        cpu: Duration,
    ) -> StopAction {
        let record = arch.record(number, args);
        let name = record.desc.map(|d| d.name);
        let state = self.threads.entry(pid).or_default();
        let is_exec = matches!(name, Some("execve" | "execveat"));
        if state.before_exec {
            if !is_exec {
                return StopAction::Continue;
            }
            state.before_exec = false;
        } else if is_exec && self.options.detach_on_execve {
            return StopAction::Detach;
        }
        state.last_number = Some(number);
        state.last_ip = ip;
        let plan = self.plan(arch, &record);
        if !plan.traced {
            return StopAction::Continue;
        }
        let mut decode_options = self.decode_options;
        decode_options.verbose = plan.verbose;
        let mut call = CallInProgress {
            arch,
            record,
            decoder: plan.decoder,
            raw: None,
            decode_options,
            scratch: [0; 4],
            open: OpenCall::default(),
            shown: self.options.print_trace,
            deferred_entry: None,
            started: Instant::now(),
            started_cpu: cpu,
            started_wall: if self.options.json {
                wall_now()
            } else {
                Duration::ZERO
            },
        };
        if call.shown {
            let name = display_name(&call.record, &mut self.unknown_name);
            let access = EngineAccess;
            let binding = HostBinding::new(&access, pid, arch.word_size(), arch.big_endian());
            let mut ctx = call_context(&binding, name, arch, &call.record, decode_options);
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
            call.shown = self.selected(pid, &self.emitter);
            if call.shown {
                if self.filters.status.is_all() && !self.options.json {
                    self.stamp(Some(number), ip);
                    let display_name = display_name(&call.record, &mut self.unknown_name);
                    let fds: &dyn FdPaths = if self.options.decode_fds > 0 {
                        &ProcFds {
                            pid,
                            sockets: self.sockets.as_ref(),
                        }
                    } else {
                        &NoFdPaths
                    };
                    let mut sink = SinkAdapter {
                        output: &mut self.output,
                        error: &mut self.output_error,
                    };
                    self.layout.syscall_entry(
                        &mut sink,
                        pid,
                        display_name,
                        &self.emitter,
                        status,
                        &mut call.open,
                        fds,
                    );
                } else {
                    call.deferred_entry = Some((clone_emitter(&self.emitter), status));
                    self.stamp(Some(number), ip);
                }
            }
        }
        self.threads.entry(pid).or_default().call = Some(call);
        StopAction::Continue
    }

    fn exit(&mut self, pid: i32, value: i64, is_error: bool, cpu: Duration) {
        let Some(state) = self.threads.get_mut(&pid) else {
            return;
        };
        let Some(mut call) = state.call.take() else {
            return;
        };
        let value = call.arch.normalize_return(value);
        let elapsed = call.started.elapsed();
        if self.options.count {
            let time = if self.options.wall_clock {
                elapsed
            } else {
                cpu.saturating_sub(call.started_cpu)
            };
            let name = display_name(&call.record, &mut self.unknown_name);
            self.summary
                .record(name, call.record.number, time, is_error);
        }
        if !call.shown {
            return;
        }
        let wanted = if is_error {
            self.filters.status.failed
        } else {
            self.filters.status.successful
        };
        if call.deferred_entry.is_some() && !wanted {
            return;
        }
        let display_name = display_name(&call.record, &mut self.unknown_name);
        self.emitter.clear();
        let style = match &call.raw {
            None => {
                let access = EngineAccess;
                let binding =
                    HostBinding::new(&access, pid, call.arch.word_size(), call.arch.big_endian());
                let mut ctx = call_context(
                    &binding,
                    display_name,
                    call.arch,
                    &call.record,
                    call.decode_options,
                );
                ctx.retval = value;
                ctx.is_error = is_error;
                ctx.scratch = call.scratch;
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
            Some(reason) => {
                // A raw call shows its result raw too, as `strace -e raw=all` does.
                note_raw_reason(&mut self.emitter, reason);
                ReturnStyle::Hex
            }
        };
        // An address on a 32-bit ABI is a 32-bit number: 0xb6f35000, not sign-extended.
        let shown = match style {
            ReturnStyle::Hex | ReturnStyle::Octal if !is_error && call.arch.word_size() == 4 => value as u32 as i64,
            _ => value,
        };
        let ret = Return {
            value: shown,
            is_error,
            style,
            duration: Some(elapsed),
        };
        let fds: &dyn FdPaths = if self.options.decode_fds > 0 {
            &ProcFds {
                pid,
                sockets: self.sockets.as_ref(),
            }
        } else {
            &NoFdPaths
        };
        if self.options.json {
            self.write_json_call(pid, &call, Some(ret));
            return;
        }
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        if let Some((entry, status)) = &call.deferred_entry {
            self.layout.syscall_entry(
                &mut sink,
                pid,
                display_name,
                entry,
                *status,
                &mut call.open,
                fds,
            );
        }
        self.layout.syscall_exit(
            &mut sink,
            pid,
            display_name,
            &self.emitter,
            &mut call.open,
            ret,
            fds,
        );
    }

    /// A thread's call that will never return (it exited, or exec replaced it).
    fn abandon_call(&mut self, pid: i32) {
        let Some(call) = self.threads.get_mut(&pid).and_then(|s| s.call.take()) else {
            return;
        };
        if !call.shown {
            return;
        }
        if call.deferred_entry.is_some() && !self.filters.status.unfinished {
            return;
        }
        if self.options.json {
            self.write_json_call(pid, &call, None);
            return;
        }
        let name = display_name(&call.record, &mut self.unknown_name);
        let mut open = call.open;
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        if let Some((entry, status)) = &call.deferred_entry {
            self.layout
                .syscall_entry(&mut sink, pid, name, entry, *status, &mut open, &NoFdPaths);
        }
        self.layout.syscall_no_return(&mut sink, pid, name, &open);
    }

    /// Writes a finished (or abandoned, `ret` None) call as one JSON object, from the
    /// tokens kept at entry and those in the emitter from exit.
    fn write_json_call(&mut self, pid: i32, call: &CallInProgress, ret: Option<Return>) {
        let Some((entry, _)) = &call.deferred_entry else {
            return;
        };
        let name = display_name(&call.record, &mut self.unknown_name);
        let nargs = call.record.desc.map_or(6, |d| d.nargs as usize).min(6);
        let fds: &dyn FdPaths = if self.options.decode_fds > 0 {
            &ProcFds {
                pid,
                sockets: self.sockets.as_ref(),
            }
        } else {
            &NoFdPaths
        };
        let json_call = JsonCall {
            pid,
            timestamp: call.started_wall,
            name,
            number: call.record.number,
            arch: call.arch.name(),
            args: &call.record.args[..nargs],
            entry,
            exit: ret.is_some().then_some(&self.emitter),
            ret,
            fds,
        };
        self.json_line.clear();
        json::write_event(&mut self.json_line, &Event::Syscall(&json_call));
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        sink.write(pid, &self.json_line);
    }

    /// Writes a non-syscall event as one JSON object.
    fn write_json_event(&mut self, pid: i32, event: &Event<'_>) {
        self.json_line.clear();
        json::write_event(&mut self.json_line, event);
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        sink.write(pid, &self.json_line);
    }

    /// Reports an attach (JSON only: the text form is rtrace's own stderr message).
    pub fn attach_event(&mut self, pid: i32) {
        if self.options.json {
            self.write_json_event(
                pid,
                &Event::Attach {
                    pid,
                    timestamp: wall_now(),
                },
            );
        }
    }

    fn last_syscall(&self, pid: i32) -> (Option<u64>, Option<u64>) {
        self.threads
            .get(&pid)
            .map_or((None, None), |s| (s.last_number, s.last_ip))
    }

    fn hidden(&self, pid: i32) -> bool {
        self.threads.get(&pid).is_some_and(|s| s.before_exec)
    }

    fn sink(&mut self) -> SinkAdapter<'_> {
        SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        }
    }

    /// Writes `text` (the summary table) to the output.
    pub fn write_raw(&mut self, text: &[u8]) {
        self.sink().write(0, text);
    }

    /// Ends the trace: closes any open line and flushes.
    pub fn finish(&mut self) {
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        self.layout.finish(&mut sink);
        if let Err(e) = self.output.flush() {
            self.output_error.get_or_insert(e.to_string());
        }
    }
}

fn clone_emitter(e: &Emitter) -> Emitter {
    let mut copy = Emitter::default();
    copy.tokens.extend(e.tokens.iter().copied());
    copy.bytes.extend(e.bytes.iter().copied());
    copy.return_style = e.return_style;
    copy
}

fn call_context<'a, T: TraceeAccess>(
    binding: &HostBinding<'_, T>,
    name: &'a str,
    arch: &dyn RegisterAbi,
    record: &SyscallRecord,
    options: DecodeOptions,
) -> CallContext<'a> {
    let mut ctx = binding.call_context(name, record.number, record.args, options);
    ctx.audit_arch = arch.audit_arch();
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

/// Adds why a call is shown raw to its return annotation, when that is news.
fn note_raw_reason(emitter: &mut Emitter, reason: &RawReason) {
    if let RawReason::Panicked(message) = reason {
        let text = format!("rtrace: decoder panicked: {message}");
        let start = emitter.bytes.len() as u32;
        emitter.bytes.extend(text.bytes());
        emitter.tokens.push(Token::ReturnNote);
        emitter.tokens.push(Token::Text {
            start,
            len: text.len() as u32,
        });
    }
}

impl Observer for Session {
    fn syscall(&mut self, pid: i32, stop: &SyscallStop, cpu_time: Duration) -> StopAction {
        match *stop {
            SyscallStop::Entry {
                audit_arch,
                number,
                args,
                instruction_pointer,
            } => match self.arches.by_audit_arch(audit_arch) {
                Some(arch) => {
                    self.entry(pid, arch, number, args, Some(instruction_pointer), cpu_time)
                }
                None => StopAction::Continue,
            },
            SyscallStop::EntryRegs(ref regs) => {
                let arch = self.arches.native();
                let (number, args) = arch.entry_from_regs(regs);
                self.entry(pid, arch, number, args, None, cpu_time)
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
        if self.hidden(pid)
            || !self.options.print_trace
            || !self.filters.signals.contains(siginfo.si_signo)
        {
            return;
        }
        // SAFETY: siginfo_t is plain old data; viewing it as bytes is sound.
        let raw = unsafe {
            std::slice::from_raw_parts(
                siginfo as *const libc::siginfo_t as *const u8,
                std::mem::size_of::<libc::siginfo_t>(),
            )
        };
        if self.options.json {
            let event = Event::Signal {
                pid,
                timestamp: wall_now(),
                siginfo: raw,
            };
            self.write_json_event(pid, &event);
            return;
        }
        let (number, ip) = self.last_syscall(pid);
        self.stamp(number, ip);
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        self.layout.signal(&mut sink, pid, raw);
    }

    fn group_stop(&mut self, pid: i32, signal: i32) {
        if self.hidden(pid) || !self.options.print_trace || !self.filters.signals.contains(signal) {
            return;
        }
        if self.options.json {
            self.write_json_event(
                pid,
                &Event::Stopped {
                    pid,
                    timestamp: wall_now(),
                    signal,
                },
            );
            return;
        }
        let (number, ip) = self.last_syscall(pid);
        self.stamp(number, ip);
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        self.layout.group_stop(&mut sink, pid, signal);
    }

    fn exec(&mut self, pid: i32, former_tid: i32) {
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
        if self.options.json {
            let event = Event::Superseded {
                pid,
                timestamp: wall_now(),
                by_tid: former_tid,
            };
            self.write_json_event(pid, &event);
        } else if self.options.print_trace {
            self.stamp(None, None);
            let mut sink = SinkAdapter {
                output: &mut self.output,
                error: &mut self.output_error,
            };
            self.layout.superseded(&mut sink, pid, former_tid);
        }
        if let Some(state) = self.threads.remove(&former_tid) {
            self.threads.insert(pid, state);
        }
        self.layout.live_tracees = self.threads.len();
    }

    fn new_tracee(&mut self, pid: i32) {
        self.threads.entry(pid).or_default();
        self.layout.live_tracees = self.threads.len();
    }

    fn exited(&mut self, pid: i32, how: ExitKind) {
        if !self.hidden(pid) && self.options.print_trace {
            let (number, _) = self.last_syscall(pid);
            self.stamp(number, None);
            self.abandon_call(pid);
            if self.options.json {
                let timestamp = wall_now();
                let event = match how {
                    ExitKind::Exited(exit_code) => Event::Exit {
                        pid,
                        timestamp,
                        exit_code,
                    },
                    ExitKind::Killed {
                        signal,
                        core_dumped,
                    } => Event::Killed {
                        pid,
                        timestamp,
                        signal,
                        core_dumped,
                    },
                };
                self.write_json_event(pid, &event);
            } else if self.options.quiet < 2 {
                let mut sink = SinkAdapter {
                    output: &mut self.output,
                    error: &mut self.output_error,
                };
                match how {
                    ExitKind::Exited(code) => self.layout.exited(&mut sink, pid, code),
                    ExitKind::Killed {
                        signal,
                        core_dumped,
                    } => self.layout.killed(&mut sink, pid, signal, core_dumped),
                }
            }
        }
        self.threads.remove(&pid);
        self.layout.live_tracees = self.threads.len();
    }

    fn detached(&mut self, pid: i32) {
        if self.options.json {
            self.write_json_event(
                pid,
                &Event::Detach {
                    pid,
                    timestamp: wall_now(),
                },
            );
        } else if self.layout.is_open(pid) {
            self.sink().write(pid, b" <detached ...>\n");
            self.layout.forget_open();
        }
        self.threads.remove(&pid);
        self.layout.live_tracees = self.threads.len();
        if self.options.quiet == 0 {
            crate::say(format_args!("Process {pid} detached"));
        }
    }
}
