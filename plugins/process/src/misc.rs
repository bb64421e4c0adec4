//! The rest of the family's structs: utsname, personality, CPU sets, capability
//! headers and sets, seccomp's arguments, and the robust list's outputs.

use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, ReturnStyle, StrStyle};

use crate::flags::{
    CAPABILITY_SET, CAP_VERSIONS, CAP_VERSION_1, PERSONALITY, SECCOMP_FILTER_FLAGS,
    SECCOMP_GET_ACTION_AVAIL, SECCOMP_OPS, SECCOMP_RETURN_ACTIONS,
};

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

/// The largest CPU set shown (8192 CPUs).
const MAX_CPUSET_BYTES: usize = 1024;

/// A CPU set of `len` bytes at `addr`: the numbers of the CPUs in it, `[0 1]`.
fn cpu_set(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    let len = (len as usize).min(MAX_CPUSET_BYTES);
    let mut raw = [0u8; MAX_CPUSET_BYTES];
    if !call.tracee().read_exact(addr, &mut raw[..len]) {
        out.pointer(addr);
        return;
    }
    // The kernel's bitmap is an array of longs: on a big-endian tracee the bytes of
    // each word are reversed relative to the bit numbering.
    let word = usize::from(call.word_size());
    out.begin_set();
    for bit in 0..len * 8 {
        let mut byte = bit / 8;
        if call.big_endian() {
            byte = byte / word * word + (word - 1 - byte % word);
        }
        if raw.get(byte).is_some_and(|b| b & (1 << (bit % 8)) != 0) {
            out.uint(bit as u64);
        }
    }
    out.end();
}

pub fn cpu_set_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    cpu_set(call, out, addr, call.arg_ulong(1));
}

/// sched_getaffinity's set: as many bytes as the call returned.
pub fn cpu_set_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        cpu_set(call, out, addr, call.retval().max(0) as u64);
    }
}

/// `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}`; keeps the version for the data.
pub fn cap_header(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let mut version = 0;
    with_struct(call, out, addr, 8, |out, f| {
        version = f.u32(0);
        out.begin_struct();
        out.field("version");
        out.constant(version, CAP_VERSIONS.names, CAP_VERSIONS.unknown);
        out.field("pid");
        out.int(f.i32(4));
        out.end();
    });
    call.scratch()[0] = version;
}

/// The capability sets: one 32-bit triple for version 1, two (low and high halves)
/// for versions 2 and 3, shown as 64-bit sets.
fn cap_data(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, version: u64) {
    let triples = if version == CAP_VERSION_1 { 1 } else { 2 };
    with_struct(call, out, addr, 12 * triples, |out, f| {
        let set = |f: &Fields<'_>, field: usize| {
            let low = f.u32(field * 4);
            let high = if triples == 2 {
                f.u32(12 + field * 4)
            } else {
                0
            };
            low | high << 32
        };
        out.begin_struct();
        for (index, name) in ["effective", "permitted", "inheritable"].iter().enumerate() {
            out.field(name);
            out.flags(set(&f, index), CAPABILITY_SET);
        }
        out.end();
    });
}

pub fn cap_data_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let version = call.scratch()[0];
    cap_data(call, out, addr, version);
}

pub fn cap_data_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let version = call.scratch()[0];
    cap_data(call, out, addr, version);
}

/// seccomp(op, flags, args): the argument is an action to ask about for
/// `SECCOMP_GET_ACTION_AVAIL`, else shown as its address.
pub fn seccomp(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        let op = call.arg(0) & 0xffff_ffff;
        out.constant(op, SECCOMP_OPS.names, SECCOMP_OPS.unknown);
        out.flags_or_unknown(
            call.arg(1) & 0xffff_ffff,
            SECCOMP_FILTER_FLAGS,
            "SECCOMP_FILTER_FLAG_???",
        );
        let addr = call.arg_ulong(2);
        if op == SECCOMP_GET_ACTION_AVAIL {
            with_struct(call, out, addr, 4, |out, f| {
                out.begin_array();
                let action = f.u32(0);
                out.constant(
                    action,
                    SECCOMP_RETURN_ACTIONS.names,
                    SECCOMP_RETURN_ACTIONS.unknown,
                );
                out.end();
            });
        } else {
            out.pointer(addr);
        }
    }
    DecodeStatus::Complete
}

/// get_robust_list's outputs: `[0x7f...]` and `[24]`, each a tracee word.
pub fn word_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let value = call.tracee().read_word(addr).filter(|_| !call.is_error());
    match value {
        Some(word) => {
            out.begin_array();
            if call.name() == "get_robust_list" && addr == call.arg_ulong(1) {
                out.pointer(word);
            } else {
                out.uint(word);
            }
            out.end();
        }
        None => out.pointer(addr),
    }
}
