//! The time plugin's decoders, driven with a fake tracee and rendered by rtrace-render,
//! against lines strace 6.1 printed (x86_64), and the same structs laid out for a
//! 32-bit ARM tracee.

use rtrace_plugin_testing::{words, Arch, DecodeOptions, FakeTracee, ARM, X86_64};
use rtrace_time::DECODERS;

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

#[test]
fn clocks_read_timespecs_in_the_tracee_layout() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &words(8, &[1795756592, 816128149]));
    mem.map(0x2000, &words(4, &[1795756592, 816128149]));
    mem.map(
        0x3000,
        &[words(8, &[1795756592]), words(8, &[816128149])].concat(),
    );
    let expected = "clock_gettime(CLOCK_REALTIME, {tv_sec=1795756592, tv_nsec=816128149}) = 0";
    assert_eq!(
        line(&mem, X86_64, "clock_gettime", [0, 0x1000, 0, 0, 0, 0], 0),
        expected
    );
    assert_eq!(
        line(&mem, ARM, "clock_gettime", [0, 0x2000, 0, 0, 0, 0], 0),
        expected
    );
    assert_eq!(
        line(&mem, ARM, "clock_gettime64", [0, 0x3000, 0, 0, 0, 0], 0),
        expected.replace("clock_gettime", "clock_gettime64")
    );
    assert_eq!(
        line(
            &mem,
            X86_64,
            "clock_gettime",
            [1234, 0x7ffe90f37c60, 0, 0, 0, 0],
            -22
        ),
        "clock_gettime(0x4d2 /* CLOCK_??? */, 0x7ffe90f37c60) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(&mem, X86_64, "clock_nanosleep", [1, 0, 0x1000, 0x7ffeff9cd960, 0, 0], 0),
        "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=1795756592, tv_nsec=816128149}, 0x7ffeff9cd960) = 0"
    );
}

#[test]
fn getrandom_shows_hex_and_unknown_flags() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, b"\xc6\x54\x38\x38\x69\x79\x36\x39");
    assert_eq!(
        line(&mem, X86_64, "getrandom", [0x1000, 8, 1, 0, 0, 0], 8),
        r#"getrandom("\xc6\x54\x38\x38\x69\x79\x36\x39", 8, GRND_NONBLOCK) = 8"#
    );
    assert_eq!(
        line(&mem, X86_64, "getrandom", [0x1000, 4, 0x80, 0, 0, 0], -22),
        "getrandom(0x1000, 4, 0x80 /* GRND_??? */) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(&mem, ARM, "getrandom", [0x8, 4, 0, 0, 0, 0], EFAULT),
        "getrandom(0x8, 4, 0) = -1 EFAULT (Bad address)"
    );
}

#[test]
fn timers_and_itimers_in_both_layouts() {
    let mut mem = FakeTracee::new();
    // struct sigevent: sigev_value, sigev_signo, sigev_notify, then the union.
    let mut sigevent32 = words(4, &[42, 10, 0]);
    sigevent32.resize(64, 0);
    let mut sigevent64 = words(8, &[42]);
    sigevent64.extend(words(4, &[10, 0]));
    sigevent64.resize(64, 0);
    mem.map(0x1000, &sigevent32)
        .map(0x2000, &sigevent64)
        .map(0x3000, &[0, 0, 0, 0]);
    let expected = "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=42, sival_ptr=0x2a}, sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}, [0]) = 0";
    assert_eq!(
        line(&mem, ARM, "timer_create", [1, 0x1000, 0x3000, 0, 0, 0], 0),
        expected
    );
    assert_eq!(
        line(
            &mem,
            X86_64,
            "timer_create",
            [1, 0x2000, 0x3000, 0, 0, 0],
            0
        ),
        expected
    );

    mem.map(0x4000, &words(4, &[0, 0, 10, 500]));
    assert_eq!(
        line(&mem, ARM, "setitimer", [0, 0x4000, 0, 0, 0, 0], 0),
        "setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=10, tv_usec=500}}, NULL) = 0"
    );
    assert_eq!(
        line(
            &mem,
            X86_64,
            "getitimer",
            [9, 0x7ffeff9cd870, 0, 0, 0, 0],
            -22
        ),
        "getitimer(0x9 /* ITIMER_??? */, 0x7ffeff9cd870) = -1 EINVAL (Invalid argument)"
    );
}

#[test]
fn sysinfo_follows_the_word_size() {
    let mut mem = FakeTracee::new();
    let mut raw = words(
        4,
        &[
            859, 181312, 110528, 51712, 2527650, 2065532, 90849, 184074, 0, 0,
        ],
    );
    raw.extend(words(2, &[111, 0]));
    raw.extend(words(4, &[0, 0, 4096]));
    mem.map(0x1000, &raw);
    assert_eq!(
        line(&mem, ARM, "sysinfo", [0x1000, 0, 0, 0, 0, 0], 0),
        "sysinfo({uptime=859, loads=[181312, 110528, 51712], totalram=2527650, freeram=2065532, sharedram=90849, bufferram=184074, totalswap=0, freeswap=0, procs=111, totalhigh=0, freehigh=0, mem_unit=4096}) = 0"
    );
}

#[test]
fn time_writes_a_long_and_notes_the_calendar_time() {
    // The epoch itself has no date (strace's sprinttime gives none for 0).
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &words(4, &[0]));
    // The epoch, in the tracer's zone as strace prints it; the test pins TZ=UTC.
    std::env::set_var("TZ", "UTC");
    assert_eq!(
        line(&mem, ARM, "time", [0x1000, 0, 0, 0, 0, 0], 0),
        "time([0]) = 0"
    );
    mem.map(0x2000, &words(4, &[86400]));
    assert_eq!(
        line(&mem, ARM, "time", [0x2000, 0, 0, 0, 0, 0], 86400),
        "time([86400 /* 1970-01-02T00:00:00+0000 */]) = 86400 (1970-01-02T00:00:00+0000)"
    );
    assert_eq!(
        line(&mem, X86_64, "time", [0x8, 0, 0, 0, 0, 0], EFAULT),
        "time(0x8) = -1 EFAULT (Bad address)"
    );
}

/// x32: 32-bit longs and pointers, but the time structs of its calls hold 64-bit
/// fields (x32's `time_t` is 64 bits), as x86_64's do.
#[test]
fn x32_time_structs_have_64_bit_fields() {
    use rtrace_plugin_testing::X32;
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &words(8, &[1795756592, 816128149]));
    assert_eq!(
        line(&mem, X32, "clock_gettime", [0, 0x1000, 0, 0, 0, 0], 0),
        "clock_gettime(CLOCK_REALTIME, {tv_sec=1795756592, tv_nsec=816128149}) = 0"
    );
}

/// times: clock_t ticks as strace 7 prints them, with the seconds of a non-zero count
/// in a comment (USER_HZ, 100 ticks a second).
#[test]
fn times_shows_the_seconds_of_non_zero_ticks() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &words(8, &[0, 1, 250, 0]));
    assert_eq!(
        line(&mem, X86_64, "times", [0x1000, 0, 0, 0, 0, 0], 1718108828),
        "times({tms_utime=0, tms_stime=1 /* 0.01 s */, tms_cutime=250 /* 2.50 s */, \
         tms_cstime=0}) = 1718108828"
    );
}
