//! The old signal calls of 32-bit ABIs (i386, ARM EABI): signal, sigaction with
//! `struct old_sigaction`, sgetmask/ssetmask and sigsuspend, whose masks are one
//! word of bits (`old_sigset_t`) passed by value or returned.

use rtrace_sdk::kstruct::{with_struct, Fields, Layout};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, ReturnStyle};

use crate::tables::SA_FLAGS;
use crate::{SA_RESTORER, SIG_DFL, SIG_IGN};

/// A handler address: SIG_DFL, SIG_IGN, SIG_ERR, or the address.
fn handler_name(value: u64, word_bytes: usize) -> Option<&'static str> {
    match value {
        SIG_DFL => Some("SIG_DFL"),
        SIG_IGN => Some("SIG_IGN"),
        v if v == u64::MAX >> (64 - 8 * word_bytes) => Some("SIG_ERR"),
        _ => None,
    }
}

fn emit_handler(out: &mut Out<'_>, value: u64, word_bytes: usize) {
    match handler_name(value, word_bytes) {
        Some(name) => out.named(name, value as i64, true),
        None => out.pointer(value),
    }
}

/// `[INT TERM]` for an `old_sigset_t` value.
fn emit_old_mask(out: &mut Out<'_>, mask: u64, layout: Layout) {
    let bytes = (mask as u32).to_le_bytes();
    out.sigset(&bytes, layout);
}

/// signal(signum, handler) = the previous handler, in hex with its name.
pub fn signal(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let word = Layout::of(call).word;
    match phase {
        Phase::Entry => {
            out.signal(call.arg_int(0));
            emit_handler(out, call.arg_ulong(1), word);
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            if !call.is_error() {
                out.return_style(ReturnStyle::Hex);
                let previous = call.retval() as u64 & (u64::MAX >> (64 - 8 * word));
                if let Some(name) = handler_name(previous, word) {
                    out.return_note();
                    out.name(name);
                }
            }
            DecodeStatus::Complete
        }
    }
}

/// sgetmask() = the blocked signals, in hex with the set.
pub fn sgetmask(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit && !call.is_error() {
        mask_note(call, out, "mask");
    }
    match phase {
        Phase::Entry => DecodeStatus::MoreAtExit,
        Phase::Exit => DecodeStatus::Complete,
    }
}

/// ssetmask(newmask) = the previous mask.
pub fn ssetmask(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            emit_old_mask(out, call.arg(0), Layout::of(call));
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            if !call.is_error() {
                mask_note(call, out, "old mask");
            }
            DecodeStatus::Complete
        }
    }
}

fn mask_note(call: &Call<'_, '_>, out: &mut Out<'_>, label: &'static str) {
    out.return_style(ReturnStyle::Hex);
    out.return_note();
    out.field(label);
    emit_old_mask(out, call.retval() as u64, Layout::of(call));
}

/// sigsuspend(history0, history1, mask): only the mask, the last argument, shows.
pub fn sigsuspend(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        emit_old_mask(out, call.arg(2), Layout::of(call));
    }
    DecodeStatus::Complete
}

/// sigaction(signum, act, oldact) with `struct old_sigaction`: handler, mask, flags,
/// restorer, each a word.
pub fn sigaction(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.signal(call.arg_int(0));
            old_sigaction_at(call, out, call.arg_ulong(1));
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let addr = call.arg_ulong(2);
            if call.is_error() {
                out.pointer(addr);
            } else {
                old_sigaction_at(call, out, addr);
            }
            DecodeStatus::Complete
        }
    }
}

fn old_sigaction_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let layout = Layout::of(call);
    with_struct(call, out, addr, layout.words(4), |out, f: Fields<'_>| {
        let flags = f.word(2 * layout.word);
        out.begin_struct();
        out.field("sa_handler");
        emit_handler(out, f.word(0), layout.word);
        out.field("sa_mask");
        emit_old_mask(out, f.word(layout.word), layout);
        out.field("sa_flags");
        out.flags(flags, SA_FLAGS);
        if flags & SA_RESTORER != 0 {
            out.field("sa_restorer");
            out.pointer(f.word(3 * layout.word));
        }
        out.end();
    });
}
