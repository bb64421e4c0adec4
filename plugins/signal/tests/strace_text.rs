//! The signal plugin's decoders, driven with a fake tracee and rendered by rtrace-render,
//! against lines strace 6.1 printed (x86_64), and the same structs laid out for a
//! 32-bit ARM tracee.

use rtrace_plugin_testing::{words, Arch, DecodeOptions, FakeTracee, ARM, X86_64};
use rtrace_signal::DECODERS;

/// Decodes (entry, then exit with `ret`) and renders one call as strace's line.
fn line(mem: &FakeTracee, arch: Arch, name: &str, args: [u64; 6], ret: i64) -> String {
    rtrace_plugin_testing::line(
        DECODERS,
        arch,
        mem,
        name,
        args,
        ret,
        DecodeOptions::default(),
    )
}

const EFAULT: i64 = -14;

/// A kernel sigset (8 bytes) holding `signals`.
fn sigset(signals: &[u32]) -> Vec<u8> {
    let mask = signals.iter().fold(0u64, |m, s| m | 1 << (s - 1));
    mask.to_le_bytes().to_vec()
}

#[test]
fn sigaction_in_both_layouts() {
    let mut mem = FakeTracee::new();
    let mut act64 = words(8, &[1, 0x0400_0000, 0x7f96d403a050]);
    act64.extend(sigset(&[]));
    let mut act32 = words(4, &[0x4a0, 0x5000_0000 | 0x0400_0000, 0xb6f0_a050]);
    act32.extend(sigset(&[15, 36]));
    mem.map(0x1000, &act64).map(0x2000, &act32);
    assert_eq!(
        line(&mem, X86_64, "rt_sigaction", [2, 0x1000, 0, 8, 0, 0], 0),
        "rt_sigaction(SIGINT, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f96d403a050}, NULL, 8) = 0"
    );
    assert_eq!(
        line(&mem, ARM, "rt_sigaction", [10, 0x2000, 0x2000, 8, 0, 0], 0),
        "rt_sigaction(SIGUSR1, {sa_handler=0x4a0, sa_mask=[TERM RT_4], sa_flags=SA_RESTORER|SA_RESTART|SA_NODEFER, sa_restorer=0xb6f0a050}, {sa_handler=0x4a0, sa_mask=[TERM RT_4], sa_flags=SA_RESTORER|SA_RESTART|SA_NODEFER, sa_restorer=0xb6f0a050}, 8) = 0"
    );
    assert_eq!(
        line(&mem, X86_64, "rt_sigaction", [1, 0x8, 0, 8, 0, 0], EFAULT),
        "rt_sigaction(SIGHUP, 0x8, NULL, 8) = -1 EFAULT (Bad address)"
    );
}

#[test]
fn masks_sets_and_complements() {
    let mut mem = FakeTracee::new();
    let all_but_glibc: Vec<u32> = (1..=64).filter(|s| *s != 32 && *s != 33).collect();
    mem.map(0x1000, &sigset(&all_but_glibc))
        .map(0x2000, &sigset(&[17, 22]));
    assert_eq!(
        line(
            &mem,
            X86_64,
            "rt_sigprocmask",
            [2, 0x1000, 0x2000, 8, 0, 0],
            0
        ),
        "rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1], [CHLD TTOU], 8) = 0"
    );
    assert_eq!(
        line(&mem, ARM, "rt_sigprocmask", [7, 0x2000, 0, 8, 0, 0], -22),
        "rt_sigprocmask(0x7 /* SIG_??? */, [CHLD TTOU], NULL, 8) = -1 EINVAL (Invalid argument)"
    );
    // A size the kernel never uses prints the address, as strace does.
    assert_eq!(
        line(&mem, X86_64, "rt_sigsuspend", [0x2000, 16, 0, 0, 0, 0], -22),
        "rt_sigsuspend(0x2000, 16) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(
            &mem,
            X86_64,
            "signalfd4",
            [u64::MAX, 0x2000, 8, 0o2004000, 0, 0],
            3
        ),
        "signalfd4(-1, [CHLD TTOU], 8, SFD_CLOEXEC|SFD_NONBLOCK) = 3"
    );
}

#[test]
fn sigtimedwait_shows_the_siginfo_and_names_the_signal() {
    let mut mem = FakeTracee::new();
    let mut info64 = words(4, &[10, 0, (-1i32) as u32 as u64, 0, 3080, 0, 7, 0]);
    info64.resize(128, 0);
    let mut info32 = words(4, &[10, 0, (-1i32) as u32 as u64, 3080, 0, 7]);
    info32.resize(128, 0);
    mem.map(0x1000, &sigset(&[10]))
        .map(0x2000, &info64)
        .map(0x3000, &info32);
    let expected = "rt_sigtimedwait([USR1], {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=3080, si_uid=0, si_int=7, si_ptr=0x7}, NULL, 8) = 10 (SIGUSR1)";
    assert_eq!(
        line(
            &mem,
            X86_64,
            "rt_sigtimedwait",
            [0x1000, 0x2000, 0, 8, 0, 0],
            10
        ),
        expected
    );
    assert_eq!(
        line(
            &mem,
            ARM,
            "rt_sigtimedwait",
            [0x1000, 0x3000, 0, 8, 0, 0],
            10
        ),
        expected
    );
    let mut empty = vec![0u8; 128];
    empty[8] = 0xff;
    mem.map(0x4000, &empty);
    assert_eq!(
        line(
            &mem,
            X86_64,
            "rt_sigqueueinfo",
            [3080, 10, 0x4000, 0, 0, 0],
            0
        ),
        "rt_sigqueueinfo(3080, SIGUSR1, {}) = 0"
    );
}

#[test]
fn sigaltstack_in_both_layouts() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &words(8, &[0x55724d05d0e0, 0, 65536]))
        .map(0x2000, &words(8, &[0, 2, 0]))
        .map(0x3000, &words(4, &[0, 2, 0]));
    assert_eq!(
        line(&mem, X86_64, "sigaltstack", [0x1000, 0x2000, 0, 0, 0, 0], 0),
        "sigaltstack({ss_sp=0x55724d05d0e0, ss_flags=0, ss_size=65536}, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0"
    );
    assert_eq!(
        line(&mem, ARM, "sigaltstack", [0, 0x3000, 0, 0, 0, 0], 0),
        "sigaltstack(NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0"
    );
}

#[test]
fn old_sigprocmask_takes_one_word_sets() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &words(4, &[1 << 16]))
        .map(0x2000, &words(4, &[0]));
    assert_eq!(
        line(&mem, ARM, "sigprocmask", [0, 0x1000, 0x2000, 0, 0, 0], 0),
        "sigprocmask(SIG_BLOCK, [CHLD], []) = 0"
    );
    assert_eq!(
        line(&mem, ARM, "sigpending", [0x8, 0, 0, 0, 0, 0], EFAULT),
        "sigpending(0x8) = -1 EFAULT (Bad address)"
    );
}

/// i386's sigreturn: the mask is sigcontext's oldmask (80 bytes above sp) and, after the
/// 624-byte fpstate, extramask (712 above sp), its upper half.
#[test]
fn i386_sigreturn_joins_the_two_halves_of_the_mask() {
    use rtrace_plugin_testing::I386;
    let sp = 0x8000u64;
    let mut mem = FakeTracee::new();
    let mut frame = vec![0u8; 716];
    // SIGUSR2 (12) in the low word, signal 39 (strace's RT_7: 32 + 7) in the high one.
    frame[80..84].copy_from_slice(&(1u32 << 11).to_le_bytes());
    frame[712..716].copy_from_slice(&(1u32 << (39 - 1 - 32)).to_le_bytes());
    mem.map(sp, &frame);
    let line = rtrace_plugin_testing::line_at_stack(
        rtrace_signal::DECODERS,
        I386,
        &mem,
        "sigreturn",
        [0; 6],
        0,
        DecodeOptions::default(),
        sp,
    );
    assert_eq!(line, "sigreturn({mask=[USR2 RT_7]}) = 0");
}

/// A SIGCHLD siginfo as rt_sigtimedwait returns it: the child fields come from the
/// SDK's one siginfo layout (the one waitid reads), on a 64-bit and a 32-bit tracee.
#[test]
fn sigtimedwait_shows_sigchld_child_fields_in_the_tracee_layout() {
    // si_signo=SIGCHLD, si_errno=0, si_code=CLD_EXITED, then the union: pid 4321,
    // uid 1000, status 3, then utime 5 and stime 1 as words after the status.
    let info = |word: usize| {
        let mut bytes = words(4, &[17, 0, 1]);
        bytes.resize(12usize.next_multiple_of(word), 0);
        bytes.extend(words(4, &[4321, 1000, 3]));
        bytes.resize(bytes.len().next_multiple_of(word), 0);
        bytes.extend(words(word as u8, &[5, 1]));
        bytes.resize(128, 0);
        bytes
    };
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &sigset(&[17]))
        .map(0x2000, &info(8))
        .map(0x3000, &info(4));
    let expected = "rt_sigtimedwait([CHLD], {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4321, si_uid=1000, si_status=3, si_utime=5 /* 0.05 s */, si_stime=1 /* 0.01 s */}, NULL, 8) = 17 (SIGCHLD)";
    for (arch, at) in [(X86_64, 0x2000), (ARM, 0x3000)] {
        assert_eq!(
            line(&mem, arch, "rt_sigtimedwait", [0x1000, at, 0, 8, 0, 0], 17),
            expected,
            "{}",
            arch.name()
        );
    }
}
