//! Policies (with their reset-on-fork bit), `struct sched_param` and the
//! round-robin interval.

use rtrace_sdk::kstruct::{time_at, with_struct, TimeAbi, TimeUnit};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, PidKind, ReturnStyle};

use crate::tables::{SCHEDULERS, SCHED_RESET_ON_FORK};

/// The name of a policy without its reset-on-fork bit, if strace knows it.
fn policy_name(policy: u64) -> Option<&'static str> {
    SCHEDULERS.name(policy & !SCHED_RESET_ON_FORK)
}

/// Whether strace names `policy`: a known one, or any with the reset-on-fork bit
/// (`SCHED_RESET_ON_FORK|0x105`); never a negative one.
fn is_named(policy: u64) -> bool {
    policy & 0x8000_0000 == 0
        && (policy & SCHED_RESET_ON_FORK != 0 || policy_name(policy).is_some())
}

/// A named policy (see [`is_named`]); `names_only` keeps the names under `-X raw` and
/// `-X verbose`, as strace's note after sched_getscheduler's result does.
fn emit_named_policy(out: &mut Out<'_>, policy: u64, names_only: bool) {
    let name = policy_name(policy);
    if policy & SCHED_RESET_ON_FORK == 0 {
        match name {
            Some(name) if names_only => out.name(name),
            Some(name) => out.named(name, policy as i64, true),
            None => {}
        }
        return;
    }
    if names_only {
        out.begin_flags();
    } else {
        out.begin_flag_set(policy);
    }
    out.name("SCHED_RESET_ON_FORK");
    match name {
        Some(name) => out.name(name),
        None => out.hex(policy & !SCHED_RESET_ON_FORK),
    }
    out.end();
}

/// sched_setscheduler's policy.
pub fn policy(_: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    let policy = raw & 0xffff_ffff;
    if is_named(policy) {
        emit_named_policy(out, policy, false);
    } else {
        out.text_fmt(format_args!("{policy:#x} /* SCHED_??? */"));
    }
}

/// sched_getscheduler: the pid, and the policy it returns, in hex and named.
pub fn sched_getscheduler(
    phase: Phase,
    call: &mut Call<'_, '_>,
    out: &mut Out<'_>,
) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.pid(call.arg_int(0), PidKind::Tgid);
            DecodeStatus::Complete
        }
        Phase::Exit => {
            if !call.is_error() {
                out.return_style(ReturnStyle::Hex);
                let policy = call.retval() as u64;
                if is_named(policy) {
                    out.return_note();
                    emit_named_policy(out, policy, true);
                }
            }
            DecodeStatus::Complete
        }
    }
}

/// `{sched_priority=N}`; at exit of a failed call, the address.
pub fn param(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() && call.name() == "sched_getparam" {
        out.pointer(addr);
        return;
    }
    with_struct(call, out, addr, 4, |out, f| {
        out.structure(|out| {
            out.field("sched_priority");
            out.int(f.i32(0));
        })
    });
}

/// sched_rr_get_interval's timespec, filled by the kernel.
pub fn interval(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        time_at(call, out, addr, TimeAbi::of(call), TimeUnit::Nanos);
    }
}
