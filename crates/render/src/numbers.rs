//! Integers appended as text without `core::fmt`: every line has several (the pid
//! prefix, arguments, the return value), and going through a formatter for each was a
//! measurable part of the tracer's time per syscall.

/// Appends `v` in decimal (`-1`, `42`).
pub fn push_decimal(out: &mut Vec<u8>, v: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// Appends `v` in decimal, right-aligned in `width` columns (`{v:>width$}`).
pub fn push_decimal_right(out: &mut Vec<u8>, v: impl itoa::Integer, width: usize) {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(v).as_bytes();
    out.resize(out.len() + width.saturating_sub(digits.len()), b' ');
    out.extend_from_slice(digits);
}

/// Appends `v` in decimal, left-aligned in `width` columns (`{v:<width$}`).
pub fn push_decimal_left(out: &mut Vec<u8>, v: impl itoa::Integer, width: usize) {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(v).as_bytes();
    out.extend_from_slice(digits);
    out.resize(out.len() + width.saturating_sub(digits.len()), b' ');
}

/// Appends the digits of `v` in base `1 << bits` (hex: 4, octal: 3), no prefix.
fn push_radix(out: &mut Vec<u8>, mut v: u64, bits: u32) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    // 22 octal digits hold a u64; hex needs 16.
    let mut buf = [0u8; 22];
    let mut at = buf.len();
    let mask = (1u64 << bits) - 1;
    loop {
        at -= 1;
        buf[at] = DIGITS[(v & mask) as usize];
        v >>= bits;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[at..]);
}

/// Appends `v` as `{v:x}`: lower-case hex digits, no prefix.
pub fn push_hex_digits(out: &mut Vec<u8>, v: u64) {
    push_radix(out, v, 4);
}

/// Appends `v` as `{v:#x}`: `0x` and lower-case hex digits (zero is `0x0`).
pub fn push_hex(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(b"0x");
    push_hex_digits(out, v);
}

/// Appends `v` as `{v:o}`: octal digits, no prefix.
pub fn push_octal_digits(out: &mut Vec<u8>, v: u64) {
    push_radix(out, v, 3);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = b"|".to_vec();
        f(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn same_as_core_fmt() {
        for v in [
            0u64,
            1,
            7,
            8,
            9,
            10,
            15,
            16,
            255,
            4096,
            0o644,
            u64::MAX,
            1 << 63,
        ] {
            assert_eq!(text(|o| push_hex(o, v)), format!("|{v:#x}"));
            assert_eq!(text(|o| push_hex_digits(o, v)), format!("|{v:x}"));
            assert_eq!(text(|o| push_octal_digits(o, v)), format!("|{v:o}"));
            assert_eq!(text(|o| push_decimal(o, v)), format!("|{v}"));
        }
        for v in [0i64, -1, 42, i64::MIN, i64::MAX] {
            assert_eq!(text(|o| push_decimal(o, v)), format!("|{v}"));
        }
        for v in [0i32, 7, 1234, 12345, 123456, -1, -12345] {
            assert_eq!(text(|o| push_decimal_left(o, v, 5)), format!("|{v:<5}"));
            assert_eq!(text(|o| push_decimal_right(o, v, 5)), format!("|{v:>5}"));
        }
    }
}
