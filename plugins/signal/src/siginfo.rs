//! `siginfo_t` as an argument (rt_sigtimedwait's result, rt_sigqueueinfo's input):
//! `{si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=1, si_uid=0, si_int=7, si_ptr=0x7}`,
//! and `{}` for a siginfo whose si_signo is 0.
//!
//! The field offsets are the SDK's ([`rtrace_sdk::siginfo`]), shared with waitid.

use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::siginfo::{sigchld_child_fields, SiginfoLayout, CODE_AT, ERRNO_AT, SIGNO_AT};
use rtrace_sdk::{Call, Out, PidKind};

/// The kernel copies 128 bytes of siginfo whatever the ABI.
const SIGINFO_SIZE: usize = 128;

const SIGCHLD: i64 = 17;

/// `si_code`s any signal may carry (sent by a process or by the kernel generically).
const GENERIC_CODES: &[(i64, &str)] = &[
    (0, "SI_USER"),
    (0x80, "SI_KERNEL"),
    (-1, "SI_QUEUE"),
    (-2, "SI_TIMER"),
    (-3, "SI_MESGQ"),
    (-4, "SI_ASYNCIO"),
    (-5, "SI_SIGIO"),
    (-6, "SI_TKILL"),
    (-7, "SI_DETHREAD"),
    (-60, "SI_ASYNCNL"),
];

pub fn siginfo_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    with_struct(call, out, addr, SIGINFO_SIZE, |out, f| emit(out, &f));
}

fn emit(out: &mut Out<'_>, f: &Fields<'_>) {
    let at = SiginfoLayout::of(f.layout);
    let signo = f.i32(SIGNO_AT);
    let errno = f.i32(ERRNO_AT);
    let code = f.i32(CODE_AT);
    out.begin_struct();
    if signo == 0 {
        out.end();
        return;
    }
    out.field("si_signo");
    out.signal(signo);
    if errno != 0 {
        out.field("si_errno");
        out.int(errno);
    }
    out.field("si_code");
    let is_child = signo == SIGCHLD && code > 0;
    let name = if is_child {
        rtrace_sdk::signals::cld_code_name(code)
    } else {
        GENERIC_CODES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|&(_, name)| name)
    };
    match name {
        // strace prints the int with %#x: a negative code as its 32 bits.
        Some(name) => out.named(name, i64::from(code as u32), true),
        None => out.int(code),
    }
    let pid_uid = |out: &mut Out<'_>| {
        out.field("si_pid");
        out.pid(f.i32(at.pid_at()), PidKind::Tgid);
        out.field("si_uid");
        out.uint(f.u32(at.uid_at()));
    };
    let sigval = |out: &mut Out<'_>| {
        out.field("si_int");
        out.int(f.i32(at.sigval_at()));
        out.field("si_ptr");
        out.pointer(f.word(at.sigval_at()));
    };
    match code {
        _ if is_child => sigchld_child_fields(out, f, code),
        0 | -6 => pid_uid(out),
        -1 | -3 => {
            pid_uid(out);
            sigval(out);
        }
        -2 => {
            out.field("si_timerid");
            out.int(f.i32(at.pid_at()));
            out.field("si_overrun");
            out.int(f.i32(at.uid_at()));
            sigval(out);
        }
        _ => {}
    }
    out.end();
}
