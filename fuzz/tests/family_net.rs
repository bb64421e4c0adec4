rtrace_fuzz::fuzz_family_test!(net, rtrace_net::DECODERS, at("bind", 1), at("connect", 1));
