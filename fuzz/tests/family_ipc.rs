rtrace_fuzz::fuzz_family_test!(ipc, rtrace_ipc::DECODERS);
