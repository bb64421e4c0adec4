//! What a plugin library claims, readable from its file without loading it.
//!
//! The SDK's `export_plugin!` writes the plugin's name, version and syscall names into an
//! ELF section of its own ([`CLAIMS_SECTION`]). The host reads that section at start-up
//! and opens the library (dlopen, relocation, abi_stable's checks) only when a traced
//! call first needs one of its decoders: a run that makes no network call never loads
//! the net plugin. A library without the section (built before it existed) is opened
//! at start-up, as all were before.
//!
//! The format, version 1: NUL-terminated strings, [`CLAIMS_MAGIC`] first, then the
//! plugin's name, its version, and each syscall it claims in its decoder table's order
//! (a decoder's index is its position in that list).

/// The ELF section that holds a plugin's claims. `export_plugin!` spells the name out
/// (an attribute takes a literal); a test in the SDK checks that the two agree.
pub const CLAIMS_SECTION: &str = ".rtrace_claims";

/// The first string of the section: the format and its version.
pub const CLAIMS_MAGIC: &str = "rtrace-claims-1";

/// The length of [`claims_bytes`]'s result (a `const fn`, for the static's type).
pub const fn claims_len(name: &str, version: &str, syscalls: &[&str]) -> usize {
    let mut len = CLAIMS_MAGIC.len() + 1 + name.len() + 1 + version.len() + 1;
    let mut i = 0;
    while i < syscalls.len() {
        len += syscalls[i].len() + 1;
        i += 1;
    }
    len
}

/// The section's contents; `N` is [`claims_len`] of the same arguments (evaluated by the
/// compiler, so a wrong `N` fails the build).
pub const fn claims_bytes<const N: usize>(name: &str, version: &str, syscalls: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = put(&mut out, 0, CLAIMS_MAGIC);
    at = put(&mut out, at, name);
    at = put(&mut out, at, version);
    let mut i = 0;
    while i < syscalls.len() {
        at = put(&mut out, at, syscalls[i]);
        i += 1;
    }
    assert!(at == N, "claims_bytes: N is not claims_len");
    out
}

/// Writes `text` and its NUL at `at`; the position after them.
const fn put<const N: usize>(out: &mut [u8; N], mut at: usize, text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        assert!(bytes[i] != 0, "a claimed name holds a NUL");
        out[at] = bytes[i];
        at += 1;
        i += 1;
    }
    out[at] = 0;
    at + 1
}

/// A plugin's claims, as read back from its section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    pub name: String,
    pub version: String,
    /// In decoder-table order.
    pub syscalls: Vec<String>,
}

/// Reads a section written by [`claims_bytes`]; `None` for anything else (another
/// format version, text that is not UTF-8, a missing name).
pub fn parse_claims(section: &[u8]) -> Option<Claims> {
    let body = section.strip_suffix(&[0])?;
    let mut strings = body.split(|&b| b == 0).map(|s| std::str::from_utf8(s).ok());
    if strings.next()?? != CLAIMS_MAGIC {
        return None;
    }
    let name = strings.next()??.to_string();
    let version = strings.next()??.to_string();
    let syscalls = strings
        .map(|s| s.map(str::to_string))
        .collect::<Option<Vec<_>>>()?;
    if name.is_empty() || syscalls.iter().any(String::is_empty) {
        return None;
    }
    Some(Claims {
        name,
        version,
        syscalls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYSCALLS: &[&str] = &["openat", "close"];
    const LEN: usize = claims_len("fs", "0.1.0", SYSCALLS);
    static SECTION: [u8; LEN] = claims_bytes("fs", "0.1.0", SYSCALLS);

    #[test]
    fn what_is_written_reads_back() {
        assert_eq!(&SECTION[..16], b"rtrace-claims-1\0");
        assert_eq!(
            parse_claims(&SECTION),
            Some(Claims {
                name: "fs".into(),
                version: "0.1.0".into(),
                syscalls: vec!["openat".into(), "close".into()],
            })
        );
    }

    #[test]
    fn a_plugin_may_claim_nothing() {
        const EMPTY: [u8; claims_len("none", "1", &[])] = claims_bytes("none", "1", &[]);
        let claims = parse_claims(&EMPTY).unwrap();
        assert_eq!((claims.name.as_str(), claims.syscalls.len()), ("none", 0));
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(parse_claims(b""), None);
        assert_eq!(parse_claims(b"rtrace-claims-2\0fs\0v1\0close\0"), None);
        // Not NUL-terminated: a truncated section.
        assert_eq!(parse_claims(b"rtrace-claims-1\0fs\0v1\0clo"), None);
        assert_eq!(parse_claims(b"rtrace-claims-1\0\0v1\0close\0"), None);
        assert_eq!(parse_claims(b"rtrace-claims-1\0fs\0v1\0\xff\0"), None);
        assert_eq!(parse_claims(b"rtrace-claims-1\0fs\0v1\0close\0\0"), None);
        assert!(parse_claims(b"rtrace-claims-1\0fs\0v1\0close\0").is_some());
    }
}
