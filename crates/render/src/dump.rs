//! strace's hex and ASCII dumps of the data a call read or wrote (`-e read=`,
//! `-e write=`): 16 bytes a row, in two groups of 8, then the bytes as ASCII, with the
//! offset in hex (5 digits, more for a buffer over 1 MiB):
//!
//! ` | 00000  68 65 6c 6c 6f 0a                                hello.           |`
//!
//! Vectored calls put ` * N bytes in buffer I` before each buffer, and mmsghdr
//! arrays ` = N buffers in vector I` before each message.
//!
//! A call's data comes as a [`CallDump`], which [`write_dump`] writes as that text and
//! [`JsonDump`] as `--json`'s `"dump"` array.

use std::io::Write;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::json::{HexBytes, SafeInt};

/// Bytes shown on one row.
pub const DUMP_ROW_BYTES: usize = 16;

/// Hex digits of the offset column for a buffer of `len` bytes.
pub fn dump_offset_width(len: u64) -> usize {
    if len > 1 << 20 {
        1 + (63 - (len - 1).leading_zeros() as usize) / 4
    } else {
        5
    }
}

/// One row: at most 16 `bytes`, the first at `offset` in its buffer.
pub fn write_dump_row(out: &mut Vec<u8>, offset: u64, bytes: &[u8], width: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let _ = write!(out, " | {offset:0width$x}  ");
    for i in 0..DUMP_ROW_BYTES {
        match bytes.get(i) {
            Some(&b) => out.extend_from_slice(&[HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]),
            None => out.extend_from_slice(b"  "),
        }
        out.push(b' ');
        if i % 8 == 7 {
            out.push(b' ');
        }
    }
    for i in 0..DUMP_ROW_BYTES {
        out.push(match bytes.get(i) {
            Some(&b) if (0x20..0x7f).contains(&b) => b,
            Some(_) => b'.',
            None => b' ',
        });
    }
    out.extend_from_slice(b" |\n");
}

/// Rows for `bytes`, the part of a buffer of `total` bytes that starts at `offset`.
pub fn write_dump_rows(out: &mut Vec<u8>, offset: u64, bytes: &[u8], total: u64) {
    let width = dump_offset_width(total);
    for (i, row) in bytes.chunks(DUMP_ROW_BYTES).enumerate() {
        write_dump_row(out, offset + (i * DUMP_ROW_BYTES) as u64, row, width);
    }
}

/// ` * N bytes in buffer I`: before each iovec's data.
pub fn write_buffer_header(out: &mut Vec<u8>, len: u64, index: usize) {
    let _ = writeln!(out, " * {len} bytes in buffer {index}");
}

/// ` = N buffers in vector I`: before each message of an mmsghdr array.
pub fn write_vector_header(out: &mut Vec<u8>, buffers: u64, index: usize) {
    let _ = writeln!(out, " = {buffers} buffers in vector {index}");
}

/// What ends a dump when a later part of the buffer cannot be read.
pub fn write_unfetchable(out: &mut Vec<u8>, len: u64, pid: i32, addr: u64) {
    let plural = if len == 1 { "" } else { "s" };
    let _ = writeln!(
        out,
        " | <Cannot fetch {len} byte{plural} from pid {pid} @{addr:#x}>"
    );
}

/// Which way a call's data went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpDirection {
    /// `-e read=`: the data the call read.
    Read,
    /// `-e write=`: the data the call wrote.
    Write,
}

impl DumpDirection {
    fn name(self) -> &'static str {
        match self {
            DumpDirection::Read => "read",
            DumpDirection::Write => "write",
        }
    }
}

/// The data of one call, in the order strace dumps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallDump {
    /// The descriptor the call read from or wrote to.
    pub fd: i32,
    pub direction: DumpDirection,
    pub parts: Vec<DumpPart>,
}

/// One piece of a call's dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DumpPart {
    /// An mmsghdr of the array (` = N buffers in vector I`); its buffers follow.
    Message { index: usize, buffers: u64 },
    /// An iovec (` * N bytes in buffer I`); its data follows (none when its length
    /// cannot be dumped).
    Iovec { index: usize, len: u64 },
    /// A buffer's data.
    Data(DumpedData),
}

/// The bytes of one buffer the call moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpedData {
    /// How many bytes the call moved there.
    pub len: u64,
    /// As many of them as could be read from the tracee, from the start: all of them,
    /// unless `unreadable` says where reading stopped.
    pub bytes: Vec<u8>,
    /// The part that could not be read: where the read that failed started, and its
    /// size (strace's note names that read, not the rest of the buffer).
    pub unreadable: Option<Unreadable>,
}

/// A read of the tracee's memory that failed during a dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable {
    pub addr: u64,
    pub len: u64,
}

/// Appends `dump` as strace's text: headers, rows, and the note that ends a buffer
/// whose later part could not be read (nothing at all when its start could not be).
pub fn write_dump(out: &mut Vec<u8>, pid: i32, dump: &CallDump) {
    for part in &dump.parts {
        match part {
            DumpPart::Message { index, buffers } => write_vector_header(out, *buffers, *index),
            DumpPart::Iovec { index, len } => write_buffer_header(out, *len, *index),
            DumpPart::Data(data) if data.bytes.is_empty() => {}
            DumpPart::Data(data) => {
                write_dump_rows(out, 0, &data.bytes, data.len);
                if let Some(at) = data.unreadable {
                    write_unfetchable(out, at.len, pid, at.addr);
                }
            }
        }
    }
}

/// `--json`'s `"dump"`: one object per buffer the call moved, in order,
/// `{"fd","direction","message"?,"iovec"?,"len","bytes_hex","truncated"?}`: `message`
/// is the mmsghdr's index (sendmmsg, recvmmsg), `iovec` the iovec's index (vectored
/// calls), `len` the bytes the call moved there, `bytes_hex` those read from the
/// tracee, with `"truncated":true` when fewer could be read.
pub struct JsonDump<'a>(pub &'a CallDump);

impl Serialize for JsonDump<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let dump = self.0;
        let mut seq = s.serialize_seq(None)?;
        let (mut message, mut iovec) = (None, None);
        for part in &dump.parts {
            match part {
                DumpPart::Message { index, .. } => (message, iovec) = (Some(*index), None),
                DumpPart::Iovec { index, .. } => iovec = Some(*index),
                DumpPart::Data(data) => seq.serialize_element(&JsonBuffer {
                    dump,
                    message,
                    iovec,
                    data,
                })?,
            }
        }
        seq.end()
    }
}

struct JsonBuffer<'a> {
    dump: &'a CallDump,
    message: Option<usize>,
    iovec: Option<usize>,
    data: &'a DumpedData,
}

impl Serialize for JsonBuffer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("fd", &self.dump.fd)?;
        m.serialize_entry("direction", self.dump.direction.name())?;
        if let Some(index) = self.message {
            m.serialize_entry("message", &index)?;
        }
        if let Some(index) = self.iovec {
            m.serialize_entry("iovec", &index)?;
        }
        m.serialize_entry("len", &SafeInt(self.data.len.into()))?;
        m.serialize_entry("bytes_hex", &HexBytes(&self.data.bytes))?;
        if (self.data.bytes.len() as u64) < self.data.len {
            m.serialize_entry("truncated", &true)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_as_strace_prints_them() {
        let mut out = Vec::new();
        write_dump_rows(&mut out, 0, b"0123456789abcdef\x00hi\n", 20);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            " | 00000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  0123456789abcdef |\n \
             | 00010  00 68 69 0a                                       .hi.             |\n"
        );
    }

    #[test]
    fn a_dump_as_text() {
        let data = |len: u64, bytes: &[u8], unreadable| {
            DumpPart::Data(DumpedData {
                len,
                bytes: bytes.to_vec(),
                unreadable,
            })
        };
        let dump = CallDump {
            fd: 5,
            direction: DumpDirection::Write,
            parts: vec![
                DumpPart::Message {
                    index: 0,
                    buffers: 2,
                },
                DumpPart::Iovec { index: 0, len: 2 },
                data(2, b"hi", None),
                // Unreadable from its start: nothing but its header.
                DumpPart::Iovec { index: 1, len: 3 },
                data(3, b"", Some(Unreadable { addr: 0x10, len: 3 })),
                DumpPart::Message {
                    index: 1,
                    buffers: 1,
                },
                DumpPart::Iovec { index: 0, len: 20 },
                // Its second read failed: the rows read, then strace's note.
                data(
                    20,
                    b"x",
                    Some(Unreadable {
                        addr: 0x21,
                        len: 19,
                    }),
                ),
            ],
        };
        let mut out = Vec::new();
        write_dump(&mut out, 7, &dump);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            " = 2 buffers in vector 0\n \
             * 2 bytes in buffer 0\n \
             | 00000  68 69                                             hi               |\n \
             * 3 bytes in buffer 1\n \
             = 1 buffers in vector 1\n \
             * 20 bytes in buffer 0\n \
             | 00000  78                                                x                |\n \
             | <Cannot fetch 19 bytes from pid 7 @0x21>\n"
        );
    }

    #[test]
    fn wide_offsets_for_big_buffers() {
        assert_eq!(dump_offset_width(16), 5);
        assert_eq!(dump_offset_width(1 << 20), 5);
        assert_eq!(dump_offset_width((1 << 20) + 1), 6);
        assert_eq!(dump_offset_width(1 << 24), 6);
        assert_eq!(dump_offset_width((1 << 24) + 1), 7);
    }
}
