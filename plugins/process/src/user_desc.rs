//! 32-bit x86's `struct user_desc` (asm/ldt.h): the TLS descriptor of set_thread_area,
//! get_thread_area and modify_ldt, and clone's TLS argument where the personality says so
//! (`AbiFacts::tls_is_user_desc`). Printed as strace prints it:
//! `{entry_number=-1, base_addr=0x847c380, limit=0x0fffff, seg_32bit=1, ...}`.

use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

/// entry_number, base_addr, limit, then one word of bit fields.
pub const USER_DESC_SIZE: usize = 16;

/// The bit fields after `limit`, in declaration order: (name, width in bits).
const BIT_FIELDS: &[(&str, u32)] = &[
    ("seg_32bit", 1),
    ("contents", 2),
    ("read_exec_only", 1),
    ("limit_in_pages", 1),
    ("seg_not_present", 1),
    ("useable", 1),
];

fn fields(out: &mut Out<'_>, f: &Fields<'_>) {
    out.begin_struct();
    out.field("entry_number");
    out.int(f.i32(0));
    out.field("base_addr");
    out.hex(f.u32(4));
    out.field("limit");
    // strace's %#08x: five hex digits of a 20-bit limit print as 0x0fffff.
    out.text_fmt(format_args!("{:#08x}", f.u32(8)));
    let bits = f.u32(12);
    let mut shift = 0;
    for &(name, width) in BIT_FIELDS {
        out.field(name);
        out.uint((bits >> shift) & ((1 << width) - 1));
        shift += width;
    }
    out.end();
}

/// The whole descriptor at `addr`, or its address when it cannot be read.
pub fn user_desc_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    with_struct(call, out, addr, USER_DESC_SIZE, |out, f| fields(out, &f));
}

/// set_thread_area(u_info): the descriptor at entry; at exit, the entry number the
/// kernel chose, as `(entry_number=12)` after the result.
pub fn set_thread_area(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let addr = call.arg_ulong(0);
    match phase {
        Phase::Entry => user_desc_at(call, out, addr),
        Phase::Exit => {
            let mut entry = [0u8; 4];
            // strace leaves it out under `-e verbose=` that excludes the call.
            if !call.is_error() && call.tracee().read_exact(addr, &mut entry) {
                let number = Fields::new(&entry, rtrace_sdk::kstruct::Layout::of(call)).u32(0);
                out.return_note();
                out.text_fmt(format_args!("entry_number={number}"));
            }
        }
    }
    DecodeStatus::Complete
}

/// get_thread_area(u_info): the descriptor the kernel filled in, at exit.
pub fn get_thread_area(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => DecodeStatus::MoreAtExit,
        Phase::Exit => {
            let addr = call.arg_ulong(0);
            if call.is_error() {
                out.pointer(addr);
            } else {
                user_desc_at(call, out, addr);
            }
            DecodeStatus::Complete
        }
    }
}

/// modify_ldt(func, ptr, bytecount): `ptr` is a descriptor when `bytecount` is its size.
pub fn modify_ldt(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.int(call.arg(0) as u32 as i32 as i64);
        let (ptr, count) = (call.arg_ulong(1), call.arg_ulong(2));
        if count == USER_DESC_SIZE as u64 {
            user_desc_at(call, out, ptr);
        } else {
            out.pointer(ptr);
        }
        out.uint(count);
    }
    DecodeStatus::Complete
}
