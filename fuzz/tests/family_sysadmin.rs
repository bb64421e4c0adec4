rtrace_fuzz::fuzz_family_test!(
    sysadmin,
    rtrace_sysadmin::DECODERS,
    array("kexec_load", 2, 1)
);
