//! seccomp(2): the operation, its flags and its argument.

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::flags::{
    SECCOMP_FILTER_FLAGS, SECCOMP_GET_ACTION_AVAIL, SECCOMP_OPS, SECCOMP_RETURN_ACTIONS,
};

/// SECCOMP_SET_MODE_FILTER's operation.
const SECCOMP_SET_MODE_FILTER: u64 = 1;

/// A seccomp filter's BPF_RET value: the action, then its data
/// (`SECCOMP_RET_ERRNO|0x1`).
fn return_action(out: &mut Out<'_>, k: u32) {
    let k = u64::from(k);
    let action = k & 0xffff_0000;
    out.begin_flags();
    out.constant_of(action, SECCOMP_RETURN_ACTIONS);
    if k & !action != 0 {
        out.hex(k & !action);
    }
    out.end();
}

/// A seccomp filter program (`struct sock_fprog`) at `addr`.
pub fn filter_program(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    rtrace_sdk::bpf_filter::sock_fprog(call, out, addr, Some(return_action));
}

/// seccomp(op, flags, args): the argument is an action to ask about for
/// `SECCOMP_GET_ACTION_AVAIL`, a filter program for `SECCOMP_SET_MODE_FILTER`, else
/// shown as its address.
pub fn seccomp(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        let op = call.arg(0) & 0xffff_ffff;
        out.constant_of(op, SECCOMP_OPS);
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
                out.constant_of(action, SECCOMP_RETURN_ACTIONS);
                out.end();
            });
        } else if op == SECCOMP_SET_MODE_FILTER {
            filter_program(call, out, addr);
        } else {
            out.pointer(addr);
        }
    }
    DecodeStatus::Complete
}
