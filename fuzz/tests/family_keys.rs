rtrace_fuzz::fuzz_family_test!(keys, rtrace_keys::DECODERS);
