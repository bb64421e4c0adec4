//! kexec_load and kexec_file_load (linux/kexec.h).
//!
//! kexec_segment: buf, bufsz, mem, memsz — four words.

use rtrace_sdk::array::array_at;
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

const KEXEC_ARCH_MASK: u64 = 0xffff_0000;
const KEXEC_SEGMENT_MAX: u64 = 16;
const KEXEC_ARCHES: &[(u64, &str)] = &[
    (0, "KEXEC_ARCH_DEFAULT"),
    (3 << 16, "KEXEC_ARCH_386"),
    (4 << 16, "KEXEC_ARCH_68K"),
    (15 << 16, "KEXEC_ARCH_PARISC"),
    (62 << 16, "KEXEC_ARCH_X86_64"),
    (20 << 16, "KEXEC_ARCH_PPC"),
    (21 << 16, "KEXEC_ARCH_PPC64"),
    (50 << 16, "KEXEC_ARCH_IA_64"),
    (40 << 16, "KEXEC_ARCH_ARM"),
    (22 << 16, "KEXEC_ARCH_S390"),
    (42 << 16, "KEXEC_ARCH_SH"),
    (10 << 16, "KEXEC_ARCH_MIPS_LE"),
    (8 << 16, "KEXEC_ARCH_MIPS"),
    (183 << 16, "KEXEC_ARCH_AARCH64"),
    (243 << 16, "KEXEC_ARCH_RISCV"),
    (258 << 16, "KEXEC_ARCH_LOONGARCH"),
];
use crate::kernel_consts::KEXEC_FILE_FLAGS;
use crate::kernel_consts::KEXEC_LOAD_FLAGS;

/// kexec_load(entry, nr_segments, segments, flags): the architecture in the
/// flags' high half first.
pub fn kexec_load(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.pointer(call.arg_ulong(0));
    let count = call.arg_ulong(1);
    out.uint(count);
    let segments = call.arg_ulong(2);
    if count > KEXEC_SEGMENT_MAX {
        out.pointer(segments);
    } else {
        let word = call.word_size() as usize;
        array_at(call, out, segments, count, 4 * word, |out, f| {
            out.structure(|out| {
                out.field("buf");
                out.pointer(f.word(0));
                out.field("bufsz");
                out.uint(f.word(word));
                out.field("mem");
                out.pointer(f.word(2 * word));
                out.field("memsz");
                out.uint(f.word(3 * word));
            })
        });
    }
    let flags = call.arg_ulong(3);
    out.begin_flag_set(flags);
    out.constant(flags & KEXEC_ARCH_MASK, KEXEC_ARCHES, "KEXEC_ARCH_???");
    let rest = flags & !KEXEC_ARCH_MASK;
    if rest != 0 {
        out.flags_or_unknown(rest, KEXEC_LOAD_FLAGS, "KEXEC_???");
    }
    out.end();
    DecodeStatus::Complete
}

/// kexec_file_load(kernel_fd, initrd_fd, cmdline_len, cmdline, flags).
pub fn kexec_file_load(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    out.fd(call.arg_int(1) as i32);
    let len = call.arg_ulong(2);
    out.uint(len);
    out.buffer_at(
        call.tracee(),
        call.arg_ulong(3),
        len,
        call.options().string_limit,
    );
    out.flags_or_unknown(call.arg_ulong(4), KEXEC_FILE_FLAGS, "KEXEC_FILE_???");
    DecodeStatus::Complete
}
