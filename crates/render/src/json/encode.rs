//! How values are written as JSON: integers exact in every reader, hex strings, bytes
//! as UTF-8 or hex, value objects by kind, and siginfo's fields.

use std::fmt;

use rtrace_plugin_api::StrStyle;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::value_tree::{Member, Value};
use crate::siginfo::{SigInfo, SigValue};
use crate::signals::signal_name;

/// Integers exact in every JSON reader: numbers up to 2^53 - 1 in magnitude, else
/// decimal strings.
pub(crate) struct SafeInt(pub(crate) i128);

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
pub(crate) struct HexBytes<'b>(pub(crate) &'b [u8]);

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
            // A number like any other; `-Y` adds the command name beside it, and
            // `--pidns-translation` the id in the tracer's pid namespace.
            Value::Pid(pid, note) => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("int", &SafeInt((*pid).into()))?;
                if !note.comm.is_empty() {
                    bytes_entry(&mut m, "comm", "comm_hex", &note.comm, false)?;
                }
                if let Some(translated) = note.translated {
                    m.serialize_entry("tracer_ns_pid", &translated)?;
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
pub(super) struct SigInfoJson<'i, 'b>(pub(super) &'i SigInfo<'b>);

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
                SigValue::Pid(v) => m.serialize_entry(field.name, &SafeInt(v.into()))?,
                SigValue::Ticks(v) => m.serialize_entry(field.name, &SafeInt(v.into()))?,
                SigValue::Pointer(0) => m.serialize_entry(field.name, &())?,
                SigValue::Pointer(p) => m.serialize_entry(field.name, &HexNumber(p))?,
                SigValue::Hex(v) => m.serialize_entry(field.name, &HexNumber(v.into()))?,
            }
        }
        m.end()
    }
}
