//! One line of the event stream, as docs/json-schema.json describes it. Only what the
//! pictures use is read; decoded values stay JSON trees for [`crate::line`].

use serde::Deserialize;
use serde_json::Value;

/// Every field any event has, read in one pass: serde's tagged enums would buffer each
/// line before reading it, which costs a fifth of the whole timeline.
#[derive(Deserialize)]
struct Line {
    #[serde(rename = "type")]
    kind: String,
    pid: i32,
    timestamp: f64,
    name: Option<String>,
    #[serde(default)]
    number: Value,
    arch: Option<String>,
    args: Option<Vec<Argument>>,
    returned: Option<bool>,
    #[serde(rename = "return", default)]
    ret: Value,
    #[serde(default)]
    return_value: Value,
    errno: Option<String>,
    error_text: Option<String>,
    #[serde(default)]
    return_note: Value,
    duration: Option<f64>,
    /// `-e inject=`'s marks (absent in lines recorded before it existed).
    #[serde(default)]
    tampered: Value,
    signal: Option<String>,
    exit_code: Option<i64>,
    core_dumped: Option<bool>,
    by_tid: Option<i32>,
}

fn needs<T>(field: Option<T>, name: &str, kind: &str) -> Result<T, String> {
    field.ok_or_else(|| format!("a {kind} event without \"{name}\""))
}

#[derive(Debug)]
pub enum Event {
    /// Boxed: a syscall is most of the events and most of their size.
    Syscall(Box<Syscall>),
    Signal {
        pid: i32,
        timestamp: f64,
        signal: String,
    },
    Exit {
        pid: i32,
        timestamp: f64,
        exit_code: i64,
    },
    Killed {
        pid: i32,
        timestamp: f64,
        signal: String,
        core_dumped: bool,
    },
    Stopped {
        pid: i32,
        timestamp: f64,
        signal: String,
    },
    Attach {
        pid: i32,
        timestamp: f64,
    },
    Detach {
        pid: i32,
        timestamp: f64,
    },
    Superseded {
        pid: i32,
        timestamp: f64,
        by_tid: i32,
    },
}

#[derive(Debug)]
pub struct Syscall {
    pub pid: i32,
    /// Wall-clock seconds at entry.
    pub timestamp: f64,
    pub name: String,
    /// A number, or a string of digits when beyond 2^53.
    pub number: Value,
    pub arch: String,
    pub args: Vec<Argument>,
    pub returned: bool,
    pub ret: Value,
    pub return_value: Value,
    pub errno: Option<String>,
    pub error_text: Option<String>,
    pub return_note: Value,
    /// Seconds from entry to exit; null when the call never returned.
    pub duration: Option<f64>,
    /// What `-e inject=` did: `{"result","args","delayed"}`, or null.
    pub tampered: Value,
}

#[derive(Debug, Deserialize)]
pub struct Argument {
    /// The register: a number, a string of digits beyond 2^53, or null.
    pub raw: Value,
    pub value: Value,
}

impl Syscall {
    /// The call's number for ordering the summary (0 when it is a string: beyond 2^53).
    pub fn number(&self) -> u64 {
        self.number.as_u64().unwrap_or(0)
    }

    /// The return as an integer, when it is one JSON number.
    pub fn return_int(&self) -> Option<i64> {
        self.ret.as_i64()
    }
}

impl Event {
    /// Reads one JSON line; what is not one event is an error saying why.
    pub fn parse(line: &[u8]) -> Result<Event, String> {
        let l: Line = serde_json::from_slice(line).map_err(|e| e.to_string())?;
        let (pid, timestamp) = (l.pid, l.timestamp);
        let kind = l.kind.as_str();
        Ok(match kind {
            "syscall" => Event::Syscall(Box::new(Syscall {
                pid,
                timestamp,
                name: needs(l.name, "name", kind)?,
                number: l.number,
                arch: needs(l.arch, "arch", kind)?,
                args: needs(l.args, "args", kind)?,
                returned: needs(l.returned, "returned", kind)?,
                ret: l.ret,
                return_value: l.return_value,
                errno: l.errno,
                error_text: l.error_text,
                return_note: l.return_note,
                duration: l.duration,
                tampered: l.tampered,
            })),
            "signal" => Event::Signal {
                pid,
                timestamp,
                signal: needs(l.signal, "signal", kind)?,
            },
            "exit" => Event::Exit {
                pid,
                timestamp,
                exit_code: needs(l.exit_code, "exit_code", kind)?,
            },
            "killed" => Event::Killed {
                pid,
                timestamp,
                signal: needs(l.signal, "signal", kind)?,
                core_dumped: l.core_dumped.unwrap_or(false),
            },
            "stopped" => Event::Stopped {
                pid,
                timestamp,
                signal: needs(l.signal, "signal", kind)?,
            },
            "attach" => Event::Attach { pid, timestamp },
            "detach" => Event::Detach { pid, timestamp },
            "superseded" => Event::Superseded {
                pid,
                timestamp,
                by_tid: needs(l.by_tid, "by_tid", kind)?,
            },
            other => return Err(format!("unknown event type \"{other}\"")),
        })
    }

    pub fn pid(&self) -> i32 {
        match self {
            Event::Syscall(s) => s.pid,
            Event::Signal { pid, .. }
            | Event::Exit { pid, .. }
            | Event::Killed { pid, .. }
            | Event::Stopped { pid, .. }
            | Event::Attach { pid, .. }
            | Event::Detach { pid, .. }
            | Event::Superseded { pid, .. } => *pid,
        }
    }

    pub fn timestamp(&self) -> f64 {
        match self {
            Event::Syscall(s) => s.timestamp,
            Event::Signal { timestamp, .. }
            | Event::Exit { timestamp, .. }
            | Event::Killed { timestamp, .. }
            | Event::Stopped { timestamp, .. }
            | Event::Attach { timestamp, .. }
            | Event::Detach { timestamp, .. }
            | Event::Superseded { timestamp, .. } => *timestamp,
        }
    }
}
