//! `-k`'s frames as strace prints them after a call, and as `--json`'s `"stack"`.
//!
//! The text is strace's (its libunwind back end): ` > FILE(FUNCTION+0xOFF) [0xADDR]`
//! (with -kk, its libdw back end's ` SOURCE:LINE` after it when known),
//! ` > FILE() [0xADDR]` when the file names no function there, ` >
//! unexpected_backtracing_error [0xADDR]` for an address in no executable file mapping,
//! and ` > too many stack frames` past the frame limit. ADDR is the offset in the file.

use std::io::Write;

use rtrace_stack::Frame;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// strace's words for an address outside every executable file mapping.
const UNEXPECTED: &str = "unexpected_backtracing_error";
/// strace's words when the frame limit cut the stack.
const TOO_MANY: &str = "too many stack frames";

/// Appends `frame`'s line (with its newline) to `out`.
pub fn write_frame(out: &mut Vec<u8>, frame: &Frame) {
    // Writing to a Vec cannot fail.
    let _ = match frame {
        Frame::Call {
            file,
            function: Some((name, offset)),
            file_offset,
            source,
        } if !name.is_empty() => match source {
            Some((source, line)) => writeln!(
                out,
                " > {file}({name}+{offset:#x}) [{file_offset:#x}] {source}:{line}"
            ),
            None => writeln!(out, " > {file}({name}+{offset:#x}) [{file_offset:#x}]"),
        },
        Frame::Call {
            file, file_offset, ..
        } => writeln!(out, " > {file}() [{file_offset:#x}]"),
        Frame::Unexpected { address } => writeln!(out, " > {UNEXPECTED} [{address:#x}]"),
        Frame::TooMany => writeln!(out, " > {TOO_MANY}"),
    };
}

/// The frames as a JSON array: `{"file","function","offset","file_offset",
/// "source_file","source_line"}` per call frame (null where unknown; the source only
/// with -kk), `{"error","address"}` for the end
/// of a walk in unknown code, `{"error"}` past the frame limit.
pub struct JsonStack<'a>(pub &'a [Frame]);

impl Serialize for JsonStack<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for frame in self.0 {
            seq.serialize_element(&JsonFrame(frame))?;
        }
        seq.end()
    }
}

struct JsonFrame<'a>(&'a Frame);

impl Serialize for JsonFrame<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self.0 {
            Frame::Call {
                file,
                function,
                file_offset,
                source,
            } => {
                m.serialize_entry("file", &**file)?;
                m.serialize_entry("function", &function.as_ref().map(|(n, _)| &**n))?;
                m.serialize_entry("offset", &function.as_ref().map(|(_, o)| *o))?;
                m.serialize_entry("file_offset", file_offset)?;
                m.serialize_entry("source_file", &source.as_ref().map(|(f, _)| &**f))?;
                m.serialize_entry("source_line", &source.as_ref().map(|(_, l)| *l))?;
            }
            Frame::Unexpected { address } => {
                m.serialize_entry("error", UNEXPECTED)?;
                m.serialize_entry("address", &format_args!("{address:#x}").to_string())?;
            }
            Frame::TooMany => m.serialize_entry("error", TOO_MANY)?,
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(frame: Frame) -> String {
        let mut out = Vec::new();
        write_frame(&mut out, &frame);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_form_of_a_frame_line() {
        assert_eq!(
            text(Frame::Call {
                file: "/usr/lib/x86_64-linux-gnu/libc.so.6".into(),
                function: Some(("__open64".into(), 0x5b)),
                file_offset: 0xf9a1b,
                source: None,
            }),
            " > /usr/lib/x86_64-linux-gnu/libc.so.6(__open64+0x5b) [0xf9a1b]\n"
        );
        assert_eq!(
            text(Frame::Call {
                file: "/tmp/a.out".into(),
                function: Some(("main".into(), 9)),
                file_offset: 0x11f5,
                source: Some(("/tmp/a.c".into(), 31)),
            }),
            " > /tmp/a.out(main+0x9) [0x11f5] /tmp/a.c:31\n"
        );
        assert_eq!(
            text(Frame::Call {
                file: "/tmp/a.out".into(),
                function: None,
                file_offset: 0x1234,
                source: None,
            }),
            " > /tmp/a.out() [0x1234]\n"
        );
        // An empty name prints as no name, as strace's check for an empty string does.
        assert_eq!(
            text(Frame::Call {
                file: "/tmp/a.out".into(),
                function: Some(("".into(), 4)),
                file_offset: 0x10,
                source: None,
            }),
            " > /tmp/a.out() [0x10]\n"
        );
        assert_eq!(
            text(Frame::Unexpected { address: 0x7f00 }),
            " > unexpected_backtracing_error [0x7f00]\n"
        );
        assert_eq!(text(Frame::TooMany), " > too many stack frames\n");
    }

    #[test]
    fn frames_as_json() {
        let frames = [
            Frame::Call {
                file: "/bin/x".into(),
                function: Some(("main".into(), 9)),
                file_offset: 0x11f5,
                source: Some(("/bin/x.c".into(), 31)),
            },
            Frame::Unexpected { address: 0x10 },
            Frame::TooMany,
        ];
        assert_eq!(
            serde_json::to_string(&JsonStack(&frames)).unwrap(),
            r#"[{"file":"/bin/x","function":"main","offset":9,"file_offset":4597,"source_file":"/bin/x.c","source_line":31},{"error":"unexpected_backtracing_error","address":"0x10"},{"error":"too many stack frames"}]"#
        );
    }
}
