//! `--json`: one JSON object per event (JSON Lines), for jq and scripts.
//!
//! The same token stream that [`crate::values`] turns into strace's text is turned here
//! into a value tree. `docs/json-schema.json` is the contract; the encoding in short:
//!
//! - Every line is one object with `"type"` (`syscall`, `signal`, `exit`, `killed`,
//!   `stopped`, `attach`, `detach`, `superseded`), `"pid"` and `"timestamp"` (seconds
//!   since the epoch, a float with microsecond precision).
//! - A syscall is one object written when it ends, holding what the decoder emitted at
//!   entry and at exit. Each argument has `"raw"` (the register) and `"value"` (the
//!   decoded tree, or null when the decoder showed fewer arguments than the call has).
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

use std::fmt;
use std::time::Duration;

use rtrace_plugin_api::{Emitter, ReturnStyle, StrStyle, Token};
use rtrace_stack::Frame;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::errno::{errno_name, errno_text};
use crate::line::Return;
use crate::siginfo::{SigInfo, SigValue};
use crate::signals::signal_name;
use crate::stack::JsonStack;
use crate::values::FdPaths;

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
        let mut parser = Parser::new();
        parser.feed(self.entry, self.fds);
        if let Some(exit) = self.exit {
            parser.feed(exit, self.fds);
        }
        let (values, note) = parser.finish();

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
        if let Some(frames) = self.stack {
            m.serialize_entry("stack", &JsonStack(frames))?;
        }
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
    }
}

fn fd_path(fd: i32, fds: &dyn FdPaths) -> Option<Vec<u8>> {
    let mut path = Vec::new();
    (fd >= 0 && fds.describe(fd, &mut path)).then_some(path)
}

/// The `"args"` array: register and decoded value side by side.
struct Args<'v, 'a> {
    raw: &'v [u64],
    values: &'v [Value<'a>],
}

impl Serialize for Args<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let count = self.raw.len().max(self.values.len());
        let mut seq = s.serialize_seq(Some(count))?;
        for i in 0..count {
            seq.serialize_element(&Arg {
                raw: self.raw.get(i).copied(),
                value: self.values.get(i),
            })?;
        }
        seq.end()
    }
}

struct Arg<'v, 'a> {
    raw: Option<u64>,
    value: Option<&'v Value<'a>>,
}

impl Serialize for Arg<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("raw", &self.raw.map(|r| SafeInt(r.into())))?;
        m.serialize_entry("value", &self.value)?;
        m.end()
    }
}

/// A decoded value, borrowing its bytes from the emitter that held them.
#[derive(Debug, Clone, PartialEq)]
enum Value<'a> {
    Int(i64),
    Uint(u64),
    Hex(u64),
    Octal(u64),
    Pointer(u64),
    Bytes {
        bytes: &'a [u8],
        truncated: bool,
        style: StrStyle,
    },
    Name(&'a str),
    Text(&'a [u8]),
    Fd(i32, Option<Vec<u8>>),
    /// A `...` with no container to mark.
    More,
    Flags(Vec<Value<'a>>),
    Struct(Vec<Member<'a>>, bool),
    Array(Vec<Value<'a>>, bool),
    Set(Vec<Value<'a>>, bool),
    Call(&'a str, Vec<Value<'a>>, bool),
    /// `in => out`; either side may be missing in a malformed stream.
    Pair(Option<Box<Value<'a>>>, Option<Box<Value<'a>>>),
}

/// A value with the field name it was given, if any.
type Member<'a> = (Option<&'a str>, Value<'a>);

/// What a group of tokens becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupKind<'a> {
    /// The syscall's arguments.
    Args,
    /// The return annotation.
    Note,
    Flags,
    Struct,
    Array,
    Set,
    Call(&'a str),
}

struct Group<'a> {
    kind: GroupKind<'a>,
    members: Vec<Member<'a>>,
    /// A `...` was seen (for containers that can say so).
    more: bool,
    /// The field name waiting for its value.
    field: Option<&'a str>,
    /// The last member is a pair waiting for its right side.
    arrow_open: bool,
}

impl<'a> Group<'a> {
    fn new(kind: GroupKind<'a>) -> Self {
        Group {
            kind,
            members: Vec::new(),
            more: false,
            field: None,
            arrow_open: false,
        }
    }

    fn push(&mut self, value: Value<'a>) {
        if std::mem::take(&mut self.arrow_open) {
            if let Some((_, Value::Pair(_, out @ None))) = self.members.last_mut() {
                *out = Some(Box::new(value));
                return;
            }
        }
        self.members.push((self.field.take(), value));
    }

    /// `=>`: the last member becomes the left side of a pair.
    fn arrow(&mut self) {
        let (field, input) = match self.members.pop() {
            Some((field, value)) => (field, Some(Box::new(value))),
            None => (self.field.take(), None),
        };
        self.members.push((field, Value::Pair(input, None)));
        self.arrow_open = true;
    }

    fn ellipsis(&mut self) {
        match self.kind {
            GroupKind::Struct | GroupKind::Array | GroupKind::Set | GroupKind::Call(_) => {
                self.more = true
            }
            GroupKind::Args | GroupKind::Note | GroupKind::Flags => self.push(Value::More),
        }
    }

    fn values(self) -> Vec<Value<'a>> {
        self.members.into_iter().map(|(_, v)| v).collect()
    }

    fn into_value(self) -> Value<'a> {
        let more = self.more;
        match self.kind {
            GroupKind::Flags => Value::Flags(self.values()),
            GroupKind::Array => Value::Array(self.values(), more),
            GroupKind::Set => Value::Set(self.values(), more),
            GroupKind::Call(name) => Value::Call(name, self.values(), more),
            GroupKind::Struct | GroupKind::Args | GroupKind::Note => {
                Value::Struct(self.members, more)
            }
        }
    }
}

/// Folds token streams (entry, then exit) into argument values and a return note,
/// with the grouping rules of the text renderer.
struct Parser<'a> {
    /// Open groups; the first is the arguments, or the note once one began.
    stack: Vec<Group<'a>>,
    /// The arguments, once a `ReturnNote` closed them.
    args: Option<Vec<Value<'a>>>,
}

impl<'a> Parser<'a> {
    fn new() -> Self {
        Parser {
            stack: vec![Group::new(GroupKind::Args)],
            args: None,
        }
    }

    fn top(&mut self) -> &mut Group<'a> {
        self.stack
            .last_mut()
            .expect("the base group is never popped")
    }

    /// Closes the innermost group into its parent.
    fn close(&mut self) {
        if self.stack.len() > 1 {
            let group = self.stack.pop().expect("checked");
            let value = group.into_value();
            self.top().push(value);
        }
    }

    fn feed(&mut self, emitter: &'a Emitter, fds: &dyn FdPaths) {
        for token in emitter.tokens.iter() {
            let value = match *token {
                Token::Int(v) => Value::Int(v),
                Token::Uint(v) => Value::Uint(v),
                Token::Hex(v) => Value::Hex(v),
                Token::Octal(v) => Value::Octal(v),
                Token::Pointer(v) => Value::Pointer(v),
                Token::Bytes {
                    start,
                    len,
                    truncated,
                    style,
                } => Value::Bytes {
                    bytes: emitter.arena(start, len),
                    truncated,
                    style,
                },
                Token::Name(name) | Token::Constant { name, .. } => Value::Name(name.as_str()),
                Token::Text { start, len } => Value::Text(emitter.arena(start, len)),
                Token::Fd(fd) => Value::Fd(fd, fd_path(fd, fds)),
                Token::Dirfd(-100) => Value::Name("AT_FDCWD"),
                Token::Dirfd(fd) => Value::Fd(fd, fd_path(fd, fds)),
                Token::Field(name) => {
                    self.top().field = Some(name.as_str());
                    continue;
                }
                Token::Ellipsis => {
                    self.top().ellipsis();
                    continue;
                }
                Token::Arrow => {
                    self.top().arrow();
                    continue;
                }
                Token::FlagsBegin | Token::FlagSet(_) | Token::ModeSet(_) => {
                    self.stack.push(Group::new(GroupKind::Flags));
                    continue;
                }
                Token::StructBegin => {
                    self.stack.push(Group::new(GroupKind::Struct));
                    continue;
                }
                Token::ArrayBegin => {
                    self.stack.push(Group::new(GroupKind::Array));
                    continue;
                }
                Token::SetBegin => {
                    self.stack.push(Group::new(GroupKind::Set));
                    continue;
                }
                Token::CallBegin(name) => {
                    self.stack.push(Group::new(GroupKind::Call(name.as_str())));
                    continue;
                }
                Token::End => {
                    self.close();
                    continue;
                }
                Token::ReturnNote => {
                    self.start_note();
                    continue;
                }
            };
            self.top().push(value);
        }
    }

    fn close_all(&mut self) -> Group<'a> {
        while self.stack.len() > 1 {
            self.close();
        }
        self.stack.pop().expect("the base group")
    }

    fn start_note(&mut self) {
        if self.args.is_none() {
            let args = self.close_all();
            self.args = Some(args.values());
            self.stack.push(Group::new(GroupKind::Note));
        }
    }

    /// The arguments, and the note: its one value, or a struct of its labelled parts.
    fn finish(mut self) -> (Vec<Value<'a>>, Option<Value<'a>>) {
        let last = self.close_all();
        match self.args {
            None => (last.values(), None),
            Some(args) => {
                let note = match last.members.len() {
                    0 => None,
                    1 if last.members[0].0.is_none() => last.values().pop(),
                    _ => Some(last.into_value()),
                };
                (args, note)
            }
        }
    }
}

/// Integers exact in every JSON reader: numbers up to 2^53 - 1 in magnitude, else
/// decimal strings.
struct SafeInt(i128);

const MAX_SAFE_INTEGER: i128 = (1 << 53) - 1;

impl Serialize for SafeInt {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.abs() <= MAX_SAFE_INTEGER {
            s.serialize_i64(self.0 as i64)
        } else {
            s.collect_str(&self.0)
        }
    }
}

/// `0x1f` (zero is `0x0`, so every hex string parses the same way).
struct HexNumber(u64);

impl Serialize for HexNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{:#x}", self.0))
    }
}

/// Bytes as lowercase hex digits, two per byte, no prefix.
struct HexBytes<'b>(&'b [u8]);

impl fmt::Display for HexBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl Serialize for HexBytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Writes `"str"` for valid UTF-8 (unless the bytes are meant as hex), else `"bytes_hex"`.
fn bytes_entry<M: SerializeMap>(
    m: &mut M,
    str_key: &'static str,
    hex_key: &'static str,
    bytes: &[u8],
    hex_wanted: bool,
) -> Result<(), M::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) if !hex_wanted => m.serialize_entry(str_key, text),
        _ => m.serialize_entry(hex_key, &HexBytes(bytes)),
    }
}

fn single<S: Serializer, T: Serialize + ?Sized>(
    s: S,
    key: &'static str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(1))?;
    m.serialize_entry(key, value)?;
    m.end()
}

/// A container's elements, each followed by `"more":true` when elided.
fn container<S: Serializer, T: Serialize + ?Sized>(
    s: S,
    key: &'static str,
    value: &T,
    more: bool,
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(None)?;
    m.serialize_entry(key, value)?;
    if more {
        m.serialize_entry("more", &true)?;
    }
    m.end()
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Int(v) => single(s, "int", &SafeInt((*v).into())),
            Value::Uint(v) => single(s, "int", &SafeInt((*v).into())),
            Value::Hex(v) => single(s, "hex", &HexNumber(*v)),
            Value::Octal(v) => single(s, "octal", &format!("0{v:o}")),
            Value::Pointer(0) => single(s, "ptr", &()),
            Value::Pointer(v) => single(s, "ptr", &HexNumber(*v)),
            Value::Bytes {
                bytes,
                truncated,
                style,
            } => {
                let mut m = s.serialize_map(None)?;
                bytes_entry(&mut m, "str", "bytes_hex", bytes, *style == StrStyle::Hex)?;
                if *truncated {
                    m.serialize_entry("truncated", &true)?;
                }
                m.end()
            }
            Value::Name(name) => single(s, "name", name),
            Value::Text(text) => single(s, "text", &String::from_utf8_lossy(text)),
            Value::Fd(fd, path) => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("fd", fd)?;
                if let Some(path) = path {
                    bytes_entry(&mut m, "path", "path_hex", path, false)?;
                }
                m.end()
            }
            Value::More => single(s, "more", &true),
            Value::Flags(members) => single(s, "flags", &NameList(members)),
            Value::Struct(members, more) => container(s, "struct", &Fields(members), *more),
            Value::Array(items, more) => container(s, "array", items, *more),
            Value::Set(members, more) => container(s, "set", &NameList(members), *more),
            Value::Call(name, args, more) => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("call", name)?;
                m.serialize_entry("args", args)?;
                if *more {
                    m.serialize_entry("more", &true)?;
                }
                m.end()
            }
            Value::Pair(input, output) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("in", input)?;
                m.serialize_entry("out", output)?;
                m.end()
            }
        }
    }
}

/// Flag and set members: names as bare strings (`["O_RDONLY","O_CLOEXEC"]`), the
/// rest (a leftover `{"hex":..}`, a mode's `{"octal":..}`) as value objects.
struct NameList<'v, 'a>(&'v [Value<'a>]);

impl Serialize for NameList<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for member in self.0 {
            match member {
                Value::Name(name) => seq.serialize_element(name)?,
                other => seq.serialize_element(other)?,
            }
        }
        seq.end()
    }
}

/// Struct fields in the decoder's order; unnamed members keyed `_N`.
struct Fields<'v, 'a>(&'v [Member<'a>]);

impl Serialize for Fields<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (i, (field, value)) in self.0.iter().enumerate() {
            match field {
                Some(name) => m.serialize_entry(name, value)?,
                None => m.serialize_entry(&format!("_{i}"), value)?,
            }
        }
        m.end()
    }
}

/// A siginfo's fields: signals and codes by name (a code without one as a number),
/// addresses as hex strings or null.
struct SigInfoJson<'i, 'b>(&'i SigInfo<'b>);

impl Serialize for SigInfoJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = self.0.fields();
        let mut m = s.serialize_map(Some(fields.len()))?;
        for field in &fields {
            match field.value {
                SigValue::Signal(sig) => m.serialize_entry(field.name, &signal_name(sig))?,
                SigValue::Code {
                    name: Some(name), ..
                } => m.serialize_entry(field.name, name)?,
                SigValue::Code { code, name: None } => m.serialize_entry(field.name, &code)?,
                SigValue::Int(v) => m.serialize_entry(field.name, &SafeInt(v.into()))?,
                SigValue::Ticks(v) => m.serialize_entry(field.name, &SafeInt(v.into()))?,
                SigValue::Pointer(0) => m.serialize_entry(field.name, &())?,
                SigValue::Pointer(p) => m.serialize_entry(field.name, &HexNumber(p))?,
                SigValue::Hex(v) => m.serialize_entry(field.name, &HexNumber(v.into()))?,
            }
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use abi_stable::std_types::RStr;
    use serde_json::{json, Value as Json};

    fn name(s: &'static str) -> RStr<'static> {
        RStr::from_str(s)
    }

    fn emitter(tokens: &[Token], bytes: &[u8]) -> Emitter {
        let mut e = Emitter::default();
        e.tokens.extend(tokens.iter().copied());
        e.bytes.extend(bytes.iter().copied());
        e
    }

    fn bytes(start: u32, len: u32, truncated: bool, style: StrStyle) -> Token {
        Token::Bytes {
            start,
            len,
            truncated,
            style,
        }
    }

    struct OneFd;
    impl FdPaths for OneFd {
        fn describe(&self, fd: i32, out: &mut Vec<u8>) -> bool {
            if fd == 3 {
                out.extend_from_slice(b"/etc/hostname");
            }
            fd == 3
        }
    }

    fn ok(value: i64, style: ReturnStyle) -> Option<Return> {
        Some(Return {
            value,
            is_error: false,
            style,
            duration: Some(Duration::from_micros(250)),
        })
    }

    fn call<'a>(
        entry: &'a Emitter,
        exit: Option<&'a Emitter>,
        ret: Option<Return>,
    ) -> JsonCall<'a> {
        JsonCall {
            pid: 42,
            timestamp: Duration::new(1_795_756_570, 813_338_000),
            name: "test",
            number: 7,
            arch: "x86_64",
            args: &[],
            entry,
            exit,
            ret,
            fds: &OneFd,
            stack: None,
        }
    }

    fn line(event: &Event<'_>) -> Json {
        let mut out = Vec::new();
        write_event(&mut out, event);
        assert_eq!(out.last(), Some(&b'\n'), "a line ends in a newline");
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1, "one line");
        serde_json::from_slice(&out).expect("valid JSON")
    }

    /// The decoded values of one entry stream.
    fn values(tokens: &[Token], arena: &[u8]) -> Json {
        let entry = emitter(tokens, arena);
        let exit = Emitter::default();
        let c = call(&entry, Some(&exit), ok(0, ReturnStyle::Decimal));
        let v = line(&Event::Syscall(&c));
        Json::Array(
            v["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["value"].clone())
                .collect(),
        )
    }

    #[test]
    fn numbers_by_kind() {
        let v = values(
            &[
                Token::Int(-100),
                Token::Uint(14),
                Token::Hex(0x22),
                Token::Hex(0),
                Token::Octal(0o644),
                Token::Octal(0),
                Token::Pointer(0),
                Token::Pointer(0x7ffd_1000),
            ],
            b"",
        );
        assert_eq!(
            v,
            json!([{"int":-100}, {"int":14}, {"hex":"0x22"}, {"hex":"0x0"}, {"octal":"0644"},
                   {"octal":"00"}, {"ptr":null}, {"ptr":"0x7ffd1000"}])
        );
    }

    #[test]
    fn integers_beyond_2_pow_53_are_decimal_strings() {
        let v = values(
            &[
                Token::Uint(u64::MAX),
                Token::Int(i64::MIN),
                Token::Uint((1 << 53) - 1),
                Token::Uint(1 << 53),
            ],
            b"",
        );
        assert_eq!(
            v,
            json!([{"int":"18446744073709551615"}, {"int":"-9223372036854775808"},
                   {"int":9007199254740991u64}, {"int":"9007199254740992"}])
        );
    }

    #[test]
    fn strings_utf8_or_hex() {
        let v = values(
            &[
                bytes(0, 4, false, StrStyle::Path),
                bytes(4, 3, true, StrStyle::Quoted),
                bytes(7, 2, false, StrStyle::Quoted),
                bytes(0, 2, false, StrStyle::Hex),
                bytes(9, 0, false, StrStyle::Quoted),
            ],
            b"/tmp\x7fEL\xff\x00",
        );
        assert_eq!(
            v,
            json!([{"str":"/tmp"}, {"str":"\u{7f}EL", "truncated":true}, {"bytes_hex":"ff00"},
                   {"bytes_hex":"2f74"}, {"str":""}])
        );
    }

    #[test]
    fn names_text_and_fds() {
        let v = values(
            &[
                Token::Name(name("AT_FDCWD")),
                Token::Text { start: 0, len: 9 },
                Token::Fd(3),
                Token::Fd(4),
                Token::Fd(-1),
            ],
            b"8192*1024",
        );
        assert_eq!(
            v,
            json!([{"name":"AT_FDCWD"}, {"text":"8192*1024"}, {"fd":3,"path":"/etc/hostname"},
                   {"fd":4}, {"fd":-1}])
        );
    }

    #[test]
    fn groups_pairs_and_ellipses() {
        let v = values(
            &[
                Token::FlagsBegin,
                Token::Name(name("O_RDONLY")),
                Token::Name(name("O_CLOEXEC")),
                Token::Hex(0x4000_0000),
                Token::End,
                Token::StructBegin,
                Token::Field(name("st_mode")),
                Token::FlagsBegin,
                Token::Name(name("S_IFREG")),
                Token::Octal(0o644),
                Token::End,
                Token::Field(name("st_size")),
                Token::Uint(14),
                Token::Int(9),
                Token::Ellipsis,
                Token::End,
                Token::ArrayBegin,
                Token::Uint(128),
                Token::Arrow,
                Token::Uint(16),
                Token::Ellipsis,
                Token::End,
                Token::SetBegin,
                Token::Name(name("CHLD")),
                Token::Name(name("TTOU")),
                Token::End,
                Token::CallBegin(name("htons")),
                Token::Uint(80),
                Token::End,
                Token::StructBegin,
                Token::Field(name("msg_namelen")),
                Token::Uint(16),
                Token::Arrow,
                Token::Uint(28),
                Token::End,
                Token::Ellipsis,
            ],
            b"",
        );
        assert_eq!(
            v,
            json!([
                {"flags":["O_RDONLY","O_CLOEXEC",{"hex":"0x40000000"}]},
                {"struct":{"st_mode":{"flags":["S_IFREG",{"octal":"0644"}]},"st_size":{"int":14},
                           "_2":{"int":9}}, "more":true},
                {"array":[{"in":{"int":128},"out":{"int":16}}], "more":true},
                {"set":["CHLD","TTOU"]},
                {"call":"htons","args":[{"int":80}]},
                {"struct":{"msg_namelen":{"in":{"int":16},"out":{"int":28}}}},
                {"more":true}
            ])
        );
    }

    #[test]
    fn unbalanced_streams_still_make_trees() {
        // A stray End is ignored, a missing End closed, a dangling arrow has a null side.
        let v = values(
            &[
                Token::End,
                Token::Arrow,
                Token::Int(1),
                Token::Int(2),
                Token::Arrow,
                Token::ArrayBegin,
                Token::Int(3),
            ],
            b"",
        );
        assert_eq!(
            v,
            json!([{"in":null,"out":{"int":1}}, {"in":{"int":2},"out":{"array":[{"int":3}]}}])
        );
    }

    #[test]
    fn one_call_from_entry_and_exit_with_raw_registers() {
        // read(3, "\177ELF"..., 832) = 832: the fd at entry, buffer and count at exit.
        let entry = emitter(&[Token::Fd(3)], b"");
        let exit = emitter(
            &[bytes(0, 4, true, StrStyle::Quoted), Token::Uint(832)],
            b"\x7fELF",
        );
        let c = JsonCall {
            name: "read",
            number: 0,
            args: &[3, 0x7ffd_0000, 832],
            ..call(&entry, Some(&exit), ok(832, ReturnStyle::Decimal))
        };
        assert_eq!(
            line(&Event::Syscall(&c)),
            json!({
                "type":"syscall", "pid":42, "timestamp":1795756570.813338, "name":"read",
                "number":0, "arch":"x86_64",
                "args":[
                    {"raw":3, "value":{"fd":3,"path":"/etc/hostname"}},
                    {"raw":2147287040u64, "value":{"str":"\u{7f}ELF","truncated":true}},
                    {"raw":832, "value":{"int":832}}
                ],
                "returned":true, "return":832, "return_value":{"int":832}, "errno":null,
                "error_text":null, "return_note":null, "duration":0.00025
            })
        );
    }

    #[test]
    fn args_without_values_and_big_registers() {
        // open("/x", O_RDONLY) shows two of three arguments; AT_FDCWD's register is huge.
        let entry = emitter(&[Token::Name(name("AT_FDCWD"))], b"");
        let c = JsonCall {
            args: &[(-100i64) as u64, 0],
            ..call(&entry, None, ok(0, ReturnStyle::Decimal))
        };
        let v = line(&Event::Syscall(&c));
        assert_eq!(
            v["args"],
            json!([{"raw":"18446744073709551516","value":{"name":"AT_FDCWD"}},
                   {"raw":0,"value":null}])
        );
        // More values than registers: the extra ones have no register.
        let entry = emitter(&[Token::Int(1), Token::Int(2)], b"");
        let c = JsonCall {
            args: &[1],
            ..call(&entry, None, ok(0, ReturnStyle::Decimal))
        };
        assert_eq!(
            line(&Event::Syscall(&c))["args"],
            json!([{"raw":1,"value":{"int":1}}, {"raw":null,"value":{"int":2}}])
        );
    }

    #[test]
    fn errors_name_the_errno() {
        let entry = Emitter::default();
        let exit = Emitter::default();
        let ret = Return {
            value: -2,
            is_error: true,
            style: ReturnStyle::Decimal,
            duration: None,
        };
        let v = line(&Event::Syscall(&call(&entry, Some(&exit), Some(ret))));
        assert_eq!(v["return"], json!(-1));
        assert_eq!(v["return_value"], Json::Null);
        assert_eq!(v["errno"], json!("ENOENT"));
        assert_eq!(v["error_text"], json!("No such file or directory"));
        assert_eq!(v["duration"], Json::Null);
        let unknown = Some(Return {
            value: -4000,
            ..ret
        });
        let v = line(&Event::Syscall(&call(&entry, Some(&exit), unknown)));
        assert_eq!(v["errno"], json!("E4000"));
    }

    #[test]
    fn return_styles() {
        let entry = Emitter::default();
        let cases = [
            (
                ok(0x7f00_0000_0000, ReturnStyle::Hex),
                json!({"hex":"0x7f0000000000"}),
            ),
            (ok(0o22, ReturnStyle::Octal), json!({"octal":"022"})),
            (
                ok(3, ReturnStyle::Fd),
                json!({"fd":3,"path":"/etc/hostname"}),
            ),
            (ok(5, ReturnStyle::Fd), json!({"fd":5})),
        ];
        for (ret, expected) in cases {
            let v = line(&Event::Syscall(&call(&entry, Some(&entry), ret)));
            assert_eq!(v["return_value"], expected);
            assert_eq!(v["return"], json!(ret.unwrap().value));
        }
    }

    #[test]
    fn a_call_that_never_returns() {
        let entry = emitter(&[Token::Int(0)], b"");
        let c = JsonCall {
            name: "exit_group",
            number: 231,
            args: &[0],
            ..call(&entry, None, None)
        };
        let v = line(&Event::Syscall(&c));
        assert_eq!(v["returned"], json!(false));
        for key in [
            "return",
            "return_value",
            "errno",
            "error_text",
            "return_note",
            "duration",
        ] {
            assert_eq!(v[key], Json::Null, "{key}");
        }
        assert_eq!(v["args"], json!([{"raw":0,"value":{"int":0}}]));
    }

    #[test]
    fn return_notes() {
        let entry = emitter(&[Token::Int(1)], b"");
        // One unlabelled value: the note is that value.
        let exit = emitter(&[Token::ReturnNote, Token::Name(name("Timeout"))], b"");
        let v = line(&Event::Syscall(&call(
            &entry,
            Some(&exit),
            ok(0, ReturnStyle::Decimal),
        )));
        assert_eq!(v["return_note"], json!({"name":"Timeout"}));
        assert_eq!(v["args"].as_array().unwrap().len(), 1);
        // Labelled parts: a struct. Exit arguments before the note stay arguments.
        let exit = emitter(
            &[
                Token::Int(2),
                Token::ReturnNote,
                Token::Field(name("out")),
                Token::ArrayBegin,
                Token::Int(4),
                Token::End,
                Token::Field(name("left")),
                Token::StructBegin,
                Token::Field(name("tv_sec")),
                Token::Int(0),
                Token::End,
            ],
            b"",
        );
        let v = line(&Event::Syscall(&call(
            &entry,
            Some(&exit),
            ok(1, ReturnStyle::Decimal),
        )));
        assert_eq!(
            v["return_note"],
            json!({"struct":{"out":{"array":[{"int":4}]},"left":{"struct":{"tv_sec":{"int":0}}}}})
        );
        assert_eq!(
            v["args"],
            json!([{"raw":null,"value":{"int":1}}, {"raw":null,"value":{"int":2}}])
        );
    }

    fn siginfo(fields: &[(usize, &[u8])]) -> [u8; 128] {
        let mut buf = [0u8; 128];
        for (at, bytes) in fields {
            buf[*at..*at + bytes.len()].copy_from_slice(bytes);
        }
        buf
    }

    #[cfg(target_pointer_width = "64")]
    #[test]
    fn signals_carry_their_siginfo() {
        let info = siginfo(&[
            (0, &17i32.to_ne_bytes()),
            (8, &1i32.to_ne_bytes()),
            (16, &4413i32.to_ne_bytes()),
            (24, &3i32.to_ne_bytes()),
        ]);
        let event = Event::Signal {
            pid: 42,
            timestamp: Duration::from_secs(1),
            siginfo: &info,
        };
        assert_eq!(
            line(&event),
            json!({"type":"signal","pid":42,"timestamp":1.0,"signal":"SIGCHLD",
                   "siginfo":{"si_signo":"SIGCHLD","si_code":"CLD_EXITED","si_pid":4413,
                              "si_uid":0,"si_status":3,"si_utime":0,"si_stime":0}})
        );
        let fault = siginfo(&[
            (0, &11i32.to_ne_bytes()),
            (8, &1i32.to_ne_bytes()),
            (16, &0x10u64.to_ne_bytes()),
        ]);
        let v = line(&Event::Signal {
            pid: 1,
            timestamp: Duration::ZERO,
            siginfo: &fault,
        });
        assert_eq!(
            v["siginfo"],
            json!({"si_signo":"SIGSEGV","si_code":"SEGV_MAPERR","si_addr":"0x10"})
        );
        let odd_code = siginfo(&[(0, &10i32.to_ne_bytes()), (8, &(-99i32).to_ne_bytes())]);
        let v = line(&Event::Signal {
            pid: 1,
            timestamp: Duration::ZERO,
            siginfo: &odd_code,
        });
        assert_eq!(v["siginfo"], json!({"si_signo":"SIGUSR1","si_code":-99}));
    }

    #[test]
    fn process_events() {
        let t = Duration::from_millis(1500);
        let cases = [
            (
                Event::Exit {
                    pid: 7,
                    timestamp: t,
                    exit_code: 3,
                },
                json!({"type":"exit","pid":7,"timestamp":1.5,"exit_code":3}),
            ),
            (
                Event::Killed {
                    pid: 7,
                    timestamp: t,
                    signal: 11,
                    core_dumped: true,
                },
                json!({"type":"killed","pid":7,"timestamp":1.5,"signal":"SIGSEGV","core_dumped":true}),
            ),
            (
                Event::Stopped {
                    pid: 7,
                    timestamp: t,
                    signal: 19,
                },
                json!({"type":"stopped","pid":7,"timestamp":1.5,"signal":"SIGSTOP"}),
            ),
            (
                Event::Attach {
                    pid: 7,
                    timestamp: t,
                },
                json!({"type":"attach","pid":7,"timestamp":1.5}),
            ),
            (
                Event::Detach {
                    pid: 7,
                    timestamp: t,
                },
                json!({"type":"detach","pid":7,"timestamp":1.5}),
            ),
            (
                Event::Superseded {
                    pid: 7,
                    timestamp: t,
                    by_tid: 9,
                },
                json!({"type":"superseded","pid":7,"timestamp":1.5,"by_tid":9}),
            ),
        ];
        for (event, expected) in cases {
            assert_eq!(line(&event), expected);
        }
    }

    #[test]
    fn keys_keep_the_decoders_order() {
        let entry = emitter(
            &[
                Token::StructBegin,
                Token::Field(name("z")),
                Token::Int(1),
                Token::Field(name("a")),
                Token::Int(2),
                Token::End,
            ],
            b"",
        );
        let mut out = Vec::new();
        write_event(&mut out, &Event::Syscall(&call(&entry, None, None)));
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(r#"{"struct":{"z":{"int":1},"a":{"int":2}}}"#),
            "{text}"
        );
        assert!(text.starts_with(r#"{"type":"syscall","pid":42,"#), "{text}");
    }
}
