rtrace_fuzz::fuzz_family_test!(
    time,
    rtrace_time::DECODERS,
    at("nanosleep", 0),
    at("sysinfo", 0),
    at("times", 0),
    at("adjtimex", 0),
    at("clock_adjtime", 1)
);
