//! The fs plugin's decoders driven with a fake tracee and rendered by rtrace-render:
//! the 32-bit layouts (ARM EABI's stat64, statfs64, flock, flock64, iovec, _llseek,
//! split 64-bit lengths) that the x86_64 differential tests cannot reach, checked
//! against the text strace prints for the same values on 64-bit.

use rtrace_fs::DECODERS;
use rtrace_plugin_testing::{DecodeOptions, FakeTracee, ARM, X86_64};

/// Decodes and renders one call as `name(args) = ret (note)`; `word` 4 is an ARM
/// tracee, 8 an x86_64 one.
fn line(
    mem: &FakeTracee,
    word: u8,
    name: &str,
    args: [u64; 6],
    ret: i64,
    options: DecodeOptions,
) -> String {
    let arch = if word == 4 { ARM } else { X86_64 };
    rtrace_plugin_testing::line(DECODERS, arch, mem, name, args, ret, options)
}

fn default() -> DecodeOptions {
    DecodeOptions::default()
}

fn verbose() -> DecodeOptions {
    DecodeOptions {
        verbose: true,
        ..DecodeOptions::default()
    }
}

/// Little-endian bytes written at offsets of a zeroed buffer.
struct Bytes(Vec<u8>);

impl Bytes {
    fn new(len: usize) -> Self {
        Bytes(vec![0; len])
    }
    fn put(mut self, offset: usize, width: usize, value: u64) -> Self {
        self.0[offset..offset + width].copy_from_slice(&value.to_le_bytes()[..width]);
        self
    }
}

/// /etc/os-release's stat as ARM EABI's `struct stat64` lays it out.
fn arm_stat64() -> Vec<u8> {
    Bytes::new(104)
        .put(0, 8, 0xfe00) // st_dev: makedev(0xfe, 0)
        .put(16, 4, 0o100644)
        .put(20, 4, 1)
        .put(32, 8, 0)
        .put(48, 8, 267)
        .put(56, 4, 4096)
        .put(64, 8, 8)
        .put(72, 4, 1_700_000_000)
        .put(76, 4, 123_456_789)
        .put(80, 4, 1_746_802_200)
        .put(88, 4, 1_746_802_200)
        .put(96, 8, 318_713)
        .0
}

#[test]
fn arm_stat64_reads_the_eabi_layout() {
    std::env::set_var("TZ", "UTC");
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/etc/os-release\0");
    mem.map(0x2000, &arm_stat64());
    assert_eq!(
        line(
            &mem,
            4,
            "stat64",
            [0x1000, 0x2000, 0, 0, 0, 0],
            0,
            default()
        ),
        r#"stat64("/etc/os-release", {st_mode=S_IFREG|0644, st_size=267, ...}) = 0"#
    );
    assert_eq!(
        line(
            &mem,
            4,
            "fstatat64",
            [0xffff_ff9c, 0x1000, 0x2000, 0x100, 0, 0],
            0,
            verbose()
        ),
        "fstatat64(AT_FDCWD, \"/etc/os-release\", {st_dev=makedev(0xfe, 0), st_ino=318713, \
         st_mode=S_IFREG|0644, st_nlink=1, st_uid=0, st_gid=0, st_blksize=4096, st_blocks=8, \
         st_size=267, st_atime=1700000000 /* 2023-11-14T22:13:20.123456789+0000 */, \
         st_atime_nsec=123456789, st_mtime=1746802200 /* 2025-05-09T14:50:00+0000 */, \
         st_mtime_nsec=0, st_ctime=1746802200 /* 2025-05-09T14:50:00+0000 */, st_ctime_nsec=0}, \
         AT_SYMLINK_NOFOLLOW) = 0"
    );
    assert_eq!(
        line(&mem, 4, "fstat64", [3, 0x2000, 0, 0, 0, 0], -14, default()),
        "fstat64(3, 0x2000) = -1 EFAULT (Bad address)"
    );
}

#[test]
fn arm_old_stat_and_a_device() {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/dev/null\0");
    let old = Bytes::new(64).put(8, 2, 0o20666).put(16, 4, 0x103).0;
    mem.map(0x2000, &old);
    assert_eq!(
        line(&mem, 4, "stat", [0x1000, 0x2000, 0, 0, 0, 0], 0, default()),
        r#"stat("/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0"#
    );
}

#[test]
fn arm_statfs64_has_its_size_argument_and_packed_counts() {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/proc\0");
    let buf = Bytes::new(84)
        .put(0, 4, 0x9fa0)
        .put(4, 4, 4096)
        .put(8, 8, 10)
        .put(16, 8, 9)
        .put(24, 8, 8)
        .put(32, 8, 7)
        .put(40, 8, 6)
        .put(48, 4, 0x15)
        .put(56, 4, 255)
        .put(60, 4, 4096)
        .put(64, 4, 0x1020)
        .0;
    mem.map(0x2000, &buf);
    assert_eq!(
        line(
            &mem,
            4,
            "statfs64",
            [0x1000, 84, 0x2000, 0, 0, 0],
            0,
            default()
        ),
        "statfs64(\"/proc\", 84, {f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=10, \
         f_bfree=9, f_bavail=8, f_files=7, f_ffree=6, f_fsid={val=[0x15, 0]}, f_namelen=255, \
         f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}) = 0"
    );
}

#[test]
fn fcntl_locks_in_both_word_sizes() {
    let mut mem = FakeTracee::new();
    // 32-bit `struct flock`: type, whence, then three 32-bit words.
    mem.map(
        0x1000,
        &Bytes::new(16)
            .put(0, 2, 1)
            .put(4, 4, 0)
            .put(8, 4, 10)
            .put(12, 4, 77)
            .0,
    );
    // `struct flock64`: 64-bit start and length from offset 8.
    mem.map(
        0x2000,
        &Bytes::new(32)
            .put(0, 2, 0)
            .put(8, 8, 5)
            .put(16, 8, 0)
            .put(24, 4, 0)
            .0,
    );
    assert_eq!(
        line(&mem, 4, "fcntl64", [3, 6, 0x1000, 0, 0, 0], 0, default()),
        "fcntl64(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0"
    );
    assert_eq!(
        line(&mem, 4, "fcntl64", [3, 5, 0x1000, 0, 0, 0], 0, default()),
        "fcntl64(3, F_GETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10, l_pid=77}) = 0"
    );
    assert_eq!(
        line(&mem, 4, "fcntl64", [3, 13, 0x2000, 0, 0, 0], 0, default()),
        "fcntl64(3, F_SETLK64, {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=5, l_len=0}) = 0"
    );
    assert_eq!(
        line(&mem, 8, "fcntl", [3, 37, 0x2000, 0, 0, 0], 0, default()),
        "fcntl(3, F_OFD_SETLK, {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=5, l_len=0}) = 0"
    );
    assert_eq!(
        line(&mem, 8, "fcntl", [3, 3, 0, 0, 0, 0], 0o100002, default()),
        "fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)"
    );
    assert_eq!(
        line(&mem, 8, "fcntl", [3, 1030, 20, 0, 0, 0], 20, default()),
        "fcntl(3, F_DUPFD_CLOEXEC, 20) = 20"
    );
}

#[test]
fn llseek_and_split_lengths_join_their_halves() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &(0x1_0000_1000u64).to_le_bytes());
    assert_eq!(
        line(
            &mem,
            4,
            "_llseek",
            [3, 1, 0x1000, 0x1000, 0, 0],
            0,
            default()
        ),
        "_llseek(3, 4294971392, [4294971392], SEEK_SET) = 0"
    );
    assert_eq!(
        line(&mem, 4, "_llseek", [3, 0, 5, 0x1000, 9, 0], -22, default()),
        "_llseek(3, 5, 0x1000, 0x9 /* SEEK_??? */) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(&mem, 4, "ftruncate64", [3, 0, 4096, 1, 0, 0], 0, default()),
        "ftruncate64(3, 4294971392) = 0"
    );
}

#[test]
fn readv_on_a_32_bit_tracee_shows_what_was_read() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, b"hello world");
    let mut iov = Vec::new();
    for (base, len) in [(0x1000u32, 5u32), (0x1005, 6)] {
        iov.extend_from_slice(&base.to_le_bytes());
        iov.extend_from_slice(&len.to_le_bytes());
    }
    mem.map(0x2000, &iov);
    assert_eq!(
        line(&mem, 4, "readv", [3, 0x2000, 2, 0, 0, 0], 7, default()),
        r#"readv(3, [{iov_base="hello", iov_len=5}, {iov_base=" w", iov_len=6}], 2) = 7"#
    );
    assert_eq!(
        line(&mem, 4, "preadv2", [3, 0x2000, 1, 2, 1, 8], 5, default()),
        r#"preadv2(3, [{iov_base="hello", iov_len=5}], 1, 4294967298, RWF_NOWAIT) = 5"#
    );
}

#[test]
fn getdents64_counts_or_lists_entries() {
    let mut mem = FakeTracee::new();
    let mut buf = Vec::new();
    for (ino, off, kind, name) in [(2u64, 1i64, 4u8, "."), (5, 2, 8, "file")] {
        let reclen = 24u16;
        let mut rec = vec![0u8; reclen as usize];
        rec[0..8].copy_from_slice(&ino.to_le_bytes());
        rec[8..16].copy_from_slice(&off.to_le_bytes());
        rec[16..18].copy_from_slice(&reclen.to_le_bytes());
        rec[18] = kind;
        rec[19..19 + name.len()].copy_from_slice(name.as_bytes());
        buf.extend_from_slice(&rec);
    }
    mem.map(0x5000, &buf);
    assert_eq!(
        line(
            &mem,
            8,
            "getdents64",
            [3, 0x5000, 32768, 0, 0, 0],
            48,
            default()
        ),
        "getdents64(3, 0x5000 /* 2 entries */, 32768) = 48"
    );
    assert_eq!(
        line(
            &mem,
            8,
            "getdents64",
            [3, 0x5000, 32768, 0, 0, 0],
            48,
            verbose()
        ),
        "getdents64(3, [{d_ino=2, d_off=1, d_reclen=24, d_type=DT_DIR, d_name=\".\"}, \
         {d_ino=5, d_off=2, d_reclen=24, d_type=DT_REG, d_name=\"file\"}], 32768) = 48"
    );
}

#[test]
fn unknown_and_known_ioctls() {
    let mem = FakeTracee::new();
    assert_eq!(
        line(&mem, 8, "ioctl", [5, 0x8004_7842, 0x7ffc_0000_0000, 0, 0, 0], -25, default()),
        "ioctl(5, _IOC(_IOC_READ, 0x78, 0x42, 0x4), 0x7ffc00000000) = -1 ENOTTY (Inappropriate ioctl for device)"
    );
    assert_eq!(
        line(
            &mem,
            8,
            "ioctl",
            [1, 0x5401, 0x7ffc_0000_0000, 0, 0, 0],
            -25,
            default()
        ),
        "ioctl(1, TCGETS, 0x7ffc00000000) = -1 ENOTTY (Inappropriate ioctl for device)"
    );
    assert_eq!(
        line(
            &mem,
            8,
            "ioctl",
            [4, 0x4004_9409, 3, 0, 0, 0],
            -95,
            default()
        ),
        "ioctl(4, BTRFS_IOC_CLONE or FICLONE, 3) = -1 EOPNOTSUPP (Operation not supported)"
    );
}

#[test]
fn arm_open_flags_use_arms_bit_values() {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/etc/hostname\0");
    // ARM: O_LARGEFILE 0400000, O_DIRECTORY 040000 (x86 would call them O_NOFOLLOW, O_DIRECT).
    assert_eq!(
        line(
            &mem,
            4,
            "openat",
            [0xffff_ff9c, 0x1000, 0o2440000, 0, 0, 0],
            3,
            default()
        ),
        r#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_LARGEFILE|O_CLOEXEC|O_DIRECTORY) = 3"#
    );
    assert_eq!(
        line(
            &mem,
            8,
            "openat",
            [0xffff_ff9c, 0x1000, 0o2440000, 0, 0, 0],
            3,
            default()
        ),
        r#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_DIRECT|O_NOFOLLOW|O_CLOEXEC) = 3"#
    );
}

/// getcwd's path is the bytes the call returned (its NUL included), as strace reads
/// them: a buffer changed after the kernel filled it (strace's `poke_exit=`) shows
/// only that many.
#[test]
fn getcwd_shows_as_many_bytes_as_it_returned() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, b"/xyz\0");
    let args = [0x1000, 32, 0, 0, 0, 0];
    assert_eq!(
        line(&mem, 8, "getcwd", args, 5, default()),
        "getcwd(\"/xyz\", 32) = 5"
    );
    assert_eq!(
        line(&mem, 8, "getcwd", args, 2, default()),
        "getcwd(\"/\"..., 32) = 2"
    );
}
