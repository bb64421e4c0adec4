//! reboot, swapon's flags, host names, syslog and lookup_dcookie.

use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::tables::*;

/// `name /* PREFIX??? */` or the name: strace's `printxval` with an unknown value.
fn xval(out: &mut Out<'_>, value: u64, table: &'static [(u64, &'static str)], unknown: &str) {
    out.constant(value, table, unknown);
}

/// `10 /* SYSLOG_ACTION_SIZE_BUFFER */`: a decimal with its name, always.
fn decimal_with_name(out: &mut Out<'_>, value: i64, table: &[(u64, &str)], unknown: &str) {
    let name = table
        .iter()
        .find(|(v, _)| *v as i64 == value)
        .map_or(unknown, |(_, n)| *n);
    out.text_fmt(format_args!("{value} /* {name} */"));
}

/// reboot(magic, magic2, cmd[, arg]): RESTART2 takes a command line.
pub fn reboot(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        xval(
            out,
            call.arg(0) & 0xffff_ffff,
            REBOOT_MAGIC1,
            "LINUX_REBOOT_MAGIC1???",
        );
        xval(
            out,
            call.arg(1) & 0xffff_ffff,
            REBOOT_MAGIC2,
            "LINUX_REBOOT_MAGIC2???",
        );
        let cmd = call.arg(2) & 0xffff_ffff;
        xval(out, cmd, REBOOT_CMDS, "LINUX_REBOOT_CMD_???");
        if cmd == REBOOT_CMD_RESTART2 {
            // The kernel copies at most 255 bytes.
            out.cstring_at(call.tracee(), call.arg_ulong(3), 255);
        }
    }
    DecodeStatus::Complete
}

/// swapon's flags: the flag bits, then the priority in decimal (`SWAP_FLAG_PREFER|7`).
pub fn swap_flags(_: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    let raw = raw & 0xffff_ffff;
    let prio = raw & SWAP_FLAG_PRIO_MASK;
    let flags = raw & !SWAP_FLAG_PRIO_MASK;
    out.begin_flags();
    if flags != 0 {
        out.flags_or_unknown(flags, SWAP_FLAGS, "SWAP_FLAG_???");
    }
    out.uint(prio);
    out.end();
}

/// sethostname/setdomainname's name: its bytes, or the address when longer than
/// the kernel takes (__NEW_UTS_LEN).
pub fn uts_name(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    const NEW_UTS_LEN: u64 = 64;
    let len = call.arg(1) & 0xffff_ffff;
    if len > NEW_UTS_LEN {
        out.pointer(addr);
    } else {
        out.buffer_at(call.tracee(), addr, len, call.options().string_limit);
    }
}

/// syslog(type, bufp, len): the reads show the bytes at exit; the size queries
/// and opening or closing take no more arguments.
pub fn syslog(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let kind = call.arg_int(0);
    let len = call.arg_int(2);
    let buf = call.arg_ulong(1);
    match phase {
        Phase::Entry => {
            decimal_with_name(out, kind, SYSLOG_ACTIONS, "SYSLOG_ACTION_???");
            match kind {
                0 | 1 | 5 | 6 | 7 | 9 | 10 => DecodeStatus::Complete,
                2..=4 => DecodeStatus::MoreAtExit,
                8 => {
                    out.pointer(buf);
                    decimal_with_name(out, len, LOGLEVELS, "LOGLEVEL_???");
                    DecodeStatus::Complete
                }
                _ => {
                    out.pointer(buf);
                    out.int(len);
                    DecodeStatus::Complete
                }
            }
        }
        Phase::Exit if (2..=4).contains(&kind) => {
            if call.is_error() {
                out.pointer(buf);
            } else {
                let n = call.retval().max(0) as u64;
                out.buffer_at(call.tracee(), buf, n, call.options().string_limit);
            }
            out.int(len);
            DecodeStatus::Complete
        }
        Phase::Exit => DecodeStatus::Complete,
    }
}

/// lookup_dcookie(cookie, buffer, len): all shown at exit, the 64-bit cookie from a
/// register pair on 32-bit ABIs.
pub fn lookup_dcookie(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        return DecodeStatus::MoreAtExit;
    }
    let (cookie, next) = if call.word_size() == 8 {
        (call.arg(0), 1)
    } else {
        (
            (call.arg(1) & 0xffff_ffff) << 32 | (call.arg(0) & 0xffff_ffff),
            2,
        )
    };
    out.uint(cookie);
    let buf = call.arg_ulong(next);
    if call.is_error() {
        out.pointer(buf);
    } else {
        let n = call.retval().max(0) as u64;
        out.buffer_at(call.tracee(), buf, n, call.options().string_limit);
    }
    out.uint(call.arg_ulong(next + 1));
    DecodeStatus::Complete
}
