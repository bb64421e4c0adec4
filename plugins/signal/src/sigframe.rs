//! rt_sigreturn: strace shows the signal mask the call restores, `{mask=[USR2]}`,
//! read from the signal frame on the tracee's stack (the host gives the stack pointer
//! at entry). Where it is unknown the call prints without arguments.

use rtrace_sdk::kstruct::Layout;
use rtrace_sdk::{sigset_at, Call, DecodeStatus, Out, Phase, SigmaskAt, KERNEL_SIGSET_BYTES};

/// Which frame the handler returns through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// rt_sigreturn's `rt_sigframe` (handlers installed with or without SA_SIGINFO).
    Rt,
    /// sigreturn's plain `sigframe` (32-bit handlers without SA_SIGINFO).
    Plain,
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
    let sp = call.stack_pointer();
    if phase != Phase::Entry || sp == 0 {
        return DecodeStatus::Complete;
    }
    // Where the frame keeps the mask is the personality's fact.
    let at = match frame {
        Frame::Rt => call.abi().rt_sigreturn_mask,
        Frame::Plain => call.abi().sigreturn_mask,
    };
    let addr = |offset: i32| sp.wrapping_add_signed(i64::from(offset));
    match at {
        SigmaskAt::Unknown => {}
        SigmaskAt::Contiguous(offset) => {
            out.begin_struct();
            out.field("mask");
            sigset_at(call, out, addr(offset), KERNEL_SIGSET_BYTES as u64);
            out.end();
        }
        SigmaskAt::Halves(low, high) => {
            // Each half in the tracee's word order: low word first, as a sigset is.
            let mut halves = [0u8; 8];
            let (low_half, high_half) = halves.split_at_mut(4);
            let tracee = call.tracee();
            if tracee.read_exact(addr(low), low_half) && tracee.read_exact(addr(high), high_half) {
                out.begin_struct();
                out.field("mask");
                out.sigset(&halves, Layout::of(call));
                out.end();
            } else {
                out.pointer(sp);
            }
        }
    }
    DecodeStatus::Complete
}
