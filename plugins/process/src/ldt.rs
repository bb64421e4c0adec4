//! x86's segment descriptors: modify_ldt, set_thread_area and get_thread_area with
//! `struct user_desc` (asm/ldt.h).
//!
//! user_desc: entry_number u32 @0, base_addr u32 @4, limit u32 @8, then bits @12:
//! seg_32bit, contents (2), read_exec_only, limit_in_pages, seg_not_present,
//! useable, lm (64-bit only).

use rtrace_sdk::kstruct::{Fields, Layout};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

const USER_DESC_SIZE: usize = 16;

fn entry_number(out: &mut Out<'_>, value: u64) {
    if value == 0xffff_ffff {
        out.int(-1);
    } else {
        out.uint(value);
    }
}

fn read_desc(call: &Call<'_, '_>, addr: u64) -> Option<[u8; USER_DESC_SIZE]> {
    let mut bytes = [0u8; USER_DESC_SIZE];
    (addr != 0 && call.tracee().read_exact(addr, &mut bytes)).then_some(bytes)
}

/// The fields after entry_number.
fn desc_fields(call: &Call<'_, '_>, out: &mut Out<'_>, f: &Fields<'_>) {
    for (name, offset) in [("base_addr", 4), ("limit", 8)] {
        out.field(name);
        let value = f.u32(offset);
        if value == 0 {
            out.text("00000000");
        } else {
            out.text_fmt(format_args!("{value:#08x}"));
        }
    }
    let bits = f.u32(12);
    let fields = [
        ("seg_32bit", bits & 1),
        ("contents", (bits >> 1) & 3),
        ("read_exec_only", (bits >> 3) & 1),
        ("limit_in_pages", (bits >> 4) & 1),
        ("seg_not_present", (bits >> 5) & 1),
        ("useable", (bits >> 6) & 1),
        ("lm", (bits >> 7) & 1),
    ];
    // lm means nothing to a 32-bit process.
    let shown = if call.word_size() == 8 { 7 } else { 6 };
    for &(name, value) in &fields[..shown] {
        out.field(name);
        out.uint(value);
    }
}

/// The whole descriptor at `addr`, or its address (also clone's TLS on i386).
pub fn whole_desc(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    match read_desc(call, addr) {
        Some(bytes) => {
            let f = Fields::new(&bytes, Layout::of(call));
            out.structure(|out| {
                out.field("entry_number");
                entry_number(out, f.u32(0));
                desc_fields(call, out, &f);
            });
        }
        None => out.pointer(addr),
    }
}

/// modify_ldt(func, ptr, bytecount): a descriptor when bytecount is one's size.
pub fn modify_ldt(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.int(call.arg_int(0));
        let (addr, count) = (call.arg_ulong(1), call.arg_ulong(2));
        if count == USER_DESC_SIZE as u64 {
            whole_desc(call, out, addr);
        } else {
            out.pointer(addr);
        }
        out.uint(count);
    }
    DecodeStatus::Complete
}

/// set_thread_area(u_info): the descriptor in, the entry number chosen in the note.
pub fn set_thread_area(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let addr = call.arg_ulong(0);
    match phase {
        Phase::Entry => whole_desc(call, out, addr),
        Phase::Exit if !call.is_error() && call.options().dereference => {
            if let Some(bytes) = read_desc(call, addr) {
                let number = Fields::new(&bytes, Layout::of(call)).u32(0);
                out.return_note();
                out.text_fmt(format_args!("entry_number={number}"));
            }
        }
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}

/// get_thread_area(u_info): the entry number asked for (read at entry, scratch[0];
/// scratch[1] = 1 when readable) and, at exit, the descriptor filled in.
pub fn get_thread_area(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let addr = call.arg_ulong(0);
    match phase {
        Phase::Entry => match read_desc(call, addr) {
            Some(bytes) => {
                let number = Fields::new(&bytes, Layout::of(call)).u32(0);
                let scratch = call.scratch();
                scratch[0] = number;
                scratch[1] = 1;
                DecodeStatus::MoreAtExit
            }
            None => {
                out.pointer(addr);
                DecodeStatus::Complete
            }
        },
        Phase::Exit if call.scratch()[1] != 1 => DecodeStatus::Complete,
        Phase::Exit => {
            let asked = call.scratch()[0];
            let filled = (!call.is_error()).then(|| read_desc(call, addr)).flatten();
            out.structure(|out| {
                out.field("entry_number");
                entry_number(out, asked);
                match filled {
                    Some(bytes) => {
                        let f = Fields::new(&bytes, Layout::of(call));
                        if f.u32(0) != asked {
                            out.arrow();
                            entry_number(out, f.u32(0));
                        }
                        desc_fields(call, out, &f);
                    }
                    None => out.ellipsis(),
                }
            });
            DecodeStatus::Complete
        }
    }
}
