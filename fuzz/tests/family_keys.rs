rtrace_fuzz::fuzz_family_test!(
    keys,
    rtrace_keys::DECODERS,
    at("keyctl", 1),
    at("keyctl", 4)
);
