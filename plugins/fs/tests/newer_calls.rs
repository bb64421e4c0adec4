//! The fs decoders of calls newer than Linux 6.1 (cachestat, fchmodat2, the
//! *xattrat calls, file_getattr/file_setattr), driven with a fake tracee against the
//! lines strace 7.2 printed for tests/fixtures/fs_extra.c on Linux 6.18. The
//! end-to-end test (tests/tests/family_fs_extra.rs) covers them once the syscall
//! tables name them.

use rtrace_fs::DECODERS;
use rtrace_plugin_testing::{line, DecodeOptions, FakeTracee, X86_64};

const AT_FDCWD: u64 = -100i64 as u64;
const EFAULT: i64 = -14;
const EINVAL: i64 = -22;
const ENODATA: i64 = -61;

fn render(mem: &FakeTracee, name: &str, args: [u64; 6], ret: i64) -> String {
    line(
        DECODERS,
        X86_64,
        mem,
        name,
        args,
        ret,
        DecodeOptions::default(),
    )
}

fn le(values: &[u64], sizes: &[usize]) -> Vec<u8> {
    values
        .iter()
        .zip(sizes)
        .flat_map(|(v, &n)| v.to_le_bytes()[..n].to_vec())
        .collect()
}

#[test]
fn cachestat_shows_range_and_counters() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &le(&[0, 4096], &[8, 8]));
    mem.map(0x2000, &le(&[1, 0, 0, 0, 0], &[8; 5]));
    assert_eq!(
        render(&mem, "cachestat", [4, 0x1000, 0x2000, 0, 0, 0], 0),
        "cachestat(4, {off=0, len=4096}, {nr_cache=1, nr_dirty=0, nr_writeback=0, nr_evicted=0, nr_recently_evicted=0}, 0) = 0"
    );
    assert_eq!(
        render(&mem, "cachestat", [4, 0x1000, 0x2000, 1, 0, 0], EINVAL),
        "cachestat(4, {off=0, len=4096}, 0x2000, 0x1) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        render(&mem, "cachestat", [4, 8, 0x2000, 0, 0, 0], EFAULT),
        "cachestat(4, 0x8, 0x2000, 0) = -1 EFAULT (Bad address)"
    );
}

#[test]
fn fchmodat2_and_xattrat_calls() {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "reg");
    mem.map_str(0x1100, "user.rtrace");
    mem.map_str(0x1200, "xattr-value");
    mem.map(0x1300, &le(&[0x1200, 11, 1], &[8, 4, 4]));
    mem.map(0x1400, &le(&[0x1200, 64, 0], &[8, 4, 4]));
    mem.map(0x1500, b"user.rtrace\0");
    assert_eq!(
        render(&mem, "fchmodat2", [AT_FDCWD, 0x1000, 0o4755, 0x1000, 0, 0], -2),
        "fchmodat2(AT_FDCWD, \"reg\", 04755, AT_EMPTY_PATH) = -1 ENOENT (No such file or directory)"
    );
    assert_eq!(
        render(&mem, "setxattrat", [3, 0x1000, 0x100, 0x1100, 0x1300, 16], -17),
        "setxattrat(3, \"reg\", AT_SYMLINK_NOFOLLOW, \"user.rtrace\", {value=\"xattr-value\", size=11, flags=XATTR_CREATE}, 16) = -1 EEXIST (File exists)"
    );
    assert_eq!(
        render(&mem, "getxattrat", [AT_FDCWD, 0x1000, 0, 0x1100, 0x1400, 16], 11),
        "getxattrat(AT_FDCWD, \"reg\", 0, \"user.rtrace\", {value=\"xattr-value\", size=64, flags=0}, 16) = 11"
    );
    assert_eq!(
        render(&mem, "getxattrat", [AT_FDCWD, 0x1000, 0, 0x1100, 0x1400, 16], ENODATA),
        "getxattrat(AT_FDCWD, \"reg\", 0, \"user.rtrace\", {value=0x1200, size=64, flags=0}, 16) = -1 ENODATA (No data available)"
    );
    assert_eq!(
        render(
            &mem,
            "getxattrat",
            [AT_FDCWD, 0x1000, 0, 0x1100, 8, 16],
            EFAULT
        ),
        "getxattrat(AT_FDCWD, \"reg\", 0, \"user.rtrace\", 0x8, 16) = -1 EFAULT (Bad address)"
    );
    assert_eq!(
        render(
            &mem,
            "listxattrat",
            [AT_FDCWD, 0x1000, 0, 0x1500, 128, 0],
            12
        ),
        "listxattrat(AT_FDCWD, \"reg\", 0, \"user.rtrace\\0\", 128) = 12"
    );
    assert_eq!(
        render(
            &mem,
            "removexattrat",
            [AT_FDCWD, 0x1000, 0, 0x1100, 0, 0],
            0
        ),
        "removexattrat(AT_FDCWD, \"reg\", 0, \"user.rtrace\") = 0"
    );
}

#[test]
fn file_attr_calls() {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "reg");
    mem.map(0x2000, &[0u8; 24]);
    assert_eq!(
        render(&mem, "file_getattr", [AT_FDCWD, 0x1000, 0x2000, 24, 0, 0], 0),
        "file_getattr(AT_FDCWD, \"reg\", {fa_xflags=0, fa_extsize=0, fa_nextents=0, fa_projid=0, fa_cowextsize=0}, 24, 0) = 0"
    );
    assert_eq!(
        render(&mem, "file_setattr", [AT_FDCWD, 0x1000, 0x2000, 24, 0, 0], 0),
        "file_setattr(AT_FDCWD, \"reg\", {fa_xflags=0, fa_extsize=0, fa_projid=0, fa_cowextsize=0}, 24, 0) = 0"
    );
    assert_eq!(
        render(
            &mem,
            "file_getattr",
            [3, 0x1000, 0x2000, 4, 0x1000, 0],
            EINVAL
        ),
        "file_getattr(3, \"reg\", 0x2000, 4, AT_EMPTY_PATH) = -1 EINVAL (Invalid argument)"
    );
}
