//! A call's line in strace's style, rebuilt from its JSON values, for the hover text and
//! the trace-event args. The JSON tree keeps what the decoder emitted (names, strings,
//! structures), so the line reads as the text trace's; strings are escaped by the
//! renderer's own escaper. Layout details the JSON does not carry (abbreviation of
//! long lines, `-X` styles) are not reproduced.

use rtrace_render::escape::{escape_fd_path_into, escape_into};
use rtrace_render::{HexMode, Tampered};
use serde_json::Value;

use crate::event::Syscall;

/// `name(args) = result`, as strace would print the finished call.
pub fn call_line(call: &Syscall) -> String {
    let mut out = Vec::with_capacity(96);
    out.extend_from_slice(call.name.as_bytes());
    out.push(b'(');
    let mut first = true;
    for arg in &call.args {
        if arg.value.is_null() {
            continue;
        }
        if !first {
            out.extend_from_slice(b", ");
        }
        first = false;
        value(&mut out, &arg.value);
    }
    out.extend_from_slice(b") = ");
    if !call.returned {
        out.push(b'?');
    } else if let Some(errno) = &call.errno {
        out.extend_from_slice(b"-1 ");
        out.extend_from_slice(errno.as_bytes());
        if let Some(text) = &call.error_text {
            out.extend_from_slice(b" (");
            out.extend_from_slice(text.as_bytes());
            out.push(b')');
        }
    } else if call.return_value.is_null() {
        scalar(&mut out, &call.ret);
    } else {
        value(&mut out, &call.return_value);
    }
    if !call.return_note.is_null() {
        out.extend_from_slice(b" (");
        match call.return_note.get("struct").and_then(Value::as_object) {
            // Labelled parts: `out [4], left {...}`.
            Some(parts) => {
                for (i, (label, part)) in parts.iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(b", ");
                    }
                    out.extend_from_slice(label.as_bytes());
                    out.push(b' ');
                    value(&mut out, part);
                }
            }
            None => value(&mut out, &call.return_note),
        }
        out.push(b')');
    }
    let mark = |key: &str| call.tampered.get(key).and_then(Value::as_bool) == Some(true);
    Tampered {
        result: mark("result"),
        args: mark("args"),
        delayed: mark("delayed"),
    }
    .write(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// A JSON number or a string of digits, as it is.
fn scalar(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::String(s) => out.extend_from_slice(s.as_bytes()),
        other => out.extend_from_slice(other.to_string().as_bytes()),
    }
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    let digits = hex.as_bytes();
    digits
        .chunks(2)
        .filter_map(|pair| {
            let text = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(text, 16).ok()
        })
        .collect()
}

fn quoted(out: &mut Vec<u8>, bytes: &[u8], truncated: bool) {
    out.push(b'"');
    escape_into(out, bytes, HexMode::None);
    out.push(b'"');
    if truncated {
        out.extend_from_slice(b"...");
    }
}

fn list<'a>(out: &mut Vec<u8>, items: impl Iterator<Item = &'a Value>, separator: &[u8]) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.extend_from_slice(separator);
        }
        match item {
            // A constant's name in a flag set or signal set is a bare string.
            Value::String(name) => out.extend_from_slice(name.as_bytes()),
            other => value(out, other),
        }
    }
}

fn more(out: &mut Vec<u8>, v: &Value, separator: &[u8], empty: bool) {
    if v.get("more").is_some() {
        if !empty {
            out.extend_from_slice(separator);
        }
        out.extend_from_slice(b"...");
    }
}

/// One decoded value (see the `value` definition in docs/json-schema.json).
fn value(out: &mut Vec<u8>, v: &Value) {
    let Some(object) = v.as_object() else {
        scalar(out, v);
        return;
    };
    let truncated = object.contains_key("truncated");
    if let Some(n) = object.get("int") {
        scalar(out, n);
    } else if let Some(Value::String(text)) = object.get("hex").or(object.get("octal")) {
        out.extend_from_slice(text.as_bytes());
    } else if let Some(p) = object.get("ptr") {
        match p.as_str() {
            Some(address) => out.extend_from_slice(address.as_bytes()),
            None => out.extend_from_slice(b"NULL"),
        }
    } else if let Some(Value::String(s)) = object.get("str") {
        quoted(out, s.as_bytes(), truncated);
    } else if let Some(Value::String(hex)) = object.get("bytes_hex") {
        quoted(out, &hex_bytes(hex), truncated);
    } else if let Some(Value::String(text)) = object.get("name").or(object.get("text")) {
        out.extend_from_slice(text.as_bytes());
    } else if let Some(fd) = object.get("fd") {
        scalar(out, fd);
        let path = match (object.get("path"), object.get("path_hex")) {
            (Some(Value::String(p)), _) => Some(p.as_bytes().to_vec()),
            (_, Some(Value::String(hex))) => Some(hex_bytes(hex)),
            _ => None,
        };
        if let Some(path) = path {
            out.push(b'<');
            escape_fd_path_into(out, &path);
            out.push(b'>');
        }
    } else if let Some(Value::Array(flags)) = object.get("flags") {
        list(out, flags.iter(), b"|");
    } else if let Some(Value::Array(set)) = object.get("set") {
        out.push(b'[');
        list(out, set.iter(), b" ");
        more(out, v, b" ", set.is_empty());
        out.push(b']');
    } else if let Some(Value::Object(fields)) = object.get("struct") {
        out.push(b'{');
        for (i, (key, field)) in fields.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b", ");
            }
            // `_N`: a member without a field name.
            if !key.starts_with('_') {
                out.extend_from_slice(key.as_bytes());
                out.push(b'=');
            }
            value(out, field);
        }
        more(out, v, b", ", fields.is_empty());
        out.push(b'}');
    } else if let Some(Value::Array(items)) = object.get("array") {
        out.push(b'[');
        list(out, items.iter(), b", ");
        more(out, v, b", ", items.is_empty());
        out.push(b']');
    } else if let Some(Value::String(name)) = object.get("call") {
        out.extend_from_slice(name.as_bytes());
        out.push(b'(');
        if let Some(Value::Array(args)) = object.get("args") {
            list(out, args.iter(), b", ");
            more(out, v, b", ", args.is_empty());
        }
        out.push(b')');
    } else if object.contains_key("in") || object.contains_key("out") {
        let side = |out: &mut Vec<u8>, key: &str| match object.get(key) {
            Some(Value::Null) | None => out.push(b'?'),
            Some(x) => value(out, x),
        };
        side(out, "in");
        out.extend_from_slice(b" => ");
        side(out, "out");
    } else if object.contains_key("more") {
        out.extend_from_slice(b"...");
    } else {
        out.extend_from_slice(v.to_string().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(json: &str) -> String {
        let json = json.replacen('{', r#"{"type":"syscall","#, 1);
        match crate::event::Event::parse(json.as_bytes()).unwrap() {
            crate::event::Event::Syscall(call) => call_line(&call),
            other => panic!("not a syscall: {other:?}"),
        }
    }

    #[test]
    fn a_decoded_call_reads_like_strace() {
        let json = r#"{"pid":1,"timestamp":1.0,"name":"openat","number":257,"arch":"x86_64",
            "args":[{"raw":1,"value":{"name":"AT_FDCWD"}},{"raw":2,"value":{"str":"/etc/pa\"ss\n"}},
                    {"raw":3,"value":{"flags":["O_RDONLY","O_CLOEXEC",{"hex":"0x40000000"}]}},
                    {"raw":0,"value":null}],
            "returned":true,"return":3,"return_value":{"fd":3,"path":"/etc/<x>"},"errno":null,
            "error_text":null,"return_note":null,"duration":0.001}"#;
        assert_eq!(
            line(json),
            r#"openat(AT_FDCWD, "/etc/pa\"ss\n", O_RDONLY|O_CLOEXEC|0x40000000) = 3</etc/\x3cx\x3e>"#
        );
    }

    #[test]
    fn errors_structs_arrays_pairs_and_notes() {
        let json = r#"{"pid":1,"timestamp":1.0,"name":"x","number":1,"arch":"arm",
            "args":[{"raw":1,"value":{"struct":{"st_mode":{"flags":["S_IFREG",{"octal":"0644"}]},"_1":{"int":9}},"more":true}},
                    {"raw":2,"value":{"array":[{"in":{"int":16},"out":{"int":28}}],"more":true}},
                    {"raw":3,"value":{"set":["CHLD"]}},{"raw":4,"value":{"call":"htons","args":[{"int":80}]}},
                    {"raw":5,"value":{"bytes_hex":"ff00","truncated":true}},{"raw":6,"value":{"ptr":null}}],
            "returned":true,"return":-1,"return_value":null,"errno":"ENOENT",
            "error_text":"No such file or directory","return_note":{"name":"Timeout"},"duration":0.5}"#;
        assert_eq!(
            line(json),
            r#"x({st_mode=S_IFREG|0644, 9, ...}, [16 => 28, ...], [CHLD], htons(80), "\377\0"..., NULL) = -1 ENOENT (No such file or directory) (Timeout)"#
        );
    }

    #[test]
    fn tampering_marks_follow_the_result() {
        let json = r#"{"pid":1,"timestamp":1.0,"name":"chdir","number":80,"arch":"x86_64",
            "args":[{"raw":1,"value":{"str":"/"}}],"returned":true,"return":-1,"return_value":null,
            "errno":"ENOENT","error_text":"No such file or directory","return_note":null,
            "duration":0.001,"tampered":{"result":true,"args":false,"delayed":true}}"#;
        assert_eq!(
            line(json),
            r#"chdir("/") = -1 ENOENT (No such file or directory) (INJECTED) (DELAYED)"#
        );
    }

    #[test]
    fn a_call_that_never_returned() {
        let json = r#"{"pid":1,"timestamp":1.0,"name":"exit_group","number":231,"arch":"x86_64",
            "args":[{"raw":0,"value":{"int":0}}],"returned":false,"return":null,"return_value":null,
            "errno":null,"error_text":null,"return_note":null,"duration":null}"#;
        assert_eq!(line(json), "exit_group(0) = ?");
    }
}
