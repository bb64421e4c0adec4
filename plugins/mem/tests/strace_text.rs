//! The mem plugin's decoders, driven with a fake tracee and rendered by rtrace-render,
//! against lines strace 6.1 printed (64-bit), and the same structs laid out for a
//! 32-bit tracee.

use rtrace_mem::DECODERS;
use rtrace_plugin_testing::{DecodeOptions, FakeTracee, ARM, X86_64};

/// Decodes and renders one call as `name(args) = ret (note)` on a tracee of `word` bytes.
fn line(
    mem: &FakeTracee,
    word: u8,
    name: &str,
    args: [u64; 6],
    ret: i64,
    options: DecodeOptions,
) -> String {
    let arch = if word == 8 { X86_64 } else { ARM };
    rtrace_plugin_testing::line(DECODERS, arch, mem, name, args, ret, options)
}

const EINVAL: i64 = -22;
const EFAULT: i64 = -14;

fn default() -> DecodeOptions {
    DecodeOptions::default()
}

/// mmap with every flag bit set. MAP_32BIT (0x40) is x86's alone: where the plugin is
/// built for another architecture (the ARM tests run this file too) strace's table has no
/// such name, and the bit stays in the hex remainder.
#[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
const EVERY_MAP_FLAG: &str = "mmap(NULL, 0, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|MAP_NONBLOCK|MAP_GROWSDOWN|MAP_DENYWRITE|MAP_EXECUTABLE|MAP_LOCKED|MAP_STACK|MAP_HUGETLB|MAP_SYNC|MAP_FIXED_NOREPLACE|0xe00680, -1, 0) = -1 EINVAL (Invalid argument)";
#[cfg(not(any(target_arch = "x86_64", target_arch = "x86")))]
const EVERY_MAP_FLAG: &str = "mmap(NULL, 0, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE|MAP_POPULATE|MAP_NONBLOCK|MAP_GROWSDOWN|MAP_DENYWRITE|MAP_EXECUTABLE|MAP_LOCKED|MAP_STACK|MAP_HUGETLB|MAP_SYNC|MAP_FIXED_NOREPLACE|0xe006c0, -1, 0) = -1 EINVAL (Invalid argument)";

#[test]
fn mappings_print_as_strace_does() {
    let mem = FakeTracee::new();
    let cases: &[(&str, [u64; 6], i64, &str)] = &[
        (
            "mmap",
            [0, 8192, 3, 0x22, u64::MAX, 0],
            0x7f03d492b000,
            "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f03d492b000",
        ),
        (
            "mmap",
            [0x7f46d6f22000, 1400832, 5, 0x812, 3, 0x26000],
            0x7f46d6f22000,
            "mmap(0x7f46d6f22000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7f46d6f22000",
        ),
        (
            "mmap",
            [0, 4096, 0, 0x4000023, u64::MAX, 0],
            EINVAL,
            "mmap(NULL, 4096, PROT_NONE, MAP_SHARED_VALIDATE|MAP_ANONYMOUS|1<<MAP_HUGE_SHIFT, -1, 0) = -1 EINVAL (Invalid argument)",
        ),
        (
            "mmap",
            [0, 0, 1, 0xfffff2, u64::MAX, 0],
            EINVAL,
            EVERY_MAP_FLAG,
        ),
        (
            "mprotect",
            [0x7ffb02797000, 4096, 0x1003, 0, 0, 0],
            EINVAL,
            "mprotect(0x7ffb02797000, 4096, PROT_READ|PROT_WRITE|0x1000) = -1 EINVAL (Invalid argument)",
        ),
        (
            "mremap",
            [0x7fa0661c0000, 4096, 4096, 7, 8, 0],
            EINVAL,
            "mremap(0x7fa0661c0000, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP, 0x8) = -1 EINVAL (Invalid argument)",
        ),
        (
            "mremap",
            [0x7fa0661c0000, 32768, 8192, 0, 0, 0],
            0x7fa0661c0000,
            "mremap(0x7fa0661c0000, 32768, 8192, 0) = 0x7fa0661c0000",
        ),
        (
            "madvise",
            [0x7fa0661c0000, 4096, 999, 0, 0, 0],
            EINVAL,
            "madvise(0x7fa0661c0000, 4096, 0x3e7 /* MADV_??? */) = -1 EINVAL (Invalid argument)",
        ),
        ("brk", [0, 0, 0, 0, 0, 0], 0x55a509e42000, "brk(NULL) = 0x55a509e42000"),
        (
            "mlock2",
            [0x7fa0661c0000, 4096, 0x10, 0, 0, 0],
            EINVAL,
            "mlock2(0x7fa0661c0000, 4096, 0x10 /* MLOCK_??? */) = -1 EINVAL (Invalid argument)",
        ),
        ("mlockall", [5, 0, 0, 0, 0, 0], 0, "mlockall(MCL_CURRENT|MCL_ONFAULT) = 0"),
        ("msync", [0, 0, 7, 0, 0, 0], EINVAL, "msync(NULL, 0, MS_SYNC|MS_ASYNC|MS_INVALIDATE) = -1 EINVAL (Invalid argument)"),
        (
            "membarrier",
            [0, 0, 0, 0, 0, 0],
            0x3ff,
            "membarrier(MEMBARRIER_CMD_QUERY, 0) = 0x3ff (MEMBARRIER_CMD_GLOBAL|MEMBARRIER_CMD_GLOBAL_EXPEDITED|MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ|MEMBARRIER_CMD_GET_REGISTRATIONS)",
        ),
        (
            "membarrier",
            [12345, 0, 0, 0, 0, 0],
            EINVAL,
            "membarrier(0x3039 /* MEMBARRIER_CMD_??? */, 0) = -1 EINVAL (Invalid argument)",
        ),
    ];
    for (name, args, ret, expected) in cases {
        assert_eq!(line(&mem, 8, name, *args, *ret, default()), *expected);
    }
}

#[test]
fn mincore_shows_one_residency_bit_per_page_capped_at_s() {
    let mut mem = FakeTracee::new();
    mem.map(0x5000, &[1, 0x81, 0, 4]);
    assert_eq!(
        line(
            &mem,
            8,
            "mincore",
            [0x7000, 16384, 0x5000, 0, 0, 0],
            0,
            default()
        ),
        "mincore(0x7000, 16384, [1, 1, 0, 0]) = 0"
    );
    let options = DecodeOptions {
        string_limit: 2,
        ..default()
    };
    assert_eq!(
        line(
            &mem,
            8,
            "mincore",
            [0x7000, 16384, 0x5000, 0, 0, 0],
            0,
            options
        ),
        "mincore(0x7000, 16384, [1, 1, ...]) = 0"
    );
    assert_eq!(
        line(
            &mem,
            8,
            "mincore",
            [0x7001, 4096, 0x5000, 0, 0, 0],
            EINVAL,
            default()
        ),
        "mincore(0x7001, 4096, 0x5000) = -1 EINVAL (Invalid argument)"
    );
}

/// Lays out `iovecs` (base, len) at `addr` for a tracee of `word` bytes.
fn map_iovecs(mem: &mut FakeTracee, addr: u64, word: usize, iovecs: &[(u64, u64)]) {
    let mut bytes = Vec::new();
    for &(base, len) in iovecs {
        bytes.extend_from_slice(&base.to_le_bytes()[..word]);
        bytes.extend_from_slice(&len.to_le_bytes()[..word]);
    }
    mem.map(addr, &bytes);
}

fn copies(word: usize) -> FakeTracee {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, b"copied across\0\0");
    map_iovecs(&mut mem, 0x2000, word, &[(0x1000, 7), (0x1007, 8)]);
    map_iovecs(&mut mem, 0x3000, word, &[(0x9000, 6), (0x9006, 8)]);
    mem
}

#[test]
fn process_vm_copies_show_local_data_and_remote_addresses() {
    for word in [8u8, 4] {
        let mem = copies(usize::from(word));
        assert_eq!(
            line(
                &mem,
                word,
                "process_vm_readv",
                [1234, 0x2000, 2, 0x3000, 2, 0],
                10,
                default()
            ),
            r#"process_vm_readv(1234, [{iov_base="copied ", iov_len=7}, {iov_base="acr", iov_len=8}], 2, [{iov_base=0x9000, iov_len=6}, {iov_base=0x9006, iov_len=8}], 2, 0) = 10"#,
            "word size {word}"
        );
        assert_eq!(
            line(
                &mem,
                word,
                "process_vm_writev",
                [1234, 0x2000, 2, 0x3000, 1, 0],
                14,
                default()
            ),
            r#"process_vm_writev(1234, [{iov_base="copied ", iov_len=7}, {iov_base="across\0\0", iov_len=8}], 2, [{iov_base=0x9000, iov_len=6}], 1, 0) = 14"#,
            "word size {word}"
        );
        assert_eq!(
            line(&mem, word, "process_vm_readv", [1234, 0x2000, 1, 0x3000, 1, 1], EINVAL, default()),
            "process_vm_readv(1234, [{iov_base=0x1000, iov_len=7}], 1, [{iov_base=0x9000, iov_len=6}], 1, 1) = -1 EINVAL (Invalid argument)",
            "word size {word}"
        );
        assert_eq!(
            line(&mem, word, "process_vm_readv", [1234, 8, 2, 0x3000, 1, 0], EFAULT, default()),
            "process_vm_readv(1234, 0x8, 2, [{iov_base=0x9000, iov_len=6}], 1, 0) = -1 EFAULT (Bad address)",
            "word size {word}"
        );
    }
}

#[test]
fn iovec_arrays_are_capped_at_s_unless_verbose() {
    let mem = copies(8);
    let short = DecodeOptions {
        string_limit: 1,
        ..default()
    };
    assert_eq!(
        line(
            &mem,
            8,
            "process_vm_writev",
            [1, 0x2000, 2, 0x3000, 2, 0],
            14,
            short
        ),
        r#"process_vm_writev(1, [{iov_base="c"..., iov_len=7}, ...], 2, [{iov_base=0x9000, iov_len=6}, ...], 2, 0) = 14"#
    );
    let verbose = DecodeOptions {
        verbose: true,
        ..short
    };
    assert_eq!(
        line(
            &mem,
            8,
            "process_vm_writev",
            [1, 0x2000, 2, 0x3000, 2, 0],
            14,
            verbose
        ),
        r#"process_vm_writev(1, [{iov_base="c"..., iov_len=7}, {iov_base="a"..., iov_len=8}], 2, [{iov_base=0x9000, iov_len=6}, {iov_base=0x9006, iov_len=8}], 2, 0) = 14"#
    );
}

#[test]
fn mmap2_offsets_are_pages_shown_in_bytes() {
    let mem = FakeTracee::new();
    assert_eq!(
        line(
            &mem,
            4,
            "mmap2",
            [0, 4096, 1, 2, 3, 0x26],
            0xb6f00000,
            default()
        ),
        "mmap2(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0x26000) = 0xb6f00000"
    );
}
