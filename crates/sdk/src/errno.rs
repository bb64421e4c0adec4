//! Errno names as strace prints them (`ENOENT`, `-EKEYREVOKED` inside structures): the
//! kernel's primary name for each code (EAGAIN, not EWOULDBLOCK; EOPNOTSUPP, not
//! ENOTSUP), values from the libc crate, and the kernel-internal codes (512-530) that
//! show at syscall-exit stops and in netlink errors. One home for the renderer's return
//! values and for every decoder that prints an error code.

macro_rules! errnos {
    ($($name:ident,)*) => {
        &[$((libc::$name as i64, stringify!($name)),)*]
    };
}

/// The user-visible codes, in value order.
const USER: &[(i64, &str)] = errnos![
    EPERM,
    ENOENT,
    ESRCH,
    EINTR,
    EIO,
    ENXIO,
    E2BIG,
    ENOEXEC,
    EBADF,
    ECHILD,
    EAGAIN,
    ENOMEM,
    EACCES,
    EFAULT,
    ENOTBLK,
    EBUSY,
    EEXIST,
    EXDEV,
    ENODEV,
    ENOTDIR,
    EISDIR,
    EINVAL,
    ENFILE,
    EMFILE,
    ENOTTY,
    ETXTBSY,
    EFBIG,
    ENOSPC,
    ESPIPE,
    EROFS,
    EMLINK,
    EPIPE,
    EDOM,
    ERANGE,
    EDEADLK,
    ENAMETOOLONG,
    ENOLCK,
    ENOSYS,
    ENOTEMPTY,
    ELOOP,
    ENOMSG,
    EIDRM,
    ECHRNG,
    EL2NSYNC,
    EL3HLT,
    EL3RST,
    ELNRNG,
    EUNATCH,
    ENOCSI,
    EL2HLT,
    EBADE,
    EBADR,
    EXFULL,
    ENOANO,
    EBADRQC,
    EBADSLT,
    EBFONT,
    ENOSTR,
    ENODATA,
    ETIME,
    ENOSR,
    ENONET,
    ENOPKG,
    EREMOTE,
    ENOLINK,
    EADV,
    ESRMNT,
    ECOMM,
    EPROTO,
    EMULTIHOP,
    EDOTDOT,
    EBADMSG,
    EOVERFLOW,
    ENOTUNIQ,
    EBADFD,
    EREMCHG,
    ELIBACC,
    ELIBBAD,
    ELIBSCN,
    ELIBMAX,
    ELIBEXEC,
    EILSEQ,
    ERESTART,
    ESTRPIPE,
    EUSERS,
    ENOTSOCK,
    EDESTADDRREQ,
    EMSGSIZE,
    EPROTOTYPE,
    ENOPROTOOPT,
    EPROTONOSUPPORT,
    ESOCKTNOSUPPORT,
    EOPNOTSUPP,
    EPFNOSUPPORT,
    EAFNOSUPPORT,
    EADDRINUSE,
    EADDRNOTAVAIL,
    ENETDOWN,
    ENETUNREACH,
    ENETRESET,
    ECONNABORTED,
    ECONNRESET,
    ENOBUFS,
    EISCONN,
    ENOTCONN,
    ESHUTDOWN,
    ETOOMANYREFS,
    ETIMEDOUT,
    ECONNREFUSED,
    EHOSTDOWN,
    EHOSTUNREACH,
    EALREADY,
    EINPROGRESS,
    ESTALE,
    EUCLEAN,
    ENOTNAM,
    ENAVAIL,
    EISNAM,
    EREMOTEIO,
    EDQUOT,
    ENOMEDIUM,
    EMEDIUMTYPE,
    ECANCELED,
    ENOKEY,
    EKEYEXPIRED,
    EKEYREVOKED,
    EKEYREJECTED,
    EOWNERDEAD,
    ENOTRECOVERABLE,
    ERFKILL,
    EHWPOISON,
];

/// Codes the kernel uses inside itself (include/linux/errno.h), never returned to a
/// program but visible to a tracer.
const KERNEL_INTERNAL: &[(i64, &str)] = &[
    (512, "ERESTARTSYS"),
    (513, "ERESTARTNOINTR"),
    (514, "ERESTARTNOHAND"),
    (515, "ENOIOCTLCMD"),
    (516, "ERESTART_RESTARTBLOCK"),
    (517, "EPROBE_DEFER"),
    (518, "EOPENSTALE"),
    (519, "ENOPARAM"),
    (521, "EBADHANDLE"),
    (522, "ENOTSYNC"),
    (523, "EBADCOOKIE"),
    (524, "ENOTSUPP"),
    (525, "ETOOSMALL"),
    (526, "ESERVERFAULT"),
    (527, "EBADTYPE"),
    (528, "EJUKEBOX"),
    (529, "EIOCBQUEUED"),
    (530, "ERECALLCONFLICT"),
];

/// The name of errno `code` (positive), if the kernel has one.
pub fn errno_name(code: i64) -> Option<&'static str> {
    USER.iter()
        .chain(KERNEL_INTERNAL)
        .find(|(value, _)| *value == code)
        .map(|(_, name)| *name)
}

/// An error code inside a structure or argument, as strace's print_err shows it: its
/// name (`EKEYREJECTED`), with `negated` a negative status (`-ENOENT`); the number
/// when the kernel has no name for it.
pub fn emit_errno(out: &mut crate::Out<'_>, value: i64, negated: bool) {
    let code = if negated {
        value.checked_neg()
    } else {
        Some(value)
    };
    match code.filter(|c| *c > 0).and_then(errno_name) {
        Some(name) if negated => out.text_fmt(format_args!("-{name}")),
        Some(name) => out.named(name, value, false),
        None if negated => out.int(value),
        None => out.uint(value as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::errno_name;

    #[test]
    fn primary_names_and_internal_codes() {
        assert_eq!(errno_name(2), Some("ENOENT"));
        assert_eq!(errno_name(11), Some("EAGAIN"));
        assert_eq!(errno_name(95), Some("EOPNOTSUPP"));
        assert_eq!(errno_name(128), Some("EKEYREVOKED"));
        assert_eq!(errno_name(133), Some("EHWPOISON"));
        assert_eq!(errno_name(516), Some("ERESTART_RESTARTBLOCK"));
        assert_eq!(errno_name(520), None);
        assert_eq!(errno_name(0), None);
    }
}
