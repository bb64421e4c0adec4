//! Where `siginfo_t`'s fields sit in a tracee, and SIGCHLD's child fields as strace
//! shows them: the one layout that waitid's result and a siginfo argument
//! (rt_sigtimedwait, rt_sigqueueinfo, ...) both read.

use crate::kstruct::{Fields, Layout};
use crate::value_builder::Out;

/// `si_signo`, `si_errno` and `si_code`: three ints at the start, on every ABI.
pub const SIGNO_AT: usize = 0;
pub const ERRNO_AT: usize = 4;
pub const CODE_AT: usize = 8;

/// SIGCHLD's `si_code` for a child that exited (its status is an exit code, not a
/// signal).
pub const CLD_EXITED: i64 = 1;

/// The offsets of a siginfo's union members for a tracee of one word size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiginfoLayout {
    word: usize,
}

impl SiginfoLayout {
    pub fn of(layout: Layout) -> Self {
        SiginfoLayout { word: layout.word }
    }

    /// The union starts at the next word boundary after the three ints (16 on 64-bit,
    /// 12 on 32-bit).
    pub fn union_at(self) -> usize {
        (CODE_AT + 4).next_multiple_of(self.word)
    }

    /// `si_pid` (kill, SIGCHLD, sigqueue) or `si_timerid` (timers).
    pub fn pid_at(self) -> usize {
        self.union_at()
    }

    /// `si_uid` or `si_overrun`.
    pub fn uid_at(self) -> usize {
        self.union_at() + 4
    }

    /// SIGCHLD's `si_status`.
    pub fn status_at(self) -> usize {
        self.union_at() + 8
    }

    /// The sigval (`si_int` / `si_ptr`) after two ints, at the next word boundary.
    pub fn sigval_at(self) -> usize {
        (self.union_at() + 8).next_multiple_of(self.word)
    }

    /// SIGCHLD's `si_utime`: after `si_status`, word-aligned (where a sigval would be,
    /// one word on).
    pub fn utime_at(self) -> usize {
        self.sigval_at() + self.word
    }

    /// SIGCHLD's `si_stime`.
    pub fn stime_at(self) -> usize {
        self.utime_at() + self.word
    }

    /// Bytes up to the end of SIGCHLD's fields.
    pub fn sigchld_size(self) -> usize {
        self.stime_at() + self.word
    }
}

/// SIGCHLD's child fields, after `si_code` (`code`): `si_pid`, `si_uid`, `si_status`
/// (an exit code, or the signal that killed or stopped the child), `si_utime` and
/// `si_stime` (clock ticks).
pub fn sigchld_child_fields(out: &mut Out<'_>, f: &Fields<'_>, code: i64) {
    let at = SiginfoLayout::of(f.layout);
    out.field("si_pid");
    out.int(f.i32(at.pid_at()));
    out.field("si_uid");
    out.uint(f.u32(at.uid_at()));
    out.field("si_status");
    let status = f.i32(at.status_at());
    if code == CLD_EXITED {
        out.int(status);
    } else {
        out.signal(status);
    }
    out.field("si_utime");
    out.clock_ticks(f.word(at.utime_at()));
    out.field("si_stime");
    out.clock_ticks(f.word(at.stime_at()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(word: usize) -> SiginfoLayout {
        SiginfoLayout { word }
    }

    #[test]
    fn offsets_as_the_kernel_lays_them_out() {
        // 64-bit: union at 16, status at 24, utime at 32, stime at 40.
        let l = layout(8);
        assert_eq!(
            (
                l.union_at(),
                l.status_at(),
                l.sigval_at(),
                l.utime_at(),
                l.stime_at()
            ),
            (16, 24, 24, 32, 40)
        );
        // 32-bit: union at 12, status at 20, utime at 24, stime at 28.
        let l = layout(4);
        assert_eq!(
            (
                l.union_at(),
                l.status_at(),
                l.sigval_at(),
                l.utime_at(),
                l.stime_at()
            ),
            (12, 20, 20, 24, 28)
        );
        assert_eq!(l.sigchld_size(), 32);
    }
}
