//! Return values: `= 3`, `= 0x7f...`, `= -1 ENOENT (No such file or directory)`,
//! `= ? ERESTARTSYS (To be restarted if SA_RESTART is set)`.

use std::ffi::CStr;

use rtrace_plugin_api::ReturnStyle;

use crate::numbers::{push_decimal, push_hex};

/// Kernel-internal codes that never reach user space but show at syscall-exit stops:
/// their texts (their names are the SDK's). The restart codes print as `?`: the call
/// will be restarted, it has no result yet.
const KERNEL_INTERNAL: &[(i64, &str, bool)] = &[
    (512, "To be restarted if SA_RESTART is set", true),
    (513, "To be restarted", true),
    (514, "To be restarted if no handler", true),
    (515, "No ioctl command", false),
    (516, "Interrupted by signal", true),
    (517, "Driver requests probe retry", false),
    (518, "Open found a stale dentry", false),
    (519, "Parameter not supported", false),
    (521, "Illegal NFS file handle", false),
    (522, "Update synchronization mismatch", false),
    (523, "Cookie is stale", false),
    (524, "Operation is not supported", false),
    (525, "Buffer or request is too small", false),
    (526, "An untranslatable error occurred", false),
    (527, "Type not supported by server", false),
    (
        528,
        "Request initiated, but will not complete before timeout",
        false,
    ),
    (529, "iocb queued, will get completion event", false),
    (530, "conflict with recalled state", false),
];

/// The symbolic name of an errno value (`ENOENT`), if it has one: the SDK's table,
/// which the decoders print too.
pub fn errno_name(errno: i64) -> Option<&'static str> {
    rtrace_sdk::errno::errno_name(errno)
}

/// The errno value of a symbolic name (`ENOENT`, `enoent`, `ERESTARTSYS`), as strace's
/// `error=` accepts it: any case.
pub fn errno_by_name(name: &str) -> Option<i64> {
    (1..=4095).find(|&n| errno_name(n).is_some_and(|known| known.eq_ignore_ascii_case(name)))
}

/// The C library's text for an errno value, as strace prints it.
pub fn errno_text(errno: i64) -> String {
    String::from_utf8_lossy(errno_text_bytes(errno)).into_owned()
}

/// [`errno_text`] without the copy: a failed call's line needs no allocation.
fn errno_text_bytes(errno: i64) -> &'static [u8] {
    if let Some(&(_, text, _)) = KERNEL_INTERNAL.iter().find(|e| e.0 == errno) {
        return text.as_bytes();
    }
    let code = i32::try_from(errno).unwrap_or(i32::MAX);
    // SAFETY: strerror returns a NUL-terminated string that stays valid until the next
    // strerror call of this thread (glibc's texts are static; an unknown code's text is
    // built in a thread-local buffer); every caller copies it out before that.
    unsafe { CStr::from_ptr(libc::strerror(code)) }.to_bytes()
}

/// Appends a return value as strace prints it after `= `.
pub fn write_return(out: &mut Vec<u8>, value: i64, is_error: bool, style: ReturnStyle) {
    if is_error {
        let errno = -value;
        let restart = KERNEL_INTERNAL.iter().any(|e| e.0 == errno && e.2);
        match errno_name(errno) {
            Some(name) => {
                out.extend_from_slice(if restart { b"? " } else { b"-1 " });
                out.extend_from_slice(name.as_bytes());
            }
            // No name: strace shows the number alone, without the C library's
            // "Unknown error" text.
            None => {
                out.extend_from_slice(b"-1 (errno ");
                push_decimal(out, errno);
                out.push(b')');
                return;
            }
        }
        out.extend_from_slice(b" (");
        out.extend_from_slice(errno_text_bytes(errno));
        out.push(b')');
        return;
    }
    match style {
        ReturnStyle::Decimal | ReturnStyle::Fd | ReturnStyle::Pid(_) => push_decimal(out, value),
        ReturnStyle::Hex if value == 0 => out.push(b'0'),
        ReturnStyle::Hex => push_hex(out, value as u64),
        ReturnStyle::Octal => crate::token_text::write_octal(out, value as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_names_read_back_in_any_case() {
        assert_eq!(errno_by_name("ENOENT"), Some(2));
        assert_eq!(errno_by_name("enoent"), Some(2));
        assert_eq!(errno_by_name("ERESTARTSYS"), Some(512));
        assert_eq!(errno_by_name("EWOULDBLOCK"), None);
        assert_eq!(errno_by_name("ENOSUCH"), None);
    }

    fn ret(value: i64, is_error: bool, style: ReturnStyle) -> String {
        let mut out = Vec::new();
        write_return(&mut out, value, is_error, style);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn errors_as_strace_prints_them() {
        // A code with no name: the number alone (F_GETOWN of a group below 4096).
        assert_eq!(ret(-1516, true, ReturnStyle::Decimal), "-1 (errno 1516)");
        assert_eq!(
            ret(-2, true, ReturnStyle::Decimal),
            "-1 ENOENT (No such file or directory)"
        );
        assert_eq!(
            ret(-38, true, ReturnStyle::Hex),
            "-1 ENOSYS (Function not implemented)"
        );
        assert_eq!(
            ret(-11, true, ReturnStyle::Decimal),
            "-1 EAGAIN (Resource temporarily unavailable)"
        );
        assert_eq!(
            ret(-512, true, ReturnStyle::Decimal),
            "? ERESTARTSYS (To be restarted if SA_RESTART is set)"
        );
        assert_eq!(
            ret(-516, true, ReturnStyle::Decimal),
            "? ERESTART_RESTARTBLOCK (Interrupted by signal)"
        );
        assert_eq!(
            ret(-514, true, ReturnStyle::Decimal),
            "? ERESTARTNOHAND (To be restarted if no handler)"
        );
    }

    #[test]
    fn successes_by_style() {
        assert_eq!(ret(3, false, ReturnStyle::Decimal), "3");
        assert_eq!(
            ret(0x7f03_d492_b000, false, ReturnStyle::Hex),
            "0x7f03d492b000"
        );
        assert_eq!(ret(0, false, ReturnStyle::Hex), "0");
        assert_eq!(ret(0o22, false, ReturnStyle::Octal), "022");
    }

    #[test]
    fn every_known_errno_has_a_name() {
        for n in 1..=133 {
            if n == 41 || n == 58 {
                continue; // not assigned on Linux
            }
            assert!(errno_name(n).is_some(), "errno {n}");
        }
        assert_eq!(errno_name(35), Some("EDEADLK"));
        assert_eq!(errno_name(95), Some("EOPNOTSUPP"));
    }
}
