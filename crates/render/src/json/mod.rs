//! `--json`: one JSON object per event (JSON Lines), for jq and scripts.
//!
//! The same walk of the token tree that [`crate::token_text`] writes as strace's text
//! builds a value tree here (`value_tree`), which `encode` writes as JSON. `docs/json-schema.json` is the contract; the encoding in short:
//!
//! - Every line is one object with `"type"` (`syscall`, `signal`, `exit`, `killed`,
//!   `stopped`, `attach`, `detach`, `superseded`), `"pid"` and `"timestamp"` (seconds
//!   since the epoch, a float with microsecond precision).
//! - A syscall is one object written when it ends, holding what the decoder emitted at
//!   entry and at exit. Each argument has `"raw"` (the register) and `"value"` (the
//!   decoded tree, or null when the decoder showed fewer arguments than the call has);
//!   under `-N`, also `"name"`, the argument's name as strace 7.2 prints it.
//! - Integers: a JSON number when its magnitude is at most 2^53 - 1 (exact in every
//!   JSON reader), otherwise a string of decimal digits (`"18446744073709551516"`).
//!   This holds for `raw`, `{"int":..}`, `return` and siginfo numbers alike.
//! - A value is an object whose one kind key says what it is: `{"int":3}`,
//!   `{"hex":"0x22"}`, `{"octal":"0644"}`, `{"ptr":"0x7ffd1000"}` / `{"ptr":null}`,
//!   `{"str":"..."}` (valid UTF-8) or `{"bytes_hex":"7f454c46"}` (anything else, and
//!   random buffers) with `"truncated":true` when cut at the string limit, `{"name":"O_RDONLY"}`,
//!   `{"text":"8192*1024"}`, `{"fd":3,"path":"/etc/hostname"}` (path only when known),
//!   `{"flags":[...]}`, `{"set":[...]}` (in both, constant names are bare strings, other
//!   members are value objects), `{"struct":{"field":value,...}}`, `{"array":[...]}`,
//!   `{"call":"htons","args":[...]}`, `{"in":X,"out":Y}` (an `=>` pair) and `{"more":true}`
//!   (a `...` standing alone). Structs, arrays, sets and calls carry `"more":true` when
//!   the decoder elided members (`...`). Struct members without a field name get the key
//!   `"_N"`, N being their position.
//!
//! Must not know: where the line goes, or any syscall's meaning.

mod encode;
mod value_tree;

use std::time::Duration;

use rtrace_plugin_api::{Emitter, ReturnStyle};
use rtrace_stack::Frame;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::dump::{CallDump, JsonDump};
use crate::errno::{errno_name, errno_text};
use crate::line::{Return, Tampered};
use crate::siginfo::SigInfo;
use crate::signals::signal_name;
use crate::stack::JsonStack;
use crate::token_text::{FdPaths, PidNote};
use encode::SigInfoJson;
pub(crate) use encode::{HexBytes, SafeInt};
use value_tree::{fd_path, value_tree, Member, Value};

/// One syscall, from entry to exit, as the caller kept it.
pub struct JsonCall<'a> {
    pub pid: i32,
    /// Wall-clock time at entry, since the epoch.
    pub timestamp: Duration,
    pub name: &'a str,
    pub number: u64,
    /// `"x86_64"` or `"arm"`: the personality the call was made in.
    pub arch: &'a str,
    /// The argument registers, as many as the call takes.
    pub args: &'a [u64],
    /// What the decoder emitted at entry (the caller must keep it until exit).
    pub entry: &'a Emitter,
    /// What the decoder emitted at exit; `None` for a call that never returned.
    pub exit: Option<&'a Emitter>,
    /// The result; `None` for a call that never returned (`exit_group`). Its
    /// `duration` becomes `"duration"` (fill it whatever `-T` says).
    pub ret: Option<Return>,
    /// Paths of fds, appended as raw bytes (not escaped): JSON escapes by itself.
    pub fds: &'a dyn FdPaths,
    /// `-k`: the user stack after the call, written as `"stack"` (absent without -k).
    pub stack: Option<&'a [Frame]>,
    /// `-e read=`/`-e write=`: the data the call moved, written as `"dump"` (absent
    /// when the call's data is not dumped).
    pub dump: Option<&'a CallDump>,
}

/// One event of the trace, as one JSON line.
pub enum Event<'a> {
    Syscall(&'a JsonCall<'a>),
    /// A signal delivered to the tracee, with its `siginfo_t` bytes.
    Signal {
        pid: i32,
        timestamp: Duration,
        siginfo: &'a [u8],
    },
    Exit {
        pid: i32,
        timestamp: Duration,
        exit_code: i32,
    },
    Killed {
        pid: i32,
        timestamp: Duration,
        signal: i32,
        core_dumped: bool,
    },
    /// A group-stop (`--- stopped by SIGSTOP ---`).
    Stopped {
        pid: i32,
        timestamp: Duration,
        signal: i32,
    },
    Attach {
        pid: i32,
        timestamp: Duration,
    },
    Detach {
        pid: i32,
        timestamp: Duration,
    },
    /// The thread-group leader `pid` was replaced by its thread `by_tid`, which called execve.
    Superseded {
        pid: i32,
        timestamp: Duration,
        by_tid: i32,
    },
}

/// Appends `event` as one line of JSON ending in `\n`.
pub fn write_event(out: &mut Vec<u8>, event: &Event<'_>) {
    // Writing into a Vec cannot fail, and every value here serializes.
    let _ = serde_json::to_writer(&mut *out, event);
    out.push(b'\n');
}

impl Serialize for Event<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (kind, pid, timestamp) = match *self {
            Event::Syscall(call) => return call.serialize(s),
            Event::Signal { pid, timestamp, .. } => ("signal", pid, timestamp),
            Event::Exit { pid, timestamp, .. } => ("exit", pid, timestamp),
            Event::Killed { pid, timestamp, .. } => ("killed", pid, timestamp),
            Event::Stopped { pid, timestamp, .. } => ("stopped", pid, timestamp),
            Event::Attach { pid, timestamp } => ("attach", pid, timestamp),
            Event::Detach { pid, timestamp } => ("detach", pid, timestamp),
            Event::Superseded { pid, timestamp, .. } => ("superseded", pid, timestamp),
        };
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", kind)?;
        m.serialize_entry("pid", &pid)?;
        m.serialize_entry("timestamp", &timestamp.as_secs_f64())?;
        match *self {
            Event::Signal { siginfo, .. } => {
                let info = SigInfo::new(siginfo);
                m.serialize_entry("signal", &signal_name(info.signo()))?;
                m.serialize_entry("siginfo", &SigInfoJson(&info))?;
            }
            Event::Exit { exit_code, .. } => m.serialize_entry("exit_code", &exit_code)?,
            Event::Killed {
                signal,
                core_dumped,
                ..
            } => {
                m.serialize_entry("signal", &signal_name(signal))?;
                m.serialize_entry("core_dumped", &core_dumped)?;
            }
            Event::Stopped { signal, .. } => m.serialize_entry("signal", &signal_name(signal))?,
            Event::Superseded { by_tid, .. } => m.serialize_entry("by_tid", &by_tid)?,
            Event::Syscall(_) | Event::Attach { .. } | Event::Detach { .. } => {}
        }
        m.end()
    }
}

impl Serialize for JsonCall<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (values, note) = value_tree(self.entry, self.exit, self.fds);

        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", "syscall")?;
        m.serialize_entry("pid", &self.pid)?;
        m.serialize_entry("timestamp", &self.timestamp.as_secs_f64())?;
        m.serialize_entry("name", self.name)?;
        m.serialize_entry("number", &SafeInt(self.number.into()))?;
        m.serialize_entry("arch", self.arch)?;
        m.serialize_entry(
            "args",
            &Args {
                raw: self.args,
                values: &values,
            },
        )?;
        m.serialize_entry("returned", &self.ret.is_some())?;
        match self.ret {
            Some(ret) if ret.is_error => {
                // As strace and libc show it; the kernel's -errno is in "errno".
                let errno = -ret.value;
                m.serialize_entry("return", &-1)?;
                m.serialize_entry("return_value", &())?;
                match errno_name(errno) {
                    Some(name) => m.serialize_entry("errno", name)?,
                    None => m.serialize_entry("errno", &format!("E{errno}"))?,
                }
                m.serialize_entry("error_text", &errno_text(errno))?;
            }
            Some(ret) => {
                m.serialize_entry("return", &SafeInt(ret.value.into()))?;
                m.serialize_entry("return_value", &return_value(ret, self.fds))?;
                m.serialize_entry("errno", &())?;
                m.serialize_entry("error_text", &())?;
            }
            None => {
                for key in ["return", "return_value", "errno", "error_text"] {
                    m.serialize_entry(key, &())?;
                }
            }
        }
        m.serialize_entry("return_note", &note)?;
        let duration = self.ret.and_then(|r| r.duration).map(|d| d.as_secs_f64());
        m.serialize_entry("duration", &duration)?;
        m.serialize_entry(
            "tampered",
            &self.ret.map(|r| r.tampered).filter(|t| t.any()),
        )?;
        if let Some(frames) = self.stack {
            m.serialize_entry("stack", &JsonStack(frames))?;
        }
        if let Some(dump) = self.dump {
            m.serialize_entry("dump", &JsonDump(dump))?;
        }
        m.end()
    }
}

impl Serialize for Tampered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("result", &self.result)?;
        m.serialize_entry("args", &self.args)?;
        m.serialize_entry("delayed", &self.delayed)?;
        m.end()
    }
}

/// The return value as a value tree, in the style the decoder chose.
fn return_value(ret: Return, fds: &dyn FdPaths) -> Value<'static> {
    let value = ret.value;
    match ret.style {
        ReturnStyle::Decimal => Value::Int(value),
        ReturnStyle::Hex => Value::Hex(value as u64),
        ReturnStyle::Octal => Value::Octal(value as u64),
        ReturnStyle::Fd => match i32::try_from(value) {
            Ok(fd) => Value::Fd(fd, fd_path(fd, fds)),
            Err(_) => Value::Int(value),
        },
        ReturnStyle::Pid(kind) => Value::Pid(value, PidNote::of(value, kind, fds)),
    }
}

/// The `"args"` array: register and decoded value side by side.
struct Args<'v, 'a> {
    raw: &'v [u64],
    values: &'v [Member<'a>],
}

impl Serialize for Args<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let count = self.raw.len().max(self.values.len());
        let mut seq = s.serialize_seq(Some(count))?;
        for i in 0..count {
            let member = self.values.get(i);
            seq.serialize_element(&Arg {
                raw: self.raw.get(i).copied(),
                name: member.and_then(|(name, _)| *name),
                value: member.map(|(_, value)| value),
            })?;
        }
        seq.end()
    }
}

struct Arg<'v, 'a> {
    raw: Option<u64>,
    /// The argument's name, known under `-N`.
    name: Option<&'a str>,
    value: Option<&'v Value<'a>>,
}

impl Serialize for Arg<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2 + usize::from(self.name.is_some())))?;
        if let Some(name) = self.name {
            m.serialize_entry("name", name)?;
        }
        m.serialize_entry("raw", &self.raw.map(|r| SafeInt(r.into())))?;
        m.serialize_entry("value", &self.value)?;
        m.end()
    }
}

#[cfg(test)]
mod tests;
