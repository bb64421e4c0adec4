//! The LSM attribute calls (linux/lsm.h): module ids, and `struct lsm_ctx`
//! (id u64, flags u64, len u64, ctx_len u64, then ctx_len bytes; len is the whole
//! entry's size, so entries follow one another).

use rtrace_sdk::array::array_at;
use rtrace_sdk::kstruct::{Fields, Layout};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, StrStyle};

use crate::kernel_consts::LSM_ATTRS;
use crate::kernel_consts::LSM_FLAGS;
use crate::kernel_consts::LSM_IDS;
const LSM_FLAG_SINGLE: u64 = 1;
const CTX_HEADER: u64 = 32;

/// A module id: its name, or hex.
fn lsm_id(out: &mut Out<'_>, id: u64) {
    match LSM_IDS.iter().find(|(v, _)| *v == id) {
        Some((_, name)) => out.named(name, id as i64, true),
        None => out.hex(id),
    }
}

fn read_u32(call: &Call<'_, '_>, addr: u64) -> Option<u64> {
    let mut bytes = [0u8; 4];
    (addr != 0 && call.tracee().read_exact(addr, &mut bytes))
        .then(|| Fields::new(&bytes, Layout::of(call)).u32(0))
}

fn read_header(call: &Call<'_, '_>, addr: u64) -> Option<[u64; 4]> {
    let mut bytes = [0u8; CTX_HEADER as usize];
    if addr == 0 || !call.tracee().read_exact(addr, &mut bytes) {
        return None;
    }
    let f = Fields::new(&bytes, Layout::of(call));
    Some([f.u64(0), f.u64(8), f.u64(16), f.u64(24)])
}

/// One `lsm_ctx` whose header is `h`, within `len` bytes at `addr`.
fn emit_ctx(call: &Call<'_, '_>, out: &mut Out<'_>, h: [u64; 4], addr: u64, len: u64) {
    out.structure(|out| {
        out.field("id");
        lsm_id(out, h[0]);
        out.field("flags");
        out.hex(h[1]);
        out.field("len");
        out.uint(h[2]);
        out.field("ctx_len");
        out.uint(h[3]);
        let msg = h[2].min(len);
        let ctx_len = h[3].min(msg.saturating_sub(CTX_HEADER));
        if ctx_len > 0 {
            out.field("ctx");
            let mut buf = [0u8; 256];
            let shown = (ctx_len as usize)
                .min(call.options().string_limit.max(1) as usize)
                .min(buf.len());
            if call
                .tracee()
                .read_data_exact(addr + CTX_HEADER, &mut buf[..shown])
            {
                out.bytes(&buf[..shown], (shown as u64) < ctx_len, StrStyle::Hex);
            } else {
                out.pointer(addr + CTX_HEADER);
            }
        }
    });
}

/// The entries in `len` bytes at `addr`: an array, or the address when not even one
/// header is there.
fn emit_ctx_sequence(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    let first = (len >= CTX_HEADER)
        .then(|| read_header(call, addr))
        .flatten();
    let Some(mut header) = first else {
        out.pointer(addr);
        return;
    };
    let limit = u64::from(call.options().string_limit);
    let (mut addr, mut len) = (addr, len);
    out.array(|out| {
        let mut index = 0u64;
        loop {
            if !call.options().verbose && limit != 0 && index >= limit {
                out.ellipsis();
                return;
            }
            emit_ctx(call, out, header, addr, len);
            index += 1;
            let entry = header[2];
            if entry < CTX_HEADER || len < entry || len == entry {
                return;
            }
            addr += entry;
            len -= entry;
            match (len >= CTX_HEADER)
                .then(|| read_header(call, addr))
                .flatten()
            {
                Some(next) => header = next,
                None => {
                    out.ellipsis();
                    out.text_fmt(format_args!("/* {addr:#x} */"));
                    return;
                }
            }
        }
    });
}

/// `[64 => 32]`: a size the call reads and rewrites.
fn emit_size_change(out: &mut Out<'_>, before: u64, after: u64) {
    out.array(|out| {
        out.uint(before);
        if before != after {
            out.arrow();
            out.uint(after);
        }
    });
}

/// When the size cannot be read: the pointers, the size's address or value, flags.
fn emit_unreadable(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    p_size: u64,
    flags_arg: usize,
    raw: bool,
) {
    match read_u32(call, p_size) {
        Some(size) => out.array(|out| out.uint(size)),
        None => out.pointer(p_size),
    }
    let flags = call.arg(flags_arg) & 0xffff_ffff;
    if raw {
        out.hex(flags);
    } else {
        out.flags_or_unknown(flags, LSM_FLAGS, "LSM_FLAG_???");
    }
}

/// lsm_list_modules(ids, size, flags): the ids and the size written at exit.
pub fn lsm_list_modules(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let (ids, p_size) = (call.arg_ulong(0), call.arg_ulong(1));
    match phase {
        Phase::Entry => match read_u32(call, p_size) {
            Some(size) => {
                call.scratch()[0] = size;
                call.scratch()[1] = 1;
                DecodeStatus::MoreAtExit
            }
            None => {
                out.pointer(ids);
                emit_unreadable(call, out, p_size, 2, true);
                DecodeStatus::Complete
            }
        },
        // Shown whole at entry: the size could not be read.
        Phase::Exit if call.scratch()[1] != 1 => DecodeStatus::Complete,
        Phase::Exit => {
            let Some(size) = read_u32(call, p_size) else {
                out.pointer(ids);
                emit_unreadable(call, out, p_size, 2, true);
                return DecodeStatus::Complete;
            };
            if call.is_error() || ids == 0 {
                out.pointer(ids);
            } else {
                let count = call.retval() as u64;
                array_at(call, out, ids, count, 8, |out, f| {
                    let id = f.u64(0);
                    match LSM_IDS.iter().find(|(v, _)| *v == id) {
                        Some((_, name)) => out.name(name),
                        None => out.text_fmt(format_args!("{id:#x} /* LSM_ID_??? */")),
                    }
                });
            }
            let before = call.scratch()[0];
            emit_size_change(out, before, size);
            out.hex(call.arg(2) & 0xffff_ffff);
            DecodeStatus::Complete
        }
    }
}

/// lsm_get_self_attr(attr, ctx, size, flags): the entries written at exit; with
/// LSM_FLAG_SINGLE the module asked for first.
pub fn lsm_get_self_attr(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let (p_ctx, p_size) = (call.arg_ulong(1), call.arg_ulong(2));
    let flags = call.arg(3) & 0xffff_ffff;
    let single = flags & LSM_FLAG_SINGLE != 0;
    match phase {
        Phase::Entry => {
            out.constant_of(call.arg(0) & 0xffff_ffff, LSM_ATTRS);
            let size = read_u32(call, p_size);
            let header = if single {
                read_header(call, p_ctx)
            } else {
                None
            };
            match size {
                Some(size) if !single || header.is_some() => {
                    call.scratch()[0] = size;
                    call.scratch()[1] = 1;
                    if let Some(h) = header {
                        out.structure(|out| {
                            out.field("id");
                            lsm_id(out, h[0]);
                        });
                    }
                    DecodeStatus::MoreAtExit
                }
                _ => {
                    out.pointer(p_ctx);
                    emit_unreadable(call, out, p_size, 3, false);
                    DecodeStatus::Complete
                }
            }
        }
        Phase::Exit if call.scratch()[1] != 1 => DecodeStatus::Complete,
        Phase::Exit => {
            let Some(size) = read_u32(call, p_size) else {
                if !single {
                    out.pointer(p_ctx);
                }
                emit_unreadable(call, out, p_size, 3, false);
                return DecodeStatus::Complete;
            };
            if single {
                out.arrow();
            }
            emit_ctx_sequence(call, out, p_ctx, size);
            let before = call.scratch()[0];
            emit_size_change(out, before, size);
            out.flags_or_unknown(flags, LSM_FLAGS, "LSM_FLAG_???");
            DecodeStatus::Complete
        }
    }
}

/// lsm_set_self_attr(attr, ctx, size, flags).
pub fn lsm_set_self_attr(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.constant_of(call.arg(0) & 0xffff_ffff, LSM_ATTRS);
    let (p_ctx, size) = (call.arg_ulong(1), call.arg(2) & 0xffff_ffff);
    match (size >= CTX_HEADER)
        .then(|| read_header(call, p_ctx))
        .flatten()
    {
        Some(h) => emit_ctx(call, out, h, p_ctx, size),
        None => out.pointer(p_ctx),
    }
    out.uint(size);
    out.hex(call.arg(3) & 0xffff_ffff);
    DecodeStatus::Complete
}
