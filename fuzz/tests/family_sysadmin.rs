rtrace_fuzz::fuzz_family_test!(sysadmin, rtrace_sysadmin::DECODERS, at("kexec_load", 2));
