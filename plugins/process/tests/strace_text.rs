//! The process plugin's decoders, driven with a fake tracee and rendered by
//! rtrace-render, against lines strace 6.1 printed on x86_64, and the same structs
//! and argument orders for a 32-bit ARM tracee.

use rtrace_plugin_testing::{Arch, DecodeOptions, FakeTracee, ARM, X86_64};
use rtrace_process::DECODERS;

/// Decodes and renders one call as `name(args) = ret (note)`.
fn line_on(
    arch: Arch,
    mem: &FakeTracee,
    name: &str,
    args: [u64; 6],
    ret: i64,
    options: DecodeOptions,
) -> String {
    rtrace_plugin_testing::line(DECODERS, arch, mem, name, args, ret, options)
}

fn line(mem: &FakeTracee, name: &str, args: [u64; 6], ret: i64) -> String {
    line_on(X86_64, mem, name, args, ret, DecodeOptions::default())
}

const EINVAL: i64 = -22;
const EFAULT: i64 = -14;

/// Lays out words of `word` bytes (little-endian) at `addr`.
fn map_words(mem: &mut FakeTracee, addr: u64, word: usize, words: &[u64]) {
    let bytes: Vec<u8> = words
        .iter()
        .flat_map(|w| w.to_le_bytes()[..word].to_vec())
        .collect();
    mem.map(addr, &bytes);
}

#[test]
fn execve_caps_argv_at_s_and_counts_the_environment() {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/usr/bin/true");
    let strings: Vec<u64> = (0..3).map(|i| 0x2000 + i * 0x10).collect();
    for (i, addr) in strings.iter().enumerate() {
        mem.map_str(*addr, &format!("arg{i}"));
    }
    let mut argv = strings.clone();
    argv.push(0);
    map_words(&mut mem, 0x3000, 8, &argv);
    map_words(&mut mem, 0x4000, 8, &[0x2000, 0]);
    assert_eq!(
        line(&mem, "execve", [0x1000, 0x3000, 0x4000, 0, 0, 0], 0),
        r#"execve("/usr/bin/true", ["arg0", "arg1", "arg2"], 0x4000 /* 1 var */) = 0"#
    );
    let short = DecodeOptions {
        string_limit: 2,
        ..DecodeOptions::default()
    };
    assert_eq!(
        line_on(
            X86_64,
            &mem,
            "execve",
            [0x1000, 0x3000, 0x4000, 0, 0, 0],
            0,
            short
        ),
        r#"execve("/usr/bin/true", ["ar"..., "ar"..., ...], 0x4000 /* 1 var */) = 0"#
    );
    let verbose = DecodeOptions {
        verbose: true,
        ..short
    };
    assert_eq!(
        line_on(
            X86_64,
            &mem,
            "execve",
            [0x1000, 0x3000, 0x4000, 0, 0, 0],
            0,
            verbose
        ),
        r#"execve("/usr/bin/true", ["ar"..., "ar"..., "ar"...], ["ar"...]) = 0"#
    );
    assert_eq!(
        line(&mem, "execve", [0x1000, 8, 0, 0, 0, 0], -2),
        r#"execve("/usr/bin/true", 0x8, NULL) = -1 ENOENT (No such file or directory)"#
    );
    // A 32-bit tracee's vectors are arrays of 4-byte pointers.
    let mut mem32 = mem.clone();
    map_words(&mut mem32, 0x5000, 4, &[0x2000, 0x2010, 0]);
    assert_eq!(
        line_on(
            ARM,
            &mem32,
            "execve",
            [0x1000, 0x5000, 0, 0, 0, 0],
            0,
            DecodeOptions::default()
        ),
        r#"execve("/usr/bin/true", ["arg0", "arg1"], NULL) = 0"#
    );
}

#[test]
fn clone_prints_the_signal_in_the_flags_and_the_pointers_at_exit() {
    let mut mem = FakeTracee::new();
    mem.map(0x9000, &1234u32.to_le_bytes());
    assert_eq!(
        line(&mem, "clone", [0x01200011, 0, 0, 0x7f0000000a10, 0, 0], 1234),
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 1234"
    );
    // x86_64: (flags, stack, parent_tid, child_tid, tls).
    assert_eq!(
        line(&mem, "clone", [0x003d0f00, 0x7f00000000, 0x9000, 0x7f0000000a10, 0x7f00000006c0, 0], 1234),
        "clone(child_stack=0x7f00000000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[1234], tls=0x7f00000006c0, child_tidptr=0x7f0000000a10) = 1234"
    );
    // ARM: (flags, stack, parent_tid, tls, child_tid).
    assert_eq!(
        line_on(ARM, &mem, "clone", [0x003d0f00, 0xb6000000, 0x9000, 0xb60006c0, 0xb6000a10, 0], 1234, DecodeOptions::default()),
        "clone(child_stack=0xb6000000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[1234], tls=0xb60006c0, child_tidptr=0xb6000a10) = 1234"
    );
    assert_eq!(
        line(&mem, "clone", [0x80, 0, 0, 0, 0, 0], 1234),
        "clone(child_stack=NULL, flags=128) = 1234"
    );
    assert_eq!(
        line(&mem, "clone", [0x00500811, 0, 8, 0, 0, 0], EINVAL),
        "clone(child_stack=NULL, flags=CLONE_SIGHAND|CLONE_PARENT_SETTID|0x400000|SIGCHLD, parent_tid=0x8) = -1 EINVAL (Invalid argument)"
    );
}

#[test]
fn clone3_prints_the_struct_then_what_the_kernel_wrote() {
    let mut mem = FakeTracee::new();
    let mut args = [0u64; 11];
    args[0] = 0x1000 | 0x100000; // CLONE_PIDFD|CLONE_PARENT_SETTID
    args[1] = 0x9000;
    args[3] = 0x9004;
    args[4] = 17;
    let bytes: Vec<u8> = args.iter().flat_map(|w| w.to_le_bytes()).collect();
    mem.map(0x8000, &bytes);
    let mut written = 3u32.to_le_bytes().to_vec();
    written.extend_from_slice(&4321u32.to_le_bytes());
    mem.map(0x9000, &written);
    assert_eq!(
        line(&mem, "clone3", [0x8000, 88, 0, 0, 0, 0], 4321),
        "clone3({flags=CLONE_PIDFD|CLONE_PARENT_SETTID, pidfd=0x9000, parent_tid=0x9004, exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {pidfd=[3], parent_tid=[4321]}, 88) = 4321"
    );
    assert_eq!(
        line(&mem, "clone3", [0x8000, 8, 0, 0, 0, 0], EINVAL),
        "clone3(0x8000, 8) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(&mem, "clone3", [8, 88, 0, 0, 0, 0], EFAULT),
        "clone3(0x8, 88) = -1 EFAULT (Bad address)"
    );
}

#[test]
fn wait_statuses_print_as_the_w_macros() {
    let mut mem = FakeTracee::new();
    let statuses: [(u32, &str); 6] = [
        (0x0300, "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]"),
        (0x000f, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}]"),
        (
            0x008b,
            "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}]",
        ),
        (0x137f, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]"),
        (0xffff, "[{WIFCONTINUED(s)}]"),
        (
            0x4057f,
            "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP} | PTRACE_EVENT_EXEC << 16]",
        ),
    ];
    // The fake tracee's first mapping wins: one address per status.
    for (index, (status, text)) in statuses.into_iter().enumerate() {
        let addr = 0x7000 + 0x10 * index as u64;
        mem.map(addr, &status.to_le_bytes());
        assert_eq!(
            line(&mem, "wait4", [u64::MAX, addr, 0x40000000, 0, 0, 0], 99),
            format!("wait4(-1, {text}, __WALL, NULL) = 99")
        );
    }
    assert_eq!(
        line(&mem, "wait4", [99, 0x7000, 1, 0, 0, 0], 0),
        "wait4(99, 0x7000, WNOHANG, NULL) = 0"
    );
}

/// A SIGCHLD siginfo for a tracee of `word` bytes: signo, errno, code, then the
/// union (word-aligned) with pid, uid, status, utime, stime.
fn sigchld(word: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for v in [17u32, 0, 2] {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    bytes.resize(if word == 8 { 16 } else { 12 }, 0);
    for v in [4321u32, 0, 9] {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    while bytes.len() % word != 0 {
        bytes.push(0);
    }
    bytes.extend_from_slice(&5u64.to_le_bytes()[..word]);
    bytes.extend_from_slice(&1u64.to_le_bytes()[..word]);
    bytes
}

#[test]
fn waitid_reads_siginfo_and_rusage_in_the_tracee_layout() {
    for arch in [X86_64, ARM] {
        let word = usize::from(arch.word_size());
        let mut mem = FakeTracee::new();
        mem.map(0x6000, &sigchld(word));
        let mut usage = vec![1, 500, 0, 20];
        usage.extend(4..18);
        map_words(&mut mem, 0x7000, word, &usage);
        assert_eq!(
            line_on(arch, &mem, "waitid", [1, 4321, 0x6000, 4, 0x7000, 0], 0, DecodeOptions::default()),
            "waitid(P_PID, 4321, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=4321, si_uid=0, si_status=SIGKILL, si_utime=5 /* 0.05 s */, si_stime=1 /* 0.01 s */}, WEXITED, {ru_utime={tv_sec=1, tv_usec=500}, ru_stime={tv_sec=0, tv_usec=20}, ...}) = 0",
            "word size {word}"
        );
        let verbose = DecodeOptions {
            verbose: true,
            ..DecodeOptions::default()
        };
        assert_eq!(
            line_on(arch, &mem, "getrusage", [0xffff_ffff, 0x7000, 0, 0, 0, 0], 0, verbose),
            "getrusage(RUSAGE_CHILDREN, {ru_utime={tv_sec=1, tv_usec=500}, ru_stime={tv_sec=0, tv_usec=20}, ru_maxrss=4, ru_ixrss=5, ru_idrss=6, ru_isrss=7, ru_minflt=8, ru_majflt=9, ru_nswap=10, ru_inblock=11, ru_oublock=12, ru_msgsnd=13, ru_msgrcv=14, ru_nsignals=15, ru_nvcsw=16, ru_nivcsw=17}) = 0",
            "word size {word}"
        );
    }
    let mut empty = FakeTracee::new();
    empty.map(0x6000, &[0; 48]);
    assert_eq!(
        line(&empty, "waitid", [0, 0, 0x6000, 5, 0, 0], 0),
        "waitid(P_ALL, 0, {}, WNOHANG|WEXITED, NULL) = 0"
    );
}

#[test]
fn limits_follow_the_word_size() {
    let mut mem = FakeTracee::new();
    map_words(&mut mem, 0x1000, 8, &[8 << 20, u64::MAX]);
    assert_eq!(
        line(&mem, "prlimit64", [0, 3, 0, 0x1000, 0, 0], 0),
        "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0"
    );
    assert_eq!(
        line(&mem, "getrlimit", [3, 0x1000, 0, 0, 0, 0], 0),
        "getrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0"
    );
    map_words(&mut mem, 0x2000, 4, &[1000, 0xffff_ffff]);
    assert_eq!(
        line_on(
            ARM,
            &mem,
            "ugetrlimit",
            [7, 0x2000, 0, 0, 0, 0],
            0,
            DecodeOptions::default()
        ),
        "ugetrlimit(RLIMIT_NOFILE, {rlim_cur=1000, rlim_max=RLIM_INFINITY}) = 0"
    );
    assert_eq!(
        line(&mem, "prlimit64", [0, 99, 0, 0x1000, 0, 0], EINVAL),
        "prlimit64(0, 0x63 /* RLIMIT_??? */, NULL, 0x1000) = -1 EINVAL (Invalid argument)"
    );
}

#[test]
fn ids_print_minus_one_and_arm_legacy_calls_use_16_bits() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &[0, 0, 0, 0, 4, 0, 0, 0, 24, 0, 0, 0]);
    mem.map(0x2000, &[0, 0, 4, 0, 0xff, 0xff]);
    assert_eq!(
        line(
            &mem,
            "setresuid",
            [u64::from(u32::MAX), 0, u64::from(u32::MAX), 0, 0, 0],
            0
        ),
        "setresuid(-1, 0, -1) = 0"
    );
    assert_eq!(
        line(&mem, "getgroups", [3, 0x1000, 0, 0, 0, 0], 3),
        "getgroups(3, [0, 4, 24]) = 3"
    );
    assert_eq!(
        line(&mem, "getresuid", [0x1000, 0x1004, 0x1008, 0, 0, 0], 0),
        "getresuid([0], [4], [24]) = 0"
    );
    assert_eq!(
        line_on(
            ARM,
            &mem,
            "setgroups",
            [3, 0x2000, 0, 0, 0, 0],
            0,
            DecodeOptions::default()
        ),
        "setgroups(3, [0, 4, -1]) = 0"
    );
    assert_eq!(
        line_on(
            ARM,
            &mem,
            "setgroups32",
            [3, 0x1000, 0, 0, 0, 0],
            0,
            DecodeOptions::default()
        ),
        "setgroups32(3, [0, 4, 24]) = 0"
    );
    assert_eq!(
        line_on(
            ARM,
            &mem,
            "setuid",
            [0xffff, 0, 0, 0, 0, 0],
            0,
            DecodeOptions::default()
        ),
        "setuid(-1) = 0"
    );
}

#[test]
fn prctl_options_decide_their_arguments() {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "process-ops");
    mem.map(0x2000, &15u32.to_le_bytes());
    let cases: &[(&str, [u64; 6], i64, &str)] = &[
        (
            "prctl",
            [15, 0x1000, 0, 0, 0, 0],
            0,
            r#"prctl(PR_SET_NAME, "process-ops") = 0"#,
        ),
        (
            "prctl",
            [16, 0x1000, 0, 0, 0, 0],
            0,
            r#"prctl(PR_GET_NAME, "process-ops") = 0"#,
        ),
        (
            "prctl",
            [16, 8, 0, 0, 0, 0],
            EFAULT,
            "prctl(PR_GET_NAME, 0x8) = -1 EFAULT (Bad address)",
        ),
        (
            "prctl",
            [2, 0x2000, 0, 0, 0, 0],
            0,
            "prctl(PR_GET_PDEATHSIG, [SIGTERM]) = 0",
        ),
        (
            "prctl",
            [1, 36, 0, 0, 0, 0],
            0,
            "prctl(PR_SET_PDEATHSIG, SIGRT_4) = 0",
        ),
        (
            "prctl",
            [3, 0, 0, 0, 0, 0],
            1,
            "prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)",
        ),
        (
            "prctl",
            [38, 1, 0, 0, 0, 0],
            0,
            "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0",
        ),
        (
            "prctl",
            [23, 99, 0, 0, 0, 0],
            EINVAL,
            "prctl(PR_CAPBSET_READ, 0x63 /* CAP_??? */) = -1 EINVAL (Invalid argument)",
        ),
        (
            "prctl",
            [9999, 1, 2, 3, 4, 0],
            EINVAL,
            "prctl(0x270f /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)",
        ),
        (
            "arch_prctl",
            [0x1002, 0x7f0000000740, 0, 0, 0, 0],
            0,
            "arch_prctl(ARCH_SET_FS, 0x7f0000000740) = 0",
        ),
        ("kill", [1234, 15, 0, 0, 0, 0], 0, "kill(1234, SIGTERM) = 0"),
        (
            "tgkill",
            [1234, 1235, 99, 0, 0, 0],
            EINVAL,
            "tgkill(1234, 1235, 99) = -1 EINVAL (Invalid argument)",
        ),
        (
            "personality",
            [0xffff_ffff, 0, 0, 0, 0, 0],
            0x40000,
            "personality(0xffffffff) = 0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE)",
        ),
        (
            "unshare",
            [1, 0, 0, 0, 0, 0],
            EINVAL,
            "unshare(0x1 /* CLONE_??? */) = -1 EINVAL (Invalid argument)",
        ),
    ];
    for (name, args, ret, expected) in cases {
        assert_eq!(line(&mem, name, *args, *ret), *expected);
    }
}

#[test]
fn uname_shows_two_fields_or_all_with_v() {
    let mut mem = FakeTracee::new();
    let mut uts = vec![0u8; 65 * 6];
    for (i, text) in ["Linux", "vm", "6.1.0", "#1 SMP", "x86_64", "(none)"]
        .iter()
        .enumerate()
    {
        uts[i * 65..i * 65 + text.len()].copy_from_slice(text.as_bytes());
    }
    mem.map(0x1000, &uts);
    assert_eq!(
        line(&mem, "uname", [0x1000, 0, 0, 0, 0, 0], 0),
        r#"uname({sysname="Linux", nodename="vm", ...}) = 0"#
    );
    let verbose = DecodeOptions {
        verbose: true,
        ..DecodeOptions::default()
    };
    assert_eq!(
        line_on(X86_64, &mem, "uname", [0x1000, 0, 0, 0, 0, 0], 0, verbose),
        r##"uname({sysname="Linux", nodename="vm", release="6.1.0", version="#1 SMP", machine="x86_64", domainname="(none)"}) = 0"##
    );
    assert_eq!(
        line(&mem, "uname", [8, 0, 0, 0, 0, 0], EFAULT),
        "uname(0x8) = -1 EFAULT (Bad address)"
    );
}

#[test]
fn affinity_is_a_set_of_cpu_numbers() {
    let mut mem = FakeTracee::new();
    let mut mask = vec![0u8; 16];
    mask[0] = 0b11;
    mask[8] = 1;
    mem.map(0x1000, &mask);
    assert_eq!(
        line(&mem, "sched_getaffinity", [0, 128, 0x1000, 0, 0, 0], 16),
        "sched_getaffinity(0, 128, [0 1 64]) = 16"
    );
    assert_eq!(
        line(&mem, "sched_getaffinity", [0, 3, 0x1000, 0, 0, 0], EINVAL),
        "sched_getaffinity(0, 3, 0x1000) = -1 EINVAL (Invalid argument)"
    );
}

/// i386's TLS descriptor: set_thread_area shows the `struct user_desc` and, at exit, the
/// entry number the kernel chose; x86_64 has no such call in its decoding of clone's tls.
#[test]
fn i386_set_thread_area_shows_the_user_desc() {
    use rtrace_plugin_testing::I386;
    let mut mem = FakeTracee::new();
    let mut desc = Vec::new();
    desc.extend_from_slice(&u32::MAX.to_le_bytes());
    desc.extend_from_slice(&0x847c380u32.to_le_bytes());
    desc.extend_from_slice(&0xfffffu32.to_le_bytes());
    // seg_32bit=1, limit_in_pages=1, useable=1.
    desc.extend_from_slice(&0b101_0001u32.to_le_bytes());
    mem.map(0x9000, &desc);
    let shown = rtrace_plugin_testing::line(
        rtrace_process::DECODERS,
        I386,
        &mem,
        "set_thread_area",
        [0x9000, 0, 0, 0, 0, 0],
        0,
        DecodeOptions::default(),
    );
    // The fake tracee does not write back: the exit reads entry_number -1 again.
    assert_eq!(
        shown,
        "set_thread_area({entry_number=-1, base_addr=0x847c380, limit=0x0fffff, seg_32bit=1, \
         contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) = 0 \
         (entry_number=4294967295)"
    );
}

/// `-N`: prctl names its second argument by option, as strace 7.2 does.
#[test]
fn prctl_argument_names_follow_the_option() {
    let mem = FakeTracee::new();
    let options = DecodeOptions {
        arg_names: true,
        ..DecodeOptions::default()
    };
    let named = |args: [u64; 6]| {
        rtrace_plugin_testing::line(DECODERS, X86_64, &mem, "prctl", args, 0, options)
    };
    assert_eq!(
        named([29, 50000, 0, 0, 0, 0]),
        "prctl(op=PR_SET_TIMERSLACK, slack=50000) = 0"
    );
    assert_eq!(
        named([0x270f, 1, 2, 3, 4, 0]),
        "prctl(op=0x270f /* PR_??? */, arg2=0x1, arg3=0x2, arg4=0x3, arg5=0x4) = 0"
    );
}
