//! rseq(rseq, rseq_len, flags, sig) as strace 7.2 prints it: the registered
//! `struct rseq` (uapi linux/rseq.h, Linux 7.0: with `slice_ctrl`), its length, the
//! flags and the signature.
//!
//! `rseq_cs` is shown as its address: glibc's critical sections are never active at a
//! syscall, so it is NULL in practice; strace would also print the `struct rseq_cs` it
//! points to.

use rtrace_sdk::kstruct::{Fields, Layout};
use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out, Phase};

/// The size of the original registration (fields through `slice_ctrl`); the kernel
/// refuses shorter lengths and addresses not aligned to it.
const ORIG_RSEQ_SIZE: u64 = 32;
/// `sizeof(struct rseq)` with its 32-byte alignment.
const RSEQ_SIZE: usize = 64;

const RSEQ_CS_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT"),
    (1 << 1, "RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL"),
    (1 << 2, "RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE"),
    (1 << 4, "RSEQ_CS_FLAG_SLICE_EXT_AVAILABLE"),
    (1 << 5, "RSEQ_CS_FLAG_SLICE_EXT_ENABLED"),
]);

const RSEQ_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "RSEQ_FLAG_UNREGISTER"),
    (1 << 1, "RSEQ_FLAG_SLICE_EXT_DEFAULT_ON"),
]);

fn cpu_id(out: &mut Out<'_>, value: u64) {
    match value as u32 as i32 {
        -1 => out.named("RSEQ_CPU_ID_UNINITIALIZED", -1, false),
        -2 => out.named("RSEQ_CPU_ID_REGISTRATION_FAILED", -2, false),
        _ => out.uint(value),
    }
}

fn rseq_struct(out: &mut Out<'_>, f: &Fields<'_>) {
    out.begin_struct();
    out.field("cpu_id_start");
    cpu_id(out, f.u32(0));
    out.field("cpu_id");
    cpu_id(out, f.u32(4));
    out.field("rseq_cs");
    out.pointer(f.u64(8));
    out.field("flags");
    out.flags(f.u32(16), RSEQ_CS_FLAGS);
    out.field("node_id");
    out.uint(f.u32(20));
    out.field("mm_cid");
    out.uint(f.u32(24));
    out.field("slice_ctrl");
    out.structure(|out| {
        out.field("request");
        out.uint(f.unsigned(28, 1));
        out.field("granted");
        out.uint(f.unsigned(29, 1));
        out.field("__reserved");
        out.hex(f.u16(30));
    });
    // Beyond a 32-byte registration strace prints what it did not fetch: zero.
    out.field("__reserved");
    out.hex(f.unsigned(32, 1));
    out.end();
}

pub fn rseq(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase != Phase::Entry {
        return DecodeStatus::Complete;
    }
    let addr = call.arg_ulong(0);
    let len = call.arg(1) & 0xffff_ffff;
    // The kernel rejects a short length or a misaligned address: no memory is shown.
    if len < ORIG_RSEQ_SIZE || addr % ORIG_RSEQ_SIZE != 0 {
        out.pointer(addr);
    } else {
        let mut buf = [0u8; RSEQ_SIZE];
        let fetch = (len as usize).min(RSEQ_SIZE);
        if call.tracee().read_exact(addr, &mut buf[..fetch]) {
            rseq_struct(out, &Fields::new(&buf, Layout::of(call)));
        } else {
            out.pointer(addr);
        }
    }
    out.uint(len);
    out.flags_or_unknown(call.arg(2) & 0xffff_ffff, RSEQ_FLAGS, "RSEQ_FLAG_???");
    out.hex(call.arg(3) & 0xffff_ffff);
    DecodeStatus::Complete
}
