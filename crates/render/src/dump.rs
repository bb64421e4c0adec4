//! strace's hex and ASCII dumps of the data a call read or wrote (`-e read=`,
//! `-e write=`): 16 bytes a row, in two groups of 8, then the bytes as ASCII, with the
//! offset in hex (5 digits, more for a buffer over 1 MiB):
//!
//! ` | 00000  68 65 6c 6c 6f 0a                                hello.           |`
//!
//! Vectored calls put ` * N bytes in buffer I` before each buffer, and mmsghdr
//! arrays ` = N buffers in vector I` before each message.

use std::io::Write;

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
    fn wide_offsets_for_big_buffers() {
        assert_eq!(dump_offset_width(16), 5);
        assert_eq!(dump_offset_width(1 << 20), 5);
        assert_eq!(dump_offset_width((1 << 20) + 1), 6);
        assert_eq!(dump_offset_width(1 << 24), 6);
        assert_eq!(dump_offset_width((1 << 24) + 1), 7);
    }
}
