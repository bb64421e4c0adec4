//! fanotify_init and fanotify_mark (linux/fanotify.h).

use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out, Phase, ReturnStyle};

use crate::flags::open_flags;
use crate::pagecache::wide_arg;

use crate::kernel_consts::FAN_CLASSES;
const FAN_ALL_CLASS_BITS: u64 = 0xc;

const FAN_INIT_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x0001, "FAN_CLOEXEC"),
    (0x0002, "FAN_NONBLOCK"),
    (0x0010, "FAN_UNLIMITED_QUEUE"),
    (0x0020, "FAN_UNLIMITED_MARKS"),
    (0x0040, "FAN_ENABLE_AUDIT"),
    (0x0080, "FAN_REPORT_PIDFD"),
    (0x0100, "FAN_REPORT_TID"),
    (0x0200, "FAN_REPORT_FID"),
    (0x0400, "FAN_REPORT_DIR_FID"),
    (0x0800, "FAN_REPORT_NAME"),
    (0x1000, "FAN_REPORT_TARGET_FID"),
    (0x2000, "FAN_REPORT_FD_ERROR"),
    (0x4000, "FAN_REPORT_MNT"),
]);

const FAN_MARK_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x001, "FAN_MARK_ADD"),
    (0x002, "FAN_MARK_REMOVE"),
    (0x080, "FAN_MARK_FLUSH"),
    (0x004, "FAN_MARK_DONT_FOLLOW"),
    (0x008, "FAN_MARK_ONLYDIR"),
    (0x110, "FAN_MARK_MNTNS"),
    (0x010, "FAN_MARK_MOUNT"),
    (0x100, "FAN_MARK_FILESYSTEM"),
    (0x020, "FAN_MARK_IGNORED_MASK"),
    (0x040, "FAN_MARK_IGNORED_SURV_MODIFY"),
    (0x400, "FAN_MARK_IGNORE"),
    (0x200, "FAN_MARK_EVICTABLE"),
]);

const FAN_EVENTS: &FlagTable = &FlagTable::bits(&[
    (0x0000_0001, "FAN_ACCESS"),
    (0x0000_0002, "FAN_MODIFY"),
    (0x0000_0004, "FAN_ATTRIB"),
    (0x0000_0008, "FAN_CLOSE_WRITE"),
    (0x0000_0010, "FAN_CLOSE_NOWRITE"),
    (0x0000_0020, "FAN_OPEN"),
    (0x0000_0040, "FAN_MOVED_FROM"),
    (0x0000_0080, "FAN_MOVED_TO"),
    (0x0000_0100, "FAN_CREATE"),
    (0x0000_0200, "FAN_DELETE"),
    (0x0000_0400, "FAN_DELETE_SELF"),
    (0x0000_0800, "FAN_MOVE_SELF"),
    (0x0000_1000, "FAN_OPEN_EXEC"),
    (0x0000_4000, "FAN_Q_OVERFLOW"),
    (0x0000_8000, "FAN_FS_ERROR"),
    (0x0001_0000, "FAN_OPEN_PERM"),
    (0x0002_0000, "FAN_ACCESS_PERM"),
    (0x0004_0000, "FAN_OPEN_EXEC_PERM"),
    (0x0008_0000, "FAN_DIR_MODIFY"),
    (0x0010_0000, "FAN_PRE_ACCESS"),
    (0x0100_0000, "FAN_MNT_ATTACH"),
    (0x0200_0000, "FAN_MNT_DETACH"),
    (0x0800_0000, "FAN_EVENT_ON_CHILD"),
    (0x1000_0000, "FAN_RENAME"),
    (0x4000_0000, "FAN_ONDIR"),
]);

/// fanotify_init(flags, event_f_flags): the class first, then the other flags.
pub fn fanotify_init(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    let flags = call.arg(0) & 0xffff_ffff;
    out.begin_flag_set(flags);
    let class = flags & FAN_ALL_CLASS_BITS;
    match FAN_CLASSES.iter().find(|(v, _)| *v == class) {
        Some((_, name)) => out.name(name),
        None => out.text_fmt(format_args!("{class:#x} /* FAN_CLASS_??? */")),
    }
    let rest = flags & !FAN_ALL_CLASS_BITS;
    if rest != 0 {
        out.flags_or_unknown(rest, FAN_INIT_FLAGS, "FAN_???");
    }
    out.end();
    open_flags(call, out, call.arg(1));
    out.return_style(ReturnStyle::Fd);
    DecodeStatus::Complete
}

/// fanotify_mark(fd, flags, mask, dirfd, path): the 64-bit mask takes a register
/// pair on 32-bit ABIs; a dirfd of -1 is FAN_NOFD.
pub fn fanotify_mark(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    out.flags_or_unknown(call.arg(1) & 0xffff_ffff, FAN_MARK_FLAGS, "FAN_MARK_???");
    let (mask, next) = wide_arg(call, 2);
    out.flags_or_unknown(mask as u64, FAN_EVENTS, "FAN_???");
    let dirfd = call.arg_int(next) as i32;
    if dirfd == -1 {
        out.named("FAN_NOFD", -1, false);
    } else {
        out.dirfd(dirfd);
    }
    out.path_at(call.tracee(), call.arg(next + 1));
    DecodeStatus::Complete
}
