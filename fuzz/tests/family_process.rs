rtrace_fuzz::fuzz_family_test!(
    process,
    rtrace_process::DECODERS,
    at("uname", 0),
    at("wait4", 3)
);
