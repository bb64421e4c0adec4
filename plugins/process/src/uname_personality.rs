//! Who the kernel says it is: uname's `struct utsname` and personality(2)'s persona.

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, ReturnStyle, StrStyle};

use crate::flags::PERSONALITY;

/// `struct utsname`: six NUL-padded fields of 65 bytes.
const UTS_FIELD: usize = 65;
const UTS_FIELDS: [&str; 6] = [
    "sysname",
    "nodename",
    "release",
    "version",
    "machine",
    "domainname",
];

/// uname's output: `{sysname="Linux", nodename="vm", ...}`, all six with `-v`.
pub fn utsname_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let shown = if call.options().verbose { 6 } else { 2 };
    with_struct(call, out, addr, UTS_FIELD * 6, |out, f| {
        out.begin_struct();
        for (index, name) in UTS_FIELDS.iter().enumerate().take(shown) {
            let field = &f.bytes[index * UTS_FIELD..(index + 1) * UTS_FIELD];
            let len = field.iter().position(|&b| b == 0).unwrap_or(UTS_FIELD);
            out.field(name);
            out.bytes(&field[..len], false, StrStyle::Quoted);
        }
        if shown < 6 {
            out.ellipsis();
        }
        out.end();
    });
}

/// personality's argument (`0xffffffff` queries) and its result, the old persona.
pub fn personality(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let persona = call.arg(0) & 0xffff_ffff;
    // The old persona comes back in hex, then named.
    out.return_style(ReturnStyle::Hex);
    match phase {
        Phase::Entry if persona == 0xffff_ffff => out.hex(persona),
        Phase::Entry => out.flags(persona, PERSONALITY),
        Phase::Exit if !call.is_error() => {
            out.return_note();
            out.flags(call.retval() as u64 & 0xffff_ffff, PERSONALITY);
        }
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}
