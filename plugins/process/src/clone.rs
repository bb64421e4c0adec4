//! clone and clone3: flags with the exit signal, and the thread-id and TLS pointers
//! that the flags make meaningful. What the kernel writes back (`parent_tid`) prints
//! at exit, after the arguments known at entry, as strace does.

use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, PidKind, ReturnStyle};

use crate::user_desc::user_desc_at;

use crate::flags::{
    CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_FLAGS, CLONE_INTO_CGROUP, CLONE_PARENT_SETTID,
    CLONE_PIDFD, CLONE_SETTLS, CSIGNAL,
};

/// Where clone's thread-id and TLS arguments are: x86_64 passes
/// (flags, stack, parent_tid, child_tid, tls); i386, ARM and most others put tls
/// before child_tid (the kernel's CLONE_BACKWARDS).
struct CloneArgs {
    parent_tid: usize,
    child_tid: usize,
    tls: usize,
}

fn clone_args(call: &Call<'_, '_>) -> CloneArgs {
    if call.abi().clone_tls_before_child_tid {
        CloneArgs {
            parent_tid: 2,
            tls: 3,
            child_tid: 4,
        }
    } else {
        CloneArgs {
            parent_tid: 2,
            child_tid: 3,
            tls: 4,
        }
    }
}

/// Clone flags with the exit signal in the low byte: `CLONE_VM|...|SIGCHLD`.
fn flags_with_signal(out: &mut Out<'_>, value: u64) {
    let flags = value & !CSIGNAL;
    let signal = (value & CSIGNAL) as i64;
    if flags == 0 {
        if signal == 0 {
            out.hex(0);
        } else {
            out.signal(signal);
        }
        return;
    }
    if signal == 0 {
        out.flags(flags, CLONE_FLAGS);
        return;
    }
    // One `|`-joined group holding the flags (a value of their own under -X raw:
    // `0x1200000|17`) and the signal.
    out.begin_flags();
    out.flags(flags, CLONE_FLAGS);
    out.signal(signal);
    out.end();
}

/// `[1234]`: an int the kernel wrote (with `as_tid`, the new thread's id, which `-Y`
/// names), or the address when it cannot be read.
fn int_in_brackets(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, as_tid: bool) {
    let mut raw = [0u8; 4];
    if call.is_error() || addr == 0 || !call.tracee().read_exact(addr, &mut raw) {
        out.pointer(addr);
        return;
    }
    let value = if call.big_endian() {
        u32::from_be_bytes(raw)
    } else {
        u32::from_le_bytes(raw)
    };
    out.begin_array();
    if as_tid {
        out.pid(i64::from(value as i32), PidKind::Tid);
    } else {
        out.uint(u64::from(value));
    }
    out.end();
}

pub fn clone(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let value = call.arg_ulong(0);
    let flags = value & !CSIGNAL;
    let args = clone_args(call);
    out.return_style(ReturnStyle::Pid(PidKind::Tid));
    match phase {
        Phase::Entry => {
            out.field("child_stack");
            out.pointer(call.arg_ulong(1));
            out.field("flags");
            flags_with_signal(out, value);
        }
        // The rest follows at exit, continuing the list (strace prints it then too).
        Phase::Exit => {
            if flags & (CLONE_PARENT_SETTID | CLONE_PIDFD) != 0 {
                // strace names it parent_tid even when it receives a pidfd.
                out.field("parent_tid");
                let tid = flags & CLONE_PARENT_SETTID != 0;
                int_in_brackets(call, out, call.arg_ulong(args.parent_tid), tid);
            }
            if flags & CLONE_SETTLS != 0 {
                out.field("tls");
                tls(call, out, call.arg_ulong(args.tls));
            }
            if flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) != 0 {
                out.field("child_tidptr");
                out.pointer(call.arg_ulong(args.child_tid));
            }
        }
    }
    DecodeStatus::Complete
}

/// The sizes of `struct clone_args` versions 0 and 1.
const CLONE_ARGS_SIZE_VER0: u64 = 64;
const CLONE_ARGS_SIZE_VER1: u64 = 80;
/// The largest version this decoder knows (with `cgroup`).
const CLONE_ARGS_SIZE_VER2: u64 = 88;

/// Marks in `scratch[0]` that entry printed the struct; `scratch[1]` keeps its flags.
const STRUCT_PRINTED: u64 = 1;

pub fn clone3(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let addr = call.arg_ulong(0);
    let size = call.arg_ulong(1);
    out.return_style(ReturnStyle::Pid(PidKind::Tid));
    match phase {
        Phase::Entry => {
            if size < CLONE_ARGS_SIZE_VER0 {
                out.pointer(addr);
                return DecodeStatus::Complete;
            }
            let len = size.min(CLONE_ARGS_SIZE_VER2) as usize;
            let mut flags = 0;
            let printed = with_struct(call, out, addr, len, |out, f| {
                flags = f.u64(0);
                clone_args_struct(call, out, &f, size);
            });
            if printed {
                call.scratch()[0] = STRUCT_PRINTED;
                call.scratch()[1] = flags;
            }
        }
        Phase::Exit => {
            let flags = call.scratch()[1];
            if call.scratch()[0] == STRUCT_PRINTED
                && !call.is_error()
                && flags & (CLONE_PARENT_SETTID | CLONE_PIDFD) != 0
            {
                let mut raw = [0u8; 32];
                if call.tracee().read_exact(addr, &mut raw) {
                    let f = Fields::new(&raw, rtrace_sdk::kstruct::Layout::of(call));
                    out.arrow();
                    out.begin_struct();
                    if flags & CLONE_PIDFD != 0 {
                        out.field("pidfd");
                        int_in_brackets(call, out, f.u64(8), false);
                    }
                    if flags & CLONE_PARENT_SETTID != 0 {
                        out.field("parent_tid");
                        int_in_brackets(call, out, f.u64(24), true);
                    }
                    out.end();
                }
            }
            out.uint(size);
        }
    }
    DecodeStatus::Complete
}

/// clone's TLS: a `struct user_desc` where the personality takes one (i386), else the
/// thread pointer itself.
fn tls(call: &Call<'_, '_>, out: &mut Out<'_>, value: u64) {
    if call.abi().tls_is_user_desc {
        user_desc_at(call, out, value);
    } else {
        out.pointer(value);
    }
}

fn clone_args_struct(call: &Call<'_, '_>, out: &mut Out<'_>, f: &Fields<'_>, size: u64) {
    let flags = f.u64(0);
    out.begin_struct();
    out.field("flags");
    out.flags_or_unknown(flags, CLONE_FLAGS, "CLONE_???");
    if flags & CLONE_PIDFD != 0 {
        out.field("pidfd");
        out.pointer(f.u64(8));
    }
    if flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID) != 0 {
        out.field("child_tid");
        out.pointer(f.u64(16));
    }
    if flags & CLONE_PARENT_SETTID != 0 {
        out.field("parent_tid");
        out.pointer(f.u64(24));
    }
    out.field("exit_signal");
    let signal = f.u64(32);
    if signal < i32::MAX as u64 {
        out.signal(signal as i64);
    } else {
        out.uint(signal);
    }
    out.field("stack");
    out.pointer(f.u64(40));
    out.field("stack_size");
    out.hex(f.u64(48));
    if flags & CLONE_SETTLS != 0 {
        out.field("tls");
        tls(call, out, f.u64(56));
    }
    if size >= CLONE_ARGS_SIZE_VER1 && (f.u64(64) != 0 || f.u64(72) != 0) {
        out.field("set_tid");
        out.pointer(f.u64(64));
        out.field("set_tid_size");
        out.uint(f.u64(72));
    }
    if size >= CLONE_ARGS_SIZE_VER2 && flags & CLONE_INTO_CGROUP != 0 {
        out.field("cgroup");
        out.uint(f.u64(80));
    }
    out.end();
}
