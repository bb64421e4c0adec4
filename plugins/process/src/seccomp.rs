//! seccomp(2): the operation, its flags and its argument.

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::flags::{
    SECCOMP_FILTER_FLAGS, SECCOMP_GET_ACTION_AVAIL, SECCOMP_OPS, SECCOMP_RETURN_ACTIONS,
};

/// seccomp(op, flags, args): the argument is an action to ask about for
/// `SECCOMP_GET_ACTION_AVAIL`, else shown as its address.
pub fn seccomp(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        let op = call.arg(0) & 0xffff_ffff;
        out.constant(op, SECCOMP_OPS.names, SECCOMP_OPS.unknown);
        out.flags_or_unknown(
            call.arg(1) & 0xffff_ffff,
            SECCOMP_FILTER_FLAGS,
            "SECCOMP_FILTER_FLAG_???",
        );
        let addr = call.arg_ulong(2);
        if op == SECCOMP_GET_ACTION_AVAIL {
            with_struct(call, out, addr, 4, |out, f| {
                out.begin_array();
                let action = f.u32(0);
                out.constant(
                    action,
                    SECCOMP_RETURN_ACTIONS.names,
                    SECCOMP_RETURN_ACTIONS.unknown,
                );
                out.end();
            });
        } else {
            out.pointer(addr);
        }
    }
    DecodeStatus::Complete
}
