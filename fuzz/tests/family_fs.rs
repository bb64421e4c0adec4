rtrace_fuzz::fuzz_family_test!(
    fs,
    rtrace_fs::DECODERS,
    at("fstat", 1),
    at("stat", 1),
    at("statfs", 1),
    array("readv", 1, 2),
    array("writev", 1, 2)
);
