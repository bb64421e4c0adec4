//! I/O priorities: `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`.

use rtrace_sdk::{Call, DecodeStatus, Out, Phase, PidKind};

use rtrace_sdk::ioprio::emit_ioprio;

use crate::tables::IOPRIO_WHO;

/// ioprio_set's priority.
pub fn ioprio(_: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    emit_ioprio(out, raw);
}

/// ioprio_get: `which` and `who`, and the priority it returns, decoded after it.
pub fn ioprio_get(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.constant_of(call.arg(0) & 0xffff_ffff, IOPRIO_WHO);
            who(call, out, call.arg(1));
            DecodeStatus::Complete
        }
        Phase::Exit => {
            if !call.is_error() {
                out.return_note();
                emit_ioprio(out, call.retval() as u64);
            }
            DecodeStatus::Complete
        }
    }
}

/// `which` values that make `who` a process id.
const IOPRIO_WHO_PROCESS: u64 = 1;
const IOPRIO_WHO_PGRP: u64 = 2;

/// ioprio_get's and ioprio_set's `who`: a thread, a process group or a user, as
/// `which` says.
pub fn who(call: &mut Call<'_, '_>, out: &mut Out<'_>, _raw: u64) {
    let who = call.arg_int(1);
    match call.arg(0) & 0xffff_ffff {
        IOPRIO_WHO_PROCESS => out.pid(who, PidKind::Tgid),
        IOPRIO_WHO_PGRP => out.pid(who, PidKind::Pgid),
        _ => out.int(who),
    }
}
