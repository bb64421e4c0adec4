//! One line of the event stream, as docs/json-schema.json describes it. Only what the
//! pictures use is read; decoded values stay JSON trees for [`crate::line`].

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Event {
    Syscall(Syscall),
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

#[derive(Debug, Deserialize)]
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
    #[serde(rename = "return")]
    pub ret: Value,
    pub return_value: Value,
    pub errno: Option<String>,
    pub error_text: Option<String>,
    pub return_note: Value,
    /// Seconds from entry to exit; absent in files written before it was added.
    #[serde(default)]
    pub duration: Option<f64>,
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
