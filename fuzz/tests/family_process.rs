rtrace_fuzz::fuzz_family_test!(
    process,
    rtrace_process::DECODERS,
    at("uname", 0),
    at("wait4", 3),
    at("rseq", 0),
    at("set_thread_area", 0)
);
