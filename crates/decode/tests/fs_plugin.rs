//! The bundled fs plugin, loaded as a shared library and driven with a fake tracee.

mod common;

use rtrace_decode::{
    DecodeOptions, DecodeStatus, Decoded, DecoderRegistry, Emitter, HostBinding, Phase,
};
use rtrace_plugin_testing::FakeTracee;

struct Traced {
    entry: String,
    status: DecodeStatus,
    exit: String,
}

/// Decodes one call with the fs plugin: entry, then exit with `retval`.
fn trace(
    mem: &FakeTracee,
    name: &str,
    args: [u64; 6],
    retval: i64,
    options: DecodeOptions,
) -> Traced {
    let mut registry = DecoderRegistry::new();
    registry.load(&common::fs_plugin()).unwrap();
    let decoder = registry
        .decoder_for(name)
        .unwrap_or_else(|| panic!("fs has no {name}"));
    let binding = HostBinding::new(mem, 42, 8, false);
    let mut ctx = binding.call_context(name, 0, args, options);
    let mut em = Emitter::default();
    let status = registry.decode(decoder, Phase::Entry, &mut ctx, &mut em);
    let entry = common::dump(&em);
    ctx.retval = retval;
    ctx.is_error = (-4095..0).contains(&retval);
    registry.decode(decoder, Phase::Exit, &mut ctx, &mut em);
    Traced {
        entry,
        status,
        exit: common::dump(&em),
    }
}

const AT_FDCWD: u64 = -100i64 as u64;

#[test]
fn openat_shows_dirfd_path_and_access_mode() {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/etc/ld.so.cache");
    let t = trace(
        &mem,
        "openat",
        [AT_FDCWD, 0x1000, 0o2000000, 0, 0, 0],
        3,
        DecodeOptions::default(),
    );
    assert_eq!(
        t.entry,
        r#"AT_FDCWD Path("/etc/ld.so.cache") Flags[O_RDONLY O_CLOEXEC]"#
    );
    assert_eq!(t.status, DecodeStatus::Complete);
    assert_eq!(t.exit, "");
}

#[test]
fn openat_shows_mode_only_when_creating() {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/tmp/x");
    let creat = 0o1 | 0o100 | 0o1000; // O_WRONLY|O_CREAT|O_TRUNC
    let t = trace(
        &mem,
        "openat",
        [3, 0x1000, creat, 0o644, 0, 0],
        4,
        DecodeOptions::default(),
    );
    assert_eq!(
        t.entry,
        r#"Fd(3) Path("/tmp/x") Flags[O_WRONLY O_CREAT O_TRUNC] Octal(644)"#
    );
    // O_TMPFILE swallows O_DIRECTORY; unknown bits are appended in hex.
    let t = trace(
        &mem,
        "openat",
        [AT_FDCWD, 0x1000, 0o20200002 | 0x40000000, 0o600, 0, 0],
        5,
        DecodeOptions::default(),
    );
    assert_eq!(
        t.entry,
        r#"AT_FDCWD Path("/tmp/x") Flags[O_RDWR O_TMPFILE Hex(0x40000000)] Octal(600)"#
    );
}

#[test]
fn read_prints_the_buffer_at_exit_up_to_the_limit() {
    let mut mem = FakeTracee::new();
    let mut elf = b"\x7fELF\x02\x01\x01\x03".to_vec();
    elf.resize(832, 0);
    mem.map(0x2000, &elf);
    let t = trace(
        &mem,
        "read",
        [3, 0x2000, 832, 0, 0, 0],
        832,
        DecodeOptions::default(),
    );
    assert_eq!(t.entry, "Fd(3)");
    assert_eq!(t.status, DecodeStatus::MoreAtExit);
    let shown = &elf[..32];
    assert_eq!(
        t.exit,
        format!("Str(\"{}\"...) Uint(832)", shown.escape_ascii())
    );
    // A short read shows what was read, untruncated.
    let t = trace(
        &mem,
        "read",
        [3, 0x2000, 832, 0, 0, 0],
        4,
        DecodeOptions::default(),
    );
    assert_eq!(t.exit, r#"Str("\x7fELF") Uint(832)"#);
}

#[test]
fn failed_read_shows_the_buffer_address() {
    let mem = FakeTracee::new();
    let t = trace(
        &mem,
        "read",
        [99, 0x7ffc1a145890, 5, 0, 0, 0],
        -9,
        DecodeOptions::default(),
    );
    assert_eq!(t.exit, "Ptr(0x7ffc1a145890) Uint(5)");
}

#[test]
fn unmapped_buffer_shows_the_address() {
    let mem = FakeTracee::new();
    let t = trace(
        &mem,
        "write",
        [1, 0x10, 4, 0, 0, 0],
        -14,
        DecodeOptions::default(),
    );
    assert_eq!(t.entry, "Fd(1) Ptr(0x10) Uint(4)");
    // A path the tracee cannot read is shown as its address too.
    let t = trace(
        &mem,
        "unlink",
        [0xdead000, 0, 0, 0, 0, 0],
        -14,
        DecodeOptions::default(),
    );
    assert_eq!(t.entry, "Ptr(0xdead000)");
}

#[test]
fn write_prints_the_buffer_at_entry() {
    let mut mem = FakeTracee::new();
    mem.map(0x3000, b"hello\n");
    let t = trace(
        &mem,
        "write",
        [1, 0x3000, 6, 0, 0, 0],
        6,
        DecodeOptions::default(),
    );
    assert_eq!(t.entry, r#"Fd(1) Str("hello\n") Uint(6)"#);
    assert_eq!(t.status, DecodeStatus::Complete);
}

#[test]
fn string_limit_applies_to_buffers_but_not_paths() {
    let mut mem = FakeTracee::new();
    let long = "/a".repeat(40);
    mem.map_str(0x1000, &long);
    mem.map(0x3000, b"hello\n");
    let opts = DecodeOptions {
        string_limit: 3,
        ..DecodeOptions::default()
    };
    let t = trace(&mem, "write", [1, 0x3000, 6, 0, 0, 0], 6, opts);
    assert_eq!(t.entry, r#"Fd(1) Str("hel"...) Uint(6)"#);
    let t = trace(&mem, "mkdir", [0x1000, 0o755, 0, 0, 0, 0], 0, opts);
    assert_eq!(t.entry, format!("Path(\"{long}\") Octal(755)"));
}

#[test]
fn small_calls_match_strace() {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/etc/ld.so.preload");
    let d = DecodeOptions::default();
    let cases: &[(&str, [u64; 6], &str)] = &[
        ("close", [3, 0, 0, 0, 0, 0], "Fd(3)"),
        ("close", [u64::MAX, 0, 0, 0, 0, 0], "Fd(-1)"),
        (
            "access",
            [0x1000, 4, 0, 0, 0, 0],
            r#"Path("/etc/ld.so.preload") Flags[R_OK]"#,
        ),
        (
            "access",
            [0x1000, 0, 0, 0, 0, 0],
            r#"Path("/etc/ld.so.preload") Flags[F_OK]"#,
        ),
        (
            "access",
            [0x1000, 0xff, 0, 0, 0, 0],
            r#"Path("/etc/ld.so.preload") Flags[R_OK W_OK X_OK Hex(0xf8)]"#,
        ),
        (
            "faccessat2",
            [AT_FDCWD, 0x1000, 4, 0, 0, 0],
            r#"AT_FDCWD Path("/etc/ld.so.preload") Flags[R_OK] Flags[Hex(0x0)]"#,
        ),
        (
            "lseek",
            [3, -3i64 as u64, 2, 0, 0, 0],
            "Fd(3) Int(-3) SEEK_END",
        ),
        (
            "lseek",
            [3, 3, 7, 0, 0, 0],
            "Fd(3) Int(3) Text(0x7 /* SEEK_??? */)",
        ),
        ("dup2", [4, 10, 0, 0, 0, 0], "Fd(4) Fd(10)"),
        (
            "dup3",
            [4, 11, 0o2000000, 0, 0, 0],
            "Fd(4) Fd(11) Flags[O_CLOEXEC]",
        ),
        ("dup3", [4, 12, 0, 0, 0, 0], "Fd(4) Fd(12) Flags[Hex(0x0)]"),
        (
            "creat",
            [0x1000, 0o600, 0, 0, 0, 0],
            r#"Path("/etc/ld.so.preload") Octal(600)"#,
        ),
    ];
    for (name, args, want) in cases {
        assert_eq!(
            trace(&mem, name, *args, 0, d).entry,
            *want,
            "{name}{args:?}"
        );
    }
}

#[test]
fn pread64_buffer_then_count_and_offset() {
    let mut mem = FakeTracee::new();
    mem.map(0x2000, b"llo");
    let t = trace(
        &mem,
        "pread64",
        [4, 0x2000, 3, 2, 0, 0],
        3,
        DecodeOptions::default(),
    );
    assert_eq!(
        (t.entry.as_str(), t.exit.as_str()),
        ("Fd(4)", r#"Str("llo") Uint(3) Int(2)"#)
    );
}

#[test]
fn syscalls_without_decoder_fall_back_to_raw() {
    let mut registry = DecoderRegistry::new();
    registry.load(&common::fs_plugin()).unwrap();
    let mem = FakeTracee::new();
    let binding = HostBinding::new(&mem, 1, 8, false);
    let mut ctx = binding.call_context(
        "getpid",
        39,
        [0, 0x10, 0, 0, 0, 0],
        DecodeOptions::default(),
    );
    let mut em = Emitter::default();
    let decoder = registry.decoder_for("getpid");
    assert!(decoder.is_none());
    let result = registry.decode_or_raw(decoder, Phase::Entry, &mut ctx, &mut em, 2);
    assert_eq!(result, Decoded::Raw(rtrace_decode::RawReason::NoDecoder));
    assert_eq!(common::dump(&em), "Hex(0x0) Hex(0x10)");
}
