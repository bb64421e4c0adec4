//! One trace session: the engine's stops go through the arch layer and the decoders
//! to the renderer and the sink.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;

use rtrace_arch::{is_error_return, RegisterAbi, SyscallRecord};
use rtrace_decode::{
    CallContext, DecodeOptions, DecodeStatus, Decoded, DecoderRef, DecoderRegistry, Emitter,
    HostBinding, Phase, RawReason, TraceeAccess,
};
use rtrace_engine::{ExitKind, Observer, SyscallStop};
use rtrace_plugin_api::{ReturnStyle, Token};
use rtrace_render::{LineLayout, LineSink, NoFdPaths, OpenCall, Return};
use rtrace_sink::Output;

use crate::arches::Arches;

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

/// A syscall between its entry and its exit.
struct CallInProgress {
    arch: &'static dyn RegisterAbi,
    record: SyscallRecord,
    decoder: Option<DecoderRef>,
    /// Shown raw (no decoder, or the decoder declined or panicked at entry).
    raw: Option<RawReason>,
    scratch: [u64; 4],
    open: OpenCall,
}

#[derive(Default)]
struct ThreadState {
    /// The launched command before its execve: nothing is shown yet.
    before_exec: bool,
    call: Option<CallInProgress>,
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

/// Everything the observer needs to turn stops into lines.
pub struct Session {
    pub arches: Arches,
    pub registry: DecoderRegistry,
    pub decode_options: DecodeOptions,
    pub layout: LineLayout,
    pub output: Output,
    /// The first error writing the trace.
    pub output_error: Option<String>,
    pub quiet: bool,
    threads: HashMap<i32, ThreadState>,
    /// Decoder per (arch, syscall number), looked up by name once.
    decoders: HashMap<(u32, u64), Option<DecoderRef>>,
    emitter: Emitter,
    unknown_name: String,
}

impl Session {
    pub fn new(
        arches: Arches,
        registry: DecoderRegistry,
        decode_options: DecodeOptions,
        layout: LineLayout,
        output: Output,
    ) -> Self {
        Session {
            arches,
            registry,
            decode_options,
            layout,
            output,
            output_error: None,
            quiet: false,
            threads: HashMap::new(),
            decoders: HashMap::new(),
            emitter: Emitter::default(),
            unknown_name: String::new(),
        }
    }

    /// The launched command: hidden until its execve.
    pub fn launched(&mut self, pid: i32) {
        self.threads.insert(
            pid,
            ThreadState {
                before_exec: true,
                call: None,
            },
        );
    }

    /// An attached thread.
    pub fn attached(&mut self, pid: i32) {
        self.threads.entry(pid).or_default();
        self.layout.live_tracees = self.threads.len();
    }

    fn sink(&mut self) -> SinkAdapter<'_> {
        SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        }
    }

    fn decoder_for(
        &mut self,
        arch: &'static dyn RegisterAbi,
        record: &SyscallRecord,
    ) -> Option<DecoderRef> {
        let key = (arch.audit_arch(), record.number);
        if let Some(cached) = self.decoders.get(&key) {
            return *cached;
        }
        let found = record.desc.and_then(|d| self.registry.decoder_for(d.name));
        self.decoders.insert(key, found);
        found
    }

    fn entry(&mut self, pid: i32, arch: &'static dyn RegisterAbi, number: u64, args: [u64; 6]) {
        let record = arch.record(number, args);
        let name = record.desc.map(|d| d.name);
        let state = self.threads.entry(pid).or_default();
        if state.before_exec {
            if !matches!(name, Some("execve" | "execveat")) {
                return;
            }
            state.before_exec = false;
        }
        let decoder = self.decoder_for(arch, &record);
        let access = EngineAccess;
        let binding = HostBinding::new(&access, pid, arch.word_size(), arch.big_endian());
        let display_name = display_name(&record, &mut self.unknown_name);
        let mut ctx = call_context(&binding, display_name, arch, &record, self.decode_options);
        let nargs = record.desc.map_or(6, |d| d.nargs as usize);
        let (status, raw) = match self.registry.decode_or_raw(
            decoder,
            Phase::Entry,
            &mut ctx,
            &mut self.emitter,
            nargs,
        ) {
            Decoded::Ok(status) => (status, None),
            Decoded::Raw(reason) => (DecodeStatus::Complete, Some(reason)),
        };
        let scratch = ctx.scratch;
        let mut call = CallInProgress {
            arch,
            record,
            decoder,
            raw,
            scratch,
            open: OpenCall::default(),
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
            &NoFdPaths,
        );
        self.threads.entry(pid).or_default().call = Some(call);
    }

    fn exit(&mut self, pid: i32, value: i64, is_error: bool) {
        let Some(state) = self.threads.get_mut(&pid) else {
            return;
        };
        let Some(mut call) = state.call.take() else {
            return;
        };
        let value = call.arch.normalize_return(value);
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
                    self.decode_options,
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
        let ret = Return {
            value,
            is_error,
            style,
            duration: None,
        };
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        self.layout.syscall_exit(
            &mut sink,
            pid,
            display_name,
            &self.emitter,
            &mut call.open,
            ret,
            &NoFdPaths,
        );
    }

    /// A thread's call that will never return (it exited, or exec replaced it).
    fn abandon_call(&mut self, pid: i32) {
        if let Some(call) = self.threads.get_mut(&pid).and_then(|s| s.call.take()) {
            let name = display_name(&call.record, &mut self.unknown_name);
            let mut sink = SinkAdapter {
                output: &mut self.output,
                error: &mut self.output_error,
            };
            self.layout
                .syscall_no_return(&mut sink, pid, name, &call.open);
        }
    }

    fn hidden(&self, pid: i32) -> bool {
        self.threads.get(&pid).is_some_and(|s| s.before_exec)
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
    fn syscall(&mut self, pid: i32, stop: &SyscallStop) {
        match *stop {
            SyscallStop::Entry {
                audit_arch,
                number,
                args,
                ..
            } => {
                if let Some(arch) = self.arches.by_audit_arch(audit_arch) {
                    self.entry(pid, arch, number, args);
                }
            }
            SyscallStop::EntryRegs(ref regs) => {
                let arch = self.arches.native();
                let (number, args) = arch.entry_from_regs(regs);
                self.entry(pid, arch, number, args);
            }
            SyscallStop::Exit {
                value, is_error, ..
            } => self.exit(pid, value, is_error),
            SyscallStop::ExitRegs(ref regs) => {
                let value = self.arches.native().return_from_regs(regs);
                self.exit(pid, value, is_error_return(value));
            }
        }
    }

    fn signal(&mut self, pid: i32, siginfo: &libc::siginfo_t) {
        if self.hidden(pid) {
            return;
        }
        // SAFETY: siginfo_t is plain old data; viewing it as bytes is sound.
        let raw = unsafe {
            std::slice::from_raw_parts(
                siginfo as *const libc::siginfo_t as *const u8,
                std::mem::size_of::<libc::siginfo_t>(),
            )
        };
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        self.layout.signal(&mut sink, pid, raw);
    }

    fn group_stop(&mut self, pid: i32, signal: i32) {
        if self.hidden(pid) {
            return;
        }
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        self.layout.group_stop(&mut sink, pid, signal);
    }

    fn exec(&mut self, pid: i32, former_tid: i32) {
        if former_tid == pid {
            return;
        }
        // Another thread exec'd: the leader's line ends, the exec'ing thread takes its pid.
        self.threads.remove(&pid);
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.output_error,
        };
        self.layout.superseded(&mut sink, pid, former_tid);
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
        if !self.hidden(pid) {
            self.abandon_call(pid);
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
        self.threads.remove(&pid);
        self.layout.live_tracees = self.threads.len();
    }

    fn detached(&mut self, pid: i32) {
        if self.layout.is_open(pid) {
            self.sink().write(pid, b" <detached ...>\n");
            self.layout.forget_open();
        }
        self.threads.remove(&pid);
        self.layout.live_tracees = self.threads.len();
        if !self.quiet {
            eprintln!("rtrace: Process {pid} detached");
        }
    }
}
