//! rt_sigreturn: strace shows the signal mask the call restores, `{mask=[USR2]}`,
//! read from the signal frame on the tracee's stack (the host gives the stack pointer
//! at entry). Where it is unknown the call prints without arguments.

use rtrace_sdk::{sigset_at, Call, DecodeStatus, Out, Phase, KERNEL_SIGSET_BYTES};

const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
const AUDIT_ARCH_ARM: u32 = 0x4000_0028;

/// Which frame the handler returns through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// rt_sigreturn's `rt_sigframe` (handlers installed with or without SA_SIGINFO).
    Rt,
    /// sigreturn's plain `sigframe` (32-bit ARM handlers without SA_SIGINFO).
    Plain,
}

/// Where the saved mask (`uc_sigmask`) is, from the stack pointer at the syscall.
fn mask_offset(audit_arch: u32, frame: Frame) -> Option<u64> {
    if frame == Frame::Plain {
        // ARM's sigframe starts with the ucontext itself.
        return (audit_arch == AUDIT_ARCH_ARM).then_some(4 + 4 + 12 + 84);
    }
    match audit_arch {
        // The handler's `ret` popped pretcode: sp is at the ucontext; uc_sigmask follows
        // uc_flags, uc_link, the 24-byte stack_t and the 256-byte sigcontext.
        AUDIT_ARCH_X86_64 => Some(8 + 8 + 24 + 256),
        // sp is at the rt_sigframe: a 128-byte siginfo, then the ucontext whose mask
        // follows uc_flags, uc_link, a 12-byte stack_t and the 84-byte sigcontext.
        AUDIT_ARCH_ARM => Some(128 + 4 + 4 + 12 + 84),
        _ => None,
    }
}

pub fn rt_sigreturn(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    frame_mask(phase, call, out, Frame::Rt)
}

pub fn sigreturn(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    frame_mask(phase, call, out, Frame::Plain)
}

fn frame_mask(
    phase: Phase,
    call: &mut Call<'_, '_>,
    out: &mut Out<'_>,
    frame: Frame,
) -> DecodeStatus {
    if phase == Phase::Entry {
        let addr = mask_offset(call.audit_arch(), frame)
            .zip(Some(call.stack_pointer()).filter(|&sp| sp != 0))
            .map(|(offset, sp)| sp.wrapping_add(offset));
        if let Some(addr) = addr {
            out.begin_struct();
            out.field("mask");
            sigset_at(call, out, addr, KERNEL_SIGSET_BYTES as u64);
            out.end();
        }
    }
    DecodeStatus::Complete
}
