//! The memory calls no table kind covers: mmap's flags and page offsets, mincore's
//! residency vector, membarrier's query result, and process_vm_readv/writev.

use rtrace_sdk::{Call, DecodeStatus, Out, Phase, PidKind, ReturnStyle};

use crate::flags::{
    MAP_BITS, MAP_HUGE_MASK, MAP_HUGE_SHIFT, MAP_TYPES, MAP_TYPE_MASK, MEMBARRIER_CMD,
    MEMBARRIER_CMD_QUERY, MEMBARRIER_COMMANDS, MEMBARRIER_FLAGS,
};
use rtrace_sdk::iovec::{iovec_array, IovContents};

/// The page size mmap2's offset and mincore's vector count in (4 KiB on x86 and ARM).
const PAGE_SIZE: u64 = 4096;

/// mmap's flags: the mapping type, then the flag bits, unknown bits in hex, then the
/// huge page size as `N<<MAP_HUGE_SHIFT` (`MAP_PRIVATE|MAP_ANONYMOUS|21<<MAP_HUGE_SHIFT`).
pub fn mmap_flags(_call: &mut Call<'_, '_>, out: &mut Out<'_>, value: u64) {
    let value = value & 0xffff_ffff;
    let huge = value & MAP_HUGE_MASK;
    let kind = value & MAP_TYPE_MASK;
    let mut rest = value & !MAP_HUGE_MASK & !MAP_TYPE_MASK;
    out.begin_flag_set(value);
    match MAP_TYPES.iter().find(|(v, _)| *v == kind) {
        Some((_, name)) => out.name(name),
        None => out.text_fmt(format_args!("{kind:#x} /* MAP_??? */")),
    }
    for &(bit, name) in MAP_BITS {
        if rest & bit != 0 {
            out.name(name);
            rest &= !bit;
        }
    }
    if rest != 0 {
        out.hex(rest);
    }
    if huge != 0 {
        out.text_fmt(format_args!("{}<<MAP_HUGE_SHIFT", huge >> MAP_HUGE_SHIFT));
    }
    out.end();
}

/// mmap2's offset is in pages; strace shows it in bytes.
pub fn page_offset(call: &mut Call<'_, '_>, out: &mut Out<'_>, value: u64) {
    let pages = if call.word_size() == 4 {
        value & 0xffff_ffff
    } else {
        value
    };
    out.hex(pages.wrapping_mul(PAGE_SIZE));
}

/// mincore's vector: one element per page of the range, each page's residency bit.
pub fn mincore_vector(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() || addr == 0 {
        out.pointer(addr);
        return;
    }
    let pages = call.arg_ulong(1).div_ceil(PAGE_SIZE);
    // strace caps arrays at `-s` elements, except with `-v`.
    let options = call.options();
    let limit = if options.verbose {
        0
    } else {
        u64::from(options.string_limit)
    };
    let shown = if limit == 0 { pages } else { pages.min(limit) };
    let mut bytes = [0u8; 256];
    let Some(bytes) = bytes.get_mut(..shown as usize) else {
        out.pointer(addr);
        return;
    };
    if !call.tracee().read_exact(addr, bytes) {
        out.pointer(addr);
        return;
    }
    out.begin_array();
    for &byte in bytes.iter() {
        out.uint(u64::from(byte & 1));
    }
    if shown < pages {
        out.ellipsis();
    }
    out.end();
}

/// membarrier(cmd, flags): the query returns the set of supported commands, shown
/// in hex with their names.
pub fn membarrier(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let command = call.arg(0) & 0xffff_ffff;
    match phase {
        Phase::Entry => {
            out.constant_of(command, MEMBARRIER_CMD);
            out.flags_or_unknown(
                call.arg(1) & 0xffff_ffff,
                MEMBARRIER_FLAGS,
                "MEMBARRIER_CMD_FLAG_???",
            );
            if call.arg(1) & 1 != 0 {
                out.int(call.arg_int(2));
            }
        }
        Phase::Exit if command == MEMBARRIER_CMD_QUERY && !call.is_error() => {
            out.return_style(ReturnStyle::Hex);
            out.return_note();
            out.flags(call.retval() as u64, MEMBARRIER_COMMANDS);
        }
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}

/// process_vm_readv(pid, local_iov, liovcnt, remote_iov, riovcnt, flags): the local
/// buffers are filled by the call, so everything after the pid prints at exit.
pub fn process_vm_readv(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.pid(call.arg_int(0), PidKind::Tgid);
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let local = if call.is_error() {
                IovContents::Address
            } else {
                IovContents::Bytes(call.retval().max(0) as u64)
            };
            vm_rest(call, out, local);
            DecodeStatus::Complete
        }
    }
}

/// process_vm_writev: the same arguments, all known at entry.
pub fn process_vm_writev(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.pid(call.arg_int(0), PidKind::Tgid);
        vm_rest(call, out, IovContents::Bytes(u64::MAX));
    }
    DecodeStatus::Complete
}

fn vm_rest(call: &Call<'_, '_>, out: &mut Out<'_>, local: IovContents) {
    let (local_count, remote_count) = (call.arg_ulong(2), call.arg_ulong(4));
    iovec_array(call, out, call.arg_ulong(1), local_count, local);
    out.uint(local_count);
    iovec_array(
        call,
        out,
        call.arg_ulong(3),
        remote_count,
        IovContents::Address,
    );
    out.uint(remote_count);
    out.uint(call.arg_ulong(5));
}

/// mremap's fifth argument exists only with `MREMAP_MAYMOVE|MREMAP_FIXED`.
pub fn mremap(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    use crate::flags::{MREMAP_FIXED, MREMAP_FLAGS, MREMAP_MAYMOVE};
    out.return_style(ReturnStyle::Hex);
    if phase == Phase::Entry {
        out.pointer(call.arg_ulong(0));
        out.uint(call.arg_ulong(1));
        out.uint(call.arg_ulong(2));
        let flags = call.arg_ulong(3);
        out.flags_or_unknown(flags, MREMAP_FLAGS, "MREMAP_???");
        if flags & (MREMAP_MAYMOVE | MREMAP_FIXED) == MREMAP_MAYMOVE | MREMAP_FIXED {
            out.pointer(call.arg_ulong(4));
        }
    }
    DecodeStatus::Complete
}
