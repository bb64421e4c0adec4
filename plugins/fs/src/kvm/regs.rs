//! The x86 structures of KVM's register and CPUID requests (`asm/kvm.h`), as strace's
//! x86_64 and i386 builds print them: `struct kvm_regs` (abbreviated to rax, rsp, rbp,
//! rip and rflags without `-v`), `struct kvm_sregs` (only `cs` without `-v`) and
//! `struct kvm_cpuid2` with its entries. Their layouts hold for every x86 personality
//! (only fixed-size members), and the requests' codes carry these sizes, so another
//! architecture's KVM_GET_REGS never reaches this module.

use rtrace_sdk::array::array_at;
use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, FlagTable, Out};

use super::names;

/// `struct kvm_regs`: eighteen u64, in this order.
const REGS: [&str; 18] = [
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11", "r12", "r13",
    "r14", "r15", "rip", "rflags",
];
const REGS_SIZE: usize = 18 * 8;

/// The registers strace shows without `-v`; `...` stands for each run of the others.
const REGS_ABBREVIATED: [&str; 5] = ["rax", "rsp", "rbp", "rip", "rflags"];

/// `struct kvm_segment`: base (u64), limit (u32), selector (u16), then u8 flags.
const SEGMENT_SIZE: usize = 24;
const SEGMENT_FLAGS: [(&str, usize); 8] = [
    ("type", 14),
    ("present", 15),
    ("dpl", 16),
    ("db", 17),
    ("s", 18),
    ("l", 19),
    ("g", 20),
    ("avl", 21),
];
/// `struct kvm_sregs`: eight segments, two `struct kvm_dtable` (base u64, limit u16,
/// padding to 16 bytes), seven u64 control registers, and the interrupt bitmap.
const SEGMENTS: [&str; 8] = ["cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"];
const DTABLES: [(&str, usize); 2] = [("gdt", 192), ("idt", 208)];
/// The control registers strace shows in decimal, from offset 224.
const CONTROL: [&str; 6] = ["cr0", "cr2", "cr3", "cr4", "cr8", "efer"];
const APIC_BASE_OFFSET: usize = 272;
/// `interrupt_bitmap[(KVM_NR_INTERRUPTS + 63) / 64]`: four u64.
const INTERRUPT_BITMAP_OFFSET: usize = 280;
const INTERRUPT_BITMAP_WORDS: usize = 4;
const SREGS_SIZE: usize = 312;

/// `struct kvm_cpuid2`: nent (u32), padding (u32), then `struct kvm_cpuid_entry2`s of
/// seven u32 and three u32 of padding.
const CPUID2_HEADER: u64 = 8;
const CPUID_ENTRY_SIZE: usize = 40;

static CPUID_FLAGS: FlagTable = FlagTable::bits(names::CPUID_FLAGS);

pub fn emit_regs(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let verbose = call.options().verbose;
    with_struct(call, out, addr, REGS_SIZE, |out, f| {
        out.structure(|out| {
            let mut skipped = false;
            for (index, name) in REGS.iter().enumerate() {
                if !verbose && !REGS_ABBREVIATED.contains(name) {
                    if !skipped {
                        out.ellipsis();
                    }
                    skipped = true;
                    continue;
                }
                skipped = false;
                out.field(name);
                out.hex(f.u64(index * 8));
            }
        })
    });
}

pub fn emit_sregs(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let verbose = call.options().verbose;
    with_struct(call, out, addr, SREGS_SIZE, |out, f| {
        out.structure(|out| {
            for (index, name) in SEGMENTS.iter().enumerate() {
                if index > 0 && !verbose {
                    out.ellipsis();
                    return;
                }
                out.field(name);
                segment(out, &f, index * SEGMENT_SIZE);
            }
            for (name, at) in DTABLES {
                out.field(name);
                out.structure(|out| {
                    out.field("base");
                    out.hex(f.u64(at));
                    out.field("limit");
                    out.uint(f.u16(at + 8));
                });
            }
            for (index, name) in CONTROL.iter().enumerate() {
                out.field(name);
                out.uint(f.u64(224 + index * 8));
            }
            out.field("apic_base");
            out.hex(f.u64(APIC_BASE_OFFSET));
            out.field("interrupt_bitmap");
            out.array(|out| {
                for word in 0..INTERRUPT_BITMAP_WORDS {
                    out.hex(f.u64(INTERRUPT_BITMAP_OFFSET + word * 8));
                }
            });
        })
    });
}

fn segment(out: &mut Out<'_>, f: &Fields<'_>, at: usize) {
    out.structure(|out| {
        out.field("base");
        out.hex(f.u64(at));
        out.field("limit");
        out.uint(f.u32(at + 8));
        out.field("selector");
        out.uint(f.u16(at + 12));
        for (name, offset) in SEGMENT_FLAGS {
            out.field(name);
            out.uint(f.unsigned(at + offset, 1));
        }
    });
}

/// `{nent=N, entries=[...]}`: the entries in full with `-v`, else `[...]` (or `[]`).
pub fn emit_cpuid(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let verbose = call.options().verbose;
    with_struct(call, out, addr, CPUID2_HEADER as usize, |out, f| {
        let count = f.u32(0);
        out.structure(|out| {
            out.field("nent");
            out.uint(count);
            out.field("entries");
            if !verbose {
                out.array(|out| {
                    if count > 0 {
                        out.ellipsis();
                    }
                });
                return;
            }
            array_at(
                call,
                out,
                addr + CPUID2_HEADER,
                count,
                CPUID_ENTRY_SIZE,
                |out, entry| {
                    out.structure(|out| {
                        out.field("function");
                        out.hex(entry.u32(0));
                        out.field("index");
                        out.hex(entry.u32(4));
                        out.field("flags");
                        out.flags(entry.u32(8), &CPUID_FLAGS);
                        for (index, name) in ["eax", "ebx", "ecx", "edx"].iter().enumerate() {
                            out.field(name);
                            out.hex(entry.u32(12 + index * 4));
                        }
                    })
                },
            );
        })
    });
}
