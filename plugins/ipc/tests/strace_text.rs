//! The ipc plugin's decoders, driven with a fake tracee and rendered by rtrace-render,
//! against lines strace 6.1 printed (x86_64), and the same structs laid out for a
//! 32-bit ARM tracee.

use rtrace_ipc::DECODERS;
use rtrace_plugin_testing::{words, Arch, DecodeOptions, FakeTracee, ARM, X86_64};

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

/// `struct pollfd` entries: (fd, events, revents).
fn pollfds(entries: &[(i32, u16, u16)]) -> Vec<u8> {
    entries
        .iter()
        .flat_map(|&(fd, events, revents)| {
            [
                fd.to_le_bytes().to_vec(),
                events.to_le_bytes().to_vec(),
                revents.to_le_bytes().to_vec(),
            ]
            .concat()
        })
        .collect()
}

#[test]
fn poll_notes_the_ready_descriptors_or_the_timeout() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &pollfds(&[(3, 1, 1), (4, 6, 4), (99, 1, 0x20)]));
    assert_eq!(
        line(&mem, X86_64, "poll", [0x1000, 3, 0, 0, 0, 0], 3),
        "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLPRI|POLLOUT}, {fd=99, events=POLLIN}], 3, 0) = 3 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}, {fd=99, revents=POLLNVAL}])"
    );
    assert_eq!(
        line(&mem, ARM, "poll", [0, 0, 1, 0, 0, 0], 0),
        "poll(NULL, 0, 1) = 0 (Timeout)"
    );
    assert_eq!(
        line(&mem, X86_64, "poll", [0x8, 1, 0, 0, 0, 0], EFAULT),
        "poll(0x8, 1, 0) = -1 EFAULT (Bad address)"
    );
}

#[test]
fn pselect6_sets_sigmask_pair_and_note_in_both_layouts() {
    let mut mem = FakeTracee::new();
    // fd_sets of whole longs, a timespec, the {sigset *, size} pair, a sigset.
    mem.map(0x1000, &words(4, &[1 << 3]))
        .map(0x1100, &words(4, &[1 << 4]))
        .map(0x1200, &words(4, &[0, 500]))
        .map(0x1300, &words(4, &[0x1400, 8]))
        .map(0x1400, &(1u64 << 9).to_le_bytes())
        .map(0x2000, &words(8, &[1 << 3]))
        .map(0x2100, &words(8, &[1 << 4]))
        .map(0x2200, &words(8, &[0, 500]))
        .map(0x2300, &words(8, &[0x1400, 8]));
    let expected = "pselect6(5, [3], [4], NULL, {tv_sec=0, tv_nsec=500}, {sigmask=[USR1], sigsetsize=8}) = 2 (in [3], out [4], left {tv_sec=0, tv_nsec=500})";
    assert_eq!(
        line(
            &mem,
            ARM,
            "pselect6",
            [5, 0x1000, 0x1100, 0, 0x1200, 0x1300],
            2
        ),
        expected
    );
    assert_eq!(
        line(
            &mem,
            X86_64,
            "pselect6",
            [5, 0x2000, 0x2100, 0, 0x2200, 0x2300],
            2
        ),
        expected
    );
    assert_eq!(
        line(&mem, X86_64, "pselect6", [u64::MAX, 0, 0, 0, 0, 0], -22),
        "pselect6(-1, NULL, NULL, NULL, NULL, NULL) = -1 EINVAL (Invalid argument)"
    );
}

#[test]
fn epoll_events_are_packed_on_x86_only() {
    let mut mem = FakeTracee::new();
    let mut packed = ((1u32 | 1 << 31).to_le_bytes()).to_vec();
    packed.extend(0x1234u64.to_le_bytes());
    let mut aligned = ((1u32 | 1 << 31).to_le_bytes()).to_vec();
    aligned.extend([0; 4]);
    aligned.extend(0x1234u64.to_le_bytes());
    mem.map(0x1000, &packed).map(0x2000, &aligned);
    let expected = "epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLET, data=0x1234}) = 0";
    assert_eq!(
        line(&mem, X86_64, "epoll_ctl", [5, 1, 4, 0x1000, 0, 0], 0),
        expected
    );
    assert_eq!(
        line(&mem, ARM, "epoll_ctl", [5, 1, 4, 0x2000, 0, 0], 0),
        expected
    );
    assert_eq!(
        line(&mem, ARM, "epoll_wait", [5, 0x2000, 4, 0, 0, 0], 1),
        "epoll_wait(5, [{events=EPOLLIN|EPOLLET, data=0x1234}], 4, 0) = 1"
    );
}

#[test]
fn futex_arguments_follow_the_command() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &words(8, &[0, 1000]));
    let uaddr = 0x7fffe960c92c;
    let cases: &[([u64; 6], i64, &str)] = &[
        (
            [uaddr, 128, 2, 0x1000, 0, 0],
            -11,
            "futex(0x7fffe960c92c, FUTEX_WAIT_PRIVATE, 2, {tv_sec=0, tv_nsec=1000}) = -1 EAGAIN (Resource temporarily unavailable)",
        ),
        (
            [uaddr, 1, 2147483647, 0, 0, 0],
            0,
            "futex(0x7fffe960c92c, FUTEX_WAKE, 2147483647) = 0",
        ),
        (
            [uaddr, 9 | 256, 1, 0x1000, 0, 0xffff_ffff],
            -110,
            "futex(0x7fffe960c92c, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 1, {tv_sec=0, tv_nsec=1000}, FUTEX_BITSET_MATCH_ANY) = -1 ETIMEDOUT (Connection timed out)",
        ),
        (
            [uaddr, 5 | 128, 1, 1, uaddr, 0x0400_0001],
            0,
            "futex(0x7fffe960c92c, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x7fffe960c92c, FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1) = 0",
        ),
        (
            [uaddr, 99, 1, 0, 0, 0],
            -38,
            "futex(0x7fffe960c92c, 0x63 /* FUTEX_??? */, 1, NULL, NULL, 0) = -1 ENOSYS (Function not implemented)",
        ),
    ];
    for (args, ret, expected) in cases {
        assert_eq!(line(&mem, X86_64, "futex", *args, *ret), *expected);
    }
}

#[test]
fn system_v_keys_flags_sembufs_and_messages() {
    let mut mem = FakeTracee::new();
    let sembufs: Vec<u8> = [(0u16, 1i16, 0i16), (1, 0, 0o4000)]
        .iter()
        .flat_map(|&(n, op, flg)| [n.to_le_bytes(), op.to_le_bytes(), flg.to_le_bytes()].concat())
        .collect();
    let mut msg32 = words(4, &[1]);
    msg32.extend(b"hello\0");
    mem.map(0x1000, &sembufs).map(0x2000, &msg32);
    assert_eq!(
        line(&mem, X86_64, "shmget", [0, 4096, 0o1600, 0, 0, 0], 0),
        "shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600) = 0"
    );
    assert_eq!(
        line(&mem, ARM, "shmget", [0x1234, 4096, 0, 0, 0, 0], -2),
        "shmget(0x1234, 4096, 000) = -1 ENOENT (No such file or directory)"
    );
    assert_eq!(
        line(&mem, X86_64, "semtimedop", [0, 0x1000, 2, 0, 0, 0], 0),
        "semtimedop(0, [{sem_num=0, sem_op=1, sem_flg=0}, {sem_num=1, sem_op=0, sem_flg=IPC_NOWAIT}], 2, NULL) = 0"
    );
    assert_eq!(
        line(&mem, ARM, "msgsnd", [0, 0x2000, 6, 0, 0, 0], 0),
        r#"msgsnd(0, {mtype=1, mtext="hello\0"}, 6, 0) = 0"#
    );
}

/// `-N`: futex names its arguments by command, as strace 7.2 does (LOCK_PI has no
/// `val`; CMP_REQUEUE's fourth is `val2`, not `timeout`), and a table line by position
/// (epoll_wait's events are named at exit, after the entry's two).
#[test]
fn argument_names_follow_the_command() {
    let mem = FakeTracee::new();
    let named = |name: &str, args: [u64; 6], ret: i64| {
        let options = DecodeOptions {
            arg_names: true,
            ..DecodeOptions::default()
        };
        rtrace_plugin_testing::line(DECODERS, X86_64, &mem, name, args, ret, options)
    };
    assert_eq!(
        named("futex", [0x1000, 6, 0, 0, 0, 0], 0),
        "futex(uaddr=0x1000, futex_op=FUTEX_LOCK_PI, timeout=NULL) = 0"
    );
    assert_eq!(
        named("futex", [0x1000, 4 | 128, 1, 2, 0x2000, 7], 0),
        "futex(uaddr=0x1000, futex_op=FUTEX_CMP_REQUEUE_PRIVATE, val=1, val2=2, uaddr2=0x2000, val3=7) = 0"
    );
    assert_eq!(
        named("epoll_wait", [5, 0x3000, 8, 10, 0, 0], 0),
        "epoll_wait(epfd=5, events=[], maxevents=8, timeout=10) = 0"
    );
}
