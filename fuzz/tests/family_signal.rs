rtrace_fuzz::fuzz_family_test!(signal, rtrace_signal::DECODERS, at("rt_sigsuspend", 0));
