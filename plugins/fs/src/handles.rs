//! File handles: name_to_handle_at fills a `struct file_handle` whose first field
//! says how much room it has (the kernel writes back the size it needs), and
//! open_by_handle_at takes one back.
//!
//! Layout: handle_bytes u32 @0, handle_type s32 @4, f_handle[handle_bytes] @8.

use rtrace_sdk::kstruct::{Fields, Layout};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, StrStyle};

use crate::flags::open_flags;

pub use crate::kernel_consts::NAME_TO_HANDLE_AT_FLAGS;

/// The most of a handle strace shows (MAX_HANDLE_SZ).
const MAX_HANDLE_SZ: usize = 128;
/// The call failed because the handle had too little room; the size needed was written.
const EOVERFLOW: i64 = 75;

/// `(handle_bytes, handle_type)` of the handle at `addr`.
fn header(call: &Call<'_, '_>, addr: u64) -> Option<(u64, i64)> {
    let mut bytes = [0u8; 8];
    if addr == 0 || !call.tracee().read_exact(addr, &mut bytes) {
        return None;
    }
    let f = Fields::new(&bytes, Layout::of(call));
    Some((f.u32(0), f.i32(4)))
}

/// `handle_type=1, f_handle="\x..."`: the handle's bytes in hex, `...` past 128.
fn emit_type_and_bytes(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, bytes: u64, kind: i64) {
    out.field("handle_type");
    out.int(kind);
    out.field("f_handle");
    let len = (bytes as usize).min(MAX_HANDLE_SZ);
    let mut buf = [0u8; MAX_HANDLE_SZ];
    if call.tracee().read_exact(addr + 8, &mut buf[..len]) {
        out.bytes(&buf[..len], bytes as usize > len, StrStyle::Hex);
    } else {
        out.text("???");
    }
}

/// name_to_handle_at(dirfd, path, handle, mount_id, flags). The handle is shown at
/// exit, from the room it had at entry (scratch[0]; scratch[1] = 1 when readable).
pub fn name_to_handle_at(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let addr = call.arg_ulong(2);
    match phase {
        Phase::Entry => {
            out.dirfd(call.arg_int(0) as i32);
            out.path_at(call.tracee(), call.arg(1));
            let room = header(call, addr);
            let scratch = call.scratch();
            scratch[0] = room.map_or(0, |(bytes, _)| bytes);
            scratch[1] = u64::from(room.is_some());
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let (room, readable) = (call.scratch()[0], call.scratch()[1] == 1);
            let mount_id = call.arg_ulong(3);
            if !readable {
                out.pointer(addr);
                out.pointer(mount_id);
            } else {
                let failed = call.is_error();
                out.structure(|out| {
                    out.field("handle_bytes");
                    out.uint(room);
                    if failed && call.retval() != -EOVERFLOW {
                        return;
                    }
                    if let Some((bytes, kind)) = header(call, addr) {
                        if bytes != room {
                            out.arrow();
                            out.uint(bytes);
                        }
                        if !failed {
                            emit_type_and_bytes(call, out, addr, bytes, kind);
                        }
                    }
                });
                let mut id = [0u8; 4];
                if !failed && call.tracee().read_exact(mount_id, &mut id) {
                    out.array(|out| out.int(Fields::new(&id, Layout::of(call)).i32(0)));
                } else {
                    out.pointer(mount_id);
                }
            }
            out.flags_or_unknown(call.arg(4) & 0xffff_ffff, NAME_TO_HANDLE_AT_FLAGS, "AT_???");
            DecodeStatus::Complete
        }
    }
}

/// open_by_handle_at(mount_fd, handle, flags).
pub fn open_by_handle_at(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    let addr = call.arg_ulong(1);
    match header(call, addr) {
        Some((bytes, kind)) => out.structure(|out| {
            out.field("handle_bytes");
            out.uint(bytes);
            emit_type_and_bytes(call, out, addr, bytes, kind);
        }),
        None => out.pointer(addr),
    }
    open_flags(call, out, call.arg(2));
    out.return_style(rtrace_sdk::ReturnStyle::Fd);
    DecodeStatus::Complete
}
