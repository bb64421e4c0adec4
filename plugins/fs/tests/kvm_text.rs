//! KVM's ioctls driven with a fake tracee: what the differential test (tests/family_kvm)
//! does not reach on a working machine, such as output structures of failed calls and
//! registers the fixture leaves at zero, against the text strace 7.2 prints.

use rtrace_fs::DECODERS;
use rtrace_plugin_testing::{line, words, DecodeOptions, FakeTracee, X86_64};

const KVM_GET_REGS: u64 = 0x8090_ae81;
const KVM_SET_SREGS: u64 = 0x4138_ae84;
const KVM_CHECK_EXTENSION: u64 = 0xae03;
const KVM_SET_USER_MEMORY_REGION: u64 = 0x4020_ae46;
const KVM_GET_SUPPORTED_CPUID: u64 = 0xc008_ae05;
const KVM_RUN: u64 = 0xae80;
const KVM_GET_FPU: u64 = 0x81a0_ae8c;
const ADDR: u64 = 0x7ffc_0000_1000;

fn ioctl(mem: &FakeTracee, fd: u64, code: u64, arg: u64, ret: i64, verbose: bool) -> String {
    let options = DecodeOptions {
        verbose,
        ..DecodeOptions::default()
    };
    line(
        DECODERS,
        X86_64,
        mem,
        "ioctl",
        [fd, code, arg, 0, 0, 0],
        ret,
        options,
    )
}

#[test]
fn registers_abbreviated_in_full_and_failed() {
    let mut mem = FakeTracee::new();
    let regs: Vec<u64> = (1..=18).collect();
    mem.map(ADDR, &words(8, &regs));
    assert_eq!(
        ioctl(&mem, 5, KVM_GET_REGS, ADDR, 0, false),
        "ioctl(5, KVM_GET_REGS, {rax=0x1, ..., rsp=0x7, rbp=0x8, ..., rip=0x11, rflags=0x12}) = 0"
    );
    assert_eq!(
        ioctl(&mem, 5, KVM_GET_REGS, ADDR, 0, true),
        "ioctl(5, KVM_GET_REGS, {rax=0x1, rbx=0x2, rcx=0x3, rdx=0x4, rsi=0x5, rdi=0x6, \
         rsp=0x7, rbp=0x8, r8=0x9, r9=0xa, r10=0xb, r11=0xc, r12=0xd, r13=0xe, r14=0xf, \
         r15=0x10, rip=0x11, rflags=0x12}) = 0"
    );
    // The kernel filled nothing in: the address.
    assert_eq!(
        ioctl(&mem, 5, KVM_GET_REGS, ADDR, -14, false),
        "ioctl(5, KVM_GET_REGS, 0x7ffc00001000) = -1 EFAULT (Bad address)"
    );
}

#[test]
fn segment_registers_read_at_entry() {
    let mut mem = FakeTracee::new();
    let mut sregs = vec![0u8; 312];
    sregs[..8].copy_from_slice(&0xffff_0000u64.to_le_bytes());
    sregs[8..12].copy_from_slice(&0xffffu32.to_le_bytes());
    sregs[12..14].copy_from_slice(&0xf000u16.to_le_bytes());
    sregs[14] = 11; // type
    sregs[15] = 1; // present
    sregs[21] = 1; // avl
    mem.map(ADDR, &sregs);
    assert_eq!(
        ioctl(&mem, 5, KVM_SET_SREGS, ADDR, 0, false),
        "ioctl(5, KVM_SET_SREGS, {cs={base=0xffff0000, limit=65535, selector=61440, type=11, \
         present=1, dpl=0, db=0, s=0, l=0, g=0, avl=1}, ...}) = 0"
    );
    // Unreadable: the address, even though the call worked.
    assert_eq!(
        ioctl(&FakeTracee::new(), 5, KVM_SET_SREGS, ADDR, 0, false),
        "ioctl(5, KVM_SET_SREGS, 0x7ffc00001000) = 0"
    );
}

#[test]
fn capabilities_memory_regions_and_cpuid() {
    let mut mem = FakeTracee::new();
    assert_eq!(
        ioctl(&mem, 3, KVM_CHECK_EXTENSION, 16, 1, false),
        "ioctl(3, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_MMU) = 1"
    );
    assert_eq!(
        ioctl(&mem, 3, KVM_CHECK_EXTENSION, 0x7fff, 0, false),
        "ioctl(3, KVM_CHECK_EXTENSION, 0x7fff /* KVM_CAP_??? */) = 0"
    );
    let mut region = words(4, &[1, 3]);
    region.extend(words(8, &[0x10_0000, 0x2000, 0x7f00_0000_0000]));
    mem.map(ADDR, &region);
    assert_eq!(
        ioctl(&mem, 4, KVM_SET_USER_MEMORY_REGION, ADDR, 0, false),
        "ioctl(4, KVM_SET_USER_MEMORY_REGION, {slot=1, flags=KVM_MEM_LOG_DIRTY_PAGES|\
         KVM_MEM_READONLY, guest_phys_addr=0x100000, memory_size=8192, \
         userspace_addr=0x7f0000000000}) = 0"
    );
    let cpuid = 0x7ffc_0000_2000;
    mem.map(
        cpuid,
        &words(4, &[1, 0, 0xd, 1, 1, 0x7, 0x340, 0x340, 0, 0, 0, 0, 0]),
    );
    assert_eq!(
        ioctl(&mem, 3, KVM_GET_SUPPORTED_CPUID, cpuid, 0, false),
        "ioctl(3, KVM_GET_SUPPORTED_CPUID, {nent=1, entries=[...]}) = 0"
    );
    assert_eq!(
        ioctl(&mem, 3, KVM_GET_SUPPORTED_CPUID, cpuid, 0, true),
        "ioctl(3, KVM_GET_SUPPORTED_CPUID, {nent=1, entries=[{function=0xd, index=0x1, \
         flags=KVM_CPUID_FLAG_SIGNIFCANT_INDEX, eax=0x7, ebx=0x340, ecx=0x340, edx=0}]}) = 0"
    );
    assert_eq!(
        ioctl(&mem, 3, KVM_GET_SUPPORTED_CPUID, cpuid, -7, false),
        "ioctl(3, KVM_GET_SUPPORTED_CPUID, 0x7ffc00002000) = -1 E2BIG (Argument list too long)"
    );
}

#[test]
fn other_requests_show_their_argument_in_hex() {
    let mem = FakeTracee::new();
    assert_eq!(
        ioctl(&mem, 5, KVM_GET_FPU, ADDR, 0, true),
        "ioctl(5, KVM_GET_FPU, 0x7ffc00001000) = 0"
    );
    // Without -e kvm=vcpu no exit reason follows.
    assert_eq!(
        ioctl(&mem, 5, KVM_RUN, 0, 0, false),
        "ioctl(5, KVM_RUN, 0) = 0"
    );
}
