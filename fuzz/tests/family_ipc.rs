rtrace_fuzz::fuzz_family_test!(
    ipc,
    rtrace_ipc::DECODERS,
    at("mq_notify", 1),
    array_of_u32_count("futex_waitv", 0, 1)
);
