//! kcmp and pidfd_getfd: looking at another process's resources.

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, PidKind, ReturnStyle};

use crate::kernel_consts::KCMP_TYPES;
const KCMP_FILE: u64 = 0;
const KCMP_EPOLL_TFD: u64 = 7;

/// kcmp(pid1, pid2, type, idx1, idx2): the indexes mean something only for the
/// file types. The descriptors are other processes' and print as numbers.
pub fn kcmp(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.pid(call.arg_int(0), PidKind::Tgid);
    out.pid(call.arg_int(1), PidKind::Tgid);
    let kind = call.arg(2) & 0xffff_ffff;
    out.constant_of(kind, KCMP_TYPES);
    let (idx1, idx2) = (call.arg_ulong(3), call.arg_ulong(4));
    match kind {
        KCMP_FILE => {
            out.int(i64::from(idx1 as u32 as i32));
            out.int(i64::from(idx2 as u32 as i32));
        }
        KCMP_EPOLL_TFD => {
            out.int(i64::from(idx1 as u32 as i32));
            with_struct(call, out, idx2, 12, |out, f| {
                out.structure(|out| {
                    out.field("efd");
                    out.int(f.i32(0));
                    out.field("tfd");
                    out.int(f.i32(4));
                    out.field("toff");
                    out.uint(f.u32(8));
                })
            });
        }
        1..=6 => {}
        _ => {
            out.hex(idx1);
            out.hex(idx2);
        }
    }
    DecodeStatus::Complete
}

/// pidfd_getfd(pidfd, targetfd, flags): targetfd is the other process's.
pub fn pidfd_getfd(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    out.return_style(ReturnStyle::Fd);
    if phase == Phase::Entry {
        out.fd(call.arg_int(0) as i32);
        out.int(call.arg_int(1));
        out.hex(call.arg(2) & 0xffff_ffff);
    }
    DecodeStatus::Complete
}
