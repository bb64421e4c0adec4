//! strace's line layout: pid prefixes, `= ` at the alignment column, and the
//! `<unfinished ...>` / `<... NAME resumed>` split when events interleave.

use std::collections::HashMap;
use std::io::Write;

use rtrace_plugin_api::{DecodeStatus, Emitter, ReturnStyle};

use crate::errno::write_return;
use crate::numbers::{push_decimal, push_decimal_left, push_decimal_right};
use crate::siginfo::{write_siginfo, SigInfo};
use crate::signals::write_signal_name;
use crate::token_text::{
    color, write_comm, write_fd, write_pid, ArgCursor, FdPaths, ValueRenderer,
};

/// How each line names its process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PidPrefix {
    /// `[pid  1234] ` while more than one tracee is alive (output to stderr).
    WhileSeveral,
    /// `1234  ` on every line (`-o FILE` with `-f` or several `-p`).
    Always,
    /// Never (one file per process, `-ff`).
    Never,
}

/// Hours, minutes and seconds of a Unix time in the local time zone.
fn local_clock(unix_seconds: i64) -> (i32, i32, i32) {
    // SAFETY: localtime_r fills the tm it is given.
    unsafe {
        let t: libc::time_t = unix_seconds as libc::time_t;
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&t, &mut tm);
        (tm.tm_hour, tm.tm_min, tm.tm_sec)
    }
}

/// Receives finished pieces of output. A line may arrive in several pieces;
/// a piece ending in `\n` completes it.
pub trait LineSink {
    fn write(&mut self, pid: i32, text: &[u8]);
}

/// The layout settings.
#[derive(Debug, Clone, Copy)]
pub struct LayoutOptions {
    /// `-a N`: the column where `= ` starts.
    pub align_column: usize,
    pub prefix: PidPrefix,
    /// Each process writes to its own stream (`-ff`): lines never interleave.
    pub separate_streams: bool,
    /// `-t`, `-tt`, `-ttt`, `--absolute-timestamps`.
    pub time: TimeFormat,
    /// `-r`: time since the previous line, to this precision.
    pub relative_time: Option<Precision>,
    /// `-n`: the syscall number before each call.
    pub syscall_numbers: bool,
    /// `-i`: the instruction pointer before each line, this many hex digits wide.
    pub instruction_pointer: Option<usize>,
    /// `-T`: time spent in each call after the result, to this precision.
    pub durations: Option<Precision>,
    /// `--color`: names, errors and signals in colour (ANSI escapes; columns count
    /// only visible characters).
    pub colors: bool,
}

/// Absolute timestamps on each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeFormat {
    #[default]
    None,
    /// The local clock time: `05:16:10` (`-t`), `05:16:10.809631` (`-tt`).
    Clock(Precision),
    /// Seconds since the epoch: `1795756570.813338` (`-ttt`).
    Unix(Precision),
}

/// How many digits of a second a time shows (`s`, `ms`, `us`, `ns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    Seconds,
    Millis,
    #[default]
    Micros,
    Nanos,
}

impl Precision {
    /// strace's names for the precisions.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "s" => Precision::Seconds,
            "ms" => Precision::Millis,
            "us" => Precision::Micros,
            "ns" => Precision::Nanos,
            _ => return None,
        })
    }

    /// Appends `.FRACTION` of `time` (nothing at a precision of seconds), truncated.
    fn write_fraction(self, out: &mut Vec<u8>, time: std::time::Duration) {
        let nanos = time.subsec_nanos();
        let _ = match self {
            Precision::Seconds => Ok(()),
            Precision::Millis => write!(out, ".{:03}", nanos / 1_000_000),
            Precision::Micros => write!(out, ".{:06}", nanos / 1_000),
            Precision::Nanos => write!(out, ".{nanos:09}"),
        };
    }
}

/// What the prefix of the next line shows besides the pid: set by the caller before
/// each event (only what the options ask for need be filled).
#[derive(Debug, Clone, Copy, Default)]
pub struct Stamp {
    /// Wall-clock time of the event (CLOCK_REALTIME).
    pub wall: std::time::Duration,
    /// The syscall number, for `-n`.
    pub syscall_number: Option<u64>,
    /// The instruction pointer, for `-i`.
    pub instruction_pointer: Option<u64>,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            align_column: 40,
            prefix: PidPrefix::WhileSeveral,
            separate_streams: false,
            time: TimeFormat::None,
            relative_time: None,
            syscall_numbers: false,
            instruction_pointer: None,
            durations: None,
            colors: false,
        }
    }
}

/// A syscall's return as the kernel gave it.
#[derive(Debug, Clone, Copy)]
pub struct Return {
    pub value: i64,
    pub is_error: bool,
    pub style: ReturnStyle,
    /// Time spent in the call, shown with `-T`.
    pub duration: Option<std::time::Duration>,
    /// What tampering (`-e inject=`) did to the call, shown after the result.
    pub tampered: Tampered,
}

/// What `-e inject=` did to a call, as strace marks it after the result:
/// ` (INJECTED)`, ` (INJECTED: args)`, ` (INJECTED: args, retval)`, ` (DELAYED)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tampered {
    /// The result was replaced (`error=`, `retval=`).
    pub result: bool,
    /// Memory an argument points to was overwritten (`poke_enter=`, `poke_exit=`).
    pub args: bool,
    /// The thread was held stopped (`delay_enter=`, `delay_exit=`).
    pub delayed: bool,
}

impl Tampered {
    pub fn any(&self) -> bool {
        self.result || self.args || self.delayed
    }

    /// The marks, each with its leading space.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(match (self.args, self.result) {
            (true, true) => b" (INJECTED: args, retval)".as_slice(),
            (true, false) => b" (INJECTED: args)",
            (false, true) => b" (INJECTED)",
            (false, false) => b"",
        });
        if self.delayed {
            out.extend_from_slice(b" (DELAYED)");
        }
    }
}

/// Per-thread state of the line being written, kept by the caller from entry to exit.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenCall {
    pub cursor: ArgCursor,
    /// Column reached on the line when the entry was written (`-ff` continues there).
    pub column: usize,
    /// The decoder has more to show at exit: a call that never returns says
    /// ` <unfinished ...>` before its `) = ?`.
    pub more_at_exit: bool,
}

/// Lays out events as strace does. It remembers which process's line is open so that
/// an event of another process first closes it with ` <unfinished ...>`.
pub struct LineLayout {
    pub options: LayoutOptions,
    pub values: ValueRenderer,
    /// How many tracees are alive (the `[pid N]` prefix shows only when several are).
    pub live_tracees: usize,
    /// The process whose line was left open, and its column.
    open: Option<(i32, usize)>,
    buf: Vec<u8>,
    /// What the next line's prefix shows.
    pub stamp: Stamp,
    /// The wall time of the previous line, for `-r`.
    previous_wall: Option<std::time::Duration>,
    /// `-Y`: each tracee's command name as the host last read it (raw bytes), shown after the pid in the prefix (`[pid  1234<sh>] `). The host keeps it
    /// as strace does: read when a tracee is first seen and after a call that can
    /// change it (execve, prctl).
    pub comms: Option<HashMap<i32, Vec<u8>>>,
}

impl LineLayout {
    pub fn new(options: LayoutOptions, values: ValueRenderer) -> Self {
        LineLayout {
            options,
            values,
            live_tracees: 1,
            open: None,
            buf: Vec::with_capacity(4096),
            stamp: Stamp::default(),
            previous_wall: None,
            comms: None,
        }
    }

    /// Closes another process's open line before `pid` writes.
    fn interrupt_for(&mut self, pid: i32, sink: &mut dyn LineSink) {
        if self.options.separate_streams {
            return;
        }
        if let Some((open_pid, _)) = self.open {
            if open_pid != pid {
                sink.write(open_pid, b" <unfinished ...>\n");
                self.open = None;
            }
        }
    }

    fn write_prefix(&mut self, pid: i32) {
        let comm = self
            .comms
            .as_ref()
            .and_then(|comms| comms.get(&pid))
            .filter(|comm| !comm.is_empty());
        let hex = self.values.hex;
        let write_comm = |buf: &mut Vec<u8>| {
            if let Some(comm) = comm {
                write_comm(buf, comm, hex);
            }
        };
        match self.options.prefix {
            // With a name the pid is not padded: `1234<sh> `, as strace writes it.
            PidPrefix::Always if comm.is_some() => {
                push_decimal(&mut self.buf, i64::from(pid));
                write_comm(&mut self.buf);
                self.buf.push(b' ');
            }
            PidPrefix::Always => {
                push_decimal_left(&mut self.buf, pid, 5);
                self.buf.push(b' ');
            }
            PidPrefix::WhileSeveral if self.live_tracees > 1 => {
                self.buf.extend_from_slice(b"[pid ");
                push_decimal_right(&mut self.buf, pid, 5);
                write_comm(&mut self.buf);
                self.buf.extend_from_slice(b"] ");
            }
            _ => {}
        }
        let wall = self.stamp.wall;
        match self.options.time {
            TimeFormat::None => {}
            TimeFormat::Clock(precision) => {
                let (h, m, s) = local_clock(wall.as_secs() as i64);
                let _ = write!(self.buf, "{h:02}:{m:02}:{s:02}");
                precision.write_fraction(&mut self.buf, wall);
                self.buf.push(b' ');
            }
            TimeFormat::Unix(precision) => {
                let _ = write!(self.buf, "{}", wall.as_secs());
                precision.write_fraction(&mut self.buf, wall);
                self.buf.push(b' ');
            }
        }
        if let Some(precision) = self.options.relative_time {
            let delta = self
                .previous_wall
                .map_or(std::time::Duration::ZERO, |p| wall.saturating_sub(p));
            self.previous_wall = Some(wall);
            // With an absolute time before it, strace puts the delta in `(+...)`.
            let absolute = self.options.time != TimeFormat::None;
            if absolute {
                self.buf.extend_from_slice(b"(+");
            }
            let _ = write!(self.buf, "{:6}", delta.as_secs());
            precision.write_fraction(&mut self.buf, delta);
            self.buf
                .extend_from_slice(if absolute { b") " } else { b" " });
        }
        if self.options.syscall_numbers {
            match self.stamp.syscall_number {
                Some(n) => {
                    let _ = write!(self.buf, "[{n:4}] ");
                }
                None => self.buf.extend_from_slice(b"[????] "),
            }
        }
        if let Some(width) = self.options.instruction_pointer {
            match self.stamp.instruction_pointer {
                Some(ip) => {
                    let _ = write!(self.buf, "[{ip:0width$x}] ");
                }
                None => {
                    let _ = write!(self.buf, "[{:?<width$}] ", "");
                }
            }
        }
    }

    /// Writes `name(args` for a syscall entry and leaves the line open.
    // Each parameter is a distinct fact of the event; bundling them would only rename them.
    #[allow(clippy::too_many_arguments)]
    pub fn syscall_entry(
        &mut self,
        sink: &mut dyn LineSink,
        pid: i32,
        name: &str,
        emitter: &Emitter,
        status: DecodeStatus,
        call: &mut OpenCall,
        fds: &dyn FdPaths,
    ) {
        self.interrupt_for(pid, sink);
        self.buf.clear();
        self.write_prefix(pid);
        self.write_name(name);
        self.buf.push(b'(');
        *call = OpenCall::default();
        self.values
            .render_args(&mut self.buf, emitter, &mut call.cursor, fds);
        // The `, ` before the arguments shown at exit is written with them, as strace 7
        // does: an interrupted line reads `read(3 <unfinished ...>` and resumes with
        // `<... read resumed>, "data", 4)`.
        call.more_at_exit = status == DecodeStatus::MoreAtExit;
        call.column = self.visible_len();
        sink.write(pid, &self.buf);
        self.open = Some((pid, call.column));
    }

    /// Starts the exit half: continues the open line, or writes `<... NAME resumed>`.
    /// Returns the column reached.
    fn resume(&mut self, sink: &mut dyn LineSink, pid: i32, name: &str, call: &OpenCall) -> usize {
        self.buf.clear();
        let start_column = match self.open {
            Some((open_pid, column)) if open_pid == pid => column,
            _ if self.options.separate_streams => call.column,
            _ => {
                self.interrupt_for(pid, sink);
                self.write_prefix(pid);
                self.buf.extend_from_slice(b"<... ");
                self.write_name(name);
                self.buf.extend_from_slice(b" resumed>");
                0
            }
        };
        self.open = None;
        start_column
    }

    fn write_name(&mut self, name: &str) {
        if self.options.colors {
            self.buf.extend_from_slice(color::NAME);
        }
        self.buf.extend_from_slice(name.as_bytes());
        if self.options.colors {
            self.buf.extend_from_slice(color::RESET);
        }
    }

    /// The width of the buffered text on screen: colour escapes take no room.
    fn visible_len(&self) -> usize {
        if !self.options.colors {
            return self.buf.len();
        }
        let mut width = 0;
        let mut in_escape = false;
        for &b in &self.buf {
            match (in_escape, b) {
                (false, 0x1b) => in_escape = true,
                (false, _) => width += 1,
                (true, b'm') => in_escape = false,
                (true, _) => {}
            }
        }
        width
    }

    fn pad_to_column(&mut self, start_column: usize) {
        // strace writes ") " and pads with spaces so that "=" lands on the column.
        let column = start_column + self.visible_len();
        if column + 1 < self.options.align_column {
            self.buf
                .resize(self.buf.len() + self.options.align_column - column, b' ');
        } else {
            self.buf.push(b' ');
        }
    }

    /// Writes the rest of the call: exit arguments, `)`, `= result` and any note.
    #[allow(clippy::too_many_arguments)]
    pub fn syscall_exit(
        &mut self,
        sink: &mut dyn LineSink,
        pid: i32,
        name: &str,
        emitter: &Emitter,
        call: &mut OpenCall,
        ret: Return,
        fds: &dyn FdPaths,
    ) {
        let start = self.resume(sink, pid, name, call);
        let note = self
            .values
            .render_args(&mut self.buf, emitter, &mut call.cursor, fds);
        self.buf.push(b')');
        self.pad_to_column(start);
        self.buf.extend_from_slice(b"= ");
        if ret.style == ReturnStyle::Fd && !ret.is_error {
            write_fd(&mut self.buf, ret.value, fds);
        } else if let (ReturnStyle::Pid(kind), false) = (ret.style, ret.is_error) {
            write_pid(&mut self.buf, ret.value, kind, fds, self.values.hex);
        } else {
            if ret.is_error && self.options.colors {
                self.buf.extend_from_slice(color::ERROR);
            }
            write_return(&mut self.buf, ret.value, ret.is_error, ret.style);
            if ret.is_error && self.options.colors {
                self.buf.extend_from_slice(color::RESET);
            }
        }
        if let Some(at) = note {
            self.buf.extend_from_slice(b" (");
            self.values.render_note(&mut self.buf, emitter, at, fds);
            self.buf.push(b')');
        }
        ret.tampered.write(&mut self.buf);
        if let (Some(precision), Some(d)) = (self.options.durations, ret.duration) {
            let _ = write!(self.buf, " <{}", d.as_secs());
            precision.write_fraction(&mut self.buf, d);
            self.buf.push(b'>');
        }
        self.buf.push(b'\n');
        sink.write(pid, &self.buf);
    }

    /// Ends a call that never returns (`exit_group(0) = ?`, a thread killed in a call).
    pub fn syscall_no_return(
        &mut self,
        sink: &mut dyn LineSink,
        pid: i32,
        name: &str,
        call: &OpenCall,
    ) {
        let start = self.resume(sink, pid, name, call);
        if call.more_at_exit {
            self.buf.extend_from_slice(b" <unfinished ...>");
        }
        self.buf.push(b')');
        self.pad_to_column(start);
        self.buf.extend_from_slice(b"= ?\n");
        sink.write(pid, &self.buf);
    }

    /// Writes a whole line of its own after the prefix (`--- ... ---`, `+++ ... +++`).
    fn own_line(&mut self, sink: &mut dyn LineSink, pid: i32, body: impl FnOnce(&mut Vec<u8>)) {
        self.interrupt_for(pid, sink);
        self.buf.clear();
        self.write_prefix(pid);
        body(&mut self.buf);
        self.buf.push(b'\n');
        sink.write(pid, &self.buf);
    }

    /// `--- SIGCHLD {si_signo=SIGCHLD, ...} ---`
    /// `pids` names the sender under `-Y`.
    pub fn signal(
        &mut self,
        sink: &mut dyn LineSink,
        pid: i32,
        siginfo: &[u8],
        pids: &dyn FdPaths,
    ) {
        let colors = self.options.colors;
        let hex = self.values.hex;
        let consts = self.values.consts;
        self.own_line(sink, pid, |buf| {
            let info = SigInfo::new(siginfo);
            if colors {
                buf.extend_from_slice(color::SIGNAL);
            }
            buf.extend_from_slice(b"--- ");
            write_signal_name(buf, info.signo());
            buf.push(b' ');
            write_siginfo(buf, &info, pids, hex, consts);
            buf.extend_from_slice(b" ---");
            if colors {
                buf.extend_from_slice(color::RESET);
            }
        });
    }

    /// `--- stopped by SIGSTOP ---`
    pub fn group_stop(&mut self, sink: &mut dyn LineSink, pid: i32, sig: i32) {
        self.own_line(sink, pid, |buf| {
            buf.extend_from_slice(b"--- stopped by ");
            write_signal_name(buf, sig);
            buf.extend_from_slice(b" ---");
        });
    }

    /// `+++ exited with 3 +++`
    pub fn exited(&mut self, sink: &mut dyn LineSink, pid: i32, code: i32) {
        self.own_line(sink, pid, |buf| {
            let _ = write!(buf, "+++ exited with {code} +++");
        });
    }

    /// `+++ killed by SIGSEGV (core dumped) +++`
    pub fn killed(&mut self, sink: &mut dyn LineSink, pid: i32, sig: i32, core_dumped: bool) {
        self.own_line(sink, pid, |buf| {
            buf.extend_from_slice(b"+++ killed by ");
            write_signal_name(buf, sig);
            if core_dumped {
                buf.extend_from_slice(b" (core dumped)");
            }
            buf.extend_from_slice(b" +++");
        });
    }

    /// `+++ superseded by execve in pid N +++`: written for the thread-group leader
    /// when another of its threads (`execve_tid`) called execve and took its pid.
    pub fn superseded(&mut self, sink: &mut dyn LineSink, leader: i32, execve_tid: i32) {
        self.own_line(sink, leader, |buf| {
            let _ = write!(buf, "+++ superseded by execve in pid {execve_tid} +++");
        });
    }

    /// `[ Process PID=N runs in 32 bit mode. ]`: the thread's syscalls now come in another
    /// personality (strace's wording; `mode` is `64 bit`, `32 bit` or `x32`).
    pub fn personality(&mut self, sink: &mut dyn LineSink, pid: i32, mode: &str) {
        self.own_line(sink, pid, |buf| {
            let _ = write!(buf, "[ Process PID={pid} runs in {mode} mode. ]");
        });
    }

    /// Ends any open line, as at the end of the trace.
    pub fn finish(&mut self, sink: &mut dyn LineSink) {
        if let Some((pid, _)) = self.open.take() {
            sink.write(pid, b" <unfinished ...>\n");
        }
    }

    /// Drops the open line without closing it (the caller ended it itself).
    pub fn forget_open(&mut self) {
        self.open = None;
    }

    /// Whether `pid`'s line is the one left open.
    pub fn is_open(&self, pid: i32) -> bool {
        matches!(self.open, Some((p, _)) if p == pid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escape::HexMode;
    use crate::token_text::NoFdPaths;
    use abi_stable::std_types::RStr;
    use rtrace_plugin_api::{PidKind, StrStyle, Token};

    #[derive(Default)]
    struct Collect(Vec<u8>);
    impl LineSink for Collect {
        fn write(&mut self, _pid: i32, text: &[u8]) {
            self.0.extend_from_slice(text);
        }
    }

    fn layout(prefix: PidPrefix) -> LineLayout {
        LineLayout::new(
            LayoutOptions {
                prefix,
                ..LayoutOptions::default()
            },
            ValueRenderer {
                hex: HexMode::None,
                colors: false,
                ..Default::default()
            },
        )
    }

    fn ints(values: &[i64]) -> Emitter {
        let mut e = Emitter::default();
        e.tokens.extend(values.iter().map(|&v| Token::Int(v)));
        e
    }

    fn ok(value: i64) -> Return {
        Return {
            value,
            is_error: false,
            style: ReturnStyle::Decimal,
            duration: None,
            tampered: Default::default(),
        }
    }

    /// Names pid 7 `sh<x>`, every other pid nothing.
    struct OneComm;
    impl FdPaths for OneComm {
        fn describe(&self, _fd: i32, _out: &mut Vec<u8>) -> bool {
            false
        }
        fn describe_pid(&self, id: i32, kind: PidKind, comm: &mut Vec<u8>) -> Option<i32> {
            if id == 7 && matches!(kind, PidKind::Tid | PidKind::Tgid) {
                comm.extend_from_slice(b"sh<x>");
            }
            None
        }
    }

    /// A tracee in a pid namespace of its own: ids 1 to 3 there are 4001 to 4003 in the
    /// tracer's, and 1 is named `init`.
    struct Nested;
    impl FdPaths for Nested {
        fn describe(&self, _fd: i32, _out: &mut Vec<u8>) -> bool {
            false
        }
        fn describe_pid(&self, id: i32, kind: PidKind, comm: &mut Vec<u8>) -> Option<i32> {
            if id == 1 && matches!(kind, PidKind::Tid | PidKind::Tgid) {
                comm.extend_from_slice(b"init");
            }
            (1..=3).contains(&id).then_some(id + 4000)
        }
    }

    /// `--pidns-translation`: the id in the tracer's namespace after the name, for
    /// arguments (a group's `-N` as the group N), results and siginfo; 0, -1 and ids
    /// with no translation bare.
    #[test]
    fn translated_pids_follow_their_name() {
        let mut l = layout(PidPrefix::Always);
        let mut sink = Collect::default();
        let mut call = OpenCall::default();
        let mut args = Emitter::default();
        for (value, kind) in [
            (1, PidKind::Tgid),
            (-2, PidKind::TgidOrPgid),
            (3, PidKind::Sid),
            (-1, PidKind::TgidOrPgid),
            (0, PidKind::Tgid),
            (9, PidKind::Tid),
        ] {
            args.tokens.push(Token::Pid { value, kind });
        }
        l.syscall_entry(
            &mut sink,
            5,
            "f",
            &args,
            DecodeStatus::Complete,
            &mut call,
            &Nested,
        );
        let ret = Return {
            style: ReturnStyle::Pid(PidKind::Tid),
            ..ok(1)
        };
        l.syscall_exit(
            &mut sink,
            5,
            "f",
            &Emitter::default(),
            &mut call,
            ret,
            &Nested,
        );
        let text = String::from_utf8(sink.0).unwrap();
        assert_eq!(
            text.trim_end(),
            "5     f(1<init> /* 4001 in strace's PID NS */, \
             -2 /* 4002 in strace's PID NS */, 3 /* 4003 in strace's PID NS */, -1, 0, 9) \
             = 1<init> /* 4001 in strace's PID NS */"
        );
    }

    /// `-Y`: names after a process's and a thread's id, not after a group's, a
    /// session's, 0 or an unknown pid; `<` and `>` escaped; the prefix named too, the
    /// pid then unpadded.
    #[test]
    fn command_names_follow_the_pids_strace_names() {
        let mut l = layout(PidPrefix::Always);
        l.comms = Some(HashMap::from([(7, b"sh<x>".to_vec())]));
        let mut sink = Collect::default();
        let mut call = OpenCall::default();
        let mut args = Emitter::default();
        for (value, kind) in [
            (7, PidKind::Tgid),
            (7, PidKind::Tid),
            (7, PidKind::Pgid),
            (-7, PidKind::TgidOrPgid),
            (0, PidKind::Tgid),
            (8, PidKind::Tgid),
        ] {
            args.tokens.push(Token::Pid { value, kind });
        }
        l.syscall_entry(
            &mut sink,
            7,
            "f",
            &args,
            DecodeStatus::Complete,
            &mut call,
            &OneComm,
        );
        let ret = Return {
            style: ReturnStyle::Pid(PidKind::Tgid),
            ..ok(7)
        };
        l.syscall_exit(
            &mut sink,
            7,
            "f",
            &Emitter::default(),
            &mut call,
            ret,
            &OneComm,
        );
        let sid = Return {
            style: ReturnStyle::Pid(PidKind::Sid),
            ..ok(7)
        };
        l.syscall_entry(
            &mut sink,
            8,
            "g",
            &Emitter::default(),
            DecodeStatus::Complete,
            &mut call,
            &OneComm,
        );
        l.syscall_exit(
            &mut sink,
            8,
            "g",
            &Emitter::default(),
            &mut call,
            sid,
            &OneComm,
        );
        let text = String::from_utf8(sink.0).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "7<sh\\74x\\76> f(7<sh\\74x\\76>, 7<sh\\74x\\76>, 7, -7, 0, 8) = 7<sh\\74x\\76>"
        );
        assert_eq!(
            lines[1].split_whitespace().collect::<Vec<_>>(),
            ["8", "g()", "=", "7"]
        );
    }

    #[test]
    fn colours_do_not_move_the_column() {
        let mut l = LineLayout::new(
            LayoutOptions {
                colors: true,
                ..LayoutOptions::default()
            },
            ValueRenderer {
                hex: HexMode::None,
                colors: true,
                ..Default::default()
            },
        );
        let mut sink = Collect::default();
        let mut call = OpenCall::default();
        l.syscall_entry(
            &mut sink,
            1,
            "close",
            &ints(&[3]),
            DecodeStatus::Complete,
            &mut call,
            &NoFdPaths,
        );
        let ret = Return {
            is_error: true,
            ..ok(-9)
        };
        l.syscall_exit(
            &mut sink,
            1,
            "close",
            &Emitter::default(),
            &mut call,
            ret,
            &NoFdPaths,
        );
        let line = String::from_utf8(sink.0).unwrap();
        assert_eq!(
            line,
            format!(
                "\x1b[1mclose\x1b[0m(3){}= \x1b[31m-1 EBADF (Bad file descriptor)\x1b[0m\n",
                " ".repeat(32)
            )
        );
    }

    #[test]
    fn prefixes_in_strace_order() {
        let mut l = LineLayout::new(
            LayoutOptions {
                prefix: PidPrefix::Always,
                time: TimeFormat::Unix(Precision::Micros),
                relative_time: Some(Precision::Micros),
                syscall_numbers: true,
                instruction_pointer: Some(16),
                durations: Some(Precision::Micros),
                ..LayoutOptions::default()
            },
            ValueRenderer {
                hex: HexMode::None,
                colors: false,
                ..Default::default()
            },
        );
        l.stamp = Stamp {
            wall: std::time::Duration::new(1795756570, 813_338_000),
            syscall_number: Some(12),
            instruction_pointer: Some(0x7f3c_de4a_ec47),
        };
        let mut sink = Collect::default();
        let mut call = OpenCall::default();
        l.syscall_entry(
            &mut sink,
            2849,
            "brk",
            &ints(&[0]),
            DecodeStatus::Complete,
            &mut call,
            &NoFdPaths,
        );
        let ret = Return {
            duration: Some(std::time::Duration::from_micros(4)),
            ..ok(0)
        };
        l.syscall_exit(
            &mut sink,
            2849,
            "brk",
            &Emitter::default(),
            &mut call,
            ret,
            &NoFdPaths,
        );
        assert_eq!(
            String::from_utf8(sink.0).unwrap(),
            "2849  1795756570.813338 (+     0.000000) [  12] [00007f3cde4aec47] brk(0) = 0 <0.000004>\n"
        );
    }

    #[test]
    fn tampering_marks_follow_the_result_and_precede_the_duration() {
        let marks = |result, args, delayed| {
            let mut out = Vec::new();
            Tampered {
                result,
                args,
                delayed,
            }
            .write(&mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(marks(true, false, false), " (INJECTED)");
        assert_eq!(marks(false, true, false), " (INJECTED: args)");
        assert_eq!(
            marks(true, true, true),
            " (INJECTED: args, retval) (DELAYED)"
        );
        assert_eq!(marks(false, false, true), " (DELAYED)");
        assert_eq!(marks(false, false, false), "");

        let mut l = LineLayout::new(
            LayoutOptions {
                durations: Some(Precision::Micros),
                ..LayoutOptions::default()
            },
            ValueRenderer::default(),
        );
        let mut sink = Collect::default();
        let mut call = OpenCall::default();
        l.syscall_entry(
            &mut sink,
            1,
            "close",
            &ints(&[3]),
            DecodeStatus::Complete,
            &mut call,
            &NoFdPaths,
        );
        let ret = Return {
            value: -2,
            is_error: true,
            duration: Some(std::time::Duration::from_micros(4)),
            tampered: Tampered {
                result: true,
                ..Tampered::default()
            },
            ..ok(0)
        };
        l.syscall_exit(
            &mut sink,
            1,
            "close",
            &Emitter::default(),
            &mut call,
            ret,
            &NoFdPaths,
        );
        assert_eq!(
            String::from_utf8(sink.0).unwrap(),
            "close(3)                                = -1 ENOENT (No such file or directory) (INJECTED) <0.000004>\n"
        );
    }

    #[test]
    fn equals_sign_at_column_40() {
        let mut l = layout(PidPrefix::WhileSeveral);
        let mut sink = Collect::default();
        let mut call = OpenCall::default();
        l.syscall_entry(
            &mut sink,
            1,
            "close",
            &ints(&[3]),
            DecodeStatus::Complete,
            &mut call,
            &NoFdPaths,
        );
        l.syscall_exit(
            &mut sink,
            1,
            "close",
            &Emitter::default(),
            &mut call,
            ok(0),
            &NoFdPaths,
        );
        let line = String::from_utf8(sink.0).unwrap();
        assert_eq!(line, format!("close(3){}= 0\n", " ".repeat(32)));
        assert_eq!(line.find('='), Some(40));
    }

    #[test]
    fn long_lines_get_one_space() {
        let mut l = layout(PidPrefix::Always);
        let mut sink = Collect::default();
        let mut call = OpenCall::default();
        let mut e = Emitter::default();
        e.bytes.extend(
            b"/a/very/long/path/that/goes/past/the/column"
                .iter()
                .copied(),
        );
        e.tokens.push(Token::Bytes {
            start: 0,
            len: e.bytes.len() as u32,
            truncated: false,
            style: StrStyle::Path,
        });
        l.syscall_entry(
            &mut sink,
            42,
            "unlink",
            &e,
            DecodeStatus::Complete,
            &mut call,
            &NoFdPaths,
        );
        l.syscall_exit(
            &mut sink,
            42,
            "unlink",
            &Emitter::default(),
            &mut call,
            ok(0),
            &NoFdPaths,
        );
        assert_eq!(
            String::from_utf8(sink.0).unwrap(),
            "42    unlink(\"/a/very/long/path/that/goes/past/the/column\") = 0\n"
        );
    }

    #[test]
    fn interleaving_splits_lines_like_strace() {
        let mut l = layout(PidPrefix::WhileSeveral);
        l.live_tracees = 2;
        let mut sink = Collect::default();
        let (mut a, mut b) = (OpenCall::default(), OpenCall::default());
        l.syscall_entry(
            &mut sink,
            31712,
            "read",
            &ints(&[3]),
            DecodeStatus::MoreAtExit,
            &mut a,
            &NoFdPaths,
        );
        l.syscall_entry(
            &mut sink,
            31713,
            "write",
            &ints(&[4]),
            DecodeStatus::Complete,
            &mut b,
            &NoFdPaths,
        );
        l.syscall_exit(
            &mut sink,
            31713,
            "write",
            &Emitter::default(),
            &mut b,
            ok(1),
            &NoFdPaths,
        );
        l.syscall_exit(
            &mut sink,
            31712,
            "read",
            &ints(&[1]),
            &mut a,
            ok(1),
            &NoFdPaths,
        );
        let text = String::from_utf8(sink.0).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "[pid 31712] read(3 <unfinished ...>");
        assert_eq!(lines[1], "[pid 31713] write(4)                    = 1");
        assert_eq!(lines[2], "[pid 31712] <... read resumed>, 1)      = 1");
    }

    #[test]
    fn exits_and_signals() {
        let mut l = layout(PidPrefix::WhileSeveral);
        let mut sink = Collect::default();
        let mut call = OpenCall::default();
        let name = RStr::from_str("x");
        let _ = name;
        l.syscall_entry(
            &mut sink,
            5,
            "exit_group",
            &ints(&[0]),
            DecodeStatus::Complete,
            &mut call,
            &NoFdPaths,
        );
        l.syscall_no_return(&mut sink, 5, "exit_group", &call);
        l.exited(&mut sink, 5, 0);
        l.killed(&mut sink, 5, 11, true);
        l.group_stop(&mut sink, 5, 19);
        assert_eq!(
            String::from_utf8(sink.0).unwrap(),
            format!(
                "exit_group(0){}= ?\n+++ exited with 0 +++\n+++ killed by SIGSEGV (core dumped) +++\n\
                 --- stopped by SIGSTOP ---\n",
                " ".repeat(27)
            )
        );
    }
}
