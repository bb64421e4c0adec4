//! One table of syscalls decoded by every bundled plugin for both architectures rtrace
//! traces: x86_64 (8-byte words) and 32-bit ARM EABI (4-byte words). Each case is what
//! strace 6.1 prints on x86_64; the ARM column says only what strace prints differently
//! there (the syscall's name, how the arguments sit in registers, the memory layout, the
//! text). Everything else is shared, so a plugin that gets 32-bit words wrong fails here.
//!
//! The arguments go through each architecture's own `RegisterAbi::record` (ARM keeps the
//! low 32 bits of each register, as the engine does) and the names through its syscall
//! table, so an ARM name that ARM does not have fails too.

mod common;

use rtrace_arch::RegisterAbi;
use rtrace_decode::DecoderRegistry;
use rtrace_plugin_testing::{loaded_line, Arch, FakeTracee, ARM, X86_64};

/// Tracee memory: bytes, or numbers laid out in the tracee's own widths.
#[derive(Clone, Copy)]
enum Data {
    /// A C string (its NUL is added).
    Str(&'static str),
    Bytes(&'static [u8]),
    /// `long`s: 8 bytes on x86_64, 4 on ARM (pointers, time_t of the old calls, rlim_t).
    Words(&'static [i64]),
    Ints(&'static [i32]),
    /// `(offset, width, value)` fields of a structure whose layout differs by more than
    /// the word size (struct stat).
    Fields(&'static [(usize, usize, u64)]),
}

type Memory = &'static [(u64, Data)];

/// One syscall as strace shows it on x86_64.
struct Case {
    name: &'static str,
    args: &'static [i64],
    memory: Memory,
    ret: i64,
    want: &'static str,
    arm: ArmDiff,
}

/// What ARM does differently, field by field; None is "as on x86_64".
struct ArmDiff {
    name: Option<&'static str>,
    args: Option<&'static [i64]>,
    memory: Option<Memory>,
    ret: Option<i64>,
    want: Option<&'static str>,
}

const SAME: ArmDiff = ArmDiff {
    name: None,
    args: None,
    memory: None,
    ret: None,
    want: None,
};

const AT_FDCWD: i64 = -100;
const EBADF: i64 = -9;
const ENOENT: i64 = -2;

/// A regular file's struct stat with st_mode 0100644 and st_size 11: x86_64's `stat`
/// (st_mode at 24, st_size at 48) and ARM's `stat64` (st_mode at 16, st_size at 48).
const STAT_X86_64: &[(usize, usize, u64)] = &[(24, 4, 0o100644), (48, 8, 11), (143, 1, 0)];
const STAT64_ARM: &[(usize, usize, u64)] = &[(16, 4, 0o100644), (48, 8, 11), (103, 1, 0)];

const CASES: &[Case] = &[
    // fs: strings, fds, open flags (ARM's O_DIRECTORY and O_LARGEFILE have other bits).
    Case {
        name: "openat",
        args: &[AT_FDCWD, 0x1000, 0o2000000],
        memory: &[(0x1000, Data::Str("/etc/hostname"))],
        ret: 3,
        want: r#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3"#,
        arm: SAME,
    },
    Case {
        name: "openat",
        args: &[AT_FDCWD, 0x1000, 0o2204000],
        memory: &[(0x1000, Data::Str("/tmp"))],
        ret: 4,
        want: r#"openat(AT_FDCWD, "/tmp", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 4"#,
        arm: ArmDiff {
            args: Some(&[AT_FDCWD, 0x1000, 0o2444000]),
            want: Some(
                r#"openat(AT_FDCWD, "/tmp", O_RDONLY|O_NONBLOCK|O_LARGEFILE|O_CLOEXEC|O_DIRECTORY) = 4"#,
            ),
            ..SAME
        },
    },
    Case {
        name: "read",
        args: &[3, 0x2000, 64],
        memory: &[(0x2000, Data::Bytes(b"rtrace-arm\n"))],
        ret: 11,
        want: r#"read(3, "rtrace-arm\n", 64) = 11"#,
        arm: SAME,
    },
    Case {
        name: "write",
        args: &[1, 0x2000, 6],
        memory: &[(0x2000, Data::Bytes(b"hello\n"))],
        ret: 6,
        want: r#"write(1, "hello\n", 6) = 6"#,
        arm: SAME,
    },
    Case {
        name: "close",
        args: &[-1],
        memory: &[],
        ret: EBADF,
        want: "close(-1) = -1 EBADF (Bad file descriptor)",
        arm: SAME,
    },
    Case {
        name: "access",
        args: &[0x1000, 4],
        memory: &[(0x1000, Data::Str("/etc/ld.so.preload"))],
        ret: ENOENT,
        want: r#"access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)"#,
        arm: SAME,
    },
    // A 64-bit offset: one register on x86_64, a high/low pair and a result pointer on ARM.
    Case {
        name: "lseek",
        args: &[3, -3, 2],
        memory: &[],
        ret: 9,
        want: "lseek(3, -3, SEEK_END) = 9",
        arm: ArmDiff {
            name: Some("_llseek"),
            args: Some(&[3, -1, -3, 0x3000, 2]),
            memory: Some(&[(0x3000, Data::Fields(&[(0, 8, 9)]))]),
            ret: Some(0),
            want: Some("_llseek(3, -3, [9], SEEK_END) = 0"),
        },
    },
    // ARM EABI passes a 64-bit argument in an even register pair: r3 is padding.
    Case {
        name: "pread64",
        args: &[4, 0x2000, 3, 2],
        memory: &[(0x2000, Data::Bytes(b"llo"))],
        ret: 3,
        want: r#"pread64(4, "llo", 3, 2) = 3"#,
        arm: ArmDiff {
            args: Some(&[4, 0x2000, 3, 0, 2, 0]),
            ..SAME
        },
    },
    Case {
        name: "fstat",
        args: &[3, 0x4000],
        memory: &[(0x4000, Data::Fields(STAT_X86_64))],
        ret: 0,
        want: "fstat(3, {st_mode=S_IFREG|0644, st_size=11, ...}) = 0",
        arm: ArmDiff {
            name: Some("fstat64"),
            memory: Some(&[(0x4000, Data::Fields(STAT64_ARM))]),
            want: Some("fstat64(3, {st_mode=S_IFREG|0644, st_size=11, ...}) = 0"),
            ..SAME
        },
    },
    Case {
        name: "newfstatat",
        args: &[AT_FDCWD, 0x1000, 0x4000, 0],
        memory: &[
            (0x1000, Data::Str("/etc/hostname")),
            (0x4000, Data::Fields(STAT_X86_64)),
        ],
        ret: 0,
        want: r#"newfstatat(AT_FDCWD, "/etc/hostname", {st_mode=S_IFREG|0644, st_size=11, ...}, 0) = 0"#,
        arm: ArmDiff {
            name: Some("fstatat64"),
            memory: Some(&[
                (0x1000, Data::Str("/etc/hostname")),
                (0x4000, Data::Fields(STAT64_ARM)),
            ]),
            want: Some(
                r#"fstatat64(AT_FDCWD, "/etc/hostname", {st_mode=S_IFREG|0644, st_size=11, ...}, 0) = 0"#,
            ),
            ..SAME
        },
    },
    // The kernel reports O_LARGEFILE in F_GETFL's result, whose bit differs on ARM.
    Case {
        name: "fcntl",
        args: &[3, 3],
        memory: &[],
        ret: 0x8002,
        want: "fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)",
        arm: ArmDiff {
            name: Some("fcntl64"),
            ret: Some(0x20002),
            want: Some("fcntl64(3, F_GETFL) = 0x20002 (flags O_RDWR|O_LARGEFILE)"),
            ..SAME
        },
    },
    Case {
        name: "ftruncate",
        args: &[3, 4096],
        memory: &[],
        ret: 0,
        want: "ftruncate(3, 4096) = 0",
        arm: ArmDiff {
            name: Some("ftruncate64"),
            args: Some(&[3, 0, 4096, 0]),
            want: Some("ftruncate64(3, 4096) = 0"),
            ..SAME
        },
    },
    Case {
        name: "pipe2",
        args: &[0x5000, 0o2000000],
        memory: &[(0x5000, Data::Ints(&[3, 4]))],
        ret: 0,
        want: "pipe2([3, 4], O_CLOEXEC) = 0",
        arm: SAME,
    },
    // mem: addresses are 32-bit numbers on ARM, never sign-extended; mmap2 counts pages.
    Case {
        name: "mmap",
        args: &[0, 8192, 3, 0x22, -1, 0],
        memory: &[],
        ret: 0x7f03d492b000,
        want: "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f03d492b000",
        arm: ArmDiff {
            name: Some("mmap2"),
            ret: Some(0xb6f35000),
            want: Some(
                "mmap2(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xb6f35000",
            ),
            ..SAME
        },
    },
    Case {
        name: "mmap",
        args: &[0x7f46d6f22000, 1400832, 5, 0x812, 3, 0x26000],
        memory: &[],
        ret: 0x7f46d6f22000,
        want: "mmap(0x7f46d6f22000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7f46d6f22000",
        arm: ArmDiff {
            name: Some("mmap2"),
            args: Some(&[0xb6d22000, 1400832, 5, 0x812, 3, 0x26]),
            ret: Some(0xb6d22000),
            want: Some(
                "mmap2(0xb6d22000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0xb6d22000",
            ),
            ..SAME
        },
    },
    Case {
        name: "munmap",
        args: &[0x7f03d492b000, 8192],
        memory: &[],
        ret: 0,
        want: "munmap(0x7f03d492b000, 8192) = 0",
        arm: ArmDiff {
            args: Some(&[0xb6f35000, 8192]),
            want: Some("munmap(0xb6f35000, 8192) = 0"),
            ..SAME
        },
    },
    Case {
        name: "brk",
        args: &[0],
        memory: &[],
        ret: 0x55a509e42000,
        want: "brk(NULL) = 0x55a509e42000",
        arm: ArmDiff {
            ret: Some(0x1a4000),
            want: Some("brk(NULL) = 0x1a4000"),
            ..SAME
        },
    },
    // process: pid -1 in a 32-bit register, ids through the 32-bit-id calls, clone's
    // argument order (tls and child_tidptr swap places on ARM), rlimits in words.
    Case {
        name: "wait4",
        args: &[-1, 0x6000, 0, 0],
        memory: &[(0x6000, Data::Ints(&[0x300]))],
        ret: 1234,
        want: "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1234",
        arm: SAME,
    },
    Case {
        name: "getuid",
        args: &[],
        memory: &[],
        ret: 1000,
        want: "getuid() = 1000",
        arm: ArmDiff {
            name: Some("getuid32"),
            want: Some("getuid32() = 1000"),
            ..SAME
        },
    },
    Case {
        name: "kill",
        args: &[1234, 10],
        memory: &[],
        ret: 0,
        want: "kill(1234, SIGUSR1) = 0",
        arm: SAME,
    },
    Case {
        name: "clone",
        args: &[0x01200011, 0, 0, 0x10a10, 0],
        memory: &[],
        ret: 1234,
        want: "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x10a10) = 1234",
        arm: ArmDiff {
            args: Some(&[0x01200011, 0, 0, 0, 0x10a10]),
            ..SAME
        },
    },
    Case {
        name: "getrlimit",
        args: &[7, 0x7000],
        memory: &[(0x7000, Data::Words(&[1024, -1]))],
        ret: 0,
        want: "getrlimit(RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=RLIM64_INFINITY}) = 0",
        arm: ArmDiff {
            name: Some("ugetrlimit"),
            want: Some("ugetrlimit(RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=RLIM_INFINITY}) = 0"),
            ..SAME
        },
    },
    // signal: struct sigaction is four longs on x86_64, three words and a mask on ARM.
    Case {
        name: "rt_sigaction",
        args: &[10, 0x8000, 0, 8],
        memory: &[(0x8000, Data::Words(&[0x4010a0, 0x14000000, 0x401100, 0]))],
        ret: 0,
        want: "rt_sigaction(SIGUSR1, {sa_handler=0x4010a0, sa_mask=[], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x401100}, NULL, 8) = 0",
        arm: ArmDiff {
            memory: Some(&[(0x8000, Data::Ints(&[0x4010a0, 0x14000000, 0x401100, 0, 0]))]),
            ..SAME
        },
    },
    Case {
        name: "rt_sigprocmask",
        args: &[0, 0x8000, 0x8100, 8],
        memory: &[
            (0x8000, Data::Fields(&[(0, 8, 1 << 16)])),
            (0x8100, Data::Fields(&[(0, 8, 0)])),
        ],
        ret: 0,
        want: "rt_sigprocmask(SIG_BLOCK, [CHLD], [], 8) = 0",
        arm: SAME,
    },
    // time: the old calls' timespec is two longs.
    Case {
        name: "clock_gettime",
        args: &[1, 0x9000],
        memory: &[(0x9000, Data::Words(&[12345, 678]))],
        ret: 0,
        want: "clock_gettime(CLOCK_MONOTONIC, {tv_sec=12345, tv_nsec=678}) = 0",
        arm: SAME,
    },
    Case {
        name: "nanosleep",
        args: &[0x9000, 0],
        memory: &[(0x9000, Data::Words(&[0, 1000000]))],
        ret: 0,
        want: "nanosleep({tv_sec=0, tv_nsec=1000000}, NULL) = 0",
        arm: SAME,
    },
    // net and ipc.
    Case {
        name: "socket",
        args: &[1, 0o2000001, 0],
        memory: &[],
        ret: 3,
        want: "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3",
        arm: SAME,
    },
    Case {
        name: "socketpair",
        args: &[1, 1, 0, 0x5000],
        memory: &[(0x5000, Data::Ints(&[3, 4]))],
        ret: 0,
        want: "socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0",
        arm: SAME,
    },
    Case {
        name: "connect",
        args: &[3, 0xa000, 9],
        memory: &[(0xa000, Data::Bytes(b"\x01\x00/tmp/s\0"))],
        ret: ENOENT,
        want: r#"connect(3, {sa_family=AF_UNIX, sun_path="/tmp/s"}, 9) = -1 ENOENT (No such file or directory)"#,
        arm: SAME,
    },
    Case {
        name: "poll",
        args: &[0xb000, 1, 0],
        memory: &[(0xb000, Data::Ints(&[3, 0x0001_0001]))],
        ret: 1,
        want: "poll([{fd=3, events=POLLIN}], 1, 0) = 1 ([{fd=3, revents=POLLIN}])",
        arm: SAME,
    },
];

/// The bundled plugins, loaded the way rtrace loads them.
fn registry() -> DecoderRegistry {
    let mut registry = DecoderRegistry::new();
    for name in [
        "fs", "perf", "aio", "sysadmin", "security", "mem", "process", "signal", "time", "net",
        "ipc", "sched", "keys",
    ] {
        registry
            .load(&common::bundled_plugin(name))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    registry
}

fn tracee_memory(abi: &dyn RegisterAbi, memory: Memory) -> FakeTracee {
    let word = usize::from(abi.word_size());
    let mut mem = FakeTracee::new();
    for &(addr, data) in memory {
        let bytes: Vec<u8> = match data {
            Data::Str(text) => [text.as_bytes(), b"\0"].concat(),
            Data::Bytes(bytes) => bytes.to_vec(),
            Data::Words(words) => words
                .iter()
                .flat_map(|w| w.to_le_bytes()[..word].to_vec())
                .collect(),
            Data::Ints(ints) => ints.iter().flat_map(|i| i.to_le_bytes()).collect(),
            Data::Fields(fields) => {
                let size = fields
                    .iter()
                    .map(|(at, width, _)| at + width)
                    .max()
                    .unwrap();
                let mut bytes = vec![0u8; size];
                for &(at, width, value) in fields {
                    bytes[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
                }
                bytes
            }
        };
        mem.map(addr, &bytes);
    }
    mem
}

/// Decodes and renders one call as rtrace prints it: `name(args) = ret (note)`, the
/// registers recorded and the result normalised as the engine does for `abi`.
fn line(
    registry: &DecoderRegistry,
    abi: Arch,
    name: &str,
    args: &[i64],
    memory: Memory,
    raw_ret: u64,
) -> Result<String, String> {
    let desc = abi
        .syscalls()
        .by_name(name)
        .ok_or_else(|| format!("{} has no syscall {name}", abi.name()))?;
    let mut regs = [0u64; 6];
    for (reg, arg) in regs.iter_mut().zip(args) {
        *reg = *arg as u64;
    }
    let record = abi.record(u64::from(desc.number), regs);
    let mem = tracee_memory(abi, memory);
    let ret = abi.normalize_return(raw_ret as i64);
    loaded_line(registry, abi, &mem, name, record.number, record.args, ret)
}

/// Cases whose ARM line is known to be wrong, with the exact wrong line: each must still
/// print that (a fix fails the test until the entry is removed), and nothing else may
/// differ. Owner: the plugin named.
const KNOWN_ARM_GAPS: &[(&str, &str)] = &[];

/// Runs every case on one architecture; returns the differences, one per failing case.
fn run(
    abi: Arch,
    pick: impl Fn(&Case) -> (&'static str, &'static [i64], Memory, i64, &'static str),
) -> Vec<String> {
    let registry = registry();
    let mut failures = Vec::new();
    for case in CASES {
        let (name, args, memory, ret, want) = pick(case);
        let known_gap = KNOWN_ARM_GAPS
            .iter()
            .find(|(right, _)| abi.word_size() == 4 && *right == want);
        match (
            line(&registry, abi, name, args, memory, ret as u64),
            known_gap,
        ) {
            (Ok(got), None) if got == want => {}
            (Ok(got), Some((_, wrong))) if got == *wrong => {}
            (Ok(got), Some(_)) if got == want => failures.push(format!(
                "{}: {want} now prints right: remove it from KNOWN_ARM_GAPS",
                abi.name()
            )),
            (Ok(got), _) => failures.push(format!(
                "{}: want {want}\n{:>width$} got  {got}",
                abi.name(),
                "",
                width = abi.name().len()
            )),
            (Err(why), _) => failures.push(format!("{}: {name}: {why}", abi.name())),
        }
    }
    failures
}

#[test]
fn x86_64_prints_as_strace_does() {
    let failures = run(X86_64, |c| (c.name, c.args, c.memory, c.ret, c.want));
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn arm_prints_as_strace_does() {
    let failures = run(ARM, |c| {
        (
            c.arm.name.unwrap_or(c.name),
            c.arm.args.unwrap_or(c.args),
            c.arm.memory.unwrap_or(c.memory),
            c.arm.ret.unwrap_or(c.ret),
            c.arm.want.unwrap_or(c.want),
        )
    });
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The ARM column changes only what differs: a case whose ARM entries repeat x86_64's
/// would hide that the two agree.
#[test]
fn arm_differences_differ() {
    for case in CASES {
        let arm = &case.arm;
        assert!(
            arm.name != Some(case.name),
            "{}: ARM name repeats",
            case.name
        );
        assert!(
            arm.args != Some(case.args),
            "{}: ARM args repeat",
            case.name
        );
        assert!(
            arm.ret != Some(case.ret),
            "{}: ARM result repeats",
            case.name
        );
        assert!(
            arm.want != Some(case.want),
            "{}: ARM text repeats",
            case.name
        );
    }
}
