//! rseq(rseq, rseq_len, flags, sig) and `struct rseq` (linux/rseq.h): every
//! program glibc starts registers one.
//!
//! struct rseq: cpu_id_start u32 @0, cpu_id u32 @4, rseq_cs u64 @8, flags u32 @16,
//! node_id u32 @20, mm_cid u32 @24, slice_ctrl @28 (request u8, granted u8,
//! __reserved u16), __reserved u8 @32; the kernel takes 32 bytes or more, 32-byte
//! aligned. struct rseq_cs: version u32, flags u32, start_ip, post_commit_offset,
//! abort_ip (u64).

use rtrace_sdk::kstruct::{Fields, Layout};
use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out, Phase};

const ORIG_RSEQ_SIZE: u64 = 32;
/// The struct as this decoder knows it (aligned to 32 bytes).
const RSEQ_SIZE: usize = 64;

const RSEQ_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "RSEQ_FLAG_UNREGISTER"),
    (1 << 1, "RSEQ_FLAG_SLICE_EXT_DEFAULT_ON"),
]);
const RSEQ_CS_FLAGS: &[(u64, &str)] = &[
    (1 << 0, "RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT"),
    (1 << 1, "RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL"),
    (1 << 2, "RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE"),
    (1 << 4, "RSEQ_CS_FLAG_SLICE_EXT_AVAILABLE"),
    (1 << 5, "RSEQ_CS_FLAG_SLICE_EXT_ENABLED"),
];
const RSEQ_CS_FLAG_TABLE: &FlagTable = &FlagTable::bits(RSEQ_CS_FLAGS);

fn cpu_id(out: &mut Out<'_>, id: u64) {
    match id as u32 as i32 {
        -1 => out.named("RSEQ_CPU_ID_UNINITIALIZED", -1, false),
        -2 => out.named("RSEQ_CPU_ID_REGISTRATION_FAILED", -2, false),
        _ => out.uint(id),
    }
}

/// rseq_cs flags as text (the critical section is shown as one text value, its
/// address in a comment after it).
struct CsFlags(u64);

impl std::fmt::Display for CsFlags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.0;
        let mut first = true;
        for &(bit, name) in RSEQ_CS_FLAGS {
            if rest & bit != 0 {
                write!(f, "{}{name}", if first { "" } else { "|" })?;
                rest &= !bit;
                first = false;
            }
        }
        match (first, rest) {
            (true, 0) => write!(f, "0"),
            (true, _) => write!(f, "{rest:#x} /* RSEQ_CS_FLAG_??? */"),
            (false, 0) => Ok(()),
            (false, _) => write!(f, "|{rest:#x}"),
        }
    }
}

/// The critical section rseq_cs points to, or its address.
fn rseq_cs(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let addr = if call.word_size() == 4 {
        addr & 0xffff_ffff
    } else {
        addr
    };
    let mut bytes = [0u8; 32];
    if addr == 0 || !call.tracee().read_exact(addr, &mut bytes) {
        out.pointer(addr);
        return;
    }
    let f = Fields::new(&bytes, Layout::of(call));
    out.text_fmt(format_args!(
        "{{version={}, flags={}, start_ip={:#x}, post_commit_offset={:#x}, abort_ip={:#x}}} /* {addr:#x} */",
        f.u32(0),
        CsFlags(f.u32(4)),
        f.u64(8),
        f.u64(16),
        f.u64(24)
    ));
}

/// `struct rseq`, or its address when the kernel would refuse it (shorter than 32
/// bytes or misaligned).
fn struct_rseq(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    if len < ORIG_RSEQ_SIZE || addr % ORIG_RSEQ_SIZE != 0 {
        out.pointer(addr);
        return;
    }
    let fetch = (len as usize).min(RSEQ_SIZE);
    let mut bytes = [0u8; RSEQ_SIZE];
    if addr == 0 || !call.tracee().read_exact(addr, &mut bytes[..fetch]) {
        out.pointer(addr);
        return;
    }
    let f = Fields::new(&bytes, Layout::of(call));
    out.structure(|out| {
        out.field("cpu_id_start");
        cpu_id(out, f.u32(0));
        out.field("cpu_id");
        cpu_id(out, f.u32(4));
        out.field("rseq_cs");
        rseq_cs(call, out, f.u64(8));
        out.field("flags");
        out.flags_or_unknown(f.u32(16), RSEQ_CS_FLAG_TABLE, "RSEQ_CS_FLAG_???");
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
        out.field("__reserved");
        out.hex(f.unsigned(32, 1));
    });
}

pub fn rseq(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        let len = call.arg(1) & 0xffff_ffff;
        struct_rseq(call, out, call.arg_ulong(0), len);
        out.uint(len);
        out.flags_or_unknown(call.arg(2) & 0xffff_ffff, RSEQ_FLAGS, "RSEQ_FLAG_???");
        out.hex(call.arg(3) & 0xffff_ffff);
    }
    DecodeStatus::Complete
}
