//! User and group ids: `-1` for "unchanged", the `get*res*id` triples in brackets,
//! and group lists. ARM and i386 also have the old 16-bit calls, which use the plain
//! names (`setuid`), while their 32-bit ones end in `32` (`setuid32`).

use rtrace_sdk::{Call, Out};

/// Bytes in one id for this call: 2 for the legacy calls of 32-bit x86 and ARM.
fn id_size(call: &Call<'_, '_>) -> usize {
    if call.abi().legacy_16bit_ids && !call.name().ends_with("32") {
        2
    } else {
        4
    }
}

fn emit_id(out: &mut Out<'_>, id: u64, size: usize) {
    let all_ones = if size == 2 { 0xffff } else { 0xffff_ffff };
    if id & all_ones == all_ones {
        out.int(-1);
    } else {
        out.uint(id & all_ones);
    }
}

fn read_id(call: &Call<'_, '_>, addr: u64, size: usize) -> Option<u64> {
    let mut raw = [0u8; 4];
    let raw = &mut raw[..size];
    if !call.tracee().read_exact(addr, raw) {
        return None;
    }
    let value = if call.big_endian() {
        raw.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b))
    } else {
        raw.iter()
            .rev()
            .fold(0u64, |acc, &b| acc << 8 | u64::from(b))
    };
    Some(value)
}

/// A uid or gid argument.
pub fn id(call: &mut Call<'_, '_>, out: &mut Out<'_>, value: u64) {
    emit_id(out, value, id_size(call));
}

/// One of getresuid's outputs: `[0]`, or the address on failure.
pub fn id_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let size = id_size(call);
    match read_id(call, addr, size).filter(|_| !call.is_error()) {
        Some(value) => {
            out.begin_array();
            emit_id(out, value, size);
            out.end();
        }
        None => out.pointer(addr),
    }
}

/// `count` ids at `addr`: `[0, 4, 24]`, at most `-s` of them.
fn id_list(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, count: u64) {
    if addr == 0 {
        out.pointer(0);
        return;
    }
    let size = id_size(call);
    if count > 0 && read_id(call, addr, size).is_none() {
        out.pointer(addr);
        return;
    }
    // strace caps arrays at `-s` elements, except with `-v`.
    let options = call.options();
    let limit = if options.verbose {
        0
    } else {
        u64::from(options.string_limit)
    };
    out.begin_array();
    for index in 0..count {
        if limit != 0 && index == limit {
            out.ellipsis();
            break;
        }
        match read_id(call, addr + index * size as u64, size) {
            Some(value) => emit_id(out, value, size),
            None => {
                out.ellipsis();
                break;
            }
        }
    }
    out.end();
}

/// setgroups's list, `size` (argument 0) long.
pub fn group_list_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let count = call.arg(0) & 0xffff_ffff;
    id_list(call, out, addr, count);
}

/// getgroups's list: as many as the call returned; the address when it failed or
/// only counted (size 0).
pub fn group_list_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() || call.arg(0) & 0xffff_ffff == 0 {
        out.pointer(addr);
        return;
    }
    let count = call.retval().max(0) as u64;
    id_list(call, out, addr, count);
}
