//! The fs plugin's output, rendered by rtrace-render, against lines strace 6.1 printed
//! for the same calls (the column padding before ` = ` is the line layout's business).

mod common;

use rtrace_decode::DecoderRegistry;
use rtrace_plugin_testing::{loaded_line, FakeTracee, X86_64};

/// Decodes and renders one call as `name(args) = ret`.
fn line(
    registry: &DecoderRegistry,
    mem: &FakeTracee,
    name: &str,
    args: [u64; 6],
    ret: i64,
) -> String {
    loaded_line(registry, X86_64, mem, name, 0, args, ret).unwrap_or_else(|e| panic!("{e}"))
}

const AT_FDCWD: u64 = -100i64 as u64;

#[test]
fn fs_calls_print_as_strace_does() {
    let mut registry = DecoderRegistry::new();
    registry.load(&common::fs_plugin()).unwrap();
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/etc/ld.so.cache")
        .map_str(0x1100, "/etc/ld.so.preload")
        .map_str(0x1200, "/tmp/st/x.txt")
        .map_str(0x1300, "/tmp/st/d2")
        .map_str(0x1400, "/nonexist")
        .map_str(0x1500, "x")
        .map_str(0x1600, "/tmp")
        .map(0x3000, b"hello\n")
        .map(0x3100, b"hello\n\x001\t\"x\x00")
        .map(0x3200, b"llo");
    let mut elf =
        b"\x7fELF\x02\x01\x01\x03\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\x10t\x02\0\0\0\0\0".to_vec();
    elf.resize(832, 1);
    mem.map(0x2000, &elf);

    let cases: &[(&str, [u64; 6], i64, &str)] = &[
        (
            "openat",
            [AT_FDCWD, 0x1000, 0o2000000, 0, 0, 0],
            3,
            r#"openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3"#,
        ),
        (
            "read",
            [3, 0x2000, 832, 0, 0, 0],
            832,
            r#"read(3, "\177ELF\2\1\1\3\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\20t\2\0\0\0\0\0"..., 832) = 832"#,
        ),
        (
            "write",
            [1, 0x3000, 6, 0, 0, 0],
            6,
            r#"write(1, "hello\n", 6) = 6"#,
        ),
        ("close", [3, 0, 0, 0, 0, 0], 0, "close(3) = 0"),
        (
            "access",
            [0x1100, 4, 0, 0, 0, 0],
            -2,
            r#"access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)"#,
        ),
        (
            "openat",
            [AT_FDCWD, 0x1200, 0o1101, 0o644, 0, 0],
            3,
            r#"openat(AT_FDCWD, "/tmp/st/x.txt", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3"#,
        ),
        (
            "write",
            [3, 0x3100, 12, 0, 0, 0],
            12,
            r#"write(3, "hello\n\0001\t\"x\0", 12) = 12"#,
        ),
        (
            "lseek",
            [3, -3i64 as u64, 2, 0, 0, 0],
            9,
            "lseek(3, -3, SEEK_END) = 9",
        ),
        (
            "lseek",
            [3, 3, 7, 0, 0, 0],
            -22,
            "lseek(3, 3, 0x7 /* SEEK_??? */) = -1 EINVAL (Invalid argument)",
        ),
        (
            "read",
            [99, 0x7ffc1a145890, 5, 0, 0, 0],
            -9,
            "read(99, 0x7ffc1a145890, 5) = -1 EBADF (Bad file descriptor)",
        ),
        (
            "read",
            [0x100000005, 0, 0, 0, 0, 0],
            -9,
            "read(5, NULL, 0) = -1 EBADF (Bad file descriptor)",
        ),
        (
            "read",
            [4, 0x3000, 10, 0, 0, 0],
            0,
            r#"read(4, "", 10) = 0"#,
        ),
        (
            "pread64",
            [4, 0x3200, 3, 2, 0, 0],
            3,
            r#"pread64(4, "llo", 3, 2) = 3"#,
        ),
        (
            "mkdir",
            [0x1300, 0, 0, 0, 0, 0],
            0,
            r#"mkdir("/tmp/st/d2", 000) = 0"#,
        ),
        (
            "openat",
            [AT_FDCWD, 0x1400, 0o103, 0, 0, 0],
            3,
            r#"openat(AT_FDCWD, "/nonexist", O_ACCMODE|O_CREAT, 000) = 3"#,
        ),
        (
            "openat",
            [AT_FDCWD, 0x1600, 0o20200002, 0o600, 0, 0],
            8,
            r#"openat(AT_FDCWD, "/tmp", O_RDWR|O_TMPFILE, 0600) = 8"#,
        ),
        ("dup3", [4, 12, 0, 0, 0, 0], 12, "dup3(4, 12, 0) = 12"),
        (
            "faccessat2",
            [3, 0x1500, 2, 0x300, 0, 0],
            -20,
            r#"faccessat2(3, "x", W_OK, AT_SYMLINK_NOFOLLOW|AT_EACCESS) = -1 ENOTDIR (Not a directory)"#,
        ),
        (
            "write",
            [1, 0x10, 4, 0, 0, 0],
            -14,
            "write(1, 0x10, 4) = -1 EFAULT (Bad address)",
        ),
        (
            "write",
            [1, 0x3000, 0, 0, 0, 0],
            0,
            r#"write(1, "", 0) = 0"#,
        ),
        (
            "close",
            [u64::MAX, 0, 0, 0, 0, 0],
            -9,
            "close(-1) = -1 EBADF (Bad file descriptor)",
        ),
    ];
    let mut failures = Vec::new();
    for (name, args, ret, want) in cases {
        let got = line(&registry, &mem, name, *args, *ret);
        if got != *want {
            failures.push(format!("want {want}\n got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
