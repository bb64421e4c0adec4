rtrace_fuzz::fuzz_family_test!(
    perf,
    rtrace_perf::DECODERS,
    at("perf_event_open", 0),
    at("bpf", 1)
);
