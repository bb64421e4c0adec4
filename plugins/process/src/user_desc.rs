//! 32-bit x86's `struct user_desc` (asm/ldt.h): the TLS descriptor of set_thread_area,
//! get_thread_area and modify_ldt, and clone's TLS argument where the personality says so
//! (`AbiFacts::tls_is_user_desc`). Printed as strace prints it:
//! `{entry_number=-1, base_addr=0x847c380, limit=0x0fffff, seg_32bit=1, ...}`.

use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

/// entry_number, base_addr, limit, then one word of bit fields.
pub const USER_DESC_SIZE: usize = 16;

/// The bit fields after `limit`, in declaration order: (name, width in bits). `lm`
/// only means something to a 64-bit process and is shown for one only.
const BIT_FIELDS: &[(&str, u32)] = &[
    ("seg_32bit", 1),
    ("contents", 2),
    ("read_exec_only", 1),
    ("limit_in_pages", 1),
    ("seg_not_present", 1),
    ("useable", 1),
    ("lm", 1),
];

/// strace's `%#08x` (PRINT_FIELD_0X): `0x001000`, and zero as `00000000`.
fn zero_padded(out: &mut Out<'_>, value: u64) {
    if value == 0 {
        out.text("00000000");
    } else {
        out.text_fmt(format_args!("{value:#08x}"));
    }
}

/// `entry_number`: -1 (let the kernel choose) as such, else unsigned.
fn entry_number(out: &mut Out<'_>, value: u64) {
    if value == 0xffff_ffff {
        out.int(-1);
    } else {
        out.uint(value);
    }
}

/// The fields after entry_number.
fn rest_fields(call: &Call<'_, '_>, out: &mut Out<'_>, f: &Fields<'_>) {
    out.field("base_addr");
    zero_padded(out, f.u32(4));
    out.field("limit");
    zero_padded(out, f.u32(8));
    let bits = f.u32(12);
    let shown = if call.word_size() == 8 {
        BIT_FIELDS.len()
    } else {
        BIT_FIELDS.len() - 1
    };
    let mut shift = 0;
    for &(name, width) in &BIT_FIELDS[..shown] {
        out.field(name);
        out.uint((bits >> shift) & ((1 << width) - 1));
        shift += width;
    }
}

fn fields(call: &Call<'_, '_>, out: &mut Out<'_>, f: &Fields<'_>) {
    out.begin_struct();
    out.field("entry_number");
    entry_number(out, f.u32(0));
    rest_fields(call, out, f);
    out.end();
}

/// The whole descriptor at `addr`, or its address when it cannot be read.
pub fn user_desc_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    with_struct(call, out, addr, USER_DESC_SIZE, |out, f| {
        fields(call, out, &f)
    });
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

/// get_thread_area(u_info): the entry number asked for (read at entry, kept in
/// scratch[0]; scratch[1] = 1 when readable) and, at exit, the descriptor the
/// kernel filled in (`...` when it failed).
pub fn get_thread_area(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let addr = call.arg_ulong(0);
    let layout = rtrace_sdk::kstruct::Layout::of(call);
    let read = |call: &Call<'_, '_>| {
        let mut bytes = [0u8; USER_DESC_SIZE];
        (addr != 0 && call.tracee().read_exact(addr, &mut bytes)).then_some(bytes)
    };
    match phase {
        Phase::Entry => match read(call) {
            Some(bytes) => {
                let number = Fields::new(&bytes, layout).u32(0);
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
            let filled = if call.is_error() { None } else { read(call) };
            out.structure(|out| {
                out.field("entry_number");
                entry_number(out, asked);
                match filled {
                    Some(bytes) => {
                        let f = Fields::new(&bytes, layout);
                        if f.u32(0) != asked {
                            out.arrow();
                            entry_number(out, f.u32(0));
                        }
                        rest_fields(call, out, &f);
                    }
                    None => out.ellipsis(),
                }
            });
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
