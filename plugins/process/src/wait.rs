//! wait4 and waitid: what the kernel reports about a child (the wait status, the
//! SIGCHLD siginfo, the resource usage) prints at exit, after the pid.

use rtrace_sdk::kstruct::{with_struct, Fields, Layout};
use rtrace_sdk::siginfo::{self, SiginfoLayout};
use rtrace_sdk::{signal_name, Call, DecodeStatus, Out, Phase, PidKind, ReturnStyle};

use crate::flags::{P_PGID, P_PID, P_PIDFD, WAITID_TYPES, WAIT_OPTIONS};
use crate::resource::rusage_at;

/// strace's name for a signal inside the status text (`SIGTERM`, or the number).
fn signal_text(sig: i64) -> String {
    match signal_name(sig) {
        Some(name) => name.to_owned(),
        None if sig > 32 && sig <= 64 => format!("SIGRT_{}", sig - 32),
        None => sig.to_string(),
    }
}

/// strace's rendering of a wait status: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
pub fn status_text(status: u32) -> String {
    let low = status & 0x7f;
    let mut rest = status;
    // The same tests as the C library's W* macros, in strace's order.
    let mut text = if status & 0xff == 0x7f {
        let sig = (status >> 8) & 0xff;
        rest &= !(sig << 8 | 0x7f);
        let high = if sig & 0x80 != 0 { " | 0x80" } else { "" };
        format!(
            "[{{WIFSTOPPED(s) && WSTOPSIG(s) == {}{high}}}",
            signal_text(i64::from(sig & 0x7f))
        )
    } else if low != 0 && low != 0x7f {
        let core = status & 0x80 != 0;
        rest &= !(low | 0x80);
        format!(
            "[{{WIFSIGNALED(s) && WTERMSIG(s) == {}{}}}",
            signal_text(i64::from(low)),
            if core { " && WCOREDUMP(s)" } else { "" }
        )
    } else if low == 0 {
        let code = (status >> 8) & 0xff;
        rest &= !(code << 8);
        format!("[{{WIFEXITED(s) && WEXITSTATUS(s) == {code}}}")
    } else if status == 0xffff {
        rest = 0;
        "[{WIFCONTINUED(s)}".to_owned()
    } else {
        return format!("[{status:#x}]");
    };
    if rest >> 16 != 0 {
        text.push_str(&format!(" | {} << 16", ptrace_event(rest >> 16)));
        rest &= 0xffff;
    }
    if rest != 0 {
        text.push_str(&format!(" | {rest:#x}"));
    }
    text.push(']');
    text
}

fn ptrace_event(event: u32) -> String {
    const EVENTS: &[&str] = &[
        "",
        "PTRACE_EVENT_FORK",
        "PTRACE_EVENT_VFORK",
        "PTRACE_EVENT_CLONE",
        "PTRACE_EVENT_EXEC",
        "PTRACE_EVENT_VFORK_DONE",
        "PTRACE_EVENT_EXIT",
        "PTRACE_EVENT_SECCOMP",
    ];
    match EVENTS.get(event as usize) {
        Some(name) if !name.is_empty() => (*name).to_owned(),
        _ if event == 0x80 => "PTRACE_EVENT_STOP".to_owned(),
        _ => format!("{event:#x} /* PTRACE_EVENT_??? */"),
    }
}

pub fn wait4(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.pid(call.arg_int(0), PidKind::TgidOrPgid);
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            out.return_style(ReturnStyle::Pid(PidKind::Tgid));
            // Only a reaped child (a positive result) filled the status and usage.
            let reaped = !call.is_error() && call.retval() > 0;
            let status_addr = call.arg_ulong(1);
            let mut raw = [0u8; 4];
            if reaped && status_addr != 0 && call.tracee().read_exact(status_addr, &mut raw) {
                let status = if call.big_endian() {
                    u32::from_be_bytes(raw)
                } else {
                    u32::from_le_bytes(raw)
                };
                out.text(&status_text(status));
            } else {
                out.pointer(status_addr);
            }
            out.flags_or_unknown(call.arg(2) & 0xffff_ffff, WAIT_OPTIONS, "W???");
            if call.name() == "wait4" {
                if reaped {
                    rusage_at(call, out, call.arg_ulong(3));
                } else {
                    out.pointer(call.arg_ulong(3));
                }
            }
            DecodeStatus::Complete
        }
    }
}

pub fn waitid(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            let idtype = call.arg(0) & 0xffff_ffff;
            out.constant_of(idtype, WAITID_TYPES);
            match idtype {
                P_PIDFD => out.fd(call.arg_int(1) as i32),
                P_PID => out.pid(call.arg_int(1), PidKind::Tgid),
                P_PGID => out.pid(call.arg_int(1), PidKind::Pgid),
                _ => out.int(call.arg_int(1)),
            }
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let info = call.arg_ulong(2);
            if call.is_error() {
                out.pointer(info);
            } else {
                siginfo_at(call, out, info);
            }
            out.flags_or_unknown(call.arg(3) & 0xffff_ffff, WAIT_OPTIONS, "W???");
            if call.is_error() {
                out.pointer(call.arg_ulong(4));
            } else {
                rusage_at(call, out, call.arg_ulong(4));
            }
            DecodeStatus::Complete
        }
    }
}

/// The siginfo waitid fills: `{}` when no child changed state, the SIGCHLD fields
/// otherwise. Offsets follow the kernel's layout for the tracee's word size.
fn siginfo_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let size = SiginfoLayout::of(Layout::of(call)).sigchld_size();
    with_struct(call, out, addr, size, |out, f| sigchld_fields(out, &f));
}

fn sigchld_fields(out: &mut Out<'_>, f: &Fields<'_>) {
    let signo = f.i32(siginfo::SIGNO_AT);
    out.begin_struct();
    if signo == 0 {
        out.end();
        return;
    }
    let code = f.i32(siginfo::CODE_AT);
    out.field("si_signo");
    out.signal(signo);
    out.field("si_code");
    match rtrace_sdk::signals::cld_code_name(code) {
        // strace prints the int with %#x: a negative code as its 32 bits.
        Some(name) => out.named(name, i64::from(code as u32), true),
        None => out.int(code),
    }
    siginfo::sigchld_child_fields(out, f, code);
    out.end();
}
