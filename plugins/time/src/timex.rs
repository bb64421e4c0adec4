//! adjtimex and clock_adjtime: `struct timex` (linux/timex.h), shown at exit, and
//! the clock state they return (`= 5 (TIME_ERROR)`).
//!
//! Layout, in tracee words w: modes u32 @0, offset @w, freq @2w, maxerror @3w,
//! esterror @4w, status int @5w, constant @6w, precision @7w, tolerance @8w,
//! time (timeval) @9w, tick @11w, ppsfreq @12w, jitter @13w, shift int @14w,
//! stabil @15w, jitcnt @16w, calcnt @17w, errcnt @18w, stbcnt @19w, tai int @20w.
//! clock_adjtime64 (32-bit ABIs) uses the 64-bit layout.

use rtrace_sdk::kstruct::{Fields, Layout};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::tables::CLOCKS;

use crate::kernel_consts::MODES;
use crate::kernel_consts::STATES;
use crate::kernel_consts::STATUS;

/// The struct at `addr`; whether it could be read.
fn timex(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, layout: Layout) -> bool {
    let w = layout.word;
    let mut bytes = [0u8; 21 * 8];
    let size = 21 * w;
    if call.is_error() || addr == 0 || !call.tracee().read_exact(addr, &mut bytes[..size]) {
        out.pointer(addr);
        return false;
    }
    let f = Fields::new(&bytes[..size], layout);
    out.structure(|out| {
        out.field("modes");
        out.flags_or_unknown(f.u32(0), MODES, "ADJ_???");
        for (name, at) in [("offset", 1), ("freq", 2), ("maxerror", 3), ("esterror", 4)] {
            out.field(name);
            out.int(f.long(at * w));
        }
        out.field("status");
        out.flags_or_unknown(f.u32(5 * w), STATUS, "STA_???");
        for (name, at) in [("constant", 6), ("precision", 7), ("tolerance", 8)] {
            out.field(name);
            out.int(f.long(at * w));
        }
        out.field("time");
        out.structure(|out| {
            out.field("tv_sec");
            out.int(f.long(9 * w));
            out.field("tv_usec");
            out.uint(f.word(10 * w));
        });
        for (name, at) in [("tick", 11), ("ppsfreq", 12), ("jitter", 13)] {
            out.field(name);
            out.int(f.long(at * w));
        }
        out.field("shift");
        out.int(f.i32(14 * w));
        for (name, at) in [
            ("stabil", 15),
            ("jitcnt", 16),
            ("calcnt", 17),
            ("errcnt", 18),
            ("stbcnt", 19),
        ] {
            out.field(name);
            out.int(f.long(at * w));
        }
        out.field("tai");
        out.int(f.i32(20 * w));
    });
    true
}

/// The struct, then the state the call returned in the note.
fn timex_and_state(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, layout: Layout) {
    if timex(call, out, addr, layout) {
        if let Some((_, name)) = STATES.iter().find(|(v, _)| *v as i64 == call.retval()) {
            out.return_note();
            out.name(name);
        }
    }
}

/// adjtimex(buf): all shown at exit.
pub fn adjtimex(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        return DecodeStatus::MoreAtExit;
    }
    timex_and_state(call, out, call.arg_ulong(0), Layout::of(call));
    DecodeStatus::Complete
}

/// clock_adjtime(clockid, buf).
pub fn clock_adjtime(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.constant_of(call.arg(0) & 0xffff_ffff, CLOCKS);
        return DecodeStatus::MoreAtExit;
    }
    let layout = if call.name() == "clock_adjtime64" {
        Layout {
            word: 8,
            big_endian: call.big_endian(),
        }
    } else {
        Layout::of(call)
    };
    timex_and_state(call, out, call.arg_ulong(1), layout);
    DecodeStatus::Complete
}
