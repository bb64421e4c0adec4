//! strace's C-string escaping.

/// How bytes are shown: `-x` and `-xx` switch to hex escapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HexMode {
    /// C escapes and octal for what is not printable.
    #[default]
    None,
    /// `-x`: the whole string in `\xNN` when any byte is not printable.
    NonAscii,
    /// `-xx`: every string in `\xNN`.
    All,
    /// `--strings-in-hex=non-ascii-chars`: C escapes, and `\xNN` instead of octal for
    /// the other bytes that need an escape.
    NonAsciiChars,
}

impl HexMode {
    /// From the decode options' level: 0 none, 1 `-x`, 2 `-xx`, 3 non-ASCII characters
    /// (strace's own numbering of these modes).
    pub fn from_level(level: u8) -> Self {
        match level {
            0 => HexMode::None,
            1 => HexMode::NonAscii,
            3 => HexMode::NonAsciiChars,
            _ => HexMode::All,
        }
    }
}

fn is_plain(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

fn has_c_escape(b: u8) -> Option<&'static str> {
    Some(match b {
        b'\t' => "\\t",
        b'\n' => "\\n",
        b'\x0b' => "\\v",
        b'\x0c' => "\\f",
        b'\r' => "\\r",
        b'"' => "\\\"",
        b'\\' => "\\\\",
        _ => return None,
    })
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `bytes` as a quoted C string literal body (without the quotes).
pub fn escape_into(out: &mut Vec<u8>, bytes: &[u8], mode: HexMode) {
    escape_also_into(out, bytes, mode, b"");
}

/// As [`escape_into`], with the bytes of `also` escaped in octal too (a name inside
/// `<...>` escapes `<` and `>`, as strace's quoting does with its escape characters).
pub fn escape_also_into(out: &mut Vec<u8>, bytes: &[u8], mode: HexMode, also: &[u8]) {
    let all_hex = match mode {
        HexMode::None | HexMode::NonAsciiChars => false,
        HexMode::All => true,
        HexMode::NonAscii => bytes
            .iter()
            .any(|&b| !is_plain(b) && !matches!(b, b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')),
    };
    if all_hex {
        hex_escape_into(out, bytes);
        return;
    }
    // Runs of printable bytes are copied whole; only what needs an escape goes byte by byte.
    let mut rest = bytes;
    while let Some(i) = rest
        .iter()
        .position(|&b| !is_plain(b) || matches!(b, b'"' | b'\\') || also.contains(&b))
    {
        out.extend_from_slice(&rest[..i]);
        let b = rest[i];
        rest = &rest[i + 1..];
        if let Some(esc) = has_c_escape(b) {
            out.extend_from_slice(esc.as_bytes());
        } else if mode == HexMode::NonAsciiChars {
            hex_escape_into(out, &[b]);
        } else {
            // Shortest octal, unless an octal digit follows and would be read as part of it.
            let next_is_octal = matches!(rest.first(), Some(b'0'..=b'7'));
            out.push(b'\\');
            if next_is_octal || b >= 0o100 {
                out.push(b'0' + (b >> 6));
            }
            if next_is_octal || b >= 0o10 {
                out.push(b'0' + ((b >> 3) & 7));
            }
            out.push(b'0' + (b & 7));
        }
    }
    out.extend_from_slice(rest);
}

/// Appends every byte as `\xNN`.
pub fn hex_escape_into(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        out.extend_from_slice(&[b'\\', b'x', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
    }
}

/// Escapes `<`, `>`, `"` and non-printables in a path shown inside `<...>` (`-y`).
pub fn escape_fd_path_into(out: &mut Vec<u8>, path: &[u8]) {
    for &b in path {
        if is_plain(b) && !matches!(b, b'<' | b'>' | b'"' | b'\\') {
            out.push(b);
        } else {
            hex_escape_into(out, &[b]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(bytes: &[u8], mode: HexMode) -> String {
        let mut out = Vec::new();
        escape_into(&mut out, bytes, mode);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn c_escapes_and_octal_as_strace() {
        assert_eq!(
            esc(b"a\tb\n\x01\x001\xff\"\\\0", HexMode::None),
            r#"a\tb\n\1\0001\377\"\\\0"#
        );
        assert_eq!(esc(b"\x008\x009", HexMode::None), r"\08\09");
        assert_eq!(esc(b"\x7f\x80", HexMode::None), r"\177\200");
        assert_eq!(esc(b"\x0b\x0c\r", HexMode::None), r"\v\f\r");
        assert_eq!(esc(b"\x1b[0m", HexMode::None), r"\33[0m");
        assert_eq!(esc(b"\x1b7", HexMode::None), r"\0337");
    }

    #[test]
    fn hex_modes() {
        assert_eq!(esc(b"hi\n", HexMode::NonAscii), r"hi\n");
        assert_eq!(esc(b"\x008\x009", HexMode::NonAscii), r"\x00\x38\x00\x39");
        assert_eq!(esc(b"hi", HexMode::All), r"\x68\x69");
        assert_eq!(
            esc(b"a\tb\x01\x001\xff\"", HexMode::NonAsciiChars),
            r#"a\tb\x01\x001\xff\""#
        );
    }

    #[test]
    fn fd_paths_escape_brackets() {
        let mut out = Vec::new();
        escape_fd_path_into(&mut out, b"/tmp/a<b>\"");
        assert_eq!(out, br#"/tmp/a\x3cb\x3e\x22"#);
    }
}
