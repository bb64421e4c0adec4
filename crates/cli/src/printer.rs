//! Where a session's events become output: strace's text through the renderer's line
//! layout, or JSON lines, into the sink; and, for `--timeline`/`--perfetto`, the same
//! JSON lines into the timeline's recorder (the path `--from-json` takes too). It owns
//! the layout, the output and its first write error, so the session never juggles them.

use std::cell::RefCell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rtrace_decode::{DecodeStatus, Emitter};
use rtrace_engine::ExitKind;
use rtrace_plugin_api::PidKind;
use rtrace_render::dump::CallDump;
use rtrace_render::json::{self, Event, JsonCall};
use rtrace_render::{FdPaths, LineLayout, LineSink, NoFdPaths, OpenCall, Return};
use rtrace_sink::Output;
use rtrace_stack::Frame;
use rtrace_timeline::Recorder;

use crate::fds::{FdDetails, ProcFds};
use crate::filter::Quiet;
use crate::pid_namespaces::PidNamespaces;
use crate::sockets::SocketNames;

/// Seconds since the epoch, now.
pub fn wall_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
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

/// How a printer shows things, fixed for the session.
#[derive(Debug, Clone, Copy)]
pub struct PrinterOptions {
    /// `--json`.
    pub json: bool,
    /// `-y`, `-yy`, `--decode-fds`.
    pub decode_fds: FdDetails,
    /// `-Y`: command names after pids and in the line prefix.
    pub decode_pid_comm: bool,
    /// `--pidns-translation`: pids printed by a tracee in another pid namespace are
    /// followed by their id in rtrace's.
    pub decode_pid_ns: bool,
    /// The line prefix needs the wall time (`-t`, `-r`).
    pub wall_stamps: bool,
    /// `-qq`, `--quiet=exit`: no exit lines.
    pub quiet: Quiet,
    /// Trace lines (text or JSON) go to the output; not with `--timeline` without `-o`.
    pub lines: bool,
}

/// A syscall as JSON needs it, beyond the tokens.
pub struct JsonFacts<'a> {
    pub timestamp: Duration,
    pub name: &'a str,
    /// `-k`'s frames.
    pub stack: Option<&'a [Frame]>,
    /// `-e read=`/`-e write=`'s data.
    pub dump: Option<&'a CallDump>,
    pub number: u64,
    pub arch: &'a str,
    pub args: &'a [u64],
}

/// What one line's numbers are decorated with: plain fds or `-y` paths, and `-Y`'s
/// command names and `--pidns-translation`'s ids after pids; chosen per line without
/// allocating.
struct Fds<'a> {
    paths: Option<ProcFds<'a>>,
    /// The tracee whose line this is: its pid namespace is where its pids are from.
    pid: i32,
    pid_comm: bool,
    pid_ns: bool,
    namespaces: &'a RefCell<PidNamespaces>,
}

impl FdPaths for Fds<'_> {
    fn describe(&self, fd: i32, out: &mut Vec<u8>) -> bool {
        match &self.paths {
            None => NoFdPaths.describe(fd, out),
            Some(p) => p.describe(fd, out),
        }
    }

    fn describe_cwd(&self, out: &mut Vec<u8>) -> bool {
        self.paths.as_ref().is_some_and(|p| p.describe_cwd(out))
    }

    fn describe_pid(&self, id: i32, kind: PidKind, comm: &mut Vec<u8>) -> Option<i32> {
        // As strace: only a thread's or a process's id is named, by the process the id
        // is in rtrace's namespace; a group's and a session's are only translated.
        let named = self.pid_comm && matches!(kind, PidKind::Tid | PidKind::Tgid);
        if !named && !self.pid_ns {
            return None;
        }
        let ours = self.namespaces.borrow_mut().translate(self.pid, id, kind)?;
        // strace reads the name afresh for every pid it prints, and prints nothing when
        // the process is gone.
        if named {
            read_comm(ours, comm);
        }
        (self.pid_ns && ours != id).then_some(ours)
    }
}

/// Appends `/proc/PID/comm` without its newline; false if it cannot be read or is empty.
fn read_comm(pid: i32, out: &mut Vec<u8>) -> bool {
    let Ok(comm) = std::fs::read(format!("/proc/{pid}/comm")) else {
        return false;
    };
    let end = comm.iter().rposition(|b| *b != b'\n').map_or(0, |i| i + 1);
    out.extend_from_slice(&comm[..end]);
    end > 0
}

/// prctl's option that renames the calling thread.
const PR_SET_NAME: u64 = 15;

pub struct Printer {
    layout: LineLayout,
    output: Output,
    /// The first error writing the trace.
    error: Option<String>,
    options: PrinterOptions,
    /// `-yy`: socket endpoints by inode.
    sockets: Option<RefCell<SocketNames>>,
    /// The JSON line being built, reused.
    json_line: Vec<u8>,
    /// `-k`'s frame lines being built, reused.
    stack_lines: Vec<u8>,
    /// `-Y`, `--pidns-translation`: the tracees' pid namespaces.
    namespaces: RefCell<PidNamespaces>,
    /// `--timeline`/`--perfetto`: every event, as its JSON line.
    recorder: Option<Recorder>,
}

impl Printer {
    pub fn new(layout: LineLayout, output: Output, options: PrinterOptions) -> Self {
        Printer {
            layout,
            output,
            error: None,
            options,
            sockets: options.decode_fds.socket.then(RefCell::default),
            json_line: Vec::new(),
            stack_lines: Vec::new(),
            namespaces: RefCell::default(),
            recorder: None,
        }
        .with_comms()
    }

    /// `-Y`: the layout keeps each tracee's name for the line prefix.
    fn with_comms(mut self) -> Self {
        if self.options.decode_pid_comm {
            self.layout.comms = Some(Default::default());
        }
        self
    }

    /// Reads `pid`'s name for the prefix when it has none yet (a new tracee: strace
    /// reads it when it first sees the process).
    fn load_comm(&mut self, pid: i32) {
        if let Some(comms) = &mut self.layout.comms {
            comms.entry(pid).or_insert_with(|| {
                let mut comm = Vec::new();
                read_comm(pid, &mut comm);
                comm
            });
        }
    }

    /// After a successful call: execve, execveat and prctl(PR_SET_NAME) change the
    /// name, so the prefix takes it again, from this line on, as strace's does.
    pub fn call_succeeded(&mut self, pid: i32, name: &str, first_arg: u64) {
        let renames = matches!(name, "execve" | "execveat")
            || (name == "prctl" && first_arg & 0xffff_ffff == PR_SET_NAME);
        if renames {
            if let Some(comms) = &mut self.layout.comms {
                comms.remove(&pid);
            }
        }
    }

    /// A tracee is gone: its pid may name another process later (in another pid
    /// namespace).
    pub fn forget_tracee(&mut self, pid: i32) {
        if let Some(comms) = &mut self.layout.comms {
            comms.remove(&pid);
        }
        self.namespaces.get_mut().forget(pid);
    }

    /// The id `id` of `kind` that tracee `tracee` sees, in rtrace's pid namespace (None
    /// when no process has it now).
    pub fn pid_in_tracer_ns(&self, tracee: i32, id: i32, kind: PidKind) -> Option<i32> {
        self.namespaces.borrow_mut().translate(tracee, id, kind)
    }

    /// Records every event for `--timeline`/`--perfetto` too.
    pub fn record_into(&mut self, recorder: Recorder) {
        self.recorder = Some(recorder);
    }

    pub fn take_recorder(&mut self) -> Option<Recorder> {
        self.recorder.take()
    }

    /// Whether events are made into JSON lines: `--json`, or a recorder.
    pub fn needs_json(&self) -> bool {
        self.options.json || self.recorder.is_some()
    }

    /// Whether text lines are written (a call's entry can be printed at entry).
    pub fn prints_text(&self) -> bool {
        self.options.lines && !self.options.json
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// How many tracees are alive (the `[pid N]` prefix shows only when several are).
    pub fn set_live_tracees(&mut self, n: usize) {
        self.layout.live_tracees = n;
    }

    /// What the next line's prefix shows for `-t`/`-r`, `-n` and `-i`.
    pub fn stamp(&mut self, number: Option<u64>, instruction_pointer: Option<u64>) {
        if self.options.wall_stamps {
            self.layout.stamp.wall = wall_now();
        }
        self.layout.stamp.syscall_number = number;
        self.layout.stamp.instruction_pointer = instruction_pointer;
    }

    fn fds<'a>(
        options: PrinterOptions,
        pid: i32,
        sockets: Option<&'a RefCell<SocketNames>>,
        namespaces: &'a RefCell<PidNamespaces>,
    ) -> Fds<'a> {
        let details = options.decode_fds;
        Fds {
            paths: details.any().then_some(ProcFds {
                pid,
                details,
                sockets,
            }),
            pid,
            pid_comm: options.decode_pid_comm,
            pid_ns: options.decode_pid_ns,
            namespaces,
        }
    }

    /// Splits the printer into the layout, a sink, and the fd describer for `pid`.
    fn parts(&mut self, pid: i32) -> (&mut LineLayout, SinkAdapter<'_>, Fds<'_>) {
        self.load_comm(pid);
        let fds = Self::fds(self.options, pid, self.sockets.as_ref(), &self.namespaces);
        (
            &mut self.layout,
            SinkAdapter {
                output: &mut self.output,
                error: &mut self.error,
            },
            fds,
        )
    }

    pub fn syscall_entry(
        &mut self,
        pid: i32,
        name: &str,
        entry: &Emitter,
        status: DecodeStatus,
        open: &mut OpenCall,
    ) {
        let (layout, mut sink, fds) = self.parts(pid);
        layout.syscall_entry(&mut sink, pid, name, entry, status, open, &fds);
    }

    /// The exit half; with `deferred`, the entry half kept until now first.
    pub fn syscall_exit(
        &mut self,
        pid: i32,
        name: &str,
        exit: &Emitter,
        open: &mut OpenCall,
        ret: Return,
        deferred: Option<(&Emitter, DecodeStatus)>,
    ) {
        let (layout, mut sink, fds) = self.parts(pid);
        if let Some((entry, status)) = deferred {
            layout.syscall_entry(&mut sink, pid, name, entry, status, open, &fds);
        }
        layout.syscall_exit(&mut sink, pid, name, exit, open, ret, &fds);
    }

    /// A call that never returns: `exit_group(0) = ?`.
    pub fn syscall_no_return(
        &mut self,
        pid: i32,
        name: &str,
        open: &mut OpenCall,
        deferred: Option<(&Emitter, DecodeStatus)>,
    ) {
        let (layout, mut sink, fds) = self.parts(pid);
        if let Some((entry, status)) = deferred {
            layout.syscall_entry(&mut sink, pid, name, entry, status, open, &fds);
        }
        layout.syscall_no_return(&mut sink, pid, name, open);
    }

    /// One JSON object for a finished call (`ret` None: it never returned).
    pub fn json_call(
        &mut self,
        pid: i32,
        facts: &JsonFacts<'_>,
        entry: &Emitter,
        exit: &Emitter,
        ret: Option<Return>,
    ) {
        self.json_line.clear();
        {
            let fds = Self::fds(self.options, pid, self.sockets.as_ref(), &self.namespaces);
            let call = JsonCall {
                pid,
                timestamp: facts.timestamp,
                name: facts.name,
                number: facts.number,
                arch: facts.arch,
                args: facts.args,
                entry,
                exit: ret.is_some().then_some(exit),
                ret,
                fds: &fds,
                stack: facts.stack,
                dump: facts.dump,
            };
            json::write_event(&mut self.json_line, &Event::Syscall(&call));
        }
        self.write_json_line(pid);
    }

    fn json_event(&mut self, pid: i32, event: &Event<'_>) {
        self.json_line.clear();
        json::write_event(&mut self.json_line, event);
        self.write_json_line(pid);
    }

    /// Hands the line built in `json_line` to the output (`--json`) and the recorder.
    fn write_json_line(&mut self, pid: i32) {
        if let Some(recorder) = &mut self.recorder {
            // The line was written by the renderer from a well-formed event.
            if let Err(e) = recorder.add_line(&self.json_line) {
                self.error.get_or_insert(format!("timeline: {e}"));
            }
        }
        if self.options.json && self.options.lines {
            let mut sink = SinkAdapter {
                output: &mut self.output,
                error: &mut self.error,
            };
            sink.write(pid, &self.json_line);
        }
    }

    /// `-k`: one ` > ...` line per frame, after the line of the call or signal (text
    /// only: JSON carries the frames in the call's object).
    pub fn stack(&mut self, pid: i32, frames: &[Frame]) {
        if !self.prints_text() {
            return;
        }
        self.stack_lines.clear();
        for frame in frames {
            rtrace_render::stack::write_frame(&mut self.stack_lines, frame);
        }
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.error,
        };
        sink.write(pid, &self.stack_lines);
    }

    /// `--- SIGxxx {...} ---`
    pub fn signal(&mut self, pid: i32, siginfo: &[u8]) {
        if self.needs_json() {
            self.json_event(
                pid,
                &Event::Signal {
                    pid,
                    timestamp: wall_now(),
                    siginfo,
                },
            );
        }
        if self.prints_text() {
            let (layout, mut sink, fds) = self.parts(pid);
            layout.signal(&mut sink, pid, siginfo, &fds);
        }
    }

    /// `--- stopped by SIGSTOP ---`
    pub fn group_stop(&mut self, pid: i32, signal: i32) {
        if self.needs_json() {
            self.json_event(
                pid,
                &Event::Stopped {
                    pid,
                    timestamp: wall_now(),
                    signal,
                },
            );
        }
        if self.prints_text() {
            let (layout, mut sink, _) = self.parts(pid);
            layout.group_stop(&mut sink, pid, signal);
        }
    }

    /// `+++ superseded by execve in pid N +++`
    pub fn superseded(&mut self, leader: i32, execve_tid: i32) {
        if self.needs_json() {
            self.json_event(
                leader,
                &Event::Superseded {
                    pid: leader,
                    timestamp: wall_now(),
                    by_tid: execve_tid,
                },
            );
        }
        if self.prints_text() {
            let (layout, mut sink, _) = self.parts(leader);
            layout.superseded(&mut sink, leader, execve_tid);
        }
    }

    /// `[ Process PID=N runs in MODE mode. ]` (text only: JSON events carry their arch).
    pub fn personality(&mut self, pid: i32, mode: &str) {
        if self.prints_text() {
            let (layout, mut sink, _) = self.parts(pid);
            layout.personality(&mut sink, pid, mode);
        }
    }

    /// `+++ exited with N +++` (not with `-qq`) / `+++ killed by SIG +++`.
    pub fn exited(&mut self, pid: i32, how: ExitKind) {
        if self.needs_json() {
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
            self.json_event(pid, &event);
        }
        if self.prints_text() {
            let quiet = self.options.quiet;
            let (layout, mut sink, _) = self.parts(pid);
            match how {
                ExitKind::Exited(code) if !quiet.exit => layout.exited(&mut sink, pid, code),
                ExitKind::Exited(_) => {}
                ExitKind::Killed {
                    signal,
                    core_dumped,
                } => layout.killed(&mut sink, pid, signal, core_dumped),
            }
        }
    }

    /// A JSON attach event (the text form is rtrace's own stderr message).
    pub fn attached(&mut self, pid: i32) {
        if self.needs_json() {
            self.json_event(
                pid,
                &Event::Attach {
                    pid,
                    timestamp: wall_now(),
                },
            );
        }
    }

    /// Ends `pid`'s open line with ` <detached ...>`, or writes a JSON detach event.
    pub fn detached(&mut self, pid: i32) {
        if self.needs_json() {
            self.json_event(
                pid,
                &Event::Detach {
                    pid,
                    timestamp: wall_now(),
                },
            );
        }
        if self.prints_text() && self.layout.is_open(pid) {
            let mut sink = SinkAdapter {
                output: &mut self.output,
                error: &mut self.error,
            };
            sink.write(pid, b" <detached ...>\n");
            self.layout.forget_open();
        }
    }

    /// Text lines after a call's line (`-e read=`/`-e write=` dumps), into `pid`'s
    /// output; only when text is printed.
    pub fn write_text(&mut self, pid: i32, text: &[u8]) {
        if !self.prints_text() {
            return;
        }
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.error,
        };
        sink.write(pid, text);
    }

    /// Flushes what was written so far (before a message of rtrace's own on stderr).
    pub fn flush(&mut self) {
        if let Err(e) = self.output.flush() {
            self.error.get_or_insert(e.to_string());
        }
    }

    /// Writes text as is (the summary table).
    pub fn write_raw(&mut self, text: &[u8]) {
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.error,
        };
        sink.write(0, text);
    }

    /// Closes any open line and flushes.
    pub fn finish(&mut self) {
        let mut sink = SinkAdapter {
            output: &mut self.output,
            error: &mut self.error,
        };
        self.layout.finish(&mut sink);
        if let Err(e) = self.output.flush() {
            self.error.get_or_insert(e.to_string());
        }
    }
}
