rtrace_fuzz::fuzz_family_test!(
    aio,
    rtrace_aio::DECODERS,
    at("io_cancel", 1),
    at("io_uring_setup", 1)
);
