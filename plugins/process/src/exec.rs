//! execve/execveat: the program, its argument vector (capped at `-s` elements unless
//! `-v`), and the environment, counted (`0x7ffd... /* 35 vars */`) unless `-v`.

use rtrace_sdk::kstruct::Layout;
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::flags::EXECVEAT_FLAGS;

/// Reads pointer `index` of the NULL-terminated array at `addr`.
fn pointer_at(call: &Call<'_, '_>, addr: u64, index: u64) -> Option<u64> {
    let width = Layout::of(call).word as u64;
    call.tracee()
        .read_word(addr.wrapping_add(index * width))
        .map(|word| if width == 4 { word & 0xffff_ffff } else { word })
}

/// `["a", "b"]`: each string cut at `-s`, at most `-s` of them unless `-v`.
pub fn string_array(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if addr == 0 {
        out.pointer(0);
        return;
    }
    let options = call.options();
    let cap = if options.verbose {
        u64::MAX
    } else {
        u64::from(options.string_limit)
    };
    let Some(first) = pointer_at(call, addr, 0) else {
        out.pointer(addr);
        return;
    };
    out.begin_array();
    let mut next = Some(first);
    let mut index = 0u64;
    while let Some(string) = next {
        if string == 0 {
            break;
        }
        if cap != 0 && index >= cap {
            out.ellipsis();
            break;
        }
        out.cstring_at(call.tracee(), string, options.string_limit);
        index += 1;
        next = pointer_at(call, addr, index);
        if next.is_none() {
            out.ellipsis();
        }
    }
    out.end();
}

/// The environment: in full with `-v`, else its address and how many variables.
pub fn environment(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if addr == 0 || call.options().verbose {
        string_array(call, out, addr);
        return;
    }
    if !call.options().dereference {
        // `-e verbose=` excludes this call: the array is not read at all.
        out.pointer(addr);
        return;
    }
    let mut count = 0u64;
    let mut terminated = false;
    while let Some(word) = pointer_at(call, addr, count) {
        if word == 0 {
            terminated = true;
            break;
        }
        count += 1;
    }
    let plural = if count == 1 { "" } else { "s" };
    let unterminated = if terminated { "" } else { ", unterminated" };
    out.text_fmt(format_args!(
        "{addr:#x} /* {count} var{plural}{unterminated} */"
    ));
}

pub fn execve(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.path_at(call.tracee(), call.arg_ulong(0));
        string_array(call, out, call.arg_ulong(1));
        environment(call, out, call.arg_ulong(2));
    }
    DecodeStatus::Complete
}

pub fn execveat(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        match call.arg_int(0) {
            -100 => out.dirfd(-100),
            fd => out.fd(fd as i32),
        }
        out.path_at(call.tracee(), call.arg_ulong(1));
        string_array(call, out, call.arg_ulong(2));
        environment(call, out, call.arg_ulong(3));
        out.flags_or_unknown(call.arg(4) & 0xffff_ffff, EXECVEAT_FLAGS, "AT_???");
    }
    DecodeStatus::Complete
}
