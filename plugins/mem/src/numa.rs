//! NUMA memory policies: mbind, get/set_mempolicy, migrate_pages, move_pages and
//! set_mempolicy_home_node (linux/mempolicy.h).

use rtrace_sdk::array::array_at;
use rtrace_sdk::iovec::{iovec_array, IovContents};
use rtrace_sdk::{Call, ConstTable, DecodeStatus, FlagTable, Out, Phase, PidKind};

use crate::flags::MADVISE;

/// A policy's mode.
pub const MPOL_MODES: &ConstTable = &ConstTable {
    names: &[
        (0, "MPOL_DEFAULT"),
        (1, "MPOL_PREFERRED"),
        (2, "MPOL_BIND"),
        (3, "MPOL_INTERLEAVE"),
        (4, "MPOL_LOCAL"),
        (5, "MPOL_PREFERRED_MANY"),
        (6, "MPOL_WEIGHTED_INTERLEAVE"),
    ],
    unknown: "MPOL_???",
};

/// The optional flags in a mode's top bits.
const MPOL_MODE_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 15, "MPOL_F_STATIC_NODES"),
    (1 << 14, "MPOL_F_RELATIVE_NODES"),
    (1 << 13, "MPOL_F_NUMA_BALANCING"),
]);
const MPOL_MODE_FLAG_BITS: u64 = 0x7 << 13;

pub use crate::kernel_consts::MPOL_MF_FLAGS;

/// move_pages' flags (MPOL_MF_STRICT is not one of them).
pub const MOVE_PAGES_FLAGS: &FlagTable =
    &FlagTable::bits(&[(2, "MPOL_MF_MOVE"), (4, "MPOL_MF_MOVE_ALL")]);

pub use crate::kernel_consts::GET_MEMPOLICY_FLAGS;

/// A mode with its flags: `MPOL_BIND`, `MPOL_PREFERRED|MPOL_F_STATIC_NODES`, or for
/// an unknown mode with flags, the flags first (`MPOL_F_NUMA_BALANCING|0x2a`).
pub fn mode(_: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    let flags = raw & MPOL_MODE_FLAG_BITS;
    let mode = raw & !MPOL_MODE_FLAG_BITS;
    let name = MPOL_MODES.name(mode);
    match (flags, name) {
        (0, _) => out.constant_of(mode, MPOL_MODES),
        (_, None) => out.flags_or_unknown(raw, MPOL_MODE_FLAGS, "MPOL_F_???"),
        (_, Some(name)) => {
            out.begin_flag_set(raw);
            out.name(name);
            out.flags(flags, MPOL_MODE_FLAGS);
            out.end();
        }
    }
}

/// set_mempolicy's mode: an int.
pub fn int_mode(call: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    mode(call, out, raw & 0xffff_ffff);
}

/// A node mask of `maxnode` bits: words in hex, zero-padded to the word's width.
fn nodemask(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, maxnode: u64) {
    let word = call.word_size() as usize;
    let bits = 8 * word as u64;
    let count = maxnode.saturating_add(bits - 2) / bits;
    if count < maxnode / bits || (maxnode != 0 && count == 0) {
        out.pointer(addr);
        return;
    }
    let width = 2 * word;
    array_at(call, out, addr, count, word, |out, f| {
        let value = f.word(0);
        if value == 0 {
            out.text_fmt(format_args!("{:0width$}", 0));
        } else {
            out.text_fmt(format_args!("{value:#0width$x}"));
        }
    });
}

/// mbind(addr, len, mode, nodemask, maxnode, flags).
pub fn mbind(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.pointer(call.arg_ulong(0));
        out.uint(call.arg_ulong(1));
        mode(call, out, call.arg_ulong(2));
        nodemask(call, out, call.arg_ulong(3), call.arg_ulong(4));
        out.uint(call.arg_ulong(4));
        out.flags_or_unknown(call.arg(5) & 0xffff_ffff, MPOL_MF_FLAGS, "MPOL_MF_???");
    }
    DecodeStatus::Complete
}

/// set_mempolicy(mode, nodemask, maxnode).
pub fn set_mempolicy(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        int_mode(call, out, call.arg(0));
        nodemask(call, out, call.arg_ulong(1), call.arg_ulong(2));
        out.uint(call.arg_ulong(2));
    }
    DecodeStatus::Complete
}

/// get_mempolicy(mode, nodemask, maxnode, addr, flags): all shown at exit.
pub fn get_mempolicy(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        return DecodeStatus::MoreAtExit;
    }
    let mode_addr = call.arg_ulong(0);
    let mut bytes = [0u8; 4];
    if call.is_error() || mode_addr == 0 || !call.tracee().read_exact(mode_addr, &mut bytes) {
        out.pointer(mode_addr);
    } else {
        let value = u64::from(u32::from_le_bytes(bytes));
        out.array(|out| out.constant_of(value, MPOL_MODES));
    }
    if call.is_error() {
        out.pointer(call.arg_ulong(1));
    } else {
        nodemask(call, out, call.arg_ulong(1), call.arg_ulong(2));
    }
    out.uint(call.arg_ulong(2));
    out.pointer(call.arg_ulong(3));
    out.flags_or_unknown(call.arg_ulong(4), GET_MEMPOLICY_FLAGS, "MPOL_F_???");
    DecodeStatus::Complete
}

/// migrate_pages(pid, maxnode, old_nodes, new_nodes).
pub fn migrate_pages(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.pid(call.arg_int(0), PidKind::Tgid);
        let maxnode = call.arg_ulong(1);
        out.uint(maxnode);
        nodemask(call, out, call.arg_ulong(2), maxnode);
        nodemask(call, out, call.arg_ulong(3), maxnode);
    }
    DecodeStatus::Complete
}

/// move_pages(pid, count, pages, nodes, status, flags): the statuses at exit, each
/// a node or a negative errno.
pub fn move_pages(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let count = call.arg_ulong(1);
    let word = call.word_size() as usize;
    match phase {
        Phase::Entry => {
            out.pid(call.arg_int(0), PidKind::Tgid);
            out.uint(count);
            array_at(call, out, call.arg_ulong(2), count, word, |out, f| {
                out.pointer(f.word(0))
            });
            array_at(call, out, call.arg_ulong(3), count, 4, |out, f| {
                out.int(f.i32(0))
            });
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let status = call.arg_ulong(4);
            if call.is_error() {
                out.pointer(status);
            } else {
                // A page's node, or a negative error (-ENOENT).
                array_at(call, out, status, count, 4, |out, f| {
                    rtrace_sdk::errno::emit_errno(out, f.i32(0), true)
                });
            }
            out.flags_or_unknown(call.arg(5) & 0xffff_ffff, MOVE_PAGES_FLAGS, "MPOL_MF_???");
            DecodeStatus::Complete
        }
    }
}

/// process_madvise(pidfd, iovec, n, advice, flags): the ranges are the other
/// process's, shown by address.
pub fn process_madvise(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.fd(call.arg_int(0) as i32);
        let n = call.arg_ulong(2);
        iovec_array(call, out, call.arg_ulong(1), n, IovContents::Address);
        out.uint(n);
        out.constant_of(call.arg(3) & 0xffff_ffff, MADVISE);
        out.hex(call.arg(4) & 0xffff_ffff);
    }
    DecodeStatus::Complete
}
